/*
 * render_diff.c - print a comparison of two statements (formats:
 * cli/COMMANDS.md).  Inline (--words): git --word-diff style, one line
 * per passage that is not unchanged.  Side by side: each side is built
 * as styled text (bytes and a style per byte), wrapped greedily at
 * spaces (hard breaks inside words longer than a column) and padded by
 * display width (utf8proc_charwidth), so no row exceeds the terminal.
 */
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "render.h"
#include "render_diff.h"

enum { PLAIN = 0, DELETED = 1, INSERTED = 2 };

/* ---- side by side: styled text ---- */

typedef struct {
    char *s;          /* bytes */
    unsigned char *st; /* style of each byte */
    size_t n, cap;
} styled;

static void sput(styled *t, const char *s, size_t n, unsigned char style)
{
    if (t->n + n > t->cap) {
        size_t cap = (t->n + n) * 2 + 64;
        char *s2 = realloc(t->s, cap);
        unsigned char *st2 = s2 ? realloc(t->st, cap) : NULL;
        if (s2)
            t->s = s2;
        if (!st2)
            return; /* out of memory: the side is shown truncated */
        t->st = st2;
        t->cap = cap;
    }
    for (size_t i = 0; i < n; i++) {
        t->s[t->n] = s[i] == '\n' || s[i] == '\t' ? ' ' : s[i];
        t->st[t->n++] = style;
    }
}

static void styled_free(styled *t)
{
    free(t->s);
    free(t->st);
}

/* A marked run: [-x-] / {+x+} in plain text, a style in colour. */
static void sput_run(styled *t, const char *s, size_t n, unsigned char style,
                     int color)
{
    size_t text = n;

    if (color) {
        sput(t, s, n, style);
        return;
    }
    while (text && s[text - 1] == ' ')
        text--; /* keep the spaces outside the marker */
    sput(t, render_markers[style == DELETED ? 0 : 2], strlen(render_markers[style == DELETED ? 0 : 2]), PLAIN);
    sput(t, s, text, PLAIN);
    sput(t, render_markers[style == DELETED ? 1 : 3], strlen(render_markers[style == DELETED ? 1 : 3]), PLAIN);
    sput(t, s + text, n - text, PLAIN);
}

/* The two sides of a linked passage. */
static void sides_of(styled *l, styled *r, const posdiff_passage *p, int color)
{
    for (size_t k = 0; k < p->op_count; k++) {
        const posdiff_op *op = &p->ops[k];
        if (op->kind == POSDIFF_OP_EQUAL) {
            sput(l, p->prev_text + op->old_start, op->old_len, PLAIN);
            sput(r, p->text + op->new_start, op->new_len, PLAIN);
        } else if (op->kind == POSDIFF_OP_DELETE) {
            sput_run(l, p->prev_text + op->old_start, op->old_len, DELETED, color);
        } else {
            sput_run(r, p->text + op->new_start, op->new_len, INSERTED, color);
        }
    }
}

/* Display width of the UTF-8 character at s (its byte length in *n). */
static int char_width(const char *s, size_t avail, size_t *n)
{
    utf8proc_int32_t cp;
    utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s,
                                          (utf8proc_ssize_t)avail, &cp);
    int w;

    if (k <= 0) {
        *n = 1;
        return 1;
    }
    *n = (size_t)k;
    w = utf8proc_charwidth(cp);
    return w < 0 ? 0 : w;
}

/* ---- side by side: wrapping ---- */

typedef struct {
    size_t start, end; /* byte range of the row */
    int width;         /* its display width */
} row;

typedef struct {
    row *v;
    size_t n, cap;
} rows;

static void push_row(rows *r, size_t s, size_t e, int w)
{
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 8;
        row *p = realloc(r->v, cap * sizeof(*p));
        if (!p)
            return;
        r->v = p;
        r->cap = cap;
    }
    r->v[r->n++] = (row){s, e, w};
}

/* Display width of t->s[s..e). */
static int measure(const styled *t, size_t s, size_t e)
{
    int w = 0;
    size_t n;

    for (size_t i = s; i < e; i += n)
        w += char_width(t->s + i, e - i, &n);
    return w;
}

