/*
 * tokdiff_cleanup.h - internal: post-processing of a token edit script.
 *
 * The edit script is a pair of flag arrays (del[] over the old tokens,
 * ins[] over the new ones, as myers_diff() leaves them); the unflagged
 * tokens pair up in order as equalities.  A hunk is a maximal run of
 * flagged tokens on both sides between two equalities.
 */
#ifndef POSDIFF_TOKDIFF_CLEANUP_H
#define POSDIFF_TOKDIFF_CLEANUP_H

#include <stddef.h>
#include <stdint.h>

#include "tokenize.h"

typedef struct {
    const uint32_t *a, *b; /* interned token ids, equal id = equal token */
    const token *ta, *tb;  /* the tokens (their kinds) */
    const char *sa, *sb;   /* the texts the tokens point into */
    size_t n, m;           /* token counts */
    char *del, *ins;       /* edit flags, rewritten in place */
} tokdiff_seq;

typedef struct {
    size_t a0, a1; /* deleted old tokens [a0, a1) */
    size_t b0, b1; /* inserted new tokens [b0, b1) */
} tokdiff_hunk;

/**
 * Find the next hunk at or after old token *i / new token *j, which must
 * be paired positions (the same number of equal tokens before them).
 * Returns 1 and fills @p h (and moves *i, *j past it), or 0 at the end;
 * the equality before the hunk is old [*i_before, h->a0).
 */
int tokdiff_next_hunk(const tokdiff_seq *s, size_t *i, size_t *j,
                      tokdiff_hunk *h);

/**
 * Slide pure insertions/deletions to phrase boundaries, then fold short
 * equalities trapped between changes into them (see tokdiff_cleanup.c).
 * Returns 0 or POSDIFF_ENOMEM.
 */
int tokdiff_cleanup(tokdiff_seq *s);

#endif
