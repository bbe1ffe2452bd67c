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
 * remembered when the file is old enough, see rawhash.c).  With @p read
 * (the id of bytes read after the corpus was opened) that is the id,
 * remembered under the corpus's stat of the file.
 */
int rawhash_get(rawhash *h, char hex[GIT_OID_HEXSZ + 1], const posdiff_corpus *c,
                const posdiff_statement *st, const char *read);
/**
 * For posdiff add, which looks at no raw file it need not: may statement
 * i of @p c (corpus order) hold the bytes whose blob id is @p hex, as far
 * as the cache of @p repo_path tells?  (*out)[i] is 0 when the cache
 * records that statement's file, as the last build saw it, with another
 * blob id; 1 when it records this blob id or nothing.  *out is NULL when
 * there is no usable cache (then every statement may).  A file changed
 * since the last build is judged by what it was then.
 * @param out  malloc'ed, posdiff_corpus_count(c) bytes
 */
int rawhash_maybe_same(unsigned char **out, const char *repo_path,
                       const posdiff_corpus *c, const char hex[GIT_OID_HEXSZ + 1]);
/** Write the entries of this build's files (best effort: never fails). */
void rawhash_save(rawhash *h);
void rawhash_free(rawhash *h);

#endif
