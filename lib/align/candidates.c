/*
 * candidates.c - the candidate index (candidates.h).
 *
 * Postings are (id, item) pairs sorted by a stable radix sort on the id
 * (they are made in item order); a word's list is found in a table of
 * each id's first posting (when the ids are no more than 4 per posting,
 * so the table costs what the postings do), else by binary search.
 *
 * A query takes its distinct words and adds each word's weight to the
 * score of every item on its list; when the lists hold more than the
 * budget, rarest first (ties: lower id) until it is spent, and a list
 * longer than CAND_LIST_CAP then gives CAND_LIST_CAP of its postings:
 * those nearest the item the query names (a new passage's place among
 * the old ones: the copies of a sentence in a long statement are
 * matched in order), else evenly spaced (the first, and every
 * len/cap-th after it).  So a query's cost is bounded by the budget
 * whatever the lists' lengths, and its rarest words are always counted.
 * The CAND_MAX best scores are kept in a small sorted array.
 */
#include "candidates.h"

#include <stdlib.h>
#include <string.h>

#include "util/errors.h"

/* Sort v[0..n) by the id (high 32 bits), stably: LSD radix, 8 bits a
 * pass over the bytes the largest id uses. */
static int sort_postings(uint64_t *v, size_t n)
{
    uint64_t *tmp, *src = v, *dst, max = 0;
    size_t count[256];

    for (size_t i = 0; i < n; i++)
        max |= v[i] >> 32;
    if (n < 2 || max == 0)
        return 0;
    if (!(dst = tmp = malloc(n * sizeof(*tmp))))
        return error_oom();
    for (unsigned shift = 32; shift < 64 && (max >> (shift - 32)); shift += 8) {
        uint64_t *t;
        memset(count, 0, sizeof(count));
        for (size_t i = 0; i < n; i++)
            count[(src[i] >> shift) & 0xff]++;
        for (size_t b = 0, at = 0; b < 256; b++) {
            size_t c = count[b];
            count[b] = at;
            at += c;
        }
        for (size_t i = 0; i < n; i++)
            dst[count[(src[i] >> shift) & 0xff]++] = src[i];
        t = src, src = dst, dst = t;
    }
    if (src != v)
        memcpy(v, src, n * sizeof(*v));
    free(tmp);
    return 0;
}

/* x->start: the first posting of each id, for sorted postings whose
 * largest id is at most 4 per posting (else none: binary search). */
static int index_starts(cand_index *x)
{
    size_t nid = x->n ? (size_t)(x->post[x->n - 1] >> 32) + 1 : 0;

    if (nid == 0 || nid > 4 * x->n)
        return 0;
    if (!(x->start = malloc((nid + 1) * sizeof(*x->start))))
        return error_oom();
    x->nid = nid;
    for (size_t id = 0, p = 0; id <= nid; id++) {
        while (p < x->n && (x->post[p] >> 32) < id)
            p++;
        x->start[id] = p;
    }
    return 0;
}

int cand_index_build(cand_index *x, const feat *const *items, size_t count)
{
    size_t total = 0;

    *x = (cand_index)CAND_INDEX_INIT;
    if (count >= UINT32_MAX)
        return error_set(POSDIFF_EINVALID, "align: too many passages");
    for (size_t i = 0; i < count; i++)
        total += items[i] ? items[i]->n : 0;
    x->post = malloc((total ? total : 1) * sizeof(*x->post));
    x->score = calloc(count ? count : 1, sizeof(*x->score));
    x->seen = malloc((count ? count : 1) * sizeof(*x->seen));
    if (!x->post || !x->score || !x->seen) {
        cand_index_free(x);
        return error_oom();
    }
    x->nitems = count;
    for (size_t i = 0; i < count; i++)
        for (size_t k = 0; items[i] && k < items[i]->n; k++)
            if (k == 0 || items[i]->ids[k] != items[i]->ids[k - 1])
                x->post[x->n++] = (uint64_t)items[i]->ids[k] << 32 | i;
    x->nitems = count;
    return sort_postings(x->post, x->n) < 0 ? POSDIFF_ENOMEM : index_starts(x);
}

/* The first posting at or after (@p id << 32). */
static size_t lower_bound(const cand_index *x, uint64_t key)
{
    size_t a = 0, b = x->n;

    while (a < b) {
        size_t m = a + (b - a) / 2;
        if (x->post[m] < key)
            a = m + 1;
        else
            b = m;
    }
    return a;
}

void cand_list(const cand_index *x, uint32_t id, size_t *lo, size_t *hi)
{
    if (x->start) {
        *lo = *hi = 0;
        if (id < x->nid)
            *lo = x->start[id], *hi = x->start[id + 1];
        return;
    }
    *lo = lower_bound(x, (uint64_t)id << 32);
    *hi = lower_bound(x, ((uint64_t)id + 1) << 32);
}

