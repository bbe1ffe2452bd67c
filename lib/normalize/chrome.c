/*
 * chrome.c - drop the page chrome of web pages and PDFs from clean lines.
 *
 * Navigation (web pages): the lines before the first line of text that
 * are a breadcrumb or a menu -- three or more short parts (at most five
 * words, no final stop) between " > ", " | ", " » " or " › ", or two
 * when the first is "Home" ("Home > News > Statements", "Home | About |
 * Contact") -- or a skip link ("Skip to main content") are dropped, so
 * that they never become the '#' title.  The same lines further down
 * are left alone: there a short line with '|' may be text.
 *
 * Running footers and headers (PDF text): a line that is "Page N" or
 * "Page N of M", alone or after a document symbol ("A/AC.301/2026/CRP.5
 * Page 2 of 2"), or "- N -", is dropped wherever it stands.  A line
 * holding only a page number (one to four digits) or only a document
 * symbol is dropped when it stands inside a sentence: the text before
 * it does not end a sentence and the text after it starts lowercase.
 * The sentence around a dropped line is then joined by the block
 * builder (the lines were adjacent) or by repair_joins() (blank lines
 * were around it).  Every dropped line is a removal, by raw line.
 */
#include "chrome.h"

#include <string.h>
#include <strings.h>

#include <utf8proc.h>

#include "util/utf8.h"

int chrome_starts_lower(const char *s, size_t len)
{
    int32_t c;

    if (len == 0)
        return 0;
    utf8_decode(s, len, &c);
    return utf8proc_category(c) == UTF8PROC_CATEGORY_LL;
}

int chrome_ends_sentence(const char *s, size_t len)
{
    while (len > 0 && strchr("\"')]*", s[len - 1]))
        len--;
    return len > 0 && strchr(".!?:", s[len - 1]);
}

/* ---- navigation --------------------------------------------------------- */

static const char *const nav_seps[] = {" > ", " | ", " \xC2\xBB ",
                                       " \xE2\x80\xBA ", NULL};

static int is_skip_link(const char *s, size_t len)
{
    static const char *const links[] = {
        "skip to main content",    "skip to content",
        "skip navigation",         "skip to navigation",
        "skip to main navigation", "jump to navigation",
        "jump to content",         NULL};

    for (size_t i = 0; links[i]; i++)
        if (strlen(links[i]) == len && strncasecmp(s, links[i], len) == 0)
            return 1;
    return 0;
}

/* A part of a breadcrumb: 1..40 bytes, at most five words, no stop. */
static int nav_part(const char *s, size_t len)
{
    size_t words = 1;

    if (len == 0 || len > 40 || strchr(".!?:;,", s[len - 1]))
        return 0;
    for (size_t i = 0; i < len; i++)
        words += s[i] == ' ';
    return words <= 5;
}

/* Count the parts of s split at @p sep; 0 if one is not a nav_part. */
static size_t nav_parts(const char *s, size_t len, const char *sep, int *home)
{
    size_t n = 0, k = strlen(sep);
    const char *end = s + len, *p;

    for (;;) {
        p = s;
        while (p + k <= end && memcmp(p, sep, k) != 0)
            p++;
        if (p + k > end)
            p = end;
        if (!nav_part(s, (size_t)(p - s)))
            return 0;
        if (n++ == 0)
            *home = p - s == 4 && strncasecmp(s, "home", 4) == 0;
        if (p == end)
            return n;
        s = p + k;
    }
}

static int is_navigation(const char *s, size_t len)
{
    int home = 0;

    if (is_skip_link(s, len))
        return 1;
    for (size_t i = 0; nav_seps[i]; i++) {
        size_t n = nav_parts(s, len, nav_seps[i], &home);
        if (n >= 3 || (n == 2 && home))
            return 1;
    }
    return 0;
}

