/*
 * chain.c - the history branch's first-parent chain (see chain.h):
 * walked from the tip to the root through first parents, trailers
 * parsed by commitmsg_parse, then reversed so the oldest comes first.
 *
 * Reading 10 000 commits out of the pack costs more than all the rest
 * of an incremental build, so the chain is cached in <repo>/posdiff-chain
 * (one line per commit, oldest first: id, input hash, statement id).  A
 * commit id fixes its message and its parents, so a cached entry never
 * goes stale: the walk from the tip stops at the first commit the cache
 * lists and takes the cache's chain up to it.  A cache that does not
 * parse is ignored.  The build (holding the lock) rewrites it with the
 * chain it read when that took reading commits, so the commits a build
 * appends are read once, by the next build, and cached from then on.
 * Like the other caches beside the history, it is trusted as written:
 * editing it by hand can make a build keep a commit it should redo.
 */
#include "chain.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "errors.h"
#include "fileio.h"
#include "posdiff/history.h"

#define CACHE_NAME "posdiff-chain"
#define CACHE_MAGIC "posdiff-chain 1\n"
#define CACHE_MAX ((size_t)1 << 30)

/* A new, empty item at the end of @p h; NULL when out of memory. */
static chain_item *chain_add(chain *h)
{
    if (h->count == h->cap) {
        size_t cap = h->cap ? h->cap * 2 : 64;
        chain_item *v = realloc(h->v, cap * sizeof(*v));
        if (!v) {
            error_oom();
            return NULL;
        }
        h->v = v;
        h->cap = cap;
    }
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
        if (strspn(it->input, "0123456789abcdef") != COMMITMSG_HEX)
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
    char *path = cache_path(repo_path), *data = NULL;
    size_t len = 0, m = sizeof(CACHE_MAGIC) - 1;

    if (path && read_file_limited(&data, &len, path, CACHE_MAX) == 0 && len >= m &&
        !memcmp(data, CACHE_MAGIC, m)) {
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
    free(data);
    free(path);
}

static void cache_save(const chain *h, const char *repo_path)
{
    char *path = cache_path(repo_path), none[COMMITMSG_HEX + 1];
    buf b = BUF_INIT;

    memset(none, '-', COMMITMSG_HEX);
    none[COMMITMSG_HEX] = '\0';
    buf_puts(&b, CACHE_MAGIC);
    for (size_t i = 0; i < h->count; i++) {
        const chain_item *it = &h->v[i];
        if (it->id && (!*it->id || it->id[strcspn(it->id, "\n")] || !strcmp(it->id, "-")))
            goto done; /* not representable: no cache */
        buf_printf(&b, "%s %s %s\n", git_oid_tostr_s(&it->oid),
                   *it->input ? it->input : none,
                   it->id ? it->id : "-");
    }
    if (path && buf_ok(&b) == 0)
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

/* Index in the cache of the commit @p id, or -1. */
static long cache_find(const cache_key *k, size_t n, const git_oid *id)
{
    cache_key want;
    const cache_key *hit;

    if (!k)
        return -1;
    want.oid = *id;
    hit = bsearch(&want, k, n, sizeof(*k), key_cmp);
    return hit ? (long)hit->at : -1;
}

/* ---- reading ----------------------------------------------------------- */

int chain_read(chain *h, git_repository *repo, const char *path, int save)
{
    git_commit *commit = NULL;
    chain cached = {NULL, 0, 0};
    cache_key *keys;
    long at = -1;
    size_t walked;
    git_oid id;
    int error = git_reference_name_to_id(&id, repo, POSDIFF_HISTORY_BRANCH);

    if (error == GIT_ENOTFOUND)
        return 0;
    if (error < 0)
        return error_git("%s: cannot read %s", path, POSDIFF_HISTORY_BRANCH);
    cache_load(&cached, path);
    keys = cache_index(&cached);
    for (;;) {
        if ((at = cache_find(keys, cached.count, &id)) >= 0)
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
    if (save && walked > 0)
        cache_save(h, path);
    return 0;
}
