/*
 * history_index.c - the first-parent chain of the history branch as a
 * mapped file, <repo>/posdiff-index (history_index.h).
 *
 * Format (integers little-endian):
 *
 *   "posdiff-index 1\n", the tip's id (20 bytes), u32 0, u64 N;
 *   N records, oldest first: commit id (20 bytes), then u32 offsets into
 *     the strings of its Statement-Id, Date, summary and Venue
 *     (0xffffffff: no venue);
 *   three permutations of 0..N-1 (u32 each): by id, by date (ties by
 *     position), by commit id;
 *   the strings, NUL-terminated; the file's last byte is NUL.
 *
 * A file is used when its tip is the branch's and its shape fits its
 * size; offsets are checked as they are read.  It is written through
 * write_file_atomic (fsync, rename), so a crash leaves the old index or
 * the new one, whole.
 */
#include "history_index.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/errors.h"
#include "util/fileio.h"
#include "posdiff/history.h"

#define INDEX_NAME "posdiff-index"
#define INDEX_MAGIC "posdiff-index 1\n"
#define HEAD_LEN 48
#define REC_LEN 36
#define NO_STR 0xffffffffu
#define INDEX_MAX ((size_t)1 << 34)

struct history_index {
    const unsigned char *data; /* the whole file */
    size_t len, count, strings_len;
    const unsigned char *recs, *perm[3], *strings;
    int mapped;    /* data is map_file's; else malloc'ed */
};

static uint32_t le32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void put32(unsigned char *p, uint32_t v)
{
    for (int k = 0; k < 4; k++)
        p[k] = (unsigned char)(v >> (8 * k));
}

/* ---- reading ------------------------------------------------------------- */

size_t history_index_count(const history_index *x)
{
    return x->count;
}

void history_index_oid(git_oid *out, const history_index *x, size_t i)
{
    git_oid_fromraw(out, x->recs + i * REC_LEN);
}

const char *history_index_field(const history_index *x, size_t i, int f)
{
    uint32_t off = le32(x->recs + i * REC_LEN + 20 + 4 * f);

    if (off == NO_STR)
        return f == HX_VENUE ? NULL : "";
    return off < x->strings_len ? (const char *)x->strings + off : "";
}

/* Entry @p k of permutation @p p (0 by id, 1 by date, 2 by commit). */
static size_t perm_at(const history_index *x, int p, size_t k)
{
    size_t i = le32(x->perm[p] + 4 * k);

    return i < x->count ? i : 0;
}

typedef int (*index_cmp)(const history_index *, size_t, const void *, size_t);

/* The first k in permutation @p p whose entry is not below @p key (with
 * @p after, the first above it). */
static size_t bound(const history_index *x, int p, const void *key, size_t n, index_cmp cmp,
                    int after)
{
    size_t lo = 0, hi = x->count;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = cmp(x, perm_at(x, p, mid), key, n);
        if (c < 0 || (after && c == 0))
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static int cmp_id(const history_index *x, size_t i, const void *key, size_t n)
{
    (void)n;
    return strcmp(history_index_field(x, i, HX_ID), key);
}

/* The date against @p key's first @p n bytes (a prefix compare). */
static int cmp_date(const history_index *x, size_t i, const void *key, size_t n)
{
    return strncmp(history_index_field(x, i, HX_DATE), key, n);
}

static int cmp_date_exact(const history_index *x, size_t i, const void *key, size_t n)
{
    (void)n;
    return strcmp(history_index_field(x, i, HX_DATE), key);
}

static int cmp_oid(const history_index *x, size_t i, const void *key, size_t n)
{
    (void)n;
    return memcmp(x->recs + i * REC_LEN, key, GIT_OID_RAWSZ);
}

int history_index_find_id(size_t *i, const history_index *x, const char *id)
{
    size_t k = bound(x, 0, id, 0, cmp_id, 0);

    if (k == x->count || strcmp(history_index_field(x, perm_at(x, 0, k), HX_ID), id))
        return 0;
    *i = perm_at(x, 0, k);
    return 1;
}

int history_index_find_oid(size_t *i, const history_index *x, const git_oid *oid)
{
    size_t k = bound(x, 2, oid->id, 0, cmp_oid, 0);

    if (k == x->count || memcmp(x->recs + perm_at(x, 2, k) * REC_LEN, oid->id, GIT_OID_RAWSZ))
        return 0;
    *i = perm_at(x, 2, k);
    return 1;
}

/* Append the entries of permutation 1 in [lo, hi) to @p v. */
static int push_range(size_t **v, size_t *n, size_t *cap, const history_index *x,
                      size_t lo, size_t hi)
{
    for (size_t k = lo; k < hi; k++) {
        if (array_grow(v, cap, *n, sizeof(**v), 16) < 0)
            return -1;
        (*v)[(*n)++] = perm_at(x, 1, k);
    }
    return 0;
}

static int cmp_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;

    return x < y ? -1 : x > y;
}

