/*
 * featcache.c - the aligner's cache of sentence features (featcache.h):
 * a hash map from a sentence's text to one block holding its feature
 * ids, its catalog ids, then the text bytes (the map's key).
 */
#include "featcache.h"

#include <stdlib.h>
#include <string.h>

#include "util/errors.h"

#define FEAT_CACHE_MAX ((size_t)1 << 18)

struct feat_cache_entry {
    size_t len, n, cn; /* text bytes, feature ids, catalog ids */
    uint32_t data[];   /* n ids, cn catalog ids, then the text */
};

int feat_cache_lend(const feat_cache *c, const char *s, size_t len, feat *f,
                    const uint32_t **cid, size_t *cn)
{
    const struct feat_cache_entry *e = hashmap_get(&c->map, s, len);

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
    if ((rc = feat_copy(f, &lent)) < 0 || !cid)
        return rc < 0 ? rc : 1;
    if (!(*cid = malloc((lcn ? lcn : 1) * sizeof(**cid)))) {
        feat_free(f);
        return error_oom();
    }
    if (lcn)
        memcpy(*cid, lcid, lcn * sizeof(**cid));
    *cn = lcn;
    return 1;
}

void feat_cache_put(feat_cache *c, const char *s, size_t len, const feat *f,
                    const uint32_t *cid, size_t cn)
{
    struct feat_cache_entry *e;
    char *text;

    if (c->map.n >= FEAT_CACHE_MAX || hashmap_get(&c->map, s, len) ||
        !(e = malloc(sizeof(*e) + (f->n + cn) * sizeof(uint32_t) + len)))
        return;
    *e = (struct feat_cache_entry){len, f->n, cn};
    if (f->n)
        memcpy(e->data, f->ids, f->n * sizeof(uint32_t));
    if (cn)
        memcpy(e->data + f->n, cid, cn * sizeof(uint32_t));
    text = (char *)(e->data + f->n + cn);
    if (len)
        memcpy(text, s, len);
    if (hashmap_put(&c->map, text, len, e) < 0) {
        posdiff_error_clear(); /* best effort */
        free(e);
    }
}

void feat_cache_clear(feat_cache *c)
{
    for (size_t i = 0; i < c->map.cap; i++)
        if (c->map.slot[i].key)
            free(c->map.slot[i].value);
    hashmap_clear(&c->map);
}

void feat_cache_free(feat_cache *c)
{
    feat_cache_clear(c);
    hashmap_free(&c->map);
}
