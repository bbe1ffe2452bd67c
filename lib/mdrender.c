/*
 * mdrender.c - blocks to CommonMark through a cmark AST.
 *
 * 1. The blocks are written as intermediate Markdown whose block
 *    structure we control: a paragraph's first characters that cmark
 *    would read as block syntax are backslash-escaped; consecutive
 *    items form one tight list.
 * 2. cmark parses it; in every paragraph, soft breaks become spaces,
 *    adjacent text nodes merge, and posdiff_segment() finds sentence
 *    boundaries; each boundary that falls inside one top-level text node
 *    becomes a soft break, so the output has one sentence per line.
 * 3. The front matter is an HTML block node prepended to the document;
 *    cmark_render_commonmark(CMARK_OPT_DEFAULT, width 0) renders it all.
 */
#include "mdrender.h"

#include <stdlib.h>
#include <string.h>

#include <cmark.h>

#include "buf.h"
#include "errors.h"
#include "posdiff/segment.h"

/* 1 if s is a thematic break or fence made of character c. */
static int run_of(const char *s, size_t len, char c, int fence)
{
    size_t i, n = 0;

    for (i = 0; i < len && (s[i] == c || (!fence && s[i] == ' ')); i++)
        n += s[i] == c;
    return n >= 3 && (fence || i == len);
}

/* Length of the prefix to escape at the start of a block's text (the
 * byte to escape is at the returned index - 1), or 0. */
static size_t block_syntax(const char *s, size_t len)
{
    size_t n = 0;

    if (len == 0)
        return 0;
    if (s[0] == '#' || s[0] == '>' || s[0] == '=')
        return 1;
    if (s[0] == '<' && len > 1 && (s[1] == '!' || s[1] == '?' ||
                                   s[1] == '/' || strchr("abcdefghijklmnopqrstuvwxyz", s[1] | 0x20)))
        return 1;
    if ((s[0] == '-' || s[0] == '+' || s[0] == '*') &&
        (len == 1 || s[1] == ' ' || s[1] == '-'))
        return 1;
    if (run_of(s, len, '*', 0) || run_of(s, len, '_', 0) ||
        run_of(s, len, '`', 1) || run_of(s, len, '~', 1))
        return 1;
    while (n < len && n < 10 && s[n] >= '0' && s[n] <= '9')
        n++;
    if (n > 0 && n < 10 && n < len && (s[n] == '.' || s[n] == ')') &&
        (n + 1 == len || s[n + 1] == ' '))
        return n + 1;
    return 0;
}

static void put_escaped(buf *out, const char *s, size_t len)
{
    size_t k = block_syntax(s, len);

    if (k > 0) {
        buf_put(out, s, k - 1);
        buf_putc(out, '\\');
        s += k - 1;
        len -= k - 1;
    }
    buf_put(out, s, len);
}

static int is_item(const block *x)
{
    return x->kind == BK_BULLET || x->kind == BK_ORDERED;
}

static void put_block(buf *out, const block *x, const block *prev)
{
    if (prev && !(is_item(x) && prev->kind == x->kind))
        buf_putc(out, '\n');
    switch (x->kind) {
    case BK_HEADING:
        buf_printf(out, "%.*s ", x->level, "######");
        buf_put(out, x->text, x->len);
        break;
    case BK_BULLET:
        buf_puts(out, "- ");
        put_escaped(out, x->text, x->len);
        break;
    case BK_ORDERED:
        buf_put(out, x->text, x->len);
        break;
    default:
        put_escaped(out, x->text, x->len);
    }
    buf_putc(out, '\n');
}

static int intermediate(buf *out, const block_list *b)
{
    size_t i;

    buf_puts(out, "");
    for (i = 0; i < b->n; i++)
        put_block(out, &b->v[i], i ? &b->v[i - 1] : NULL);
    return buf_ok(out);
}

