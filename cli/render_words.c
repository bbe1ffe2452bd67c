/*
 * render_words.c - one inline word diff for every renderer (log text,
 * diff --words, check text): [-deleted-]{+inserted+}, or red/green runs
 * in colour.  A change that is only white space (the library reports
 * it so that ops rebuild both texts) is no wording change: its new
 * white space is printed plainly and the old one dropped.  Passages are
 * CommonMark lines; md_write prints them without their escapes.
 */
#include <ctype.h>
#include <string.h>

#include "render.h"

int md_is_escape(const char *s, size_t n, size_t i)
{
    size_t before = 0;

    if (s[i] != '\\' || i + 1 >= n || !ispunct((unsigned char)s[i + 1]))
        return 0;
    while (before < i && s[i - 1 - before] == '\\')
        before++;
    return before % 2 == 0;
}

static int only_space(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!strchr(" \t\n", s[i]))
            return 0;
    return 1;
}

void md_write(FILE *f, const char *s, size_t n, size_t start, size_t len, int unescape)
{
    size_t end = start + len < n ? start + len : n, run = start;

    if (start >= end)
        return;
    for (size_t i = start; unescape && i < end; i++)
        if (s[i] == '\\' && md_is_escape(s, n, i)) {
            fwrite(s + run, 1, i - run, f);
            run = i + 1;
        }
    fwrite(s + run, 1, end - run, f); /* runs, not a call per byte */
}

const char *render_markers[4] = {"[-", "-]", "{+", "+}"};

int render_set_markers(const char *const m[4])
{
    static const char *const opt[4] = {"-w", "-x", "-y", "-z"};

    for (int k = 0; k < 4; k++) {
        if (!m[k])
            continue;
        if (!*m[k] && (k == 0 || k == 2))
            return fprintf(stderr, "posdiff: error: %s '': a start marker cannot be empty; give "
                                   "a mark such as '[-'\n", opt[k]), 2;
        render_markers[k] = m[k];
    }
    return 0;
}

void render_words(FILE *f, const posdiff_passage *p, int color, int unescape)
{
    for (size_t k = 0; k < p->op_count; k++) {
        const posdiff_op *op = &p->ops[k];
        int del = op->kind == POSDIFF_OP_DELETE;
        const char *base = del ? p->prev_text : p->text;
        size_t len = del ? p->prev_len : p->len;
        size_t start = del ? op->old_start : op->new_start;
        size_t n = del ? op->old_len : op->new_len;

        size_t lead = 0, trail = 0;

        if (op->kind == POSDIFF_OP_EQUAL || (!del && only_space(base + start, n))) {
            md_write(f, base, len, start, n, unescape);
            continue;
        }
        if (del && only_space(base + start, n))
            continue;
        /* an insertion's surrounding spaces are printed outside the marks */
        while (!del && lead < n && strchr(" \t\n", base[start + lead]))
            lead++;
        while (!del && trail < n - lead && strchr(" \t\n", base[start + n - 1 - trail]))
            trail++;
        md_write(f, base, len, start, lead, unescape);
        /* in colour a deletion and the insertion after it would read as
         * one word where the terminal shows no colour: a space between */
        if (color && !del && lead == 0 && k > 0 && p->ops[k - 1].kind == POSDIFF_OP_DELETE &&
            p->ops[k - 1].old_len && !strchr(" \t\n", p->prev_text[p->ops[k - 1].old_start +
                                                                   p->ops[k - 1].old_len - 1]))
            fputc(' ', f);
        fputs(color ? (del ? RED : GREEN) : render_markers[del ? 0 : 2], f);
        md_write(f, base, len, start + lead, n - lead - trail, unescape);
        fputs(color ? RESET : render_markers[del ? 1 : 3], f);
        md_write(f, base, len, start + n - trail, trail, unescape);
    }
}
