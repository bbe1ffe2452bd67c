/*
 * gitdelta.c - git's delta format (pack OFS_DELTA payloads): an encoder,
 * and deltas between two texts line by line.
 *
 * Format: the base's and the result's sizes as little-endian base-128
 * varints, then ops: a COPY (high bit set; bits 0-3 say which offset
 * bytes follow, bits 4-6 which size bytes) or an INSERT (1-127: that
 * many literal bytes follow).
 *
 * Line deltas (a position's file from one version to the next): the
 * lines of both texts get ids (equal lines, equal ids: a hash table),
 * myers_diff finds the lines they share, and the result is rebuilt
 * from COPY ops for the shared lines (adjacent ones merged) and INSERT
 * ops for the others.  A position file keeps a passage on its line
 * across versions, so a version that rewords one passage is one short
 * insert between two copies.  The diff's cost is bounded (myers.c).
 */
#include "pack_int.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/errors.h"
#include "diff/myers.h"
#include "util/hashmap.h"

#define COPY_MAX 0xffffffu /* a copy op holds up to 3 size bytes */
#define INSERT_MAX 127     /* an insert op holds up to 127 bytes */

static void put_varint(buf *b, size_t v)
{
    while (v >= 0x80) {
        buf_putc(b, (char)(0x80 | (v & 0x7f)));
        v >>= 7;
    }
    buf_putc(b, (char)v);
}

void gitdelta_header(buf *d, size_t base_len, size_t result_len)
{
    put_varint(d, base_len);
    put_varint(d, result_len);
}

void gitdelta_copy(buf *d, size_t off, size_t len)
{
    while (len > 0) {
        size_t n = len < COPY_MAX ? len : COPY_MAX;
        unsigned char op[8];
        size_t k = 1;
        op[0] = 0x80;
        for (int i = 0; i < 4; i++)
            if ((off >> (8 * i)) & 0xff) {
                op[0] |= (unsigned char)(1 << i);
                op[k++] = (unsigned char)(off >> (8 * i));
            }
        for (int i = 0; i < 3; i++)
            if ((n >> (8 * i)) & 0xff) {
                op[0] |= (unsigned char)(0x10 << i);
                op[k++] = (unsigned char)(n >> (8 * i));
            }
        buf_put(d, (const char *)op, k);
        off += n;
        len -= n;
    }
}

void gitdelta_insert(buf *d, const char *p, size_t len)
{
    while (len > 0) {
        size_t n = len < INSERT_MAX ? len : INSERT_MAX;
        buf_putc(d, (char)n);
        buf_put(d, p, n);
        p += n;
        len -= n;
    }
}

/* ---- line deltas ---------------------------------------------------- */

typedef struct {
    const char *p; /* the line, with its newline if any */
    size_t len;
} line;

typedef struct {
    line *v;
    size_t n;
} lines;

static int split_lines(lines *out, const char *s, size_t len)
{
    size_t n = 0, k = 0;

    for (size_t i = 0; i < len; i++)
        n += s[i] == '\n';
    if (!(out->v = malloc((n + 1) * sizeof(*out->v))))
        return error_oom();
    for (size_t at = 0; at < len; k++) {
        const char *nl = memchr(s + at, '\n', len - at);
        size_t end = nl ? (size_t)(nl - s) + 1 : len;
        out->v[k] = (line){s + at, end - at};
        at = end;
    }
    out->n = k;
    return 0;
}

/* Ids of the lines of @p a and @p b (equal lines, equal ids); the
 * number of ids in *nids. */
static int line_ids(uint32_t *ia, uint32_t *ib, const lines *a, const lines *b, uint32_t *nids)
{
    hashmap m = HASHMAP_INIT;
    uintptr_t next = 0;
    int error = 0;

    for (size_t k = 0; k < a->n + b->n && error == 0; k++) {
        const line *l = k < a->n ? &a->v[k] : &b->v[k - a->n];
        uintptr_t v = (uintptr_t)hashmap_get(&m, l->p, l->len);
        if (!v)
            error = hashmap_put(&m, l->p, l->len, (void *)(v = ++next));
        (k < a->n ? ia : ib)[k < a->n ? k : k - a->n] = (uint32_t)(v - 1);
    }
    hashmap_free(&m);
    *nids = (uint32_t)next;
    return error;
}

/* The ops: shared lines copied (runs merged), the others inserted. */
static void emit(buf *d, const lines *a, const char *base, const lines *b, const char *del,
                 const char *ins)
{
    size_t i = 0, run_off = 0, run_len = 0;

    for (size_t j = 0; j < b->n; j++) {
        if (ins[j]) {
            gitdelta_copy(d, run_off, run_len);
            run_len = 0;
            gitdelta_insert(d, b->v[j].p, b->v[j].len);
            continue;
        }
        while (i < a->n && del[i])
            i++; /* b's line j is a's next unmarked line (myers.h) */
        if (i == a->n) { /* cannot happen; stay correct anyway */
            gitdelta_copy(d, run_off, run_len);
            run_len = 0;
            gitdelta_insert(d, b->v[j].p, b->v[j].len);
            continue;
        }
        size_t off = (size_t)(a->v[i].p - base);
        if (run_len && run_off + run_len != off) {
            gitdelta_copy(d, run_off, run_len);
            run_len = 0;
        }
        if (!run_len)
            run_off = off;
        run_len += a->v[i++].len;
    }
    gitdelta_copy(d, run_off, run_len);
}

int gitdelta_lines(buf *d, const char *base, size_t blen, const char *cur, size_t clen)
{
    lines a = {NULL, 0}, b = {NULL, 0};
    uint32_t *ia = NULL, *ib = NULL, nids = 0;
    char *del = NULL, *ins = NULL;
    int error;

    if ((error = split_lines(&a, base, blen)) < 0 || (error = split_lines(&b, cur, clen)) < 0)
        goto done;
    ia = malloc((a.n + 1) * sizeof(*ia));
    ib = malloc((b.n + 1) * sizeof(*ib));
    del = calloc(a.n + 1, 1);
    ins = calloc(b.n + 1, 1);
    if (!ia || !ib || !del || !ins) {
        error = error_oom();
        goto done;
    }
    if ((error = line_ids(ia, ib, &a, &b, &nids)) < 0 ||
        (error = myers_diff(ia, a.n, ib, b.n, nids, 0, del, ins)) < 0)
        goto done;
    gitdelta_header(d, blen, clen);
    emit(d, &a, base, &b, del, ins);
    error = buf_ok(d);
done:
    free(a.v);
    free(b.v);
    free(ia);
    free(ib);
    free(del);
    free(ins);
    return error;
}
