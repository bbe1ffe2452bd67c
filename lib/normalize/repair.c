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
 *
 * Quote spaces: in each sentence of a paragraph (its lines joined and
 * segmented) whose straight double quotes pair up (an even number), the
 * odd ones open and the even ones close; an opening quote between two
 * letters gets a space before it (idea of"finding), a closing one
 * between two letters a space after it ("shared"future).  A sentence
 * with an odd number of quotes (12" screens) is left alone.
 *
 * Each repair is recorded as a change at its raw line (--explain).
 */
#include "repair.h"

#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "blocks.h"
#include "chrome.h"
#include "posdiff/segment.h"
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

/* Record the @p count spaces added in @p line, the first after s[i]. */
static int note_spaces(tc_removals *chg, const tc_line *line, size_t i, size_t count)
{
    size_t b, e, e2;

    if (!chg)
        return 0;
    token_at(line->text, line->len, i, &b, &e);
    for (e2 = i + 1; e2 < line->len && line->text[e2] != ' '; e2++)
        ;
    return tc_note(chg, line->raw_line, 0, "missing-space",
                   "%zu space%s added after punctuation, first \"%.*s %.*s\"", count,
                   count == 1 ? "" : "s", (int)(i + 1 - b), line->text + b,
                   (int)(e2 - i - 1), line->text + i + 1);
}

/* Copy-on-write: most lines need no space, so nothing is copied until
 * the first one that does; then the bytes go in runs between inserts. */
static int fix_line(tc_line *line, tc_removals *chg)
{
    const char *s = line->text;
    buf b = BUF_INIT;
    size_t i, from = 0, count = 0, first = 0;
    int err;

    for (i = 0; (i = next_candidate(s, i, line->len)) < line->len; i++) {
        if (!needs_space(s, line->len, i))
            continue;
        buf_put(&b, s + from, i + 1 - from);
        buf_putc(&b, ' ');
        from = i + 1;
        if (count++ == 0)
            first = i;
    }
    if (!count)
        return 0;
    if ((err = note_spaces(chg, line, first, count)) < 0) {
        buf_free(&b);
        return err;
    }
    buf_put(&b, s + from, line->len - from);
    err = buf_ok(&b);
    if (err == 0)
        err = tc_line_set(line, b.ptr, b.len);
    buf_free(&b);
    return err;
}

int repair_spaces(tc_lines *l, tc_removals *chg)
{
    size_t i;
    int err;

    for (i = 0; i < l->n; i++)
        if ((err = fix_line(&l->v[i], chg)) < 0)
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
        chrome_ends_sentence(a->text, a->len))
        return 0;
    return chrome_starts_lower(b->text, b->len) ||
           ends_function_word(a->text, a->len);
}

/* Line a := a + " " + b (b's text stays b's, to be freed). */
static int join_into(tc_line *a, const tc_line *b)
{
    buf j = BUF_INIT;
    int err;

    buf_put(&j, a->text, a->len);
    buf_putc(&j, ' ');
    buf_put(&j, b->text, b->len);
    if ((err = buf_ok(&j)) == 0)
        err = tc_line_set(a, j.ptr, j.len);
    buf_free(&j);
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

/* One pass that compacts the lines as it joins them (removing each
 * joined line from the middle would make it quadratic): v[0, w) are
 * done, the last of them (a) may still take the next nonblank line b
 * of v[r, n). */
int repair_joins(tc_lines *l, int line_mode, tc_removals *chg)
{
    size_t first_end = first_block_end(l, line_mode), w = 1, r = 1, b;
    int err = 0;

    if (l->n == 0)
        return 0;
    while (r < l->n && err == 0) {
        tc_line *a = &l->v[w - 1];
        if (a->len == 0 || (!line_mode && l->v[r].len > 0)) {
            l->v[w++] = l->v[r++];
            continue;
        }
        for (b = r; b < l->n && l->v[b].len == 0; b++)
            ;
        if (b >= l->n)
            break;
        if (w - 1 >= first_end &&
            should_join(a, &l->v[b], line_mode || w == 1 || l->v[w - 2].len == 0,
                        line_mode || b + 1 >= l->n || l->v[b + 1].len == 0)) {
            if ((err = tc_note(chg, a->raw_line, 0, "page-break",
                               "joined with line %zu, one sentence across a break",
                               l->v[b].raw_line)) == 0 &&
                (err = join_into(a, &l->v[b])) == 0)
                for (; r <= b; r++)
                    free(l->v[r].text);
            continue;
        }
        while (r <= b)
            l->v[w++] = l->v[r++];
    }
    while (r < l->n)
        l->v[w++] = l->v[r++];
    l->n = w;
    return err;
}

/* ---- quote spaces ------------------------------------------------------- */

static int is_letter_cp(int32_t c)
{
    utf8proc_category_t k = utf8proc_category(c);
    return k >= UTF8PROC_CATEGORY_LU && k <= UTF8PROC_CATEGORY_LO;
}

/* Is the character ending just before s[p] a letter? */
static int letter_before(const char *s, size_t p)
{
    size_t b = p;
    int32_t c;

    if (p == 0)
        return 0;
    if ((unsigned char)s[p - 1] < 0x80)
        return is_alpha(s[p - 1]);
    while (b > 1 && ((unsigned char)s[b - 1] & 0xC0) == 0x80)
        b--;
    utf8_decode(s + b - 1, p - b + 1, &c);
    return is_letter_cp(c);
}

static int letter_at(const char *s, size_t len, size_t p)
{
    int32_t c;

    if (p >= len)
        return 0;
    if ((unsigned char)s[p] < 0x80)
        return is_alpha(s[p]);
    utf8_decode(s + p, len - p, &c);
    return is_letter_cp(c);
}

/* Has line @p x a '"' glued to a letter on both sides (a candidate)? */
static int has_glued_quote(const tc_line *x)
{
    const char *q = x->text;

    while ((q = memchr(q, '"', x->len - (size_t)(q - x->text)))) {
        size_t p = (size_t)(q - x->text);
        if (letter_before(x->text, p) && letter_at(x->text, x->len, p + 1))
            return 1;
        q++;
    }
    return 0;
}

/* Where spaces go in @p t: offsets (ascending) into *ins. */
static int quote_inserts(size_t **ins, size_t *n, const char *t, size_t len)
{
    posdiff_span *sp = NULL;
    size_t ns = 0, cap = 0;
    int err = posdiff_segment(&sp, &ns, t, len);

    for (size_t k = 0; k < ns && err == 0; k++) {
        size_t q = 0, idx = 0;
        for (size_t p = sp[k].start; p < sp[k].end; p++)
            q += t[p] == '"';
        if (q < 2 || q % 2)
            continue;
        for (size_t p = sp[k].start; p < sp[k].end && err == 0; p++) {
            if (t[p] != '"' || !letter_before(t, p) || !letter_at(t, len, p + 1)) {
                idx += t[p] == '"';
                continue;
            }
            if ((err = array_grow(ins, &cap, *n, sizeof(**ins), 8)) == 0)
                (*ins)[(*n)++] = idx++ % 2 == 0 ? p : p + 1;
        }
    }
    free(sp);
    return err;
}

/* Rebuild line @p x with spaces at the joined-text offsets ins[] that
 * fall inside it (it starts at @p at); note each. */
static int insert_spaces(tc_line *x, size_t at, const size_t *ins, size_t n,
                         tc_removals *chg)
{
    buf b = BUF_INIT;
    size_t from = 0, count = 0;
    int err = 0;

    for (size_t k = 0; k < n && err == 0; k++) {
        size_t p = ins[k], lb, le;
        if (p <= at || p >= at + x->len)
            continue;
        p -= at;
        for (lb = p; lb > 0 && x->text[lb - 1] != ' '; lb--)
            ;
        for (le = p; le < x->len && x->text[le] != ' '; le++)
            ;
        err = tc_note(chg, x->raw_line, 0, "quote-space", "space added: %.*s %.*s",
                      (int)(p - lb), x->text + lb, (int)(le - p), x->text + p);
        buf_put(&b, x->text + from, p - from);
        buf_putc(&b, ' ');
        from = p;
        count++;
    }
    if (err == 0 && count) {
        buf_put(&b, x->text + from, x->len - from);
        if ((err = buf_ok(&b)) == 0)
            err = tc_line_set(x, b.ptr, b.len);
    }
    buf_free(&b);
    return err;
}

/* Repair the quotes of lines [i, j): one paragraph. */
static int quote_run(tc_lines *l, size_t i, size_t j, tc_removals *chg)
{
    buf t = BUF_INIT;
    size_t *ins = NULL, n = 0, k, at;
    int err;

    for (k = i; k < j && !has_glued_quote(&l->v[k]); k++)
        ;
    if (k == j)
        return 0;
    for (k = i; k < j; k++) {
        if (k > i)
            buf_putc(&t, ' ');
        buf_put(&t, l->v[k].text, l->v[k].len);
    }
    if ((err = buf_ok(&t)) == 0)
        err = quote_inserts(&ins, &n, t.ptr, t.len);
    for (k = i, at = 0; k < j && err == 0 && n > 0; k++) {
        size_t len = l->v[k].len;
        err = insert_spaces(&l->v[k], at, ins, n, chg);
        at += len + 1;
    }
    free(ins);
    buf_free(&t);
    return err;
}

int repair_quotes(tc_lines *l, int line_mode, tc_removals *chg)
{
    size_t i = 0, j;
    int err = 0;

    while (i < l->n && err == 0) {
        if (l->v[i].len == 0) {
            i++;
            continue;
        }
        for (j = i + 1; !line_mode && j < l->n && l->v[j].len > 0; j++)
            ;
        err = quote_run(l, i, j, chg);
        i = j;
    }
    return err;
}