/* Greedy wrap of @p t at spaces into rows of at most @p cw columns. */
static void wrap(rows *out, const styled *t, int cw)
{
    size_t start = 0, i = 0, brk = 0, n;
    int w = 0;

    while (i < t->n) {
        int cwid = char_width(t->s + i, t->n - i, &n);
        if (w + cwid > cw && i > start) {
            size_t end = brk > start ? brk : i;
            push_row(out, start, end, measure(t, start, end));
            start = end;
            while (start < t->n && t->s[start] == ' ')
                start++;
            i = start;
            brk = start;
            w = 0;
            continue;
        }
        w += cwid;
        i += n;
        if (t->s[i - n] == ' ')
            brk = i - n; /* a row may end before this space */
    }
    if (t->n > start)
        push_row(out, start, t->n, measure(t, start, t->n));
}

static void print_range(FILE *f, const styled *t, const row *r, int color)
{
    unsigned char cur = PLAIN;

    for (size_t i = r->start; i < r->end; i++) {
        if (color && t->st[i] != cur) {
            cur = t->st[i];
            fputs(cur == DELETED ? RED : cur == INSERTED ? GREEN : RESET, f);
        }
        fputc(t->s[i], f);
    }
    if (color && cur != PLAIN)
        fputs(RESET, f);
}

/* Column width: "M " + left + " | " + right fits in v->width. */
static int column_width(const diff_view *v)
{
    int cw = (v->width - 5) / 2;
    return cw < 10 ? 10 : cw;
}

/* @p l and @p r in two columns under @p mark (one column wide:
 * render_mark); frees both. */
static void print_rows(FILE *f, const char *mark, styled *l, styled *r, const diff_view *v)
{
    rows lr = {NULL, 0, 0}, rr = {NULL, 0, 0};
    int cw = column_width(v), color = v->color;
    size_t n;

    wrap(&lr, l, cw);
    wrap(&rr, r, cw);
    n = lr.n > rr.n ? lr.n : rr.n;
    for (size_t k = 0; k < n || k == 0; k++) {
        int lw = k < lr.n ? lr.v[k].width : 0;
        fprintf(f, "%s ", k == 0 ? mark : " ");
        if (k < lr.n)
            print_range(f, l, &lr.v[k], color);
        fprintf(f, "%*s |", cw - lw, "");
        if (k < rr.n) {
            fputc(' ', f);
            print_range(f, r, &rr.v[k], color);
        }
        fputc('\n', f);
    }
    free(lr.v);
    free(rr.v);
    styled_free(l);
    styled_free(r);
}

/* A line wrapped to @p width columns (bold in colour). */
static void wrapped(FILE *f, const char *s, int width, int color)
{
    styled t = {NULL, NULL, 0, 0};
    rows r = {NULL, 0, 0};

    sput(&t, s, strlen(s), PLAIN);
    wrap(&r, &t, width > 10 ? width : 10);
    for (size_t k = 0; k < r.n; k++) {
        fputs(color ? BOLD : "", f);
        print_range(f, &t, &r.v[k], 0);
        fputs(color ? RESET "\n" : "\n", f);
    }
    free(r.v);
    styled_free(&t);
}

static void side_row(FILE *f, const char *mark, const char *lt, size_t ln,
                     const char *rt, size_t rn, const diff_view *v)
{
    styled l = {NULL, NULL, 0, 0}, r = {NULL, NULL, 0, 0};

    sput(&l, lt, ln, !strcmp(mark, "-") ? DELETED : PLAIN);
    sput(&r, rt, rn, !strcmp(mark, "+") ? INSERTED : PLAIN);
    print_rows(f, mark, &l, &r, v);
}

static void side_passage(FILE *f, const posdiff_passage *p, const diff_view *v)
{
    styled l = {NULL, NULL, 0, 0}, r = {NULL, NULL, 0, 0};
    char notes[RENDER_NOTES_MAX];

    if (p->status == POSDIFF_PASSAGE_ADDED) {
        side_row(f, "+", "", 0, p->text, p->len, v);
        return;
    }
    if (p->status == POSDIFF_PASSAGE_RESTATED) { /* no word diff: both in full */
        sput(&l, p->prev_text, p->prev_len, PLAIN);
        sput(&r, p->text, p->len, PLAIN);
    } else {
        sides_of(&l, &r, p, v->color);
    }
    if (p->status == POSDIFF_PASSAGE_MOVED)
        sput(&r, " (moved)", 8, PLAIN);
    render_notes(notes, sizeof(notes), p, v->dates);
    sput(&r, notes, strlen(notes), PLAIN);
    print_rows(f, render_mark(p->status), &l, &r, v);
}

