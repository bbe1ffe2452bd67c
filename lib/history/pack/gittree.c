/*
 * gittree.c - git tree bodies kept serialized and edited in place, and
 * the delta between two of them.
 *
 * A tree is kept as git stores it ("<mode> <name>\0<20-byte id>" per
 * entry, sorted as git sorts: names compared as if trees ended in '/')
 * with the offset of each entry, so setting one entry is a binary
 * search and one memmove, and writing the tree hashes the body as it
 * is: no tree is parsed or rebuilt per commit.  (git_treebuilder
 * rebuilds and re-sorts the whole tree on every write: the statements/
 * tree of commit k has k entries.)
 *
 * Delta.  The statements/ tree of a commit is an earlier one plus a few
 * entries, so it is stored as a git delta: COPY ops for the runs both
 * share, INSERT ops for the entries that are new or changed.  The runs
 * are found by comparing the two bodies a machine word at a time from
 * the current pair of entries to the first differing byte; the entries
 * wholly before that byte are shared (the same bytes from an entry
 * boundary are the same entries), and at the differing pair the names
 * tell an inserted, changed or deleted entry apart.  Cost: one pass
 * over the bytes at memory speed plus a binary search per change,
 * instead of parsing every entry.
 */
#include "gittree.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/errors.h"
#include "gitdelta.h"


void gittree_free(gittree *t)
{
    buf_free(&t->body);
    free(t->at);
    memset(t, 0, sizeof(*t));
}

static int reserve(gittree *t, size_t n)
{
    size_t cap = t->cap ? t->cap : 64;
    size_t *at;

    if (n <= t->cap)
        return 0;
    while (cap < n)
        cap *= 2;
    if (!(at = realloc(t->at, cap * sizeof(*at))))
        return error_oom();
    t->at = at;
    t->cap = cap;
    return 0;
}

static size_t entry_end(const gittree *t, size_t k)
{
    return k + 1 < t->n ? t->at[k + 1] : t->body.len;
}

/* Name of entry k (up to its NUL), its length, and whether it is a tree. */
static const char *entry_name(const gittree *t, size_t k, size_t *len, int *is_tree)
{
    const char *e = t->body.ptr + t->at[k];
    const char *name = memchr(e, ' ', entry_end(t, k) - t->at[k]) + 1;

    *len = strlen(name);
    *is_tree = e[0] == '4';
    return name;
}

/* git's entry order: names compared as if trees ended in '/'. */
static int name_cmp(const char *a, size_t an, int atree, const char *b, size_t bn, int btree)
{
    size_t n = an < bn ? an : bn;
    int c = memcmp(a, b, n);

    if (c)
        return c;
    return (int)(n < an ? (unsigned char)a[n] : atree ? '/' : 0) -
           (int)(n < bn ? (unsigned char)b[n] : btree ? '/' : 0);
}

static int entry_cmp(const gittree *a, size_t i, const gittree *b, size_t j)
{
    size_t an, bn;
    int at, bt;
    const char *x = entry_name(a, i, &an, &at), *y = entry_name(b, j, &bn, &bt);

    return name_cmp(x, an, at, y, bn, bt);
}

int gittree_parse(gittree *t, const char *data, size_t len)
{
    size_t off = 0;

    buf_clear(&t->body);
    buf_put(&t->body, data, len);
    t->n = 0;
    while (off < len) {
        const char *sp = memchr(data + off, ' ', len - off);
        const char *nul = sp ? memchr(sp, '\0', len - (size_t)(sp - data)) : NULL;
        if (!nul || (size_t)(nul - data) + 21 > len)
            return error_set(POSDIFF_EGIT, "a tree of the history is damaged; delete "
                             "the repository and run posdiff build again");
        if (reserve(t, t->n + 1) < 0)
            return POSDIFF_ENOMEM;
        t->at[t->n++] = off;
        off = (size_t)(nul - data) + 21;
    }
    return buf_ok(&t->body);
}

int gittree_copy(gittree *dst, const gittree *src)
{
    if (reserve(dst, src->n) < 0)
        return POSDIFF_ENOMEM;
    buf_clear(&dst->body);
    buf_put(&dst->body, src->body.ptr ? src->body.ptr : "", src->body.len);
    if (src->n)
        memcpy(dst->at, src->at, src->n * sizeof(*dst->at));
    dst->n = src->n;
    return buf_ok(&dst->body);
}

