/*
 * gitconfig.c - does git accept this config file, and which line does
 * it refuse?  libgit2 reads the manifests, but it accepts files git
 * refuses (an unclosed quote, a key starting with a digit) and numbers
 * some errors differently; so a manifest is first checked with git's
 * own rules: a port of git_parse_source and its helpers (config.c,
 * git 2.39) that builds nothing and only keeps git's line count,
 * including its quirks (the end of the file counts as one more line
 * end).  It also finds [include] / [includeIf] headers, and where a
 * file may be cut into pieces that each open a section.
 */
#include "manifest.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/buf.h"

typedef struct {
    const unsigned char *p, *end;
    int line;        /* git's cf->linenr */
    int eof;
    const char *why; /* what the refused line got wrong */
    int include;     /* line of the first include header, or 0 */
} src;

/* git's ctype: ASCII only, and \v \f are not spaces */
static int g_space(int c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static int g_alpha(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int g_keychar(int c)
{
    return g_alpha(c) || (c >= '0' && c <= '9') || c == '-';
}

/* get_next_char: CRLF is one line end; the end of the file is one more. */
static int next_char(src *s)
{
    int c;

    if (s->p == s->end) {
        s->eof = 1;
        s->line++;
        return '\n';
    }
    c = *s->p++;
    if (c == '\r' && s->p < s->end && *s->p == '\n')
        c = *s->p++;
    if (c == '\n')
        s->line++;
    return c;
}

static int fail(src *s, const char *why)
{
    s->why = why;
    return -1;
}

/* parse_value: quotes, escapes, comments, continued lines. */
static int value(src *s)
{
    int quote = 0, comment = 0;

    for (;;) {
        int c = next_char(s);
        if (c == '\n') {
            if (!quote)
                return 0;
            s->line--;
            return fail(s, "a quote is not closed");
        }
        if (comment || (g_space(c) && !quote))
            continue;
        if (!quote && (c == ';' || c == '#'))
            comment = 1;
        else if (c == '"')
            quote = !quote;
        else if (c == '\\' && (c = next_char(s)) != '\n' && !(c && strchr("tbn\\\"", c)))
            return fail(s, "unknown escape; write \\\\ for a backslash");
    }
}

/* get_value: the rest of a key, then '=' and a value, or the line end. */
static int entry(src *s)
{
    int c;

    do
        c = next_char(s);
    while (!s->eof && g_keychar(c));
    while (c == ' ' || c == '\t')
        c = next_char(s);
    if (c == '\n')
        return 0;
    if (c != '=')
        return fail(s, "invalid configuration key");
    return value(s);
}

/* get_extended_base_var: [section "subsection"] after the space @p c. */
static int subsection(src *s, int c)
{
    do {
        if (c == '\n')
            goto incomplete;
        c = next_char(s);
    } while (g_space(c));
    if (c != '"')
        return fail(s, "bad section header");
    while ((c = next_char(s)) != '"') {
        if (c == '\\')
            c = next_char(s);
        if (c == '\n')
            goto incomplete;
    }
    return next_char(s) == ']' ? 0 : fail(s, "bad section header");
incomplete:
    s->line--;
    return fail(s, "bad section header");
}

/* get_base_var, after '['; notes an include header. */
static int header(src *s)
{
    char name[10];
    size_t n = 0;
    int c, sub = 0;

    while ((c = next_char(s)) != ']') {
        if (s->eof || (!g_space(c) && !g_keychar(c) && c != '.'))
            return fail(s, "bad section header");
        if (g_space(c)) {
            if (subsection(s, c) < 0)
                return -1;
            sub = 1;
            break;
        }
        if (n < sizeof(name))
            name[n] = (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
        n++;
    }
    if (n == 0 && !sub)
        return fail(s, "bad section header");
    if (!s->include && ((n == 7 && !memcmp(name, "include", 7)) ||
                        (n == 9 && !memcmp(name, "includeif", 9))))
        s->include = s->line;
    return 0;
}

/* git_parse_source over @p s; @p at_header (unless NULL) is told the
 * offset of each section header's '[' from @p start. */
static void walk(src *s, const unsigned char *start, void (*at_header)(void *, size_t),
                 void *arg)
{
    static const unsigned char bom[] = {0xef, 0xbb, 0xbf};
    size_t b = 0; /* bytes of a BOM matched; 3: past it */
    int c, comment = 0;

    for (;;) {
        c = next_char(s);
        if (b < 3 && c == bom[b]) {
            b++;
            continue;
        }
        if (b > 0 && b < 3) {
            fail(s, "incomplete byte order mark");
            break;
        }
        b = 3;
        if (c == '\n' && s->eof)
            break;
        if (c == '\n' || comment || g_space(c)) {
            comment = comment && c != '\n';
        } else if (c == '#' || c == ';') {
            comment = 1;
        } else if (c == '[') {
            if (at_header)
                at_header(arg, (size_t)(s->p - 1 - start));
            if (header(s) < 0)
                break;
        } else if (!g_alpha(c)) {
            fail(s, "invalid configuration key");
            break;
        } else if (entry(s) < 0) {
            break;
        }
    }
}

int gitconfig_check(const char *data, size_t len, int *line, const char **why)
{
    src s = {(const unsigned char *)data, (const unsigned char *)data + len, 1, 0, NULL, 0};

    walk(&s, s.p, NULL, NULL);
    *line = s.include ? s.include : s.line;
    *why = s.why;
    return s.include ? GITCONFIG_INCLUDE : s.why ? GITCONFIG_SYNTAX : 0;
}

/* ---- pieces -------------------------------------------------------------- */

typedef struct {
    size_t max, last; /* bytes a piece; where the last one starts */
    size_t *cut, n, cap;
    int oom;
} cutter;

static void cut_at(void *arg, size_t at)
{
    cutter *k = arg;

    if (at - k->last < k->max || k->oom)
        return;
    if (array_grow(&k->cut, &k->cap, k->n, sizeof(*k->cut), 16) < 0) {
        k->oom = 1;
        return;
    }
    k->cut[k->n++] = k->last = at;
}

int gitconfig_cuts(const char *data, size_t len, size_t max, size_t **cuts, size_t *n)
{
    src s = {(const unsigned char *)data, (const unsigned char *)data + len, 1, 0, NULL, 0};
    cutter k = {max ? max : 1, 0, NULL, 0, 0, 0};

    walk(&s, s.p, cut_at, &k);
    if (k.oom) {
        free(k.cut);
        return POSDIFF_ENOMEM;
    }
    *cuts = k.cut;
    *n = k.n;
    return 0;
}

/* ---- which line holds it ------------------------------------------------ */

/* Does the header at @p p (after '[') open [<kind> "<id>"]? */
static int header_is(const char *p, const char *end, const char *kind, const char *id)
{
    size_t n = strlen(kind);

    if ((size_t)(end - p) <= n || strncasecmp(p, kind, n) || (p[n] != ' ' && p[n] != '\t'))
        return 0;
    for (p += n; p < end && (*p == ' ' || *p == '\t'); p++)
        ;
    if (p == end || *p++ != '"')
        return 0;
    for (; p < end && *p != '"'; p++, id++) {
        if (*p == '\\' && p + 1 < end)
            p++;
        if (*p != *id)
            return 0;
    }
    return p < end && *id == '\0';
}

int gitconfig_line(const char *data, size_t len, const char *kind, const char *id,
                   const char *key, size_t nth)
{
    const char *p = data, *end = data + len;
    int line = 0, in = 0, continued = 0;

    while (p < end) {
        const char *eol = memchr(p, '\n', (size_t)(end - p)), *q = p;
        size_t n;
        if (!eol)
            eol = end;
        line++;
        while (q < eol && (*q == ' ' || *q == '\t'))
            q++;
        n = strspn(q, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-");
        if (continued) {
            /* the rest of a value continued with a backslash */
        } else if (q < eol && *q == '[') {
            in = header_is(q + 1, eol, kind, id);
            if (in && !key && nth-- == 0)
                return line;
        } else if (in && key && n == strlen(key) && !strncasecmp(q, key, n) &&
                   (q + n == eol || strchr(" \t=\r", q[n])) && nth-- == 0) {
            return line;
        }
        n = (size_t)(eol - q) - (eol > q && eol[-1] == '\r');
        continued = n && q[n - 1] == '\\' && (continued || (*q != '[' && *q != '#' && *q != ';'));
        p = eol + 1;
    }
    return 0;
}
