/*
 * chain.c - the history branch's first-parent chain (chain.h), oldest
 * first, with each commit's trailers (commitmsg_parse).
 *
 * Cached in <repo>/posdiff-chain, one line per commit (id, input hash,
 * statement id): the walk from the tip stops at the first commit the
 * cache lists.  A commit id fixes its message and parents, so entries
 * never go stale; a cache that does not parse is ignored.  The build
 * appends what it read, or rewrites the file.
 */
#include "chain.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/buf.h"
#include "util/cachesum.h"
#include "util/errors.h"
#include "util/fileio.h"
#include "posdiff/history.h"

#define CACHE_NAME "posdiff-chain"
#define CACHE_MAGIC "posdiff-chain 1\n"
#define CACHE_MAX ((size_t)1 << 30)

/* A new, empty item at the end of @p h; NULL when out of memory. */
static chain_item *chain_add(chain *h)
{
    if (array_grow(&h->v, &h->cap, h->count, sizeof(*h->v), 64) < 0)
        return NULL;
    memset(&h->v[h->count], 0, sizeof(chain_item));
    return &h->v[h->count++];
}

static int chain_push(chain *h, const git_oid *id, const char *message)
{
    chain_item *oc = chain_add(h);

    if (!oc)
        return POSDIFF_ENOMEM;
    git_oid_cpy(&oc->oid, id);
    return commitmsg_parse(&oc->id, oc->input, message ? message : "");
}

static void chain_reverse(chain *h)
{
    for (size_t i = 0, j = h->count; i + 1 < j; i++, j--) {
        chain_item t = h->v[i];
        h->v[i] = h->v[j - 1];
        h->v[j - 1] = t;
    }
}

void chain_free(chain *h)
{
    for (size_t i = 0; i < h->count; i++)
        free(h->v[i].id);
    free(h->v);
    memset(h, 0, sizeof(*h));
}

/* ---- the cache ------------------------------------------------------- */

static char *cache_path(const char *repo_path)
{
    buf b = BUF_INIT;
    buf_printf(&b, "%s/%s", repo_path, CACHE_NAME);
    return buf_detach(&b, NULL);
}

/* One cache line into @p h; 0, or -1 when it does not parse. */
static int cache_line(chain *h, const char *p, size_t n)
{
    chain_item *it;
    const char *sp;
    size_t idlen;

    if (n < GIT_OID_HEXSZ + 1 + COMMITMSG_HEX + 2 || p[GIT_OID_HEXSZ] != ' ' ||
        p[GIT_OID_HEXSZ + 1 + COMMITMSG_HEX] != ' ' || !(it = chain_add(h)))
        return -1;
    if (git_oid_fromstrn(&it->oid, p, GIT_OID_HEXSZ) < 0)
        return -1;
    sp = p + GIT_OID_HEXSZ + 1;
    if (*sp != '-') { /* "-" * COMMITMSG_HEX: no input hash */
        memcpy(it->input, sp, COMMITMSG_HEX);
        it->input[COMMITMSG_HEX] = '\0';
        if (!cache_is_hex(it->input, COMMITMSG_HEX))
            return -1;
    }
    sp += COMMITMSG_HEX + 1;
    idlen = n - (size_t)(sp - p);
    if (idlen == 1 && *sp == '-')
        return 0;
    if (!(it->id = malloc(idlen + 1)))
        return -1;
    memcpy(it->id, sp, idlen);
    it->id[idlen] = '\0';
    return 0;
}

/* The cached chain, or an empty one when there is none that parses. */
static void cache_load(chain *h, const char *repo_path)
{
    char *path = cache_path(repo_path);
    const char *data = NULL;
    size_t len = 0, m = sizeof(CACHE_MAGIC) - 1, most;
    int mapped = path && map_file(&data, &len, path, CACHE_MAX) == 0;

    if (mapped && len >= m && !memcmp(data, CACHE_MAGIC, m)) {
        /* room for every line at once (each is longer than two hashes) */
        most = len / (GIT_OID_HEXSZ + COMMITMSG_HEX + 3) + 1;
        if (!h->cap && (h->v = malloc(most * sizeof(*h->v))))
            h->cap = most;
        for (size_t at = m; at < len;) {
            const char *nl = memchr(data + at, '\n', len - at);
            if (!nl || cache_line(h, data + at, (size_t)(nl - data) - at) < 0) {
                chain_free(h);
                break;
            }
            at = (size_t)(nl - data) + 1;
        }
    }
    posdiff_error_clear(); /* no cache: read the commits */
    if (mapped)
        unmap_file(data, len);
    free(path);
}

/* The cache lines of items @p from .. of @p h into @p b; -1 when one
 * cannot be written (then there is no cache). */
static int put_lines(buf *b, const chain *h, size_t from)
{
    char none[COMMITMSG_HEX + 1], hex[GIT_OID_HEXSZ + 1];

    memset(none, '-', COMMITMSG_HEX);
    none[COMMITMSG_HEX] = '\0';
    for (size_t i = from; i < h->count; i++) {
        const chain_item *it = &h->v[i];
        if (it->id && (!*it->id || it->id[strcspn(it->id, "\n")] || !strcmp(it->id, "-")))
            return -1; /* not representable */
        git_oid_tostr(hex, sizeof(hex), &it->oid);
        buf_put(b, hex, GIT_OID_HEXSZ);
        buf_putc(b, ' ');
        buf_puts(b, *it->input ? it->input : none);
        buf_putc(b, ' ');
        buf_puts(b, it->id ? it->id : "-");
        buf_putc(b, '\n');
    }
    return buf_ok(b);
}

