/*
 * render_markdown.c - the Markdown changelog (`posdiff log --format=markdown`).
 *
 * Built as a cmark AST and written by cmark's CommonMark renderer, so a
 * statement's characters come out escaped and the document parses back
 * to the same tree (passages, CommonMark lines themselves, are unescaped
 * first).  Per position a section, per statement a heading and a list of
 * its passages.  A change is `<del>deleted</del> <ins>inserted</ins>`:
 * the tags are raw inline HTML nodes (any CommonMark renderer that lets
 * raw HTML through shows them: `cmark --unsafe`, GitHub), the words
 * between them text nodes, escaped by cmark like all others, so a
 * statement's `<script>` or `&` stays text.  Changes are widened to
 * whole words; a restated passage is shown in full with a "was"
 * sub-item, the words the two share *emphasized*.  The heading's meta
 * line links the statement's source (an http or https address; any
 * other source is shown as text).  A statement that does not state the
 * position (after one did) is a short entry: "Not stated in this
 * statement."
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cmark.h>

#include "render.h"

typedef struct {
    size_t os, oe; /* old text, half-open */
    size_t ns, ne; /* new text, half-open */
} region;

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static cmark_node *add_node(cmark_node *parent, cmark_node_type type)
{
    cmark_node *n = cmark_node_new(type);

    cmark_node_append_child(parent, n);
    return n;
}

static void add_literal(cmark_node *parent, cmark_node_type type, const char *s, size_t n)
{
    char *copy;

    if (n == 0 || !(copy = malloc(n + 1)))
        return;
    for (size_t i = 0; i < n; i++)
        copy[i] = s[i] == '\n' || s[i] == '\r' ? ' ' : s[i];
    copy[n] = '\0';
    cmark_node_set_literal(add_node(parent, type), copy);
    free(copy);
}

/* A raw inline HTML tag: "<del>", "</del>", "<ins>", "</ins>". */
static void add_tag(cmark_node *parent, const char *tag)
{
    add_literal(parent, CMARK_NODE_HTML_INLINE, tag, strlen(tag));
}

/*
 * Text nodes for s[0..n), line breaks flattened to spaces.  cmark does
 * not escape `~` (plain text in CommonMark), so a tilde of the text is
 * written as `\~` through a raw inline node: it still parses as text,
 * and a GFM viewer does not take a statement's `~~` for strikethrough.
 */
static void add_text(cmark_node *parent, const char *s, size_t n)
{
    const char *tilde;

    while (n && (tilde = memchr(s, '~', n))) {
        add_literal(parent, CMARK_NODE_TEXT, s, (size_t)(tilde - s));
        add_literal(parent, CMARK_NODE_HTML_INLINE, "\\~", 2);
        n -= (size_t)(tilde - s) + 1;
        s = tilde + 1;
    }
    add_literal(parent, CMARK_NODE_TEXT, s, n);
}

/* A text node for src[start..start+len) of the CommonMark line src[0..n). */
static void add_source(cmark_node *parent, const char *src, size_t n, size_t start,
                       size_t len)
{
    char *plain = malloc(len + 1);
    size_t k = 0;

    if (!plain)
        return;
    for (size_t i = start; i < start + len && i < n; i++)
        if (!md_is_escape(src, n, i))
            plain[k++] = src[i];
    add_text(parent, plain, k);
    free(plain);
}

static void add_cstr(cmark_node *parent, const char *s)
{
    add_text(parent, s, strlen(s));
}

static void add_code(cmark_node *parent, const char *s)
{
    cmark_node_set_literal(add_node(parent, CMARK_NODE_CODE), s);
}

/* Render a block tree to f and free it. */
static void emit(FILE *f, cmark_node *doc)
{
    char *md = cmark_render_commonmark(doc, CMARK_OPT_DEFAULT, 0);

    if (md)
        fputs(md, f);
    free(md);
    cmark_node_free(doc);
}

/* The maximal runs of non-equal ops, as old/new ranges. */
static size_t collect_regions(region *out, const posdiff_passage *p)
{
    size_t n = 0, o = 0, w = 0;
    int open = 0;

    for (size_t k = 0; k < p->op_count; k++) {
        const posdiff_op *op = &p->ops[k];
        if (op->kind == POSDIFF_OP_EQUAL) {
            open = 0;
        } else if (!open) {
            out[n++] = (region){o, o, w, w};
            open = 1;
        }
        o += op->old_len;
        w += op->new_len;
        if (open)
            out[n - 1].oe = o, out[n - 1].ne = w;
    }
    return n;
}

/*
 * Widening takes the rest of a word from the equal text beside the
 * change.  The word diff treats spacing as noise, so an equal run may
 * be spaced differently on the old side ("battlefield " / "battlefield"):
 * the new side decides the word, the old side takes as many non-space
 * characters (and the spaces among them).
 */
