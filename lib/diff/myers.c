/*
 * myers.c - bounded-cost diff of two integer sequences.
 *
 * Myers' O(ND) algorithm in its linear-space form (middle snakes,
 * divide and conquer), with git xdiff's diagonal bookkeeping
 * (xdl_split) and its discarding of elements the other side lacks
 * (xdl_cleanup_records).  Cost is bounded: a search gives up past
 * max_cost edits (default max(1024, 4 * sqrt(n + m))), and the whole
 * diff has a work budget of 32 * (n + m) + 4M steps.  A range whose
 * search gave up falls back to patience anchoring on elements unique in
 * both sides (git's xpatience.c), else xdiff's split at the furthest
 * point reached, and once the budget is spent (or past MAX_DEPTH) to one
 * deletion plus one insertion: the documented coarse result.
 */
#include "myers.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/errors.h"

#define COST_MIN 1024
#define WORK_PER_ELEM 32
#define WORK_MIN ((size_t)1 << 22)
#define MAX_DEPTH 256

typedef struct {
    const uint32_t *a, *b; /* the sequences */
    char *del, *ins;       /* output flags */
    ptrdiff_t *kvd;        /* the allocation behind kvdf and kvdb */
    ptrdiff_t *kvdf;       /* forward: furthest i reached per diagonal */
    ptrdiff_t *kvdb;       /* backward: smallest i reached per diagonal */
    ptrdiff_t ec_max;      /* edits per direction in one search */
    size_t work, budget;   /* units spent / allowed */
    uint32_t *cnt_a, *cnt_b; /* patience: occurrences of an id in the range */
    ptrdiff_t *pos_b;      /* patience: position of the id in b */
    uint32_t *stamp, gen;  /* patience: lazy reset of the arrays above */
    uint32_t nids;         /* ids are < nids */
} ctx;

typedef struct {
    ptrdiff_t off1, lim1; /* a[off1..lim1) */
    ptrdiff_t off2, lim2; /* b[off2..lim2) */
} range;

typedef struct {
    ptrdiff_t dmin, dmax; /* diagonals of the range */
    ptrdiff_t fmin, fmax; /* forward frontier */
    ptrdiff_t bmin, bmax; /* backward frontier */
    int odd;              /* delta n - m is odd: check overlap forward */
} snake_state;

static size_t isqrt(size_t x)
{
    size_t r = 0, bit = (size_t)1 << (sizeof(size_t) * 8 - 2);

    while (bit > x)
        bit >>= 2;
    while (bit) {
        if (x >= r + bit) {
            x -= r + bit;
            r = (r >> 1) + bit;
        } else {
            r >>= 1;
        }
        bit >>= 2;
    }
    return r;
}

size_t myers_default_cost(size_t n, size_t m)
{
    size_t c = 4 * isqrt(n + m);
    return c > COST_MIN ? c : COST_MIN;
}

static void mark_all(ctx *c, const range *r)
{
    for (ptrdiff_t i = r->off1; i < r->lim1; i++)
        c->del[i] = 1;
    for (ptrdiff_t j = r->off2; j < r->lim2; j++)
        c->ins[j] = 1;
}

/* One forward edit; 1 if the frontiers met (split point in *si, *sj). */
static int forward(ctx *c, const range *r, snake_state *s, ptrdiff_t *si,
                   ptrdiff_t *sj)
{
    ptrdiff_t *kf = c->kvdf, d, i1, i2, i0;

    if (s->fmin > s->dmin)
        kf[--s->fmin - 1] = -1;
    else
        ++s->fmin;
    if (s->fmax < s->dmax)
        kf[++s->fmax + 1] = -1;
    else
        --s->fmax;
    for (d = s->fmax; d >= s->fmin; d -= 2) {
        i1 = kf[d - 1] >= kf[d + 1] ? kf[d - 1] + 1 : kf[d + 1];
        i0 = i1;
        i2 = i1 - d;
        while (i1 < r->lim1 && i2 < r->lim2 && c->a[i1] == c->b[i2])
            i1++, i2++;
        c->work += 1 + (size_t)(i1 - i0);
        kf[d] = i1;
        if (s->odd && s->bmin <= d && d <= s->bmax && c->kvdb[d] <= i1) {
            *si = i1;
            *sj = i2;
            return 1;
        }
    }
    return 0;
}

