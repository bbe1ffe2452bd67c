/*
 * posdiff/discover.h - recurring passages the catalog does not track.
 *
 * A discovery steps every statement through a tracker (as a build does)
 * to learn which sentences are passages, then groups the other
 * sentences restated across statements (similarity, align.h, at or above
 * the join bar: the bar at which the aligner lets a sentence join a
 * position without a phrase), and suggests `match` phrases for each
 * group.  With a position, it lists instead the sentences that restate
 * one of the position's passages but are not its passages.
 */
#ifndef POSDIFF_DISCOVER_H
#define POSDIFF_DISCOVER_H

#include "align.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
    unsigned int version;  /**< POSDIFF_DISCOVER_OPTIONS_VERSION */
    size_t min_statements; /**< 0 = default (3): least statements of a group */
    long position;         /**< -1: groups; else the catalog index of P */
    double threshold;      /**< 0 = default: the aligner's join bar (0.5) */
} posdiff_discover_options;

#define POSDIFF_DISCOVER_OPTIONS_VERSION 1
#define POSDIFF_DISCOVER_OPTIONS_INIT {POSDIFF_DISCOVER_OPTIONS_VERSION, 0, -1, 0}

/** A sentence found (read-only record). */
typedef struct {
    size_t statement;       /**< the order it was added in (0-based) */
    const char *text; size_t len;
    size_t line;            /**< in the normalized statement */
} posdiff_found;

/** A candidate position, or (with a position) one sentence (read-only). */
typedef struct {
    const posdiff_found *sentences; /**< one per statement, in order */
    size_t count;
    const char *const *phrases;     /**< suggested `match` phrases, best first */
    size_t phrase_count;
    const posdiff_found *like;      /**< with a position: the passage it
                                         restates; else NULL */
    double similarity;              /**< to @p like */
} posdiff_candidate;

typedef struct posdiff_discovery posdiff_discovery;

/** @p cat must outlive the discovery.  0, POSDIFF_EINVALID, POSDIFF_ENOMEM. */
POSDIFF_EXTERN int posdiff_discovery_new(posdiff_discovery **out, const posdiff_catalog *cat,
                                         const posdiff_discover_options *opts);
/** Feed the next statement (in date order); texts are copied. */
POSDIFF_EXTERN int posdiff_discovery_add(posdiff_discovery *d, const char *statement_id,
                                         const posdiff_sentence *s, size_t count);
/** Group what was fed; then read the candidates.  0 or POSDIFF_ENOMEM. */
POSDIFF_EXTERN int posdiff_discovery_run(posdiff_discovery *d);
POSDIFF_EXTERN size_t posdiff_discovery_count(const posdiff_discovery *d);
POSDIFF_EXTERN const posdiff_candidate *posdiff_discovery_at(const posdiff_discovery *d,
                                                             size_t i);
POSDIFF_EXTERN void posdiff_discovery_free(posdiff_discovery *d);

#ifdef __cplusplus
}
#endif
#endif
