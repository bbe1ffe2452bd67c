/*
 * stmttree.h - the statements/<year>/ tree of each new commit, prepared
 * ahead (internal; see stmttree.c).
 */
#ifndef POSDIFF_STMTTREE_H
#define POSDIFF_STMTTREE_H

#include "gittree.h"
#include "packwrite.h"

typedef struct {
    char year[5];       /* the year whose tree is being added to ("": none) */
    gittree cur;        /* that tree after the last statement added */
    gittree key;        /* the last version prepared in full: delta base */
    git_oid key_id;
    int has_key;
    size_t key_len;     /* its size */
    size_t since_key;   /* bytes of the deltas prepared against it */
    size_t same;        /* cur's first bytes that are key's */
    buf delta;          /* scratch */
} stmttree;

#define STMTTREE_INIT {"", GITTREE_INIT, GITTREE_INIT, {{0}}, 0, 0, 0, 0, BUF_INIT}

void stmttree_free(stmttree *t);

/** Start from year @p year's tree body @p data (NULL: no year yet). */
int stmttree_start(stmttree *t, const char *year, const char *data, size_t len);

/**
 * Add <@p id>.md = blob @p blob to the tree of @p year (statements
 * come in date order: the year of the last one added, or a later one,
 * which starts an empty tree) and prepare the resulting tree into
 * @p out (a full object, or a delta against the last full one).
 */
int stmttree_add(packwrite_prepared *out, stmttree *t, packwrite_deflater *z,
                 const char *year, const char *id, const git_oid *blob);

#endif
