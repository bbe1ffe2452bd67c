/*
 * repair.h - internal: repair extraction defects in clean lines.
 */
#ifndef POSDIFF_REPAIR_H
#define POSDIFF_REPAIR_H

#include "textclean.h"

/*
 * Each repair records what it did in @p chg (posdiff_change records,
 * by raw line), unless @p chg is NULL.
 */

/** Restore missing spaces after . , ; ("community.The"). */
int repair_spaces(tc_lines *l, tc_removals *chg);

/** Join words hyphenated across a line break (hyphen.c). */
int repair_hyphens(tc_lines *l, tc_removals *chg);

/**
 * Restore a missing space before an opening '"' or after a closing one
 * glued to a word (idea of"finding, "shared"future), in sentences whose
 * quotes pair up.
 */
int repair_quotes(tc_lines *l, int line_mode, tc_removals *chg);

/**
 * Join blocks split by page breaks: a block not ending in . ! ? : and a
 * following text block that starts lowercase, or after a function word.
 * @param line_mode  every line is a block (blocks_line_mode())
 */
int repair_joins(tc_lines *l, int line_mode, tc_removals *chg);

#endif
