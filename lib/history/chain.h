/*
 * chain.h - internal: the history branch's first-parent chain, oldest
 * first, with each commit's Statement-Id and Posdiff-Input trailers.
 * The builder keeps the longest prefix that matches the corpus; the
 * status check compares it with the corpus without building.
 */
#ifndef POSDIFF_CHAIN_H
#define POSDIFF_CHAIN_H

#include <git2.h>

#include "commitmsg.h"

typedef struct {
    git_oid oid;
    char *id;                      /* Statement-Id trailer, or NULL */
    char input[COMMITMSG_HEX + 1]; /* Posdiff-Input trailer, or "" */
} chain_item;

typedef struct {
    chain_item *v; /* oldest first; v[count - 1] is the branch tip */
    size_t count, cap;
} chain;

/**
 * Read the chain of refs/heads/main in @p repo (at @p path, which also
 * names it in messages); a missing branch gives an empty chain.  Commits
 * already listed in the cache <path>/posdiff-chain are not read again;
 * with @p save (the caller holds the build lock) the cache is brought
 * up to date with the chain read.
 */
int chain_read(chain *ch, git_repository *repo, const char *path, int save);
void chain_free(chain *ch);

#endif
