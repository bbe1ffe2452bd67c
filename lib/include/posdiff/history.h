/*
 * posdiff/history.h - the history repository: one commit per statement.
 *
 * A commit's tree holds statements/<year>/<id>.md (the normalized
 * statements so far, a directory per year of their dates) and
 * positions/<position>.md.  New objects are streamed into one packfile;
 * the branch moves last, with a compare-and-swap ref update, under a
 * lock.  Commits are reproducible: dates are the statement dates (UTC),
 * identities and messages derive from the manifest only.
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
POSDIFF_EXTERN int posdiff_history_build(posdiff_build_result *out, const posdiff_corpus *c,
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
POSDIFF_EXTERN int posdiff_history_open(posdiff_history **out, const posdiff_corpus *c,
                         const char *repo_path);
POSDIFF_EXTERN size_t posdiff_history_count(const posdiff_history *h);
POSDIFF_EXTERN const posdiff_history_entry *posdiff_history_entry_at(const posdiff_history *h,
                                                      size_t i);
/** The index of the (oldest) commit of statement @p id: 1 found, 0 not.  O(log N). */
POSDIFF_EXTERN int posdiff_history_find(size_t *index, const posdiff_history *h, const char *id);
/** Room for any posdiff_history_statement_path (ids have at most 128 bytes). */
#define POSDIFF_STATEMENT_PATH_MAX 160

/**
 * The path of statement @p id of date @p date (YYYY...) in a history
 * commit's tree: "statements/<year>/<id>.md".
 * @return 0, or POSDIFF_EINVALID if it does not fit @p size bytes
 */
POSDIFF_EXTERN int posdiff_history_statement_path(char *out, size_t size, const char *id, const char *date);

/** Read a file of commit @p i's tree (e.g. "positions/<id>.md"); malloc'ed. */
POSDIFF_EXTERN int posdiff_history_read(char **out, size_t *len, const posdiff_history *h,
                         size_t i, const char *path);
POSDIFF_EXTERN void posdiff_history_free(posdiff_history *h);

/**
 * A reader of many files of one commit's tree (e.g. every statement of
 * the tip, for a report): it keeps the tree and the last directory it
 * looked in, where posdiff_history_read looks each path up from the
 * commit (a large directory's tree read again per file).
 */
typedef struct posdiff_tree_reader posdiff_tree_reader;
/** A reader of commit @p i's tree (valid while @p h is).  0, POSDIFF_EGIT, POSDIFF_ENOMEM. */
POSDIFF_EXTERN int posdiff_tree_reader_new(posdiff_tree_reader **out, const posdiff_history *h,
                                           size_t i);
/** File @p path of the reader's tree; malloc'ed.  As posdiff_history_read. */
POSDIFF_EXTERN int posdiff_tree_reader_read(char **out, size_t *len, posdiff_tree_reader *r,
                                            const char *path);
POSDIFF_EXTERN void posdiff_tree_reader_free(posdiff_tree_reader *r);

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
POSDIFF_EXTERN int posdiff_changelog_walk(const posdiff_history *h, const posdiff_catalog *cat,
                           const posdiff_align_options *opts,
                           posdiff_changelog_cb cb, void *payload);
/** 1 when the step log serves walks with the default options (a walk of
 *  one commit costs one record), 0 when walks replay. */
POSDIFF_EXTERN int posdiff_changelog_recorded(const posdiff_history *h,
                                              const posdiff_catalog *cat);
/** posdiff_changelog_walk of the commits [@p from, @p to) only: with the
 *  step log, O(to - from) records read (found from the log's end);
 *  without, a replay from the first commit. */
POSDIFF_EXTERN int posdiff_changelog_walk_range(const posdiff_history *h,
                                                const posdiff_catalog *cat,
                                                const posdiff_align_options *opts, size_t from,
                                                size_t to, posdiff_changelog_cb cb,
                                                void *payload);

/** Default history path of a corpus (malloc'ed). */
POSDIFF_EXTERN char *posdiff_history_default_path(const posdiff_corpus *c);

/* ---- status without building (lib/history_status.c) ------------------- */

typedef enum {
    POSDIFF_HISTORY_UP_TO_DATE = 0, /**< every commit matches the corpus */
    POSDIFF_HISTORY_MISSING,        /**< no repository or no branch yet */
    POSDIFF_HISTORY_BEHIND,         /**< matches; statements to append */
    POSDIFF_HISTORY_DIVERGED        /**< a commit differs: a build rewrites from there */
} posdiff_history_state;

