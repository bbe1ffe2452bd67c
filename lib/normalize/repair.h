/*
 * repair.h - internal: repair extraction defects in clean lines.
 */
#ifndef POSDIFF_REPAIR_H
#define POSDIFF_REPAIR_H

#include "textclean.h"

/** Restore missing spaces after . , ; ("community.The"). */
int repair_spaces(tc_lines *l);

/**
 * Join blocks split by page breaks: a block not ending in . ! ? : and a
 * following text block that starts lowercase, or after a function word.
 * @param line_mode  every line is a block (blocks_line_mode())
 */
int repair_joins(tc_lines *l, int line_mode);

#endif