/* Index of entry (@p name, @p is_tree), or ~insertion point if none. */
static size_t find(const gittree *t, const char *name, size_t nlen, int is_tree, int *found)
{
    size_t lo = 0, hi = t->n;

    *found = 0;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2, len;
        int tr;
        const char *nm = entry_name(t, mid, &len, &tr);
        int c = name_cmp(nm, len, tr, name, nlen, is_tree);
        if (c == 0) {
            *found = 1;
            return mid;
        }
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

int gittree_would_append(const gittree *t, const char *name, const char *mode)
{
    size_t nlen = strlen(name), len;
    int is_tree = mode[0] == '4', tr, found;
    const char *last;

    if (t->n == 0)
        return 1;
    last = entry_name(t, t->n - 1, &len, &tr);
    if (name_cmp(last, len, tr, name, nlen, is_tree) >= 0)
        return 0;
    find(t, name, nlen, !is_tree, &found); /* would be replaced */
    return !found;
}

static void remove_entry(gittree *t, size_t k)
{
    size_t at = t->at[k], elen = entry_end(t, k) - at;

    memmove(t->body.ptr + at, t->body.ptr + at + elen, t->body.len - at - elen);
    t->body.len -= elen;
    t->body.ptr[t->body.len] = '\0';
    memmove(&t->at[k], &t->at[k + 1], (t->n - k - 1) * sizeof(*t->at));
    t->n--;
    for (size_t j = k; j < t->n; j++)
        t->at[j] -= elen;
}

int gittree_set(gittree *t, const char *name, const char *mode, const unsigned char id[20],
                size_t *where)
{
    size_t nlen = strlen(name), mlen = strlen(mode), elen, at, lo, dummy;
    int is_tree = mode[0] == '4', found;

    where = where ? where : &dummy;
    lo = find(t, name, nlen, is_tree, &found);
    if (found) { /* same entry: new id */
        memcpy(t->body.ptr + entry_end(t, lo) - 20, id, 20);
        *where = t->at[lo];
        return 0;
    }
    {   /* the same name with the other kind: replaced (names are unique) */
        int other;
        size_t k = find(t, name, nlen, !is_tree, &other);
        if (other) {
            remove_entry(t, k);
            lo = find(t, name, nlen, is_tree, &found);
        }
        *where = other && k < lo ? t->at[k] : lo < t->n ? t->at[lo] : t->body.len;
    }
    elen = mlen + 1 + nlen + 1 + 20;
    at = lo < t->n ? t->at[lo] : t->body.len;
    if (reserve(t, t->n + 1) < 0 || buf_grow(&t->body, elen + 1) < 0)
        return POSDIFF_ENOMEM;
    memmove(t->body.ptr + at + elen, t->body.ptr + at, t->body.len - at);
    memcpy(t->body.ptr + at, mode, mlen);
    t->body.ptr[at + mlen] = ' ';
    memcpy(t->body.ptr + at + mlen + 1, name, nlen + 1);
    memcpy(t->body.ptr + at + mlen + 1 + nlen + 1, id, 20);
    t->body.len += elen;
    t->body.ptr[t->body.len] = '\0';
    memmove(&t->at[lo + 1], &t->at[lo], (t->n - lo) * sizeof(*t->at));
    t->at[lo] = at;
    for (size_t k = lo + 1; k <= t->n; k++)
        t->at[k] += elen;
    t->n++;
    return 0;
}

/* ---- delta --------------------------------------------------------------- */

/* Length of the common prefix of a and b (n bytes each at most). */
static size_t common_prefix(const char *a, const char *b, size_t n)
{
    size_t k = 0;

    if (memcmp(a, b, n) == 0) /* the usual case: vectorized */
        return n;
    for (; k + 8 <= n; k += 8) {
        uint64_t x, y;
        memcpy(&x, a + k, 8);
        memcpy(&y, b + k, 8);
        if (x != y)
            break;
    }
    while (k < n && a[k] == b[k])
        k++;
    return k;
}

/* Entries of @p t from @p j that end at or before offset @p limit. */
static size_t entries_before(const gittree *t, size_t j, size_t limit)
{
    size_t lo = j, hi = t->n; /* first entry k >= j with entry_end(k) > limit */

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (entry_end(t, mid) <= limit)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo - j;
}

/* Index of the entry of @p t at offset @p off (an entry boundary or the end). */
static size_t entry_at(const gittree *t, size_t off)
{
    size_t lo = 0, hi = t->n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (t->at[mid] < off)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

int gittree_delta(buf *d, const gittree *base, const gittree *cur, size_t same)
{
    size_t i, j, run_off = 0, run_len;

    same = same < base->body.len ? same : base->body.len;
    same = same < cur->body.len ? same : cur->body.len;
    j = entry_at(cur, same);
    same = j < cur->n ? cur->at[j] : cur->body.len; /* an entry boundary */
    i = entry_at(base, same);
    if ((i < base->n ? base->at[i] : base->body.len) != same)
        i = j = same = 0; /* not the shared prefix promised: compare all */
    run_len = same;
    gitdelta_header(d, base->body.len, cur->body.len);
    while (j < cur->n) {
        size_t shared = 0, bo = i < base->n ? base->at[i] : base->body.len, co = cur->at[j];
        if (i < base->n) {
            size_t avail = base->body.len - bo < cur->body.len - co ? base->body.len - bo
                                                                    : cur->body.len - co;
            size_t k = common_prefix(base->body.ptr + bo, cur->body.ptr + co, avail);
            shared = entries_before(cur, j, co + k);
        }
        if (shared) {
            size_t len = entry_end(cur, j + shared - 1) - co;
            if (run_len && run_off + run_len != bo) {
                gitdelta_copy(d, run_off, run_len);
                run_len = 0;
            }
            if (!run_len)
                run_off = bo;
            run_len += len;
            i += shared;
            j += shared;
            continue;
        }
        int c = i < base->n ? entry_cmp(base, i, cur, j) : 1;
        if (c < 0) {
            i++; /* deleted */
            continue;
        }
        gitdelta_copy(d, run_off, run_len);
        run_len = 0;
        gitdelta_insert(d, cur->body.ptr + co, entry_end(cur, j) - co);
        if (c == 0)
            i++; /* changed */
        j++;
    }
    gitdelta_copy(d, run_off, run_len);
    return buf_ok(d);
}
