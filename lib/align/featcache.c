/*
 * featcache.c - the aligner's cache of sentence features (featcache.h).
 *
 * Open addressing with linear probing, load <= 1/2, a hash of the text
 * (hash_text) kept per entry.  An entry is one block: the ids, then the
 * catalog ids, then the text bytes.
 */
#include "featcache.h"

#include <stdlib.h>
#include <string.h>

#include "util/errors.h"

#define FEAT_CACHE_MAX ((size_t)1 << 18)

struct feat_cache_entry {
    uint32_t hash;
    size_t len, n, cn; /* text bytes, feature ids, catalog ids */
    uint32_t data[];   /* n ids, cn catalog ids, then the text */
};

/* Eight bytes a step (a byte-wise FNV-1a was most of a hit's cost):
 * each word is mixed in by a multiply and a fold of the high half. */
static uint32_t hash_text(const char *s, size_t n)
{
    const uint64_t m = 0xff51afd7ed558ccdu;
    uint64_t h = 0x9e3779b97f4a7c15u ^ n, v;
    size_t i = 0;

    for (; i + 8 <= n; i += 8) {
        memcpy(&v, s + i, 8);
        h = (h ^ v) * m;
        h ^= h >> 32;
    }
    v = 0;
    memcpy(&v, s + i, n - i);
    h = (h ^ v) * m;
    h ^= h >> 29;
    return (uint32_t)(h ^ (h >> 32));
}

static const char *entry_text(const struct feat_cache_entry *e)
{
    return (const char *)(e->data + e->n + e->cn);
}

/* Slot of s: where it is, or the empty slot where it goes. */
static size_t find_slot(struct feat_cache_entry *const *slot, size_t cap,
                        const char *s, size_t len, uint32_t h)
{
    size_t i = h & (cap - 1);
    for (; slot[i]; i = (i + 1) & (cap - 1))
        if (slot[i]->hash == h && slot[i]->len == len &&
            (len == 0 || memcmp(entry_text(slot[i]), s, len) == 0))
            break;
    return i;
}

int feat_cache_lend(const feat_cache *c, const char *s, size_t len, feat *f,
                    const uint32_t **cid, size_t *cn)
{
    const struct feat_cache_entry *e;

    if (!c->cap)
        return 0;
    e = c->slot[find_slot(c->slot, c->cap, s, len, hash_text(s, len))];
    if (!e)
        return 0;
    f->ids = e->n ? (uint32_t *)e->data : NULL;
    f->n = e->n;
    *cid = e->data + e->n;
    *cn = e->cn;
    return 1;
}

int feat_cache_get(const feat_cache *c, const char *s, size_t len, feat *f,
                   uint32_t **cid, size_t *cn)
{
    const uint32_t *lcid;
    size_t lcn;
    feat lent;
    int rc = feat_cache_lend(c, s, len, &lent, &lcid, &lcn);

    if (rc <= 0)
        return rc;
    *f = (feat)FEAT_INIT;
    if (lent.n && !(f->ids = malloc(lent.n * sizeof(*f->ids))))
        return error_oom();
    if (lent.n)
        memcpy(f->ids, lent.ids, lent.n * sizeof(*f->ids));
    f->n = lent.n;
    if (!cid)
        return 1;
    if (!(*cid = malloc((lcn ? lcn : 1) * sizeof(**cid)))) {
        feat_free(f);
        return error_oom();
    }
    if (lcn)
        memcpy(*cid, lcid, lcn * sizeof(**cid));
    *cn = lcn;
    return 1;
}

static int grow(feat_cache *c)
{
    size_t cap = c->cap ? c->cap * 2 : 1024;
    struct feat_cache_entry **slot = calloc(cap, sizeof(*slot));

    if (!slot)
        return -1;
    for (size_t i = 0; i < c->cap; i++) {
        struct feat_cache_entry *e = c->slot[i];
        if (e)
            slot[find_slot(slot, cap, entry_text(e), e->len, e->hash)] = e;
    }
    free(c->slot);
    c->slot = slot;
    c->cap = cap;
    return 0;
}

void feat_cache_put(feat_cache *c, const char *s, size_t len, const feat *f,
                    const uint32_t *cid, size_t cn)
{
    uint32_t h = hash_text(s, len);
    struct feat_cache_entry *e;
    size_t i;

    if (c->n >= FEAT_CACHE_MAX || ((c->n + 1) * 2 > c->cap && grow(c) < 0))
        return;
    i = find_slot(c->slot, c->cap, s, len, h);
    if (c->slot[i] ||
        !(e = malloc(sizeof(*e) + (f->n + cn) * sizeof(uint32_t) + len)))
        return;
    e->hash = h;
    e->len = len;
    e->n = f->n;
    e->cn = cn;
    if (f->n)
        memcpy(e->data, f->ids, f->n * sizeof(uint32_t));
    if (cn)
        memcpy(e->data + f->n, cid, cn * sizeof(uint32_t));
    if (len)
        memcpy((char *)(e->data + f->n + cn), s, len);
    c->slot[i] = e;
    c->n++;
}

void feat_cache_clear(feat_cache *c)
{
    for (size_t i = 0; i < c->cap; i++) {
        free(c->slot[i]);
        c->slot[i] = NULL;
    }
    c->n = 0;
}

void feat_cache_free(feat_cache *c)
{
    feat_cache_clear(c);
    free(c->slot);
    *c = (feat_cache)FEAT_CACHE_INIT;
}
