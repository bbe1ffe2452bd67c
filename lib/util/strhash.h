/*
 * strhash.h - FNV-1a over bytes, for the hash tables of the corpus,
 * the manifest and the raw-hash cache (internal).  Only slot positions
 * depend on it, never an output.
 */
#ifndef POSDIFF_STRHASH_H
#define POSDIFF_STRHASH_H

#include <stddef.h>

static inline size_t strhash_n(const char *s, size_t n)
{
    size_t h = 2166136261u;

    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h;
}

static inline size_t strhash(const char *s)
{
    size_t h = 2166136261u;

    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

#endif
