/*
 * check_featindex.c - the word index's candidate query (lib/featindex.c)
 * against a brute-force count.
 *
 * Whenever the query's word lists hold at most FEAT_VISIT_BUDGET
 * postings, the answer must be exactly the brute force's: the
 * FEAT_CAND_MAX items sharing the most distinct words with the query
 * (ties: lower item first), ascending, each with its count.  Over the
 * budget (the documented bounded-cost fallback) the answer may be
 * another selection, but every item returned still shares a word with
 * the query, with its exact count, ascending, and the set is full.
 */
#include <stdint.h>

#include "check_util.h"
#include "align/passages.h"

#define BUDGET 4096 /* FEAT_VISIT_BUDGET */

static unsigned long long rs = 88172645463325252ULL;

static unsigned rnd(unsigned n)
{
    rs ^= rs << 13;
    rs ^= rs >> 7;
    rs ^= rs << 17;
    return (unsigned)(rs % n);
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

/* A sorted word id list; @p skew > 0 draws most words from a few. */
static void make_feat(feat *f, unsigned vocab, unsigned len, unsigned skew)
{
    f->n = len;
    f->ids = malloc((len + 1) * sizeof(uint32_t));
    ck_assert_ptr_nonnull(f->ids);
    for (unsigned i = 0; i < len; i++)
        f->ids[i] = skew && rnd(3) ? rnd(skew) + 1 : rnd(vocab) + 1;
    qsort(f->ids, len, sizeof(uint32_t), cmp_u32);
}

/* Distinct words shared by @p a and @p b (both sorted). */
static uint32_t shared_words(const feat *a, const feat *b)
{
    size_t i = 0, j = 0;
    uint32_t n = 0;

    while (i < a->n && j < b->n) {
        if (a->ids[i] < b->ids[j])
            i++;
        else if (a->ids[i] > b->ids[j])
            j++;
        else {
            uint32_t v = a->ids[i];
            n++;
            while (i < a->n && a->ids[i] == v)
                i++;
            while (j < b->n && b->ids[j] == v)
                j++;
        }
    }
    return n;
}

/* The brute force's selection into @p ref (ascending); its size. */
static size_t brute_top(uint32_t *ref, const uint32_t *cnt, unsigned nitems)
{
    unsigned char *taken = calloc(nitems, 1);
    size_t m = 0;

    ck_assert_ptr_nonnull(taken);
    while (m < FEAT_CAND_MAX) {
        long best = -1;
        for (unsigned i = 0; i < nitems; i++)
            if (!taken[i] && cnt[i] && (best < 0 || cnt[i] > cnt[best]))
                best = (long)i;
        if (best < 0)
            break;
        taken[best] = 1;
        ref[m++] = (uint32_t)best;
    }
    free(taken);
    qsort(ref, m, sizeof(uint32_t), cmp_u32);
    return m;
}

START_TEST(test_featindex_matches_brute_force)
{
    long exact = 0, over = 0;

    for (long it = 0; it < 600; it++) {
        unsigned nitems = 1 + rnd(it % 3 ? 400 : 3000), vocab = 2 + rnd(200);
        unsigned skew = rnd(2) ? 1 + rnd(8) : 0;
        feat *items = malloc(nitems * sizeof(feat));
        uint32_t *cnt = calloc(nitems, sizeof(uint32_t));
        feat_index x;

        ck_assert(items && cnt);
        for (unsigned i = 0; i < nitems; i++)
            make_feat(&items[i], vocab, rnd(12), skew);
        ck_assert_int_eq(feat_index_build(&x, items, nitems), 0);
        for (int qn = 0; qn < 20; qn++) {
            uint32_t out[FEAT_CAND_MAX], sh[FEAT_CAND_MAX], ref[FEAT_CAND_MAX];
            size_t n = 0, m, total = 0;
            feat q;

            make_feat(&q, vocab, 1 + rnd(15), skew);
            ck_assert_int_eq(feat_index_query(out, sh, &n, &x, &q), 0);
            for (unsigned i = 0; i < nitems; i++) {
                cnt[i] = shared_words(&q, &items[i]);
                total += cnt[i]; /* the postings of the query's words */
            }
            if (total > BUDGET) {
                over++;
                ck_assert_uint_eq(n, FEAT_CAND_MAX);
                for (size_t i = 0; i < n; i++) {
                    ck_assert(cnt[out[i]] > 0);
                    ck_assert_uint_eq(sh[i], cnt[out[i]]);
                    ck_assert(i == 0 || out[i] > out[i - 1]);
                }
            } else {
                exact++;
                m = brute_top(ref, cnt, nitems);
                ck_assert_uint_eq(n, m);
                for (size_t i = 0; i < m; i++) {
                    ck_assert_uint_eq(out[i], ref[i]);
                    ck_assert_uint_eq(sh[i], cnt[ref[i]]);
                }
            }
            free(q.ids);
        }
        feat_index_free(&x);
        for (unsigned i = 0; i < nitems; i++)
            free(items[i].ids);
        free(items);
        free(cnt);
    }
    /* both regimes were exercised */
    ck_assert(exact > 1000);
    ck_assert(over > 10);
}
END_TEST

static Suite *featindex_suite(void)
{
    Suite *s = suite_create("featindex");
    TCase *tc = tcase_create("query");

    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_featindex_matches_brute_force);
    suite_add_tcase(s, tc);
    return s;
}

TU_MAIN(featindex_suite)