/* ---- header and groups ---- */

void render_diff_header(FILE *f, const diff_view *v)
{
    if (!v->side) {
        fprintf(f, v->color ? BOLD "diff %s -> %s" RESET "\n\n" : "diff %s -> %s\n\n",
                v->old_label, v->new_label);
        return;
    }
    side_row(f, " ", v->old_label, strlen(v->old_label), v->new_label,
             strlen(v->new_label), v);
    fputc('\n', f);
}

static void title_line(FILE *f, const posdiff_comparison *c, size_t i,
                       const posdiff_position *pos, const diff_view *v)
{
    char line[512];

    if (!pos)
        return;
    snprintf(line, sizeof(line), "%s (%s)  %s", pos->title ? pos->title : pos->id,
             pos->id, posdiff_entry_status_name(posdiff_comparison_status(c, i)));
    if (v->side)
        wrapped(f, line, v->width, v->color);
    else
        fprintf(f, v->color ? BOLD "%s" RESET "\n" : "%s\n", line);
}

static void inline_passage(FILE *f, const posdiff_passage *p, const diff_view *v)
{
    int color = v->color;

    if (color && p->status == POSDIFF_PASSAGE_MOVED)
        fprintf(f, "    " CYAN "%s" RESET " ", render_mark(p->status));
    else
        render_mark_text(f, p, color);
    if (p->status == POSDIFF_PASSAGE_ADDED)
        fprintf(f, color ? GREEN "%.*s" RESET : "%.*s", (int)p->len, p->text);
    else if (p->status == POSDIFF_PASSAGE_RESTATED)
        render_restated_text(f, p, color, 0);
    else
        render_words(f, p, color, 0);
    if (p->status == POSDIFF_PASSAGE_MOVED)
        fputs(" (moved)", f);
    render_notes_text(f, p, v->dates);
    fputc('\n', f);
    render_sources_text(f, p, v->dates, color, 0);
}

void render_diff_group(FILE *f, const posdiff_comparison *c, size_t i,
                       const posdiff_position *pos, const diff_view *v)
{
    size_t n = posdiff_comparison_passage_count(c, i);
    size_t d = posdiff_comparison_dropped_count(c, i);

    title_line(f, c, i, pos, v);
    if (!pos && posdiff_comparison_status(c, i) == POSDIFF_ENTRY_UNCHANGED)
        fputs(v->side ? "  (no differences)\n" : "    (no differences)\n", f);
    for (size_t k = 0; k < n; k++) {
        const posdiff_passage *p = posdiff_comparison_passage(c, i, k);
        if (p->status == POSDIFF_PASSAGE_UNCHANGED)
            continue;
        if (v->side)
            side_passage(f, p, v);
        else
            inline_passage(f, p, v);
    }
    for (size_t k = 0; k < d; k++) {
        const posdiff_dropped *dp = posdiff_comparison_dropped(c, i, k);
        if (v->side)
            side_row(f, "-", dp->text, dp->len, "", 0, v);
        else
            fprintf(f, v->color ? "    - " RED "%.*s" RESET "\n" : "    - %.*s\n",
                    (int)dp->len, dp->text);
    }
}

/* ---- stat ---- */

void render_diff_stat(FILE *f, const char *name, int name_width,
                      const posdiff_compare_stat *s, const render_word_stat *w)
{
    fprintf(f, " %-*s | %zu changed, %zu moved, %zu restated, %zu added, %zu dropped, "
               "%zu unchanged; words: %zu deleted, %zu inserted, %zu changed\n",
            name_width, name, s->changed, s->moved, s->restated, s->added, s->dropped,
            s->unchanged, w->deleted, w->inserted, w->changed_old);
}