/* One backward edit; 1 if the frontiers met. */
static int backward(ctx *c, const range *r, snake_state *s, ptrdiff_t *si,
                    ptrdiff_t *sj)
{
    ptrdiff_t *kb = c->kvdb, d, i1, i2, i0;

    if (s->bmin > s->dmin)
        kb[--s->bmin - 1] = PTRDIFF_MAX;
    else
        ++s->bmin;
    if (s->bmax < s->dmax)
        kb[++s->bmax + 1] = PTRDIFF_MAX;
    else
        --s->bmax;
    for (d = s->bmax; d >= s->bmin; d -= 2) {
        i1 = kb[d - 1] < kb[d + 1] ? kb[d - 1] : kb[d + 1] - 1;
        i0 = i1;
        i2 = i1 - d;
        while (i1 > r->off1 && i2 > r->off2 && c->a[i1 - 1] == c->b[i2 - 1])
            i1--, i2--;
        c->work += 1 + (size_t)(i0 - i1);
        kb[d] = i1;
        if (!s->odd && s->fmin <= d && d <= s->fmax && i1 <= c->kvdf[d]) {
            *si = i1;
            *sj = i2;
            return 1;
        }
    }
    return 0;
}

/* Furthest-reaching point of the frontiers, as xdiff does past its
 * cost limit: the forward point maximizing i + j or the backward point
 * minimizing it, whichever got further from its corner.  0 if none is
 * strictly inside the range. */
static int best_point(const ctx *c, const range *r, const snake_state *s,
                      ptrdiff_t *si, ptrdiff_t *sj)
{
    ptrdiff_t d, i, j, best = 0, gain;

    for (d = s->fmax; d >= s->fmin; d -= 2) {
        i = c->kvdf[d];
        j = i - d;
        gain = i + j - r->off1 - r->off2;
        if (i <= r->lim1 && j <= r->lim2 && j >= r->off2 && gain > best)
            best = gain, *si = i, *sj = j;
    }
    for (d = s->bmax; d >= s->bmin; d -= 2) {
        i = c->kvdb[d];
        j = i - d;
        gain = r->lim1 + r->lim2 - i - j;
        if (i >= r->off1 && j >= r->off2 && j <= r->lim2 && gain > best)
            best = gain, *si = i, *sj = j;
    }
    return best > 0 && best < (r->lim1 - r->off1) + (r->lim2 - r->off2);
}

/* Middle snake of a trimmed, non-empty range.  SPLIT_EXACT: (*si, *sj)
 * lies on a shortest path; SPLIT_GUESS: the cost limit was hit and
 * (*si, *sj) is the furthest point reached; SPLIT_NONE: budget spent. */
enum { SPLIT_NONE, SPLIT_EXACT, SPLIT_GUESS };

static int split(ctx *c, const range *r, ptrdiff_t *si, ptrdiff_t *sj)
{
    ptrdiff_t fmid = r->off1 - r->off2, bmid = r->lim1 - r->lim2;
    snake_state s = {r->off1 - r->lim2, r->lim1 - r->off2, fmid, fmid,
                     bmid, bmid, (int)((fmid - bmid) & 1)};

    c->kvdf[fmid] = r->off1;
    c->kvdb[bmid] = r->lim1;
    for (ptrdiff_t ec = 1; ec <= c->ec_max && c->work < c->budget; ec++) {
        if (forward(c, r, &s, si, sj) || backward(c, r, &s, si, sj))
            return SPLIT_EXACT;
    }
    if (c->work < c->budget && best_point(c, r, &s, si, sj))
        return SPLIT_GUESS;
    return SPLIT_NONE;
}

static int diff_range(ctx *c, range r, int depth);

/* Count ids of the range (lazily reset by generation stamp). */
static void count_range(ctx *c, const range *r)
{
    uint32_t id;

    if (++c->gen == 0) {
        for (uint32_t i = 0; i < c->nids; i++)
            c->stamp[i] = 0;
        c->gen = 1;
    }
    for (ptrdiff_t i = r->off1; i < r->lim1; i++) {
        id = c->a[i];
        if (c->stamp[id] != c->gen) {
            c->stamp[id] = c->gen;
            c->cnt_a[id] = c->cnt_b[id] = 0;
        }
        c->cnt_a[id]++;
    }
    for (ptrdiff_t j = r->off2; j < r->lim2; j++) {
        id = c->b[j];
        if (c->stamp[id] == c->gen) {
            c->cnt_b[id]++;
            c->pos_b[id] = j;
        }
    }
    c->work += (size_t)(r->lim1 - r->off1 + r->lim2 - r->off2);
}

