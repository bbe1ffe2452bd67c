/*
 * repair.c - repair defects of text extracted from PDF and web pages.
 *
 * Missing spaces: after '.', a space goes between a lowercase letter
 * and an uppercase one ("community.The"), or after a section number or
 * a title abbreviation ("I.Existing", "Mr.Chair"); after ',' and ';'
 * between two letters ("crossroads,facing"), but not after the ';' of
 * an HTML entity ("&lt;b").  Numbers, dotted short forms (U.N.), URLs
 * and domains are left alone.
 *
 * Page-break joins: a block whose last line has no final . ! ? : is
 * joined with one space to the next block when that one is plain text
 * starting lowercase, or when the first ends with a function word.
 * The first block (title), headings and salutations (a short line
 * ending with ',' that is a block by itself) are never joined.
 */
#include "repair.h"

#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "blocks.h"
#include "util/buf.h"
#include "util/errors.h"
#include "util/utf8.h"

static int is_upper(char c) { return c >= 'A' && c <= 'Z'; }
static int is_lower(char c) { return c >= 'a' && c <= 'z'; }
static int is_alpha(char c) { return is_upper(c) || is_lower(c); }

/* Bounds of the space-separated token around s[i]. */
static void token_at(const char *s, size_t len, size_t i, size_t *b,
                     size_t *e)
{
    *b = i;
    while (*b > 0 && s[*b - 1] != ' ')
        (*b)--;
    *e = i;
    while (*e < len && s[*e] != ' ')
        (*e)++;
}

static int looks_like_url(const char *t, size_t n)
{
    size_t i;

    if (n >= 4 && memcmp(t, "www.", 4) == 0)
        return 1;
    for (i = 0; i < n; i++)
        if (t[i] == '@' || (i + 3 <= n && memcmp(t + i, "://", 3) == 0))
            return 1;
    return 0;
}

/* Word before the '.' at @p dot is a numeral at line start or a title. */
static int numeral_or_title(const char *s, size_t b, size_t dot)
{
    static const char *const titles[] = {"Mr", "Mrs", "Ms", "Dr", "No",
                                         "St", NULL};
    size_t i, n = dot - b;

    for (i = 0; titles[i]; i++)
        if (strlen(titles[i]) == n && memcmp(s + b, titles[i], n) == 0)
            return 1;
    if (b != 0 || n == 0)
        return 0;
    for (i = b; i < dot; i++)
        if (!strchr("IVX", s[i]))
            return 0;
    return 1;
}

/* Does the ';' at @p i end an HTML entity reference ("&lt;", "&#38;")? */
static int ends_entity(const char *s, size_t i)
{
    size_t b = i;

    while (b > 0 && i - b < 32 && (is_alpha(s[b - 1]) ||
                                   (s[b - 1] >= '0' && s[b - 1] <= '9') ||
                                   s[b - 1] == '#'))
        b--;
    return b > 0 && b < i && s[b - 1] == '&';
}

static int needs_space(const char *s, size_t len, size_t i)
{
    size_t b, e;
    char prev;

    if (i == 0 || i + 1 >= len)
        return 0;
    if (s[i] == ';' && ends_entity(s, i))
        return 0;
    /* "x\,y" is "x,y" once cmark reads the escape: judge it the same */
    prev = s[i - 1] == '\\' && i >= 2 ? s[i - 2] : s[i - 1];
    if (s[i] == ',' || s[i] == ';')
        return is_alpha(prev) && is_alpha(s[i + 1]);
    if (s[i] != '.' || !is_upper(s[i + 1]))
        return 0;
    token_at(s, len, i, &b, &e);
    if (looks_like_url(s + b, e - b))
        return 0;
    return is_lower(prev) || numeral_or_title(s, b, i);
}

/* Only ',' ';' '.' can need a space after them (see needs_space). */
static int may_need_space(char c)
{
    return c == ',' || c == ';' || c == '.';
}

/* Index of the next ',' ';' or '.' in s[i..len), or len; eight bytes
 * at a time (most words have none). */
static size_t next_candidate(const char *s, size_t i, size_t len)
{
    uint64_t w;

    while (len - i >= 8) {
        w = utf8_word(s + i);
        if (utf8_word_eq(w, ',') | utf8_word_eq(w, ';') | utf8_word_eq(w, '.'))
            break;
        i += 8;
    }
    while (i < len && !may_need_space(s[i]))
        i++;
    return i;
}

/* Copy-on-write: most lines need no space, so nothing is copied until
 * the first one that does; then the bytes go in runs between inserts. */
