/*
 * manifest_parse.c - the manifests' subset of git-config syntax, read
 * without libgit2.
 *
 * Why: on a 10 000-statement manifest (2.2 MB) libgit2's reader took
 * ~120 ms of the 175 ms of posdiff_corpus_open: git_config_open_ondisk
 * stores every entry in a hash map (kh_resize_str), the iterator
 * duplicates the whole map, and freeing both costs as much again
 * (malloc_consolidate).  This reader takes ~10 ms for the same file.
 *
 * It never decides anything libgit2 would decide differently: it accepts
 * only lines of these shapes, and for anything else (another section, a
 * header with text after it, a legacy [a.b] header, a continued value, a
 * bad escape, a control byte, a BOM, an error of any kind) it returns
 * MFILE_OTHER and the caller reads the file with libgit2, which gives
 * the result and the error message it always gave:
 *
 *   blank or whitespace-only line, or '#' / ';' comment
 *   [<kind> "<id>"]      (kind in any case; id non-empty, no '"' or '\')
 *   <key> [= <value>]    (inside such a section)
 *
 * A value line is read with the same steps as libgit2 1.5's
 * config_parse.c (strip_comments, parse_name, unescape_line), so quotes,
 * escapes, comments and trailing spaces mean the same thing.
 * tests/check_corpus.c compares the two readers on tricky inputs.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "util/buf.h"
#include "util/errors.h"
#include "manifest.h"

static int is_keychar(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '-';
}

static int is_blank(char c)
{
    return c == ' ' || c == '\t';
}

/*
 * No NUL, no control byte but tab and newline, no BOM.  Every byte of a
 * 2 MB manifest is looked at, so 16 at a time where SSE2 is there (all
 * x86-64): a byte is a control byte when min(byte, 0x1f) == byte.
 */
static int bytes_simple(const char *data, size_t len)
{
    size_t i = 0;

    if (len >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3))
        return 0;
#if defined(__SSE2__)
    {
        const __m128i lim = _mm_set1_epi8(0x1f), tab = _mm_set1_epi8('\t'),
                      nl = _mm_set1_epi8('\n');
        for (; i + 16 <= len; i += 16) {
            __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(data + i));
            __m128i ctl = _mm_cmpeq_epi8(_mm_min_epu8(v, lim), v);
            __m128i ok = _mm_or_si128(_mm_cmpeq_epi8(v, tab), _mm_cmpeq_epi8(v, nl));
            if (_mm_movemask_epi8(_mm_andnot_si128(ok, ctl)))
                return 0;
        }
    }
#endif
    for (; i < len; i++) {
        unsigned char c = (unsigned char)data[i];
        if (c < 0x20 && c != '\t' && c != '\n')
            return 0;
    }
    return 1;
}

/* Is any of '"', '\\', '#', ';' in [p, end)?  (The value of a usual line
 * has none; 16 bytes at a time where SSE2 is there.) */
static int has_special(const char *p, const char *end)
{
#if defined(__SSE2__)
    const __m128i q = _mm_set1_epi8('"'), bs = _mm_set1_epi8('\\'),
                  hash = _mm_set1_epi8('#'), semi = _mm_set1_epi8(';');
    for (; end - p >= 16; p += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
        __m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, q), _mm_cmpeq_epi8(v, bs)),
                                   _mm_or_si128(_mm_cmpeq_epi8(v, hash), _mm_cmpeq_epi8(v, semi)));
        if (_mm_movemask_epi8(hit))
            return 1;
    }
#endif
    for (; p < end; p++)
        if (*p == '"' || *p == '\\' || *p == '#' || *p == ';')
            return 1;
    return 0;
}

/*
 * [<kind> "<id>"] and nothing but blanks after it; *id / *idlen get the
 * subsection.  0 when the line is anything else.
 */
static int parse_header(const char *p, const char *end, const char *kind,
                        const char **id, size_t *idlen)
{
    size_t klen = strlen(kind);
    const char *q;

    p++; /* '[' */
    if ((size_t)(end - p) <= klen || strncasecmp(p, kind, klen) || !is_blank(p[klen]))
        return 0;
    for (p += klen; p < end && is_blank(*p); p++)
        ;
    if (p == end || *p != '"')
        return 0;
    for (q = ++p; q < end && *q != '"' && *q != '\\'; q++)
        ;
    if (q == p || end - q < 2 || q[0] != '"' || q[1] != ']')
        return 0;
    *id = p;
    *idlen = (size_t)(q - p);
    for (q += 2; q < end; q++)
        if (!is_blank(*q))
            return 0;
    return 1;
}

/*
 * libgit2's strip_comments: cut at the first '#' or ';' outside quotes
 * (a quote after a backslash does not count), then drop trailing
 * blanks.  @p line is NUL-terminated and edited in place.
 */
static void strip_comments(char *line)
{
    int quotes = 0, backslashes = 0;
    char *p;

    for (p = line; *p; p++) {
        if (*p == '"' && (p == line || p[-1] != '\\'))
            quotes++;
        if ((*p == ';' || *p == '#') && quotes % 2 == 0 && backslashes % 2 == 0)
            break;
        backslashes = *p == '\\' ? backslashes + 1 : 0;
    }
    while (p > line && is_blank(p[-1]))
        p--;
    *p = '\0';
}

