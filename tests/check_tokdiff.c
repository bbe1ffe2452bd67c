/*
 * check_tokdiff.c - tokenizer and word diff.
 *
 * tcases: tokenize (tiling, table of word/punct cases), core (fixed
 * examples), property (thousands of pseudo-random word edits from a
 * fixed seed: ops reassemble both texts, are deterministic, alternate in
 * kind, and without cleanup keep exactly an LCS), limits (huge inputs,
 * whitespace-only changes).
 */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check_util.h"
#include "diff/tokenize.h"

/* ---- helpers ------------------------------------------------------ */

typedef struct {
    char *p;
    size_t len, cap;
} sbuf;

static void sb_put(sbuf *s, const char *p, size_t n)
{
    if (s->len + n + 1 > s->cap) {
        s->cap = (s->len + n + 1) * 2;
        s->p = realloc(s->p, s->cap);
        ck_assert(s->p != NULL);
    }
    memcpy(s->p + s->len, p, n);
    s->len += n;
    s->p[s->len] = '\0';
}

static void sb_puts(sbuf *s, const char *p)
{
    sb_put(s, p, strlen(p));
}

/* Tokens of s (TOKEN_SPACE skipped) joined by '|'; kinds as W/P. */
static char *tok_render(const char *s, char *kinds, size_t kcap)
{
    token *t;
    size_t n, k = 0, pos = 0;
    sbuf out = {0};

    ck_assert_int_eq(tokenize(&t, &n, s, strlen(s)), 0);
    sb_puts(&out, "");
    for (size_t i = 0; i < n; i++) {
        ck_assert_uint_eq(t[i].start, pos);
        pos += t[i].len + t[i].ws_len;
        if (t[i].kind == TOKEN_SPACE) {
            ck_assert_uint_eq(i, 0);
            ck_assert_uint_eq(t[i].len, 0);
            continue;
        }
        if (out.len)
            sb_puts(&out, "|");
        sb_put(&out, s + t[i].start, t[i].len);
        if (k + 1 < kcap)
            kinds[k++] = t[i].kind == TOKEN_WORD ? 'W' : 'P';
    }
    kinds[k] = '\0';
    ck_assert_uint_eq(pos, strlen(s));
    free(t);
    return out.p;
}

typedef struct {
    posdiff_op *ops;
    size_t n;
} diff_result;

static diff_result run_diff(const char *a, const char *b, int cleanup,
                            size_t max_cost)
{
    posdiff_tokdiff_options o = POSDIFF_TOKDIFF_OPTIONS_INIT;
    diff_result r;

    o.semantic_cleanup = cleanup;
    o.max_cost = max_cost;
    ck_assert_int_eq(posdiff_tokdiff(&r.ops, &r.n, a, strlen(a), b,
                                     strlen(b), &o), 0);
    return r;
}

/* An EQUAL op's two ranges hold the same bytes (the JSON prints it once). */
static void check_equal_op(const char *a, size_t alen, const char *b,
                           size_t blen)
{
    ck_assert_uint_eq(alen, blen);
    ck_assert(memcmp(a, b, alen) == 0);
}

/* Every change op holds white space only: no word is reported changed. */
static void check_only_space_changes(const char *a, const char *b,
                                     const diff_result *r)
{
    for (size_t k = 0; k < r->n; k++) {
        const posdiff_op *op = &r->ops[k];
        const char *p = op->kind == POSDIFF_OP_INSERT ? b + op->new_start : a + op->old_start;
        size_t n = op->kind == POSDIFF_OP_INSERT ? op->new_len : op->old_len;
        if (op->kind == POSDIFF_OP_EQUAL)
            continue;
        for (size_t i = 0; i < n; i++)
            ck_assert_msg(strchr(" \t\n", p[i]) != NULL, "op %zu changes '%.*s'", k, (int)n, p);
    }
}

