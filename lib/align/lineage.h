/*
 * lineage.h - internal: align a position's earlier passages with its new
 * ones (1:1, 1:2 split, 2:1 merge, moves).  See lineage.c.
 */
#ifndef POSDIFF_LINEAGE_H
#define POSDIFF_LINEAGE_H

#include <stddef.h>

#include "passages.h"
#include "posdiff/align.h"

/** The predecessor found for one new passage. */
typedef struct {
    posdiff_link link; /* NONE (added), ONE, SPLIT, MERGE */
    size_t old1;       /* predecessor; merge: the earlier of the two */
    size_t old2;       /* merge: the later one (old1 + 1) */
    unsigned part;     /* split: 0 = first part, 1 = second */
    double sim;        /* Dice to the predecessor (merge: to both) */
    int moved;         /* outside the longest order-preserving chain */
    int via;           /* lin_via: where the predecessor is (appended field) */
} lin_link;

/** Where a lin_link's predecessor lives (lineage_align_threads). */
typedef enum {
    LIN_VIA_ACTIVE = 0, /* old[old1] (and old[old2]), above the link bar */
    LIN_VIA_DESCENT,    /* old[old1], low-bar descent (fan-out allowed) */
    LIN_VIA_DORMANT     /* dormant thread old1 (revived); never moved */
} lin_via;

typedef struct {
    double link;     /* min similarity of a predecessor */
    double part_min; /* split/merge: min share of a part's words in the other side */
    double descent;  /* lineage_align_threads: min similarity of a low-bar
                        descent (0 = none); ignored by lineage_align */
} lin_params;

/** A position's dormant threads, for lineage_align_threads. */
typedef struct lin_dormant {
    const feat *f;      /* features, most recently stated first */
    const size_t *rank; /* rank[d]: 0 for the most recent statement, then 1, ...
                           (nondecreasing in d) */
    size_t n;
    /* NULL, or fills f and rank (returns < 0 on error): called only when
     * a revival is looked for, since computing the features of every
     * dormant thread costs more than most steps (a new process has none
     * cached) */
    int (*load)(struct lin_dormant *dm);
    void *payload;      /* for load */
} lin_dormant;

/** feat_index_query's answers for each new passage against an index of
 * the old ones (lineage_align_threads's @p pre; also its own scratch). */
typedef struct {
    uint32_t *item;   /* item[n * FEAT_CAND_MAX + i] */
    uint32_t *shared; /* likewise: the shared counts */
    size_t *n;        /* n[n]: how many */
} lin_queries;

/**
 * Align @p old[0..a) (the current passages, in line order) with
 * @p nw[0..b) (the new passages, statement order).
 * @param out       b links (caller-allocated)
 * @param old_used  a flags (caller-allocated): 1 if the old passage has a
 *                  successor, else it is dropped
 * @return 0 or POSDIFF_ENOMEM
 */
int lineage_align(lin_link *out, unsigned char *old_used, const feat *old,
                  size_t a, const feat *nw, size_t b, const lin_params *p);

/**
 * lineage_align, then the passes for passages it left unlinked (see
 * lineage.c): revival of dormant threads (most recent statement first,
 * 1:1, at p->link, only when stronger than the best descent), then
 * low-bar descent from the most similar old passage (>= p->descent,
 * fan-out allowed), then moves.
 * @param dorm       may be NULL (no dormant thread)
 * @param dorm_used  dorm->n flags (caller-allocated, may be NULL when
 *                   dorm is): 1 if the thread was revived
 * @param pre        NULL, or the candidate queries of nw[0..b) against an
 *                   index of old[0..a) (made by the caller for another
 *                   purpose: the same answers, so they are not redone)
 */
int lineage_align_threads(lin_link *out, unsigned char *old_used,
                          const feat *old, size_t a, const feat *nw, size_t b,
                          lin_dormant *dorm, unsigned char *dorm_used,
                          const lin_queries *pre, const lin_params *p);

/* Tuning hook for tests (check_align's sweep): set the descent bar of a
 * tracker (0 = default, negative = no descent pass) and whether dormant
 * threads are revived. */
struct posdiff_tracker;
int align_tracker_tune(struct posdiff_tracker *t, double descent, int revive);

#endif
