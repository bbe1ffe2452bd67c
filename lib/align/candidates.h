/*
 * candidates.h - internal: which passages to compare a sentence with.
 *
 * An inverted index over a list of passages' features.  A query sums,
 * per passage, the weights of the distinct words it shares with the
 * query (weights.h: the numerator of the similarity), visiting the
 * query's words rarest first, and returns the CAND_MAX passages with the
 * largest sums (ties: the lower item).  Cost is bounded: once the budget
 * of postings is spent, the remaining (most common) words are skipped,
 * a list longer than CAND_LIST_CAP counts CAND_LIST_CAP of its items
 * (those nearest the place the query names, else evenly spaced), and
 * the sums are partial (the query says so, and gives its
 * CAND_INEXACT_MAX best only, for the caller to rescore), so on
 * adversarial input (thousands of near-identical passages) candidates
 * are found through their rarer words only and a true pair may be
 * missed (it then shows as added and dropped); on ordinary input every
 * passage sharing a word is scored, exactly.  A close restatement (the
 * join's similarity 0.5) shares rare words: its search gets a small
 * budget.
 */
#ifndef POSDIFF_CANDIDATES_H
#define POSDIFF_CANDIDATES_H

#include <stddef.h>
#include <stdint.h>

#include "weights.h"

#define CAND_MAX 32        /* most candidates a query returns */
#define CAND_INEXACT_MAX 8 /* ... when the sums are partial (to recompute) */
#define CAND_BUDGET 20000  /* postings a query visits at most */
#define CAND_JOIN_BUDGET 256 /* ... when looking for a close restatement */
#define CAND_LINEAGE_BUDGET 256 /* ... when looking for a predecessor */
#define CAND_LIST_CAP 16   /* postings of one word counted once over budget */

typedef struct {
    uint64_t *post;  /* (id << 32) | item, ascending */
    size_t n;
    size_t nitems;
    double *score;   /* query scratch: per item, 0 between queries */
    uint32_t *seen;  /* query scratch: items touched */
    size_t *start;   /* start[id]: first posting of word id (ids < nid), or NULL */
    size_t nid;      /* 1 + the largest id in start */
} cand_index;

#define CAND_INDEX_INIT {NULL, 0, 0, NULL, NULL, NULL, 0}

/** Index @p count items; items[i] may be NULL (never a candidate). */
int cand_index_build(cand_index *x, const feat *const *items, size_t count);
/** A query's answer: items best first, their shared weights. */
typedef struct {
    uint32_t item[CAND_MAX];
    double shared[CAND_MAX];
    size_t n;
    int exact;      /* 1: every shared word was counted (within budget) */
} cand_answer;

#define CAND_NEAR_NONE UINT32_MAX /* a query naming no item to look near */

/** The candidates of @p q, visiting at most @p budget postings; a list
 *  over the budget gives the postings nearest item @p near (or, for
 *  CAND_NEAR_NONE, evenly spaced ones). */
int cand_query(cand_answer *out, cand_index *x, weights *w, const feat *q, size_t budget,
               uint32_t near);
/** [*lo, *hi): the postings of word @p id (items: the low 32 bits). */
void cand_list(const cand_index *x, uint32_t id, size_t *lo, size_t *hi);
void cand_index_free(cand_index *x);

#endif
