/*
 * buf.h - internal growable byte buffer (always NUL-terminated).
 *
 * A failed allocation sets b->oom; later appends become no-ops and
 * buf_ok() reports it, so builders check once at the end (as sds/git_buf).
 */
#ifndef POSDIFF_BUF_H
#define POSDIFF_BUF_H

#include <stddef.h>

#include "errors.h"

typedef struct {
    char *ptr;   /* NUL-terminated when cap > 0 */
    size_t len;  /* bytes used, excluding the NUL */
    size_t cap;  /* bytes allocated */
    int oom;     /* an allocation failed */
} buf;

#define BUF_INIT {NULL, 0, 0, 0}

int buf_grow(buf *b, size_t extra);
void buf_put(buf *b, const char *s, size_t n);
void buf_puts(buf *b, const char *s);
void buf_printf(buf *b, const char *fmt, ...) POSDIFF_PRINTF(2, 3);
void buf_clear(buf *b);
/** Hand the bytes to the caller (malloc'ed, never NULL on success). */
char *buf_detach(buf *b, size_t *len);
void buf_free(buf *b);
/** 0, or POSDIFF_ENOMEM with the error set. */
int buf_ok(const buf *b);
/**
 * Room for one more item in the array *@p items of @p count items of
 * @p size bytes, room for *@p cap: when full, doubled (from @p first).
 * 0, or POSDIFF_ENOMEM with the error set.
 */
int array_grow(void *items, size_t *cap, size_t count, size_t size, size_t first);
/** A malloc'ed NUL-terminated copy of s[0..n) (NULL when out of memory). */
char *mem_dup0(const char *s, size_t n);

/* One byte: inline, as the renderers append byte by byte; the room for
 * it and the NUL is checked here, buf_grow() only runs when full. */
static inline void buf_putc(buf *b, char c)
{
    if ((b->oom || b->len + 2 > b->cap) && buf_grow(b, 1) < 0)
        return;
    b->ptr[b->len++] = c;
    b->ptr[b->len] = '\0';
}

#endif
