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
 * The overlap of a compared pair is computed once and serves its 1:1
 * candidate and the split and merge candidates it is a part of; the
 * part_min tests, cheap from overlaps, run before the three-way Dice.
 *
 * Assignment.  All candidates are sorted by similarity (ties: 1:1 first,
 * then statement order, then old order) and accepted greedily when none
 * of their passages is taken yet; so each passage gets at most one link,
 * the strongest available.  New passages left over are added; old ones
 * are dropped.
 *
 * lineage_align_threads continues with the new passages left unlinked
 * (see align.c for the thresholds and why):
 *
 *   best     each one's most similar old passage (among the bounded
 *            candidates of feat_index_query; ties: the earliest line);
 *   revival  dormant threads at the link bar, 1:1, candidates sorted by
 *            the recency rank of the thread's statement, then
 *            similarity, then statement order, and accepted greedily;
 *            a candidate counts only when strictly more similar than
 *            the passage's best old passage;
 *   descent  every passage still unlinked whose best old passage is at
 *            least the descent bar descends from it (ONE link, several
 *            new passages may share the old one, which is then not
 *            dropped).
 *
 * Moves.  The new passages linked to an old passage (revived ones
 * aside), in statement order, carry the line of their predecessor
 * (split parts: line, then part).  A longest nondecreasing subsequence
 * of these keys (patience sorting, O(k log k)) is the largest set of
 * passages that kept their relative order; the others are moved.  Keys
 * repeat only for successors of one passage (fan-out), which keep their
 * order by definition.
 */
#include "lineage.h"

#include <stdlib.h>

#include "util/errors.h"

/* A candidate link, 24 bytes: millions of them are sorted on
 * adversarial input.  Passage numbers fit 32 bits (feat_index items). */
typedef struct {
    double sim;
    uint32_t n1;   /* new passage (and n1 + 1 for a split) */
    uint32_t o1;   /* old passage (and o1 + 1 for a merge) */
    uint32_t kind; /* posdiff_link */
} cand;

static size_t cand_n2(const cand *c)
{
    return (size_t)c->n1 + (c->kind == POSDIFF_LINK_SPLIT);
}

static size_t cand_o2(const cand *c)
{
    return (size_t)c->o1 + (c->kind == POSDIFF_LINK_MERGE);
}

typedef struct {
    cand *v;
    size_t n, cap;
} cand_vec;

/* The answers of feat_index_query for every new passage against the old
 * ones, kept by the first pass for the second (best_of): the same query
 * on the same index gives the same answer. */
typedef lin_queries query_cache;

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

/* feat_dice and the share of a part's words in a whole, from the
 * overlap (the same doubles as computing them afresh). */
static double dice_of(size_t ov, const feat *x, const feat *y)
{
    return x->n + y->n ? 2.0 * (double)ov / (double)(x->n + y->n) : 1.0;
}

static double share_of(size_t ov, const feat *part)
{
    return part->n ? (double)ov / (double)part->n : 0;
}

/*
 * A split (whole -> p1, p2) or merge (p1, p2 -> whole) candidate, given
 * the overlaps ov1 = |whole ∩ p1| (SIZE_MAX: not known yet) and ov2 =
 * |whole ∩ p2|: the union explains the whole better than either part
 * alone, at the link bar, and each part has part_min of its words in the
 * whole.  The cheap tests (shares, from overlaps) come before the
 * three-way Dice; the result is the same in any order.
 */
static int two_parts(double *sim, const feat *whole, const feat *p1,
                     const feat *p2, size_t ov1, size_t ov2,
                     const lin_params *p)
{
    double s;

    if ((ov1 != SIZE_MAX && share_of(ov1, p1) < p->part_min) ||
        (ov2 != SIZE_MAX && share_of(ov2, p2) < p->part_min))
        return 0;
    if (ov1 == SIZE_MAX && share_of(ov1 = feat_overlap(whole, p1), p1) < p->part_min)
        return 0;
    if (ov2 == SIZE_MAX && share_of(ov2 = feat_overlap(whole, p2), p2) < p->part_min)
        return 0;
    s = feat_dice2(whole, p1, p2);
    if (s < p->link || s <= dice_of(ov1, whole, p1) || s <= dice_of(ov2, whole, p2))
        return 0;
    *sim = s;
    return 1;
}

