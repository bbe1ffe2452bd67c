/*
 * render_html.c - HTML pieces of the published report (render_html.h).
 *
 * A statement page is the normalized statement parsed by cmark; its raw
 * HTML becomes text (an HTML block a code block, inline HTML a text
 * node, images links), so that the only raw HTML left is the highlight
 * markup added here, and the tree is rendered with CMARK_OPT_UNSAFE to
 * keep that markup.  One sentence per line: a paragraph's lines are the
 * runs of inlines between its line breaks, counted from the block's
 * start line.
 */
#include "render_html.h"

#include <stdlib.h>
#include <string.h>

#include <cmark.h>

#include "render.h"

void html_text(FILE *f, const char *s, size_t n)
{
    size_t run = 0;

    for (size_t i = 0; i < n; i++) {
        const char *e = s[i] == '&' ? "&amp;" : s[i] == '<' ? "&lt;" : s[i] == '>' ? "&gt;"
                      : s[i] == '"' ? "&quot;" : s[i] == '\'' ? "&#39;" : NULL;
        if (!e)
            continue;
        fwrite(s + run, 1, i - run, f);
        fputs(e, f);
        run = i + 1;
    }
    fwrite(s + run, 1, n - run, f);
}

void html_cstr(FILE *f, const char *s)
{
    if (s)
        html_text(f, s, strlen(s));
}

void html_md(FILE *f, const char *s, size_t n, size_t start, size_t len)
{
    size_t end = start + len < n ? start + len : n, run = start;

    for (size_t i = start; i < end; i++)
        if (s[i] == '\\' && md_is_escape(s, n, i)) {
            html_text(f, s + run, i - run);
            run = i + 1;
        }
    if (run < end)
        html_text(f, s + run, end - run);
}

void html_words(FILE *f, const posdiff_passage *p)
{
    for (size_t k = 0; k < p->op_count; k++) {
        const posdiff_op *op = &p->ops[k];
        if (op->kind == POSDIFF_OP_DELETE) {
            fputs("<del>", f);
            html_md(f, p->prev_text, p->prev_len, op->old_start, op->old_len);
            fputs("</del>", f);
        } else {
            fputs(op->kind == POSDIFF_OP_INSERT ? "<ins>" : "", f);
            html_md(f, p->text, p->len, op->new_start, op->new_len);
            fputs(op->kind == POSDIFF_OP_INSERT ? "</ins>" : "", f);
        }
    }
    if (p->op_count == 0)
        html_md(f, p->text, p->len, 0, p->len);
}

void html_marked(FILE *f, const char *s, size_t n, const posdiff_span *spans, size_t ns)
{
    size_t at = 0;

    for (size_t k = 0; k < ns; k++) {
        if (spans[k].start < at || spans[k].end > n)
            continue;
        html_md(f, s, n, at, spans[k].start - at);
        fputs("<mark>", f);
        html_md(f, s, n, spans[k].start, spans[k].end - spans[k].start);
        fputs("</mark>", f);
        at = spans[k].end;
    }
    html_md(f, s, n, at, n - at);
}

void html_source(FILE *f, const char *source)
{
    if (!source)
        return;
    if (!strncmp(source, "https://", 8) || !strncmp(source, "http://", 7)) {
        fputs("<a href=\"", f);
        html_cstr(f, source);
        fputs("\" rel=\"noopener\">", f);
        html_cstr(f, source);
        fputs("</a>", f);
    } else {
        html_cstr(f, source);
    }
}

void html_page_open(FILE *f, const char *title, const char *root)
{
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
          "<meta name=\"color-scheme\" content=\"light dark\">\n<title>", f);
    html_cstr(f, title);
    fprintf(f, "</title>\n<link rel=\"stylesheet\" href=\"%sstyle.css\">\n</head>\n<body>\n"
               "<header><nav><a href=\"%sindex.html\">Position report: overview</a></nav></header>\n"
               "<main>\n", root, root);
}

void html_page_close(FILE *f, const char *commit)
{
    fprintf(f, "</main>\n<footer><p>Made by posdiff %s from the history at commit "
               "<code>%.12s</code>.</p></footer>\n</body>\n</html>\n",
            POSDIFF_VERSION, commit ? commit : "");
}

/* ---- a statement page --------------------------------------------------- */

static int is_block_container(cmark_node_type t)
{
    return t == CMARK_NODE_PARAGRAPH || t == CMARK_NODE_HEADING;
}

/* Replace @p old by @p new (NULL: remove it). */
static void replace(cmark_node *old, cmark_node *new)
{
    if (new)
        cmark_node_insert_before(old, new);
    cmark_node_free(old); /* unlinks it */
}

/* A node of @p type with @p literal. */
static cmark_node *literal_node(cmark_node_type type, const char *literal)
{
    cmark_node *n = cmark_node_new(type);

    if (n && !cmark_node_set_literal(n, literal ? literal : "")) {
        cmark_node_free(n);
        n = NULL;
    }
    return n;
}

/* Whether a link address could run code or reach outside: kept only
 * when it is http(s), mailto or relative without a scheme. */
static int safe_url(const char *u)
{
    size_t i = strcspn(u, ":/?#");

    return u[i] != ':' || !strncmp(u, "http:", 5) || !strncmp(u, "https:", 6) ||
           !strncmp(u, "mailto:", 7);
}

/* Make the statement's own HTML text and its images links; drop the
 * posdiff front matter. */