int chrome_navigation(tc_lines *l, tc_removals *r)
{
    size_t i = 0;
    int err = 0;

    while (i < l->n && err == 0) {
        if (l->v[i].len == 0)
            i++;
        else if (is_navigation(l->v[i].text, l->v[i].len))
            err = textclean_remove_line(l, i, "navigation", r);
        else
            break;
    }
    return err;
}

/* ---- page footers -------------------------------------------------------- */

static size_t digits(const char *s, size_t len)
{
    size_t i = 0;

    while (i < len && s[i] >= '0' && s[i] <= '9')
        i++;
    return i;
}

/* A number of one to four digits exactly filling s[0..len). */
static int is_page_number(const char *s, size_t len)
{
    return len >= 1 && len <= 4 && digits(s, len) == len;
}

/* A document symbol: "A/AC.301/2026/CRP.5", "S/2024/123" (length of the
 * token at s, or 0). */
static size_t symbol_len(const char *s, size_t len)
{
    size_t i = 0;
    int slash = 0;

    if (len == 0 || s[0] < 'A' || s[0] > 'Z')
        return 0;
    for (; i < len && s[i] != ' '; i++) {
        char c = s[i];
        slash |= c == '/';
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
              (c >= '0' && c <= '9') || strchr("./()-", c)))
            return 0;
    }
    return slash ? i : 0;
}

/* "Page N" or "Page N of M" filling s[0..len). */
static int is_page_of(const char *s, size_t len)
{
    size_t n;

    if (len < 6 || strncasecmp(s, "page ", 5) != 0)
        return 0;
    s += 5, len -= 5;
    if ((n = digits(s, len)) == 0 || n > 4)
        return 0;
    if (n == len)
        return 1;
    s += n, len -= n;
    if (len < 5 || strncasecmp(s, " of ", 4) != 0)
        return 0;
    return is_page_number(s + 4, len - 4);
}

/* "- N -" with a hyphen, en dash or em dash. */
static int is_dashed_number(const char *s, size_t len)
{
    static const char *const dashes[] = {"-", "\xE2\x80\x93", "\xE2\x80\x94",
                                         NULL};

    for (size_t i = 0; dashes[i]; i++) {
        size_t k = strlen(dashes[i]);
        if (len > 2 * k + 2 && memcmp(s, dashes[i], k) == 0 && s[k] == ' ' &&
            memcmp(s + len - k, dashes[i], k) == 0 && s[len - k - 1] == ' ' &&
            is_page_number(s + k + 1, len - 2 * k - 2))
            return 1;
    }
    return 0;
}

/* A footer dropped wherever it stands. */
static int is_footer(const char *s, size_t len)
{
    size_t sym = symbol_len(s, len);

    if (sym > 0 && sym + 1 < len && s[sym] == ' ' &&
        is_page_of(s + sym + 1, len - sym - 1))
        return 1;
    return is_page_of(s, len) || is_dashed_number(s, len);
}

/* Does line @p i stand inside a sentence (see the file comment)? */
static int inside_sentence(const tc_lines *l, size_t i)
{
    size_t a = i, b = i + 1;

    while (a > 0 && l->v[a - 1].len == 0)
        a--;
    while (b < l->n && l->v[b].len == 0)
        b++;
    if (a == 0 || b >= l->n)
        return 0;
    a--;
    return !chrome_ends_sentence(l->v[a].text, l->v[a].len) &&
           chrome_starts_lower(l->v[b].text, l->v[b].len);
}

int chrome_footers(tc_lines *l, tc_removals *r)
{
    size_t i = 0;
    int err = 0;

    while (i < l->n && err == 0) {
        const char *s = l->v[i].text;
        size_t len = l->v[i].len;
        if (len > 0 && is_footer(s, len))
            err = textclean_remove_line(l, i, "page-footer", r);
        else if (len > 0 &&
                 (is_page_number(s, len) || symbol_len(s, len) == len) &&
                 inside_sentence(l, i))
            err = textclean_remove_line(
                l, i, is_page_number(s, len) ? "page-number" : "page-footer",
                r);
        else
            i++;
    }
    return err;
}
