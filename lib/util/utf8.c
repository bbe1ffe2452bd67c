/*
 * utf8.c - UTF-8 validation with positions, decoding, char classes.
 */
#include "utf8.h"

#include <string.h>

#include <utf8proc.h>

#include "errors.h"

/* Length of a well-formed sequence starting at s, or 0 (RFC 3629 table). */
static size_t seq_len(const unsigned char *s, size_t len)
{
    unsigned char c = s[0];

    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF)
        return (len >= 2 && (s[1] & 0xC0) == 0x80) ? 2 : 0;
    if (c >= 0xE0 && c <= 0xEF) {
        unsigned char lo = c == 0xE0 ? 0xA0 : 0x80;
        unsigned char hi = c == 0xED ? 0x9F : 0xBF; /* no surrogates */
        if (len < 3 || s[1] < lo || s[1] > hi || (s[2] & 0xC0) != 0x80)
            return 0;
        return 3;
    }
    if (c >= 0xF0 && c <= 0xF4) {
        unsigned char lo = c == 0xF0 ? 0x90 : 0x80;
        unsigned char hi = c == 0xF4 ? 0x8F : 0xBF; /* <= U+10FFFF */
        if (len < 4 || s[1] < lo || s[1] > hi || (s[2] & 0xC0) != 0x80 ||
            (s[3] & 0xC0) != 0x80)
            return 0;
        return 4;
    }
    return 0;
}

/* Offset of the first NUL or ill-formed sequence in p[0..len), or len.
 * Words of eight ASCII non-NUL bytes are skipped at once (most text). */
static size_t first_bad(const unsigned char *p, size_t len)
{
    const uint64_t lo = 0x0101010101010101u, hi = 0x8080808080808080u;
    size_t i = 0, n;
    uint64_t w;

    while (i < len) {
        if (len - i >= 8) {
            memcpy(&w, p + i, 8);
            if (((w | ((w - lo) & ~w)) & hi) == 0) { /* ASCII, no zero byte */
                i += 8;
                continue;
            }
        }
        if (p[i] == 0 || (n = seq_len(p + i, len - i)) == 0)
            return i;
        i += n;
    }
    return len;
}

int utf8_valid(const char *s, size_t len)
{
    return first_bad((const unsigned char *)s, len) == len;
}

/* "UTF-16LE", "UTF-16BE" when @p p looks like UTF-16 (a byte order mark,
 * or NULs at every other byte of its start), else NULL. */
static const char *utf16_kind(const unsigned char *p, size_t len)
{
    size_t even = 0, odd = 0, n = len < 512 ? len : 512;

    if (len >= 2 && p[0] == 0xFF && p[1] == 0xFE)
        return "UTF-16LE";
    if (len >= 2 && p[0] == 0xFE && p[1] == 0xFF)
        return "UTF-16BE";
    for (size_t i = 0; i + 1 < n; i += 2) {
        even += p[i] == 0;
        odd += p[i + 1] == 0;
    }
    if (n >= 8 && odd * 4 >= n && even == 0)
        return "UTF-16LE";
    if (n >= 8 && even * 4 >= n && odd == 0)
        return "UTF-16BE";
    return NULL;
}

int utf8_validate(const char *s, size_t len, const char *path)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t bad = first_bad(p, len), i = 0, line = 1, col = 1;
    const char *utf16;

    if (bad == len)
        return 0;
    if ((utf16 = utf16_kind(p, len)))
        return error_set(POSDIFF_EUTF8,
                         "%s: the file is %s text, not UTF-8; convert it (iconv -f %s -t UTF-8)",
                         path ? path : "<input>", utf16, utf16);
    for (; i < bad; i += seq_len(p + i, len - i)) { /* the position */
        if (p[i] == '\n') {
            line++;
            col = 1;
        } else {
            col++;
        }
    }
    if (p[bad] == 0)
        return error_set(POSDIFF_EUTF8,
                         "%s:%zu:%zu: NUL byte in text; remove it or save the file as UTF-8 text",
                         path ? path : "<input>", line, col);
    return error_set(POSDIFF_EUTF8,
                     "%s:%zu:%zu: invalid UTF-8 byte 0x%02X; convert the file to UTF-8 (e.g. iconv -f WINDOWS-1252 -t UTF-8)",
                     path ? path : "<input>", line, col, p[bad]);
}

size_t utf8_decode(const char *s, size_t len, int32_t *cp)
{
    utf8proc_int32_t c;
    utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)s,
                                          (utf8proc_ssize_t)len, &c);
    if (n <= 0) {
        *cp = 0xFFFD;
        return 1;
    }
    *cp = c;
    return (size_t)n;
}

int utf8_is_alnum(int32_t cp)
{
    if (cp < 0x80)
        return (cp >= '0' && cp <= '9') || ((cp | 0x20) >= 'a' && (cp | 0x20) <= 'z');
    switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT: case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO: case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ME:
    case UTF8PROC_CATEGORY_ND: case UTF8PROC_CATEGORY_NL:
    case UTF8PROC_CATEGORY_NO:
        return 1;
    default:
        return 0;
    }
}

int utf8_is_space(int32_t cp)
{
    if (cp < 0x80)
        return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' ||
               cp == '\f' || cp == '\v';
    return utf8proc_category(cp) == UTF8PROC_CATEGORY_ZS || cp == 0x2028 ||
           cp == 0x2029;
}
