/*
 * mdrender.c - blocks to CommonMark through a cmark AST.
 *
 * 1. The blocks are written as intermediate Markdown whose block
 *    structure we control: a paragraph's first characters that cmark
 *    would read as block syntax are backslash-escaped, and so is every
 *    '`' and '<' (no code spans, no HTML: see put_inline); consecutive
 *    items form one tight list.
 * 2. cmark parses it; in every paragraph, soft breaks become spaces,
 *    adjacent text nodes merge, and posdiff_segment() finds sentence
 *    boundaries; each boundary that falls inside one top-level text node
 *    becomes a soft break, so the output has one sentence per line.
 * 3. The front matter is an HTML block node prepended to the document;
 *    cmark_render_commonmark(CMARK_OPT_DEFAULT, width 0) renders it all
 *    (mdtext.c: the same bytes, with the text written by us).
 *
 * Steps 2-3 are a function of the intermediate Markdown (and the front
 * matter) alone, so a caller holding two equal intermediates knows the
 * renderings are equal without running cmark (normalize.c's settling).
 */
#include "mdrender.h"

#include <stdlib.h>
#include <string.h>

#include <cmark.h>

#include "util/buf.h"
#include "util/errors.h"
#include "mdtext.h"
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

/*
 * Write s[0..len) escaping every '`' and '<' that is not escaped yet (an
 * odd run of backslashes before it): raw text never becomes a code span
 * or HTML, so tags, fences and comments stay visible text and no HTML
 * block can swallow the sentences after one.  Entities (&amp;) are left
 * to cmark, which decodes them.
 */
static void put_inline(buf *out, const char *s, size_t len, int first_escaped)
{
    size_t i, from = 0, backslashes = first_escaped;

    for (i = 0; i < len; i++) {
        if ((s[i] == '`' || s[i] == '<') && backslashes % 2 == 0) {
            buf_put(out, s + from, i - from); /* the bytes before, at once */
            buf_putc(out, '\\');
            from = i;
        }
        backslashes = s[i] == '\\' ? backslashes + 1 : 0;
    }
    buf_put(out, s + from, len - from);
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
    put_inline(out, s, len, k > 0);
}

