/*
 * clause.c - sentences to alignment units (see clause.h).
 *
 * Enumeration: a sentence with ": " followed by at least one "; " is
 * cut into the lead-in (up to and including the colon) and one unit per
 * item; the separating "; " belongs to no unit.
 * Quotation: a double-quoted span that opens with an upper-case letter
 * and holds at least CLAUSE_MIN_QUOTE_WORDS words is a unit without its
 * quote marks; the text around it forms units of its own (if it holds
 * a word).  Quotes are straight after normalization; they pair in order.
 * Everything is linear in the sentence length.
 */
#include "clause.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/errors.h"

typedef struct {
    posdiff_sentence *items;
    size_t count, cap;
} unit_list;

static int has_word(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (isalnum((unsigned char)s[i]) || (unsigned char)s[i] >= 0x80)
            return 1;
    return 0;
}

static int push(unit_list *l, const char *s, size_t n, size_t line, int heading)
{
    while (n && isspace((unsigned char)*s))
        s++, n--;
    while (n && isspace((unsigned char)s[n - 1]))
        n--;
    if (!has_word(s, n))
        return 0;
    if (array_grow(&l->items, &l->cap, l->count, sizeof(*l->items), 64) < 0)
        return POSDIFF_ENOMEM;
    l->items[l->count++] = (posdiff_sentence){s, n, line, heading};
    return 0;
}

static size_t count_words(const char *s, size_t n)
{
    size_t words = 0;
    int in = 0;

    for (size_t i = 0; i < n; i++) {
        int w = isalnum((unsigned char)s[i]) || (unsigned char)s[i] >= 0x80 || s[i] == '-';
        words += w && !in;
        in = w;
    }
    return words;
}

/* Quotations: units for each long quoted clause and the text between. */
static int split_quotes(unit_list *l, const char *s, size_t n, size_t line)
{
    size_t from = 0, i = 0;
    int error;

    while (i < n) {
        const char *open = memchr(s + i, '"', n - i), *close;
        size_t a, b;
        if (!open || !(close = memchr(open + 1, '"', (size_t)(s + n - open - 1))))
            break;
        a = (size_t)(open - s) + 1;
        b = (size_t)(close - s);
        i = b + 1;
        if (!isupper((unsigned char)s[a]) || count_words(s + a, b - a) < CLAUSE_MIN_QUOTE_WORDS)
            continue;
        if ((error = push(l, s + from, a - 1 - from, line, 0)) < 0 ||
            (error = push(l, s + a, b - a, line, 0)) < 0)
            return error;
        from = b + 1;
    }
    return push(l, s + from, n - from, line, 0);
}

/* Enumeration after a colon: lead-in, then items between "; ". */
static int split_items(unit_list *l, const char *s, size_t n, size_t line)
{
    const char *colon = NULL, *semi;
    size_t from;
    int error;

    for (size_t i = 0; i + 1 < n; i++)
        if (s[i] == ':' && s[i + 1] == ' ') {
            colon = s + i;
            break;
        }
    semi = colon ? memchr(colon, ';', (size_t)(s + n - colon)) : NULL;
    if (!colon || !semi)
        return split_quotes(l, s, n, line);
    if ((error = push(l, s, (size_t)(colon - s) + 1, line, 0)) < 0)
        return error;
    from = (size_t)(colon - s) + 1;
    for (size_t i = from; i < n; i++)
        if (s[i] == ';') {
            if ((error = split_quotes(l, s + from, i - from, line)) < 0)
                return error;
            from = i + 1;
        }
    return split_quotes(l, s + from, n - from, line);
}

int clause_split(posdiff_sentence **out, size_t *count,
                 const posdiff_sentence *in, size_t n)
{
    unit_list l = {0};
    int error = 0;

    for (size_t i = 0; i < n && !error; i++)
        error = in[i].heading ? push(&l, in[i].text, in[i].len, in[i].line, in[i].heading)
                              : split_items(&l, in[i].text, in[i].len, in[i].line);
    if (error < 0) {
        free(l.items);
        return error;
    }
    *out = l.items;
    *count = l.count;
    return 0;
}