/* Soft breaks become spaces; adjacent text children merge. */
static int merge_text(cmark_node *para)
{
    cmark_node *c, *next;
    buf b = BUF_INIT;
    int ok = 1;

    for (c = cmark_node_first_child(para); c && ok; c = next) {
        next = cmark_node_next(c);
        if (cmark_node_get_type(c) == CMARK_NODE_SOFTBREAK) {
            cmark_node *t = cmark_node_new(CMARK_NODE_TEXT);
            ok = t && cmark_node_set_literal(t, " ") && cmark_node_replace(c, t);
            cmark_node_free(c);
        }
    }
    for (c = cmark_node_first_child(para); c && ok; c = next) {
        next = cmark_node_next(c);
        if (!next || cmark_node_get_type(c) != CMARK_NODE_TEXT ||
            cmark_node_get_type(next) != CMARK_NODE_TEXT)
            continue;
        buf_clear(&b);
        buf_puts(&b, cmark_node_get_literal(c));
        buf_puts(&b, cmark_node_get_literal(next));
        ok = buf_ok(&b) == 0 && cmark_node_set_literal(c, b.ptr);
        cmark_node_free(next);
        next = c;
    }
    buf_free(&b);
    return ok ? 0 : error_oom();
}

typedef struct {
    cmark_node *node; /* a text child of the paragraph */
    size_t start;     /* its literal's range in the flat text */
    size_t end;
} text_run;

typedef struct {
    buf flat;     /* the paragraph's plain text */
    text_run *runs;
    size_t n, cap;
} para_text;

static int add_run(para_text *p, cmark_node *node, size_t start)
{
    if (p->n == p->cap) {
        size_t nc = p->cap ? p->cap * 2 : 8;
        text_run *r = realloc(p->runs, nc * sizeof(*r));
        if (!r)
            return error_oom();
        p->runs = r;
        p->cap = nc;
    }
    p->runs[p->n].node = node;
    p->runs[p->n].start = start;
    p->runs[p->n++].end = p->flat.len;
    return 0;
}

/* Plain text of @p para, with the ranges of its top-level text nodes. */
static int flatten(para_text *p, cmark_node *para)
{
    cmark_iter *it = cmark_iter_new(para);
    cmark_event_type ev;
    int err = 0;

    if (!it)
        return error_oom();
    buf_puts(&p->flat, "");
    while (err == 0 && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *n = cmark_iter_get_node(it);
        cmark_node_type t = cmark_node_get_type(n);
        size_t start = p->flat.len;
        if (ev != CMARK_EVENT_ENTER)
            continue;
        if (t == CMARK_NODE_TEXT || t == CMARK_NODE_CODE ||
            t == CMARK_NODE_HTML_INLINE)
            buf_puts(&p->flat, cmark_node_get_literal(n));
        else if (t == CMARK_NODE_SOFTBREAK || t == CMARK_NODE_LINEBREAK)
            buf_putc(&p->flat, '\n');
        if (t == CMARK_NODE_TEXT && cmark_node_parent(n) == para)
            err = add_run(p, n, start);
    }
    cmark_iter_free(it);
    return err ? err : buf_ok(&p->flat);
}

/* Cut run @p r at the gap [g0, g1): left text, soft break, right text. */
static int split_run(const text_run *r, size_t g0, size_t g1)
{
    const char *lit = cmark_node_get_literal(r->node);
    cmark_node *br = cmark_node_new(CMARK_NODE_SOFTBREAK);
    cmark_node *right = cmark_node_new(CMARK_NODE_TEXT);
    char *left = strdup(lit);
    int ok = br && right && left;

    if (ok) {
        left[g0 - r->start] = '\0';
        ok = cmark_node_set_literal(right, lit + (g1 - r->start)) &&
             cmark_node_insert_after(r->node, br) &&
             cmark_node_insert_after(br, right) &&
             cmark_node_set_literal(r->node, left);
    }
    free(left);
    if (ok && right && *cmark_node_get_literal(right) == '\0')
        cmark_node_free(right);
    else if (!ok)
        cmark_node_free(right);
    if (!ok)
        cmark_node_free(br);
    if (ok && g0 == r->start)
        cmark_node_free(r->node);
    return ok ? 0 : error_oom();
}

/* Index of the run holding the gap [g0, g1), or p->n. */
static size_t run_of_gap(const para_text *p, size_t g0, size_t g1)
{
    size_t i;

    for (i = 0; i < p->n; i++)
        if (p->runs[i].start <= g0 && g1 <= p->runs[i].end)
            return i;
    return p->n;
}

