/*
 * lineage.c - which earlier passage each new passage descends from.
 *
 * Candidates.  Similarity is the Dice coefficient over content stems
 * (passages.c).  Old passages are indexed by word; each new passage is
 * compared only with the old ones sharing a word with it (bounded, see
 * feat_index_query), so the cost is O(b * FEAT_CAND_MAX * length), never
 * all pairs on a huge input.  From the compared pairs three kinds of
 * candidate links are formed:
 *
 *   1:1    old o -> new n with dice(o, n) >= link threshold;
 *   split  old o -> new n, n+1 (consecutive in statement order) with
 *          dice(o, n + n+1) >= threshold and above dice(o, n) and
 *          dice(o, n+1): the two parts explain o better than either
 *          alone; and each part has at least part_min of its words in o
 *          (a part is really cut from o, not a new sentence that happens
 *          to mention a missing word);
 *   merge  old o, o+1 (consecutive lines) -> new n, the mirror image.
 *
 * Assignment.  All candidates are sorted by similarity (ties: 1:1 first,
 * then statement order, then old order) and accepted greedily when none
 * of their passages is taken yet; so each passage gets at most one link,
 * the strongest available.  New passages left over are added; old ones
 * are dropped.
 *
 * Moves.  The linked new passages, in statement order, carry the line of
 * their predecessor (split parts: line, then part).  A longest strictly
 * increasing subsequence of these keys (patience sorting, O(k log k)) is
 * the largest set of passages that kept their relative order; the others
 * are moved.
 */
#include "lineage.h"

#include <stdlib.h>

#include "errors.h"

typedef struct {
    double sim;
    posdiff_link kind;
    size_t n1, n2; /* new passages (n2 = n1 + 1 for a split) */
    size_t o1, o2; /* old passages (o2 = o1 + 1 for a merge) */
} cand;

typedef struct {
    cand *v;
    size_t n, cap;
} cand_vec;

static int cand_push(cand_vec *cv, cand c)
{
    if (cv->n == cv->cap) {
        size_t cap = cv->cap ? cv->cap * 2 : 64;
        cand *p = realloc(cv->v, cap * sizeof(*p));
        if (!p)
            return error_oom();
        cv->v = p;
        cv->cap = cap;
    }
    cv->v[cv->n++] = c;
    return 0;
}

/* Share of part's words found in whole. */
static double contained(const feat *part, const feat *whole)
{
    return part->n ? (double)feat_overlap(part, whole) / (double)part->n : 0;
}

/* Split candidate: old o into new n, n+1. */
static int try_split(cand_vec *cv, const feat *old, size_t o, const feat *nw,
                     size_t n, const lin_params *p)
{
    double s = feat_dice2(&old[o], &nw[n], &nw[n + 1]);

    if (s < p->link || s <= feat_dice(&old[o], &nw[n]) ||
        s <= feat_dice(&old[o], &nw[n + 1]) ||
        contained(&nw[n], &old[o]) < p->part_min ||
        contained(&nw[n + 1], &old[o]) < p->part_min)
        return 0;
    return cand_push(cv, (cand){s, POSDIFF_LINK_SPLIT, n, n + 1, o, o});
}

/* Merge candidate: old o, o+1 into new n. */
static int try_merge(cand_vec *cv, const feat *old, size_t o, const feat *nw,
                     size_t n, const lin_params *p)
{
    double s = feat_dice2(&nw[n], &old[o], &old[o + 1]);

    if (s < p->link || s <= feat_dice(&nw[n], &old[o]) ||
        s <= feat_dice(&nw[n], &old[o + 1]) ||
        contained(&old[o], &nw[n]) < p->part_min ||
        contained(&old[o + 1], &nw[n]) < p->part_min)
        return 0;
    return cand_push(cv, (cand){s, POSDIFF_LINK_MERGE, n, n, o, o + 1});
}

/* All candidate links involving the compared pair (o, n). */
static int pair_cands(cand_vec *cv, const feat *old, size_t a, size_t o,
                      const feat *nw, size_t b, size_t n, const lin_params *p)
{
    double s = feat_dice(&old[o], &nw[n]);
    int rc = 0;

    if (s >= p->link)
        rc = cand_push(cv, (cand){s, POSDIFF_LINK_ONE, n, n, o, o});
    if (rc == 0 && n + 1 < b)
        rc = try_split(cv, old, o, nw, n, p);
    if (rc == 0 && n > 0)
        rc = try_split(cv, old, o, nw, n - 1, p);
    if (rc == 0 && o + 1 < a)
        rc = try_merge(cv, old, o, nw, n, p);
    if (rc == 0 && o > 0)
        rc = try_merge(cv, old, o - 1, nw, n, p);
    return rc;
}