static size_t back_over(const char *s, size_t o, size_t lo, size_t k)
{
    while (o > lo && k > 0)
        if (!is_space(s[--o]))
            k--;
    return o;
}

static size_t forth_over(const char *s, size_t o, size_t hi, size_t k)
{
    for (; o < hi && k > 0; o++)
        if (!is_space(s[o]))
            k--;
    return o;
}

/* Widen r leftwards to a word start, not past (lo_o, lo_n). */
static void widen_left(region *r, const posdiff_passage *p, size_t lo_o, size_t lo_n)
{
    int glued = (r->os < r->oe && !is_space(p->prev_text[r->os])) ||
                (r->ns < r->ne && !is_space(p->text[r->ns]));
    size_t k = 0;

    while (glued && r->ns > lo_n && !is_space(p->text[r->ns - 1]))
        r->ns--, k++;
    r->os = back_over(p->prev_text, r->os, lo_o, k);
}

/* Widen r rightwards to a word end, not past (hi_o, hi_n). */
static void widen_right(region *r, const posdiff_passage *p, size_t hi_o, size_t hi_n)
{
    int glued = (r->oe > r->os && !is_space(p->prev_text[r->oe - 1])) ||
                (r->ne > r->ns && !is_space(p->text[r->ne - 1]));
    size_t k = 0;

    while (glued && r->ne < hi_n && !is_space(p->text[r->ne]))
        r->ne++, k++;
    r->oe = forth_over(p->prev_text, r->oe, hi_o, k);
}

static void trim(const char **s, size_t *n, int *lead, int *trail)
{
    while (*n && is_space(**s))
        (*s)++, (*n)--, *lead = 1;
    while (*n && is_space((*s)[*n - 1]))
        (*n)--, *trail = 1;
}

/* s[start..start+len) of the CommonMark line s[0..n) between <TAG> and </TAG>. */
static void add_tagged(cmark_node *parent, const char *tag, const char *s, size_t n,
                       size_t start, size_t len)
{
    char open[16], close[16];

    snprintf(open, sizeof(open), "<%s>", tag);
    snprintf(close, sizeof(close), "</%s>", tag);
    add_tag(parent, open);
    add_source(parent, s, n, start, len);
    add_tag(parent, close);
}

/* " <del>old</del> <ins>new</ins> ": whitespace moved outside the tags. */
static void add_change(cmark_node *para, const posdiff_passage *p, const region *r)
{
    const char *old = p->prev_text + r->os, *new = p->text + r->ns;
    size_t olen = r->oe - r->os, nlen = r->ne - r->ns;
    int lead = 0, trail = 0;

    trim(&old, &olen, &lead, &trail);
    trim(&new, &nlen, &lead, &trail);
    if (!olen && !nlen) { /* a change of spacing only */
        if (lead || trail)
            add_cstr(para, " ");
        return;
    }
    if (lead)
        add_cstr(para, " ");
    if (olen)
        add_tagged(para, "del", p->prev_text, p->prev_len, (size_t)(old - p->prev_text),
                   olen);
    if (olen && nlen)
        add_cstr(para, " ");
    if (nlen)
        add_tagged(para, "ins", p->text, p->len, (size_t)(new - p->text), nlen);
    if (trail)
        add_cstr(para, " ");
}

/* The passage's new text with its word diff, changes widened to words. */
static void add_diff(cmark_node *para, const posdiff_passage *p)
{
    region *rs = malloc((p->op_count + 1) * sizeof(*rs)), cur;
    size_t n = rs ? collect_regions(rs, p) : 0, done = 0, i = 0;

    if (n == 0) {
        add_source(para, p->text, p->len, 0, p->len);
        free(rs);
        return;
    }
    cur = rs[0];
    widen_left(&cur, p, 0, 0);
    for (;;) {
        region next = {p->prev_len, p->prev_len, p->len, p->len};
        if (i + 1 < n)
            next = rs[i + 1];
        widen_right(&cur, p, next.os, next.ns);
        if (i + 1 < n)
            widen_left(&next, p, cur.oe, cur.ne);
        if (i + 1 < n && next.ns == cur.ne) { /* the words between were eaten */
            cur.oe = next.oe, cur.ne = next.ne, i++;
            continue;
        }
        add_source(para, p->text, p->len, done, cur.ns - done);
        add_change(para, p, &cur);
        done = cur.ne;
        if (++i >= n)
            break;
        cur = next;
    }
    add_source(para, p->text, p->len, done, p->len - done);
    free(rs);
}