static int fix_line(tc_line *line)
{
    const char *s = line->text;
    buf b = BUF_INIT;
    size_t i, from = 0;
    int err, changed = 0;

    for (i = 0; (i = next_candidate(s, i, line->len)) < line->len; i++) {
        if (!needs_space(s, line->len, i))
            continue;
        buf_put(&b, s + from, i + 1 - from);
        buf_putc(&b, ' ');
        from = i + 1;
        changed = 1;
    }
    if (!changed)
        return 0;
    buf_put(&b, s + from, line->len - from);
    err = buf_ok(&b);
    if (err == 0)
        err = tc_line_set(line, b.ptr, b.len);
    buf_free(&b);
    return err;
}

int repair_spaces(tc_lines *l)
{
    size_t i;
    int err;

    for (i = 0; i < l->n; i++)
        if ((err = fix_line(&l->v[i])) < 0)
            return err;
    return 0;
}

static const char *const function_words[] = {
    "the", "a", "an", "and", "or", "nor", "but", "of", "to", "in", "into",
    "by", "for", "with", "on", "at", "from", "that", "this", "these",
    "those", "their", "its", "our", "as", "be", "than", "which", "whose",
    "is", "are", "was", "were", "such", "not", "between", "among", NULL};

static int ends_function_word(const char *s, size_t len)
{
    size_t b = len, i;

    while (b > 0 && s[b - 1] != ' ')
        b--;
    for (i = 0; function_words[i]; i++)
        if (strlen(function_words[i]) == len - b &&
            memcmp(s + b, function_words[i], len - b) == 0)
            return 1;
    return 0;
}

/* Ends with . ! ? : optionally followed by closing quotes/brackets. */
static int ends_sentence(const char *s, size_t len)
{
    while (len > 0 && strchr("\"')]*", s[len - 1]))
        len--;
    return len > 0 && strchr(".!?:", s[len - 1]);
}

static int starts_lower(const char *s, size_t len)
{
    int32_t c;

    utf8_decode(s, len, &c);
    return utf8proc_category(c) == UTF8PROC_CATEGORY_LL;
}

/* a_alone / b_alone: the line is a block by itself (a salutation is). */
static int should_join(const tc_line *a, const tc_line *b, int a_alone,
                       int b_alone)
{
    line_class ca, cb;

    blocks_classify(a->text, a->len, &ca);
    blocks_classify(b->text, b->len, &cb);
    if (ca.kind == LK_ATX || ca.kind == LK_ROMAN || ca.kind == LK_SUBITEM ||
        cb.kind != LK_TEXT)
        return 0;
    if ((a_alone && blocks_is_salutation(a->text, a->len)) ||
        (b_alone && blocks_is_salutation(b->text, b->len)) ||
        ends_sentence(a->text, a->len))
        return 0;
    return starts_lower(b->text, b->len) ||
           ends_function_word(a->text, a->len);
}

/* Line a := a + " " + b; lines a+1..b removed. */
static int join_lines(tc_lines *l, size_t a, size_t b)
{
    buf j = BUF_INIT;
    int err;

    buf_put(&j, l->v[a].text, l->v[a].len);
    buf_putc(&j, ' ');
    buf_put(&j, l->v[b].text, l->v[b].len);
    if ((err = buf_ok(&j)) == 0)
        err = tc_line_set(&l->v[a], j.ptr, j.len);
    buf_free(&j);
    while (err == 0 && b > a)
        tc_lines_remove(l, b--);
    return err;
}

/* End (exclusive) of the first block, as blocks.c will cut it: the
 * title, never joined. */
static size_t first_block_end(const tc_lines *l, int line_mode)
{
    size_t i = 0;

    while (i < l->n && l->v[i].len == 0)
        i++;
    if (line_mode || i >= l->n)
        return i + 1;
    /* up to a blank line or a line that opens a block of its own ("- ") */
    for (i++; i < l->n && l->v[i].len > 0; i++) {
        line_class c;
        blocks_classify(l->v[i].text, l->v[i].len, &c);
        if (c.kind != LK_TEXT)
            break;
    }
    return i;
}

int repair_joins(tc_lines *l, int line_mode)
{
    size_t a = 0, b, first_end = first_block_end(l, line_mode);
    int err;

    while (a < l->n) {
        if (l->v[a].len == 0 ||
            (!line_mode && a + 1 < l->n && l->v[a + 1].len > 0)) {
            a++;
            continue;
        }
        for (b = a + 1; b < l->n && l->v[b].len == 0; b++)
            ;
        if (b >= l->n)
            break;
        if (a >= first_end &&
            should_join(&l->v[a], &l->v[b],
                        line_mode || a == 0 || l->v[a - 1].len == 0,
                        line_mode || b + 1 >= l->n || l->v[b + 1].len == 0)) {
            if ((err = join_lines(l, a, b)) < 0)
                return err;
            continue;
        }
        a = b;
    }
    return 0;
}