size_t history_index_dates(size_t **hits, const history_index *x, const char *name)
{
    size_t len = strlen(name), n = 0, cap = 0, *v = NULL;
    int failed;

    /* dates that start with @p name, then dates that are a shorter prefix of it */
    failed = push_range(&v, &n, &cap, x, bound(x, 1, name, len, cmp_date, 0),
                        bound(x, 1, name, len, cmp_date, 1));
    for (size_t cut = 4; !failed && cut < len; cut += 3) {
        char pre[16];
        if (cut >= sizeof(pre) || (name[cut] != '-'))
            continue;
        memcpy(pre, name, cut);
        pre[cut] = '\0';
        failed = push_range(&v, &n, &cap, x, bound(x, 1, pre, 0, cmp_date_exact, 0),
                            bound(x, 1, pre, 0, cmp_date_exact, 1));
    }
    if (failed) {
        free(v);
        *hits = NULL;
        return (size_t)-1;
    }
    if (n > 1)
        qsort(v, n, sizeof(*v), cmp_size);
    *hits = v;
    return n;
}

/* ---- opening and writing ------------------------------------------------- */

/* Take @p data (@p len bytes) as an index of tip @p tip: 0 when it fits. */
static int take(history_index *x, const unsigned char *data, size_t len, const git_oid *tip)
{
    uint64_t n = 0;

    if (len < HEAD_LEN + 1 || memcmp(data, INDEX_MAGIC, 16) ||
        memcmp(data + 16, tip->id, GIT_OID_RAWSZ))
        return -1;
    for (int k = 7; k >= 0; k--)
        n = n << 8 | data[40 + k];
    if (n > (len - HEAD_LEN - 1) / (REC_LEN + 12) || data[len - 1] != '\0')
        return -1;
    x->data = data;
    x->len = len;
    x->count = (size_t)n;
    x->recs = data + HEAD_LEN;
    for (int p = 0; p < 3; p++)
        x->perm[p] = x->recs + x->count * REC_LEN + (size_t)p * 4 * x->count;
    x->strings = x->perm[2] + 4 * x->count;
    x->strings_len = len - (size_t)(x->strings - data);
    return 0;
}

typedef struct {
    git_oid oid;
    const char *f[HX_FIELDS]; /* into the old index, or owned (the new commits) */
    int owned;
} item;

typedef struct {
    item *v;
    size_t count, cap;
} items;

static void items_free(items *it)
{
    for (size_t i = 0; i < it->count; i++)
        if (it->v[i].owned)
            for (int f = 0; f < HX_FIELDS; f++)
                free((char *)it->v[i].f[f]);
    free(it->v);
}

/* @p commit's trailers into a new item of @p it. */
static int push_commit(items *it, const git_commit *commit)
{
    git_message_trailer_array tr = {0};
    const char *summary = git_commit_summary((git_commit *)commit);
    char hex[GIT_OID_HEXSZ + 1];
    item *e;

    git_oid_tostr(hex, sizeof(hex), git_commit_id(commit));
    if (array_grow(&it->v, &it->cap, it->count, sizeof(*it->v), 64) < 0)
        return POSDIFF_ENOMEM;
    e = memset(&it->v[it->count++], 0, sizeof(item));
    e->owned = 1;
    git_oid_cpy(&e->oid, git_commit_id(commit));
    if (git_message_trailers(&tr, git_commit_message(commit)) < 0)
        return error_git("commit %s: cannot parse trailers", hex);
    for (size_t i = 0; i < tr.count; i++) {
        int k = !strcmp(tr.trailers[i].key, "Statement-Id") ? HX_ID
                : !strcmp(tr.trailers[i].key, "Date")       ? HX_DATE
                : !strcmp(tr.trailers[i].key, "Venue")      ? HX_VENUE : -1;
        if (k >= 0 && !e->f[k] && !(e->f[k] = strdup(tr.trailers[i].value)))
            break;
    }
    git_message_trailer_array_free(&tr);
    e->f[HX_TITLE] = mem_dup0(summary ? summary : "", summary ? strlen(summary) : 0);
    if (!e->f[HX_ID] || !e->f[HX_DATE])
        return error_set(POSDIFF_EINVALID, "commit %s has no Statement-Id/Date trailers; is "
                         "this a posdiff history? rebuild it with 'posdiff build'", hex);
    return e->f[HX_TITLE] ? 0 : error_oom();
}

