/*
 * normahead.h - normalize statements ahead of the build, in a worker
 * thread (internal; see normahead.c).
 */
#ifndef POSDIFF_NORMAHEAD_H
#define POSDIFF_NORMAHEAD_H

#include "posdiff/corpus.h"
#include "posdiff/normalize.h"

typedef struct normahead normahead;

/**
 * Start normalizing the statements @p from .. @p to - 1 of @p c, in
 * order, at most a few ahead of the one taken last.  Without a second
 * processor (or thread) statements are normalized when taken.
 */
int normahead_start(normahead **out, const posdiff_corpus *c, size_t from, size_t to);

/**
 * The normalized statement @p i (the next in order; free it with
 * posdiff_normalized_free), waiting for it if needed; its normalization
 * error, with its message, is the calling thread's last error.
 */
int normahead_take(posdiff_normalized **out, normahead *q, size_t i);

/** Stop the worker and free what was not taken (NULL is fine). */
void normahead_stop(normahead *q);

#endif
