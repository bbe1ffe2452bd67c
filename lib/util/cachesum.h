/*
 * cachesum.h - a fast 32-bit checksum for the records of the caches
 * kept beside the history (internal).
 *
 * Not cryptographic: it guards against torn writes, bit rot and hand
 * edits of a cache record (a record whose sum does not match is not
 * used), not against someone forging one.  Each 8-byte word goes
 * through a bijective mix of the state (xor, multiply by an odd
 * constant, xor-shift), so two inputs of the same length that differ in
 * one word always reach different 64-bit states; the 32 bits kept let
 * a random corruption through with probability 2^-32.  Words are read
 * in the machine's byte order: a cache written on another kind of
 * machine just does not match.
 */
#ifndef POSDIFF_CACHESUM_H
#define POSDIFF_CACHESUM_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define CACHESUM_HEX 8 /* hex digits of a written sum */

static inline uint64_t cachesum_mix(uint64_t h, uint64_t w)
{
    h = (h ^ w) * 0xbf58476d1ce4e5b9ull;
    return h ^ (h >> 29);
}

static inline uint32_t cachesum(const void *data, size_t n)
{
    const unsigned char *p = data;
    uint64_t h = 0x9e3779b97f4a7c15ull ^ (uint64_t)n, w;

    for (; n >= 8; p += 8, n -= 8) {
        memcpy(&w, p, 8);
        h = cachesum_mix(h, w);
    }
    w = 0;
    memcpy(&w, p, n);
    h = cachesum_mix(h, w ^ ((uint64_t)n << 59));
    h = (h ^ (h >> 32)) * 0x94d049bb133111ebull;
    return (uint32_t)(h ^ (h >> 31));
}

/* cachesum64 over a stream: init with the total length, update with
 * blocks whose lengths are multiples of CACHESUM64_STRIDE, final with
 * the rest (fewer than CACHESUM64_STRIDE bytes). */
#define CACHESUM64_STRIDE 32

typedef struct {
    uint64_t l[4];
    uint64_t len; /* the total length */
} cachesum64_state;

static inline void cachesum64_init(cachesum64_state *s, size_t n)
{
    s->l[0] = 0x9e3779b97f4a7c15ull ^ (uint64_t)n;
    s->l[1] = 0xc2b2ae3d27d4eb4full;
    s->l[2] = 0x165667b19e3779f9ull;
    s->l[3] = 0x27d4eb2f165667c5ull;
    s->len = (uint64_t)n;
}

static inline void cachesum64_update(cachesum64_state *s, const void *data, size_t n)
{
    const unsigned char *p = data;
    uint64_t w;

    for (; n >= CACHESUM64_STRIDE; p += CACHESUM64_STRIDE, n -= CACHESUM64_STRIDE)
        for (int k = 0; k < 4; k++) {
            memcpy(&w, p + 8 * k, 8);
            s->l[k] = cachesum_mix(s->l[k], w);
        }
}

static inline uint64_t cachesum64_final(cachesum64_state *s, const void *data, size_t n)
{
    const unsigned char *p = data;
    uint64_t w;

    for (int k = 0; n > 0; k++) {
        size_t m = n < 8 ? n : 8;
        w = 0;
        memcpy(&w, p, m);
        s->l[k] = cachesum_mix(s->l[k], w ^ ((uint64_t)m << 59));
        p += m;
        n -= m;
    }
    w = cachesum_mix(cachesum_mix(cachesum_mix(cachesum_mix(s->l[0], s->l[1]), s->l[2]),
                                  s->l[3]),
                     s->len);
    w = (w ^ (w >> 32)) * 0x94d049bb133111ebull;
    return w ^ (w >> 31);
}

/*
 * A 64-bit sum of a large block (a 2 MB manifest, a cache file): four
 * independent lanes of the same mix over 32-byte strides, so the
 * multiplies overlap (~6 bytes per cycle instead of ~2), then folded.
 * Each fold step is bijective in the lane it takes in, so blocks of one
 * length that differ in one word never sum alike; otherwise two blocks
 * sum alike with probability about 2^-64.
 */
static inline uint64_t cachesum64(const void *data, size_t n)
{
    cachesum64_state s;
    size_t whole = n / CACHESUM64_STRIDE * CACHESUM64_STRIDE;

    cachesum64_init(&s, n);
    cachesum64_update(&s, data, whole);
    return cachesum64_final(&s, (const unsigned char *)data + whole, n - whole);
}

/* Write @p sum as CACHESUM_HEX lower-case hex digits (no NUL). */
static inline void cachesum_hex(char out[CACHESUM_HEX], uint32_t sum)
{
    static const char digits[] = "0123456789abcdef";

    for (int i = CACHESUM_HEX - 1; i >= 0; i--, sum >>= 4)
        out[i] = digits[sum & 15];
}

/* 1 if the CACHESUM_HEX characters at @p s are the hex of @p sum. */
static inline int cachesum_matches(const char *s, uint32_t sum)
{
    char want[CACHESUM_HEX];

    cachesum_hex(want, sum);
    return memcmp(s, want, CACHESUM_HEX) == 0;
}

/* Lower-case hex digits only?  Without a branch per digit: ids are random
 * hex, and a branch on letter-or-digit would mispredict half the time. */
static inline int cache_is_hex(const char *s, size_t n)
{
    unsigned bad = 0;

    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        bad |= (unsigned)((unsigned char)(c - '0') > 9) & (unsigned)((unsigned char)(c - 'a') > 5);
    }
    return !bad;
}

#endif