/* Split candidate: old o into new n, n+1 (overlaps as in two_parts). */
static int try_split(cand_vec *cv, const feat *old, size_t o, const feat *nw,
                     size_t n, size_t ov1, size_t ov2, const lin_params *p)
{
    double s;

    if (!two_parts(&s, &old[o], &nw[n], &nw[n + 1], ov1, ov2, p))
        return 0;
    return cand_push(cv, (cand){s, (uint32_t)n, (uint32_t)o, POSDIFF_LINK_SPLIT});
}

/* Merge candidate: old o, o+1 into new n (overlaps as in two_parts). */
static int try_merge(cand_vec *cv, const feat *old, size_t o, const feat *nw,
                     size_t n, size_t ov1, size_t ov2, const lin_params *p)
{
    double s;

    if (!two_parts(&s, &nw[n], &old[o], &old[o + 1], ov1, ov2, p))
        return 0;
    return cand_push(cv, (cand){s, (uint32_t)n, (uint32_t)o, POSDIFF_LINK_MERGE});
}

/* All candidate links involving the compared pair (o, n) of overlap
 * @p ov; it is computed once and serves every candidate it is part of. */
static int pair_cands(cand_vec *cv, const feat *old, size_t a, size_t o,
                      const feat *nw, size_t b, size_t n, size_t ov,
                      const lin_params *p)
{
    size_t no = SIZE_MAX;
    double s = dice_of(ov, &old[o], &nw[n]);
    int rc = 0;

    if (s >= p->link)
        rc = cand_push(cv, (cand){s, (uint32_t)n, (uint32_t)o, POSDIFF_LINK_ONE});
    if (rc == 0 && n + 1 < b)
        rc = try_split(cv, old, o, nw, n, ov, no, p);
    if (rc == 0 && n > 0)
        rc = try_split(cv, old, o, nw, n - 1, no, ov, p);
    if (rc == 0 && o + 1 < a)
        rc = try_merge(cv, old, o, nw, n, ov, no, p);
    if (rc == 0 && o > 0)
        rc = try_merge(cv, old, o - 1, nw, n, no, ov, p);
    return rc;
}

/* @p x: the index of old[0..a); the answers go to @p qc (x NULL: they
 * are there already). */
static int collect(cand_vec *cv, const feat_index *x, const feat *old,
                   size_t a, const feat *nw, size_t b, const lin_params *p,
                   query_cache *qc)
{
    int rc = 0;

    for (size_t n = 0; n < b && rc == 0; n++) {
        uint32_t *c = qc->item + n * FEAT_CAND_MAX;
        uint32_t *sh = qc->shared + n * FEAT_CAND_MAX;
        size_t rep = feat_repeats(&nw[n]);
        if (x && (rc = feat_index_query(c, sh, &qc->n[n], x, &nw[n])) < 0)
            break;
        for (size_t k = 0; k < qc->n[n] && rc == 0; k++)
            rc = pair_cands(cv, old, a, c[k], nw, b, n,
                            feat_overlap_known(&nw[n], &old[c[k]], sh[k], rep),
                            p);
    }
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
        size_t n2 = cand_n2(c), o2 = cand_o2(c);
        if (out[c->n1].link || out[n2].link || used[c->o1] || used[o2])
            continue;
        used[c->o1] = used[o2] = 1;
        out[c->n1] = (lin_link){(posdiff_link)c->kind, c->o1, o2, 0, c->sim, 0,
                                LIN_VIA_ACTIVE};
        if (c->kind == POSDIFF_LINK_SPLIT)
            out[n2] = (lin_link){(posdiff_link)c->kind, c->o1, o2, 1, c->sim, 0,
                                 LIN_VIA_ACTIVE};
    }
}

