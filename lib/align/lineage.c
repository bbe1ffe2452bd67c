/*
 * lineage.c - which earlier passages each new passage restates.
 *
 * Candidates.  The old passages are indexed by word (candidates.h); each
 * new passage is compared (weights.h) with its CAND_MAX candidates among
 * the active passages, and among the dormant ones only when no active
 * passage is strongly linked to it (a revival must beat that link).
 *
 * Main predecessor.  A new passage descends from its most similar active
 * passage (the most recent statement stating the position) when that
 * reaches the weak bar, unless a dormant passage (stated earlier, then
 * not restated) is more similar by the margin: then it revives that one.
 * Equals go to an old passage no earlier new passage took.  Several new
 * passages may share a predecessor: a split.
 *
 * Sources.  An old passage that is no passage's main predecessor but
 * reaches the weak bar with some new passage is a further source of its
 * most similar one (a merge); the main predecessor comes first.
 *
 * Moves.  The new passages strongly linked to an active passage carry
 * its line; a longest nondecreasing run of them (patience sorting) kept
 * their order, the others moved.
 */
#include "lineage.h"

#include <stdlib.h>

#include "candidates.h"
#include "util/errors.h"

/* The compared pairs of one new passage: old passages and similarities. */
typedef struct {
    uint32_t old[2 * CAND_MAX];
    double sim[2 * CAND_MAX];
    size_t n;
} pairs;

/* The mass of old passage @p o, computed when first needed (om[o] < 0). */
static double old_mass(weights *w, const feat *old, double *om, size_t o)
{
    if (om[o] < 0)
        om[o] = feat_mass(w, &old[o]);
    return om[o];
}

/* Compare nw[n] with every one of old[base .. base + count) (few). */
static void compare_each(pairs *pr, weights *w, const feat *nw, const double *nm,
                         size_t n, const feat *old, double *om, size_t base,
                         size_t count)
{
    for (size_t o = base; o < base + count && pr->n < 2 * CAND_MAX; o++) {
        double sh = feat_shared(w, &nw[n], &old[o]);
        if (sh > 0) {
            pr->old[pr->n] = (uint32_t)o;
            pr->sim[pr->n++] = similarity_of(sh, nm[n], old_mass(w, old, om, o));
        }
    }
}

/* Compare nw[n] (for the n with need[n]) with the candidates among
 * old[base .. base + count): all of them when they are few, else those
 * the candidate index gives. */
static int compare_with(pairs *pr, weights *w, const feat *nw, const double *nm,
                        size_t b, const unsigned char *need, const feat *old,
                        double *om, size_t base, size_t count)
{
    const feat **items;
    cand_answer ans;
    cand_index x;
    int rc;

    if (count <= CAND_MAX) {
        for (size_t n = 0; n < b; n++)
            if (!need || need[n])
                compare_each(&pr[n], w, nw, nm, n, old, om, base, count);
        return 0;
    }
    if (!(items = malloc(count * sizeof(*items))))
        return error_oom();
    for (size_t o = 0; o < count; o++)
        items[o] = &old[base + o];
    rc = cand_index_build(&x, items, count);
    free(items);
    for (size_t n = 0; n < b && rc == 0; n++) {
        if (need && !need[n])
            continue;
        if ((rc = cand_query(&ans, &x, w, &nw[n], CAND_LINEAGE_BUDGET,
                                 (uint32_t)((double)n * (double)count / (double)b))) < 0)
            break;
        for (size_t k = 0; k < ans.n; k++) {
            size_t o = base + ans.item[k];
            double sh = ans.exact ? ans.shared[k] : feat_shared(w, &nw[n], &old[o]);
            pr[n].old[pr[n].n] = (uint32_t)o;
            pr[n].sim[pr[n].n++] = similarity_of(sh, nm[n], old_mass(w, old, om, o));
        }
    }
    cand_index_free(&x);
    return rc;
}

/* Best of the pairs in [lo, hi) of the old indexes: sets *best, *sim. */
static void best_in(const pairs *pr, size_t lo, size_t hi, long *best, double *sim)
{
    *best = -1;
    *sim = -1;
    for (size_t k = 0; k < pr->n; k++) {
        size_t o = pr->old[k];
        if (o < lo || o >= hi)
            continue;
        if (pr->sim[k] > *sim || (pr->sim[k] == *sim && (long)o < *best)) {
            *best = (long)o;
            *sim = pr->sim[k];
        }
    }
}

/* All pairs: the active passages for every new passage, the dormant ones
 * only for those without a strong active link (a revival must beat it). */
