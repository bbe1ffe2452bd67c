/*
 * corpus_int.h - internal: what an open corpus knows beyond the public
 * API, for corpus_edit.c.
 */
#ifndef POSDIFF_CORPUS_INT_H
#define POSDIFF_CORPUS_INT_H

#include <stdint.h>

#include "posdiff/corpus.h"

/* What posdiff_corpus_open's stat of a raw file gave. */
typedef struct {
    unsigned long long size;  /* bytes */
    unsigned long long mtime; /* ns since the epoch */
    unsigned long long ctime; /* ns since the epoch */
    unsigned long long ino;
    int known;                /* 0: no usable stat (times before 1970) */
} corpus_stat;

/**
 * Size of @p st's raw file when the corpus was opened (the file was
 * then a regular file: opening checks that).  0, or -1 if unknown.
 */
int corpus_file_size(const posdiff_corpus *c, const posdiff_statement *st,
                     uintmax_t *size);

/**
 * The stat of @p st's raw file taken when the corpus was opened (it
 * followed symlinks inside the corpus and gave a regular file), and in
 * *@p clock_ns the real-time clock read before any of those stats, for
 * racy-timestamp checks (rawhash.c).  0, or -1 if unknown.
 */
int corpus_file_stat(const posdiff_corpus *c, const posdiff_statement *st,
                     corpus_stat *out, unsigned long long *clock_ns);

/**
 * 1 if @p c was opened from the corpus directory @p dir (same real path)
 * and its statements.conf held exactly @p data (@p len bytes); then
 * *@p simple says whether manifest_parse.c read those bytes.  0 if not.
 */
int corpus_manifest_same(const posdiff_corpus *c, const char *dir,
                         const char *data, size_t len, int *simple);

#endif
