/*
 * featindex.c - candidate search over passage features (feat_index,
 * passages.h), and the integer sorts the features need.
 *
 * Index.  The postings (word id << 32 | item) of every item's distinct
 * words, ascending.  They are generated item by item (items ascending,
 * each item's ids ascending, repeats skipped), so a stable sort on the
 * word id alone sorts them fully: an LSD radix sort over the bytes the
 * largest id uses (insertion sort for a few postings).  Unless the ids
 * are sparse (max id above TABLE_SLACK + 4 per posting) a table gives
 * each word's first posting, and then a counting sort on the id sorts
 * in one pass and leaves that table as its prefix sums; otherwise a
 * query finds the lists by galloping search.  The table costs O(max id) once, a galloping search two
 * binary searches per query word: on the aligner's small indexes (a few
 * hundred postings, a vocabulary of thousands, a query per sentence)
 * the table is much the cheaper.
 *
 * Query.  On ordinary input the answer is the tally (passages.c,
 * "Candidates"): count per item the distinct words of q it shares (the
 * postings of q's words), keep the FEAT_CAND_MAX items sharing most
 * (ties: the lower item), return them ascending with their counts.
 * While the lists of q's words total at most FEAT_VISIT_BUDGET postings,
 * two ways compute exactly that answer:
 *
 *   counting  per-item counters (index scratch, zero between queries)
 *             and the list of items touched, then a histogram of the
 *             counts to find the cut count c*: every item above it, and
 *             the lowest items at c* (a bounded max-heap).  O(postings
 *             + FEAT_CAND_MAX log FEAT_CAND_MAX).  For short lists.
 *   walk      for long lists (more than MERGE_MIN_AVG a word on
 *             average).  The rare lists (the rarest, each at most half
 *             the longest, RARE_MAX postings in all) are tallied as
 *             above; the other lists are walked together in item order
 *             (document at a time), each item offered with its walked
 *             count plus its tally, the best FEAT_CAND_MAX kept.  The
 *             walk stops once FEAT_CAND_MAX items are held whose counts
 *             reach the number of walked lists not yet exhausted: a later
 *             item that is not tallied has a higher id and at most that
 *             count, so it cannot displace any.  Then the tallied items
 *             the walk did not reach are offered with their exact counts
 *             (each walked list searched forward, galloping, from where
 *             the walk stopped).  On many near-identical passages (long
 *             lists all alike, plus the rare words that tell them apart)
 *             this reads about FEAT_CAND_MAX items per list instead of
 *             whole lists.
 *
 * Both give the items of the tally, so the choice is only a matter of
 * speed (tests: a brute-force tally on random indexes).
 *
 * Bounded cost.  Beyond FEAT_VISIT_BUDGET postings (adversarial input:
 * thousands of near-identical passages in one position) the query is
 * the walk with a budget: it also stops after WALK_BUDGET cursor
 * inspections, and tallies at most RARE_MAX_OVER postings (which lists
 * are tallied and which walked changes only the speed of an exact walk,
 * but over budget it bounds the galloping searches below).  The answer
 * is then the best among the items walked so far (the lowest ids) and
 * the tallied ones, each with its exact count; exact whenever the walk
 * stops by itself (the usual case there: the common lists agree from the
 * first items on).  Cost: at most RARE_MAX_OVER postings tallied,
 * WALK_BUDGET inspections, and for each tallied item one galloping
 * search per walked list, whatever the number of items (a position whose
 * phrase matches all of 4 000 sentences: 2.1x the time of 2 000, was
 * 2.8x with RARE_MAX there).
 * (It was a budgeted tally, reading FEAT_VISIT_BUDGET postings rarest
 * first for every query: 4096 postings a query on 100 000 near-identical
 * sentences, against ~32 a walked list now.)
 */
#include <stdlib.h>
#include <string.h>

#include "util/errors.h"
#include "passages.h"