typedef struct {
    uint32_t id;
    size_t lo, hi;
} qword;

static int cmp_qword(const void *a, const void *b)
{
    const qword *x = a, *y = b;
    size_t nx = x->hi - x->lo, ny = y->hi - y->lo;

    if (nx != ny)
        return nx < ny ? -1 : 1;
    return (x->id > y->id) - (x->id < y->id);
}

/* Keep @p item (of sum @p s) in the best list of @p a (sorted). */
static void keep_best(cand_answer *a, uint32_t item, double s)
{
    size_t at = a->n;

    while (at > 0 && (a->shared[at - 1] < s || (a->shared[at - 1] == s && a->item[at - 1] > item)))
        at--;
    if (at >= CAND_MAX)
        return;
    if (a->n < CAND_MAX)
        a->n++;
    memmove(a->item + at + 1, a->item + at, (a->n - 1 - at) * sizeof(*a->item));
    memmove(a->shared + at + 1, a->shared + at, (a->n - 1 - at) * sizeof(*a->shared));
    a->item[at] = item;
    a->shared[at] = s;
}

/* [*lo, *hi): the CAND_LIST_CAP postings of [*lo, *hi) whose items are
 * nearest @p near (the list is in item order). */
static void window(const cand_index *x, size_t *lo, size_t *hi, uint32_t near)
{
    size_t a = *lo, b = *hi;

    while (a < b) {
        size_t m = a + (b - a) / 2;
        if ((uint32_t)x->post[m] < near)
            a = m + 1;
        else
            b = m;
    }
    a = a - *lo > CAND_LIST_CAP / 2 ? a - CAND_LIST_CAP / 2 : *lo;
    if (a + CAND_LIST_CAP > *hi)
        a = *hi - CAND_LIST_CAP;
    *lo = a;
    *hi = a + CAND_LIST_CAP;
}

/* Add @p wt to the score of every @p step-th item of postings [lo, hi). */
static void visit(cand_index *x, size_t *nseen, size_t lo, size_t hi, size_t step, double wt)
{
    for (size_t p = lo; p < hi; p += step) {
        uint32_t item = (uint32_t)x->post[p];
        if (x->score[item] == 0)
            x->seen[(*nseen)++] = item;
        x->score[item] += wt > 0 ? wt : 1e-12;
    }
}

int cand_query(cand_answer *out, cand_index *x, weights *w, const feat *q, size_t budget,
               uint32_t near)
{
    qword small[64], *qw = q->n <= 64 ? small : malloc(q->n * sizeof(*qw));
    size_t nq = 0, nseen = 0, visited = 0, total = 0, k;
    int capped = 0;

    out->n = 0;
    out->exact = 1;
    if (!qw)
        return error_oom();
    for (size_t i = 0; i < q->n; i++)
        if (i == 0 || q->ids[i] != q->ids[i - 1]) {
            qw[nq].id = q->ids[i];
            cand_list(x, q->ids[i], &qw[nq].lo, &qw[nq].hi);
            total += qw[nq].hi - qw[nq].lo;
            nq += qw[nq].hi > qw[nq].lo;
        }
    if (total > budget)
        qsort(qw, nq, sizeof(*qw), cmp_qword);
    for (k = 0; k < nq; k++) {
        size_t lo = qw[k].lo, hi = qw[k].hi, len = hi - lo, step = 1;
        if (visited + len > budget && len > CAND_LIST_CAP) {
            capped = 1;
            if (near != CAND_NEAR_NONE)
                window(x, &lo, &hi, near), len = CAND_LIST_CAP;
            else
                step = (len + CAND_LIST_CAP - 1) / CAND_LIST_CAP, len = (len + step - 1) / step;
        }
        if (visited + len > budget)
            break;
        visit(x, &nseen, lo, hi, step, weight_of(w, qw[k].id));
        visited += len;
    }
    out->exact = k == nq && !capped;
    for (size_t i = 0; i < nseen; i++)
        keep_best(out, x->seen[i], x->score[x->seen[i]]);
    if (!out->exact && out->n > CAND_INEXACT_MAX)
        out->n = CAND_INEXACT_MAX;
    for (size_t i = 0; i < nseen; i++)
        x->score[x->seen[i]] = 0;
    if (qw != small)
        free(qw);
    return 0;
}

void cand_index_free(cand_index *x)
{
    free(x->post);
    free(x->score);
    free(x->seen);
    free(x->start);
    *x = (cand_index)CAND_INDEX_INIT;
}