/* Length of an ordered item's marker and the spaces after it ("12. "). */
static size_t ordered_marker(const char *s, size_t len)
{
    size_t n = 0;

    while (n < len && n < 9 && s[n] >= '0' && s[n] <= '9')
        n++;
    if (n == 0 || n >= len || (s[n] != '.' && s[n] != ')'))
        return 0;
    for (n++; n < len && s[n] == ' '; n++)
        ;
    return n;
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
        put_inline(out, x->text, x->len, 0);
        break;
    case BK_BULLET:
        buf_puts(out, "- ");
        put_escaped(out, x->text, x->len);
        break;
    case BK_ORDERED: {
        /* the item's own text is escaped like any block start: "2. > x"
         * must not open a block quote inside the item */
        size_t m = ordered_marker(x->text, x->len);
        buf_put(out, x->text, m);
        put_escaped(out, x->text + m, x->len - m);
        break;
    }
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
    /* each run of adjacent text nodes into its first, in one copy (a
     * paragraph cmark cut into many text nodes stays linear) */
    for (c = cmark_node_first_child(para); c && ok; c = next) {
        next = cmark_node_next(c);
        if (!next || cmark_node_get_type(c) != CMARK_NODE_TEXT ||
            cmark_node_get_type(next) != CMARK_NODE_TEXT)
            continue;
        buf_clear(&b);
        buf_puts(&b, cmark_node_get_literal(c));
        while (next && cmark_node_get_type(next) == CMARK_NODE_TEXT) {
            cmark_node *after = cmark_node_next(next);
            buf_puts(&b, cmark_node_get_literal(next));
            cmark_node_free(next);
            next = after;
        }
        ok = buf_ok(&b) == 0 && cmark_node_set_literal(c, b.ptr);
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
    if (array_grow(&p->runs, &p->cap, p->n, sizeof(*p->runs), 8) < 0)
        return POSDIFF_ENOMEM;
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

/*
 * Cut run @p r at the gaps [sp[k-1].end, sp[k].start) for k in ks[0..nk)
 * (increasing, all inside the run): text, soft break, text, ... built
 * in one pass over the literal (linear: a paragraph of a million
 * sentences is one run cut a million times).
 */
static int split_run(const text_run *r, const posdiff_span *sp,
                     const size_t *ks, size_t nk)
{
    char *copy = strdup(cmark_node_get_literal(r->node));
    cmark_node *at = r->node;
    size_t j, g0 = nk > 0 ? sp[ks[0] - 1].end - r->start : 0;
    int ok = copy != NULL;

    for (j = 0; ok && j < nk; j++) {
        cmark_node *br = cmark_node_new(CMARK_NODE_SOFTBREAK), *text = NULL;
        size_t prev = sp[ks[j]].start - r->start;
        size_t end = j + 1 < nk ? sp[ks[j + 1] - 1].end - r->start : strlen(copy);

        ok = br && cmark_node_insert_after(at, br);
        if (!ok) {
            cmark_node_free(br);
            break;
        }
        at = br;
        if (end > prev) {
            char keep = copy[end];
            copy[end] = '\0';
            ok = (text = cmark_node_new(CMARK_NODE_TEXT)) &&
                 cmark_node_set_literal(text, copy + prev) &&
                 cmark_node_insert_after(at, text);
            copy[end] = keep;
            if (!ok)
                cmark_node_free(text);
            else
                at = text;
        }
    }
    if (ok) {
        copy[g0] = '\0';
        ok = cmark_node_set_literal(r->node, copy);
    }
    free(copy);
    if (ok && g0 == 0)
        cmark_node_free(r->node);
    return ok ? 0 : error_oom();
}

/*
 * Would a line starting with this sentence read as a block of its own
 * ("• item", "(a) item", "iv) title", "IV. Title") when the output is
 * normalized again?  Then it stays on the line before: idempotence.
 */
static int opens_block(const char *s, size_t len)
{
    line_class c;

    blocks_classify(s, len, &c);
    return c.kind != LK_TEXT;
}

/* One sentence per line inside @p para (see opens_block). */
static int split_sentences(cmark_node *para)
{
    para_text p = {BUF_INIT, NULL, 0, 0};
    posdiff_span *sp = NULL;
    size_t n = 0, i, r = 0, nk = 0, run = 0, *ks = NULL;
    int err;

    if ((err = merge_text(para)) < 0 || (err = flatten(&p, para)) < 0 ||
        (err = posdiff_segment(&sp, &n, p.flat.ptr, p.flat.len)) < 0)
        goto done;
    if (n > 1 && !(ks = malloc((n - 1) * sizeof(*ks)))) {
        err = error_oom();
        goto done;
    }
    /* Gaps in order, runs in order: collect the kept gaps of each run. */
    for (i = 1; i <= n && err == 0; i++) {
        int inside = 0;
        if (i < n) {
            while (r < p.n && p.runs[r].end < sp[i].start)
                r++;
            inside = r < p.n && p.runs[r].start <= sp[i - 1].end;
        }
        if (nk > 0 && (i == n || (inside && r != run))) {
            err = split_run(&p.runs[run], sp, ks, nk);
            nk = 0;
        }
        if (inside && !opens_block(p.flat.ptr + sp[i].start, sp[i].end - sp[i].start)) {
            run = r;
            ks[nk++] = i;
        }
    }
done:
    free(ks);
    free(sp);
    free(p.runs);
    buf_free(&p.flat);
    return err;
}

static int split_all(cmark_node *doc)
{
    cmark_iter *it = cmark_iter_new(doc);
    cmark_node **paras = NULL, **np;
    size_t n = 0, cap = 0, i;
    int err = 0;

    if (!it)
        return error_oom();
    while (err == 0 && cmark_iter_next(it) != CMARK_EVENT_DONE) {
        cmark_node *x = cmark_iter_get_node(it);
        if (cmark_iter_get_event_type(it) != CMARK_EVENT_ENTER ||
            cmark_node_get_type(x) != CMARK_NODE_PARAGRAPH)
            continue;
        if (n == cap) { /* geometric: linear in the number of paragraphs */
            cap = cap ? 2 * cap : 64;
            if (!(np = realloc(paras, cap * sizeof(*np)))) {
                err = error_oom();
                continue;
            }
            paras = np;
        }
        paras[n++] = x;
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

/* Does s[0..len) hold "~~~" anywhere?  (memmem is not C11.) */
static int has_tildes(const char *s, size_t len)
{
    const char *p = s, *end = s + len;

    while ((p = memchr(p, '~', (size_t)(end - p))) && end - p >= 3) {
        if (p[1] == '~' && p[2] == '~')
            return 1;
        p++;
    }
    return 0;
}

/*
 * cmark's CommonMark renderer does not escape a text line that starts
 * with "~~~", which reads back as a code fence swallowing the text after
 * it: escape those in the body ("\~~~"), after the rendering.
 */
static int escape_tilde_fences(char **out, size_t *len, size_t body)
{
    buf b = BUF_INIT;
    size_t i = body, start;
    int err;

    if (!has_tildes(*out + body, *len - body))
        return 0; /* nothing to escape: no copy */
    buf_puts(&b, "");
    buf_put(&b, *out, body);
    while (i < *len) {
        start = i;
        while (i < *len && (*out)[i] == ' ')
            i++;
        if (*len - i >= 3 && memcmp(*out + i, "~~~", 3) == 0) {
            buf_put(&b, *out + start, i - start);
            buf_putc(&b, '\\');
            start = i;
        }
        while (i < *len && (*out)[i] != '\n')
            i++;
        i += i < *len;
        buf_put(&b, *out + start, i - start);
    }
    if ((err = buf_ok(&b)) == 0) {
        free(*out);
        *out = b.ptr;
        *len = b.len;
    } else {
        buf_free(&b);
    }
    return err;
}

int mdrender_intermediate(char **md, size_t *len, const block_list *b)
{
    buf out = BUF_INIT;
    int err;

    *md = NULL;
    if ((err = intermediate(&out, b)) < 0) {
        buf_free(&out);
        return err;
    }
    *md = buf_detach(&out, len);
    return *md ? 0 : error_oom();
}

int mdrender_markdown(char **out, size_t *len, size_t *body_off,
                      const char *md, size_t mdlen, const posdiff_meta *meta)
{
    cmark_node *doc;
    int err;

    *out = NULL;
    doc = cmark_parse_document(md, mdlen, CMARK_OPT_DEFAULT);
    if (!doc)
        return error_oom();
    if ((err = split_all(doc)) < 0 ||
        (meta && (err = add_front_matter(doc, meta)) < 0) ||
        (err = mdtext_render(out, len, doc)) < 0)
        goto done;
    *body_off = body_offset(*out, meta != NULL);
    err = escape_tilde_fences(out, len, *body_off);
done:
    cmark_node_free(doc);
    return err;
}

int mdrender(char **out, size_t *len, size_t *body_off, const block_list *b,
             const posdiff_meta *meta)
{
    char *md = NULL;
    size_t mdlen = 0;
    int err;

    *out = NULL;
    if ((err = mdrender_intermediate(&md, &mdlen, b)) == 0)
        err = mdrender_markdown(out, len, body_off, md, mdlen, meta);
    free(md);
    return err;
}
