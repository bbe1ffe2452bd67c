/*
 * segment.c - sentence segmentation of plain text.
 *
 * One left-to-right scan.  A candidate end is a run of terminators
 * (. ! ? … or the full-width 。！？) plus any closing quotes/brackets.
 * ASCII terminators need white space after them; the next sentence must
 * not start with a lowercase letter (after opening quotes/brackets).
 * A '.' does not end a sentence after an abbreviation (Mr. No. e.g.),
 * a dotted short form (U.N.), a single letter (an initial), or an item
 * number (I. 1.) that is the first word of the text.  Full-width
 * terminators always end a sentence.  Spans exclude white space.
 */
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "util/buf.h"
#include "util/errors.h"
#include "posdiff/segment.h"
#include "util/utf8.h"

static const char *const abbrevs[] = {
    "Mr", "Mrs", "Ms", "Dr", "Prof", "No", "Nos", "no", "St", "Art", "art",
    "para", "Para", "paras", "vs", "Vs", "cf", "Amb", "Gen", "Sen", "Rep",
    "Jr", "Sr", "Co", "Inc", "Ltd", "Corp", "Fig", "fig", "Vol", "vol",
    "pp", "Ch", "ch", "Sect", "sect", "Jan", "Feb", "Mar", "Apr", "Jun",
    "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec", "approx", "Rev",
    "Hon", "Excl", "Nr", NULL};

static int is_cjk_stop(int32_t c)
{
    return c == 0x3002 || c == 0xFF01 || c == 0xFF1F || c == 0xFF0E;
}

static int is_term(int32_t c)
{
    return c == '.' || c == '!' || c == '?' || c == 0x2026 || is_cjk_stop(c);
}

static int is_closer(int32_t c)
{
    return c == '"' || c == '\'' || c == ')' || c == ']' || c == 0x201D ||
           c == 0x2019 || c == 0xBB || c == 0x300D || c == 0x300F ||
           c == 0xFF09;
}

static int is_opener(int32_t c)
{
    return c == '"' || c == '\'' || c == '(' || c == '[' || c == 0x201C ||
           c == 0x2018 || c == 0xAB || c == 0x300C || c == 0x300E ||
           c == 0xFF08;
}

static int is_lower(int32_t c)
{
    return utf8proc_category(c) == UTF8PROC_CATEGORY_LL;
}

static int is_roman_or_digits(const char *w, size_t n)
{
    size_t i, digits = 0, roman = 0;

    for (i = 0; i < n; i++) {
        digits += (w[i] >= '0' && w[i] <= '9');
        roman += strchr("IVXLivxl", w[i]) != NULL && w[i] != '\0';
    }
    return n > 0 && (digits == n || roman == n);
}

/* "U.N", "e.g", "U.S.A": dot-separated pieces of at most 2 letters. */
static int is_dotted(const char *w, size_t n)
{
    size_t i, piece = 0, dots = 0;

    for (i = 0; i < n; i++) {
        if (w[i] == '.') {
            if (piece == 0)
                return 0;
            piece = 0;
            dots++;
        } else if (((w[i] | 0x20) >= 'a' && (w[i] | 0x20) <= 'z') && ++piece <= 2) {
            continue;
        } else {
            return 0;
        }
    }
    return dots > 0 && piece > 0;
}

static int in_list(const char *w, size_t n)
{
    size_t i;

    for (i = 0; abbrevs[i]; i++)
        if (strlen(abbrevs[i]) == n && memcmp(abbrevs[i], w, n) == 0)
            return 1;
    return 0;
}

/* Does the word ending just before the '.' at @p dot block a boundary? */
static int no_split_word(const char *t, size_t dot)
{
    size_t b = dot, n;
    const char *w;

    while (b > 0 && t[b - 1] != ' ' && t[b - 1] != '\n' && t[b - 1] != '\t') {
        int32_t c;
        /* a full-width stop ends the word before it: "a？Mr." is "Mr." */
        if (b >= 3 && utf8_decode(t + b - 3, 3, &c) == 3 && is_cjk_stop(c))
            break;
        b--;
    }
    while (b < dot && strchr("(\"'[", t[b]))
        b++;
    w = t + b;
    n = dot - b;
    if (n == 0)
        return 0;
    if (in_list(w, n) || is_dotted(w, n))
        return 1;
    if (n == 1 && ((w[0] | 0x20) >= 'a' && (w[0] | 0x20) <= 'z'))
        return 1;
    if (is_roman_or_digits(w, n)) {
        size_t k = 0;
        while (k < b && strchr(" \t\n", t[k]))
            k++;
        return k == b; /* first word of the text: an item number */
    }
    return 0;
}

