/*
 * gittree.c - trees kept as git stores them ("<mode> <name>\0<id>" per
 * entry, in git's order, with each entry's offset), edited in place: a
 * binary search and a memmove per entry set, and the body is hashed as
 * it is (git_treebuilder sorts and serializes the whole tree per write).
 *
 * A tree of DELTA_MIN bytes or more is stored as a delta against its
 * last version stored in full (the key, kept in the pack even when the
 * repository has it: an OFS_DELTA's base is in the same pack).  The key
 * is refreshed once the deltas against it add up to its size, which
 * minimizes the bytes stored per commit (a key of T bytes serves about
 * sqrt(2T / entry) commits).  The delta copies the runs of entries both
 * trees share, found by memcmp from the current pair of entries (equal
 * bytes from an entry boundary are equal entries), and inserts the rest.
 */
#include "pack_int.h"

#include <stdlib.h>
#include <string.h>

#include "util/errors.h"

#define DELTA_MIN 4096 /* smaller trees are always stored in full */

typedef struct {
    buf body;      /* the entries */
    size_t *at;    /* offset of each entry in body */
    size_t n, cap; /* entries, room in at */
} entries;

struct pack_tree {
    entries cur;      /* the tree */
    entries key;      /* its last version prepared in full, if a key (n = 0: none) */
    git_oid key_id;
    size_t since_key; /* bytes of the deltas prepared against it */
    buf delta;        /* scratch */
};

static void entries_free(entries *t)
{
    buf_free(&t->body);
    free(t->at);
}

void pack_tree_free(pack_tree *t)
{
    if (!t)
        return;
    entries_free(&t->cur);
    entries_free(&t->key);
    buf_free(&t->delta);
    free(t);
}

static int reserve(entries *t, size_t n)
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

static size_t entry_end(const entries *t, size_t k)
{
    return k + 1 < t->n ? t->at[k + 1] : t->body.len;
}

/* Name of entry k (up to its NUL), its length, and whether it is a tree. */
static const char *entry_name(const entries *t, size_t k, size_t *len, int *is_tree)
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

static int entry_cmp(const entries *a, size_t i, const entries *b, size_t j)
{
    size_t an, bn;
    int at, bt;
    const char *x = entry_name(a, i, &an, &at), *y = entry_name(b, j, &bn, &bt);

    return name_cmp(x, an, at, y, bn, bt);
}

