/*
 * check_srcmap.c - where a passage of a normalized statement starts in
 * the raw file, for annotations (`posdiff check --format=github`).
 *
 * Normalization keeps the raw text's words (but what a rule removed), so
 * both texts are cut into words and matched: each normalized line looks
 * for its first SEQ words after the previous line's match, and a passage
 * for its own first words from its line's match, then from the start;
 * failing all, its line's match, else 0 (unknown).
 */
#include <stdlib.h>
#include <string.h>

#include "check_int.h"
#include "util/buf.h"

#define SEQ 6 /* words a match compares */

/* Length of a separator character at s (0 if it is a word character). */
static size_t sep_len(const unsigned char *s, size_t left)
{
    if (*s < 0x80)
        return ((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'z') ||
                (*s >= 'A' && *s <= 'Z'))
                   ? 0
                   : 1;
    if (left >= 2 && s[0] == 0xC2 &&
        (s[1] == 0xA0 || s[1] == 0xAB || s[1] == 0xBB))
        return 2; /* no-break space, guillemets */
    if (left >= 3 && s[0] == 0xE2 && s[1] == 0x80)
        return 3; /* U+2000..U+203F: spaces, dashes, quotes, ellipsis */
    if (left >= 3 && s[0] == 0xE3 && s[1] == 0x80 && s[2] <= 0x82)
        return 3; /* ideographic space, comma, full stop */
    return 0;
}

/* Next word at or after *pos: its start and length; 0 when none is left. */
static int next_word(const char *s, size_t n, size_t *pos, size_t *start,
                     size_t *len)
{
    size_t i = *pos, k;

    while (i < n && (k = sep_len((const unsigned char *)s + i, n - i)) > 0)
        i += k;
    if (i >= n)
        return 0;
    *start = i;
    while (i < n && sep_len((const unsigned char *)s + i, n - i) == 0)
        i++;
    *len = i - *start;
    *pos = i;
    return 1;
}

typedef struct {
    const char *s[SEQ];
    size_t len[SEQ];
    size_t n;
} wordseq;

/* The first SEQ words of text[0..n) after skipping @p skip words. */
static void first_words(wordseq *w, const char *text, size_t n, size_t skip)
{
    size_t pos = 0, start, len;

    w->n = 0;
    while (w->n < SEQ && next_word(text, n, &pos, &start, &len)) {
        if (skip) {
            skip--;
            continue;
        }
        w->s[w->n] = text + start;
        w->len[w->n++] = len;
    }
}

/* First raw word index >= from where the first @p use words of @p w occur. */
static size_t find_seq(const srcmap *m, const wordseq *w, size_t use,
                       size_t from)
{
    if (use == 0 || use > w->n)
        return (size_t)-1;
    for (size_t i = from; i + use <= m->n; i++) {
        size_t j = 0;
        while (j < use && m->len[i + j] == w->len[j] &&
               !memcmp(m->raw + m->off[i + j], w->s[j], w->len[j]))
            j++;
        if (j == use)
            return i;
    }
    return (size_t)-1;
}

static int raw_words(srcmap *m, const char *raw, size_t raw_len)
{
    size_t pos = 0, start, len, cap[3] = {0}, line = 1, seen = 0;

    while (next_word(raw, raw_len, &pos, &start, &len)) {
        if (array_grow(&m->off, &cap[0], m->n, sizeof(size_t), 256) < 0 ||
            array_grow(&m->len, &cap[1], m->n, sizeof(size_t), 256) < 0 ||
            array_grow(&m->line, &cap[2], m->n, sizeof(size_t), 256) < 0)
            return POSDIFF_ENOMEM;
        for (; seen < start; seen++)
            line += raw[seen] == '\n' ||
                    (raw[seen] == '\r' &&
                     (seen + 1 >= raw_len || raw[seen + 1] != '\n'));
        m->off[m->n] = start;
        m->len[m->n] = len;
        m->line[m->n++] = line;
    }
    return 0;
}

/* Step 1 of the opening comment for the line md[from..to), number @p ln. */
static void hint_line(srcmap *m, const char *md, size_t from, size_t to,
                      size_t ln, size_t *cursor)
{
    wordseq w;
    size_t at;

    first_words(&w, md + from, to - from, 0);
    at = find_seq(m, &w, w.n, *cursor);
    if (at == (size_t)-1 && w.n > 1) {
        first_words(&w, md + from, to - from, 1);
        at = find_seq(m, &w, w.n, *cursor);
    }
    if (at != (size_t)-1) {
        m->hint[ln] = at + 1;
        *cursor = at + 1;
    }
}

int srcmap_build(srcmap *m, const char *raw, size_t raw_len, const char *md,
                 size_t md_len, size_t body)
{
    size_t ln = 1, cursor = 0, start = 0;
    int error;

    memset(m, 0, sizeof(*m));
    m->raw = raw;
    if ((error = raw_words(m, raw, raw_len)) < 0)
        return error;
    for (size_t i = 0; i < md_len; i++)
        m->lines += md[i] == '\n';
    m->lines += 2;
    if (!(m->hint = calloc(m->lines, sizeof(*m->hint))))
        return error_oom();
    for (size_t i = 0; i <= md_len; i++) {
        if (i < md_len && md[i] != '\n')
            continue;
        if (start >= body && i > start)
            hint_line(m, md, start, i, ln, &cursor);
        ln++;
        start = i + 1;
    }
    return 0;
}

size_t srcmap_line(const srcmap *m, const char *text, size_t len,
                   size_t norm_line)
{
    size_t from = 0, own = 0, at;
    wordseq w;

    if (norm_line < m->lines && m->hint[norm_line])
        own = m->hint[norm_line];
    for (size_t l = norm_line < m->lines ? norm_line : m->lines - 1;
         l > 0 && !from; l--)
        from = m->hint[l];
    first_words(&w, text, len, 0);
    at = find_seq(m, &w, w.n, from ? from - 1 : 0);
    if (at == (size_t)-1)
        at = find_seq(m, &w, w.n, 0);
    if (at == (size_t)-1)
        at = find_seq(m, &w, 1, from ? from - 1 : 0);
    if (at != (size_t)-1)
        return m->line[at];
    return own ? m->line[own - 1] : 0;
}

void srcmap_free(srcmap *m)
{
    free(m->off);
    free(m->len);
    free(m->line);
    free(m->hint);
    memset(m, 0, sizeof(*m));
}
