/*
 * textclean.c - raw bytes to clean lines; strip rules; front matter.
 *
 * Each raw line (split at LF, CRLF or lone CR) is composed to NFC with
 * utf8proc (skipped for pure-ASCII lines, already NFC), then scanned
 * once: white space of any kind becomes ' ',
 * invisible format characters (U+200B, U+2060, U+FEFF incl. the BOM)
 * the noncharacters U+FFFE, U+FFFF and control characters (C0, DEL, C1)
 * vanish, curly quotes become straight ones, runs of spaces collapse and
 * the ends are trimmed.  The line keeps its raw line number and raw
 * byte range so later stages can report removals against the raw file.
 * Lines are found, and plain printable ASCII copied, eight bytes at a
 * time (utf8.h).  For --explain, textclean_notes() reads the raw lines
 * again and says what the cleaning changed in each (only lines with
 * non-ASCII bytes or a CR end can have such changes).
 */
#include "textclean.h"

#include <fnmatch.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "util/buf.h"
#include "util/errors.h"
#include "util/utf8.h"

int tc_lines_push(tc_lines *l, char *text, size_t len, size_t raw_line)
{
    if (l->n == l->cap) {
        size_t nc = l->cap ? l->cap * 2 : 64;
        tc_line *p = realloc(l->v, nc * sizeof(*p));
        if (!p) {
            free(text);
            return error_oom();
        }
        l->v = p;
        l->cap = nc;
    }
    memset(&l->v[l->n], 0, sizeof(tc_line));
    l->v[l->n].text = text;
    l->v[l->n].len = len;
    l->v[l->n].raw_line = raw_line;
    l->v[l->n].raw_col = 1;
    l->n++;
    return 0;
}

int tc_line_set(tc_line *line, const char *s, size_t n)
{
    char *p = malloc(n + 1);

    if (!p)
        return error_oom();
    memcpy(p, s, n);
    p[n] = '\0';
    free(line->text);
    line->text = p;
    line->len = n;
    return 0;
}

void tc_lines_remove(tc_lines *l, size_t i)
{
    free(l->v[i].text);
    memmove(&l->v[i], &l->v[i + 1], (l->n - i - 1) * sizeof(tc_line));
    l->n--;
}

int tc_lines_join(tc_lines *l, size_t a, size_t b, size_t drop, const char *sep)
{
    buf j = BUF_INIT;
    int err;

    buf_put(&j, l->v[a].text, l->v[a].len - drop);
    buf_puts(&j, sep);
    buf_put(&j, l->v[b].text, l->v[b].len);
    if ((err = buf_ok(&j)) == 0)
        err = tc_line_set(&l->v[a], j.ptr, j.len);
    buf_free(&j);
    if (err == 0 && b > a) { /* lines a+1..b go, in one move */
        for (size_t i = a + 1; i <= b; i++)
            free(l->v[i].text);
        memmove(&l->v[a + 1], &l->v[b + 1], (l->n - b - 1) * sizeof(tc_line));
        l->n -= b - a;
    }
    return err;
}

void tc_lines_free(tc_lines *l)
{
    size_t i;

    for (i = 0; i < l->n; i++)
        free(l->v[i].text);
    free(l->v);
    l->v = NULL;
    l->n = l->cap = 0;
}

int tc_removals_add(tc_removals *r, size_t line, size_t col, const char *text,
                    size_t len, const char *rule)
{
    posdiff_removal *x;

    if (array_grow(&r->v, &r->cap, r->n, sizeof(*r->v), 8) < 0)
        return POSDIFF_ENOMEM;
    x = &r->v[r->n];
    x->line = line;
    x->column = col;
    x->text = mem_dup0(text, len);
    x->rule = mem_dup0(rule, strlen(rule));
    if (!x->text || !x->rule) {
        free((char *)x->text);
        free((char *)x->rule);
        return error_oom();
    }
    r->n++;
    return 0;
}

int tc_note(tc_removals *r, size_t line, size_t col, const char *rule,
            const char *fmt, ...)
{
    char text[512];
    va_list ap;
    int n;

    if (!r)
        return 0;
    va_start(ap, fmt);
    n = vsnprintf(text, sizeof(text), fmt, ap);
    va_end(ap);
    if (n < 0)
        n = 0;
    if ((size_t)n >= sizeof(text))
        n = (int)sizeof(text) - 1;
    return tc_removals_add(r, line, col, text, (size_t)n, rule);
}

