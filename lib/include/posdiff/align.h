/*
 * posdiff/align.h - follow positions across a series of statements.
 *
 * A tracker holds, for every position of a catalog, its current passages:
 * those of the most recent statement that stated it.  Feeding it the
 * next statement's sentences (posdiff_tracker_step) finds that
 * statement's passages of each position (phrase matches, plus sentences
 * similar enough to a current passage), aligns each with its predecessor
 * (1:1, moves, 1:2 splits, 2:1 merges), word-diffs them, reports
 * dropped passages, and makes the statement's passages current.
 *
 * The tracker's state for one position serializes to the
 * positions/<id>.md file of the history (posdiff_tracker_render) and is
 * restored from it (posdiff_tracker_load), so a build can resume at
 * any commit.
 */
#ifndef POSDIFF_ALIGN_H
#define POSDIFF_ALIGN_H

#include "catalog.h"
#include "tokdiff.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A sentence of a normalized statement (read-only record). */
typedef struct {
    const char *text; /**< not NUL-terminated; points into the caller's text */
    size_t len;
    size_t line;      /**< 1-based line in the normalized file */
} posdiff_sentence;

/**
 * The units the aligner follows in a normalized statement: every line
 * (sentence) of a paragraph, list item or heading of the body, without
 * block markers (`- `, `## `), front matter excluded; a line holding an
 * enumeration ("the following: A; B; C") or a long quotation is cut
 * into those items and quotations (lib/clause.h).
 * @param out  malloc'ed array (free with free()); texts point into @p md
 */
int posdiff_doc_sentences(posdiff_sentence **out, size_t *count,
                          const char *md, size_t len);

typedef enum {
    POSDIFF_PASSAGE_ADDED = 0,
    POSDIFF_PASSAGE_CHANGED,
    POSDIFF_PASSAGE_UNCHANGED,
    POSDIFF_PASSAGE_MOVED
} posdiff_passage_status;

typedef enum {
    POSDIFF_ENTRY_NOT_RESTATED = 0,
    POSDIFF_ENTRY_ADDED,     /**< first statement to state the position */
    POSDIFF_ENTRY_CHANGED,   /**< some passage added, changed, moved or dropped */
    POSDIFF_ENTRY_UNCHANGED  /**< restated word for word */
} posdiff_entry_status;

typedef enum {
    POSDIFF_LINK_NONE = 0,  /**< no predecessor (added) */
    POSDIFF_LINK_ONE,       /**< 1:1 */
    POSDIFF_LINK_SPLIT,     /**< one of the parts of an earlier passage split in two */
    POSDIFF_LINK_MERGE      /**< two earlier passages merged into this one */
} posdiff_link;

/** One passage of a position in the statement just stepped (read-only). */
typedef struct {
    const char *text; size_t len;  /**< as in the normalized statement */
    size_t line;                   /**< its line there */
    posdiff_passage_status status;
    posdiff_link link;
    const char *prev_statement;    /**< NULL when added */
    const char *prev_text;         /**< predecessor text (merge: both, joined by a space) */
    size_t prev_len;
    double similarity;             /**< to the predecessor; 0 when added */
    const posdiff_op *ops;         /**< prev_text -> text; text only when added */
    size_t op_count;
} posdiff_passage;

/** An earlier passage with no successor (read-only). */
typedef struct {
    const char *statement;
    const char *text; size_t len;
} posdiff_dropped;

typedef struct {
    unsigned int version;       /**< POSDIFF_ALIGN_OPTIONS_VERSION */
    double link_threshold;      /**< 0 = default: min similarity to be a successor */
    double unmatched_threshold; /**< 0 = default: min similarity for a non-matching sentence to join */
} posdiff_align_options;

#define POSDIFF_ALIGN_OPTIONS_VERSION 1
#define POSDIFF_ALIGN_OPTIONS_INIT {POSDIFF_ALIGN_OPTIONS_VERSION, 0, 0}

typedef struct posdiff_tracker posdiff_tracker;
typedef struct posdiff_step posdiff_step;

/** New tracker with no statement seen; @p cat must outlive it. */
int posdiff_tracker_new(posdiff_tracker **out, const posdiff_catalog *cat,
                        const posdiff_align_options *opts);
void posdiff_tracker_free(posdiff_tracker *t);

/**
 * Feed the next statement.  The sentence texts are copied.
 * @param out  the per-position result; free with posdiff_step_free()
 */
int posdiff_tracker_step(posdiff_step **out, posdiff_tracker *t,
                         const char *statement_id,
                         const posdiff_sentence *sentences, size_t count);

/** positions/<id>.md content for position @p i (malloc'ed, NUL-terminated). */
int posdiff_tracker_render(char **out, size_t *len, const posdiff_tracker *t,
                           size_t i);
/** Restore position @p i's state from a positions/<id>.md content. */
int posdiff_tracker_load(posdiff_tracker *t, size_t i, const char *md,
                         size_t len);

posdiff_entry_status posdiff_step_status(const posdiff_step *s, size_t i);
size_t posdiff_step_passage_count(const posdiff_step *s, size_t i);
const posdiff_passage *posdiff_step_passage(const posdiff_step *s, size_t i,
                                            size_t k);
size_t posdiff_step_dropped_count(const posdiff_step *s, size_t i);
const posdiff_dropped *posdiff_step_dropped(const posdiff_step *s, size_t i,
                                            size_t k);
void posdiff_step_free(posdiff_step *s);

const char *posdiff_passage_status_name(posdiff_passage_status st);
const char *posdiff_entry_status_name(posdiff_entry_status st);

#ifdef __cplusplus
}
#endif
#endif