#define FEAT_VISIT_BUDGET 4096
#define MERGE_MIN_AVG 64 /* walk when lists average more postings than this */
#define RARE_MAX (FEAT_VISIT_BUDGET / 2) /* postings a walk may tally */
#define RARE_MAX_OVER 256 /* the same, over budget */
#define WALK_BUDGET (4 * FEAT_VISIT_BUDGET) /* cursor inspections, over budget */
#define TABLE_SLACK 4096 /* first-posting table: ids allowed besides 4 per posting */

/* ---- sorts ---- */

static void insertion_u32(uint32_t *v, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        uint32_t x = v[i];
        size_t j = i;
        for (; j > 0 && v[j - 1] > x; j--)
            v[j] = v[j - 1];
        v[j] = x;
    }
}

static void insertion_u64(uint64_t *v, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        uint64_t x = v[i];
        size_t j = i;
        for (; j > 0 && v[j - 1] > x; j--)
            v[j] = v[j - 1];
        v[j] = x;
    }
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

void feat_sort_ids(uint32_t *v, size_t n)
{
    if (n <= 64)
        insertion_u32(v, n);
    else
        qsort(v, n, sizeof(*v), cmp_u32);
}

/* Stable LSD radix sort of v[0..n) on bits 32.. (the word id); tmp has
 * room for n.  The result is in v. */
static void radix_by_id(uint64_t *v, uint64_t *tmp, size_t n, uint32_t max_id)
{
    size_t cnt[256];

    for (unsigned shift = 32; shift < 64 && (max_id >> (shift - 32)) != 0;
         shift += 8) {
        size_t sum = 0;
        memset(cnt, 0, sizeof(cnt));
        for (size_t i = 0; i < n; i++)
            cnt[(v[i] >> shift) & 0xff]++;
        for (size_t b = 0; b < 256; b++) {
            size_t c = cnt[b];
            cnt[b] = sum;
            sum += c;
        }
        for (size_t i = 0; i < n; i++)
            tmp[cnt[(v[i] >> shift) & 0xff]++] = v[i];
        memcpy(v, tmp, n * sizeof(*v));
    }
}

/* ---- index ---- */

/* Whether the ids are dense enough for x->first to be cheap (and the
 * postings are counted in 32 bits). */
static int table_pays(const feat_index *x)
{
    return (size_t)x->max_id <= TABLE_SLACK + 4 * x->n && x->n < UINT32_MAX;
}

/* x->first of the sorted postings (tiny indexes, sorted by insertion). */
static int first_table(feat_index *x)
{
    size_t at = 0;

    if (!table_pays(x))
        return 0;
    if (!(x->first = malloc(((size_t)x->max_id + 2) * sizeof(*x->first)))) {
        feat_index_free(x);
        return error_oom();
    }
    for (size_t id = 0; id <= (size_t)x->max_id + 1; id++) {
        while (at < x->n && (x->post[at] >> 32) < id)
            at++;
        x->first[id] = (uint32_t)at;
    }
    return 0;
}

/*
 * Sort the postings by word id with a counting sort whose prefix sums
 * are the first-posting table: one pass to count, one to place (stable:
 * items stay ascending within a word).  Into @p tmp, which becomes
 * x->post.
 */
static int counting_sort(feat_index *x, uint64_t *tmp)
{
    size_t m = (size_t)x->max_id + 2;
    uint32_t *first = calloc(m, sizeof(*first));

    if (!first)
        return error_oom();
    for (size_t i = 0; i < x->n; i++)
        first[(x->post[i] >> 32) + 1]++;
    for (size_t id = 1; id < m; id++)
        first[id] += first[id - 1]; /* first[id]: postings of smaller ids */
    for (size_t i = 0; i < x->n; i++)
        tmp[first[x->post[i] >> 32]++] = x->post[i];
    memmove(first + 1, first, (m - 1) * sizeof(*first)); /* back to starts */
    first[0] = 0;
    free(x->post);
    x->post = tmp;
    x->first = first;
    return 0;
}