static int unique_both(const ctx *c, ptrdiff_t i)
{
    uint32_t id = c->a[i];
    return c->cnt_a[id] == 1 && c->cnt_b[id] == 1;
}

/* Longest increasing subsequence of aj[0..k); its indices, in order,
 * go to chain[0..len).  prev[] is scratch.  Returns len. */
static ptrdiff_t lis(const ptrdiff_t *aj, ptrdiff_t k, ptrdiff_t *chain,
                     ptrdiff_t *prev)
{
    ptrdiff_t len = 0, lo, hi, mid, t;

    for (ptrdiff_t x = 0; x < k; x++) {
        lo = 0;
        hi = len;
        while (lo < hi) {
            mid = lo + (hi - lo) / 2;
            if (aj[chain[mid]] < aj[x])
                lo = mid + 1;
            else
                hi = mid;
        }
        prev[x] = lo > 0 ? chain[lo - 1] : -1;
        chain[lo] = x;
        if (lo == len)
            len++;
    }
    t = len > 0 ? chain[len - 1] : -1;
    for (ptrdiff_t p = len - 1; p >= 0; p--, t = prev[t])
        chain[p] = t;
    return len;
}

/* Diff the gaps between the anchors ai[chain[]], aj[chain[]]. */
static int diff_gaps(ctx *c, const range *r, const ptrdiff_t *ai,
                     const ptrdiff_t *aj, const ptrdiff_t *chain,
                     ptrdiff_t len, int depth)
{
    range g = {r->off1, r->lim1, r->off2, r->lim2};
    int err;

    for (ptrdiff_t p = 0; p <= len; p++) {
        g.lim1 = p < len ? ai[chain[p]] : r->lim1;
        g.lim2 = p < len ? aj[chain[p]] : r->lim2;
        if ((err = diff_range(c, g, depth)) < 0)
            return err;
        g.off1 = g.lim1 + 1;
        g.off2 = g.lim2 + 1;
    }
    return 0;
}

/* Diff the two parts of r on either side of point (si, sj). */
static int diff_halves(ctx *c, const range *r, ptrdiff_t si, ptrdiff_t sj,
                       int depth)
{
    range lo = {r->off1, si, r->off2, sj}, hi = {si, r->lim1, sj, r->lim2};
    int err = diff_range(c, lo, depth);
    return err < 0 ? err : diff_range(c, hi, depth);
}

/* Fallback: anchor on ids unique in both sides, recurse between them;
 * without anchors, split at the guessed point if there is one. */
static int patience(ctx *c, const range *r, const ptrdiff_t *guess, int depth)
{
    ptrdiff_t k = 0, x = 0, len, *ai, *aj, *chain, *prev;
    int err;

    count_range(c, r);
    for (ptrdiff_t i = r->off1; i < r->lim1; i++)
        k += unique_both(c, i);
    if (k == 0 && guess)
        return diff_halves(c, r, guess[0], guess[1], depth);
    if (k == 0) {
        mark_all(c, r);
        return 0;
    }
    if (!(ai = malloc(4 * (size_t)k * sizeof(*ai))))
        return error_oom();
    aj = ai + k;
    chain = aj + k;
    prev = chain + k;
    for (ptrdiff_t i = r->off1; i < r->lim1; i++) {
        if (unique_both(c, i)) {
            ai[x] = i;
            aj[x++] = c->pos_b[c->a[i]];
        }
    }
    len = lis(aj, k, chain, prev);
    c->work += (size_t)k;
    err = diff_gaps(c, r, ai, aj, chain, len, depth);
    free(ai);
    return err;
}

static int diff_range(ctx *c, range r, int depth)
{
    ptrdiff_t pt[2], o1 = r.off1;
    int how;

    while (r.off1 < r.lim1 && r.off2 < r.lim2 && c->a[r.off1] == c->b[r.off2])
        r.off1++, r.off2++;
    while (r.off1 < r.lim1 && r.off2 < r.lim2 &&
           c->a[r.lim1 - 1] == c->b[r.lim2 - 1])
        r.lim1--, r.lim2--;
    c->work += (size_t)(r.off1 - o1);
    if (r.off1 == r.lim1 || r.off2 == r.lim2 || depth > MAX_DEPTH ||
        c->work >= c->budget) {
        mark_all(c, &r);
        return 0;
    }
    how = split(c, &r, &pt[0], &pt[1]);
    if (how == SPLIT_EXACT)
        return diff_halves(c, &r, pt[0], pt[1], depth + 1);
    return patience(c, &r, how == SPLIT_GUESS ? pt : NULL, depth + 1);
}

