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
 * Bounded: two generations of at most FEAT_CACHE_GEN entries each; the
 * older one is dropped at a turn (feat_cache_turn, between steps), and
 * an entry used again is kept into the next (featcache.c).  Not
 * thread-safe.
 */
#ifndef POSDIFF_FEATCACHE_H
#define POSDIFF_FEATCACHE_H

#include <stddef.h>
#include <stdint.h>

#include "util/hashmap.h"
#include "words.h"

typedef struct {
    hashmap map[2]; /* text -> struct feat_cache_entry (featcache.c);
                       map[gen & 1] is the current generation's */
    uint32_t gen;   /* the current generation */
} feat_cache;

#define FEAT_CACHE_INIT {{HASHMAP_INIT, HASHMAP_INIT}, 0}

/**
 * Features and catalog ids of s[0..len) if cached: 1 with *f and *cid
 * malloc'ed copies (*cid has room for at least one id; @p cid NULL: the
 * features alone), 0 when not cached, POSDIFF_ENOMEM.
 */
int feat_cache_get(feat_cache *c, const char *s, size_t len, feat *f,
                   uint32_t **cid, size_t *cn);
/**
 * Like feat_cache_get, but lends the cached arrays instead of copying
 * them: *f's ids and *cid point into the cache (do not free or change
 * them) and stay valid until the next feat_cache_turn, feat_cache_clear
 * or feat_cache_free.  1 when cached, else 0.
 */
int feat_cache_lend(feat_cache *c, const char *s, size_t len, feat *f,
                    const uint32_t **cid, size_t *cn);
/** Remember them (best effort: nothing happens when full or on OOM). */
void feat_cache_put(feat_cache *c, const char *s, size_t len, const feat *f,
                    const uint32_t *cid, size_t cn);
/**
 * Start a new generation if the current one is full, freeing the
 * entries of the one before that were not used since (call it between
 * steps: it ends every loan).
 */
void feat_cache_turn(feat_cache *c);
/** Forget every entry (the cache stays usable). */
void feat_cache_clear(feat_cache *c);
void feat_cache_free(feat_cache *c);

#endif