static int cmp_removal(const void *pa, const void *pb)
{
    const posdiff_removal *a = pa, *b = pb;
    int c;

    if (a->line != b->line)
        return a->line < b->line ? -1 : 1;
    if (a->column != b->column)
        return a->column < b->column ? -1 : 1;
    if ((c = strcmp(a->rule, b->rule)) != 0)
        return c;
    return strcmp(a->text, b->text);
}

void tc_removals_sort(tc_removals *r)
{
    if (r->n > 1)
        qsort(r->v, r->n, sizeof(*r->v), cmp_removal);
}

void tc_removals_free(tc_removals *r)
{
    size_t i;

    for (i = 0; i < r->n; i++) {
        free((char *)r->v[i].text);
        free((char *)r->v[i].rule);
    }
    free(r->v);
    r->v = NULL;
    r->n = r->cap = 0;
}

/* Noise canonicalization of one code point: -1 = drop, else the cp. */
static int32_t canon(int32_t c)
{
    /* U+FFFE/U+FFFF: noncharacters, not text; cmark's renderer (like
     * utf8proc_encode_char) writes them as one invalid byte 0xFE/0xFF */
    if (c == 0x200B || c == 0x2060 || c == 0xFEFF || c == 0xFFFE || c == 0xFFFF)
        return -1;
    if (c == 0x2018 || c == 0x2019)
        return '\'';
    if (c == 0x201C || c == 0x201D)
        return '"';
    if (c == '\t' || utf8_is_space(c))
        return ' ';
    /* other C0/C1 controls (ESC, BEL, DEL...) are not text; cmark would
     * render them as entities ("&#27;"), changing the text on a rerun */
    if (c < 0x20 || (c >= 0x7F && c < 0xA0))
        return -1;
    return c;
}

/*
 * Copy the words of eight printable ASCII bytes at s[*i..n) to out+*len
 * as long as canon() keeps every byte: no two spaces side by side and
 * no space where the output is empty or ends with one (those collapse).
 * Returns 1 if it copied any.  Most text is such words.
 */
static int copy_words(char *out, size_t *len, const char *s, size_t *i,
                      size_t n)
{
    size_t k = *i, l = *len;
    uint64_t w, sp;

    while (n - k >= 8) {
        w = utf8_word(s + k);
        sp = utf8_word_eq(w, ' ');
        if (utf8_word_unprintable(w) || (sp & (sp << 8)) ||
            (s[k] == ' ' && (l == 0 || out[l - 1] == ' ')))
            break;
        memcpy(out + l, s + k, 8);
        l += 8;
        k += 8;
    }
    if (k == *i)
        return 0;
    *i = k;
    *len = l;
    return 1;
}

/*
 * The canonical form of s[0..n) (already NFC) into @p out, which has
 * room for n + 1 bytes (canon() never lengthens a character); returns
 * the length written.  Printable ASCII is itself (canon_ascii), so it is
 * copied without decoding.
 */
static size_t put_canon(char *out, const char *s, size_t n)
{
    size_t i = 0, len = 0;
    int32_t c;

    while (i < n) {
        unsigned char u;
        if (copy_words(out, &len, s, &i, n))
            continue;
        u = (unsigned char)s[i];
        if (u >= 0x21 && u < 0x7F) {
            out[len++] = (char)u;
            i++;
            continue;
        }
        i += utf8_decode(s + i, n - i, &c);
        c = canon(c);
        if (c < 0 || (c == ' ' && (len == 0 || out[len - 1] == ' ')))
            continue;
        len += (size_t)utf8proc_encode_char(c, (utf8proc_uint8_t *)out + len);
    }
    while (len > 0 && out[len - 1] == ' ')
        len--;
    out[len] = '\0';
    return len;
}

/*
 * put_canon() of an ASCII line: ASCII is already NFC and canon() maps
 * it byte to byte, so neither utf8proc nor decoding is needed (the
 * common case; it was most of the normalizer's time).
 */
static int32_t canon_ascii(unsigned char c)
{
    if (c >= 0x20 && c < 0x7F) /* printable: itself (a space is one) */
        return c;
    return canon(c);
}

/* Into @p out (room for n + 1 bytes); returns the length written. */
static size_t put_canon_ascii(char *out, const char *s, size_t n)
{
    size_t len = 0, i = 0;

    while (i < n) {
        int32_t c;
        if (copy_words(out, &len, s, &i, n))
            continue;
        c = canon_ascii((unsigned char)s[i++]);
        if (c < 0 || (c == ' ' && (len == 0 || out[len - 1] == ' ')))
            continue;
        out[len++] = (char)c;
    }
    while (len > 0 && out[len - 1] == ' ')
        len--;
    out[len] = '\0';
    return len;
}