/* The ops tile both texts, alternate in kind, and EQUALs are identical. */
static void check_ops(const char *a, const char *b, const diff_result *r)
{
    size_t oa = 0, ob = 0;

    for (size_t k = 0; k < r->n; k++) {
        const posdiff_op *op = &r->ops[k];
        ck_assert_uint_eq(op->old_start, oa);
        ck_assert_uint_eq(op->new_start, ob);
        ck_assert(op->old_len + op->new_len > 0);
        if (k > 0)
            ck_assert_int_ne(op->kind, r->ops[k - 1].kind);
        if (op->kind == POSDIFF_OP_DELETE)
            ck_assert_uint_eq(op->new_len, 0);
        if (op->kind == POSDIFF_OP_DELETE)
            ck_assert(k == 0 || r->ops[k - 1].kind != POSDIFF_OP_INSERT);
        if (op->kind == POSDIFF_OP_INSERT)
            ck_assert_uint_eq(op->old_len, 0);
        if (op->kind == POSDIFF_OP_EQUAL)
            check_equal_op(a + oa, op->old_len, b + ob, op->new_len);
        oa += op->old_len;
        ob += op->new_len;
    }
    ck_assert_uint_eq(oa, strlen(a));
    ck_assert_uint_eq(ob, strlen(b));
}

static char *op_text(const char *a, const char *b, const posdiff_op *op)
{
    sbuf s = {0};
    sb_puts(&s, "");
    if (op->kind == POSDIFF_OP_INSERT)
        sb_put(&s, b + op->new_start, op->new_len);
    else
        sb_put(&s, a + op->old_start, op->old_len);
    return s.p;
}

/* xorshift64*: a fixed-seed generator, same sequence on every platform. */
static uint64_t rng_state;

static uint32_t rnd(uint32_t n)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return (uint32_t)((rng_state * 2685821657736338717ull) >> 33) % n;
}

/* ---- tokenize ----------------------------------------------------- */

static const struct {
    const char *text, *tokens, *kinds;
} tok_cases[] = {
    {"cross-border data", "cross-border|data", "WW"},
    {"growth of 3.5 per cent", "growth|of|3.5|per|cent", "WWWWW"},
    {"the U.N. said", "the|U.N|.|said", "WWPW"},
    {"don't stop", "don't|stop", "WW"},
    {"don\xe2\x80\x99t", "don\xe2\x80\x99t", "W"},
    {"1,000 troops, all", "1,000|troops|,|all", "WWPW"},
    {"end. Next", "end|.|Next", "WPW"},
    {"a -- b", "a|-|-|b", "WPPW"},
    {"-x- 'quoted'", "-|x|-|'|quoted|'", "PWPPWP"},
    {"\xe4\xb8\xad\xe5\x9b\xbd\xe6\x94\xaf\xe6\x8c\x81", /* 中国支持 */
     "\xe4\xb8\xad|\xe5\x9b\xbd|\xe6\x94\xaf|\xe6\x8c\x81", "WWWW"},
    {"UN\xe5\xae\xaa\xe7\xab\xa0", "UN|\xe5\xae\xaa|\xe7\xab\xa0", "WWW"},
    {"\xe3\x80\x82\xe5\xa5\xbd", "\xe3\x80\x82|\xe5\xa5\xbd", "PW"}, /* 。好 */
    {"cafe\xcc\x81 ole\xcc\x81", "cafe\xcc\x81|ole\xcc\x81", "WW"},
    {"\xc3\xa9t\xc3\xa9", "\xc3\xa9t\xc3\xa9", "W"},
    {"  leading and trailing  ", "leading|and|trailing", "WWW"},
    {"\xc2\xa0nbsp\xc2\xa0space", "nbsp|space", "WW"},
    {"", "", ""},
    {"   ", "", ""},
    {"(a)", "(|a|)", "PWP"},
    {"x\xff y", "x|\xff|y", "WPW"},
};

START_TEST(test_tokdiff_tokenize_cases)
{
    char kinds[64];
    char *got = tok_render(tok_cases[_i].text, kinds, sizeof(kinds));

    ck_assert_str_eq(got, tok_cases[_i].tokens);
    ck_assert_str_eq(kinds, tok_cases[_i].kinds);
    free(got);
}
END_TEST

START_TEST(test_tokdiff_tokenize_leading_space)
{
    token *t;
    size_t n;

    ck_assert_int_eq(tokenize(&t, &n, " \n a ", 5), 0);
    ck_assert_uint_eq(n, 2);
    ck_assert_int_eq(t[0].kind, TOKEN_SPACE);
    ck_assert_uint_eq(t[0].ws_len, 3);
    ck_assert_uint_eq(t[1].start, 3);
    ck_assert_uint_eq(t[1].ws_len, 1);
    free(t);
}
END_TEST

