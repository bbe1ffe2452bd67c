/*
 * buf.c - growable byte buffer; capacity doubles, so appends are
 * amortised O(1).
 */
#include "buf.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int buf_grow(buf *b, size_t extra)
{
    size_t need, cap;
    char *p;

    if (b->oom)
        return -1;
    if (extra > (size_t)-1 - b->len - 1)
        goto fail;
    need = b->len + extra + 1;
    if (need <= b->cap)
        return 0;
    cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap = cap > (size_t)-1 / 2 ? need : cap * 2;
    p = realloc(b->ptr, cap);
    if (!p)
        goto fail;
    b->ptr = p;
    b->cap = cap;
    return 0;
fail:
    b->oom = 1;
    return -1;
}

void buf_put(buf *b, const char *s, size_t n)
{
    if (buf_grow(b, n) < 0)
        return;
    if (n)
        memcpy(b->ptr + b->len, s, n);
    b->len += n;
    b->ptr[b->len] = '\0';
}

void buf_puts(buf *b, const char *s)
{
    buf_put(b, s, strlen(s));
}

void buf_printf(buf *b, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || buf_grow(b, (size_t)n) < 0)
        return;
    va_start(ap, fmt);
    vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

void buf_clear(buf *b)
{
    b->len = 0;
    if (b->ptr)
        b->ptr[0] = '\0';
}

char *buf_detach(buf *b, size_t *len)
{
    char *p;

    if (buf_grow(b, 0) < 0)
        return NULL;
    p = b->ptr;
    if (len)
        *len = b->len;
    b->ptr = NULL;
    b->len = b->cap = 0;
    return p;
}

void buf_free(buf *b)
{
    free(b->ptr);
    b->ptr = NULL;
    b->len = b->cap = 0;
    b->oom = 0;
}

int buf_ok(const buf *b)
{
    return b->oom ? error_oom() : 0;
}

char *mem_dup0(const char *s, size_t n)
{
    char *p = malloc(n + 1);

    if (p) {
        memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

int array_grow(void *items, size_t *cap, size_t count, size_t size, size_t first)
{
    void **v = items, *p;
    size_t n = *cap ? *cap * 2 : first;

    if (count < *cap)
        return 0;
    if (n > SIZE_MAX / size || !(p = realloc(*v, n * size)))
        return error_oom();
    *v = p;
    *cap = n;
    return 0;
}
