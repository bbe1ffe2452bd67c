/*
 * fresh.h - internal: a stamp of the inputs the last build saw, so that a
 * reading command learns that the history is up to date from file stat
 * data, without hashing a raw file (fresh.c).
 */
#ifndef POSDIFF_FRESH_H
#define POSDIFF_FRESH_H

#include <git2.h>

#include "posdiff/corpus.h"

#define FRESH_HEX 40

/** The clock, print and directories of @p c's inputs, taken before a
 *  build reads them (malloc'ed into *out; NULL when no stamp can hold
 *  them): 0, or POSDIFF_ENOMEM. */
int fresh_take(char **out, const posdiff_corpus *c);
/** Keep @p taken with the branch tip @p head (best effort: a stamp that
 *  cannot be written is no stamp). */
void fresh_save(const char *repo_path, const char *head, const char *taken);
/** 1 when the stamp in @p repo_path matches the branch tip of @p repo,
 *  @p c's manifest, catalog, review decisions and raw-file directories,
 *  and the raw files of the @p n statements @p ids (NULL: all; @p at:
 *  their places, hints, or NULL) now; else 0 (errors cleared: the long
 *  way decides). */
int fresh_matches(const char *repo_path, git_repository *repo, const posdiff_corpus *c,
                  const char *const *ids, const size_t *at, size_t n);

#endif
