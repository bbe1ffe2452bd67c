/*
 * posdiff/catalog.h - the catalog of positions and phrase matching.
 *
 * A position is anchored by `match` phrases.  A sentence states the
 * position when one phrase occurs in it: case-insensitive (Unicode case
 * folding), each word reduced to its Snowball English stem, the phrase's
 * content words in order with at most POSDIFF_MATCH_GAP other words
 * between two consecutive ones; an occurrence that starts inside an
 * occurrence of one of the position's `exclude` phrases does not count
 * ("permanent mechanism" inside "future permanent mechanism").  Optional
 * `example` sentences let restatements without an anchor phrase join
 * the position (the aligner compares sentences with them).
 */
#ifndef POSDIFF_CATALOG_H
#define POSDIFF_CATALOG_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Most words allowed between two consecutive words of a phrase. */
#define POSDIFF_MATCH_GAP 2

/** What an analyst decided about a sentence of a statement (review.conf). */
typedef enum {
    POSDIFF_REVIEW_PASSAGE,     /**< the sentence is a passage of the position */
    POSDIFF_REVIEW_NOT_PASSAGE, /**< it is not */
    POSDIFF_REVIEW_SAME,        /**< it restates the earlier passage (a strong link) */
    POSDIFF_REVIEW_NOT_SAME     /**< it does not restate the earlier passage (no link) */
} posdiff_review_kind;

/** A review decision, keyed by statement id and sentence text (as in the
 *  normalized statement), so that it survives rebuilds. */
typedef struct {
    posdiff_review_kind kind;
    const char *statement, *text;
    const char *old_statement, *old_text; /**< SAME, NOT_SAME: the earlier passage */
} posdiff_review;

/** "passage", "not-passage", "same" or "not-same": the key of @p k in
 *  review.conf (NULL for no kind). */
POSDIFF_EXTERN const char *posdiff_review_kind_name(posdiff_review_kind k);

/** A catalogued position (read-only record). */
typedef struct {
    const char *id;            /**< [a-z0-9][a-z0-9.-]* */
    const char *title;
    const char *const *match;  /**< anchor phrases */
    size_t match_count;
    const char *const *exclude; /**< phrases inside which a match does not count */
    size_t exclude_count;
    const char *const *example; /**< sentences that state the position */
    size_t example_count;
    const posdiff_review *review; /**< the analyst's decisions (review.conf) */
    size_t review_count;
} posdiff_position;

typedef struct posdiff_catalog posdiff_catalog;

/**
 * Build a catalog (copies everything, pre-stems the phrases).
 * @param out  receives the catalog; free with posdiff_catalog_free()
 * @return 0, POSDIFF_EINVALID (bad id, no phrase), POSDIFF_ENOMEM
 */
POSDIFF_EXTERN int posdiff_catalog_new(posdiff_catalog **out, const posdiff_position *positions,
                        size_t count);
POSDIFF_EXTERN size_t posdiff_catalog_count(const posdiff_catalog *cat);
/** The i-th position, catalog order (owned by @p cat). */
POSDIFF_EXTERN const posdiff_position *posdiff_catalog_position(const posdiff_catalog *cat,
                                                 size_t i);
/** Index of the position named @p id, or -1. */
POSDIFF_EXTERN long posdiff_catalog_find(const posdiff_catalog *cat, const char *id);
/** 1 if some phrase of position @p i occurs in the text (outside its
 *  exclude phrases), else 0. */
POSDIFF_EXTERN int posdiff_catalog_matches(const posdiff_catalog *cat, size_t i,
                                           const char *text, size_t len);
POSDIFF_EXTERN void posdiff_catalog_free(posdiff_catalog *cat);

#ifdef __cplusplus
}
#endif
#endif
