/*
 * posdiff/align.h - follow positions across a series of statements.
 *
 * A tracker holds, for every position of a catalog, its current passages
 * (those of the most recent statement that stated it), its dormant ones
 * (stated earlier, not restated since) and how telling each word is.
 * Feeding it the next statement's sentences (posdiff_tracker_step) finds
 * that statement's passages of each position (phrase matches, sections
 * under a matching heading, sentences that restate a passage or an
 * example), links each to the earlier passages it restates (strong
 * links: the same point reworded, shown as a word diff; weak links:
 * restated; revivals of dormant passages; splits and merges), reports
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
#include "segment.h"
#include "tokdiff.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A sentence of a normalized statement (read-only record). */
typedef struct {
    const char *text; /**< not NUL-terminated; points into the caller's text */
    size_t len;
    size_t line;      /**< 1-based line in the normalized file */
    int heading;      /**< a heading's level (1-6; 1: the title), else 0: a
                           label, never a passage of a position */
} posdiff_sentence;

/**
 * The units the aligner follows in a normalized statement: every line
 * (sentence) of a paragraph, list item or heading of the body, without
 * block markers (`- `, `## `), front matter excluded; a line holding an
 * enumeration ("the following: A; B; C") or a long quotation is cut
 * into those items and quotations (lib/clause.h).
 * @param out  malloc'ed array (free with free()); texts point into @p md
 */
POSDIFF_EXTERN int posdiff_doc_sentences(posdiff_sentence **out, size_t *count,
                          const char *md, size_t len);

typedef enum {
    POSDIFF_PASSAGE_ADDED = 0, /**< no earlier passage restated */
    POSDIFF_PASSAGE_CHANGED,   /**< strong link, reworded */
    POSDIFF_PASSAGE_UNCHANGED, /**< strong link, word for word */
    POSDIFF_PASSAGE_MOVED,     /**< strong link, out of the earlier order */
    POSDIFF_PASSAGE_RESTATED   /**< weak link: the same point in new words */
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
    POSDIFF_LINK_SPLIT,     /**< its predecessor is also another passage's */
    POSDIFF_LINK_MERGE      /**< it restates several earlier passages (sources) */
} posdiff_link;

/** An earlier passage a passage restates (read-only). */
typedef struct {
    const char *statement;
    const char *text; size_t len;
    double similarity;
} posdiff_source;

/** One passage of a position in the statement just stepped (read-only). */
typedef struct {
    const char *text; size_t len;  /**< as in the normalized statement */
    size_t line;                   /**< its line there */
    posdiff_passage_status status;
    posdiff_link link;
    const char *prev_statement;    /**< the main predecessor's statement; NULL when added */
    const char *prev_text;         /**< the main predecessor's text */
    size_t prev_len;
    double similarity;             /**< to the main predecessor; 0 when added */
    const posdiff_op *ops;         /**< prev_text -> text; text only when added */
    size_t op_count;
    int revived;                   /**< the predecessor is dormant: stated by a
                                        statement before the last one stating
                                        the position */
    int reviewed;                  /**< an analyst's decision (review.conf) made
                                        it a passage or linked it */
    const posdiff_source *sources; /**< every passage it restates, main first */
    size_t source_count;
} posdiff_passage;

/** An earlier passage with no successor (read-only). */
typedef struct {
    const char *statement;
    const char *text; size_t len;
} posdiff_dropped;

/** The default bars (posdiff_align_options): any link, a strong link,
 *  a sentence without a phrase joining a position. */
#define POSDIFF_WEAK_BAR 0.15
#define POSDIFF_STRONG_BAR 0.5
#define POSDIFF_JOIN_BAR 0.5

/** Why a sentence is a passage of a position. */
typedef enum {
    POSDIFF_WHY_PHRASE,  /**< a match phrase occurs in it */
    POSDIFF_WHY_SECTION, /**< it stands under a heading a match phrase occurs in */
    POSDIFF_WHY_JOIN,    /**< it resembles an example or a passage, at the join bar */
    POSDIFF_WHY_REVIEW   /**< an analyst's decision (review.conf) */
} posdiff_why_kind;