static int is_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
           c == '\v';
}

static size_t skip_ws(const char *t, size_t i, size_t len)
{
    while (i < len && is_ws(t[i]))
        i++;
    return i;
}

/* Past the terminator run and closers at @p i; sets *cjk. */
static size_t end_of_run(const char *t, size_t i, size_t len, int *cjk)
{
    int32_t c;
    size_t n;

    *cjk = 0;
    while (i < len && (n = utf8_decode(t + i, len - i, &c)) && is_term(c)) {
        *cjk |= is_cjk_stop(c);
        i += n;
    }
    while (i < len && (n = utf8_decode(t + i, len - i, &c)) && is_closer(c))
        i += n;
    return i;
}

/* Does a sentence start at @p k (not a lowercase word)? */
static int starts_sentence(const char *t, size_t k, size_t len)
{
    int32_t c = 0;
    size_t n;

    while (k < len && (n = utf8_decode(t + k, len - k, &c)) && is_opener(c))
        k += n;
    if (k >= len)
        return 0;
    utf8_decode(t + k, len - k, &c);
    return !is_lower(c);
}

/* If the terminator run at @p i ends a sentence, its end; else 0. */
static size_t boundary_at(const char *t, size_t i, size_t len, size_t *next)
{
    int cjk;
    size_t end = end_of_run(t, i, len, &cjk);
    size_t k = skip_ws(t, end, len);

    *next = end;
    if (k >= len)
        return 0;
    if (cjk) {
        *next = k;
        return end;
    }
    if (k == end || !starts_sentence(t, k, len))
        return 0;
    if (t[i] == '.' && no_split_word(t, i))
        return 0;
    *next = k;
    return end;
}

static int push(posdiff_span **v, size_t *n, size_t *cap, size_t s, size_t e)
{
    if (array_grow(v, cap, *n, sizeof(**v), 16) < 0)
        return POSDIFF_ENOMEM;
    (*v)[*n].start = s;
    (*v)[(*n)++].end = e;
    return 0;
}

/* Index of the next non-ASCII byte or ASCII terminator (. ! ?) in
 * t[i..len), or len; eight bytes at a time. */
static size_t next_candidate(const char *t, size_t i, size_t len)
{
    uint64_t w;
    unsigned char b;

    while (len - i >= 8) {
        w = utf8_word(t + i);
        if ((w & UTF8_WORD_HI) || utf8_word_eq(w, '.') |
                                      utf8_word_eq(w, '!') |
                                      utf8_word_eq(w, '?'))
            break;
        i += 8;
    }
    while (i < len && (b = (unsigned char)t[i]) < 0x80 && b != '.' &&
           b != '!' && b != '?')
        i++;
    return i;
}

int posdiff_segment(posdiff_span **out, size_t *count, const char *text,
                    size_t len)
{
    posdiff_span *v = NULL;
    size_t n = 0, cap = 0, i, start, end, next, last;
    int32_t c;

    *out = NULL;
    *count = 0;
    start = i = skip_ws(text, 0, len);
    while (i < len) {
        size_t step;
        if ((i = next_candidate(text, i, len)) >= len)
            break; /* skipped: ASCII, not a terminator, no decoding */
        step = utf8_decode(text + i, len - i, &c);
        if (!is_term(c)) {
            i += step;
            continue;
        }
        end = boundary_at(text, i, len, &next);
        if (end && push(&v, &n, &cap, start, end) < 0)
            goto oom;
        if (end)
            start = next;
        i = next > i ? next : i + step;
    }
    last = len;
    while (last > start && is_ws(text[last - 1]))
        last--;
    if (last > start && push(&v, &n, &cap, start, last) < 0)
        goto oom;
    *out = v;
    *count = n;
    return 0;
oom:
    free(v);
    return POSDIFF_ENOMEM;
}