START_TEST(test_tokdiff_tokenize_hash)
{
    token *t;
    size_t n;

    ck_assert_int_eq(tokenize(&t, &n, "data  data\ndata", 15), 0);
    ck_assert_uint_eq(n, 3);
    ck_assert_uint_eq(t[0].hash, t[1].hash);
    ck_assert_uint_eq(t[1].hash, t[2].hash);
    ck_assert_uint_eq(t[0].hash, 0xd872e2a5u); /* FNV-1a 32 of "data" */
    free(t);
}
END_TEST

/* ---- core --------------------------------------------------------- */

START_TEST(test_tokdiff_corpus_example)
{
    const char *a = "States should not request domestic companies to store "
                    "the data generated and obtained overseas in their own "
                    "territory.";
    const char *b = "States should not request domestic companies to store "
                    "data generated and obtained overseas in their own "
                    "territory.";
    const char *want[] = {"States should not request domestic companies to "
                          "store ", "the ", "data generated and obtained "
                          "overseas in their own territory."};
    posdiff_op_kind kinds[] = {POSDIFF_OP_EQUAL, POSDIFF_OP_DELETE,
                               POSDIFF_OP_EQUAL};
    diff_result r = run_diff(a, b, 1, 0);

    check_ops(a, b, &r);
    ck_assert_uint_eq(r.n, 3);
    for (size_t k = 0; k < 3; k++) {
        char *t = op_text(a, b, &r.ops[k]);
        ck_assert_int_eq(r.ops[k].kind, kinds[k]);
        ck_assert_str_eq(t, want[k]);
        free(t);
    }
    free(r.ops);
}
END_TEST

START_TEST(test_tokdiff_reworded_clause)
{
    const char *a = "We should establish an open and inclusive process under "
                    "the UN.";
    const char *b = "We must build a single-track permanent mechanism under "
                    "the UN.";
    diff_result r = run_diff(a, b, 1, 0);
    char *t;

    check_ops(a, b, &r);
    ck_assert_uint_eq(r.n, 4);
    ck_assert_int_eq(r.ops[1].kind, POSDIFF_OP_DELETE);
    ck_assert_int_eq(r.ops[2].kind, POSDIFF_OP_INSERT);
    t = op_text(a, b, &r.ops[1]);
    ck_assert_str_eq(t, "should establish an open and inclusive process ");
    free(t);
    t = op_text(a, b, &r.ops[2]);
    ck_assert_str_eq(t, "must build a single-track permanent mechanism ");
    free(t);
    free(r.ops);
}
END_TEST

/* Confetti: a one-word equality between two changes folds into them. */
START_TEST(test_tokdiff_cleanup_folds_confetti)
{
    const char *a = "The Group supports the proposal of the Chair.";
    const char *b = "The Group opposes the idea of the Chair.";
    diff_result r = run_diff(a, b, 1, 0), raw = run_diff(a, b, 0, 0);
    char *t;

    check_ops(a, b, &r);
    check_ops(a, b, &raw);
    ck_assert_uint_eq(raw.n, 7);
    ck_assert_uint_eq(r.n, 4);
    t = op_text(a, b, &r.ops[1]);
    ck_assert_str_eq(t, "supports the proposal ");
    free(t);
    free(r.ops);
    free(raw.ops);
}
END_TEST

/* A deleted sentence slides to the sentence boundary. */
START_TEST(test_tokdiff_cleanup_slides_to_boundary)
{
    const char *a = "We agree. The text is good. The rest follows.";
    const char *b = "We agree. The rest follows.";
    diff_result r = run_diff(a, b, 1, 0);
    char *t;

    check_ops(a, b, &r);
    ck_assert_uint_eq(r.n, 3);
    t = op_text(a, b, &r.ops[1]);
    ck_assert_str_eq(t, "The text is good. ");
    free(t);
    free(r.ops);
}
END_TEST

static const struct {
    const char *a, *b;
    size_t nops;
} edge_cases[] = {
    {"", "", 0},
    {"  ", "", 1},
    {"", "a b", 1},
    {"a b", "", 1},
    {"  ", "a", 2},
    {"a", " \n", 2},
    {" a", "a ", 3}, /* white space moved: DELETE " ", EQUAL "a", INSERT " " */
    {"a b c", "a b c d", 2},
    {"x a b c", "a b c", 2},
    {"a, b.", "a; b.", 4},
};

