/*
 * render.h - turning alignment records into text.  Each renderer
 * writes one entry (one statement's view of one position) to a stream.
 */
#ifndef POSDIFF_RENDER_H
#define POSDIFF_RENDER_H

#include <stdio.h>

#include <posdiff/posdiff.h>

/* ANSI colours of the text outputs. */
#define RED "\033[31m"
#define GREEN "\033[32m"
#define YELLOW "\033[33m"
#define CYAN "\033[36m"
#define BOLD "\033[1m"
#define DIM "\033[2m"
#define RESET "\033[m"

/** A JSON string literal for s[0..n). */
void json_string(FILE *f, const char *s, size_t n);
/** The same for a NUL-terminated string, or null for NULL. */
void json_cstring(FILE *f, const char *s);
/** A word diff's ops as a JSON array of {"op","text"} (cli/JSON.md). */
void json_ops(FILE *f, const posdiff_op *ops, size_t n, const char *old, const char *new);

/** One entry of the `log --format=json` contract (see cli/JSON.md). */
void render_json_entry(FILE *f, const posdiff_history_entry *e,
                       const posdiff_step *step, size_t position, const char *source);

/* ---- links beyond the word diff (render_restated.c, render_shared.c) ---- */

/** Statement dates for "was (DATE, ID)" lines: lookup(payload, id) gives
 *  the statement's date, or NULL when unknown.  @p anonymous: the
 *  statements have no ids (diff --no-index); lines name none. */
typedef struct {
    const char *(*lookup)(void *payload, const char *statement);
    void *payload;
    int anonymous;
} render_dates;

/** The date of @p statement through @p d, or NULL (no @p d, unknown). */
const char *render_date(const render_dates *d, const char *statement);

/** The mark of a passage status in the text outputs: + ~ = > and the
 *  restated mark. */
#define RENDER_MARK_RESTATED "\xe2\x89\x88" /* U+2248 ALMOST EQUAL TO */
const char *render_mark(posdiff_passage_status st);

/** The content words two texts share: spans in a, spans in b, in order. */
typedef struct {
    posdiff_span *a, *b;
    size_t na, nb;
} render_shared;

/** The content words @p a and @p b share (render_shared.c); free @p out
 *  with render_shared_free. */
void render_shared_words(render_shared *out, const char *a, size_t alen, const char *b,
                         size_t blen);
void render_shared_free(render_shared *s);

/** A restated passage's text in full, its words shared with its main
 *  predecessor bold (colour). */
void render_restated_text(FILE *f, const posdiff_passage *p, int color, int unescape);
/** "    M " for a passage of the text outputs (restated's mark in yellow). */
void render_mark_text(FILE *f, const posdiff_passage *p, int color);
/** The notes that end a passage's line: " (revived: not stated since
 *  DATE)", " (split: shares its predecessor with another passage)",
 *  " (merged from N passages)"; "" when none. */
#define RENDER_NOTES_MAX 512
void render_notes(char *buf, size_t size, const posdiff_passage *p, const render_dates *d);
void render_notes_text(FILE *f, const posdiff_passage *p, const render_dates *d);
/** The lines after a passage: "        was (DATE, ID): OLD" for a weak
 *  link, "        also restates (DATE, ID): TEXT" per further source of a
 *  merge; dim with the shared words bold in colour. */
void render_sources_text(FILE *f, const posdiff_passage *p, const render_dates *d,
                         int color, int unescape);

/** @p against (text and Markdown entries): the statement the changes are
 *  measured against when it is not the one listed below (a statement that
 *  skips the position is listed between, or --since left it out); else NULL. */
/** One entry of the text changelog, in ANSI colours when @p color;
 *  @p dates for "was (DATE, ID)" (NULL: ids only). */
void render_text_entry(FILE *f, const posdiff_history_entry *e,
                       const posdiff_step *step, size_t position, int color,
                       const render_dates *dates, const char *source, const char *against);

/** The heading of a text changelog entry: "DATE ID  STATUS", then the
 *  title and venue indented. */
void render_text_heading(FILE *f, const posdiff_history_entry *e,
                         const posdiff_step *step, size_t position, int color);

/** `log --oneline` (render_stat.c): "DATE ID  STATUS N changed, N moved,
 *  N restated, N added, N dropped, N unchanged" (counts that are 0 left out). */
/** Word counts of a word diff, as dwdiff --statistics (render_stat.c):
 *  old words common, deleted and changed; new words inserted and changed. */
typedef struct {
    size_t common, deleted, inserted, changed_old, changed_new;
} render_word_stat;
/** Add passage @p p's words (against its predecessor) to @p t. */
void render_word_stat_passage(render_word_stat *t, const posdiff_passage *p);
/** Add a dropped passage's words to @p t. */
void render_word_stat_dropped(render_word_stat *t, const char *text, size_t len);
/** "    old: W words  C P% common ..." and "    new: ..." */
void render_word_stat_totals(FILE *f, const render_word_stat *t);

void render_oneline_entry(FILE *f, const posdiff_history_entry *e,
                          const posdiff_step *step, size_t position, int color);
/** `log --stat`: the heading (the --oneline line with @p oneline), per
 *  passage not unchanged "    M D deleted, I inserted, C changed  TEXT...",
 *  then the totals "    old: ..." and "    new: ..." of dwdiff --statistics. */
void render_stat_entry(FILE *f, const posdiff_history_entry *e, const posdiff_step *step,
                       size_t position, int color, int oneline);

/** Whether s[i] is the backslash of a CommonMark escape in s[0..n). */
int md_is_escape(const char *s, size_t n, size_t i);
/** s[start..start+len) of the CommonMark line s[0..n); escapes dropped
 *  when @p unescape (judged on the whole line: one may straddle two runs). */
void md_write(FILE *f, const char *s, size_t n, size_t start, size_t len, int unescape);

/** The marks of a word diff without colour: deleted start and end,
 *  inserted start and end ("[-" "-]" "{+" "+}"; dwdiff's -w -x -y -z). */
extern const char *render_markers[4];
/** Take the markers the options give (NULL: keep the default); 0, or
 *  CLI_ERROR after printing the error (an empty start marker). */
int render_set_markers(const char *const m[4]);
/** The inline word diff of a passage against its predecessor;
 *  @p unescape drops CommonMark escapes. */
void render_words(FILE *f, const posdiff_passage *p, int color, int unescape);

/** The Markdown changelog (render_markdown.c): document title, */
void render_markdown_title(FILE *f, const char *title);
/** a position's section heading (@p entries: how many entries follow), */
void render_markdown_position(FILE *f, const posdiff_position *p, size_t entries);
/** one entry: its passages, or "Not stated in this statement." for a
 *  statement that does not state the position; @p source: the
 *  statement's source address (manifest), linked when http(s), or NULL.
 *  Each call writes complete CommonMark blocks. */
void render_markdown_entry(FILE *f, const posdiff_history_entry *e,
                           const posdiff_step *step, size_t position,
                           const render_dates *dates, const char *source, const char *against);

#endif
