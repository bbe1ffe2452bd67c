/*
 * doc.c - the sentences of a normalized statement.
 *
 * A line scan that agrees with mdrender.c: the output has one sentence
 * per line, so every non-blank line of the body is a sentence once its
 * indentation and block marker ("## ", "  - ", "1. ") are removed.  The
 * leading "<!-- posdiff ... -->" front matter is skipped.
 */
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/errors.h"
#include "posdiff/align.h"

#include "clause.h"

/* Bytes of indentation and block marker at the start of s[0..n). */
static size_t marker_len(const char *s, size_t n)
{
    size_t i = 0, k;

    while (i < n && s[i] == ' ')
        i++;
    for (k = i; k < n && k - i < 6 && s[k] == '#'; k++)
        ;
    if (k > i && (k == n || s[k] == ' '))
        return k + (k < n);
    if (i + 1 < n && strchr("-*+", s[i]) && s[i + 1] == ' ')
        return i + 2;
    for (k = i; k < n && k - i < 9 && s[k] >= '0' && s[k] <= '9'; k++)
        ;
    if (k > i && k + 1 < n && (s[k] == '.' || s[k] == ')') && s[k + 1] == ' ')
        return k + 2;
    return i;
}

/* Offset of the body: after a leading front matter comment, if any. */
static size_t skip_front_matter(const char *md, size_t len, size_t *line)
{
    size_t i = 0;

    *line = 1;
    if (len < 12 || memcmp(md, "<!-- posdiff", 12) != 0)
        return 0;
    while (i < len) {
        const char *nl = memchr(md + i, '\n', len - i);
        size_t end = nl ? (size_t)(nl - md) : len;
        int last = end - i >= 3 && memcmp(md + end - 3, "-->", 3) == 0;
        i = nl ? end + 1 : len;
        (*line)++;
        if (last)
            return i;
    }
    return 0;
}

static int push(posdiff_sentence **v, size_t *n, size_t *cap,
                const char *s, size_t len, size_t line)
{
    if (array_grow(v, cap, *n, sizeof(**v), 64) < 0)
        return POSDIFF_ENOMEM;
    (*v)[(*n)++] = (posdiff_sentence){s, len, line, 0};
    return 0;
}

static int doc_lines(posdiff_sentence **out, size_t *count, const char *md,
                     size_t len)
{
    posdiff_sentence *v = NULL;
    size_t n = 0, cap = 0, line, i = skip_front_matter(md, len, &line);

    if (i == 0)
        line = 1;
    while (i < len) {
        const char *nl = memchr(md + i, '\n', len - i);
        size_t end = nl ? (size_t)(nl - md) : len, m;
        m = i + marker_len(md + i, end - i);
        while (end > m && (md[end - 1] == ' ' || md[end - 1] == '\r'))
            end--;
        if (end > m && push(&v, &n, &cap, md + m, end - m, line) < 0) {
            free(v);
            return POSDIFF_ENOMEM;
        }
        if (end > m && md[i] == '#') { /* an ATX heading: the renderer's only kind */
            int level = 0;
            while (level < 6 && md[i + (size_t)level] == '#')
                level++;
            v[n - 1].heading = level;
        }
        i = nl ? (size_t)(nl - md) + 1 : len;
        line++;
    }
    *out = v;
    *count = n;
    return 0;
}

int posdiff_doc_sentences(posdiff_sentence **out, size_t *count,
                          const char *md, size_t len)
{
    posdiff_sentence *lines = NULL;
    size_t n = 0;
    int error;

    if ((error = doc_lines(&lines, &n, md, len)) < 0)
        return error;
    error = clause_split(out, count, lines, n);
    free(lines);
    return error;
}
