/*
 * normahead.h - normalize statements ahead of the build, in a worker
 * thread (internal; see normahead.c).
 */
#ifndef POSDIFF_NORMAHEAD_H
#define POSDIFF_NORMAHEAD_H

#include "history/pack/pack.h"
#include "posdiff/align.h"
#include "posdiff/corpus.h"
#include "posdiff/normalize.h"

typedef struct normahead normahead;

/** What the build needs of a statement before aligning it. */
typedef struct {
    posdiff_normalized *norm;  /**< the normalized statement */
    char raw[GIT_OID_HEXSZ + 1]; /**< blob id of the raw bytes it is made of */
    pack_object *blob;         /**< its text as a git blob, hashed (and deflated) */
    char year[5];              /**< of its date: the tree it is in */
    pack_object *tree;         /**< statements/<year>/ with it added */
    posdiff_sentence *sent;    /**< its sentences (posdiff_doc_sentences) */
    size_t nsent;
    int sent_error;            /**< < 0: the sentences failed (this thread's
                                    last error holds the message) */
} normahead_item;

#define NORMAHEAD_ITEM_INIT {NULL, "", NULL, "", NULL, NULL, 0, 0}

void normahead_item_free(normahead_item *it);

/**
 * Start normalizing the statements @p from .. @p to - 1 of @p c, in
 * order, at most a few ahead of the one taken last, and preparing the
 * statements/<year>/ tree of each, from the tree body @p tree
 * (@p tree_len bytes, copied) of year @p year, the last so far (NULL:
 * none).  Without a second processor (or thread)
 * statements are normalized when taken.
 */
int normahead_start(normahead **out, const posdiff_corpus *c, size_t from, size_t to,
                    const char *year, const char *tree, size_t tree_len);

/**
 * Statement @p i (the next in order) into @p it (free with
 * normahead_item_free), waiting for it if needed.  Its normalization
 * error, with its message, is returned and is the calling thread's last
 * error, as if it had normalized the statement itself.
 */
int normahead_take(normahead_item *it, normahead *q, size_t i);

/** Stop the worker and free what was not taken (NULL is fine). */
void normahead_stop(normahead *q);

#endif
