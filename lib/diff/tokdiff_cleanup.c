/*
 * tokdiff_cleanup.c - make a minimal token edit script readable, in the
 * spirit of diff-match-patch's semantic cleanup, counted in words:
 *
 * 1. Slide: a pure deletion or insertion that can shift along the equal
 *    tokens beside it takes the place that best matches phrase
 *    boundaries (ties keep Myers' place).
 * 2. Fold: an equality between two changes is merged into them when it
 *    holds no word, or only function words no more than the larger side
 *    of each change; an equality holding a content word is never folded,
 *    nor one at either end of the text.  A stack makes it O(hunks).
 *
 * The result is written back into the del/ins flags.
 */
#include "tokdiff_cleanup.h"

#include <stdlib.h>
#include <string.h>

#include "util/errors.h"

typedef struct {
    tokdiff_seq *s;
    size_t *wa, *wb; /* wa[i] = word tokens among old tokens [0, i) */
    size_t *ca;      /* ca[i] = content words among old tokens [0, i) */
} cleaner;

int tokdiff_next_hunk(const tokdiff_seq *s, size_t *i, size_t *j,
                      tokdiff_hunk *h)
{
    while (*i < s->n && *j < s->m && !s->del[*i] && !s->ins[*j])
        ++*i, ++*j;
    h->a0 = *i;
    while (*i < s->n && s->del[*i])
        ++*i;
    h->a1 = *i;
    h->b0 = *j;
    while (*j < s->m && s->ins[*j])
        ++*j;
    h->b1 = *j;
    return h->a0 != h->a1 || h->b0 != h->b1;
}

static void set_flags(char *f, size_t from, size_t to, char v)
{
    for (size_t x = from; x < to; x++)
        f[x] = v;
}

/* ---- pass 1: slide pure hunks to phrase boundaries ---- */

/* One side of the diff, for sliding. */
typedef struct {
    const uint32_t *ids;
    const token *t;
    const char *text;
    size_t count;
} side;

/* 3 after sentence punctuation, 1 after other punctuation, 0 after a word. */
static int punct_score(const side *sd, size_t x)
{
    const token *t = &sd->t[x];

    if (t->kind != TOKEN_PUNCT)
        return 0;
    return t->len == 1 && strchr(".;:!?", sd->text[t->start]) ? 3 : 1;
}

static int has_newline(const side *sd, size_t x)
{
    const token *t = &sd->t[x];
    return memchr(sd->text + t->start + t->len, '\n', t->ws_len) != NULL;
}

/* How well tokens [x0, x1) read as a phrase of their own. */
static int boundary_score(const side *sd, size_t x0, size_t x1)
{
    int start = x0 == 0 ? 4 : punct_score(sd, x0 - 1) + has_newline(sd, x0 - 1);
    return start + punct_score(sd, x1 - 1);
}

/* Best position of the pure run [*x0, *x1) between lo and hi. */
static void slide_run(const side *sd, size_t lo, size_t hi, size_t *x0,
                      size_t *x1)
{
    size_t len = *x1 - *x0, p = *x0, best = *x0;
    int best_score = boundary_score(sd, *x0, *x1), sc;

    while (p > lo && sd->ids[p - 1] == sd->ids[p + len - 1])
        p--;
    for (; p + len <= hi; p++) {
        sc = boundary_score(sd, p, p + len);
        if (sc > best_score) {
            best_score = sc;
            best = p;
        }
        if (p + len == hi || sd->ids[p] != sd->ids[p + len])
            break;
    }
    *x0 = best;
    *x1 = best + len;
}

/* Slide hunk h (pure) between old bounds [alo, ahi); update the flags. */
static void slide_hunk(tokdiff_seq *s, tokdiff_hunk *h, size_t alo,
                       size_t ahi, size_t blo, size_t bhi)
{
    size_t x0, x1;

    if (h->b0 == h->b1) {
        side sd = {s->a, s->ta, s->sa, s->n};
        x0 = h->a0, x1 = h->a1;
        slide_run(&sd, alo, ahi, &x0, &x1);
        set_flags(s->del, h->a0, h->a1, 0);
        set_flags(s->del, x0, x1, 1);
        h->b0 = h->b1 = h->b0 + x0 - h->a0;
        h->a0 = x0, h->a1 = x1;
    } else if (h->a0 == h->a1) {
        side sd = {s->b, s->tb, s->sb, s->m};
        x0 = h->b0, x1 = h->b1;
        slide_run(&sd, blo, bhi, &x0, &x1);
        set_flags(s->ins, h->b0, h->b1, 0);
        set_flags(s->ins, x0, x1, 1);
        h->a0 = h->a1 = h->a0 + x0 - h->b0;
        h->b0 = x0, h->b1 = x1;
    }
}

