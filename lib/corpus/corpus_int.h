/*
 * corpus_int.h - internal: an open corpus as corpus.c, corpus_files.c
 * (its raw files) and corpus_edit.c (add) see it.
 */
#ifndef POSDIFF_CORPUS_INT_H
#define POSDIFF_CORPUS_INT_H

#include <stdint.h>

#include <git2.h>

#include "corpus_cache.h"
#include "manifest.h"
#include "util/hashmap.h"
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
    size_t conf_len;           /* statements.conf as read: its bytes */
    uint64_t conf_sum;         /* and their cachesum64 */
    unsigned long long open_clock; /* ns, real-time clock before the manifest was looked at */
    mfile statements;          /* the records' strings: read from the file, */
    corpus_cache cache;        /* or from its cache */
    mfile positions;
    posdiff_statement *st;     /* corpus order */
    size_t count;
    hashmap by_id;             /* id -> index + 1 in st (posdiff_corpus_find, on demand) */
    int by_id_built;           /* by_id holds every statement */
    size_t finds;              /* lookups answered by a scan so far */
    size_t entries;            /* statements in the manifest (count once valid) */
    int cacheable;             /* valid, no warning, a file read whole (manifest.h) */
    corpus_stat *stats;        /* by manifest_index: raw file's stat on open */
    unsigned long long stat_clock; /* ns, real-time clock before those stats */
    posdiff_catalog *catalog;
    size_t max_bytes;
    unsigned flags;            /* posdiff_corpus_open_ext */
};

/* corpus_files.c */

/** Set "<statements.conf>: statement "<id>": <what>" (POSDIFF_EINVALID). */
int corpus_entry_error(const posdiff_corpus *c, const char *id, const char *what);

/* review.c: <corpus>/review.conf (optional) into the review lists of
 * @p pos[0..n), owned by them until corpus_review_free(); its warnings
 * join the catalog's. */
int corpus_review_load(posdiff_corpus *c, posdiff_position *pos, size_t n);
void corpus_review_free(posdiff_position *pos, size_t n);

/**
 * Check and stat the raw files of entries [0, @p n) (c->st in manifest
 * order: the first failing one is the error), unless the corpus is
 * opened with POSDIFF_CORPUS_OPEN_NO_STAT; the clock is read before
 * (rawhash.c).
 */
int corpus_stat_entries(posdiff_corpus *c, size_t n);

/**
 * Stat the raw files not stat'ed on open (POSDIFF_CORPUS_OPEN_NO_STAT),
 * checked as the open checks them; those failing stay untaken (no error
 * set: posdiff build and check report them).
 */
void corpus_stat_rest(const posdiff_corpus *c);

/**
 * The stat of @p st's raw file taken when the corpus was opened (a
 * regular file reached through no symlink), and in
 * *@p clock_ns the real-time clock read before any of those stats, for
 * racy-timestamp checks (rawhash.c).  0, or -1 if unknown.
 */
int corpus_file_stat(const posdiff_corpus *c, const posdiff_statement *st,
                     corpus_stat *out, unsigned long long *clock_ns);

/**
 * Open @p st's raw file for reading, beneath the corpus and through no
 * symlink: each folder on its path is opened from the one before with
 * O_NOFOLLOW, then the file (O_NONBLOCK: a FIFO does not block), so a
 * link swapped in since the open's checks is refused, never followed.
 * 0 with *@p fd, or an error naming statements.conf and the entry.
 */
int corpus_open_raw(int *fd, const posdiff_corpus *c, const posdiff_statement *st);

/* corpus.c */

/**
 * After `add` appended the section @p added (as read back) to the
 * manifest @p c was opened from, giving @p len bytes of sum @p sum:
 * cache the statements of the new manifest, as an open would check
 * them.  Best effort: nothing is cached when that is not sure.
 */
/** What is wrong with the fnmatch(3) strip glob @p g (which would match
 *  only itself, or nothing): the fix, as a phrase; or NULL. */
const char *corpus_glob_problem(const char *g);

void corpus_keep_appended(const posdiff_corpus *c, const mfile *added, size_t len,
                          uint64_t sum);

/** posdiff_corpus_normalize, and the blob id of the bytes it read into @p raw_id
 * unless NULL (a build commits that id with the text: history.c). */
int corpus_normalize(posdiff_normalized **out, git_oid *raw_id, const posdiff_corpus *c,
                     const posdiff_statement *st);

/* Ask the kernel to start reading statement @p st's raw file (a hint
 * for a reader a few statements behind: normahead.c). */
void corpus_prefetch(const posdiff_corpus *c, const posdiff_statement *st);

#endif