static int ctx_init(ctx *c, size_t n, size_t m, uint32_t nids)
{
    size_t diags = n + m + 3;

    c->kvd = malloc(2 * diags * sizeof(ptrdiff_t));
    c->pos_b = malloc((size_t)nids * sizeof(ptrdiff_t) + 1);
    c->cnt_a = calloc(3 * (size_t)nids + 1, sizeof(uint32_t));
    if (!c->kvd || !c->pos_b || !c->cnt_a)
        return error_oom();
    c->kvdf = c->kvd + m + 1;
    c->kvdb = c->kvd + diags + m + 1;
    c->nids = nids;
    c->cnt_b = c->cnt_a + nids;
    c->stamp = c->cnt_b + nids;
    c->gen = 0;
    return 0;
}

/* The elements of a and b that occur in the other sequence: only they
 * can match, so the diff runs on them alone (as xdiff's
 * xdl_cleanup_records); this keeps the LCS and so the minimal script. */
typedef struct {
    uint32_t *ra, *rb;    /* kept ids */
    size_t *map_a, *map_b; /* kept element -> index in a / b */
    char *rdel, *rins;    /* flags of the kept elements */
    size_t rn, rm;        /* kept counts */
} reduced;

/* seen_a/seen_b: nids zeroed flags each (the ctx's patience counters). */
static int reduce(reduced *rd, const uint32_t *a, size_t n, const uint32_t *b,
                  size_t m, uint32_t *seen_a, uint32_t *seen_b)
{
    char *blk = malloc((n + m) * (sizeof(uint32_t) + sizeof(size_t) + 1) + 1);

    if (!blk)
        return error_oom();
    rd->map_a = (size_t *)blk;
    rd->map_b = rd->map_a + n;
    rd->ra = (uint32_t *)(rd->map_b + m);
    rd->rb = rd->ra + n;
    rd->rdel = (char *)(rd->rb + m);
    rd->rins = rd->rdel + n;
    memset(rd->rdel, 0, n + m);
    for (size_t i = 0; i < n; i++)
        seen_a[a[i]] = 1;
    for (size_t j = 0; j < m; j++)
        seen_b[b[j]] = 1;
    rd->rn = rd->rm = 0;
    for (size_t i = 0; i < n; i++)
        if (seen_b[a[i]])
            rd->map_a[rd->rn] = i, rd->ra[rd->rn++] = a[i];
    for (size_t j = 0; j < m; j++)
        if (seen_a[b[j]])
            rd->map_b[rd->rm] = j, rd->rb[rd->rm++] = b[j];
    return 0;
}

/* Flags of the full sequences: dropped elements are always changed. */
static void expand(const reduced *rd, char *del, size_t n, char *ins,
                   size_t m)
{
    memset(del, 1, n);
    memset(ins, 1, m);
    for (size_t k = 0; k < rd->rn; k++)
        del[rd->map_a[k]] = rd->rdel[k];
    for (size_t k = 0; k < rd->rm; k++)
        ins[rd->map_b[k]] = rd->rins[k];
}

int myers_diff(const uint32_t *a, size_t n, const uint32_t *b, size_t m,
               uint32_t nids, size_t max_cost, char *del, char *ins)
{
    ctx c = {0};
    reduced rd = {0};
    int err;

    if (max_cost == 0)
        max_cost = myers_default_cost(n, m);
    c.ec_max = (ptrdiff_t)(max_cost / 2 + 1);
    c.budget = WORK_PER_ELEM * (n + m) + WORK_MIN;
    err = ctx_init(&c, n, m, nids);
    if (err == 0)
        err = reduce(&rd, a, n, b, m, c.cnt_a, c.cnt_b);
    if (err == 0) {
        range r = {0, (ptrdiff_t)rd.rn, 0, (ptrdiff_t)rd.rm};
        c.a = rd.ra, c.b = rd.rb, c.del = rd.rdel, c.ins = rd.rins;
        err = diff_range(&c, r, 0);
        expand(&rd, del, n, ins, m);
    }
    free(rd.map_a);
    free(c.kvd);
    free(c.pos_b);
    free(c.cnt_a);
    return err;
}