static cmark_node *add_item(cmark_node *list, const char *label)
{
    cmark_node *para = add_node(add_node(list, CMARK_NODE_ITEM), CMARK_NODE_PARAGRAPH);

    add_cstr(add_node(para, CMARK_NODE_STRONG), label);
    add_cstr(para, " ");
    return para;
}

/* src (a CommonMark line) with the spans emphasized: the words a
 * restated passage shares with what it restates.  A span is a whole
 * word (letters and digits), so its `*` always flank it. */
static void add_highlighted(cmark_node *para, const char *src, size_t n,
                            const posdiff_span *sp, size_t nsp)
{
    size_t done = 0;

    for (size_t k = 0; k < nsp; k++) {
        add_source(para, src, n, done, sp[k].start - done);
        add_source(add_node(para, CMARK_NODE_EMPH), src, n, sp[k].start,
                   sp[k].end - sp[k].start);
        done = sp[k].end;
    }
    add_source(para, src, n, done, n - done);
}

/* A sub-item "LABEL (DATE, `ID`): TEXT", TEXT's words shared with the
 * passage emphasized. */
static void add_source_item(cmark_node **sub, cmark_node *item, const char *label,
                            const char *statement, const char *text, size_t len,
                            const posdiff_passage *p, const render_dates *d)
{
    const char *date = render_date(d, statement);
    cmark_node *para;
    render_shared sh;

    if (!*sub) {
        *sub = add_node(item, CMARK_NODE_LIST);
        cmark_node_set_list_type(*sub, CMARK_BULLET_LIST);
        cmark_node_set_list_tight(*sub, 1);
    }
    para = add_node(add_node(*sub, CMARK_NODE_ITEM), CMARK_NODE_PARAGRAPH);
    add_cstr(para, label);
    if (statement && date) {
        add_cstr(para, " (");
        add_cstr(para, date);
        add_cstr(para, ", ");
        add_code(para, statement);
        add_cstr(para, "): ");
    } else {
        add_cstr(para, ": ");
    }
    render_shared_words(&sh, text, len, p->text, p->len);
    add_highlighted(para, text, len, sh.a, sh.na);
    render_shared_free(&sh);
}

static void add_passage(cmark_node *list, const posdiff_passage *p, const render_dates *d)
{
    static const char *const labels[] = {"Added:", "Changed:", "Unchanged:", "Moved:",
                                         "Restated:"};
    cmark_node *para = add_item(list, labels[p->status <= POSDIFF_PASSAGE_RESTATED
                                                 ? p->status : 0]);
    int weak = p->status == POSDIFF_PASSAGE_RESTATED && p->prev_text;
    cmark_node *sub = NULL;
    char notes[RENDER_NOTES_MAX];

    if (p->status == POSDIFF_PASSAGE_ADDED) {
        add_source(para, p->text, p->len, 0, p->len);
    } else if (weak) {
        render_shared sh;
        render_shared_words(&sh, p->prev_text, p->prev_len, p->text, p->len);
        add_highlighted(para, p->text, p->len, sh.b, sh.nb);
        render_shared_free(&sh);
    } else if (p->status == POSDIFF_PASSAGE_RESTATED) {
        add_source(para, p->text, p->len, 0, p->len);
    } else {
        add_diff(para, p);
    }
    render_notes(notes, sizeof(notes), p, d);
    add_cstr(para, notes);
    if (weak)
        add_source_item(&sub, cmark_node_parent(para), "was", p->prev_statement,
                        p->prev_text, p->prev_len, p, d);
    for (size_t k = 1; k < p->source_count; k++)
        add_source_item(&sub, cmark_node_parent(para), "also restates",
                        p->sources[k].statement, p->sources[k].text, p->sources[k].len,
                        p, d);
}

static void add_dropped(cmark_node *list, const posdiff_dropped *d)
{
    add_tagged(add_item(list, "Dropped:"), "del", d->text, d->len, 0, d->len);
}

/* Whether @p s is an http or https address a Markdown link can hold:
 * something after the scheme, no space or control character. */
static int is_web_address(const char *s)
{
    size_t skip = !strncasecmp(s, "https://", 8) ? 8 : !strncasecmp(s, "http://", 7) ? 7 : 0;

    if (skip == 0 || s[skip] == '\0')
        return 0;
    for (; *s; s++)
        if ((unsigned char)*s <= ' ' || *s == 0x7f)
            return 0;
    return 1;
}

/* " · [source](URL)", or " · source: TEXT" for any other address. */
static void add_source_link(cmark_node *meta, const char *source)
{
    cmark_node *link;

    if (!source || !*source)
        return;
    add_cstr(meta, " \xc2\xb7 "); /* middle dot */
    if (!is_web_address(source)) {
        add_cstr(meta, "source: ");
        add_cstr(meta, source);
        return;
    }
    link = add_node(meta, CMARK_NODE_LINK);
    cmark_node_set_url(link, source);
    add_cstr(link, "source");
}