int feat_index_build(feat_index *x, const feat *items, size_t count)
{
    size_t total = 0;
    uint32_t max_id = 0;
    uint64_t *tmp;

    *x = (feat_index)FEAT_INDEX_INIT;
    for (size_t i = 0; i < count; i++)
        total += items[i].n;
    if (total == 0)
        return 0;
    x->post = malloc(total * sizeof(*x->post));
    x->cnt = calloc(count, sizeof(*x->cnt));
    x->touched = malloc(count * sizeof(*x->touched));
    x->mark = calloc((count + 63) / 64, sizeof(*x->mark));
    if (!x->post || !x->cnt || !x->touched || !x->mark) {
        feat_index_free(x);
        return error_oom();
    }
    x->nitems = count;
    for (size_t i = 0; i < count; i++)
        for (size_t k = 0; k < items[i].n; k++) {
            uint32_t id = items[i].ids[k];
            if (k > 0 && items[i].ids[k - 1] == id)
                continue; /* a repeated word posts once */
            x->post[x->n++] = ((uint64_t)id << 32) | i;
            max_id = id > max_id ? id : max_id;
        }
    x->max_id = max_id;
    if (x->n <= 32) {
        insertion_u64(x->post, x->n);
        return first_table(x);
    }
    if (!(tmp = malloc(x->n * sizeof(*tmp)))) {
        feat_index_free(x);
        return error_oom();
    }
    if (table_pays(x)) {
        if (counting_sort(x, tmp) < 0) {
            free(tmp);
            feat_index_free(x);
            return POSDIFF_ENOMEM;
        }
        return 0;
    }
    radix_by_id(x->post, tmp, x->n, max_id);
    free(tmp);
    return 0;
}

void feat_index_free(feat_index *x)
{
    free(x->post);
    free(x->cnt);
    free(x->touched);
    free(x->mark);
    free(x->first);
    *x = (feat_index)FEAT_INDEX_INIT;
}

/* First posting >= key at or after @p from (galloping: the query's
 * words come in ascending order, so each search starts where the last
 * one ended). */
