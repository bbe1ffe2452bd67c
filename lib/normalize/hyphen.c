/*
 * hyphen.c - join words hyphenated across a line break (PDF text).
 *
 * A line that ends with a letter and '-' ("the battle-") and whose next
 * line with text (blank lines between are a page break) starts with a
 * lowercase letter ("field of ideas") holds one word split in two.  The
 * lines are joined into one, and the word is written
 *   - without the hyphen ("battlefield", "authority"), unless
 *   - the same two parts are joined by a hyphen elsewhere in the text
 *     (after "cross-border" on some line, "cross-\nborder" is
 *     "cross-border"): a real hyphen, kept; or
 *   - the next word is "and", "or", "nor" or "to": a suspended hyphen
 *     ("pre-\nand post-war" is "pre- and post-war"), kept with a space.
 * The hyphenated pairs of the text ("left-right", lowercase ASCII; the
 * letter runs around each inner '-') are gathered once, sorted, and
 * looked up by binary search, so a long text costs one pass.
 */
#include "repair.h"

#include <stdlib.h>
#include <string.h>

#include "chrome.h"
#include "util/buf.h"
#include "util/errors.h"

/* A letter byte: ASCII letters, and any byte of a non-ASCII character. */
static int letter(char c)
{
    unsigned char u = (unsigned char)c;
    return (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || u >= 0x80;
}

static char lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* Does line @p x end with a letter and '-'? */
static int ends_hyphen(const tc_line *x)
{
    return x->len >= 2 && x->text[x->len - 1] == '-' &&
           letter(x->text[x->len - 2]);
}

/* The hyphenated pairs of a text: NUL-terminated strings in one buffer. */
typedef struct {
    buf all;  /* "left-right\0" ... */
    char **v; /* pointers into all, sorted */
    size_t n;
} pairs;

static void put_lower(buf *b, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        buf_putc(b, lower(s[i]));
}

/* Append the pairs of one line (each '-' with letters on both sides). */
static void line_pairs(buf *b, const char *s, size_t len, size_t *count)
{
    for (size_t p = 1; p + 1 < len; p++) {
        size_t l = p, r = p + 1;
        if (s[p] != '-' || !letter(s[p - 1]) || !letter(s[p + 1]))
            continue;
        while (l > 0 && letter(s[l - 1]))
            l--;
        while (r < len && letter(s[r]))
            r++;
        put_lower(b, s + l, r - l);
        buf_putc(b, '\0');
        (*count)++;
    }
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int pairs_build(pairs *ps, const tc_lines *l)
{
    size_t count = 0, off = 0;

    for (size_t i = 0; i < l->n; i++)
        line_pairs(&ps->all, l->v[i].text, l->v[i].len, &count);
    if (buf_ok(&ps->all) < 0)
        return POSDIFF_ENOMEM;
    if (count && !(ps->v = malloc(count * sizeof(*ps->v))))
        return error_oom();
    for (ps->n = 0; ps->n < count; ps->n++) {
        ps->v[ps->n] = ps->all.ptr + off;
        off += strlen(ps->v[ps->n]) + 1;
    }
    if (ps->n) /* qsort's base must not be NULL, even for no element */
        qsort(ps->v, ps->n, sizeof(*ps->v), cmp_str);
    return 0;
}

static void pairs_free(pairs *ps)
{
    buf_free(&ps->all);
    free(ps->v);
}

/* Is "left-right" (s, lowercased) a pair of the text? */
static int pairs_has(const pairs *ps, const char *left, size_t ln,
                     const char *right, size_t rn)
{
    buf k = BUF_INIT;
    int found = 0;

    put_lower(&k, left, ln);
    buf_putc(&k, '-');
    put_lower(&k, right, rn);
    if (buf_ok(&k) == 0) {
        char *key = k.ptr;
        found = ps->n &&
                bsearch(&key, ps->v, ps->n, sizeof(*ps->v), cmp_str) != NULL;
    }
    buf_free(&k);
    return found;
}

static int suspended(const char *w, size_t n)
{
    static const char *const words[] = {"and", "or", "nor", "to", NULL};

    for (size_t i = 0; words[i]; i++)
        if (strlen(words[i]) == n && memcmp(w, words[i], n) == 0)
            return 1;
    return 0;
}

/* Line a := a (its '-' dropped if @p cut) + sep + b; lines a+1..b go. */
static int join_word(tc_lines *l, size_t a, size_t b, int cut, const char *sep)
{
    return tc_lines_join(l, a, b, cut ? 1 : 0, sep);
}

/* Join the word split at the end of line @p a with line @p b. */
static int join_at(tc_lines *l, size_t a, size_t b, const pairs *ps,
                   tc_removals *chg)
{
    const char *s = l->v[a].text, *t = l->v[b].text;
    size_t e = l->v[a].len - 1, ls = e, rn = 0, bline = l->v[b].raw_line;
    int keep, susp, err;

    while (ls > 0 && letter(s[ls - 1]))
        ls--;
    while (rn < l->v[b].len && letter(t[rn]))
        rn++;
    susp = suspended(t, rn);
    keep = susp || pairs_has(ps, s + ls, e - ls, t, rn);
    err = tc_note(
        chg, l->v[a].raw_line, 0, "hyphenation",
        "\"%.*s-\" and \"%.*s\" (line %zu) joined as \"%.*s%s%.*s\"%s",
        (int)(e - ls), s + ls, (int)rn, t, bline, (int)(e - ls), s + ls,
        susp   ? "- "
        : keep ? "-"
               : "",
        (int)rn, t, keep && !susp ? " (hyphenated elsewhere in the text)" : "");
    return err < 0 ? err : join_word(l, a, b, !keep, susp ? " " : "");
}

int repair_hyphens(tc_lines *l, tc_removals *chg)
{
    pairs ps = {BUF_INIT, NULL, 0};
    size_t a = 0, b;
    int err = 0, built = 0;

    while (a < l->n && err == 0) {
        if (!ends_hyphen(&l->v[a])) {
            a++;
            continue;
        }
        for (b = a + 1; b < l->n && l->v[b].len == 0; b++)
            ;
        if (b >= l->n || !chrome_starts_lower(l->v[b].text, l->v[b].len)) {
            a = b;
            continue;
        }
        if (!built && (err = pairs_build(&ps, l)) < 0)
            break;
        built = 1;
        err = join_at(l, a, b, &ps, chg); /* line a again: it may end in '-' */
    }
    pairs_free(&ps);
    return err;
}