/* One sentence per line inside @p para. */
static int split_sentences(cmark_node *para)
{
    para_text p = {BUF_INIT, NULL, 0, 0};
    posdiff_span *sp = NULL;
    size_t n = 0, i, r;
    int err;

    if ((err = merge_text(para)) < 0 || (err = flatten(&p, para)) < 0 ||
        (err = posdiff_segment(&sp, &n, p.flat.ptr, p.flat.len)) < 0)
        goto done;
    for (i = n; i-- > 1 && err == 0;) {
        r = run_of_gap(&p, sp[i - 1].end, sp[i].start);
        if (r < p.n)
            err = split_run(&p.runs[r], sp[i - 1].end, sp[i].start);
    }
done:
    free(sp);
    free(p.runs);
    buf_free(&p.flat);
    return err;
}

static int split_all(cmark_node *doc)
{
    cmark_iter *it = cmark_iter_new(doc);
    cmark_node **paras = NULL, **np;
    size_t n = 0, i;
    int err = 0;

    if (!it)
        return error_oom();
    while (err == 0 && cmark_iter_next(it) != CMARK_EVENT_DONE) {
        cmark_node *x = cmark_iter_get_node(it);
        if (cmark_iter_get_event_type(it) != CMARK_EVENT_ENTER ||
            cmark_node_get_type(x) != CMARK_NODE_PARAGRAPH)
            continue;
        np = realloc(paras, (n + 1) * sizeof(*np));
        if (!np)
            err = error_oom();
        else
            (paras = np)[n++] = x;
    }
    cmark_iter_free(it);
    for (i = 0; i < n && err == 0; i++)
        err = split_sentences(paras[i]);
    free(paras);
    return err;
}

/* "key: value\n" with newlines flattened and no "--" left. */
static void put_field(buf *b, const char *key, const char *v)
{
    if (!v)
        return;
    buf_printf(b, "%s: ", key);
    for (; *v; v++) {
        char c = (*v == '\n' || *v == '\r') ? ' ' : *v;
        if (c == '-' && b->len > 0 && b->ptr[b->len - 1] == '-')
            buf_putc(b, ' ');
        buf_putc(b, c);
    }
    buf_putc(b, '\n');
}

static int add_front_matter(cmark_node *doc, const posdiff_meta *m)
{
    buf b = BUF_INIT;
    cmark_node *html;
    int ok;

    buf_puts(&b, "<!-- posdiff\n");
    put_field(&b, "id", m->id);
    put_field(&b, "date", m->date);
    put_field(&b, "title", m->title);
    put_field(&b, "venue", m->venue);
    put_field(&b, "speaker", m->speaker);
    put_field(&b, "source", m->source);
    buf_puts(&b, "-->\n");
    html = cmark_node_new(CMARK_NODE_HTML_BLOCK);
    ok = buf_ok(&b) == 0 && html && cmark_node_set_literal(html, b.ptr) &&
         cmark_node_prepend_child(doc, html);
    if (!ok)
        cmark_node_free(html);
    buf_free(&b);
    return ok ? 0 : error_oom();
}

/* Render @p doc into a malloc'ed copy. */
static int render(char **out, size_t *len, cmark_node *doc)
{
    char *md = cmark_render_commonmark(doc, CMARK_OPT_DEFAULT, 0);

    if (!md)
        return error_oom();
    *len = strlen(md);
    *out = malloc(*len + 1);
    if (*out)
        memcpy(*out, md, *len + 1);
    cmark_get_default_mem_allocator()->free(md);
    return *out ? 0 : error_oom();
}

static size_t body_offset(const char *md, int has_meta)
{
    const char *p = has_meta ? strstr(md, "\n-->\n") : NULL;

    if (!p)
        return 0;
    p += 5;
    while (*p == '\n')
        p++;
    return (size_t)(p - md);
}

int mdrender(char **out, size_t *len, size_t *body_off, const block_list *b,
             const posdiff_meta *meta)
{
    buf md = BUF_INIT;
    cmark_node *doc = NULL;
    int err;

    *out = NULL;
    if ((err = intermediate(&md, b)) < 0)
        goto done;
    doc = cmark_parse_document(md.ptr, md.len, CMARK_OPT_DEFAULT);
    if (!doc) {
        err = error_oom();
        goto done;
    }
    if ((err = split_all(doc)) < 0 ||
        (meta && (err = add_front_matter(doc, meta)) < 0) ||
        (err = render(out, len, doc)) < 0)
        goto done;
    *body_off = body_offset(*out, meta != NULL);
done:
    cmark_node_free(doc);
    buf_free(&md);
    return err;
}
