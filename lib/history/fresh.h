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

/** The print of @p c's inputs: 0, or POSDIFF_ENOMEM. */
int fresh_print(char out[FRESH_HEX + 1], const posdiff_corpus *c);
/** Keep @p print with the branch tip @p head (best effort: a stamp that
 *  cannot be written is no stamp). */
void fresh_save(const char *repo_path, const char *head, const char *print);
/** 1 when the stamp in @p repo_path matches the branch tip of @p repo and
 *  @p c's inputs now, else 0 (errors cleared: the long way decides). */
int fresh_matches(const char *repo_path, git_repository *repo, const posdiff_corpus *c);

#endif
