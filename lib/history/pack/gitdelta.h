/*
 * gitdelta.h - git's delta format (pack OFS_DELTA payloads): an
 * encoder, and deltas between two texts line by line (internal; see
 * gitdelta.c).
 */
#ifndef POSDIFF_GITDELTA_H
#define POSDIFF_GITDELTA_H

#include <stddef.h>

#include "util/buf.h"

/** Start a delta from @p base_len bytes to @p result_len bytes. */
void gitdelta_header(buf *d, size_t base_len, size_t result_len);
/** Copy @p len bytes of the base from @p off. */
void gitdelta_copy(buf *d, size_t off, size_t len);
/** Insert @p len literal bytes. */
void gitdelta_insert(buf *d, const char *p, size_t len);

/**
 * A delta that turns text @p base into text @p cur: the lines they
 * share (a diff of the lines, myers.c) are copied, the others inserted.
 */
int gitdelta_lines(buf *d, const char *base, size_t blen, const char *cur, size_t clen);

#endif
