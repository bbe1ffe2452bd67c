/*
 * posdiff/check.h - validate a corpus and report what new statements
 * change (the engine of `posdiff check`; rules in cli/CHECK.md).
 *
 * posdiff_check_run reads and normalizes every statement once, in
 * corpus order, and records findings:
 *
 *   invalid   a statement that cannot be read or normalized, a
 *             normalization that is not idempotent, two statement files
 *             with identical bytes, a history repository that does not
 *             match the corpus (unless rebuilt: opts->build);
 *   warning   a manifest warning (unknown key...), a position whose
 *             phrases match no sentence of any statement;
 *   changes   for each "new" statement and each position: one finding
 *             per passage (changed, added, moved, unchanged, restated), one per
 *             dropped earlier passage, or one not-restated when the
 *             position was stated before but not by this statement.
 *
 * Changes come from a tracker stepped over the freshly normalized
 * statements, exactly as the history builder steps it, so they do not
 * depend on the history repository being up to date.
 */
#ifndef POSDIFF_CHECK_H
#define POSDIFF_CHECK_H

#include "history.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    POSDIFF_FINDING_INVALID = 0,
    POSDIFF_FINDING_WARNING,
    POSDIFF_FINDING_CHANGED,
    POSDIFF_FINDING_ADDED,
    POSDIFF_FINDING_DROPPED,
    POSDIFF_FINDING_NOT_RESTATED,
    POSDIFF_FINDING_UNCHANGED,
    POSDIFF_FINDING_MOVED,
    POSDIFF_FINDING_RESTATED, /**< the same point in new words (a weak link) */
    POSDIFF_FINDING_KIND_COUNT
} posdiff_finding_kind;

/** One finding (read-only record, owned by the check). */
typedef struct {
    posdiff_finding_kind kind;
    const char *rule;      /**< invalid/warning: see CHECK.md ("normalize",
                                "idempotent", "duplicate", "history",
                                "manifest", "no-match"); NULL for changes */
    const char *statement; /**< statement concerned, or NULL */
    const char *position;  /**< position id, or NULL */
    const char *file;      /**< relative to the corpus dir, or NULL */
    size_t line;           /**< 1-based line in @p file (raw); 0 = none */
    const char *message;   /**< one line; for problems, names the fix */
    /* changes only (else NULL/0): */
    const char *text; /**< the passage; NULL for dropped, not-restated */
    size_t len;
    size_t norm_line; /**< line in the normalized statement; 0 if none */
    const char *prev_statement; /**< the predecessor's statement; dropped: the
                                     dropped passage's; not-restated: the
                                     last statement that stated the position */
    const char *prev_text;      /**< predecessor text (dropped: the dropped
                                     passage), or NULL */
    size_t prev_len;
    double similarity;
    posdiff_link link;
    const posdiff_op *ops; /**< prev_text -> text */
    size_t op_count;
} posdiff_finding;

typedef struct {
    unsigned int version;       /**< POSDIFF_CHECK_OPTIONS_VERSION */
    const char *const *new_ids; /**< statements to report (ids); NULL = the
                                     newest; non-NULL with count 0 = none */
    size_t new_count;
    int history;           /**< 1 = check the history repository */
    int build;             /**< 1 = rebuild it when it does not match */
    const char *repo_path; /**< NULL = the corpus's default */
    const posdiff_align_options *align; /**< NULL = defaults */
} posdiff_check_options;

#define POSDIFF_CHECK_OPTIONS_VERSION 1
#define POSDIFF_CHECK_OPTIONS_INIT                                             \
    {                                                                          \
        POSDIFF_CHECK_OPTIONS_VERSION, NULL, 0, 1, 0, NULL, NULL               \
    }

/** What happened to the history repository (when opts->history). */
typedef struct {
    posdiff_history_status_result status; /**< before any build */
    int built;                            /**< 1 if this check rebuilt it */
    posdiff_build_result build;           /**< valid when built */
} posdiff_check_history;

typedef struct posdiff_check posdiff_check;

/**
 * Validate @p c and report the changes of the new statements.
 * @param out  free with posdiff_check_free()
 * @return 0 (findings are results, not errors); POSDIFF_ENOTFOUND (a
 *         new id names no statement), POSDIFF_ELOCKED / POSDIFF_EGIT /
 *         POSDIFF_EIO (history unreadable or the build failed),
 *         POSDIFF_ENOMEM
 */
POSDIFF_EXTERN int posdiff_check_run(posdiff_check **out, const posdiff_corpus *c,
                      const posdiff_check_options *opts);
POSDIFF_EXTERN size_t posdiff_check_count(const posdiff_check *k);
/** The i-th finding: problems in corpus order, then the changes. */
POSDIFF_EXTERN const posdiff_finding *posdiff_check_finding(const posdiff_check *k, size_t i);
/** The statements whose changes were reported, corpus order. */
POSDIFF_EXTERN size_t posdiff_check_new_count(const posdiff_check *k);
POSDIFF_EXTERN const posdiff_statement *posdiff_check_new(const posdiff_check *k, size_t i);
/** NULL when opts->history was 0. */
POSDIFF_EXTERN const posdiff_check_history *posdiff_check_history_of(const posdiff_check *k);
POSDIFF_EXTERN void posdiff_check_free(posdiff_check *k);

/** "invalid", "warning", "changed", "added", "dropped", "not-restated",
 *  "unchanged", "moved", "restated". */
POSDIFF_EXTERN const char *posdiff_finding_kind_name(posdiff_finding_kind kind);
/** The kind named @p name[0..len), or -1. */
POSDIFF_EXTERN int posdiff_finding_kind_parse(const char *name, size_t len);

/**
 * Statements whose manifest entry is new since revision @p rev of the
 * git repository holding the corpus (found with git_repository_discover
 * from the corpus dir): the ids of the current statements.conf that
 * REV's statements.conf (same path in REV's tree) lacks.
 * @param ids    malloc'ed array of malloc'ed ids, corpus order
 * @return 0, POSDIFF_ENOTFOUND (no repository), POSDIFF_EINVALID (bad
 *         revision), POSDIFF_EGIT
 */
POSDIFF_EXTERN int posdiff_check_since_rev(char ***ids, size_t *count, const posdiff_corpus *c,
                            const char *rev);
POSDIFF_EXTERN void posdiff_check_ids_free(char **ids, size_t count);

/**
 * The corpus dir relative to the root of the git work tree holding it,
 * with a trailing '/' ("corpus/"; "" at the root); without a repository,
 * relative to the current directory, else the absolute path.
 * @param out  malloc'ed
 */
POSDIFF_EXTERN int posdiff_check_path_prefix(char **out, const posdiff_corpus *c);

#ifdef __cplusplus
}
#endif
#endif
