/*
 * steplog.h - the aligner's steps, kept beside the history (internal).
 *
 * See steplog.c.  A cache: every failure to read or write it costs a
 * replay of the aligner later, never an error.
 */
#ifndef POSDIFF_STEPLOG_H
#define POSDIFF_STEPLOG_H

#include <git2.h>

#include "chain.h"
#include "posdiff/align.h"

typedef struct steplog steplog;

/**
 * Open the step log of the repository at @p repo_path for a build that
 * keeps the first @p kept commits of the chain @p old and appends after
 * them.  *@p covered is set to how many of those kept commits already have
 * their step recorded (the rest must be recorded with steplog_add, in
 * order, before new ones).  *@p out is NULL when the log cannot be used.
 */
void steplog_begin(steplog **out, size_t *covered, const char *repo_path,
                   const char *catalog_hex, const chain *old, size_t kept);

/** Record the step of commit @p commit (the next in the chain). */
void steplog_add(steplog *w, const git_oid *commit, const posdiff_step *s);

/** The build succeeded: the records join the log (NULL is fine). */
void steplog_commit(steplog *w);

/** Close; records not committed are dropped, the log is left as it was
 *  (NULL is fine). */
void steplog_end(steplog *w);

/**
 * Open the step log for reading; NULL when missing or written for another
 * catalog or posdiff version.
 */
steplog *steplog_open(const char *repo_path, const char *catalog_hex);

/**
 * The next recorded step if it belongs to commit @p commit_hex: 1 and
 * *@p out set (free with posdiff_step_free); 0 when it does not (no
 * more records, another commit, a torn or corrupt record).
 */
int steplog_next(posdiff_step **out, steplog *r, const char *commit_hex);

/** Before the first steplog_next: place @p r @p back records before the
 *  log's end (records are found from the end by their trailing length;
 *  steplog_next still checks each one's commit).  0, or -1 (then every
 *  steplog_next fails: the caller replays). */
int steplog_seek_back(steplog *r, size_t back);

/** Close a log opened with steplog_open (NULL is fine). */
void steplog_close(steplog *r);

#endif
