/*
 * featcache.c - the aligner's cache of sentence features (featcache.h):
 * hash maps from a sentence's text to one block holding its feature
 * ids, its catalog ids, then the text bytes (the maps' key).
 *
 * Two generations bound it: entries are made in the current map; at
 * feat_cache_turn, once the current map holds FEAT_CACHE_GEN entries,
 * the older map's entries are freed and the current map becomes the
 * older one.  An entry found in the older map is moved up into the
 * current one (put there too, its gen set to the current generation),
 * so what the series keeps restating stays, and what it stopped
 * restating a generation ago goes.  An entry is freed through the
 * newest map that holds it: the older map frees only the entries whose
 * gen is not the current one.
 */
#include "featcache.h"

#include <stdlib.h>
#include <string.h>

#include "util/errors.h"

#define FEAT_CACHE_GEN ((size_t)1 << 15) /* entries a generation (see above) */

struct feat_cache_entry {
    uint32_t len, n, cn; /* text bytes, feature ids, catalog ids */
    uint32_t gen;        /* the newest generation whose map holds it */
    uint32_t data[];     /* n ids, cn catalog ids, then the text */
};

typedef struct feat_cache_entry entry;

static hashmap *cur_map(feat_cache *c)
{
    return &c->map[c->gen & 1];
}

static hashmap *old_map(feat_cache *c)
{
    return &c->map[(c->gen & 1) ^ 1];
}

/* The entry of s[0..len), moved up into the current map if found only
 * in the older one (when the current map has room), or NULL. */
static const entry *find(feat_cache *c, const char *s, size_t len)
{
    entry *e = hashmap_get(cur_map(c), s, len);

    if (e || !(e = hashmap_get(old_map(c), s, len)) || cur_map(c)->n >= FEAT_CACHE_GEN)
        return e;
    if (hashmap_put(cur_map(c), (const char *)(e->data + e->n + e->cn), len, e) < 0)
        posdiff_error_clear(); /* best effort: it stays in the older map */
    else
        e->gen = c->gen;
    return e;
}

int feat_cache_lend(feat_cache *c, const char *s, size_t len, feat *f, const uint32_t **cid,
                    size_t *cn)
{
    const entry *e = find(c, s, len);

    if (!e)
        return 0;
    f->ids = e->n ? (uint32_t *)e->data : NULL;
    f->n = e->n;
    *cid = e->data + e->n;
    *cn = e->cn;
    return 1;
}

int feat_cache_get(feat_cache *c, const char *s, size_t len, feat *f, uint32_t **cid,
                   size_t *cn)
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
    hashmap *m = cur_map(c);
    entry *e;
    char *text;

    if (m->n >= FEAT_CACHE_GEN || len > UINT32_MAX || f->n + cn > UINT32_MAX ||
        hashmap_get(m, s, len) ||
        !(e = malloc(sizeof(*e) + (f->n + cn) * sizeof(uint32_t) + len)))
        return;
    *e = (entry){(uint32_t)len, (uint32_t)f->n, (uint32_t)cn, c->gen};
    if (f->n)
        memcpy(e->data, f->ids, f->n * sizeof(uint32_t));
    if (cn)
        memcpy(e->data + f->n, cid, cn * sizeof(uint32_t));
    text = (char *)(e->data + f->n + cn);
    if (len)
        memcpy(text, s, len);
    if (hashmap_put(m, text, len, e) < 0) {
        posdiff_error_clear(); /* best effort */
        free(e);
    }
}

/* Free the older map's entries that the current map does not hold. */
static void drop_old(feat_cache *c)
{
    hashmap *m = old_map(c);

    for (size_t i = 0; i < m->cap; i++)
        if (m->slot[i].key && ((entry *)m->slot[i].value)->gen != c->gen)
            free(m->slot[i].value);
    hashmap_clear(m);
}

void feat_cache_turn(feat_cache *c)
{
    if (cur_map(c)->n < FEAT_CACHE_GEN)
        return;
    drop_old(c);
    c->gen++; /* the emptied map is the current one */
}

void feat_cache_clear(feat_cache *c)
{
    hashmap *m = cur_map(c);

    drop_old(c);
    for (size_t i = 0; i < m->cap; i++)
        if (m->slot[i].key)
            free(m->slot[i].value);
    hashmap_clear(m);
}

void feat_cache_free(feat_cache *c)
{
    feat_cache_clear(c);
    hashmap_free(&c->map[0]);
    hashmap_free(&c->map[1]);
}
