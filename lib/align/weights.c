/*
 * weights.c - word weights (idf over sentences) and similarity; see
 * weights.h.
 */
#include "weights.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util/errors.h"

static int reserve(weights *w, uint32_t id)
{
    size_t cap = w->cap ? w->cap : 1024;
    uint32_t *df, *at;
    double *lg;

    if (id < w->cap)
        return 0;
    while (cap <= id)
        cap *= 2;
    if ((df = realloc(w->df, cap * sizeof(*df))))
        w->df = df;
    if ((at = realloc(w->at, cap * sizeof(*at))))
        w->at = at;
    if ((lg = realloc(w->lg, cap * sizeof(*lg))))
        w->lg = lg;
    if (!df || !at || !lg)
        return error_oom();
    memset(df + w->cap, 0, (cap - w->cap) * sizeof(*df));
    memset(at + w->cap, 0, (cap - w->cap) * sizeof(*at));
    w->cap = cap;
    return 0;
}

int weights_add(weights *w, const feat *f)
{
    int rc;

    for (size_t k = 0; k < f->n; k++) {
        if (k && f->ids[k] == f->ids[k - 1])
            continue; /* a sentence counts once per word */
        if ((rc = reserve(w, f->ids[k])) < 0)
            return rc;
        w->df[f->ids[k]]++;
    }
    w->n++;
    return 0;
}

int weights_set(weights *w, uint32_t id, uint32_t df)
{
    int rc = reserve(w, id);

    if (rc == 0)
        w->df[id] = df;
    return rc;
}

void weights_sub(weights *w, const feat *f)
{
    for (size_t k = 0; k < f->n; k++)
        if ((k == 0 || f->ids[k] != f->ids[k - 1]) && f->ids[k] < w->cap && w->df[f->ids[k]])
            w->df[f->ids[k]]--;
    if (w->n)
        w->n--;
}

int weights_ready(weights *w)
{
    if (w->log_at != w->n) {
        w->log_n = log((double)w->n + 1.0);
        w->log_at = w->n;
    }
    return 0;
}

double weight_of(weights *w, uint32_t id)
{
    if (id >= w->cap)
        return w->log_n - log(0.5);
    if (w->at[id] != w->df[id] + 1) {
        w->lg[id] = log((double)w->df[id] + 0.5);
        w->at[id] = w->df[id] + 1;
    }
    return w->log_n - w->lg[id];
}

double feat_mass(weights *w, const feat *f)
{
    double m = 0;

    for (size_t k = 0; k < f->n; k++)
        if (k == 0 || f->ids[k] != f->ids[k - 1])
            m += weight_of(w, f->ids[k]);
    return m;
}

/* The first index at or after @p from where f->ids >= @p id (galloping). */
static size_t seek(const feat *f, size_t from, uint32_t id)
{
    size_t step = 1, lo = from, hi;

    while (lo + step < f->n && f->ids[lo + step] < id)
        lo += step, step *= 2;
    hi = lo + step < f->n ? lo + step : f->n;
    while (lo < hi) {
        size_t m = lo + (hi - lo) / 2;
        if (f->ids[m] < id)
            lo = m + 1;
        else
            hi = m;
    }
    return lo;
}

/* Shared weight when @p b is much longer than @p a: each word of a is
 * looked up in b (so a sentence against a huge unit costs the sentence's
 * length, not the unit's). */
static double shared_skewed(weights *w, const feat *a, const feat *b)
{
    double shared = 0;
    size_t j = 0;

    for (size_t i = 0; i < a->n && j < b->n; i++) {
        if (i && a->ids[i] == a->ids[i - 1])
            continue;
        j = seek(b, j, a->ids[i]);
        if (j < b->n && b->ids[j] == a->ids[i])
            shared += weight_of(w, a->ids[i]);
    }
    return shared;
}

double feat_shared(weights *w, const feat *a, const feat *b)
{
    size_t i = 0, j = 0;
    double shared = 0;

    if (a->n * 16 < b->n)
        return shared_skewed(w, a, b);
    if (b->n * 16 < a->n)
        return shared_skewed(w, b, a);
    while (i < a->n && j < b->n) {
        uint32_t x = a->ids[i], y = b->ids[j];
        if (x == y)
            shared += weight_of(w, x);
        while (i < a->n && a->ids[i] == x && x <= y)
            i++;
        while (j < b->n && b->ids[j] == y && y <= x)
            j++;
    }
    return shared;
}

double similarity_of(double shared, double ma, double mb)
{
    double s;

    if (ma <= 0 || mb <= 0)
        return 0.0;
    s = shared / sqrt(ma * mb);
    return s > 1.0 ? 1.0 : s;
}

void weights_free(weights *w)
{
    free(w->df);
    free(w->lg);
    free(w->at);
    *w = (weights)WEIGHTS_INIT;
}
