/*
 * render_diff.h - printing a comparison of two statements
 * (posdiff_compare): inline word diff, side by side, stat.  The formats
 * are described in cli/COMMANDS.md.
 */
#ifndef POSDIFF_RENDER_DIFF_H
#define POSDIFF_RENDER_DIFF_H

#include <stdio.h>

#include <posdiff/posdiff.h>

#include "render.h"

typedef struct {
    int color;             /* ANSI colours instead of [-..-]{+..+} markers */
    int side;              /* side by side, else inline */
    int width;             /* side by side: terminal columns */
    const char *old_label; /* "2021-12-14-oewg (2021-12-14)" */
    const char *new_label;
    const render_dates *dates; /* A's date for "was (DATE, A)" lines */
} diff_view;

/** "diff OLD -> NEW" and a blank line; side by side: the labels as two columns. */
void render_diff_header(FILE *f, const diff_view *v);
/** Group @p i: title line (when @p pos), then each changed, moved,
 *  restated, added or dropped passage: inline, one line each (a restated
 *  one followed by its "was" line), or in two columns that fit v->width. */
void render_diff_group(FILE *f, const posdiff_comparison *c, size_t i,
                       const posdiff_position *pos, const diff_view *v);
/** One --stat line: " NAME | N changed, N moved, N restated, N added,
 *  N dropped, N unchanged". */
void render_diff_stat(FILE *f, const char *name, int name_width,
                      const posdiff_compare_stat *s, const render_word_stat *w);

#endif
