/*
 * corpus_int.h - internal: an open corpus as corpus.c, corpus_files.c
 * (its raw files) and corpus_edit.c (add) see it, and what it knows
 * beyond the public API.
 */
#ifndef POSDIFF_CORPUS_INT_H
#define POSDIFF_CORPUS_INT_H

#include <stdint.h>

#include "corpus_cache.h"
#include "manifest.h"
#include "posdiff/corpus.h"

/* What posdiff_corpus_open's stat of a raw file gave. */
typedef struct {
    unsigned long long size;  /* bytes */
    unsigned long long mtime; /* ns since the epoch */
    unsigned long long ctime; /* ns since the epoch */
    unsigned long long ino;
    int known;                /* 0: no usable stat (times before 1970) */
    int taken;                /* 1: the fields hold a stat (else none was taken) */
} corpus_stat;

/* An open corpus (corpus.c; its raw files' checks: corpus_files.c). */
struct posdiff_corpus {
    char *dir;                 /* as given to posdiff_corpus_open */
    char *real_dir;            /* realpath of dir */
    size_t real_dir_len;       /* strlen(real_dir) */
    char *conf_path;           /* <dir>/statements.conf */
    mfile statements;          /* backing storage of the records */
    mfile positions;
    posdiff_statement *st;     /* corpus order */
    size_t count;
    size_t entries;            /* statements in the manifest (count once valid) */
    corpus_cache cache;        /* the cached records' strings point here */
    char *tail;                /* with a cache: the manifest after its prefix */
    size_t tail_len;
    int cacheable;             /* parsed, no warning: posdiff_corpus_keep saves it */
    corpus_stat *stats;        /* by manifest_index: raw file's stat on open */
    unsigned long long stat_clock; /* ns, real-time clock before those stats */
    posdiff_catalog *catalog;
    size_t max_bytes;
    unsigned flags;            /* posdiff_corpus_open_ext */
};

/* corpus_files.c */

/** Set "<statements.conf>: statement "<id>": <what>" (POSDIFF_EINVALID). */
int corpus_entry_error(const posdiff_corpus *c, const char *id, const char *what);

/**
 * Check and stat the raw files of entries [0, @p n) (manifest order: the
 * first failing one is the error), unless the corpus is opened with
 * POSDIFF_CORPUS_OPEN_NO_STAT; the clock is read before (rawhash.c).
 */
int corpus_stat_entries(posdiff_corpus *c, size_t n);

/**
 * Size of @p st's raw file, checked as posdiff_corpus_open checks it
 * (inside the corpus through symlinks, a regular file): the stat taken
 * on open, else taken now (and kept).  0, or -1 when the file fails
 * those checks (no error set: posdiff build and check report it).
 */
int corpus_file_checked(const posdiff_corpus *c, const posdiff_statement *st,
                        uintmax_t *size);

/**
 * The stat of @p st's raw file taken when the corpus was opened (it
 * followed symlinks inside the corpus and gave a regular file), and in
 * *@p clock_ns the real-time clock read before any of those stats, for
 * racy-timestamp checks (rawhash.c).  0, or -1 if unknown.
 */
int corpus_file_stat(const posdiff_corpus *c, const posdiff_statement *st,
                     corpus_stat *out, unsigned long long *clock_ns);

/* What corpus_manifest_current tells of statements.conf. */
typedef struct {
    const char *data; /* its bytes (the corpus's, borrowed), or NULL when
                       * the corpus did not keep them (opened from its cache) */
    size_t len;       /* its length */
    int simple;       /* of manifest_parse.c's subset */
    int ends_nl;      /* its last byte is a line end */
} corpus_manifest;

/**
 * Is statements.conf still what @p c was opened from?  1 when @p c was
 * opened from the corpus directory @p dir (same real path) and the file
 * holds exactly those bytes (read in chunks, compared as they come; a
 * corpus opened from its cache compares the cached prefix's sum and the
 * rest), with *@p m filled; 0 if not, or when libgit2 read the file.
 */
int corpus_manifest_current(const posdiff_corpus *c, const char *dir, corpus_manifest *m);

/* Ask the kernel to start reading statement @p st's raw file (a hint
 * for a reader a few statements behind: normahead.c). */
void corpus_prefetch(const posdiff_corpus *c, const posdiff_statement *st);

#endif