START_TEST(test_tokdiff_edges)
{
    diff_result r = run_diff(edge_cases[_i].a, edge_cases[_i].b, 1, 0);

    check_ops(edge_cases[_i].a, edge_cases[_i].b, &r);
    ck_assert_uint_eq(r.n, edge_cases[_i].nops);
    free(r.ops);
}
END_TEST

START_TEST(test_tokdiff_null_options)
{
    posdiff_op *ops;
    size_t n;

    ck_assert_int_eq(posdiff_tokdiff(&ops, &n, "a b", 3, "a c", 3, NULL), 0);
    ck_assert_uint_eq(n, 3);
    free(ops);
}
END_TEST

/* ---- property ----------------------------------------------------- */

static const char *vocab[] = {
    "the", "States", "should", "data", "security", "of", "and", "to", "a",
    "in", "cyberspace", "international", "law", "UN", "framework", "open",
    "inclusive", "process", ",", ".", ";", "cross-border", "3.5", "don't",
    "\xe4\xb8\xad", "\xe5\x9b\xbd", "caf\xc3\xa9", "(", ")", "norms",
};
#define NVOCAB (sizeof(vocab) / sizeof(vocab[0]))
#define MAXW 48

static const char *spaces[] = {" ", " ", " ", "  ", "\n", "\t "};

/* Join words with random (or single) spaces, maybe leading/trailing. */
static char *join(const char **w, size_t n, int messy)
{
    sbuf s = {0};

    sb_puts(&s, messy && rnd(4) == 0 ? " " : "");
    for (size_t k = 0; k < n; k++) {
        sb_puts(&s, w[k]);
        if (k + 1 < n)
            sb_puts(&s, messy ? spaces[rnd(6)] : " ");
    }
    sb_puts(&s, messy && rnd(4) == 0 ? "\n" : "");
    return s.p;
}

/* Apply 0..5 random word edits (replace, insert, delete, move). */
static size_t mutate(const char **w, size_t n)
{
    size_t edits = rnd(6), p, q;
    const char *t;

    for (size_t e = 0; e < edits; e++) {
        p = n ? rnd((uint32_t)n) : 0;
        switch (rnd(4)) {
        case 0:
            if (n)
                w[p] = vocab[rnd(NVOCAB)];
            break;
        case 1:
            if (n < MAXW) {
                memmove(w + p + 1, w + p, (n - p) * sizeof(*w));
                w[p] = vocab[rnd(NVOCAB)];
                n++;
            }
            break;
        case 2:
            if (n) {
                memmove(w + p, w + p + 1, (n - p - 1) * sizeof(*w));
                n--;
            }
            break;
        default:
            if (n) {
                q = rnd((uint32_t)n);
                t = w[p];
                memmove(w + p, w + p + 1, (n - p - 1) * sizeof(*w));
                memmove(w + q + 1, w + q, (n - 1 - q) * sizeof(*w));
                w[q] = t;
            }
        }
    }
    return n;
}

/* Count tokens (words + punctuation) of the EQUAL ops. */
static size_t equal_tokens(const char *a, const diff_result *r)
{
    size_t total = 0, n;
    token *t;

    for (size_t k = 0; k < r->n; k++) {
        if (r->ops[k].kind != POSDIFF_OP_EQUAL)
            continue;
        ck_assert_int_eq(tokenize(&t, &n, a + r->ops[k].old_start,
                                  r->ops[k].old_len), 0);
        for (size_t i = 0; i < n; i++)
            total += t[i].kind != TOKEN_SPACE;
        free(t);
    }
    return total;
}

/* Length of a longest common subsequence of two word lists, O(nm). */
static size_t lcs(const char **x, size_t n, const char **y, size_t m)
{
    static size_t dp[MAXW + 1][MAXW + 1];

    for (size_t i = 0; i <= n; i++) {
        for (size_t j = 0; j <= m; j++) {
            if (i == 0 || j == 0)
                dp[i][j] = 0;
            else if (!strcmp(x[i - 1], y[j - 1]))
                dp[i][j] = dp[i - 1][j - 1] + 1;
            else
                dp[i][j] = dp[i - 1][j] > dp[i][j - 1] ? dp[i - 1][j]
                                                       : dp[i][j - 1];
        }
    }
    return dp[n][m];
}