static int push_line(tc_lines *out, char *text, size_t len, size_t lineno,
                     size_t off, size_t end)
{
    if (tc_lines_push(out, text, len, lineno) < 0)
        return POSDIFF_ENOMEM;
    out->v[out->n - 1].raw_off = off;
    out->v[out->n - 1].raw_end = end;
    return 0;
}

/*
 * Code points that NFC leaves alone wherever they stand: no canonical
 * decomposition, combining class 0, and never the second of a composed
 * pair (Latin-1 and punctuation, the curly quotes; CJK ideographs).
 * Checked exhaustively against utf8proc: each one alone and after every
 * NFC-stable code point up to U+2FFFF.  A line of ASCII and these is
 * its own NFC, so utf8proc_map() (most of the cleaning time) is skipped.
 */
static int nfc_inert(int32_t c)
{
    return (c >= 0xA0 && c <= 0xFF) || (c >= 0x2010 && c <= 0x2027) ||
           (c >= 0x2030 && c <= 0x205E) || (c >= 0x4E00 && c <= 0x9FFF);
}

static int is_nfc_inert(const char *s, size_t n)
{
    size_t i = 0;
    int32_t c;

    while (i < n) {
        if ((unsigned char)s[i] < 0x80) {
            i++;
            continue;
        }
        i += utf8_decode(s + i, n - i, &c);
        if (!nfc_inert(c))
            return 0;
    }
    return 1;
}

/* The canonical form of s[0..n) (NFC already) as a new line. */
static int push_canon(tc_lines *out, const char *s, size_t n, size_t lineno,
                      size_t off, size_t end)
{
    char *text = malloc(n + 1);

    if (!text)
        return error_oom();
    return push_line(out, text, put_canon(text, s, n), lineno, off, end);
}

/* Clean a line with non-ASCII bytes: NFC with utf8proc, then canon. */
static int clean_utf8(tc_lines *out, const char *raw, size_t off, size_t end,
                      size_t lineno)
{
    utf8proc_uint8_t *nfc = NULL;
    utf8proc_ssize_t n;
    int err;

    if (is_nfc_inert(raw + off, end - off))
        return push_canon(out, raw + off, end - off, lineno, off, end);
    n = utf8proc_map((const utf8proc_uint8_t *)raw + off,
                     (utf8proc_ssize_t)(end - off), &nfc,
                     UTF8PROC_STABLE | UTF8PROC_COMPOSE);
    if (n < 0)
        return n == UTF8PROC_ERROR_NOMEM ? error_oom()
                                         : error_set(POSDIFF_EUTF8, "line %zu: cannot compose to NFC; convert the file to UTF-8", lineno);
    err = push_canon(out, (const char *)nfc, (size_t)n, lineno, off, end);
    free(nfc);
    return err;
}

/* 1-based column of the first visible char of raw[off..end). */
static size_t first_col(const char *raw, size_t off, size_t end)
{
    size_t i = off, n;
    int32_t c;

    while (i < end) {
        if ((unsigned char)raw[i] < 0x80) { /* ASCII: no decoding */
            if (canon_ascii((unsigned char)raw[i]) != ' ' &&
                canon_ascii((unsigned char)raw[i]) != -1)
                break;
            i++;
            continue;
        }
        n = utf8_decode(raw + i, end - i, &c);
        if (canon(c) != ' ' && canon(c) != -1)
            break;
        i += n;
    }
    return i - off + 1;
}

/* What line_end() learned about a raw line. */
typedef struct {
    size_t end; /* offset of its LF or CR, or the input length */
    int ascii;  /* no byte >= 0x80 */
    int plain;  /* printable ASCII only, no two spaces side by side */
} line_scan;

/*
 * A plain line is its own canonical form but for one leading and one
 * trailing space (runs are excluded): copied, not scanned again.
 */
static int clean_plain(tc_lines *out, const char *raw, size_t off,
                       size_t end, size_t lineno)
{
    size_t b = off + (off < end && raw[off] == ' '), e = end;
    char *text;
    int err;

    if (e > b && raw[e - 1] == ' ')
        e--;
    if (!(text = malloc(e - b + 1)))
        return error_oom();
    memcpy(text, raw + b, e - b);
    text[e - b] = '\0';
    if ((err = push_line(out, text, e - b, lineno, off, end)) == 0)
        out->v[out->n - 1].raw_col = b - off + 1;
    return err;
}

