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
    uint32_t *df;
    double *memo;
    uint64_t *stamp;

    if (id < w->cap)
        return 0;
    while (cap <= id)
        cap *= 2;
    if ((df = realloc(w->df, cap * sizeof(*df))))
        w->df = df;
    if ((memo = realloc(w->memo, cap * sizeof(*memo))))
        w->memo = memo;
    if ((stamp = realloc(w->stamp, cap * sizeof(*stamp))))
        w->stamp = stamp;
    if (!df || !memo || !stamp)
        return error_oom();
    memset(df + w->cap, 0, (cap - w->cap) * sizeof(*df));
    memset(stamp + w->cap, 0, (cap - w->cap) * sizeof(*stamp));
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
    if (w->stamp)
        memset(w->stamp, 0, w->cap * sizeof(*w->stamp)); /* memos may be stale */
}

double weight_of(weights *w, uint32_t id)
{
    double v;

    if (id >= w->cap)
        return log(((double)w->n + 1.0) / 0.5);
    if (w->stamp[id] == w->n + 1)
        return w->memo[id];
    v = log(((double)w->n + 1.0) / ((double)w->df[id] + 0.5));
    w->memo[id] = v;
    w->stamp[id] = w->n + 1;
    return v;
}

double feat_mass(weights *w, const feat *f)
{
    double m = 0;

    for (size_t k = 0; k < f->n; k++)
        if (k == 0 || f->ids[k] != f->ids[k - 1])
            m += weight_of(w, f->ids[k]);
    return m;
}

double feat_shared(weights *w, const feat *a, const feat *b)
{
    size_t i = 0, j = 0;
    double shared = 0;

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
    free(w->memo);
    free(w->stamp);
    *w = (weights)WEIGHTS_INIT;
}
