/*
 * blocks.c - recover block structure from clean lines.
 *
 * Lines are classified one by one (blank, text, ATX heading, bullet,
 * "(a)" item, ordered item, "IV." section, "iv)" sub-item).  Blocks are
 * separated by blank lines; inside one, a text line is a soft wrap of
 * the block before it.  In line mode (text with no blank lines between
 * lines, and lines of several sentences) every line is a block.
 * Salutations stay paragraphs; the first block may become the title.
 * Markers that are words ("iv)", "(a)", "I.") stay in the text.  As in
 * CommonMark, an ordered item interrupts a paragraph only when it is
 * numbered 1 ("In\n1986. It was" is one paragraph).  A line that is
 * exactly cmark's "<!-- end list -->" (its separator of two adjacent
 * lists, found when normalized output is normalized again) reads as a
 * blank line, so normalizing is idempotent.
 */
#include "blocks.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/errors.h"
#include "posdiff/segment.h"

/* After a full-width stop (。！？), which the segmenter ends a sentence at? */
static int after_wide_stop(const char *s, size_t i)
{
    return i >= 3 && (memcmp(s + i - 3, "\xE3\x80\x82", 3) == 0 ||
                      memcmp(s + i - 3, "\xEF\xBC\x81", 3) == 0 ||
                      memcmp(s + i - 3, "\xEF\xBC\x9F", 3) == 0);
}

/* Words: runs of non-spaces, also cut after a full-width stop, so the
 * count is the same once the output puts a line break there. */
static size_t count_words(const char *s, size_t len)
{
    size_t i, n = 0;

    for (i = 0; i < len; i++)
        if (s[i] != ' ' && (i == 0 || s[i - 1] == ' ' || after_wide_stop(s, i)))
            n++;
    return n;
}

static size_t span_of(const char *s, size_t len, const char *set)
{
    size_t i = 0;

    while (i < len && strchr(set, s[i]) && s[i])
        i++;
    return i;
}

static int classify_marker(const char *s, size_t len, line_class *c)
{
    static const char *const bullets[] = {"- ", "-- ", "* ", "\xE2\x80\xA2 ",
                                          NULL};
    size_t i, n;

    for (i = 0; bullets[i]; i++) {
        n = strlen(bullets[i]);
        if (len > n && memcmp(s, bullets[i], n) == 0) {
            c->kind = LK_BULLET;
            c->skip = n;
            return 1;
        }
    }
    n = span_of(s, len, "0123456789");
    if (n > 0 && n <= 9 && n + 1 < len && (s[n] == '.' || s[n] == ')') &&
        s[n + 1] == ' ') {
        c->kind = LK_ORDERED;
        return 1;
    }
    if (len > 4 && s[0] == '(' && s[1] >= 'a' && s[1] <= 'z' && s[2] == ')' &&
        s[3] == ' ') {
        c->kind = LK_LETTER;
        return 1;
    }
    return 0;
}

static int classify_roman(const char *s, size_t len, line_class *c)
{
    size_t n = span_of(s, len, "IVX");

    if (n > 0 && n + 1 < len && s[n] == '.' && s[len - 1] != '.' &&
        count_words(s, len) <= 15) {
        size_t k = n + 1 + span_of(s + n + 1, len - n - 1, " ");
        if (k < len) {
            c->kind = LK_ROMAN;
            return 1;
        }
    }
    n = span_of(s, len, "ivx");
    if (n > 0 && n + 2 < len && s[n] == ')' && s[n + 1] == ' ') {
        c->kind = LK_SUBITEM;
        return 1;
    }
    return 0;
}

/* cmark's separator between two adjacent lists in its own output. */
static const char end_list[] = "<!-- end list -->";

void blocks_classify(const char *s, size_t len, line_class *c)
{
    size_t n;

    c->kind = len == 0 ? LK_BLANK : LK_TEXT;
    c->level = 0;
    c->skip = 0;
    if (len == sizeof(end_list) - 1 && memcmp(s, end_list, len) == 0)
        c->kind = LK_BLANK;
    if (c->kind == LK_BLANK)
        return;
    n = span_of(s, len, "#");
    if (n >= 1 && n <= 6 && (n == len || s[n] == ' ')) {
        c->kind = LK_ATX;
        c->level = (int)n;
        c->skip = n + span_of(s + n, len - n, " ");
        return;
    }
    if (!classify_marker(s, len, c))
        classify_roman(s, len, c);
}