static size_t lower_bound(const feat_index *x, size_t from, uint64_t key)
{
    size_t lo = from, hi = x->n, step = 1;

    while (lo + step < x->n && x->post[lo + step] < key) {
        lo += step + 1;
        step *= 2;
    }
    if (lo + step < x->n)
        hi = lo + step + 1;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (x->post[mid] < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

typedef struct {
    size_t lo, hi; /* postings of one word */
} span;

static int span_before(const span *a, const span *b)
{
    size_t la = a->hi - a->lo, lb = b->hi - b->lo;
    return la != lb ? la < lb : a->lo < b->lo;
}

/* Posting spans of q's distinct words, rarest first (ties: lower id). */
static size_t word_spans(span *sp, const feat_index *x, const feat *q,
                         size_t *total)
{
    size_t n = 0, at = 0;

    *total = 0;
    for (size_t k = 0; k < q->n && at < x->n; k++) {
        uint64_t id = q->ids[k];
        if (k > 0 && q->ids[k - 1] == q->ids[k])
            continue;
        if (x->first && id > x->max_id)
            break; /* ids ascend: no later word is posted either */
        if (x->first) {
            sp[n].lo = x->first[id];
            sp[n].hi = x->first[id + 1];
        } else {
            sp[n].lo = lower_bound(x, at, id << 32);
            sp[n].hi = at = lower_bound(x, sp[n].lo, (id + 1) << 32);
        }
        if (sp[n].hi > sp[n].lo)
            *total += sp[n].hi - sp[n].lo, n++;
    }
    for (size_t i = 1; i < n; i++) { /* insertion sort: n is small */
        span s = sp[i];
        size_t j = i;
        for (; j > 0 && span_before(&s, &sp[j - 1]); j--)
            sp[j] = sp[j - 1];
        sp[j] = s;
    }
    return n;
}

static uint32_t item_of(const feat_index *x, size_t i)
{
    return (uint32_t)(x->post[i] & 0xffffffffu);
}

/* ---- counting ---- */

/* Sift v[0..n) (a max-heap) down from i. */
static void heap_down(uint32_t *v, size_t n, size_t i)
{
    for (;;) {
        size_t l = 2 * i + 1, m = i;
        if (l < n && v[l] > v[m])
            m = l;
        if (l + 1 < n && v[l + 1] > v[m])
            m = l + 1;
        if (m == i)
            return;
        uint32_t t = v[i];
        v[i] = v[m];
        v[m] = t;
        i = m;
    }
}

/* The lowest @p need items of cnt == c among the touched ones, into out
 * (a max-heap of size need). */
static void lowest_at(uint32_t *out, size_t need, const feat_index *x,
                      size_t nt, uint32_t c)
{
    size_t h = 0;

    for (size_t i = 0; i < nt; i++) {
        uint32_t it = x->touched[i];
        if (x->cnt[it] != c)
            continue;
        if (h < need) {
            out[h++] = it;
            if (h == need)
                for (size_t j = need / 2 + 1; j-- > 0;)
                    heap_down(out, need, j);
        } else if (it < out[0]) {
            out[0] = it;
            heap_down(out, need, 0);
        }
    }
}

/* Sort the distinct items v[0..n) ascending through the bitmap @p mark
 * (all clear, and left so): O(n + span / 64). */
static void sort_items(uint32_t *v, size_t n, uint64_t *mark)
{
    uint32_t lo = UINT32_MAX, hi = 0;
    size_t m = 0;

    if (n <= 8) {
        insertion_u32(v, n);
        return;
    }
    for (size_t i = 0; i < n; i++) {
        mark[v[i] >> 6] |= (uint64_t)1 << (v[i] & 63);
        lo = v[i] < lo ? v[i] : lo;
        hi = v[i] > hi ? v[i] : hi;
    }
    for (uint32_t w = lo >> 6; w <= hi >> 6; w++)
        for (uint64_t b = mark[w]; b; b &= b - 1)
            v[m++] = (w << 6) | (uint32_t)__builtin_ctzll(b);
    for (uint32_t w = lo >> 6; w <= hi >> 6; w++)
        mark[w] = 0;
}

/* Select from the nt touched items (counts in x->cnt) into out; returns
 * how many.  hist has room for maxc + 1 counts. */
static size_t select_counted(uint32_t *out, const feat_index *x, size_t nt,
                             size_t *hist, size_t maxc)
{
    size_t acc = 0, m = 0, c;

    if (nt <= FEAT_CAND_MAX) {
        memcpy(out, x->touched, nt * sizeof(*out));
        return nt;
    }
    memset(hist, 0, (maxc + 1) * sizeof(*hist));
    for (size_t i = 0; i < nt; i++)
        hist[x->cnt[x->touched[i]]]++;
    for (c = maxc; c > 0 && acc + hist[c] < FEAT_CAND_MAX; c--)
        acc += hist[c];
    for (size_t i = 0; i < nt; i++)
        if (x->cnt[x->touched[i]] > c)
            out[m++] = x->touched[i];
    lowest_at(out + m, FEAT_CAND_MAX - m, x, nt, (uint32_t)c);
    return FEAT_CAND_MAX;
}

/* Tally the postings of sp[0..r) into x->cnt; returns the items touched
 * (in x->touched). */
static size_t tally(const feat_index *x, const span *sp, size_t r)
{
    size_t nt = 0;

    for (size_t k = 0; k < r; k++)
        for (size_t i = sp[k].lo; i < sp[k].hi; i++) {
            uint32_t it = item_of(x, i);
            if (x->cnt[it]++ == 0)
                x->touched[nt++] = it;
        }
    return nt;
}

/* The selection of the whole lists, ascending; shared[i] (when not
 * NULL): out[i]'s count. */
static size_t query_counting(uint32_t *out, uint32_t *shared,
                             const feat_index *x, const span *sp, size_t nsp,
                             size_t *hist)
{
    size_t nt = tally(x, sp, nsp), m;

    m = select_counted(out, x, nt, hist, nsp);
    sort_items(out, m, x->mark);
    for (size_t i = 0; shared && i < m; i++)
        shared[i] = x->cnt[out[i]];
    for (size_t i = 0; i < nt; i++)
        x->cnt[x->touched[i]] = 0;
    return m;
}

/* ---- walk ---- */

#define OFFERED 0x80000000u /* cnt flag: the walk offered this item */

typedef struct {
    uint32_t item[FEAT_CAND_MAX];
    size_t count[FEAT_CAND_MAX];
    size_t n, worst; /* held; index of the worst (lowest count, highest item) */
} best_set;

/* a ranks before b: more words shared, ties the lower item. */
static int ranks_before(size_t ca, uint32_t a, size_t cb, uint32_t b)
{
    return ca != cb ? ca > cb : a < b;
}

static void best_offer(best_set *b, uint32_t item, size_t count)
{
    if (b->n < FEAT_CAND_MAX) {
        b->item[b->n] = item;
        b->count[b->n++] = count;
    } else if (ranks_before(count, item, b->count[b->worst], b->item[b->worst])) {
        b->item[b->worst] = item;
        b->count[b->worst] = count;
    } else {
        return;
    }
    if (b->n < FEAT_CAND_MAX)
        return;
    b->worst = 0;
    for (size_t i = 1; i < b->n; i++)
        if (ranks_before(b->count[b->worst], b->item[b->worst], b->count[i],
                         b->item[i]))
            b->worst = i;
}

/* How many of the rarest lists are tallied rather than walked: while
 * each is at most half the longest and together they stay within
 * RARE_MAX postings. */
static size_t rare_lists(const span *sp, size_t nsp, size_t rare_max)
{
    size_t r = 0, sum = 0, longest = sp[nsp - 1].hi - sp[nsp - 1].lo;

    while (r < nsp && 2 * (sp[r].hi - sp[r].lo) <= longest &&
           sum + (sp[r].hi - sp[r].lo) <= rare_max)
        sum += sp[r].hi - sp[r].lo, r++;
    return r;
}

/* First posting in [lo, hi) (one word's) whose item is >= @p item. */
static size_t gallop_item(const feat_index *x, size_t lo, size_t hi,
                          uint32_t item)
{
    size_t step = 1;

    while (lo + step < hi && item_of(x, lo + step) < item)
        lo += step + 1, step *= 2;
    hi = lo + step < hi ? lo + step + 1 : hi;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (item_of(x, mid) < item)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/*
 * Walk the lists sp[r..nsp) together in item order from the cursors
 * cur[], offering each item with its count (walked lists holding it plus
 * its tally); stop when they are exhausted, when FEAT_CAND_MAX held
 * items reach the number of lists still live (a later item not tallied
 * has at most that and a higher id), or after @p budget cursor
 * inspections.  Returns the first item not walked.
 */
static uint32_t walk(best_set *b, const feat_index *x, const span *sp,
                     size_t r, size_t nsp, size_t *cur, size_t budget)
{
    size_t live = 0, work = 0;
    uint32_t next = 0;

    for (size_t k = r; k < nsp; k++)
        live += (cur[k] = sp[k].lo) < sp[k].hi;
    while (live > 0 && work < budget &&
           !(b->n == FEAT_CAND_MAX && b->count[b->worst] >= live)) {
        uint32_t min = UINT32_MAX;
        size_t c = 0;
        for (size_t k = r; k < nsp; k++)
            if (cur[k] < sp[k].hi && item_of(x, cur[k]) < min)
                min = item_of(x, cur[k]);
        for (size_t k = r; k < nsp; k++)
            if (cur[k] < sp[k].hi && item_of(x, cur[k]) == min) {
                c++;
                live -= ++cur[k] == sp[k].hi;
            }
        work += nsp - r;
        if (x->cnt[min]) {
            c += x->cnt[min];
            x->cnt[min] |= OFFERED;
        }
        best_offer(b, min, c);
        next = min + 1;
    }
    return next;
}

/* Offer the tallied items the walk did not reach, with the walked lists
 * that hold them (searched from the cursors; items ascending), and clear
 * the tally. */
static void offer_tallied(best_set *b, const feat_index *x, const span *sp,
                          size_t r, size_t nsp, size_t *cur, size_t nt,
                          uint32_t next)
{
    feat_sort_ids(x->touched, nt);
    for (size_t i = 0; i < nt; i++) {
        uint32_t it = x->touched[i];
        size_t c = x->cnt[it];
        x->cnt[it] = 0;
        if (c & OFFERED)
            continue;
        for (size_t k = r; it >= next && k < nsp; k++) {
            cur[k] = gallop_item(x, cur[k], sp[k].hi, it);
            c += cur[k] < sp[k].hi && item_of(x, cur[k]) == it;
        }
        best_offer(b, it, c);
    }
}

/*
 * The top FEAT_CAND_MAX of the whole lists, ascending, with their counts
 * (shared may be NULL): exact unless the walk ran out of @p budget (see
 * the file comment); cur has room for nsp.
 */
static size_t query_walk(uint32_t *out, uint32_t *shared,
                         const feat_index *x, const span *sp, size_t nsp,
                         size_t *cur, size_t budget)
{
    best_set b = {{0}, {0}, 0, 0};
    size_t r = rare_lists(sp, nsp, budget == SIZE_MAX ? RARE_MAX : RARE_MAX_OVER);
    size_t nt = tally(x, sp, r);
    uint32_t next = walk(&b, x, sp, r, nsp, cur, budget);

    offer_tallied(&b, x, sp, r, nsp, cur, nt, next);
    for (size_t i = 0; i < b.n; i++) { /* insertion sort of the pairs */
        size_t j = i;
        for (; j > 0 && out[j - 1] > b.item[i]; j--) {
            out[j] = out[j - 1];
            if (shared)
                shared[j] = shared[j - 1];
        }
        out[j] = b.item[i];
        if (shared)
            shared[j] = (uint32_t)b.count[i];
    }
    return b.n;
}

#define QUERY_STACK 64 /* query words served from the stack */

/* An index of at most FEAT_VISIT_BUDGET postings answers exactly: the
 * top FEAT_CAND_MAX of the tally, which holds every item touched when
 * fewer are returned. */
int feat_index_complete(const feat_index *x, size_t count)
{
    return count < FEAT_CAND_MAX && x->n <= FEAT_VISIT_BUDGET;
}

int feat_index_query(uint32_t *out, uint32_t *shared, size_t *count,
                     const feat_index *x, const feat *q)
{
    span sp_stack[QUERY_STACK], *sp = sp_stack;
    size_t sc_stack[QUERY_STACK + 1], *scratch = sc_stack, nsp, total;

    *count = 0;
    if (x->n == 0 || q->n == 0)
        return 0;
    if (q->n > QUERY_STACK) {
        sp = malloc(q->n * (sizeof(*sp) + sizeof(*scratch)) + sizeof(*scratch));
        if (!sp)
            return error_oom();
        scratch = (size_t *)(sp + q->n);
    }
    nsp = word_spans(sp, x, q, &total);
    if (total > FEAT_VISIT_BUDGET)
        *count = query_walk(out, shared, x, sp, nsp, scratch, WALK_BUDGET);
    else if (total > MERGE_MIN_AVG * nsp)
        *count = query_walk(out, shared, x, sp, nsp, scratch, SIZE_MAX);
    else
        *count = query_counting(out, shared, x, sp, nsp, scratch);
    if (sp != sp_stack)
        free(sp);
    return 0;
}