static int defuse(cmark_node *doc)
{
    cmark_iter *it = cmark_iter_new(doc);
    cmark_node **todo = NULL, *n;
    size_t nt = 0, cap = 0;
    cmark_event_type ev;
    int rc = 0;

    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node_type t;
        n = cmark_iter_get_node(it);
        t = cmark_node_get_type(n);
        if (ev != CMARK_EVENT_ENTER || (t != CMARK_NODE_HTML_BLOCK && t != CMARK_NODE_HTML_INLINE &&
                                        t != CMARK_NODE_IMAGE && t != CMARK_NODE_LINK))
            continue;
        if (nt == cap) {
            cmark_node **p = realloc(todo, (cap = cap ? cap * 2 : 16) * sizeof(*p));
            if (!p) {
                rc = -1;
                break;
            }
            todo = p;
        }
        todo[nt++] = n;
    }
    cmark_iter_free(it);
    for (size_t k = 0; k < nt && rc == 0; k++) {
        const char *lit = cmark_node_get_literal(todo[k]), *url;
        cmark_node *m;
        switch (cmark_node_get_type(todo[k])) {
        case CMARK_NODE_HTML_BLOCK:
            replace(todo[k], !strncmp(lit, "<!-- posdiff", 12) ? NULL
                                                                : literal_node(CMARK_NODE_CODE_BLOCK, lit));
            break;
        case CMARK_NODE_HTML_INLINE:
            replace(todo[k], literal_node(CMARK_NODE_TEXT, lit));
            break;
        case CMARK_NODE_IMAGE: /* nothing is fetched: a link to it instead */
            if (!(m = cmark_node_new(CMARK_NODE_LINK))) {
                rc = -1;
                break;
            }
            cmark_node_set_url(m, cmark_node_get_url(todo[k]));
            while ((n = cmark_node_first_child(todo[k])))
                cmark_node_append_child(m, n);
            replace(todo[k], m);
            todo[k] = m;
            break;
        default:
            break;
        }
        url = rc == 0 && cmark_node_get_type(todo[k]) == CMARK_NODE_LINK
                  ? cmark_node_get_url(todo[k]) : NULL;
        if (url && !safe_url(url))
            cmark_node_set_url(todo[k], "");
    }
    free(todo);
    return rc;
}

/* The mark of @p line, or NULL. */
static const html_mark *mark_at(const html_mark *m, size_t n, size_t line)
{
    size_t lo = 0, hi = n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (m[mid].line < line)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && m[lo].line == line ? &m[lo] : NULL;
}

/* Wrap the inlines first..last (one line) of a block in the line's mark. */
static int wrap(cmark_node *first, cmark_node *last, const html_mark *m)
{
    char open[160];
    cmark_node *a, *b;

    snprintf(open, sizeof(open), "<mark class=\"passage st-%s\" id=\"l-%zu\">", m->status,
             m->line);
    a = literal_node(CMARK_NODE_HTML_INLINE, open);
    b = literal_node(CMARK_NODE_HTML_INLINE, "</mark>");
    if (!a || !b || !cmark_node_insert_before(first, a) || !cmark_node_insert_after(last, b)) {
        cmark_node_free(a);
        cmark_node_free(b);
        return -1;
    }
    if (m->html && *m->html) {
        cmark_node *tags = literal_node(CMARK_NODE_HTML_INLINE, m->html);
        if (!tags || !cmark_node_insert_after(b, tags))
            return cmark_node_free(tags), -1;
    }
    return 0;
}

/* Highlight the marked lines of one paragraph or heading. */
static int mark_block(cmark_node *block, const html_mark *marks, size_t nm)
{
    size_t line = (size_t)cmark_node_get_start_line(block);
    cmark_node *first = cmark_node_first_child(block), *n, *next;
    const html_mark *m;

    for (n = first; n; n = next) {
        cmark_node_type t = cmark_node_get_type(n);
        next = cmark_node_next(n);
        if (t != CMARK_NODE_SOFTBREAK && t != CMARK_NODE_LINEBREAK && next)
            continue;
        if (t == CMARK_NODE_SOFTBREAK || t == CMARK_NODE_LINEBREAK) {
            cmark_node *last = cmark_node_previous(n);
            if (first && first != n && (m = mark_at(marks, nm, line)) && wrap(first, last, m) < 0)
                return -1;
            first = next;
            line++;
        } else if (first && (m = mark_at(marks, nm, line)) && wrap(first, n, m) < 0) {
            return -1;
        }
    }
    return 0;
}

static int mark_lines(cmark_node *doc, const html_mark *marks, size_t nm)
{
    cmark_iter *it = cmark_iter_new(doc);
    cmark_node **blocks = NULL;
    size_t nb = 0, cap = 0;
    cmark_event_type ev;
    int rc = 0;

    while (nm && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *n = cmark_iter_get_node(it);
        if (ev != CMARK_EVENT_ENTER || !is_block_container(cmark_node_get_type(n)))
            continue;
        if (nb == cap) {
            cmark_node **p = realloc(blocks, (cap = cap ? cap * 2 : 32) * sizeof(*p));
            if (!p) {
                rc = -1;
                break;
            }
            blocks = p;
        }
        blocks[nb++] = n;
    }
    cmark_iter_free(it);
    for (size_t k = 0; k < nb && rc == 0; k++)
        rc = mark_block(blocks[k], marks, nm);
    free(blocks);
    return rc;
}

int html_statement(FILE *f, const char *md, size_t len, const html_mark *marks, size_t n)
{
    cmark_node *doc = cmark_parse_document(md, len, CMARK_OPT_DEFAULT);
    char *html = NULL;
    int rc = doc ? 0 : -1;

    if (rc == 0 && (rc = defuse(doc)) == 0 && (rc = mark_lines(doc, marks, n)) == 0) {
        if ((html = cmark_render_html(doc, CMARK_OPT_UNSAFE)))
            fputs(html, f);
        else
            rc = -1;
    }
    free(html);
    cmark_node_free(doc);
    return rc;
}
