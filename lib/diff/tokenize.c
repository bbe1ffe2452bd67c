/*
 * tokenize.c - split a text into word and punctuation tokens.
 *
 * One left-to-right pass over the code points, no backtracking:
 *
 *   - whitespace (utf8_is_space) at the very start becomes a zero-length
 *     TOKEN_SPACE token whose ws_len covers it; whitespace anywhere else
 *     is attached to the token before it (ws_len);
 *   - a CJK ideograph is a word of its own (Chinese has no spaces, so an
 *     ideograph is the smallest unit a diff can sensibly show);
 *   - a word is a maximal run of letters, marks and digits (utf8_is_alnum,
 *     ideographs excluded); one joiner ' U+2019 - . , between two such
 *     characters stays inside the word: "don't", "cross-border", "3.5",
 *     "1,000", "U.N" (the final "." of "U.N." is punctuation);
 *   - any other code point is a one-code-point TOKEN_PUNCT, together with
 *     the combining marks that follow it.
 *
 * Invariant: the tokens tile the text, i.e. for consecutive tokens
 * t[i].start + t[i].len + t[i].ws_len == t[i+1].start, t[0].start == 0 and
 * the last one ends at the text's end.  Malformed UTF-8 decodes as
 * one-byte U+FFFD punctuation, so the invariant holds for any bytes.
 * hash is 32-bit FNV-1a over the token's own bytes (whitespace excluded).
 * The array grows geometrically: no allocation per token.  Runs of
 * ASCII letters, digits and spaces are skipped byte by byte, other code
 * points classified one by one (tests/check_tokenize.c compares both
 * with a plain code point walk of the rules above).
 */
#include "tokenize.h"

#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "util/buf.h"
#include "util/errors.h"
#include "util/utf8.h"

typedef struct {
    token *v;
    size_t n, cap;
} token_vec;

/* The text being tokenized: s[0..len). */
typedef struct {
    const char *s;
    size_t len;
} text_ref;

static uint32_t fnv1a(const char *p, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)p[i];
        h *= 16777619u;
    }
    return h;
}

static int is_ideograph(int32_t cp)
{
    return (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x4E00 && cp <= 0x9FFF) ||
           (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x20000 && cp <= 0x3134F);
}

static int is_mark(int32_t cp)
{
    utf8proc_category_t c;

    if (cp < 0x80)
        return 0;
    c = utf8proc_category(cp);
    return c == UTF8PROC_CATEGORY_MN || c == UTF8PROC_CATEGORY_MC ||
           c == UTF8PROC_CATEGORY_ME;
}

static int is_word_char(int32_t cp)
{
    if (cp < 0x80)
        return (cp >= '0' && cp <= '9') || ((cp | 0x20) >= 'a' && (cp | 0x20) <= 'z');
    return utf8_is_alnum(cp) && !is_ideograph(cp);
}

static int is_joiner(int32_t cp)
{
    return cp == '\'' || cp == 0x2019 || cp == '-' || cp == '.' || cp == ',';
}

/* Code point at t->s[pos] (or -1 at the end); *n receives its length. */
static int32_t peek(const text_ref *t, size_t pos, size_t *n)
{
    int32_t cp;
    if (pos >= t->len) {
        *n = 0;
        return -1;
    }
    if ((unsigned char)t->s[pos] < 0x80) { /* ASCII fast path */
        *n = 1;
        return (unsigned char)t->s[pos];
    }
    *n = utf8_decode(t->s + pos, t->len - pos, &cp);
    return cp;
}

/* End of the run of cp-class characters accepted by pred from pos. */
static size_t skip_while(const text_ref *t, size_t pos, int (*pred)(int32_t))
{
    size_t n;
    int32_t cp;
    while ((cp = peek(t, pos, &n)) >= 0 && pred(cp))
        pos += n;
    return pos;
}

/* ASCII letter or digit: the word characters of the fast paths. */
static int ascii_alnum(unsigned char c)
{
    return (unsigned char)(c - '0') < 10 || (unsigned char)((c | 0x20) - 'a') < 26;
}

