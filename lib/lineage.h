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
} lin_link;

typedef struct {
    double link;     /* min similarity of a predecessor */
    double part_min; /* split/merge: min share of a part's words in the other side */
} lin_params;

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

#endif