static void slide_all(tokdiff_seq *s, tokdiff_hunk *hs, size_t nh)
{
    size_t alo, blo, ahi, bhi;

    for (size_t k = 0; k < nh; k++) {
        alo = k ? hs[k - 1].a1 : 0;
        blo = k ? hs[k - 1].b1 : 0;
        ahi = k + 1 < nh ? hs[k + 1].a0 : s->n;
        bhi = k + 1 < nh ? hs[k + 1].b0 : s->m;
        slide_hunk(s, &hs[k], alo, ahi, blo, bhi);
    }
}

/* ---- pass 2: fold short equalities into the changes around them ---- */

static size_t max_sz(size_t x, size_t y)
{
    return x > y ? x : y;
}

static size_t hunk_words(const cleaner *c, const tokdiff_hunk *h)
{
    return max_sz(c->wa[h->a1] - c->wa[h->a0], c->wb[h->b1] - c->wb[h->b0]);
}

static int should_fold(const cleaner *c, const tokdiff_hunk *h1,
                       const tokdiff_hunk *h2)
{
    size_t eq = c->wa[h2->a0] - c->wa[h1->a1];

    if (c->ca[h2->a0] != c->ca[h1->a1])
        return 0;
    return eq == 0 || (eq <= hunk_words(c, h1) && eq <= hunk_words(c, h2));
}

/* Fold in place; returns the new number of hunks. */
static size_t fold_all(const cleaner *c, tokdiff_hunk *hs, size_t nh)
{
    size_t top = 0; /* hs[0..top) is the stack */

    for (size_t k = 0; k < nh; k++) {
        hs[top++] = hs[k];
        while (top >= 2 && should_fold(c, &hs[top - 2], &hs[top - 1])) {
            hs[top - 2].a1 = hs[top - 1].a1;
            hs[top - 2].b1 = hs[top - 1].b1;
            top--;
        }
    }
    for (size_t k = 0; k < top; k++) {
        set_flags(c->s->del, hs[k].a0, hs[k].a1, 1);
        set_flags(c->s->ins, hs[k].b0, hs[k].b1, 1);
    }
    return top;
}

/* ---- driver ---- */

/* Prefix counts of the word tokens (@p text NULL) or of the content
 * words (not function words) of @p t. */
static size_t *word_prefix(const token *t, size_t count, const char *text)
{
    size_t *w = malloc((count + 1) * sizeof(*w));

    if (!w)
        return NULL;
    w[0] = 0;
    for (size_t x = 0; x < count; x++)
        w[x + 1] = w[x] + (t[x].kind == TOKEN_WORD &&
                           (!text || !token_is_function_word(text + t[x].start, t[x].len)));
    return w;
}

/* All hunks of s into a malloc'ed array (*nh of them); NULL on OOM. */
static tokdiff_hunk *collect_hunks(const tokdiff_seq *s, size_t *nh)
{
    size_t i = 0, j = 0, k = 0;
    tokdiff_hunk h, *hs;

    *nh = 0;
    while (tokdiff_next_hunk(s, &i, &j, &h))
        ++*nh;
    hs = malloc((*nh + 1) * sizeof(*hs));
    if (!hs)
        return NULL;
    i = j = 0;
    while (k < *nh && tokdiff_next_hunk(s, &i, &j, &hs[k]))
        k++;
    return hs;
}

int tokdiff_cleanup(tokdiff_seq *s)
{
    cleaner c = {s, NULL, NULL, NULL};
    tokdiff_hunk *hs;
    size_t nh;
    int err = 0;

    if (!(hs = collect_hunks(s, &nh)))
        return error_oom();
    slide_all(s, hs, nh);
    free(hs);
    c.wa = word_prefix(s->ta, s->n, NULL);
    c.wb = word_prefix(s->tb, s->m, NULL);
    c.ca = word_prefix(s->ta, s->n, s->sa);
    hs = collect_hunks(s, &nh); /* slides may have joined hunks */
    if (!c.wa || !c.wb || !c.ca || !hs)
        err = error_oom();
    else
        fold_all(&c, hs, nh);
    free(hs);
    free(c.wa);
    free(c.wb);
    free(c.ca);
    return err;
}
