/*
 * corpus_cache.h - internal: the statements of a validated manifest,
 * kept in <corpus>/.posdiff/corpus-cache so that opening a large corpus
 * need not read and check statements.conf again.  See corpus_cache.c.
 */
#ifndef POSDIFF_CORPUS_CACHE_H
#define POSDIFF_CORPUS_CACHE_H

#include <stddef.h>
#include <stdint.h>

#include "posdiff/corpus.h"

/* The stat data of statements.conf that vouch for its bytes: size, mtime
 * and ctime (ns), inode; all 0 when none do. */
typedef struct {
    unsigned long long size, mtime, ctime, ino;
} corpus_conf_key;

/**
 * The key of the statements.conf at @p path now, for an open that read
 * it after the real-time clock showed @p clock_ns: zeros unless its
 * mtime and ctime are more than 2 s older (a file written again within
 * a timestamp tick of the read could keep its stat data).
 */
corpus_conf_key corpus_conf_key_of(const char *path, unsigned long long clock_ns);

/* A mapped cache (corpus_cache_open). */
typedef struct {
    const char *data;  /* the cache file, mapped (fileio.h map_file) */
    size_t len;        /* its bytes */
    size_t conf_len;   /* bytes of the statements.conf it describes */
    uint64_t conf_sum; /* their cachesum64 */
    size_t count;      /* statements */
    corpus_conf_key key; /* statements.conf's stat data when they were its bytes (0: none) */
    const char *body;  /* their records (corpus_cache.c), in data */
    size_t body_len;
} corpus_cache;

/**
 * Map the cache of the corpus in @p dir: 1 when it is whole and of this
 * posdiff (*@p out filled: the caller checks that statements.conf has
 * the stat data key, or is conf_len bytes whose cachesum64 is
 * conf_sum), 0 when there is none.
 */
int corpus_cache_open(corpus_cache *out, const char *dir);

/**
 * The count statements of @p cc into @p st, in manifest order: strings
 * point into cc->data (keep it mapped while they are used); st->strip is
 * malloc'ed when there are rules.  0, or -1 (nothing allocated) when a
 * record is malformed or memory ran out.
 */
int corpus_cache_read(const corpus_cache *cc, posdiff_statement *st);

void corpus_cache_free(corpus_cache *cc);

/**
 * Save the statements of the manifest of @p len bytes and cachesum64
 * @p sum of the corpus in @p dir, all valid: @p st in any order (@p n of
 * them, their manifest_index 0 .. n - 1), with the @p key that vouches
 * for those bytes (corpus_conf_key_of).  Only when <dir>/.posdiff
 * exists; best effort (a failure leaves no cache, or the previous one).
 */
void corpus_cache_save(const char *dir, size_t len, uint64_t sum, corpus_conf_key key,
                       const posdiff_statement *st, size_t n);

#endif