static int parse(entries *t, const char *data, size_t len)
{
    size_t off = 0;

    buf_clear(&t->body);
    buf_put(&t->body, data ? data : "", len);
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

int pack_tree_new(pack_tree **out, const char *data, size_t len)
{
    int error;

    if (!(*out = calloc(1, sizeof(**out))))
        return error_oom();
    if ((error = parse(&(*out)->cur, data, len)) < 0) {
        pack_tree_free(*out);
        *out = NULL;
    }
    return error;
}

/* Index of entry (@p name, @p is_tree), else (*found 0) where it would go. */
static size_t find(const entries *t, const char *name, size_t nlen, int is_tree, int *found)
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

static void remove_entry(entries *t, size_t k)
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

/* Insert entry (@p mode, @p name, @p id) as entry @p k. */
static int insert_at(entries *t, size_t k, const char *mode, const char *name,
                     const git_oid *id)
{
    size_t mlen = strlen(mode), nlen = strlen(name), elen = mlen + nlen + 22;
    size_t at = k < t->n ? t->at[k] : t->body.len;
    char *e;

    if (reserve(t, t->n + 1) < 0 || buf_grow(&t->body, elen + 1) < 0)
        return POSDIFF_ENOMEM;
    e = t->body.ptr + at;
    memmove(e + elen, e, t->body.len - at);
    memcpy(e, mode, mlen);
    e[mlen] = ' ';
    memcpy(e + mlen + 1, name, nlen + 1);
    memcpy(e + mlen + nlen + 2, id->id, 20);
    t->body.len += elen;
    t->body.ptr[t->body.len] = '\0';
    memmove(&t->at[k + 1], &t->at[k], (t->n - k) * sizeof(*t->at));
    t->at[k] = at;
    for (size_t j = k + 1; j <= t->n; j++)
        t->at[j] += elen;
    t->n++;
    return 0;
}

int pack_tree_set(pack_tree *pt, const char *name, int is_tree, const git_oid *id)
{
    entries *t = &pt->cur;
    size_t nlen = strlen(name), k;
    int found;

    k = find(t, name, nlen, is_tree, &found);
    if (found) { /* same entry: new id */
        memcpy(t->body.ptr + entry_end(t, k) - 20, id->id, 20);
        return 0;
    }
    k = find(t, name, nlen, !is_tree, &found);
    if (found) /* the same name as the other kind: replaced (names are unique) */
        remove_entry(t, k);
    k = find(t, name, nlen, is_tree, &found);
    return insert_at(t, k, is_tree ? "40000" : "100644", name, id);
}

/* ---- delta ---------------------------------------------------------------- */

/* Length of the common prefix of @p a and @p b (@p n bytes each at most). */
static size_t common_prefix(const char *a, const char *b, size_t n)
{
    size_t k = 0;

    while (k + 256 <= n && memcmp(a + k, b + k, 256) == 0)
        k += 256;
    while (k < n && a[k] == b[k])
        k++;
    return k;
}

/* Entries of @p t from @p j that end at or before offset @p limit. */
static size_t entries_before(const entries *t, size_t j, size_t limit)
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

/* Entries of @p base and @p cur shared from entries @p i and @p j on. */
static size_t shared_run(const entries *base, size_t i, const entries *cur, size_t j)
{
    size_t bo = base->at[i], co = cur->at[j];
    size_t avail = base->body.len - bo < cur->body.len - co ? base->body.len - bo
                                                             : cur->body.len - co;

    return entries_before(cur, j, co + common_prefix(base->body.ptr + bo,
                                                     cur->body.ptr + co, avail));
}

/* The delta that turns @p base into @p cur (see the opening comment). */
static void tree_delta(buf *d, const entries *base, const entries *cur)
{
    size_t i = 0, j = 0, run_off = 0, run_len = 0, k;

    gitdelta_header(d, base->body.len, cur->body.len);
    while (j < cur->n) {
        int c = i < base->n ? entry_cmp(base, i, cur, j) : 1;
        if (i < base->n && (k = shared_run(base, i, cur, j)) > 0) {
            if (run_off + run_len != base->at[i]) { /* not adjacent to the run */
                gitdelta_copy(d, run_off, run_len);
                run_off = base->at[i], run_len = 0;
            }
            run_len += entry_end(cur, j + k - 1) - cur->at[j];
            i += k, j += k;
        } else if (c < 0)
            i++; /* deleted */
        else {
            gitdelta_copy(d, run_off, run_len);
            run_len = 0;
            gitdelta_insert(d, cur->body.ptr + cur->at[j], entry_end(cur, j) - cur->at[j]);
            i += c == 0, j++; /* changed, or inserted */
        }
    }
    gitdelta_copy(d, run_off, run_len);
}

/* ---- preparing -------------------------------------------------------------- */

/* Make the tree as it is now the key (see the opening comment). */
static int make_key(pack_tree *t, pack_object *o)
{
    entries *k = &t->key;

    if (reserve(k, t->cur.n) < 0)
        return POSDIFF_ENOMEM;
    buf_clear(&k->body);
    buf_put(&k->body, t->cur.body.ptr, t->cur.body.len);
    memcpy(k->at, t->cur.at, t->cur.n * sizeof(*k->at));
    k->n = t->cur.n;
    git_oid_cpy(&t->key_id, &o->id);
    t->since_key = 0;
    o->keep = 1;
    return buf_ok(&k->body);
}

static int prepare(pack_object *o, pack_tree *t, pack_deflater *z)
{
    const char *body = t->cur.body.ptr ? t->cur.body.ptr : "";
    size_t len = t->cur.body.len;
    int error;

    if (!z)
        return error_oom();
    if (len >= DELTA_MIN && t->key.n && t->since_key < t->key.body.len) {
        buf_clear(&t->delta);
        tree_delta(&t->delta, &t->key, &t->cur);
        if ((error = buf_ok(&t->delta)) < 0)
            return error;
        if (t->delta.len <= len / 2) {
            t->since_key += t->delta.len;
            return pack_object_fill(o, z, GIT_OBJECT_TREE, body, len, &t->key_id, &t->delta);
        }
    }
    if ((error = pack_object_fill(o, z, GIT_OBJECT_TREE, body, len, NULL, NULL)) < 0)
        return error;
    return len >= DELTA_MIN ? make_key(t, o) : 0;
}

int pack_tree_prepare(pack_object **out, pack_tree *t, pack_deflater *z)
{
    int error;

    if (!(*out = calloc(1, sizeof(**out))))
        return error_oom();
    if ((error = prepare(*out, t, z)) < 0) {
        pack_object_free(*out);
        *out = NULL;
    }
    return error;
}