static int ascii_space(unsigned char c)
{
    return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

/* skip_while(t, pos, utf8_is_space): runs of ASCII spaces without a
 * call per character; the general walk from the first non-ASCII byte. */
static size_t skip_space(const text_ref *t, size_t pos)
{
    const unsigned char *s = (const unsigned char *)t->s;

    while (pos < t->len && ascii_space(s[pos]))
        pos++;
    return pos < t->len && s[pos] >= 0x80 ? skip_while(t, pos, utf8_is_space) : pos;
}

/* End of the word starting at pos (a word character is there).  Runs of
 * ASCII letters and digits are skipped byte by byte (the usual case);
 * any other code point goes through peek and the classes above. */
static size_t word_end(const text_ref *t, size_t pos)
{
    const unsigned char *s = (const unsigned char *)t->s;
    size_t n, n2;
    int32_t cp;

    for (;;) {
        while (pos < t->len && s[pos] < 0x80 && ascii_alnum(s[pos]))
            pos++;
        cp = peek(t, pos, &n);
        if (cp >= 0x80 && is_word_char(cp)) {
            pos += n;
            continue;
        }
        if (cp < 0 || !is_joiner(cp))
            return pos;
        cp = peek(t, pos + n, &n2);
        if (cp < 0 || !is_word_char(cp))
            return pos;
        pos += n;
    }
}

/* End of the token starting at pos (not whitespace); sets *kind.  An
 * ASCII punctuation character is followed by no mark unless a non-ASCII
 * code point comes next. */
static size_t token_end(const text_ref *t, size_t pos, token_kind *kind)
{
    size_t n;
    int32_t cp = peek(t, pos, &n);

    if (is_word_char(cp)) {
        *kind = TOKEN_WORD;
        return word_end(t, pos);
    }
    *kind = is_ideograph(cp) ? TOKEN_WORD : TOKEN_PUNCT;
    pos += n;
    if (pos >= t->len || (unsigned char)t->s[pos] < 0x80)
        return pos;
    return skip_while(t, pos, is_mark);
}

static int vec_push(token_vec *v, size_t start, size_t len, token_kind kind,
                    const char *s)
{
    token *t;
    if (array_grow(&v->v, &v->cap, v->n, sizeof(*v->v), 64) < 0)
        return POSDIFF_ENOMEM;
    t = &v->v[v->n++];
    t->start = start;
    t->len = (uint32_t)len;
    t->ws_len = 0;
    t->kind = kind;
    t->hash = fnv1a(s + start, len);
    return 0;
}

int tokenize(token **out, size_t *count, const char *s, size_t len)
{
    text_ref t = {s, len};
    token_vec v = {NULL, 0, 0};
    size_t pos = skip_space(&t, 0), end;
    token_kind kind;

    *out = NULL;
    *count = 0;
    if (pos > 0 && vec_push(&v, 0, 0, TOKEN_SPACE, s) < 0)
        goto oom;
    if (pos > 0)
        v.v[0].ws_len = (uint32_t)pos;
    while (pos < len) {
        end = token_end(&t, pos, &kind);
        if (vec_push(&v, pos, end - pos, kind, s) < 0)
            goto oom;
        pos = skip_space(&t, end);
        v.v[v.n - 1].ws_len = (uint32_t)(pos - end);
    }
    *out = v.v;
    *count = v.n;
    return 0;
oom:
    free(v.v);
    return POSDIFF_ENOMEM;
}

/* The same walk as tokenize(), word tokens only, nothing allocated. */
int tokenize_next_word(const char *s, size_t len, size_t *pos, size_t *start,
                       size_t *wlen)
{
    text_ref t = {s, len};
    size_t at = *pos, end;
    token_kind kind;

    if (at == 0)
        at = skip_space(&t, 0);
    while (at < len) {
        end = token_end(&t, at, &kind);
        *pos = skip_space(&t, end);
        if (kind == TOKEN_WORD) {
            *start = at;
            *wlen = end - at;
            return 1;
        }
        at = *pos;
    }
    *pos = len;
    return 0;
}

/* Function words, lower case, sorted (bsearch). */
static const char *const function_words[] = {
    "a", "about", "all", "also", "an", "and", "any", "are", "as", "at",
    "be", "been", "being", "both", "but", "by", "can", "could", "do",
    "does", "each", "etc", "for", "from", "had", "has", "have", "he",
    "her", "his", "i", "if", "in", "into", "is", "it", "its", "may",
    "more", "most", "must", "no", "nor", "not", "of", "on", "or", "our",
    "per", "she", "should", "so", "such", "than", "that", "the", "their",
    "them", "there", "these", "they", "this", "those", "to", "upon", "us",
    "via", "was", "we", "were", "which", "who", "whom", "will", "with",
    "within", "without", "would", "you", "your",
};

static int cmp_word(const void *key, const void *item)
{
    return strcmp(key, *(const char *const *)item);
}

int token_is_function_word(const char *s, size_t n)
{
    char w[16];

    if (n == 0 || n >= sizeof(w))
        return 0;
    for (size_t i = 0; i < n; i++)
        w[i] = (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] + 32 : s[i]);
    w[n] = '\0';
    return bsearch(w, function_words, sizeof(function_words) / sizeof(*function_words),
                   sizeof(*function_words), cmp_word) != NULL;
}
