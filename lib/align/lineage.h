/*
 * lineage.h - internal: which earlier passages each new passage of a
 * position restates.  See lineage.c.
 */
#ifndef POSDIFF_LINEAGE_H
#define POSDIFF_LINEAGE_H

#include <stddef.h>

#include "weights.h"

typedef struct {
    double weak;     /* min similarity of any link (restated) */
    double strong;   /* min similarity of a strong link (a word diff) */
    double margin;   /* a dormant passage beats an active one by this much */
} lin_params;

/** An earlier passage a new passage restates. */
typedef struct {
    size_t old;      /* index in the old passages (active, then dormant) */
    double sim;
} lin_source;

/** What the lineage found for one new passage. */
typedef struct {
    long prev;          /* its main predecessor (old index), -1: added */
    double sim;         /* similarity to it */
    int moved;          /* a strong link out of the active passages' order */
    int split;          /* its predecessor is also another passage's */
    size_t src, nsrc;   /* its sources: src[src .. src + nsrc), main first */
} lin_link;

typedef struct {
    lin_link *link;        /* one per new passage */
    lin_source *src;       /* every link's sources */
    size_t nsrc;
    unsigned char *succ;   /* per old passage: LIN_NONE, LIN_SOURCE, LIN_MAIN,
                              LIN_STRONG (a strong main predecessor) */
} lineage;

enum { LIN_NONE = 0, LIN_SOURCE = 1, LIN_MAIN = 2, LIN_STRONG = 3 };

/** An analyst's decision on one pair (review.conf): new passage @p n and
 *  old passage @p old are the same point (similarity 1) or not (no link). */
typedef struct {
    size_t n, old;
    int same;
} lin_override;

/**
 * Align the new passages @p nw[0..b) (statement order) of a position with
 * its old ones: @p old[0..a) the active passages (line order), then
 * @p old[a..a+d) the dormant ones (most recently stated first).  @p nm
 * holds the new passages' masses (feat_mass), @p om the old ones', a
 * negative one computed here when needed.  The pairs @p ov[0..nov)
 * override what the similarity says.
 * @return 0 or POSDIFF_ENOMEM; free @p out with lineage_free()
 */
int lineage_align(lineage *out, weights *w, const feat *nw, const double *nm,
                  size_t b, const feat *old, double *om, size_t a, size_t d,
                  const lin_params *p, const lin_override *ov, size_t nov);
void lineage_free(lineage *l);

#endif
