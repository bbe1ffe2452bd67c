/*
 * object.c - one object of the pack: its id (libgit2's git_odb_hash),
 * its header and its zlib-compressed body or delta, made by whichever
 * thread has time (pack_deflater).
 */
#include "pack_int.h"

#include <stdlib.h>

#include <libdeflate.h>

#include "util/errors.h"

#define ZLEVEL 1
#define STORE_BELOW 512 /* bytes: smaller objects are stored (see pack_deflater) */

/* ---- compressing ----------------------------------------------------------- */

/*
 * libdeflate, not zlib's deflate(): the same zlib format 2.5x faster at
 * the same level (the 1 000-statement benchmark's statements: 0.198 s
 * -> 0.078 s).  Objects under STORE_BELOW bytes (commits, small trees,
 * short deltas) are stored: setting up a compression costs ~4 us, more
 * than it saves on them.  A compressor serves one thread at a time.
 */
struct pack_deflater {
    struct libdeflate_compressor *fast;  /* ZLEVEL */
    struct libdeflate_compressor *store; /* level 0: stored blocks */
};

pack_deflater *pack_deflater_new(void)
{
    pack_deflater *d = calloc(1, sizeof(*d));

    if (d && (!(d->fast = libdeflate_alloc_compressor(ZLEVEL)) ||
              !(d->store = libdeflate_alloc_compressor(0)))) {
        pack_deflater_free(d);
        d = NULL;
    }
    return d;
}

void pack_deflater_free(pack_deflater *d)
{
    if (!d)
        return;
    if (d->fast)
        libdeflate_free_compressor(d->fast);
    if (d->store)
        libdeflate_free_compressor(d->store);
    free(d);
}

int pack_deflate_into(buf *b, pack_deflater *d, const char *data, size_t len)
{
    struct libdeflate_compressor *c;
    size_t bound, n;

    if (!d)
        return error_oom();
    c = len < STORE_BELOW ? d->store : d->fast;
    bound = libdeflate_zlib_compress_bound(c, len);
    if (buf_grow(b, bound) < 0)
        return POSDIFF_ENOMEM;
    if (!(n = libdeflate_zlib_compress(c, data, len, b->ptr + b->len, bound)))
        return error_set(POSDIFF_ERROR, "cannot compress an object (libdeflate)");
    b->len += n;
    return buf_ok(b);
}

void pack_obj_header(buf *b, int type, size_t size)
{
    unsigned char c = (unsigned char)((type << 4) | (size & 15));

    for (size >>= 4; size; size >>= 7) {
        buf_putc(b, (char)(c | 0x80));
        c = size & 0x7f;
    }
    buf_putc(b, (char)c);
}

/* ---- objects ----------------------------------------------------------------- */

int pack_object_fill(pack_object *o, pack_deflater *z, git_object_t type, const char *data,
                     size_t len, const git_oid *base, const buf *delta)
{
    buf_clear(&o->packed);
    o->type = type;
    o->delta_len = 0;
    o->keep = 0;
    o->data = z ? NULL : data;
    o->len = len;
    if (git_odb_hash(&o->id, data, len, type) < 0)
        return error_git("cannot hash an object");
    if (!z)
        return 0;
    if (base) {
        git_oid_cpy(&o->base, base);
        o->delta_len = delta->len;
        return pack_deflate_into(&o->packed, z, delta->ptr, delta->len);
    }
    pack_obj_header(&o->packed, (int)type, len);
    return pack_deflate_into(&o->packed, z, data, len);
}

int pack_prepare(pack_object **out, pack_deflater *z, git_object_t type, const char *data,
                 size_t len)
{
    int error;

    if (!(*out = calloc(1, sizeof(**out))))
        return error_oom();
    if ((error = pack_object_fill(*out, z, type, data, len, NULL, NULL)) < 0) {
        pack_object_free(*out);
        *out = NULL;
    }
    return error;
}

const git_oid *pack_object_id(const pack_object *o)
{
    return &o->id;
}

void pack_object_free(pack_object *o)
{
    if (o)
        buf_free(&o->packed);
    free(o);
}