/* The commits from @p tip back to the first that @p old lists (whose
 * records and those before it are kept), oldest first, into @p it. */
static int walk_back(items *it, git_repository *repo, const git_oid *tip,
                     const history_index *old)
{
    git_oid cur = *tip;
    size_t keep = 0, at, fresh;
    int error = 0;

    for (;;) {
        git_commit *c = NULL;
        int root;
        if (old && history_index_find_oid(&at, old, &cur)) {
            keep = at + 1; /* it and the commits before it, as the old index lists them */
            break;
        }
        if (git_commit_lookup(&c, repo, &cur) < 0)
            return error_git("%s: %s is damaged; restore the repository, or delete it and run "
                             "posdiff build again", git_repository_path(repo),
                             POSDIFF_HISTORY_BRANCH);
        error = push_commit(it, c);
        if (!(root = git_commit_parentcount(c) == 0))
            git_oid_cpy(&cur, git_commit_parent_id(c, 0));
        git_commit_free(c);
        if (error < 0 || root)
            break;
    }
    if (error < 0)
        return error;
    fresh = it->count;
    for (size_t i = 0, j = fresh; i + 1 < j; i++, j--) { /* newest first -> oldest first */
        item t = it->v[i];
        it->v[i] = it->v[j - 1];
        it->v[j - 1] = t;
    }
    while (it->cap < fresh + keep)
        if (array_grow(&it->v, &it->cap, it->cap, sizeof(*it->v), 64) < 0)
            return POSDIFF_ENOMEM;
    memmove(it->v + keep, it->v, fresh * sizeof(*it->v));
    for (size_t i = 0; i < keep; i++) {
        item *e = &it->v[i];
        history_index_oid(&e->oid, old, i);
        for (int f = 0; f < HX_FIELDS; f++)
            e->f[f] = history_index_field(old, i, f);
        e->owned = 0;
    }
    it->count = fresh + keep;
    return 0;
}

typedef struct {
    const void *key;
    uint32_t i;
} sort_key;

static int by_string(const void *a, const void *b)
{
    const sort_key *x = a, *y = b;
    int c = strcmp(x->key, y->key);

    return c ? c : (x->i > y->i) - (x->i < y->i);
}

static int by_oid(const void *a, const void *b)
{
    const sort_key *x = a, *y = b;

    return memcmp(x->key, y->key, GIT_OID_RAWSZ);
}

/* The permutation of @p it by field @p f (-1: by commit id) at @p out. */
static int put_perm(unsigned char *out, const items *it, int f, sort_key *keys)
{
    for (size_t i = 0; i < it->count; i++)
        keys[i] = (sort_key){f < 0 ? (const void *)it->v[i].oid.id : it->v[i].f[f], (uint32_t)i};
    qsort(keys, it->count, sizeof(*keys), f < 0 ? by_oid : by_string);
    for (size_t i = 0; i < it->count; i++)
        put32(out + 4 * i, keys[i].i);
    return 0;
}