/* Clean raw[off..sc->end) into a new line of @p out. */
static int clean_line(tc_lines *out, const char *raw, size_t off,
                      const line_scan *sc, size_t lineno)
{
    size_t end = sc->end;
    char *text;
    int err;

    if (sc->plain)
        return clean_plain(out, raw, off, end, lineno);
    if (!sc->ascii)
        err = clean_utf8(out, raw, off, end, lineno);
    else if (!(text = malloc(end - off + 1))) /* one allocation per line */
        err = error_oom();
    else
        err = push_line(out, text, put_canon_ascii(text, raw + off, end - off),
                        lineno, off, end);
    if (err == 0)
        out->v[out->n - 1].raw_col = first_col(raw, off, end);
    return err;
}

/* Bytes raw[i..) up to the end of the line, one at a time, into *sc. */
static size_t scan_bytes(const char *raw, size_t start, size_t i,
                         size_t len, line_scan *sc)
{
    unsigned char b;

    for (; i < len && (b = (unsigned char)raw[i]) != '\n' && b != '\r'; i++) {
        sc->ascii &= b < 0x80;
        sc->plain &= b >= 0x20 && b < 0x7F &&
                     !(b == ' ' && i > start && raw[i - 1] == ' ');
    }
    return i;
}

/*
 * Scan the line at raw[start..len): where it ends (first LF or CR, or
 * len), whether it is ASCII and whether plain.  Eight bytes at a time:
 * a word of printable ASCII needs only its pairs of spaces checked.
 */
static void line_end(const char *raw, size_t start, size_t len, line_scan *sc)
{
    size_t i = start;
    uint64_t w, sp;

    sc->ascii = sc->plain = 1;
    while (len - i >= 8) {
        w = utf8_word(raw + i);
        if (utf8_word_unprintable(w)) {
            if (utf8_word_eq(w, '\n') | utf8_word_eq(w, '\r'))
                break;
            sc->ascii &= (w & UTF8_WORD_HI) == 0;
            sc->plain = 0;
        } else if (sc->plain) {
            sp = utf8_word_eq(w, ' ');
            if ((sp & (sp << 8)) ||
                (raw[i] == ' ' && i > start && raw[i - 1] == ' '))
                sc->plain = 0;
        }
        i += 8;
    }
    sc->end = scan_bytes(raw, start, i, len, sc);
}

int textclean_split(tc_lines *out, const char *raw, size_t len)
{
    size_t i = 0, start, lineno = 1;
    line_scan sc;
    int err;

    for (;;) {
        start = i;
        line_end(raw, start, len, &sc);
        if ((err = clean_line(out, raw, start, &sc, lineno)) < 0)
            return err;
        if ((i = sc.end) == len)
            return 0;
        if (raw[i] == '\r' && i + 1 < len && raw[i + 1] == '\n')
            i++;
        i++;
        lineno++;
    }
}

int textclean_remove_line(tc_lines *l, size_t i, const char *rule,
                          tc_removals *r)
{
    tc_line *x = &l->v[i];
    int err = tc_removals_add(r, x->raw_line, x->raw_col, x->text, x->len,
                              rule);

    if (err == 0)
        tc_lines_remove(l, i);
    return err;
}

/* ---- what the cleaning changed (--explain) ---------------------------- */

/* The kinds of change textclean_split() makes inside a line. */
enum { N_BOM, N_ZW, N_NBSP, N_QUOTE, N_KINDS };

static const char *const note_rule[N_KINDS] = {"bom", "zero-width", "nbsp",
                                               "curly-quotes"};

/* Which kind of change @p c is at raw offset @p at, or -1. */
static int note_kind(int32_t c, size_t at)
{
    if (c == 0xFEFF && at == 0)
        return N_BOM;
    if (c == 0x200B || c == 0x2060 || c == 0xFEFF)
        return N_ZW;
    if (c == 0xA0 || c == 0x202F || c == 0x2007)
        return N_NBSP;
    if (c >= 0x2018 && c <= 0x201D && c != 0x201A && c != 0x201B)
        return N_QUOTE;
    return -1;
}

/* "s" for a plural count, "" for one (the wording of the notes). */
static const char *plural(size_t n) { return n == 1 ? "" : "s"; }