static void same_ops(const diff_result *x, const diff_result *y)
{
    ck_assert_uint_eq(x->n, y->n);
    for (size_t k = 0; k < x->n; k++) {
        ck_assert_int_eq(x->ops[k].kind, y->ops[k].kind);
        ck_assert_uint_eq(x->ops[k].old_start, y->ops[k].old_start);
        ck_assert_uint_eq(x->ops[k].old_len, y->ops[k].old_len);
        ck_assert_uint_eq(x->ops[k].new_start, y->ops[k].new_start);
        ck_assert_uint_eq(x->ops[k].new_len, y->ops[k].new_len);
    }
}

/* One random pair: words wa/wb (the vocabulary's words are single tokens). */
static void property_pair(int messy)
{
    const char *wa[MAXW], *wb[MAXW];
    size_t na = rnd(MAXW / 2), nb;
    char *a, *b;
    diff_result r1, r2, raw, self;

    for (size_t k = 0; k < na; k++)
        wa[k] = vocab[rnd(NVOCAB)];
    memcpy(wb, wa, sizeof(wa));
    nb = mutate(wb, na);
    a = join(wa, na, messy);
    b = join(wb, nb, messy);
    r1 = run_diff(a, b, 1, 0);
    r2 = run_diff(a, b, 1, 0);
    raw = run_diff(a, b, 0, 0);
    self = run_diff(a, a, 1, 0);
    check_ops(a, b, &r1);
    check_ops(a, b, &raw);
    same_ops(&r1, &r2);
    ck_assert_uint_eq(self.n, strlen(a) ? 1 : 0);
    ck_assert_uint_eq(equal_tokens(a, &raw), lcs(wa, na, wb, nb));
    free(r1.ops), free(r2.ops), free(raw.ops), free(self.ops);
    free(a), free(b);
}

START_TEST(test_tokdiff_property_random_edits)
{
    rng_state = 0x9E3779B97F4A7C15ull;
    for (int k = 0; k < 3000; k++)
        property_pair(k % 2);
}
END_TEST

/* A tiny cost budget forces the patience and wholesale fallbacks. */
START_TEST(test_tokdiff_property_fallback)
{
    const char *wa[MAXW], *wb[MAXW];
    size_t na, nb;
    char *a, *b;
    diff_result r, raw;

    rng_state = 12345;
    for (int k = 0; k < 2000; k++) {
        na = rnd(MAXW / 2);
        for (size_t x = 0; x < na; x++)
            wa[x] = vocab[rnd(NVOCAB)];
        memcpy(wb, wa, sizeof(wa));
        nb = mutate(wb, na);
        a = join(wa, na, k % 2);
        b = join(wb, nb, k % 2);
        r = run_diff(a, b, 1, 1 + k % 4);
        raw = run_diff(a, b, 0, 1 + k % 4);
        check_ops(a, b, &r);
        check_ops(a, b, &raw);
        free(r.ops), free(raw.ops), free(a), free(b);
    }
}
END_TEST

/* ---- limits ------------------------------------------------------- */

/* n pseudo-random tokens "w<k>" with k < vocab, separated by spaces. */
static char *random_text(size_t n, uint32_t vocab_size, const char *prefix)
{
    sbuf s = {0};
    char w[32];

    for (size_t k = 0; k < n; k++) {
        snprintf(w, sizeof(w), "%s%u ", prefix, rnd(vocab_size));
        sb_puts(&s, w);
    }
    return s.p;
}

static void big_case(uint32_t vocab_size, const char *pa, const char *pb)
{
    char *a = random_text(200000, vocab_size, pa);
    char *b = random_text(200000, vocab_size, pb);
    clock_t t0 = clock();
    diff_result r = run_diff(a, b, 1, 0);
    double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;

    ck_assert_msg(secs < 10.0, "hang guard: %.1f s", secs); /* not a benchmark */
    check_ops(a, b, &r);
    free(r.ops), free(a), free(b);
}