static int compare_all(pairs *pr, weights *w, const feat *nw, const double *nm,
                       size_t b, const feat *old, double *om, size_t a,
                       size_t d, double strong)
{
    unsigned char *need = calloc(b ? b : 1, 1);
    size_t needed = 0;
    int rc = need ? compare_with(pr, w, nw, nm, b, NULL, old, om, 0, a) : error_oom();

    for (size_t n = 0; n < b && rc == 0 && d; n++) {
        long best;
        double sim;
        best_in(&pr[n], 0, a, &best, &sim);
        need[n] = sim < strong;
        needed += need[n];
    }
    if (rc == 0 && needed)
        rc = compare_with(pr, w, nw, nm, b, need, old, om, a, d);
    free(need);
    return rc;
}

/* The best old passage of pairs @p pr in [lo, hi): the most similar;
 * among equals, one no earlier passage took (@p taken), then the first. */
static void best_free(const pairs *pr, size_t lo, size_t hi, const unsigned char *taken,
                      long *best, double *sim)
{
    *best = -1;
    *sim = -1;
    for (size_t k = 0; k < pr->n; k++) {
        long o = (long)pr->old[k];
        if ((size_t)o < lo || (size_t)o >= hi)
            continue;
        if (pr->sim[k] > *sim ||
            (pr->sim[k] == *sim && (taken[*best] > taken[o] ||
                                    (taken[*best] == taken[o] && o < *best)))) {
            *best = o;
            *sim = pr->sim[k];
        }
    }
}

/* Each new passage, in order, descends from its most similar active
 * passage at the weak bar, or revives a dormant one more similar by the
 * margin; equals go to an old passage not taken yet (two copies of a
 * sentence find two copies). */
static int main_links(lin_link *l, const pairs *pr, size_t b, size_t a, size_t na,
                      const lin_params *p)
{
    unsigned char *taken = calloc(na + 1, 1);

    if (!taken)
        return error_oom();
    for (size_t n = 0; n < b; n++) {
        long ba, bd;
        double sa, sd;
        best_free(&pr[n], 0, a, taken, &ba, &sa);
        best_free(&pr[n], a, na, taken, &bd, &sd);
        l[n] = (lin_link){-1, 0, 0, 0, 0, 0};
        if (bd >= 0 && sd >= p->weak && sd > sa + p->margin)
            l[n].prev = bd, l[n].sim = sd;
        else if (ba >= 0 && sa >= p->weak)
            l[n].prev = ba, l[n].sim = sa;
        if (l[n].prev >= 0)
            taken[l[n].prev] = 1;
    }
    free(taken);
    return 0;
}

static int push_source(lineage *out, size_t *cap, size_t old, double sim)
{
    if (array_grow(&out->src, cap, out->nsrc, sizeof(*out->src), 16) < 0)
        return POSDIFF_ENOMEM;
    out->src[out->nsrc++] = (lin_source){old, sim};
    return 0;
}

/* For every old passage that is no main predecessor: the new passage most
 * similar to it, when at the weak bar (to[o], else -1), in one pass. */
static void best_new(long *to, double *ts, const lineage *out, const pairs *pr,
                     size_t b, size_t na, double weak)
{
    for (size_t o = 0; o < na; o++)
        to[o] = -1, ts[o] = -1;
    for (size_t n = 0; n < b; n++)
        for (size_t k = 0; k < pr[n].n; k++) {
            size_t o = pr[n].old[k];
            if (!out->succ[o] && pr[n].sim[k] >= weak && pr[n].sim[k] > ts[o])
                to[o] = (long)n, ts[o] = pr[n].sim[k];
        }
}

/* Sources of every new passage (file comment), grouped per passage. */
static int sources(lineage *out, const pairs *pr, size_t b, size_t na,
                   const lin_params *p)
{
    long *to = malloc((na ? na : 1) * sizeof(*to));
    double *ts = malloc((na ? na : 1) * sizeof(*ts));
    size_t *first = calloc(b + 1, sizeof(*first)), *order = malloc((na ? na : 1) * sizeof(*order));
    size_t cap = 0;
    int rc = to && ts && first && order ? 0 : error_oom();

    for (size_t n = 0; n < b && rc == 0; n++) {
        const lin_link *l = &out->link[n];
        if (l->prev >= 0 && out->succ[l->prev] < LIN_STRONG)
            out->succ[l->prev] = l->sim >= p->strong ? LIN_STRONG : LIN_MAIN;
    }
    if (rc == 0)
        best_new(to, ts, out, pr, b, na, p->weak);
    for (size_t o = 0; o < na && rc == 0; o++) /* counting sort of o by to[o] */
        if (to[o] >= 0)
            first[to[o] + 1]++, out->succ[o] = LIN_SOURCE;
    for (size_t n = 0; n < b && rc == 0; n++)
        first[n + 1] += first[n];
    for (size_t o = 0; o < na && rc == 0; o++)
        if (to[o] >= 0)
            order[first[to[o]]++] = o;
    for (size_t n = 0, at = 0; n < b && rc == 0; n++) {
        lin_link *l = &out->link[n];
        l->src = out->nsrc;
        if (l->prev >= 0)
            rc = push_source(out, &cap, (size_t)l->prev, l->sim);
        for (; rc == 0 && at < first[n]; at++)
            rc = push_source(out, &cap, order[at], ts[order[at]]);
        l->nsrc = out->nsrc - l->src;
    }
    free(to), free(ts), free(first), free(order);
    return rc;
}

