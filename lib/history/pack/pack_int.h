/*
 * pack_int.h - what the files of lib/history/pack share (never included
 * from outside this folder; the interface is pack.h).
 */
#ifndef POSDIFF_PACK_INT_H
#define POSDIFF_PACK_INT_H

#include "pack.h"
#include "util/buf.h"

struct pack_object {
    git_oid id;
    git_object_t type;
    buf packed;       /* full: pack header + deflated body; delta: deflated delta;
                         empty: not compressed yet */
    git_oid base;     /* a delta: the object it applies to */
    size_t delta_len; /* a delta: its length before deflating; 0: full */
    int keep;         /* written into the pack even when the repository has it
                         (the base of later deltas) */
    const char *data; /* the body when it outlives the object (not owned), or NULL */
    size_t len;
};

/**
 * Fill @p o (zeroed or reused): the id of @p data, and with @p z the
 * packed form: the delta @p delta against @p base when given, else the
 * whole body.  @p data is remembered only when @p z is NULL.
 */
int pack_object_fill(pack_object *o, pack_deflater *z, git_object_t type, const char *data,
                     size_t len, const git_oid *base, const buf *delta);

/* gitdelta.c: git's delta format (pack OFS_DELTA payloads). */

/** Start a delta from @p base_len bytes to @p result_len bytes. */
void gitdelta_header(buf *d, size_t base_len, size_t result_len);
/** Copy @p len bytes of the base from @p off (nothing if 0). */
void gitdelta_copy(buf *d, size_t off, size_t len);
/** Insert @p len literal bytes. */
void gitdelta_insert(buf *d, const char *p, size_t len);
/** Copy the lines @p base and @p cur share (myers.c), insert the others. */
int gitdelta_lines(buf *d, const char *base, size_t blen, const char *cur, size_t clen);

/* object.c, for packwrite.c: the zlib form of data[0..len) appended to
 * @p b; an object's pack header. */
int pack_deflate_into(buf *b, pack_deflater *d, const char *data, size_t len);
void pack_obj_header(buf *b, int type, size_t size);

#endif
