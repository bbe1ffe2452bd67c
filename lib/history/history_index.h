/*
 * history_index.h - internal: the history branch's first-parent chain
 * as a file beside the repository (<repo>/posdiff-index), so that
 * opening the history, finding a statement by id, date or commit and
 * listing entries cost O(log N), not a walk of N commits.
 *
 * The index is keyed by the branch tip: opening it when the tip moved
 * walks back from the new tip only to the first commit the old index
 * lists, then writes the index again (fsync'ed, renamed into place).
 */
#ifndef POSDIFF_HISTORY_INDEX_H
#define POSDIFF_HISTORY_INDEX_H

#include <stddef.h>

#include <git2.h>

typedef struct history_index history_index;

enum { HX_ID, HX_DATE, HX_TITLE, HX_VENUE, HX_FIELDS };

/**
 * Open the index of @p repo's branch (at @p path), bringing it up to
 * the branch tip first.  A branch that does not exist gives an empty
 * index.  The file is rewritten only when it lags; a file that cannot
 * be written leaves the index in memory.
 */
int history_index_open(history_index **out, git_repository *repo, const char *path);
void history_index_free(history_index *x);

size_t history_index_count(const history_index *x);
/** Commit @p i's id (oldest first). */
void history_index_oid(git_oid *out, const history_index *x, size_t i);
/** Field @p f of commit @p i (HX_VENUE may be NULL). */
const char *history_index_field(const history_index *x, size_t i, int f);

/** The commit whose Statement-Id is @p id (the oldest if several): 1 found. */
int history_index_find_id(size_t *i, const history_index *x, const char *id);
/** The commit @p oid on the chain: 1 found. */
int history_index_find_oid(size_t *i, const history_index *x, const git_oid *oid);
/**
 * The commits whose date overlaps @p name (one is a prefix of the other),
 * oldest first, into *hits (malloc'ed, may be NULL when none); their number.
 * (size_t)-1 when out of memory.
 */
size_t history_index_dates(size_t **hits, const history_index *x, const char *name);

#endif
