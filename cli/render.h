/*
 * render.h - turning alignment records into text.  Each renderer
 * writes one entry (one statement's view of one position) to a stream.
 */
#ifndef POSDIFF_RENDER_H
#define POSDIFF_RENDER_H

#include <stdio.h>

#include <posdiff/posdiff.h>

/** A JSON string literal for s[0..n). */
void json_string(FILE *f, const char *s, size_t n);
/** The same for a NUL-terminated string, or null for NULL. */
void json_cstring(FILE *f, const char *s);

/** One entry of the `log --format=json` contract (see cli/JSON.md). */
void render_json_entry(FILE *f, const posdiff_history_entry *e,
                       const posdiff_step *step, size_t position);

typedef struct {
    int color; /* emit ANSI colours */
} render_text_options;

/** One entry of the text changelog. */
void render_text_entry(FILE *f, const posdiff_history_entry *e,
                       const posdiff_step *step, size_t position,
                       const render_text_options *o);

#endif
