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

/** Whether s[i] is the backslash of a CommonMark escape in s[0..n). */
int md_is_escape(const char *s, size_t n, size_t i);

/**
 * The inline word diff of a passage against its predecessor (see
 * render_words.c); @p unescape drops Markdown backslash escapes.
 */
void render_words(FILE *f, const posdiff_passage *p, int color, int unescape);

/** The Markdown changelog (render_markdown.c): document title, */
void render_markdown_title(FILE *f, const char *title);
/** a position's section heading (@p entries: how many entries follow), */
void render_markdown_position(FILE *f, const posdiff_position *p, size_t entries);
/** one entry.  Each call writes complete CommonMark blocks. */
void render_markdown_entry(FILE *f, const posdiff_history_entry *e,
                           const posdiff_step *step, size_t position);

#endif