static int collect(cand_vec *cv, const feat *old, size_t a, const feat *nw,
                   size_t b, const lin_params *p)
{
    feat_index x;
    uint32_t *c = NULL;
    size_t nc;
    int rc;

    if ((rc = feat_index_build(&x, old, a)) < 0)
        return rc;
    for (size_t n = 0; n < b && rc == 0; n++) {
        if ((rc = feat_index_query(&c, &nc, &x, &nw[n])) < 0)
            break;
        for (size_t k = 0; k < nc && rc == 0; k++)
            rc = pair_cands(cv, old, a, c[k], nw, b, n, p);
        free(c);
    }
    feat_index_free(&x);
    return rc;
}

static int cmp_cand(const void *pa, const void *pb)
{
    const cand *x = pa, *y = pb;

    if (x->sim != y->sim)
        return x->sim < y->sim ? 1 : -1;
    if ((x->kind == POSDIFF_LINK_ONE) != (y->kind == POSDIFF_LINK_ONE))
        return x->kind == POSDIFF_LINK_ONE ? -1 : 1;
    if (x->n1 != y->n1)
        return x->n1 < y->n1 ? -1 : 1;
    if (x->o1 != y->o1)
        return x->o1 < y->o1 ? -1 : 1;
    return (x->kind > y->kind) - (x->kind < y->kind);
}

/* Greedy assignment, strongest first (see the file comment). */
static void assign(lin_link *out, unsigned char *used, const cand_vec *cv)
{
    for (size_t i = 0; i < cv->n; i++) {
        const cand *c = &cv->v[i];
        if (out[c->n1].link || out[c->n2].link || used[c->o1] || used[c->o2])
            continue;
        used[c->o1] = used[c->o2] = 1;
        out[c->n1] = (lin_link){c->kind, c->o1, c->o2, 0, c->sim, 0};
        if (c->kind == POSDIFF_LINK_SPLIT)
            out[c->n2] = (lin_link){c->kind, c->o1, c->o2, 1, c->sim, 0};
    }
}

/* Mark as moved the linked passages outside a longest increasing run. */
static int mark_moves(lin_link *out, size_t b)
{
    size_t *idx = malloc((b + 1) * sizeof(*idx));  /* linked passages */
    size_t *tail = malloc((b + 1) * sizeof(*tail)); /* patience piles */
    size_t *prev = malloc((b + 1) * sizeof(*prev));
    size_t k = 0, len = 0;

    if (!idx || !tail || !prev) {
        free(idx), free(tail), free(prev);
        return error_oom();
    }
    for (size_t n = 0; n < b; n++)
        if (out[n].link != POSDIFF_LINK_NONE) {
            out[n].moved = 1;
            idx[k++] = n;
        }
    for (size_t i = 0; i < k; i++) {
        size_t key = out[idx[i]].old1 * 2 + out[idx[i]].part, lo = 0, hi = len;
        while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            size_t t = out[idx[tail[mid]]].old1 * 2 + out[idx[tail[mid]]].part;
            if (t < key)
                lo = mid + 1;
            else
                hi = mid;
        }
        prev[i] = lo ? tail[lo - 1] : SIZE_MAX;
        tail[lo] = i;
        len += lo == len;
    }
    for (size_t i = len ? tail[len - 1] : SIZE_MAX; i != SIZE_MAX; i = prev[i])
        out[idx[i]].moved = 0;
    free(idx), free(tail), free(prev);
    return 0;
}

int lineage_align(lin_link *out, unsigned char *old_used, const feat *old,
                  size_t a, const feat *nw, size_t b, const lin_params *p)
{
    cand_vec cv = {NULL, 0, 0};
    int rc;

    for (size_t n = 0; n < b; n++)
        out[n] = (lin_link){POSDIFF_LINK_NONE, 0, 0, 0, 0.0, 0};
    for (size_t o = 0; o < a; o++)
        old_used[o] = 0;
    if ((rc = collect(&cv, old, a, nw, b, p)) < 0)
        goto done;
    qsort(cv.v, cv.n, sizeof(*cv.v), cmp_cand);
    assign(out, old_used, &cv);
    rc = mark_moves(out, b);
done:
    free(cv.v);
    return rc;
}
