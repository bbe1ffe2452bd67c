/*
 * render_html.h - HTML pieces of the published report (posdiff report):
 * escaped text, word diffs as <del>/<ins>, shared words as <mark>, the
 * page frame, and a normalized statement rendered by cmark with its
 * passages highlighted.
 */
#ifndef POSDIFF_RENDER_HTML_H
#define POSDIFF_RENDER_HTML_H

#include <stdio.h>

#include <posdiff/posdiff.h>

/** s[0..n) with & < > " ' escaped. */
void html_text(FILE *f, const char *s, size_t n);
/** The same for a NUL-terminated string (nothing for NULL). */
void html_cstr(FILE *f, const char *s);
/** A CommonMark line's s[start..start+len): escapes dropped, HTML escaped. */
void html_md(FILE *f, const char *s, size_t n, size_t start, size_t len);
/** A passage's word diff against its predecessor: <del>, <ins>, text. */
void html_words(FILE *f, const posdiff_passage *p);
/** Text s[0..n) (a CommonMark line) with @p spans in <mark>. */
void html_marked(FILE *f, const char *s, size_t n, const posdiff_span *spans, size_t ns);
/** An http(s) address as a link, anything else as text. */
void html_source(FILE *f, const char *source);

/** The page's head and header: @p title (escaped), @p root ("" or "../"). */
void html_page_open(FILE *f, const char *title, const char *root);
/** The footer (@p commit: the history's tip) and the end of the page. */
void html_page_close(FILE *f, const char *commit);

/** A highlighted line of a statement page: its position tags. */
typedef struct {
    size_t line;        /* 1-based, in the normalized statement */
    const char *status; /* the passage's status name */
    const char *html;   /* the tags after it: links to the position pages */
} html_mark;

/**
 * The body of a statement page: @p md (a normalized statement, front
 * matter included, so that lines count from its first) rendered by cmark
 * with the lines of @p marks (sorted by line) highlighted, each with
 * id="l-LINE".  Raw HTML of the statement is shown as text.
 * @return 0 or -1 (out of memory)
 */
int html_statement(FILE *f, const char *md, size_t len, const html_mark *marks, size_t n);

#endif
