/*
 * check_tokenize.c - the tokenizer's fast paths against its definition.
 *
 * tokenize.c skips runs of ASCII letters, digits and spaces byte by
 * byte and classifies other code points one at a time.  This suite
 * holds a reference tokenizer written straight from the rules in
 * tokenize.c's opening comment, one code point at a time (utf8_decode,
 * utf8_is_alnum, utf8_is_space, utf8proc categories), and compares both
 * on random texts built from the pieces where the two ways could part:
 * ASCII and non-ASCII letters, joiners (' U+2019 - . ,), spaces (ASCII,
 * NBSP, U+2028), combining marks after letters and after punctuation,
 * CJK ideographs, malformed bytes, text ends in the middle of a word.
 *
 * tcases: reference (random texts, both entry points), edges (a table).
 */
#include "check_util.h"

#include <utf8proc.h>

#include "diff/tokenize.h"
#include "util/utf8.h"

/* ---- the reference: tokenize.c's rules, nothing faster ---- */

static int ref_ideograph(int32_t cp)
{
    return (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x4E00 && cp <= 0x9FFF) ||
           (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x20000 && cp <= 0x3134F);
}

static int ref_mark(int32_t cp)
{
    utf8proc_category_t c;

    if (cp < 0x80)
        return 0;
    c = utf8proc_category(cp);
    return c == UTF8PROC_CATEGORY_MN || c == UTF8PROC_CATEGORY_MC ||
           c == UTF8PROC_CATEGORY_ME;
}

static int ref_word(int32_t cp)
{
    return utf8_is_alnum(cp) && !ref_ideograph(cp);
}

static int ref_joiner(int32_t cp)
{
    return cp == '\'' || cp == 0x2019 || cp == '-' || cp == '.' || cp == ',';
}

/* Code point at s[pos] or -1 past the end; *n its length. */
static int32_t ref_at(const char *s, size_t len, size_t pos, size_t *n)
{
    int32_t cp;

    *n = 0;
    if (pos >= len)
        return -1;
    *n = utf8_decode(s + pos, len - pos, &cp);
    return cp;
}

static size_t ref_spaces(const char *s, size_t len, size_t pos)
{
    size_t n;
    int32_t cp;

    while ((cp = ref_at(s, len, pos, &n)) >= 0 && utf8_is_space(cp))
        pos += n;
    return pos;
}

static size_t ref_token_end(const char *s, size_t len, size_t pos, token_kind *kind)
{
    size_t n, n2;
    int32_t cp = ref_at(s, len, pos, &n);

    if (!ref_word(cp)) {
        *kind = ref_ideograph(cp) ? TOKEN_WORD : TOKEN_PUNCT;
        pos += n;
        while ((cp = ref_at(s, len, pos, &n)) >= 0 && ref_mark(cp))
            pos += n;
        return pos;
    }
    *kind = TOKEN_WORD;
    for (;;) {
        while ((cp = ref_at(s, len, pos, &n)) >= 0 && ref_word(cp))
            pos += n;
        if (cp < 0 || !ref_joiner(cp))
            return pos;
        cp = ref_at(s, len, pos + n, &n2);
        if (cp < 0 || !ref_word(cp))
            return pos;
        pos += n;
    }
}

/* The reference tokens of s: start, len, ws_len, kind (hash: FNV-1a). */
static size_t ref_tokenize(token *out, const char *s, size_t len)
{
    size_t n = 0, pos = ref_spaces(s, len, 0), end;

    if (pos > 0)
        out[n++] = (token){0, 0, (uint32_t)pos, TOKEN_SPACE, 2166136261u};
    while (pos < len) {
        token *t = &out[n++];
        uint32_t h = 2166136261u;
        end = ref_token_end(s, len, pos, &t->kind);
        for (size_t i = pos; i < end; i++)
            h = (h ^ (unsigned char)s[i]) * 16777619u;
        t->start = pos;
        t->len = (uint32_t)(end - pos);
        t->hash = h;
        pos = ref_spaces(s, len, end);
        t->ws_len = (uint32_t)(pos - end);
    }
    return n;
}

/* ---- comparing ---- */

