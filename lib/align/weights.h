/*
 * weights.h - internal: how telling a word is, and how similar two
 * passages are.
 *
 * A word's weight is its inverse document frequency over the sentences
 * seen so far: idf(w) = ln((n + 1) / (df(w) + 0.5)), n sentences of
 * which df(w) hold w.  The tracker counts every sentence of a statement
 * before aligning it (weights_add), so the weights at a statement depend
 * only on the statements up to it: an incremental build equals a clean
 * one.  Similarity of two passages is their shared weight over the
 * geometric mean of their weights, over distinct content words:
 *
 *   sim(a, b) = sum of idf(w) over the words a and b share
 *               / sqrt(W(a) * W(b)),   W(x) = sum of idf over x's words,
 *
 * in [0, 1], 1 for the same words.  Words every sentence uses count
 * little, a rare word shared counts much (tests/eval: the labelled set).
 * idf(w) is computed as ln(n + 1) - ln(df(w) + 0.5), the second term
 * kept per word until its count changes.
 */
#ifndef POSDIFF_WEIGHTS_H
#define POSDIFF_WEIGHTS_H

#include <stddef.h>
#include <stdint.h>

#include "words.h"

typedef struct {
    uint32_t *df;   /* df[id]: sentences holding stem id */
    double *lg;     /* lg[id] = ln(df[id] + 0.5) when at[id] == df[id] + 1 */
    uint32_t *at;
    size_t cap;     /* entries of df, lg and at */
    uint64_t n;     /* sentences counted */
    double log_n;   /* ln(n + 1), for n == log_at */
    uint64_t log_at;
} weights;

#define WEIGHTS_INIT {NULL, NULL, NULL, 0, 0, 0, UINT64_MAX}

/** Count one sentence of features @p f.  0 or POSDIFF_ENOMEM. */
int weights_add(weights *w, const feat *f);
/** Set stem @p id's count (a restored state).  0 or POSDIFF_ENOMEM. */
int weights_set(weights *w, uint32_t id, uint32_t df);
/** Uncount a sentence counted by weights_add (a failed step). */
void weights_sub(weights *w, const feat *f);
/** idf of stem @p id. */
double weight_of(weights *w, uint32_t id);
/** Make weight_of ready for the current count of sentences (after
 *  weights_add).  0 or POSDIFF_ENOMEM. */
int weights_ready(weights *w);
/** W(f): the sum of the weights of its distinct words. */
double feat_mass(weights *w, const feat *f);
/** The weight of the distinct words @p a and @p b share. */
double feat_shared(weights *w, const feat *a, const feat *b);
/** sim(a, b) from their shared weight and masses (feat_mass). */
double similarity_of(double shared, double ma, double mb);
void weights_free(weights *w);

#endif