/* "### DATE — TITLE" and "VENUE · statement `id` · [source](URL)". */
static void add_entry_header(cmark_node *doc, const posdiff_history_entry *e,
                             const char *source)
{
    cmark_node *h = add_node(doc, CMARK_NODE_HEADING), *meta;

    cmark_node_set_heading_level(h, 3);
    add_cstr(h, e->date);
    add_cstr(h, " \xe2\x80\x94 "); /* em dash */
    add_cstr(h, e->title && *e->title ? e->title : e->id);
    meta = add_node(doc, CMARK_NODE_PARAGRAPH);
    if (e->venue && *e->venue) {
        add_text(add_node(meta, CMARK_NODE_EMPH), e->venue, strlen(e->venue));
        add_cstr(meta, " \xc2\xb7 "); /* middle dot */
    }
    add_cstr(meta, "statement ");
    add_code(meta, e->id);
    add_source_link(meta, source);
}

/* The passages and dropped passages of an entry, as a list (none: no list);
 * @return how many passages were left out as restated word for word. */
static size_t add_passages(cmark_node *doc, const posdiff_step *step, size_t i,
                           const render_dates *d)
{
    cmark_node *list = cmark_node_new(CMARK_NODE_LIST);
    size_t n = posdiff_step_passage_count(step, i), same = 0;

    cmark_node_set_list_type(list, CMARK_BULLET_LIST);
    cmark_node_set_list_tight(list, 1);
    for (size_t k = 0; k < n; k++) {
        const posdiff_passage *p = posdiff_step_passage(step, i, k);
        if (p->status == POSDIFF_PASSAGE_UNCHANGED && !p->revived &&
            p->link == POSDIFF_LINK_ONE)
            same++; /* listed when there is more to say than "the same" */
        else
            add_passage(list, p, d);
    }
    for (size_t k = 0; k < posdiff_step_dropped_count(step, i); k++)
        add_dropped(list, posdiff_step_dropped(step, i, k));
    if (cmark_node_first_child(list))
        cmark_node_append_child(doc, list);
    else
        cmark_node_free(list);
    return same;
}

void render_markdown_entry(FILE *f, const posdiff_history_entry *e,
                           const posdiff_step *step, size_t i, const render_dates *d,
                           const char *source, const char *against)
{
    cmark_node *doc = cmark_node_new(CMARK_NODE_DOCUMENT);
    size_t n = posdiff_step_passage_count(step, i), same;
    char note[160];

    add_entry_header(doc, e, source);
    if (posdiff_step_status(step, i) == POSDIFF_ENTRY_NOT_RESTATED) {
        add_cstr(add_node(add_node(doc, CMARK_NODE_PARAGRAPH), CMARK_NODE_EMPH),
                 "Not stated in this statement.");
        emit(f, doc);
        return;
    }
    if (against) {
        snprintf(note, sizeof(note), "Changes against %.20s (%.60s).",
                 render_date(d, against) ? render_date(d, against) : "?", against);
        add_cstr(add_node(add_node(doc, CMARK_NODE_PARAGRAPH), CMARK_NODE_EMPH), note);
    }
    if ((same = add_passages(doc, step, i, d)) != 0) {
        if (same == n)
            snprintf(note, sizeof(note), "Restated word for word (%zu passage%s).", same,
                     same == 1 ? "" : "s");
        else
            snprintf(note, sizeof(note), "%zu more passage%s restated word for word.", same,
                     same == 1 ? "" : "s");
        add_cstr(add_node(doc, CMARK_NODE_PARAGRAPH), note);
    }
    emit(f, doc);
}

void render_markdown_position(FILE *f, const posdiff_position *p, size_t entries)
{
    cmark_node *doc = cmark_node_new(CMARK_NODE_DOCUMENT);
    cmark_node *h = add_node(doc, CMARK_NODE_HEADING);

    cmark_node_set_heading_level(h, 2);
    add_cstr(h, p->title && *p->title ? p->title : p->id);
    add_cstr(h, " (");
    add_code(h, p->id);
    add_cstr(h, ")");
    if (entries == 0)
        add_cstr(add_node(doc, CMARK_NODE_PARAGRAPH), "Not stated in the selected statements.");
    emit(f, doc);
}

void render_markdown_title(FILE *f, const char *title)
{
    cmark_node *doc = cmark_node_new(CMARK_NODE_DOCUMENT);
    cmark_node *h = add_node(doc, CMARK_NODE_HEADING);

    cmark_node_set_heading_level(h, 1);
    add_cstr(h, title);
    emit(f, doc);
}
