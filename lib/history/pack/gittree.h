/*
 * gittree.h - git tree bodies kept serialized and edited in place, and
 * the delta between two of them (internal; see gittree.c).
 */
#ifndef POSDIFF_GITTREE_H
#define POSDIFF_GITTREE_H

#include <stddef.h>

#include "util/buf.h"

/* A tree body: "<mode> <name>\0<20-byte id>" per entry, in git order. */
typedef struct {
    buf body;    /* the entries */
    size_t *at;  /* offset of each entry in body */
    size_t n;    /* entries */
    size_t cap;  /* room in at */
} gittree;

#define GITTREE_INIT {BUF_INIT, NULL, 0, 0}

void gittree_free(gittree *t);

/** Replace @p t by the tree body @p data (as read from a repository). */
int gittree_parse(gittree *t, const char *data, size_t len);

/** Copy @p src into @p dst (reusing its memory). */
int gittree_copy(gittree *dst, const gittree *src);

/**
 * Set entry @p name to (@p mode, @p id): replace the entry of that
 * name (names are unique in a tree, whatever their mode), or insert it
 * in git order.  @p mode is "100644" (a blob) or "40000" (a tree).
 * @param where  if non-NULL, receives an offset before which the body
 *               did not change
 */
int gittree_set(gittree *t, const char *name, const char *mode, const unsigned char id[20],
                size_t *where);

/** 1 if gittree_set(@p t, @p name, @p mode) would only append to the body. */
int gittree_would_append(const gittree *t, const char *name, const char *mode);

/**
 * Append to @p d a git delta (pack OFS_DELTA payload) that turns
 * @p base into @p cur, whose first @p same bytes are known to be the
 * same (0 if unknown; the bytes after are compared).
 */
int gittree_delta(buf *d, const gittree *base, const gittree *cur, size_t same);

#endif