int blocks_is_salutation(const char *s, size_t len)
{
    line_class c;

    blocks_classify(s, len, &c);
    if (c.kind == LK_ATX) {
        s += c.skip;
        len -= c.skip;
    }
    if (!(len > 1 && s[len - 1] == ',' && len <= 60 && count_words(s, len) <= 6))
        return 0;
    /* one sentence: "on the matter. Dear colleagues," is not a salutation */
    {
        posdiff_span *sp = NULL;
        size_t n = 0;
        if (posdiff_segment(&sp, &n, s, len) < 0)
            return 0;
        free(sp);
        return n == 1;
    }
}

/* Does some line hold more than one sentence? */
static int has_multi_sentence_line(const tc_lines *l)
{
    size_t i, n;
    posdiff_span *sp;

    for (i = 0; i < l->n; i++) {
        if (posdiff_segment(&sp, &n, l->v[i].text, l->v[i].len) < 0)
            return 0;
        free(sp);
        if (n > 1)
            return 1;
    }
    return 0;
}

int blocks_line_mode(const tc_lines *l)
{
    size_t i, first = l->n, last = 0;

    for (i = 0; i < l->n; i++) {
        if (l->v[i].len > 0) {
            if (first == l->n)
                first = i;
            last = i;
        }
    }
    for (i = first; i < last; i++)
        if (l->v[i].len == 0)
            return 0;
    return has_multi_sentence_line(l);
}

void blocks_free(block_list *b)
{
    size_t i;

    for (i = 0; i < b->n; i++)
        free(b->v[i].text);
    free(b->v);
    b->v = NULL;
    b->n = b->cap = 0;
}

static int add_block(block_list *b, block_kind kind, int level,
                     const char *s, size_t len)
{
    block *x;

    if (array_grow(&b->v, &b->cap, b->n, sizeof(*b->v), 32) < 0)
        return POSDIFF_ENOMEM;
    x = &b->v[b->n];
    x->kind = kind;
    x->level = level;
    x->atx = 0;
    x->len = len;
    x->cap = len + 1;
    x->text = malloc(x->cap);
    if (!x->text)
        return error_oom();
    memcpy(x->text, s, len);
    x->text[len] = '\0';
    b->n++;
    return 0;
}

/* Append " s" to the last block (a soft wrap).  The text grows
 * geometrically: a paragraph of a million wrapped lines costs linear
 * time even where realloc cannot extend in place. */
static int wrap_block(block_list *b, const char *s, size_t len)
{
    block *x = &b->v[b->n - 1];
    size_t need = x->len + len + 2;
    char *p = x->text;

    if (need > x->cap) {
        size_t cap = x->cap * 2 > need ? x->cap * 2 : need;
        if (!(p = realloc(x->text, cap)))
            return error_oom();
        x->cap = cap;
    }
    p[x->len] = ' ';
    memcpy(p + x->len + 1, s, len);
    x->len += len + 1;
    p[x->len] = '\0';
    x->text = p;
    return 0;
}

/* Add line @p s as a new block, or wrap it into @p open. */
static int add_line(block_list *b, const char *s, size_t len, int *open)
{
    line_class c;
    int err;

    blocks_classify(s, len, &c);
    if (c.kind == LK_BLANK) {
        *open = 0;
        return 0;
    }
    if (c.kind == LK_ORDERED && *open && b->n > 0 &&
        b->v[b->n - 1].kind == BK_PARA && !(s[0] == '1' && (s[1] == '.' || s[1] == ')')))
        c.kind = LK_TEXT; /* "In\n1986. It was": only "1." interrupts a paragraph */
    if (c.kind == LK_TEXT && *open)
        return wrap_block(b, s, len);
    *open = 1;
    switch (c.kind) {
    case LK_ATX:
        if (blocks_is_salutation(s, len))
            return add_block(b, BK_PARA, 0, s + c.skip, len - c.skip);
        *open = 0;
        if (c.skip == len)
            return 0;
        err = add_block(b, BK_HEADING, c.level, s + c.skip, len - c.skip);
        if (err == 0)
            b->v[b->n - 1].atx = 1;
        return err;
    case LK_ROMAN:
    case LK_SUBITEM:
        if (blocks_is_salutation(s, len)) /* as for '#' lines: idempotent */
            return add_block(b, BK_PARA, 0, s, len);
        *open = 0;
        return add_block(b, BK_HEADING, c.kind == LK_ROMAN ? 2 : 3, s, len);
    case LK_BULLET:
    case LK_LETTER:
        return add_block(b, BK_BULLET, 0, s + c.skip, len - c.skip);
    case LK_ORDERED:
        return add_block(b, BK_ORDERED, 0, s, len);
    default:
        return add_block(b, BK_PARA, 0, s, len);
    }
}

