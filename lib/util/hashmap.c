/*
 * hashmap.c - the hash table (hashmap.h).  Keys are hashed eight bytes
 * at a time (a multiply and a fold per word); the hash is kept per slot,
 * so a probe compares keys only on an equal hash.
 */
#include "hashmap.h"

#include <stdlib.h>
#include <string.h>

#include "errors.h"

static uint64_t hash_bytes(const void *key, size_t n)
{
    const unsigned char *s = key;
    const uint64_t m = 0xff51afd7ed558ccdu;
    uint64_t h = 0x9e3779b97f4a7c15u ^ n, v;
    size_t i = 0;

    for (; i + 8 <= n; i += 8) {
        memcpy(&v, s + i, 8);
        h = (h ^ v) * m;
        h ^= h >> 32;
    }
    v = 0;
    if (n > i)
        memcpy(&v, s + i, n - i);
    h = (h ^ v) * m;
    return h ^ (h >> 29);
}

/* The slot of @p key: where it is, or the empty one where it goes. */
static size_t find(const hashmap *m, uint64_t h, const void *key, size_t len)
{
    size_t i = (size_t)h & (m->cap - 1);

    for (; m->slot[i].key; i = (i + 1) & (m->cap - 1))
        if (m->slot[i].hash == h && m->slot[i].len == len &&
            (len == 0 || memcmp(m->slot[i].key, key, len) == 0))
            break;
    return i;
}

static int grow(hashmap *m)
{
    hashmap g = {NULL, m->cap ? m->cap * 2 : 64, m->n};

    if (!(g.slot = calloc(g.cap, sizeof(*g.slot))))
        return error_oom();
    for (size_t i = 0; i < m->cap; i++)
        if (m->slot[i].key)
            g.slot[find(&g, m->slot[i].hash, m->slot[i].key, m->slot[i].len)] = m->slot[i];
    free(m->slot);
    *m = g;
    return 0;
}

void *hashmap_get(const hashmap *m, const void *key, size_t len)
{
    if (m->cap == 0)
        return NULL;
    return m->slot[find(m, hash_bytes(key, len), key, len)].value;
}

int hashmap_put(hashmap *m, const void *key, size_t len, void *value)
{
    uint64_t h = hash_bytes(key, len);
    size_t i;
    int rc;

    if ((m->n + 1) * 2 > m->cap && (rc = grow(m)) < 0)
        return rc;
    i = find(m, h, key, len);
    if (!m->slot[i].key)
        m->n++;
    m->slot[i] = (hashmap_slot){h, key ? key : "", len, value};
    return 0;
}

void hashmap_clear(hashmap *m)
{
    if (m->cap)
        memset(m->slot, 0, m->cap * sizeof(*m->slot));
    m->n = 0;
}

void hashmap_free(hashmap *m)
{
    free(m->slot);
    *m = (hashmap)HASHMAP_INIT;
}
