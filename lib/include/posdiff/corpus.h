/*
 * posdiff/corpus.h - a corpus: raw statements, statements.conf and
 * positions.conf (git-config syntax, read and written with libgit2's
 * config API).
 *
 * Corpus order is date, then manifest order for equal dates.  Every
 * entry is validated on open: id syntax, date, file path under the
 * corpus's statements/ (no .., no hidden part, no symlink), unique ids.
 */
#ifndef POSDIFF_CORPUS_H
#define POSDIFF_CORPUS_H

#include "catalog.h"
#include "normalize.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A statement's manifest entry (read-only record). */
typedef struct {
    const char *id;
    const char *file;      /**< relative to the corpus directory */
    const char *date;      /**< YYYY, YYYY-MM or YYYY-MM-DD */
    const char *title;
    const char *venue;
    const char *speaker;
    const char *source;
    const char *const *strip;
    size_t strip_count;
    size_t manifest_index; /**< position in statements.conf */
} posdiff_statement;

typedef struct posdiff_corpus posdiff_corpus;

/**
 * Find the corpus directory as git finds a repository: @p start or its
 * nearest parent holding statements.conf; else @p start/corpus.
 * @param out  malloc'ed absolute path
 */
POSDIFF_EXTERN int posdiff_corpus_discover(char **out, const char *start);

/**
 * Open and validate the corpus in @p dir.
 * @param out  free with posdiff_corpus_free()
 * @return 0, POSDIFF_ENOTFOUND, POSDIFF_EINVALID (message names the
 *         file, the entry and the fix), POSDIFF_EGIT
 */
POSDIFF_EXTERN int posdiff_corpus_open(posdiff_corpus **out, const char *dir);

/** posdiff_corpus_open_ext: do not look at the raw files (see there). */
#define POSDIFF_CORPUS_OPEN_NO_STAT 0x1u

/**
 * posdiff_corpus_open with @p flags.  With POSDIFF_CORPUS_OPEN_NO_STAT
 * the raw files are not looked at: an entry's file path is checked as
 * text only (under statements/, no "..", no hidden part, not another
 * entry's), not that it exists, is a regular file or is reached
 * through no symlink; reading such a file still fails cleanly.
 * For callers that read a few statements of a large corpus
 * (posdiff_corpus_add); builds and checks open with all checks.
 */
POSDIFF_EXTERN int posdiff_corpus_open_ext(posdiff_corpus **out, const char *dir, unsigned flags);

/**
 * Keep what opening @p c read from statements.conf, checked, in
 * <corpus>/.posdiff/corpus-cache (when that directory exists), so that
 * the next open of the same manifest need not read and check it again
 * (posdiff_corpus_add keeps the manifest it writes).  Nothing to do
 * when @p c was opened from there already, or its manifest gave
 * warnings.  Best effort (never fails); for programs that have just
 * updated the corpus or its history (posdiff build): read-only ones
 * leave the corpus directory as it is.
 */
POSDIFF_EXTERN void posdiff_corpus_keep(const posdiff_corpus *c);
POSDIFF_EXTERN void posdiff_corpus_free(posdiff_corpus *c);

POSDIFF_EXTERN const char *posdiff_corpus_dir(const posdiff_corpus *c);
POSDIFF_EXTERN size_t posdiff_corpus_count(const posdiff_corpus *c);
/** The i-th statement in corpus order. */
POSDIFF_EXTERN const posdiff_statement *posdiff_corpus_statement(const posdiff_corpus *c,
                                                  size_t i);
/** The statement named @p id, or NULL. */
POSDIFF_EXTERN const posdiff_statement *posdiff_corpus_find(const posdiff_corpus *c,
                                             const char *id);
/** posdiff_corpus_find, looking first at statement @p hint (e.g. the
 *  history index of a built statement, which is its place in the corpus
 *  when the history is up to date): O(1) when it is there. */
POSDIFF_EXTERN const posdiff_statement *posdiff_corpus_find_at(const posdiff_corpus *c,
                                                               const char *id, size_t hint);
POSDIFF_EXTERN const posdiff_catalog *posdiff_corpus_catalog(const posdiff_corpus *c);
/** The checks of an open without POSDIFF_CORPUS_OPEN_NO_STAT for the raw
 *  file of @p st alone: inside the corpus, through no symlink, a regular
 *  file.  0, or the error an open would give. */
POSDIFF_EXTERN int posdiff_corpus_check_raw(const posdiff_corpus *c, const posdiff_statement *st);

/** Warnings found on open (unknown keys...); messages name the file. */
POSDIFF_EXTERN size_t posdiff_corpus_warning_count(const posdiff_corpus *c);
POSDIFF_EXTERN const char *posdiff_corpus_warning(const posdiff_corpus *c, size_t i);

/**
 * Read a statement's raw bytes (size-limited), opened beneath the corpus
 * through no symlink (a link swapped in since the open is refused).
 * @param out  malloc'ed, NUL-terminated
 */
POSDIFF_EXTERN int posdiff_corpus_read(char **out, size_t *len, const posdiff_corpus *c,
                        const posdiff_statement *st);

/** Read and normalize a statement with its manifest rules and fields. */
POSDIFF_EXTERN int posdiff_corpus_normalize(posdiff_normalized **out, const posdiff_corpus *c,
                             const posdiff_statement *st);

/** Create an empty corpus in @p dir (created if missing). */
POSDIFF_EXTERN int posdiff_corpus_init(const char *dir);

/**
 * Record an analyst's decision on @p position in <dir>/review.conf
 * (created when missing), under the corpus lock; the caller checks that
 * the sentences are the statements' (the command `posdiff review` does).
 */
POSDIFF_EXTERN int posdiff_corpus_review_add(const char *dir, const char *position,
                                             const posdiff_review *r);

typedef struct {
    unsigned int version; /**< POSDIFF_ADD_OPTIONS_VERSION */
    const char *date;     /**< required */
    const char *id;       /**< NULL = derived from date and file name */
    const char *title, *venue, *speaker, *source;
    /**
     * Since version 2: the corpus of the same directory, already open
     * (borrowed), or NULL.  posdiff_corpus_add reads it instead of
     * opening the corpus again when, under the corpus lock,
     * statements.conf still holds the bytes this corpus was opened
     * from; otherwise it opens the corpus itself, as version 1 does.
     */
    const posdiff_corpus *corpus;
    /**
     * Since version 3: boilerplate line globs written as the entry's
     * `strip` lines, in order (validated as the manifest's are: an
     * invalid or empty glob is POSDIFF_EINVALID and nothing is written).
     */
    const char *const *strip;
    size_t strip_count;
} posdiff_add_options;

#define POSDIFF_ADD_OPTIONS_VERSION 3
#define POSDIFF_ADD_OPTIONS_INIT {POSDIFF_ADD_OPTIONS_VERSION, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0}

/**
 * Copy @p file's raw bytes into statements/ and record the entry; the
 * manifest is rewritten atomically under the corpus lock.  The file is
 * validated (UTF-8, size, emptiness, duplicate content) first; on any
 * error nothing in the corpus changes.  Options of versions 1 and 2
 * (without the corpus field, or the strip globs) are accepted as before.
 * @param id_out  if non-NULL, receives the id used (malloc'ed)
 * @return 0, POSDIFF_EINVALID (bad date, id or text; an unknown options
 *         version), POSDIFF_EEXISTS (id or content already there), or the
 *         error of opening the corpus or writing its files
 */
POSDIFF_EXTERN int posdiff_corpus_add(char **id_out, const char *dir, const char *file,
                       const posdiff_add_options *opts);


#ifdef __cplusplus
}
#endif
#endif