/** The explanation of a passage (posdiff_tracker_explain). */
typedef struct {
    posdiff_why_kind member;
    const char *phrase;          /**< PHRASE, SECTION: the phrase that matched */
    size_t word_start, word_end; /**< PHRASE: its words, from 0, inclusive */
    size_t heading_line;         /**< SECTION: the heading's line */
    const char *joined;          /**< JOIN: the example or passage it resembles */
    double joined_similarity;    /**< JOIN: how much */
    const posdiff_source *candidates; /**< the earlier passages of the position, most
                                           similar first (at most 5, similarity > 0) */
    const unsigned char *dormant;     /**< per candidate: 1 if dormant (stated before
                                           the last statement stating the position) */
    size_t candidate_count;
} posdiff_why;

typedef struct {
    unsigned int version;       /**< POSDIFF_ALIGN_OPTIONS_VERSION */
    double link_threshold;      /**< 0 = default: min similarity of any link (weak bar) */
    double unmatched_threshold; /**< 0 = default: min similarity for a sentence no
                                     phrase anchors to join a position */
    double strong_threshold;    /**< 0 = default: min similarity of a strong link */
} posdiff_align_options;

#define POSDIFF_ALIGN_OPTIONS_VERSION 2
#define POSDIFF_ALIGN_OPTIONS_INIT {POSDIFF_ALIGN_OPTIONS_VERSION, 0, 0, 0}

typedef struct posdiff_tracker posdiff_tracker;
typedef struct posdiff_step posdiff_step;

/** New tracker with no statement seen; @p cat must outlive it. */
POSDIFF_EXTERN int posdiff_tracker_new(posdiff_tracker **out, const posdiff_catalog *cat,
                        const posdiff_align_options *opts);
POSDIFF_EXTERN void posdiff_tracker_free(posdiff_tracker *t);
/** 1 if decision @p r of position @p p (posdiff_position.review) found
 *  its sentence (and earlier passage) in a statement stepped so far. */
POSDIFF_EXTERN int posdiff_tracker_review_used(const posdiff_tracker *t, size_t p, size_t r);

/**
 * Feed the next statement.  The sentence texts are copied.
 * @param out  the per-position result; free with posdiff_step_free()
 */
POSDIFF_EXTERN int posdiff_tracker_step(posdiff_step **out, posdiff_tracker *t,
                         const char *statement_id,
                         const posdiff_sentence *sentences, size_t count);

/** positions/<id>.md content for position @p i (malloc'ed, NUL-terminated). */
POSDIFF_EXTERN int posdiff_tracker_render(char **out, size_t *len, const posdiff_tracker *t,
                           size_t i);
/** Restore position @p i's state from a positions/<id>.md content. */
POSDIFF_EXTERN int posdiff_tracker_load(posdiff_tracker *t, size_t i, const char *md,
                         size_t len);

POSDIFF_EXTERN posdiff_entry_status posdiff_step_status(const posdiff_step *s, size_t i);
POSDIFF_EXTERN size_t posdiff_step_passage_count(const posdiff_step *s, size_t i);
POSDIFF_EXTERN const posdiff_passage *posdiff_step_passage(const posdiff_step *s, size_t i,
                                            size_t k);
POSDIFF_EXTERN size_t posdiff_step_dropped_count(const posdiff_step *s, size_t i);
POSDIFF_EXTERN const posdiff_dropped *posdiff_step_dropped(const posdiff_step *s, size_t i,
                                            size_t k);
POSDIFF_EXTERN void posdiff_step_free(posdiff_step *s);
/** With @p on, the steps that follow explain their passages (slower). */
POSDIFF_EXTERN void posdiff_tracker_explain(posdiff_tracker *t, int on);
/** Why passage @p k of position @p i is one, and what it was compared
 *  with; NULL unless the step was explained. */
POSDIFF_EXTERN const posdiff_why *posdiff_step_why(const posdiff_step *s, size_t i, size_t k);

POSDIFF_EXTERN const char *posdiff_passage_status_name(posdiff_passage_status st);
POSDIFF_EXTERN const char *posdiff_entry_status_name(posdiff_entry_status st);

/**
 * The words of @p a whose stem a content word of @p b shares (case and
 * inflection ignored, function words left out): what a restated passage
 * and the one it restates have in common, to highlight.
 * @param out  malloc'ed spans into @p a, ascending, a run of shared words
 *             separated by spaces as one span (free with free())
 * @return 0 or POSDIFF_ENOMEM
 */
POSDIFF_EXTERN int posdiff_shared_words(posdiff_span **out, size_t *count, const char *a,
                                        size_t alen, const char *b, size_t blen);

/* ---- comparing two statements (lib/compare.c) ---- */