typedef struct {
    posdiff_history_state state;
    size_t matching;   /**< leading commits a build would keep */
    size_t commits;    /**< commits on the first-parent chain */
    size_t statements; /**< statements in the corpus */
} posdiff_history_status_result;

/**
 * Compare the history's first-parent chain (Statement-Id and
 * Posdiff-Input trailers) with what posdiff_history_build would write
 * for @p c, without writing anything and without the build lock.
 * The first statement a build would (re)write is statement
 * @p out->matching of the corpus (when it is < statements).
 * @param repo_path  NULL = the corpus's default history path
 * @return 0 (a missing history is a state, not an error), POSDIFF_EGIT
 *         (unreadable repository), or a corpus read error
 */
POSDIFF_EXTERN int posdiff_history_status(posdiff_history_status_result *out,
                           const posdiff_corpus *c, const char *repo_path);
/**
 * posdiff_history_status for a reader about to show the @p n statements
 * @p ids (NULL: all of them), at history indices @p at (NULL if not
 * known; a hint for posdiff_corpus_find_at): the stamp the last build
 * left answers "up to date" when the manifest, catalog, review
 * decisions, the directories of the raw files and the raw files of
 * @p ids are as that build saw them (O(n) stat calls); otherwise as
 * posdiff_history_status.
 */
POSDIFF_EXTERN int posdiff_history_status_of(posdiff_history_status_result *out,
                                             const posdiff_corpus *c, const char *repo_path,
                                             const char *const *ids, const size_t *at,
                                             size_t n);

/** "up-to-date", "missing", "behind" or "diverged". */
POSDIFF_EXTERN const char *posdiff_history_state_name(posdiff_history_state st);

/* ---- statement names (lib/resolve.c) ---- */

/**
 * Find the history commit named by @p name: a statement id; a date
 * (YYYY, YYYY-MM, YYYY-MM-DD) that exactly one statement's date falls
 * in or contains; either followed by git's ancestry suffixes ~N and ^
 * ("ID~1", "ID^", "2021-12~2^"): the statement that many before it in
 * the history; or a git revision of the history repository ("HEAD~1",
 * an abbreviated commit id) on the branch's first-parent chain.  Tried
 * in that order; a date-shaped name is never a revision.
 * @param index  receives the commit's index (posdiff_history_entry_at)
 * @return 0; POSDIFF_ENOTFOUND (nothing matches; the message says what
 *         and how to list the statements; ~N going back past the first
 *         statement); POSDIFF_EINVALID (a date
 *         matching several statements: the message lists them; an
 *         invalid date; an ambiguous commit id)
 */
POSDIFF_EXTERN int posdiff_history_resolve(size_t *index, const posdiff_history *h,
                            const char *name);

/* ---- blame (lib/blame.c) ---- */

/** Words of a passage introduced by one statement (read-only record). */
typedef struct {
    size_t start, len; /**< byte range in the passage text */
    size_t origin;     /**< history index of the statement that introduced them */
} posdiff_blame_run;

/** A passage of the position's current wording (read-only record). */
typedef struct {
    const char *text; size_t len;  /**< as in the latest statement stating it */
    size_t line;                   /**< its line there */
    const posdiff_blame_run *runs; /**< cover the text in order; neighbours differ in origin */
    size_t run_count;
} posdiff_blame_passage;

typedef struct posdiff_blame posdiff_blame;

/**
 * Who said it first: replay the history (posdiff_changelog_walk) and
 * follow every word of position @p position's passages.  A word kept
 * by the word diff (EQUAL) inherits its predecessor's origin; an
 * inserted word, or any word of an added passage, gets the statement
 * being replayed.
 * @param out  free with posdiff_blame_free()
 * @return 0, POSDIFF_EINVALID (no such position), or any walk error
 */
POSDIFF_EXTERN int posdiff_blame_position(posdiff_blame **out, const posdiff_history *h,
                           const posdiff_catalog *cat, size_t position,
                           const posdiff_align_options *opts);
/** History index of the latest statement stating the position; (size_t)-1 if none. */
POSDIFF_EXTERN size_t posdiff_blame_statement(const posdiff_blame *b);
/** The current wording's passages, in that statement's order. */
POSDIFF_EXTERN size_t posdiff_blame_count(const posdiff_blame *b);
POSDIFF_EXTERN const posdiff_blame_passage *posdiff_blame_passage_at(const posdiff_blame *b,
                                                      size_t k);
POSDIFF_EXTERN void posdiff_blame_free(posdiff_blame *b);

#ifdef __cplusplus
}
#endif
#endif
