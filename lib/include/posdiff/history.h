/*
 * posdiff/history.h - the history repository: one commit per statement.
 *
 * Objects are written into an in-memory ODB backend (libgit2 mempack)
 * and flushed as one packfile; the branch moves last, with a
 * compare-and-swap ref update, under a lock.  Commits are reproducible:
 * dates are the statement dates (UTC), identities and messages derive
 * from the manifest only.
 */
#ifndef POSDIFF_HISTORY_H
#define POSDIFF_HISTORY_H

#include "align.h"
#include "corpus.h"

#ifdef __cplusplus
extern "C" {
#endif

#define POSDIFF_HISTORY_BRANCH "refs/heads/main"

typedef struct {
    unsigned int version;   /**< POSDIFF_BUILD_OPTIONS_VERSION */
    const char *repo_path;  /**< NULL = <corpus>/.posdiff/history.git */
    /** called after each statement: (done, total, payload) */
    void (*progress)(size_t done, size_t total, void *payload);
    void *payload;
    int lock_timeout_ms;    /**< wait this long for the lock; 0 = default 30 s */
} posdiff_build_options;

#define POSDIFF_BUILD_OPTIONS_VERSION 1
#define POSDIFF_BUILD_OPTIONS_INIT {POSDIFF_BUILD_OPTIONS_VERSION, NULL, NULL, NULL, 0}

typedef struct {
    size_t kept;       /**< commits kept as they were */
    size_t appended;   /**< new commits after the kept ones (new statements) */
    size_t rewritten;  /**< commits replaced (changed or inserted earlier) */
    size_t total;      /**< commits in the history now */
    char head[41];     /**< hex id of the branch tip ("" for an empty corpus) */
    char old_head[41]; /**< before the build ("" if none) */
} posdiff_build_result;

/**
 * Bring the history repository up to date with the corpus.
 * @return 0, POSDIFF_ELOCKED, POSDIFF_EGIT, or any corpus error
 */
int posdiff_history_build(posdiff_build_result *out, const posdiff_corpus *c,
                          const posdiff_build_options *opts);

/** One commit of the history, oldest first (read-only record). */
typedef struct {
    char commit[41];       /**< hex id */
    const char *id;        /**< Statement-Id trailer */
    const char *date;      /**< Date trailer */
    const char *title;     /**< the message's first line */
    const char *venue;     /**< Venue trailer, or NULL */
} posdiff_history_entry;

typedef struct posdiff_history posdiff_history;

/**
 * Open the history repository at @p repo_path (NULL: the corpus's
 * default) and read its first-parent chain, oldest first.
 * @return 0, POSDIFF_ENOTFOUND (no history yet: run build), POSDIFF_EGIT
 */
int posdiff_history_open(posdiff_history **out, const posdiff_corpus *c,
                         const char *repo_path);
size_t posdiff_history_count(const posdiff_history *h);
const posdiff_history_entry *posdiff_history_entry_at(const posdiff_history *h,
                                                      size_t i);
/** Read a file of commit @p i's tree (e.g. "statements/<id>.md"); malloc'ed. */
int posdiff_history_read(char **out, size_t *len, const posdiff_history *h,
                         size_t i, const char *path);
void posdiff_history_free(posdiff_history *h);

/**
 * Called once per history commit, oldest first, with the alignment of
 * that statement against the earlier ones.  Return non-zero to stop
 * (that value is returned by posdiff_changelog_walk).
 */
typedef int (*posdiff_changelog_cb)(const posdiff_history_entry *entry,
                                    size_t index, const posdiff_step *step,
                                    void *payload);

/**
 * Replay the history through a tracker for the catalog @p cat and
 * report every statement's step to @p cb.
 */
int posdiff_changelog_walk(const posdiff_history *h, const posdiff_catalog *cat,
                           const posdiff_align_options *opts,
                           posdiff_changelog_cb cb, void *payload);

/** Default history path of a corpus (malloc'ed). */
char *posdiff_history_default_path(const posdiff_corpus *c);

#ifdef __cplusplus
}
#endif
#endif
