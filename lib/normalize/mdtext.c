/*
 * mdtext.c - cmark's CommonMark rendering, with the text of paragraphs
 * and headings written by us (escape()) in the same bytes cmark would
 * write (cmark 0.30, width 0, CMARK_OPT_DEFAULT; README "Design notes").
 *
 * A text literal we can render (can_render: valid UTF-8 without control
 * characters, U+FFFE/U+FFFF or NUL, not starting with a digit or one of
 * - + = . ), inside a paragraph or heading) is replaced by a placeholder
 * that leaves cmark in the same state: U+E000 first, and '0' last when
 * the literal ends in a digit.  cmark renders the document; the
 * placeholders are replaced by escape() of the literals.  If U+E000
 * shows up more often than placed, cmark renders the original instead.
 */
#include "mdtext.h"

#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/errors.h"
#include "util/utf8.h"

#define MARK "\xEE\x80\x80" /* U+E000, private use */
#define MARK_LEN 3

typedef struct {
    cmark_node *node; /* a text node whose literal is a placeholder */
    size_t orig;      /* its literal in texts.orig: [orig, orig + olen) */
    size_t olen;
} taken;

typedef struct {
    buf orig;     /* the original literals, back to back */
    taken *v;     /* in document order */
    size_t n, cap;
} texts;

static int is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

static int is_alpha(unsigned char c)
{
    return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
}

/* A literal whose rendering is escape(): see the opening comment. */
static int can_render(const cmark_node *node, const char *s, size_t n)
{
    cmark_node_type pt = cmark_node_get_type(cmark_node_parent((cmark_node *)node));
    size_t i;

    if (n < MARK_LEN + 1 || is_digit((unsigned char)s[0]) || strchr("-+=.)", s[0]) ||
        (pt != CMARK_NODE_PARAGRAPH && pt != CMARK_NODE_HEADING))
        return 0;
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == 0x7F ||
            (c == 0xEF && i + 2 < n && (unsigned char)s[i + 1] == 0xBF &&
             ((unsigned char)s[i + 2] & 0xFE) == 0xBE))
            return 0;
    }
    return utf8_valid(s, n);
}

/* cmark's rendering of a literal can_render() took. */
static void escape(buf *b, const char *s, size_t n)
{
    size_t i, from = 0;

    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        int esc;
        switch (c) {
        case '*': case '_': case '[': case ']': case '#': case '<':
        case '>': case '\\': case '`': case '!':
            esc = 1;
            break;
        case '&':
            esc = i + 1 < n && is_alpha((unsigned char)s[i + 1]);
            break;
        default:
            esc = 0;
        }
        if (esc) {
            buf_put(b, s + from, i - from);
            buf_putc(b, '\\');
            from = i;
        }
    }
    buf_put(b, s + from, n - from);
}

static int take(texts *t, cmark_node *node, const char *s, size_t n)
{
    taken *x;

    if (t->n == t->cap) {
        size_t nc = t->cap ? 2 * t->cap : 64;
        taken *v = realloc(t->v, nc * sizeof(*v));
        if (!v)
            return error_oom();
        t->v = v;
        t->cap = nc;
    }
    x = &t->v[t->n];
    x->node = node;
    x->orig = t->orig.len;
    x->olen = n;
    buf_put(&t->orig, s, n);
    if (buf_ok(&t->orig) < 0)
        return POSDIFF_ENOMEM;
    if (!cmark_node_set_literal(node, is_digit((unsigned char)s[n - 1]) ? MARK "0" : MARK))
        return error_oom();
    t->n++;
    return 0;
}

/* Placeholders into every text node can_render() takes. */
static int take_all(texts *t, cmark_node *doc)
{
    cmark_iter *it = cmark_iter_new(doc);
    cmark_event_type ev;
    int err = 0;

    if (!it)
        return error_oom();
    while (err == 0 && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *x = cmark_iter_get_node(it);
        const char *s;
        size_t n;
        if (ev != CMARK_EVENT_ENTER || cmark_node_get_type(x) != CMARK_NODE_TEXT ||
            !(s = cmark_node_get_literal(x)))
            continue;
        if (can_render(x, s, n = strlen(s)))
            err = take(t, x, s, n);
    }
    cmark_iter_free(it);
    return err;
}

/* The original literals back (the fallback); 0 or POSDIFF_ENOMEM. */
static int put_back(texts *t)
{
    for (size_t i = 0; i < t->n; i++) {
        taken *x = &t->v[i];
        char keep = t->orig.ptr[x->orig + x->olen];
        int ok;
        t->orig.ptr[x->orig + x->olen] = '\0';
        ok = cmark_node_set_literal(x->node, t->orig.ptr + x->orig);
        t->orig.ptr[x->orig + x->olen] = keep;
        if (!ok)
            return error_oom();
    }
    t->n = 0;
    return 0;
}

static size_t count_marks(const char *s)
{
    size_t n = 0;

    while ((s = strstr(s, MARK)) != NULL) {
        n++;
        s += MARK_LEN;
    }
    return n;
}

/* cmark's output @p md with each placeholder replaced, into @p b. */
static void substitute(buf *b, const char *md, const texts *t)
{
    const char *p = md, *m, *lit;
    size_t mdlen = strlen(md);

    buf_grow(b, mdlen + t->orig.len + t->orig.len / 16);
    for (size_t i = 0; i < t->n; i++) {
        const taken *x = &t->v[i];
        m = strstr(p, MARK);
        lit = t->orig.ptr + x->orig;
        buf_put(b, p, (size_t)(m - p));
        escape(b, lit, x->olen);
        p = m + MARK_LEN + is_digit((unsigned char)lit[x->olen - 1]);
    }
    buf_put(b, p, mdlen - (size_t)(p - md));
}

static int cmark_render_copy(buf *b, cmark_node *doc, const texts *t, int *again)
{
    char *md = cmark_render_commonmark(doc, CMARK_OPT_DEFAULT, 0);

    if (!md)
        return error_oom();
    *again = t && count_marks(md) != t->n;
    if (!*again) {
        if (t)
            substitute(b, md, t);
        else
            buf_puts(b, md);
    }
    cmark_get_default_mem_allocator()->free(md);
    return buf_ok(b);
}

int mdtext_render(char **out, size_t *len, cmark_node *doc)
{
    texts t = {BUF_INIT, NULL, 0, 0};
    buf b = BUF_INIT;
    int err, again = 0;

    *out = NULL;
    buf_puts(&b, "");
    if ((err = take_all(&t, doc)) == 0 &&
        (err = cmark_render_copy(&b, doc, t.n ? &t : NULL, &again)) == 0 && again &&
        (err = put_back(&t)) == 0)
        err = cmark_render_copy(&b, doc, NULL, &again);
    if (err == 0 && !(*out = buf_detach(&b, len)))
        err = error_oom();
    if (err < 0)
        buf_free(&b);
    buf_free(&t.orig);
    free(t.v);
    return err;
}
