/*
 * rawhash.h - internal: the git blob ids of the corpus's raw files,
 * cached across builds by (path, size, mtime, ctime, inode) in
 * <repo>/posdiff-rawhash, so a build does not re-read and re-hash every
 * unchanged raw file.  See rawhash.c for when an entry is trusted.
 */
#ifndef POSDIFF_RAWHASH_H
#define POSDIFF_RAWHASH_H

#include <git2.h>

#include "posdiff/corpus.h"

typedef struct rawhash rawhash;

/** Load the cache of repository @p repo_path (missing or bad: empty). */
int rawhash_open(rawhash **out, const char *repo_path);
/**
 * Hex blob id of @p st's raw file (posdiff_corpus_read's bytes): from
 * the cache when the file's stat matches, else read and hashed (and
 * remembered when the file is old enough, see rawhash.c).
 */
int rawhash_get(rawhash *h, char hex[GIT_OID_HEXSZ + 1],
                const posdiff_corpus *c, const posdiff_statement *st);
/** Write the entries of this build's files (best effort: never fails). */
void rawhash_save(rawhash *h);
void rawhash_free(rawhash *h);

#endif