START_TEST(test_tokdiff_limits_differ_everywhere)
{
    rng_state = 777;
    big_case(1000, "w", "w");     /* shared small vocabulary */
    big_case(1u << 30, "w", "w"); /* mostly unique tokens: patience path */
    big_case(1000, "a", "b");     /* disjoint */
}
END_TEST

/* Long similar texts over a small vocabulary (no unique words to anchor
 * on) exceed the search cost but must not collapse into one replacement. */
START_TEST(test_tokdiff_limits_similar_repetitive)
{
    sbuf a = {0}, b = {0};
    char w[32];
    diff_result r;
    size_t eq;
    uint32_t x;

    rng_state = 4242;
    for (size_t k = 0; k < 50000; k++) {
        snprintf(w, sizeof(w), "w%u ", x = rnd(40));
        sb_puts(&a, w);
        if (rnd(100) == 0) /* ~1% of the words become another word */
            snprintf(w, sizeof(w), "w%u ", (x + 1 + rnd(39)) % 40);
        sb_puts(&b, w);
    }
    for (int pass = 0; pass < 2; pass++) {
        r = run_diff(a.p, b.p, 1, pass ? 64 : 0); /* 64: force fallbacks */
        check_ops(a.p, b.p, &r);
        eq = 0;
        for (size_t k = 0; k < r.n; k++)
            if (r.ops[k].kind == POSDIFF_OP_EQUAL)
                eq += r.ops[k].old_len;
        ck_assert_msg(eq > a.len * 8 / 10, "only %zu of %zu bytes equal", eq,
                      a.len);
        free(r.ops);
    }
    free(a.p), free(b.p);
}
END_TEST

START_TEST(test_tokdiff_limits_whitespace_only)
{
    const char *a = "States  should\nnot request\tdomestic companies.";
    const char *b = " States should not\n\nrequest domestic   companies. ";
    diff_result r = run_diff(a, b, 1, 0);

    check_ops(a, b, &r);
    check_only_space_changes(a, b, &r);
    free(r.ops);
}
END_TEST

START_TEST(test_tokdiff_limits_big_whitespace_only)
{
    char *a, *b;
    diff_result r;

    rng_state = 99;
    a = random_text(100000, 50, "w");
    b = strdup(a);
    for (size_t k = 0; b[k]; k++)
        if (b[k] == ' ' && rnd(3) == 0)
            b[k] = '\n';
    r = run_diff(a, b, 1, 0);
    check_ops(a, b, &r);
    check_only_space_changes(a, b, &r);
    free(r.ops), free(a), free(b);
}
END_TEST


static Suite *tokdiff_suite(void)
{
    Suite *s = suite_create("tokdiff");
    TCase *tc = tcase_create("tokenize");
    size_t ntok = sizeof(tok_cases) / sizeof(tok_cases[0]);
    size_t nedge = sizeof(edge_cases) / sizeof(edge_cases[0]);

    tcase_add_loop_test(tc, test_tokdiff_tokenize_cases, 0, (int)ntok);
    tcase_add_test(tc, test_tokdiff_tokenize_leading_space);
    tcase_add_test(tc, test_tokdiff_tokenize_hash);
    suite_add_tcase(s, tc);
    tc = tcase_create("core");
    tcase_add_test(tc, test_tokdiff_corpus_example);
    tcase_add_test(tc, test_tokdiff_reworded_clause);
    tcase_add_test(tc, test_tokdiff_cleanup_folds_confetti);
    tcase_add_test(tc, test_tokdiff_cleanup_slides_to_boundary);
    tcase_add_loop_test(tc, test_tokdiff_edges, 0, (int)nedge);
    tcase_add_test(tc, test_tokdiff_null_options);
    suite_add_tcase(s, tc);
    tc = tcase_create("property");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_tokdiff_property_random_edits);
    tcase_add_test(tc, test_tokdiff_property_fallback);
    suite_add_tcase(s, tc);
    tc = tcase_create("limits");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_tokdiff_limits_differ_everywhere);
    tcase_add_test(tc, test_tokdiff_limits_similar_repetitive);
    tcase_add_test(tc, test_tokdiff_limits_whitespace_only);
    tcase_add_test(tc, test_tokdiff_limits_big_whitespace_only);
    suite_add_tcase(s, tc);
    return s;
}

TU_MAIN(tokdiff_suite)