/* Mark as moved the linked passages outside a longest increasing run.
 * Only confident links (above the link bar) count: a weak descent or a
 * revival says where a wording came from, not that it moved. */
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
        if (out[n].link != POSDIFF_LINK_NONE && out[n].via == LIN_VIA_ACTIVE) {
            out[n].moved = 1;
            idx[k++] = n;
        }
    for (size_t i = 0; i < k; i++) {
        size_t key = out[idx[i]].old1 * 2 + out[idx[i]].part, lo = 0, hi = len;
        while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            size_t t = out[idx[tail[mid]]].old1 * 2 + out[idx[tail[mid]]].part;
            if (t <= key) /* nondecreasing: fan-out successors tie */
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

/* The pass at the link bar: 1:1, splits, merges (no moves yet); @p x
 * indexes old[0..a) (NULL: @p qc holds the answers already). */
static int align_core(lin_link *out, unsigned char *old_used,
                      const feat_index *x, const feat *old, size_t a,
                      const feat *nw, size_t b, const lin_params *p,
                      query_cache *qc)
{
    cand_vec cv = {NULL, 0, 0};
    int rc;

    if (a >= UINT32_MAX || b >= UINT32_MAX)
        return error_set(POSDIFF_EINVALID, "align: too many passages");
    for (size_t n = 0; n < b; n++)
        out[n] = (lin_link){POSDIFF_LINK_NONE, 0, 0, 0, 0.0, 0, LIN_VIA_ACTIVE};
    for (size_t o = 0; o < a; o++)
        old_used[o] = 0;
    if ((rc = collect(&cv, x, old, a, nw, b, p, qc)) == 0 && cv.n) {
        qsort(cv.v, cv.n, sizeof(*cv.v), cmp_cand);
        assign(out, old_used, &cv);
    }
    free(cv.v);
    return rc;
}

static int qcache_init(query_cache *qc, size_t b)
{
    size_t m = (b ? b : 1) * FEAT_CAND_MAX;

    qc->item = malloc(m * sizeof(*qc->item));
    qc->shared = malloc(m * sizeof(*qc->shared));
    qc->n = malloc((b ? b : 1) * sizeof(*qc->n));
    return qc->item && qc->shared && qc->n ? 0 : error_oom();
}

static void qcache_free(query_cache *qc)
{
    free(qc->item);
    free(qc->shared);
    free(qc->n);
}

int lineage_align(lin_link *out, unsigned char *old_used, const feat *old,
                  size_t a, const feat *nw, size_t b, const lin_params *p)
{
    query_cache qc;
    feat_index x = FEAT_INDEX_INIT;
    int rc = qcache_init(&qc, b);

    if (rc == 0)
        rc = feat_index_build(&x, old, a);
    if (rc == 0)
        rc = align_core(out, old_used, &x, old, a, nw, b, p, &qc);
    feat_index_free(&x);
    qcache_free(&qc);
    return rc < 0 ? rc : mark_moves(out, b);
}

/* ---- passes for the passages left unlinked ---- */

/* best[n], sim[n]: the most similar old passage (features @p f) among
 * the candidates @p qc of every unlinked new passage (sim 0 when none
 * shares a word; ties: the lowest item). */
static void best_of(size_t *best, double *sim, const query_cache *qc,
                    const feat *f, const feat *nw, size_t b,
                    const lin_link *out)
{
    for (size_t n = 0; n < b; n++) {
        const uint32_t *c = qc->item + n * FEAT_CAND_MAX;
        const uint32_t *sh = qc->shared + n * FEAT_CAND_MAX;
        size_t rep = feat_repeats(&nw[n]);
        best[n] = 0, sim[n] = 0.0;
        if (out[n].link != POSDIFF_LINK_NONE)
            continue;
        for (size_t k = 0; k < qc->n[n]; k++) {
            double s;
            if (!feat_dice_may_reach(&nw[n], &f[c[k]], sh[k], rep, sim[n], 1))
                continue; /* cannot beat the best so far */
            s = dice_of(feat_overlap_known(&nw[n], &f[c[k]], sh[k], rep),
                        &f[c[k]], &nw[n]);
            if (s > sim[n])
                best[n] = c[k], sim[n] = s;
        }
    }
}

typedef struct {
    size_t rank; /* recency of the thread's statement, 0 = most recent */
    double sim;
    size_t n, d;
} rcand;

static int cmp_rcand(const void *pa, const void *pb)
{
    const rcand *x = pa, *y = pb;

    if (x->rank != y->rank)
        return x->rank < y->rank ? -1 : 1;
    if (x->sim != y->sim)
        return x->sim < y->sim ? 1 : -1;
    if (x->n != y->n)
        return x->n < y->n ? -1 : 1;
    return (x->d > y->d) - (x->d < y->d);
}

/* Revival candidates of unlinked new passage n: threads at the link
 * bar that beat n's best descent (@p dsim).  A thread whose length and
 * shared words keep it under either bar (feat_dice_may_reach, exact) is
 * not compared. */
static int revive_cands(rcand **v, size_t *nv, const feat_index *x,
                        const lin_dormant *dm, const feat *q, size_t n,
                        double bar, double dsim)
{
    uint32_t c[FEAT_CAND_MAX], sh[FEAT_CAND_MAX];
    size_t nc, rep = feat_repeats(q);
    int rc = feat_index_query(c, sh, &nc, x, q);
    rcand *p;

    if (rc < 0 || nc == 0)
        return rc;
    if (!(p = realloc(*v, (*nv + nc) * sizeof(*p))))
        return error_oom();
    *v = p;
    for (size_t k = 0; k < nc; k++) {
        const feat *f = &dm->f[c[k]];
        double s;
        if (!feat_dice_may_reach(q, f, sh[k], rep, bar, 0) ||
            !feat_dice_may_reach(q, f, sh[k], rep, dsim, 1))
            continue;
        s = dice_of(feat_overlap_known(q, f, sh[k], rep), f, q);
        if (s >= bar && s > dsim)
            p[(*nv)++] = (rcand){dm->rank[c[k]], s, n, c[k]};
    }
    return 0;
}

/* Whether some new passage is still unlinked. */
static int any_unlinked(const lin_link *out, size_t b)
{
    for (size_t n = 0; n < b; n++)
        if (out[n].link == POSDIFF_LINK_NONE)
            return 1;
    return 0;
}

/* Revive dormant threads: most recent statement first, then strongest
 * first, 1:1 (see the file comment). */
static int revive(lin_link *out, unsigned char *dused, lin_dormant *dm,
                  const feat *nw, size_t b, const double *dsim, double bar)
{
    rcand *v = NULL;
    size_t nv = 0;
    feat_index x;
    int rc;

    for (size_t d = 0; d < dm->n; d++)
        dused[d] = 0;
    if (!any_unlinked(out, b))
        return 0; /* no index to build */
    if ((dm->load && (rc = dm->load(dm)) < 0) || (rc = feat_index_build(&x, dm->f, dm->n)) < 0)
        return rc;
    for (size_t n = 0; n < b && rc == 0; n++)
        if (out[n].link == POSDIFF_LINK_NONE)
            rc = revive_cands(&v, &nv, &x, dm, &nw[n], n, bar, dsim[n]);
    if (rc == 0 && nv)
        qsort(v, nv, sizeof(*v), cmp_rcand);
    for (size_t i = 0; i < nv && rc == 0; i++) {
        if (out[v[i].n].link != POSDIFF_LINK_NONE || dused[v[i].d])
            continue;
        dused[v[i].d] = 1;
        out[v[i].n] = (lin_link){POSDIFF_LINK_ONE, v[i].d, v[i].d, 0, v[i].sim,
                                 0, LIN_VIA_DORMANT};
    }
    feat_index_free(&x);
    free(v);
    return rc;
}

/* Unlinked passages descend from their most similar old passage. */
static void descend(lin_link *out, unsigned char *old_used, const size_t *best,
                    const double *sim, size_t b, double bar)
{
    for (size_t n = 0; n < b; n++) {
        if (out[n].link != POSDIFF_LINK_NONE || bar <= 0 || sim[n] < bar)
            continue;
        old_used[best[n]] = 1;
        out[n] = (lin_link){POSDIFF_LINK_ONE, best[n], best[n], 0, sim[n], 0,
                            LIN_VIA_DESCENT};
    }
}

int lineage_align_threads(lin_link *out, unsigned char *old_used,
                          const feat *old, size_t a, const feat *nw, size_t b,
                          lin_dormant *dorm, unsigned char *dorm_used,
                          const lin_queries *pre, const lin_params *p)
{
    size_t *best = malloc((b ? b : 1) * sizeof(*best));
    double *sim = malloc((b ? b : 1) * sizeof(*sim));
    feat_index x = FEAT_INDEX_INIT;
    query_cache qc = {NULL, NULL, NULL};
    int rc = (best && sim) ? 0 : error_oom();

    if (rc == 0 && pre)
        qc = *pre;
    else if (rc == 0 && (rc = qcache_init(&qc, b)) == 0)
        rc = feat_index_build(&x, old, a);
    if (rc == 0)
        rc = align_core(out, old_used, pre ? NULL : &x, old, a, nw, b, p, &qc);
    if (rc == 0)
        best_of(best, sim, &qc, old, nw, b, out); /* the same candidates */
    feat_index_free(&x);
    if (!pre)
        qcache_free(&qc);
    if (rc == 0 && dorm && dorm->n)
        rc = revive(out, dorm_used, dorm, nw, b, sim, p->link);
    if (rc == 0) {
        descend(out, old_used, best, sim, b, p->descent);
        rc = mark_moves(out, b);
    }
    free(best);
    free(sim);
    return rc;
}
