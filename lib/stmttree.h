/*
 * stmttree.h - the statements/ tree of each new commit, prepared ahead
 * (internal; see stmttree.c).
 */
#ifndef POSDIFF_STMTTREE_H
#define POSDIFF_STMTTREE_H

#include "gittree.h"
#include "packwrite.h"

typedef struct {
    gittree cur;        /* the tree after the last statement added */
    gittree key;        /* the last version prepared in full: delta base */
    git_oid key_id;
    int has_key;
    unsigned since_key; /* deltas prepared against it */
    size_t same;        /* cur's first bytes that are key's */
    packwrite_prepared *pending; /* a tree prepared but for its id */
    size_t pending_len; /* its body: cur's first pending_len bytes */
    buf delta;          /* scratch */
} stmttree;

#define STMTTREE_INIT {GITTREE_INIT, GITTREE_INIT, {{0}}, 0, 0, 0, NULL, 0, BUF_INIT}

void stmttree_free(stmttree *t);

/** Start from the tree body @p data (NULL: an empty tree). */
int stmttree_start(stmttree *t, const char *data, size_t len);

/**
 * Add <@p id>.md = blob @p blob and prepare the resulting tree into
 * @p out (a full object, or a delta against the last full one).
 * @param may_defer  allow leaving out's id for later
 * @return 0: @p out is complete; 1: its id is set by the next
 *         stmttree_add or stmttree_flush (@p out must stay where it is
 *         until then); < 0: an error
 */
int stmttree_add(packwrite_prepared *out, stmttree *t, packwrite_deflater *z,
                 const char *id, const git_oid *blob, int may_defer);

/** Complete the tree stmttree_add left without its id, if any. */
void stmttree_flush(stmttree *t);

#endif