/* libgit2's unescape_line into @p out; 0 for a continued line or a bad escape. */
static int unescape(buf *out, const char *p)
{
    static const char escapes[] = "ntb\"\\", escaped[] = "\n\t\b\"\\";
    const char *e;

    for (; *p; p++) {
        if (*p == '"')
            continue;
        if (*p != '\\') {
            buf_putc(out, *p);
            continue;
        }
        if (!*++p || !(e = strchr(escapes, *p)))
            return 0;
        buf_putc(out, escaped[e - escapes]);
    }
    return 1;
}

/* Where entries of the current section go (see parse_lines). */
typedef struct {
    mfile *m;         /* NULL: check only */
    mfile_index *x;
    const char *id;   /* of the last header, in the data; NULL before one */
    size_t idlen;
    long sec;         /* its section number once it has an entry, else -1 */
} target;

static int target_add(target *t, const char *key, size_t keylen,
                      const char *value, size_t vallen)
{
    if (!t->m)
        return 0;
    if (t->sec < 0 && (t->sec = mfile_section(t->m, t->x, t->id, t->idlen)) < 0)
        return (int)t->sec;
    return mfile_add(t->m, (size_t)t->sec, key, keylen, value, vallen);
}

/*
 * The usual line, "key = value" with no quote, backslash, '#' or ';' in
 * the value: read without copying the line first (strip_comments and
 * unescape would leave the value as it is, less its trailing blanks).
 * 1 when the line was of that shape (*error set), 0 when parse_variable
 * must read it.
 */
static int plain_variable(target *t, const char *p, const char *eol, int *error)
{
    char key[64];
    const char *v, *end = eol;
    size_t n = 0;

    for (; p < eol && is_keychar((unsigned char)*p); p++) {
        if (n == sizeof(key))
            return 0;
        key[n++] = (char)(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p);
    }
    if (n == 0)
        return 0;
    while (p < eol && is_blank(*p))
        p++;
    if (p == eol || *p != '=')
        return 0;
    for (v = p + 1; v < eol && is_blank(*v); v++)
        ;
    if (has_special(v, eol))
        return 0;
    while (end > v && is_blank(end[-1]))
        end--;
    *error = target_add(t, key, n, v, (size_t)(end - v));
    return 1;
}

/* One "key [= value]" line (blanks before it skipped); 0 if not simple. */
static int parse_variable(target *t, buf *line, buf *val, int *error)
{
    char *name = line->ptr, *p;

    strip_comments(name);
    for (p = name; is_keychar((unsigned char)*p); p++)
        *p = (char)(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p);
    if (p == name)
        return 0;
    buf_clear(val);
    buf_putc(val, '\0'); /* allocate: an empty value is "" */
    val->len = 0;
    if (*p) {
        char *eq = p;
        while (is_blank(*eq))
            eq++;
        if (*eq != '=')
            return 0;
        *p = '\0';
        for (p = eq + 1; is_blank(*p); p++)
            ;
        if (!unescape(val, p))
            return 0;
    }
    if ((*error = buf_ok(val)) == 0)
        *error = target_add(t, name, strlen(name), val->ptr, val->len);
    return 1;
}

/* The line's text, blanks before it skipped, copied NUL-terminated. */
static void copy_line(buf *line, const char *p, const char *end)
{
    buf_clear(line);
    buf_put(line, p, (size_t)(end - p));
}

static int parse_lines(target *t, const char *data, size_t len, const char *kind,
                       buf *line, buf *val)
{
    const char *p = data, *end = data + len;
    int error = 0;

    while (p < end && error == 0) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        if (!eol)
            eol = end;
        while (p < eol && is_blank(*p))
            p++;
        if (p == eol || *p == '#' || *p == ';') {
            /* blank line or comment */
        } else if (*p == '[') {
            if (!parse_header(p, eol, kind, &t->id, &t->idlen))
                return MFILE_OTHER;
            t->sec = -1;
        } else {
            if (!t->id)
                return MFILE_OTHER;
            if (plain_variable(t, p, eol, &error))
                goto next;
            copy_line(line, p, eol);
            if ((error = buf_ok(line)) < 0)
                break;
            if (!parse_variable(t, line, val, &error))
                return MFILE_OTHER;
        }
next:
        p = eol + (eol < end);
    }
    return error < 0 ? error : MFILE_SIMPLE;
}

int mfile_parse_simple(mfile *out, const char *data, size_t len, const char *kind)
{
    mfile_index x = {NULL, 0};
    target t = {out, &x, NULL, 0, -1};
    buf line = BUF_INIT, val = BUF_INIT;
    int rc;

    if (out)
        memset(out, 0, sizeof(*out));
    if (!bytes_simple(data, len))
        return MFILE_OTHER;
    rc = parse_lines(&t, data, len, kind, &line, &val);
    free(x.slot);
    buf_free(&line);
    buf_free(&val);
    if (rc != MFILE_SIMPLE && out)
        mfile_free(out);
    return rc;
}
