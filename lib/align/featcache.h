/*
 * featcache.h - internal: the aligner's cache of sentence features.
 *
 * A series restates most sentences word for word, and stemming a
 * sentence is most of what a step costs, so the tracker remembers, per
 * distinct sentence text, its features (feat ids, passages.h) and its
 * stems as catalog phrase ids.  A hit gives exactly what stemming would:
 * the features of a text depend only on the text and on the ids of its
 * stems, which were interned when the entry was made and never change
 * (the tracker clears the cache when its dictionary is replaced).
 * Bounded: at FEAT_CACHE_MAX entries it stops growing.  Not thread-safe.
 */
#ifndef POSDIFF_FEATCACHE_H
#define POSDIFF_FEATCACHE_H

#include <stddef.h>
#include <stdint.h>

#include "util/hashmap.h"
#include "words.h"

typedef struct {
    hashmap map; /* text -> struct feat_cache_entry (featcache.c) */
} feat_cache;

#define FEAT_CACHE_INIT {HASHMAP_INIT}

/**
 * Features and catalog ids of s[0..len) if cached: 1 with *f and *cid
 * malloc'ed copies (*cid has room for at least one id; @p cid NULL: the
 * features alone), 0 when not cached, POSDIFF_ENOMEM.
 */
int feat_cache_get(const feat_cache *c, const char *s, size_t len, feat *f,
                   uint32_t **cid, size_t *cn);
/**
 * Like feat_cache_get, but lends the cached arrays instead of copying
 * them: *f's ids and *cid point into the cache (do not free or change
 * them) and stay valid until feat_cache_clear/feat_cache_free.  1 when
 * cached, else 0.
 */
int feat_cache_lend(const feat_cache *c, const char *s, size_t len, feat *f,
                    const uint32_t **cid, size_t *cn);
/** Remember them (best effort: nothing happens when full or on OOM). */
void feat_cache_put(feat_cache *c, const char *s, size_t len, const feat *f,
                    const uint32_t *cid, size_t cn);
/** Forget every entry (the cache stays usable). */
void feat_cache_clear(feat_cache *c);
void feat_cache_free(feat_cache *c);

#endif