static int note_kinds(const tc_line *x, const size_t count[N_KINDS],
                      const size_t col[N_KINDS], tc_removals *r)
{
    static const char *const noun[N_KINDS] = {"", "zero-width character",
                                              "non-breaking space", "curly quote"};
    static const char *const verb[N_KINDS] = {"", "removed", "replaced by a space",
                                              "straightened"};
    int err = 0;

    if (count[N_BOM])
        err = tc_note(r, x->raw_line, 1, note_rule[N_BOM], "byte order mark removed");
    for (int k = N_ZW; k < N_KINDS && err == 0; k++)
        if (count[k])
            err = tc_note(r, x->raw_line, col[k], note_rule[k], "%zu %s%s %s", count[k],
                          noun[k], plural(count[k]), verb[k]);
    return err;
}

/* Count, by kind, what cleaning line @p x changed in the raw bytes. */
static int note_line(const tc_line *x, const char *raw, tc_removals *r)
{
    size_t count[N_KINDS] = {0}, col[N_KINDS] = {0}, i = x->raw_off, n;
    int32_t c;
    int k;

    while (i < x->raw_end) {
        if ((unsigned char)raw[i] < 0x80) {
            i++;
            continue;
        }
        n = utf8_decode(raw + i, x->raw_end - i, &c);
        if ((k = note_kind(c, i)) >= 0 && count[k]++ == 0)
            col[k] = i - x->raw_off + 1;
        i += n;
    }
    return note_kinds(x, count, col, r);
}

/* One change for the line ends: where the first CRLF (or CR) is. */
static int note_line_ends(const tc_lines *l, const char *raw, size_t len,
                          tc_removals *r)
{
    size_t crlf = 0, cr = 0, first = 0;

    for (size_t i = 0; i < l->n; i++) {
        size_t e = l->v[i].raw_end;
        if (e >= len || raw[e] != '\r')
            continue;
        if (!first)
            first = l->v[i].raw_line;
        if (e + 1 < len && raw[e + 1] == '\n')
            crlf++;
        else
            cr++;
    }
    if (crlf)
        return tc_note(r, first, 0, "crlf", "CRLF line ends converted to LF (%zu line%s)",
                       crlf, plural(crlf));
    if (cr)
        return tc_note(r, first, 0, "crlf", "CR line ends converted to LF (%zu line%s)",
                       cr, plural(cr));
    return 0;
}

/* No byte of s[0..n) is >= 0x80; eight bytes at a time. */
static int is_ascii(const char *s, size_t n)
{
    size_t i = 0;

    for (; n - i >= 8; i += 8)
        if (utf8_word(s + i) & UTF8_WORD_HI)
            return 0;
    for (; i < n; i++)
        if ((unsigned char)s[i] >= 0x80)
            return 0;
    return 1;
}

int textclean_notes(const tc_lines *l, const char *raw, size_t len,
                    tc_removals *changes)
{
    int err = 0;

    if (!changes)
        return 0;
    for (size_t i = 0; i < l->n && err == 0; i++)
        if (!is_ascii(raw + l->v[i].raw_off, l->v[i].raw_end - l->v[i].raw_off))
            err = note_line(&l->v[i], raw, changes);
    return err < 0 ? err : note_line_ends(l, raw, len, changes);
}

int textclean_strip(tc_lines *l, const char *raw, const char *const *globs,
                    size_t nglobs, tc_removals *r)
{
    size_t i = 0, g;
    buf rule = BUF_INIT;
    int err = 0;

    (void)raw;
    while (i < l->n && err == 0) {
        for (g = 0; g < nglobs; g++)
            if (l->v[i].len > 0 && fnmatch(globs[g], l->v[i].text, 0) == 0)
                break;
        if (g == nglobs) {
            i++;
            continue;
        }
        buf_clear(&rule);
        buf_printf(&rule, "strip: %s", globs[g]);
        err = buf_ok(&rule);
        if (err == 0)
            err = textclean_remove_line(l, i, rule.ptr, r);
    }
    buf_free(&rule);
    return err;
}

int textclean_front_matter(tc_lines *l, const char *raw, tc_removals *r)
{
    size_t i = 0, end, k;
    int err = 0;

    (void)raw;
    while (i < l->n && l->v[i].len == 0)
        i++;
    if (i == l->n || strncmp(l->v[i].text, "<!-- posdiff", 12) != 0)
        return 0;
    for (end = i; end < l->n; end++)
        if (strstr(l->v[end].text, "-->"))
            break;
    if (end == l->n)
        return 0;
    for (k = i; k <= end && err == 0; k++)
        err = textclean_remove_line(l, i, "front-matter", r);
    return err;
}

int textclean_is_empty(const tc_lines *l)
{
    size_t i;

    for (i = 0; i < l->n; i++)
        if (l->v[i].len > 0)
            return 0;
    return 1;
}
