/*
 * resolve.c - find the history commit a user names.
 *
 * A name is tried, in this order, as:
 *
 *  1. a statement id (the Statement-Id trailer of a commit);
 *  2. a date, when it has the shape YYYY, YYYY-MM or YYYY-MM-DD: the
 *     statements whose date falls in it ("2021" holds "2021-12-14") or
 *     that it falls in (a statement dated "2019-09" for "2019-09-15").
 *     Exactly one must match: none is POSDIFF_ENOTFOUND, several is
 *     POSDIFF_EINVALID with every candidate listed.  A date-shaped
 *     name is never tried as a revision;
 *  3. either of these followed by ~N or ^ (git's ancestry suffixes,
 *     which may repeat: "ID~2^"): the statement N (or 1) before it in
 *     the history, as a statement's parent commit is the one before it;
 *  4. any git revision of the history repository (git_revparse_single:
 *     "HEAD~1", "main^", an abbreviated commit id), peeled to a commit
 *     that must lie on the branch's first-parent chain.
 *
 * The result is the commit's index in that chain, oldest first, as
 * posdiff_history_entry_at() counts.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <git2.h>

#include "util/buf.h"
#include "util/errors.h"
#include "history_index.h"
#include "history_internal.h"
#include "posdiff/history.h"

#define HINT "'posdiff positions --matrix' lists the statements"

static int find_id(size_t *index, const posdiff_history *h, const char *name)
{
    return history_index_find_id(index, history_index_of(h), name);
}

/* YYYY, YYYY-MM or YYYY-MM-DD by shape only (validity comes later). */
static int date_shaped(const char *s)
{
    size_t n = strlen(s);

    if (n != 4 && n != 7 && n != 10)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (i == 4 || i == 7 ? s[i] != '-' : !isdigit((unsigned char)s[i]))
            return 0;
    return 1;
}

static int ambiguous(const posdiff_history *h, const char *name, const size_t *hits,
                     size_t n)
{
    buf b = BUF_INIT;
    int code;

    for (size_t k = 0; k < n; k++) {
        const posdiff_history_entry *e = posdiff_history_entry_at(h, hits[k]);
        buf_printf(&b, "%s%s (%s)", b.len ? ", " : "", e->id, e->date);
    }
    code = error_set(POSDIFF_EINVALID,
                     "date '%s' matches several statements: %s; name one by its id",
                     name, b.ptr ? b.ptr : "");
    buf_free(&b);
    return code;
}

static int find_date(size_t *index, const posdiff_history *h, const char *name)
{
    size_t hits, n = posdiff_history_count(h), *at = NULL;
    int rc;

    if ((rc = posdiff_date_parse(NULL, NULL, NULL, name)) < 0)
        return rc;
    if ((hits = history_index_dates(&at, history_index_of(h), name)) == (size_t)-1)
        return error_oom();
    if (hits == 1)
        *index = at[0];
    rc = hits > 1 ? ambiguous(h, name, at, hits) : 0;
    free(at);
    if (hits >= 1)
        return rc;
    if (n == 0)
        return error_set(POSDIFF_ENOTFOUND,
                         "no statement dated %s: the history is empty; run 'posdiff build'", name);
    return error_set(POSDIFF_ENOTFOUND,
                     "no statement dated %s; the statements run from %s to %s, " HINT,
                     name, posdiff_history_entry_at(h, 0)->date,
                     posdiff_history_entry_at(h, n - 1)->date);
}

static int find_commit(size_t *index, const posdiff_history *h,
                       const git_oid *oid, const char *name)
{
    char hex[GIT_OID_HEXSZ + 1];

    git_oid_tostr(hex, sizeof(hex), oid);
    if (history_index_find_oid(index, history_index_of(h), oid))
        return 0;
    return error_set(POSDIFF_ENOTFOUND,
                     "revision '%s' (commit %.12s) is not on the first-parent chain of %s; "
                     "name a statement of the history instead",
                     name, hex, POSDIFF_HISTORY_BRANCH);
}

static int find_revision(size_t *index, const posdiff_history *h, const char *name)
{
    git_object *obj = NULL, *commit = NULL;
    int error;

    error = git_revparse_single(&obj, history_repository(h), name);
    if (error == GIT_EAMBIGUOUS)
        error = error_set(POSDIFF_EINVALID,
                          "'%s' is an ambiguous abbreviated commit id; give more hex digits", name);
    else if (error < 0 && strpbrk(name, "~^@:"))
        error = error_set(POSDIFF_ENOTFOUND,
                          "revision '%s' does not exist in the history (%zu commits); " HINT,
                          name, posdiff_history_count(h));
    else if (error < 0)
        error = error_set(POSDIFF_ENOTFOUND,
                          "'%s' is not a statement id, a date (YYYY, YYYY-MM, YYYY-MM-DD) "
                          "or a revision of the history; " HINT, name);
    else if (git_object_peel(&commit, obj, GIT_OBJECT_COMMIT) < 0)
        error = error_set(POSDIFF_ENOTFOUND,
                          "revision '%s' does not name a commit; name a statement", name);
    else
        error = find_commit(index, h, git_object_id(commit), name);
    git_object_free(commit);
    git_object_free(obj);
    return error;
}

/* The length of @p name without its trailing ~N and ^ suffixes, which
 * go back *back statements in all; 0 when it ends in none. */
static size_t strip_ancestry(const char *name, size_t *back)
{
    size_t len = strlen(name), end = len, n = 0;

    while (end > 0) {
        size_t d = end, k = 1;
        if (name[end - 1] == '^') {
            end--, n++;
            continue;
        }
        while (d > 0 && isdigit((unsigned char)name[d - 1]))
            d--;
        if (d == 0 || name[d - 1] != '~' || end - d > 9)
            break;
        if (d < end)
            sscanf(name + d, "%zu", &k);
        n += k;
        end = d - 1;
    }
    *back = n;
    return end < len ? end : 0;
}

/* @p name as an id or a date followed by ~N or ^: 1 resolved (or an
 * error, in *rc), 0 when it is no such name (a git revision, perhaps). */
static int find_ancestor(size_t *index, int *rc, const posdiff_history *h, const char *name)
{
    size_t back, len = strip_ancestry(name, &back);
    char base[256];

    if (len == 0 || len >= sizeof(base))
        return 0;
    memcpy(base, name, len);
    base[len] = '\0';
    if (find_id(index, h, base))
        *rc = 0;
    else if (date_shaped(base))
        *rc = find_date(index, h, base);
    else
        return 0;
    if (*rc == 0 && back > *index)
        *rc = error_set(POSDIFF_ENOTFOUND,
                        "'%s' goes back past the first statement: %s has %zu statement%s "
                        "before it in the history; " HINT,
                        name, posdiff_history_entry_at(h, *index)->id, *index,
                        *index == 1 ? "" : "s");
    else if (*rc == 0)
        *index -= back;
    return 1;
}

int posdiff_history_resolve(size_t *index, const posdiff_history *h,
                            const char *name)
{
    int rc;

    if (!index || !h || !name || !*name)
        return error_set(POSDIFF_EINVALID,
                         "resolve: empty statement name; give an id, a date or a revision");
    if (find_id(index, h, name))
        return 0;
    if (date_shaped(name))
        return find_date(index, h, name);
    if (find_ancestor(index, &rc, h, name))
        return rc;
    return find_revision(index, h, name);
}
