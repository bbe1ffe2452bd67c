/*
 * posdiff/tokdiff.h - word-level diff of two texts.
 *
 * Tokens are words (runs of letters/digits, with inner ' - . kept
 * together as in "don't", "cross-border", "3.5") and single punctuation
 * marks; the whitespace after a token belongs to that token, so the ops
 * always concatenate back to the inputs exactly.  The engine computes a
 * minimal edit script (Myers, linear space) and then a semantic cleanup
 * that folds short equalities trapped between changes into the change,
 * so a reworded clause reads as one deletion and one insertion.
 * Cost is bounded: past opts->max_cost the diff falls back to a coarser
 * result (documented in lib/tokdiff.c).
 */
#ifndef POSDIFF_TOKDIFF_H
#define POSDIFF_TOKDIFF_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    POSDIFF_OP_EQUAL = 0,
    POSDIFF_OP_DELETE = 1,
    POSDIFF_OP_INSERT = 2
} posdiff_op_kind;

/**
 * One diff record.  EQUAL covers the same bytes in old and new; DELETE
 * old only; INSERT new only.  Words are compared without the whitespace
 * around them, but where only whitespace differs (a passage that ends
 * where the other goes on, a doubled space) that whitespace is a DELETE
 * and/or INSERT, so each op's text can be printed once and the ops still
 * rebuild both inputs.  Each run of changes is one DELETE then one INSERT.
 */
typedef struct {
    posdiff_op_kind kind;
    size_t old_start, old_len; /**< byte range in the old text (len 0 for INSERT) */
    size_t new_start, new_len; /**< byte range in the new text (len 0 for DELETE) */
} posdiff_op;

typedef struct {
    unsigned int version;  /**< POSDIFF_TOKDIFF_OPTIONS_VERSION */
    int semantic_cleanup;  /**< 1 (default) = fold confetti equalities */
    size_t max_cost;       /**< edit-distance budget; 0 = default (see tokdiff.c) */
} posdiff_tokdiff_options;

#define POSDIFF_TOKDIFF_OPTIONS_VERSION 1
#define POSDIFF_TOKDIFF_OPTIONS_INIT {POSDIFF_TOKDIFF_OPTIONS_VERSION, 1, 0}

/**
 * Diff @p a against @p b word by word.
 *
 * @param out    receives a malloc'ed array of ops in order; free with free()
 * @param count  number of ops
 * @param opts   NULL for defaults
 * @return 0 or POSDIFF_ENOMEM
 */
POSDIFF_EXTERN int posdiff_tokdiff(posdiff_op **out, size_t *count, const char *a, size_t alen,
                    const char *b, size_t blen,
                    const posdiff_tokdiff_options *opts);

#ifdef __cplusplus
}
#endif
#endif
