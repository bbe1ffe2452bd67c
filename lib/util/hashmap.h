/*
 * hashmap.h - internal: the library's one hash table, from byte-string
 * keys to pointers.  Open addressing with linear probing, load <= 1/2;
 * the keys belong to the caller and must outlive the map (usually they
 * live in the value).  Not thread-safe.
 */
#ifndef POSDIFF_HASHMAP_H
#define POSDIFF_HASHMAP_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    uint64_t hash;
    const void *key; /* NULL: an empty slot */
    size_t len;
    void *value;
} hashmap_slot;

typedef struct {
    hashmap_slot *slot;
    size_t cap; /* slots, a power of two (0 before the first put) */
    size_t n;   /* keys held */
} hashmap;

#define HASHMAP_INIT {NULL, 0, 0}

/** The value of @p key, or NULL when absent. */
void *hashmap_get(const hashmap *m, const void *key, size_t len);
/** Map @p key to @p value (replacing a value it had).  0 or POSDIFF_ENOMEM. */
int hashmap_put(hashmap *m, const void *key, size_t len, void *value);
/** Forget every key (the map stays usable). */
void hashmap_clear(hashmap *m);
/** Free the slots (not the keys or values). */
void hashmap_free(hashmap *m);

#endif