/* 1 if s ends with . ! ? : ; , or their full-width forms and the
 * ellipsis (before closing quotes/brackets). */
static int ends_punct(const char *s, size_t len)
{
    static const char *const wide[] = {"\xE3\x80\x82", "\xEF\xBC\x81", "\xEF\xBC\x9F",
                                       "\xEF\xBC\x9B", "\xEF\xBC\x9A", "\xEF\xBC\x8C",
                                       "\xE2\x80\xA6", NULL};

    while (len > 0 && strchr("\"')]*", s[len - 1]))
        len--;
    for (size_t i = 0; wide[i]; i++)
        if (len >= 3 && memcmp(s + len - 3, wide[i], 3) == 0)
            return 1;
    if (len > 0 && s[len - 1] == ';') { /* "&#38;" reads as "&", not a ';' */
        size_t b = len - 1;
        while (b > 0 && len - b < 32 && (isalnum((unsigned char)s[b - 1]) || s[b - 1] == '#'))
            b--;
        if (b > 0 && b < len - 1 && s[b - 1] == '&')
            return 0;
    }
    return len > 0 && strchr(".!?:;,", s[len - 1]);
}

/* "**...**" with no other "**" inside. */
static int is_bold(const char *s, size_t len)
{
    size_t i;

    if (len <= 4 || memcmp(s, "**", 2) != 0 || memcmp(s + len - 2, "**", 2))
        return 0;
    for (i = 2; i + 2 < len; i++)
        if (s[i] == '*' && s[i + 1] == '*')
            return 0;
    return s[2] != ' ' && s[len - 3] != ' ';
}

/* A paragraph short enough for a title: one sentence of at most
 * TITLE_MAX_WORDS words (a statement flattened to one line is not). */
#define TITLE_MAX_WORDS 50

static int title_sized(const block *x)
{
    posdiff_span *spans = NULL;
    size_t n = 0;
    int ok;

    if (count_words(x->text, x->len) > TITLE_MAX_WORDS)
        return 0;
    if (posdiff_segment(&spans, &n, x->text, x->len) < 0)
        return -1;
    ok = n <= 1;
    free(spans);
    return ok;
}

/* The first block becomes the title when it looks like one. */
static int make_title(block *x)
{
    int sized;

    if (x->kind == BK_HEADING) { /* any heading: "##" is ATX once rendered */
        x->level = 1;
    } else if (x->kind == BK_PARA && is_bold(x->text, x->len)) {
        memmove(x->text, x->text + 2, x->len - 4);
        x->len -= 4;
        x->text[x->len] = '\0';
        x->kind = BK_HEADING;
        x->level = 1;
    } else if (x->kind == BK_PARA && !ends_punct(x->text, x->len) &&
               count_words(x->text, x->len) >= 4) {
        if ((sized = title_sized(x)) <= 0)
            return sized;
        x->kind = BK_HEADING;
        x->level = 1;
    }
    return 0;
}

/*
 * A paragraph wrapped from several lines ("(b)" then "text", or
 * "I. Title," then "more") may, joined, read as an item or a section
 * title: the next normalization reads its one rendered line so, so
 * read it so now (idempotence).
 */
static void reclassify(block *x)
{
    line_class c;

    if (x->kind != BK_PARA)
        return;
    blocks_classify(x->text, x->len, &c);
    if ((c.kind == LK_ROMAN || c.kind == LK_SUBITEM) &&
        !blocks_is_salutation(x->text, x->len)) {
        x->kind = BK_HEADING;
        x->level = c.kind == LK_ROMAN ? 2 : 3;
    } else if (c.kind == LK_LETTER || c.kind == LK_BULLET) {
        x->kind = BK_BULLET;
        memmove(x->text, x->text + c.skip, x->len - c.skip + 1);
        x->len -= c.skip;
    } else if (c.kind == LK_ORDERED) {
        x->kind = BK_ORDERED;
    }
}

int blocks_build(block_list *out, const tc_lines *l, int line_mode)
{
    size_t i;
    int open = 0, err = 0;

    for (i = 0; i < l->n && err == 0; i++) {
        if (l->v[i].len == 0 || line_mode)
            open = 0;
        if (l->v[i].len > 0)
            err = add_line(out, l->v[i].text, l->v[i].len, &open);
    }
    for (i = 0; err == 0 && i < out->n; i++)
        reclassify(&out->v[i]);
    if (err == 0 && out->n > 0)
        err = make_title(&out->v[0]);
    return err;
}
