/*
 * utf8.h - internal: UTF-8 validation at the door, decoding, classes.
 *
 * utf8proc does NFC, case folding and character categories; we only
 * add validation that reports the first bad byte's line and column,
 * which utf8proc cannot.
 */
#ifndef POSDIFF_UTF8_H
#define POSDIFF_UTF8_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/**
 * Check @p s for invalid UTF-8 (truncated, overlong, surrogates,
 * > U+10FFFF) and NUL bytes.  Returns 0 if clean, else POSDIFF_EUTF8
 * with the error set as "PATH:LINE:COL: ...; fix" (PATH may be NULL).
 */
int utf8_validate(const char *s, size_t len, const char *path);

/** 1 if @p s is well-formed UTF-8 without NUL (as utf8_validate() == 0),
 *  else 0; sets no error. */
int utf8_valid(const char *s, size_t len);

/** Decode one code point at s[0..len); returns its length (>=1), sets *cp
 *  (U+FFFD on malformed input, length 1). */
size_t utf8_decode(const char *s, size_t len, int32_t *cp);

/** 1 if cp is a letter, mark or digit (utf8proc categories L*, M*, N*). */
int utf8_is_alnum(int32_t cp);
/** 1 if cp is white space (incl. NBSP and other Zs). */
int utf8_is_space(int32_t cp);

/*
 * Eight bytes at a time (SWAR): a word is eight bytes loaded with
 * memcpy; a mask has the high bit set in each byte that matches,
 * exactly (no carry crosses a byte, so no false hits).  Masks only say
 * whether and which bytes match, never in what order, so callers do not
 * depend on the byte order.
 */
#define UTF8_WORD_HI 0x8080808080808080u

static inline uint64_t utf8_word(const char *s)
{
    uint64_t w;

    memcpy(&w, s, 8);
    return w;
}

/** Mask of the bytes of @p w equal to @p c. */
static inline uint64_t utf8_word_eq(uint64_t w, unsigned char c)
{
    const uint64_t lo7 = 0x7F7F7F7F7F7F7F7Fu;
    uint64_t x = w ^ (0x0101010101010101u * c);

    return ~(((x & lo7) + lo7) | x | lo7);
}

/** Mask of the bytes of @p w that are not printable ASCII (0x20..0x7E). */
static inline uint64_t utf8_word_unprintable(uint64_t w)
{
    const uint64_t lo7 = 0x7F7F7F7F7F7F7F7Fu;
    uint64_t l = w & lo7;

    return (w | ~(l + 0x6060606060606060u) | (l + 0x0101010101010101u)) &
           UTF8_WORD_HI;
}

#endif