static void same_tokens(const char *s, size_t len)
{
    token *ref = malloc((len + 1) * sizeof(*ref)), *got = NULL;
    size_t nref = ref_tokenize(ref, s, len), ngot = 0, pos = 0, start, wlen, w = 0;

    ck_assert_int_eq(tokenize(&got, &ngot, s, len), 0);
    ck_assert_uint_eq(ngot, nref);
    for (size_t i = 0; i < nref; i++) {
        ck_assert_msg(got[i].start == ref[i].start && got[i].len == ref[i].len &&
                          got[i].ws_len == ref[i].ws_len && got[i].kind == ref[i].kind &&
                          got[i].hash == ref[i].hash,
                      "token %zu of \"%.*s\": got %zu+%u+%u kind %d, want %zu+%u+%u kind %d",
                      i, (int)len, s, got[i].start, got[i].len, got[i].ws_len, got[i].kind,
                      ref[i].start, ref[i].len, ref[i].ws_len, ref[i].kind);
    }
    while (tokenize_next_word(s, len, &pos, &start, &wlen)) {
        while (w < nref && ref[w].kind != TOKEN_WORD)
            w++;
        ck_assert_msg(w < nref && ref[w].start == start && ref[w].len == wlen,
                      "word at %zu of \"%.*s\"", start, (int)len, s);
        w++;
    }
    while (w < nref && ref[w].kind != TOKEN_WORD)
        w++;
    ck_assert_uint_eq(w, nref);
    free(got);
    free(ref);
}

/* Pieces where an ASCII fast path and the general walk could part. */
static const char *const pieces[] = {
    "a", "Z", "q", "7", "0", "word", "U", "N", " ", "  ", "\t", "\n", "\r",
    "\v", "\f", "'", "\xE2\x80\x99", "-", ".", ",", ";", "!", "\"", "(",
    "\xC3\xA9",         /* e acute: a non-ASCII letter */
    "\xCC\x81",         /* combining acute: a mark */
    "\xE4\xB8\xAD",     /* CJK ideograph */
    "\xC2\xA0",         /* NBSP: a space */
    "\xE2\x80\xA8",     /* LINE SEPARATOR: a space */
    "\xE2\x80\x94",     /* em dash: punctuation */
    "\xD9\xA3",         /* Arabic-Indic digit three */
    "\xFF", "\xC3",     /* malformed: a lone byte, a cut sequence */
    "\xF0\x9F\x98\x80", /* emoji: punctuation */
};

START_TEST(test_tokenize_random_against_reference)
{
    enum { TEXTS = 4000, MAXPIECES = 24 };
    unsigned seed = 12345u + (unsigned)_i;
    char text[MAXPIECES * 4 + 1];

    for (int k = 0; k < TEXTS; k++) {
        size_t len = 0, count;
        seed = seed * 1103515245u + 12345u;
        count = (seed >> 16) % MAXPIECES + 1;
        for (size_t p = 0; p < count; p++) {
            const char *piece;
            seed = seed * 1103515245u + 12345u;
            piece = pieces[(seed >> 16) % (sizeof(pieces) / sizeof(*pieces))];
            memcpy(text + len, piece, strlen(piece));
            len += strlen(piece);
        }
        same_tokens(text, len);
    }
}
END_TEST

static const char *const edges[] = {
    "", " ", "a", "don't", "don\xE2\x80\x99t", "cross-border", "3.5", "1,000",
    "U.N.", "a.", "a-", "a--b", "-a", "e\xCC\x81t\xC3\xA9", "!\xCC\x81x",
    "\xE4\xB8\xAD\xE6\x96\x87word", "word\xC2\xA0next", "end ", " \n lead",
    "x\xE2\x80\x99", "x\xE2\x80", "ab\377cd", "States should store data.",
};

START_TEST(test_tokenize_edges)
{
    same_tokens(edges[_i], strlen(edges[_i]));
}
END_TEST

static Suite *tokenize_suite(void)
{
    Suite *s = suite_create("tokenize");
    TCase *ref = tcase_create("reference"), *edge = tcase_create("edges");

    tcase_add_loop_test(ref, test_tokenize_random_against_reference, 0, 4);
    tcase_add_loop_test(edge, test_tokenize_edges, 0, sizeof(edges) / sizeof(*edges));
    suite_add_tcase(s, ref);
    suite_add_tcase(s, edge);
    return s;
}

TU_MAIN(tokenize_suite)