/* The index of @p it (tip @p tip) as bytes, malloc'ed, into *out. */
static int serialize(unsigned char **out, size_t *len, const items *it, const git_oid *tip)
{
    size_t n = it->count, strings = 1, at, total;
    unsigned char *d, *s;
    sort_key *keys;

    for (size_t i = 0; i < n; i++)
        for (int f = 0; f < HX_FIELDS; f++)
            strings += it->v[i].f[f] ? strlen(it->v[i].f[f]) + 1 : 0;
    total = HEAD_LEN + n * (REC_LEN + 12) + strings;
    if (n > UINT32_MAX || strings > NO_STR || total > INDEX_MAX)
        return error_set(POSDIFF_ERROR, "the history is too large to index (%zu commits)", n);
    if (!(d = calloc(1, total)) || !(keys = malloc((n ? n : 1) * sizeof(*keys)))) {
        free(d);
        return error_oom();
    }
    memcpy(d, INDEX_MAGIC, 16);
    memcpy(d + 16, tip->id, GIT_OID_RAWSZ);
    for (int k = 0; k < 8; k++)
        d[40 + k] = (unsigned char)((uint64_t)n >> (8 * k));
    s = d + HEAD_LEN + n * (REC_LEN + 12);
    at = 1; /* offset 0: the empty string */
    for (size_t i = 0; i < n; i++) {
        unsigned char *r = d + HEAD_LEN + i * REC_LEN;
        memcpy(r, it->v[i].oid.id, GIT_OID_RAWSZ);
        for (int f = 0; f < HX_FIELDS; f++) {
            const char *v = it->v[i].f[f];
            size_t l = v ? strlen(v) + 1 : 0;
            put32(r + 20 + 4 * f, v ? (uint32_t)at : NO_STR);
            memcpy(s + at, v ? v : "", l);
            at += l;
        }
    }
    put_perm(d + HEAD_LEN + n * REC_LEN, it, HX_ID, keys);
    put_perm(d + HEAD_LEN + n * (REC_LEN + 4), it, HX_DATE, keys);
    put_perm(d + HEAD_LEN + n * (REC_LEN + 8), it, -1, keys);
    free(keys);
    *out = d;
    *len = total;
    return 0;
}

/* The tip commit is there (a walk would find the rest missing as it reads). */
static int tip_readable(git_repository *repo, const git_oid *tip)
{
    git_commit *c = NULL;
    int error = 0;

    if (git_commit_lookup(&c, repo, tip) < 0)
        error = error_git("%s: %s is damaged; restore the repository, or delete it and run "
                          "posdiff build again", git_repository_path(repo),
                          POSDIFF_HISTORY_BRANCH);
    git_commit_free(c);
    return error;
}

static void unload(history_index *x)
{
    if (x->mapped)
        unmap_file((const char *)x->data, x->len);
    else
        free((void *)x->data);
    memset(x, 0, sizeof(*x));
}

int history_index_open(history_index **out, git_repository *repo, const char *path)
{
    history_index *x, old = {0};
    const char *data;
    unsigned char *fresh = NULL;
    size_t len;
    items it = {NULL, 0, 0};
    git_oid tip;
    buf file = BUF_INIT;
    int error = 0, have_old = 0;

    *out = NULL;
    if (!(x = calloc(1, sizeof(*x))))
        return error_oom();
    x->recs = x->strings = (const unsigned char *)"";
    for (int p = 0; p < 3; p++)
        x->perm[p] = x->recs;
    if (git_reference_name_to_id(&tip, repo, POSDIFF_HISTORY_BRANCH) < 0) {
        *out = x; /* no branch yet: no commits */
        return 0;
    }
    buf_printf(&file, "%s/" INDEX_NAME, path);
    if ((error = buf_ok(&file)) < 0)
        goto done;
    if ((error = tip_readable(repo, &tip)) < 0)
        goto done;
    if (map_file(&data, &len, file.ptr, INDEX_MAX) == 0) {
        if (take(x, (const unsigned char *)data, len, &tip) == 0) {
            x->mapped = 1;
            goto done; /* up to date */
        }
        /* another tip: keep what it lists of the new chain */
        git_oid old_tip;
        if (len >= HEAD_LEN)
            git_oid_fromraw(&old_tip, (const unsigned char *)data + 16);
        have_old = len >= HEAD_LEN &&
                   take(&old, (const unsigned char *)data, len, &old_tip) == 0;
        if (!have_old)
            unmap_file(data, len);
        else
            old.mapped = 1;
    }
    if ((error = walk_back(&it, repo, &tip, have_old ? &old : NULL)) < 0 ||
        (error = serialize(&fresh, &len, &it, &tip)) < 0)
        goto done;
    take(x, fresh, len, &tip);
    if (write_file_atomic(file.ptr, (const char *)fresh, len, 1) < 0)
        posdiff_error_clear(); /* a read-only repository: the index stays in memory */
done:
    items_free(&it);
    if (have_old)
        unload(&old);
    buf_free(&file);
    if (error < 0) {
        if (!x->mapped && x->data != fresh)
            free(fresh);
        history_index_free(x);
        return error;
    }
    *out = x;
    return 0;
}

void history_index_free(history_index *x)
{
    if (!x)
        return;
    if (x->data)
        unload(x);
    free(x);
}