/* Append the lines of items @p from .. to the cache file; -1 on failure. */
static int cache_append(const chain *h, size_t from, const char *path)
{
    buf b = BUF_INIT;
    int fd, ok = 0;

    if (put_lines(&b, h, from) == 0 &&
        (fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC)) >= 0) {
        ok = write(fd, b.ptr, b.len) == (ssize_t)b.len && fsync(fd) == 0;
        ok &= close(fd) == 0;
    }
    buf_free(&b);
    return ok ? 0 : -1;
}

/*
 * Bring the cache up to date with the chain @p h: the cached chain (the
 * file's lines, @p ncached of them) is h's first @p ncached items when
 * @p prefix, and then only the new lines are appended; else (or when
 * that fails) the file is rewritten whole.
 */
static void cache_save(const chain *h, const char *repo_path, size_t ncached, int prefix)
{
    char *path = cache_path(repo_path);
    buf b = BUF_INIT;

    if (!path)
        goto done;
    if (prefix && ncached > 0 && cache_append(h, ncached, path) == 0)
        goto done;
    buf_puts(&b, CACHE_MAGIC);
    if (put_lines(&b, h, 0) == 0)
        write_file_atomic(path, b.ptr, b.len, 1);
done:
    posdiff_error_clear(); /* only a cache */
    buf_free(&b);
    free(path);
}

typedef struct {
    git_oid oid;
    size_t at;
} cache_key;

static int key_cmp(const void *a, const void *b)
{
    return git_oid_cmp(&((const cache_key *)a)->oid, &((const cache_key *)b)->oid);
}

/* The cache's commits sorted by id, for cache_find; NULL when empty. */
static cache_key *cache_index(const chain *c)
{
    cache_key *k = c->count ? malloc(c->count * sizeof(*k)) : NULL;

    for (size_t i = 0; k && i < c->count; i++) {
        k[i].oid = c->v[i].oid;
        k[i].at = i;
    }
    if (k)
        qsort(k, c->count, sizeof(*k), key_cmp);
    return k;
}

/*
 * Index in the cache @p c of the commit @p id, or -1: its last commit
 * first (the branch tip, or the parent of the commits appended since
 * the cache was written: the usual cases), else through the index *@p k,
 * built on first use (NULL while not built or when out of memory).
 */
static long cache_find(cache_key **k, const chain *c, const git_oid *id)
{
    cache_key want;
    const cache_key *hit;

    if (c->count && git_oid_equal(&c->v[c->count - 1].oid, id))
        return (long)c->count - 1;
    if (!*k)
        *k = cache_index(c);
    if (!*k)
        return -1;
    want.oid = *id;
    hit = bsearch(&want, *k, c->count, sizeof(**k), key_cmp);
    return hit ? (long)hit->at : -1;
}

/* ---- reading ----------------------------------------------------------- */

int chain_read(chain *h, git_repository *repo, const char *path, int save)
{
    git_commit *commit = NULL;
    chain cached = {NULL, 0, 0};
    cache_key *keys = NULL;
    long at = -1;
    size_t walked, ncached;
    git_oid id;
    int error = git_reference_name_to_id(&id, repo, POSDIFF_HISTORY_BRANCH);

    if (error == GIT_ENOTFOUND)
        return 0;
    if (error < 0)
        return error_git("%s: cannot read %s", path, POSDIFF_HISTORY_BRANCH);
    cache_load(&cached, path);
    ncached = cached.count;
    for (;;) {
        if ((at = cache_find(&keys, &cached, &id)) >= 0)
            break;
        if (git_commit_lookup(&commit, repo, &id) < 0) {
            chain_free(&cached);
            free(keys);
            return error_git("%s: %s is damaged; delete the repository and run "
                             "posdiff build again", path, POSDIFF_HISTORY_BRANCH);
        }
        error = chain_push(h, &id, git_commit_message(commit));
        if (error == 0 && git_commit_parentcount(commit) == 0)
            error = 1;
        else if (error == 0)
            git_oid_cpy(&id, git_commit_parent_id(commit, 0));
        git_commit_free(commit);
        if (error != 0)
            break;
    }
    free(keys);
    if (error < 0) {
        chain_free(&cached);
        return error;
    }
    /* h holds the commits walked, newest first; the cache the rest */
    chain_reverse(h);
    walked = h->count;
    if (at >= 0) {
        chain whole = cached;
        for (size_t i = (size_t)at + 1; i < cached.count; i++)
            free(cached.v[i].id);
        whole.count = (size_t)at + 1;
        for (size_t i = 0; i < h->count && !error; i++) {
            chain_item *it = chain_add(&whole);
            if (!it) {
                error = POSDIFF_ENOMEM;
                break;
            }
            *it = h->v[i]; /* moved: id now owned by whole */
            h->v[i].id = NULL;
        }
        chain_free(h);
        *h = whole;
        memset(&cached, 0, sizeof(cached)); /* h owns its items now */
        if (error < 0)
            return error;
    }
    chain_free(&cached);
    if (save && walked > 0) /* appended when the cache held the chain up to there */
        cache_save(h, path, ncached, at >= 0 && (size_t)at + 1 == ncached);
    return 0;
}