/** A normalized statement given by its text (read-only record). */
typedef struct {
    const char *id;  /**< statement id ([a-z0-9][a-z0-9.-]*); NULL = "old"/"new" */
    const char *md;  /**< normalized Markdown (front matter allowed) */
    size_t len;
} posdiff_doc_text;

typedef struct posdiff_comparison posdiff_comparison;

/**
 * Compare statement @p a (the old) with statement @p b (the new), as the
 * tracker would align b if it came right after a.
 *
 * With a catalog: one group per position, in catalog order.  a's
 * passages of a position are its phrase matches; b's are its phrase
 * matches plus its sentences similar to one of a's.  A position that a
 * states and b does not is CHANGED, with every passage of a dropped.
 * Without (@p cat NULL): one group, the whole document: every unit of b
 * is aligned with every unit of a (no phrase needed).
 *
 * The texts are copied: records point into the comparison only.
 * @param out   free with posdiff_comparison_free()
 * @param opts  NULL for defaults
 * @return 0, POSDIFF_EINVALID (bad id or options), POSDIFF_ENOMEM
 */
POSDIFF_EXTERN int posdiff_compare(posdiff_comparison **out, const posdiff_catalog *cat,
                    const posdiff_doc_text *a, const posdiff_doc_text *b,
                    const posdiff_align_options *opts);
/** Groups: the catalog's positions, or 1 without a catalog. */
POSDIFF_EXTERN size_t posdiff_comparison_count(const posdiff_comparison *c);
POSDIFF_EXTERN posdiff_entry_status posdiff_comparison_status(const posdiff_comparison *c,
                                               size_t i);
/** Group @p i's passages in b, in b's order (every status). */
POSDIFF_EXTERN size_t posdiff_comparison_passage_count(const posdiff_comparison *c, size_t i);
POSDIFF_EXTERN const posdiff_passage *posdiff_comparison_passage(const posdiff_comparison *c,
                                                  size_t i, size_t k);
/** Group @p i's passages of a with no successor in b. */
POSDIFF_EXTERN size_t posdiff_comparison_dropped_count(const posdiff_comparison *c, size_t i);
POSDIFF_EXTERN const posdiff_dropped *posdiff_comparison_dropped(const posdiff_comparison *c,
                                                  size_t i, size_t k);
POSDIFF_EXTERN void posdiff_comparison_free(posdiff_comparison *c);

/** Passage counts of one group, by status. */
typedef struct {
    size_t changed, moved, added, dropped, unchanged, restated;
} posdiff_compare_stat;

POSDIFF_EXTERN void posdiff_comparison_stat(posdiff_compare_stat *out,
                             const posdiff_comparison *c, size_t i);

/**
 * A unified diff (git format, 3 lines of context, libgit2's
 * git_patch_from_buffers) of text @p a, named @p old_path, against
 * @p b, named @p new_path.  Empty when the texts are equal.
 * @param out  malloc'ed, NUL-terminated
 * @return 0, POSDIFF_EGIT, POSDIFF_ENOMEM
 */
POSDIFF_EXTERN int posdiff_unified_diff(char **out, size_t *len, const char *old_path,
                         const char *a, size_t alen, const char *new_path,
                         const char *b, size_t blen);
/** The same with @p context lines of context around each change (git's
 *  -U<n>; negative: the default, 3). */
POSDIFF_EXTERN int posdiff_unified_diff_ext(char **out, size_t *len, const char *old_path,
                             const char *a, size_t alen, const char *new_path,
                             const char *b, size_t blen, int context);

/*
 * Full tracker state.  Besides the active passages that positions/<id>.md
 * holds, a tracker keeps per position its dormant passages (each with
 * the statement that last stated it), and its vocabulary with each
 * word's sentence count (the weights); posdiff_tracker_load restores the
 * active passages only.  posdiff_tracker_save serializes everything
 * (format in lib/align/align_state.c), and posdiff_tracker_restore(t,
 * save(x)) makes t behave exactly like x on every later step.  The
 * options are not part of the state: t keeps its own.  On error the
 * tracker is left unchanged.
 */
/** Serialize every position's state (malloc'ed, NUL-terminated). */
POSDIFF_EXTERN int posdiff_tracker_save(char **out, size_t *len, const posdiff_tracker *t);
/** Replace the state of @p t, which must have the same catalog positions
 *  (ids, in order), by a posdiff_tracker_save() output. */
POSDIFF_EXTERN int posdiff_tracker_restore(posdiff_tracker *t, const char *data, size_t len);

#ifdef __cplusplus
}
#endif
#endif