/* Strong links to active passages outside a longest nondecreasing run of
 * their predecessors' lines are moved (patience sorting). */
static int mark_moves(lin_link *l, size_t b, size_t a, double strong)
{
    size_t *idx = malloc((b + 1) * sizeof(*idx)), *tail = malloc((b + 1) * sizeof(*tail));
    size_t *prev = malloc((b + 1) * sizeof(*prev)), k = 0, len = 0;

    if (!idx || !tail || !prev) {
        free(idx), free(tail), free(prev);
        return error_oom();
    }
    for (size_t n = 0; n < b; n++)
        if (l[n].prev >= 0 && (size_t)l[n].prev < a && l[n].sim >= strong) {
            l[n].moved = 1;
            idx[k++] = n;
        }
    for (size_t i = 0; i < k; i++) {
        size_t lo = 0, hi = len;
        while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            if (l[idx[tail[mid]]].prev <= l[idx[i]].prev)
                lo = mid + 1;
            else
                hi = mid;
        }
        prev[i] = lo ? tail[lo - 1] : SIZE_MAX;
        tail[lo] = i;
        len += lo == len;
    }
    for (size_t i = len ? tail[len - 1] : SIZE_MAX; i != SIZE_MAX; i = prev[i])
        l[idx[i]].moved = 0;
    free(idx), free(tail), free(prev);
    return 0;
}

/* Passages sharing their main predecessor with another are parts of a
 * split (out->succ counts them first, then sources() resets it). */
static void mark_splits(lin_link *l, size_t b, unsigned char *cnt)
{
    for (size_t n = 0; n < b; n++)
        if (l[n].prev >= 0 && cnt[l[n].prev] < 2)
            cnt[l[n].prev]++;
    for (size_t n = 0; n < b; n++)
        l[n].split = l[n].prev >= 0 && cnt[l[n].prev] == 2;
    for (size_t n = 0; n < b; n++)
        if (l[n].prev >= 0)
            cnt[l[n].prev] = 0;
}

/* An analyst's decisions replace the similarity of their pairs: 1 for
 * the same point (added when the candidates missed it), none for not. */
static void override(pairs *pr, const lin_override *ov, size_t nov)
{
    for (size_t i = 0; i < nov; i++) {
        pairs *q = &pr[ov[i].n];
        size_t k = 0;
        while (k < q->n && q->old[k] != ov[i].old)
            k++;
        if (k == q->n && ov[i].same && q->n < 2 * CAND_MAX)
            q->old[q->n++] = (uint32_t)ov[i].old;
        else if (k == q->n && ov[i].same) /* full: over the last pair */
            q->old[--k] = (uint32_t)ov[i].old;
        if (k < q->n)
            q->sim[k] = ov[i].same ? 1.0 : -1.0;
    }
}

int lineage_align(lineage *out, weights *w, const feat *nw, const double *nm,
                  size_t b, const feat *old, double *om, size_t a, size_t d,
                  const lin_params *p, const lin_override *ov, size_t nov)
{
    pairs *pr = calloc(b ? b : 1, sizeof(*pr));
    int rc;

    out->nsrc = 0;
    out->src = NULL;
    out->link = calloc(b ? b : 1, sizeof(*out->link));
    out->succ = calloc(a + d + 1, 1);
    if (!pr || !out->link || !out->succ) {
        free(pr);
        lineage_free(out);
        return error_oom();
    }
    rc = compare_all(pr, w, nw, nm, b, old, om, a, d, p->strong);
    if (rc == 0)
        override(pr, ov, nov);
    if (rc == 0)
        rc = main_links(out->link, pr, b, a, a + d, p);
    if (rc == 0) {
        mark_splits(out->link, b, out->succ);
        rc = sources(out, pr, b, a + d, p);
    }
    if (rc == 0)
        rc = mark_moves(out->link, b, a, p->strong);
    free(pr);
    if (rc < 0)
        lineage_free(out);
    return rc;
}

void lineage_free(lineage *l)
{
    free(l->link);
    free(l->src);
    free(l->succ);
    l->link = NULL;
    l->src = NULL;
    l->succ = NULL;
    l->nsrc = 0;
}
