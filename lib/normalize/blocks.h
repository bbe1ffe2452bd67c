/*
 * blocks.h - internal: block structure recovered from clean lines.
 */
#ifndef POSDIFF_BLOCKS_H
#define POSDIFF_BLOCKS_H

#include <stddef.h>

#include "textclean.h"

typedef enum {
    LK_BLANK,   /* empty line */
    LK_TEXT,    /* plain text */
    LK_ATX,     /* "## ..." */
    LK_BULLET,  /* "- " "-- " "* " "• " (marker dropped) */
    LK_LETTER,  /* "(a) ..." (kept; a bullet item) */
    LK_ORDERED, /* "1. " "1) " (kept; cmark reads it) */
    LK_ROMAN,   /* "IV. Title" (kept; a level-2 heading) */
    LK_SUBITEM  /* "iv) ..." (kept; a level-3 heading) */
} line_kind;

typedef struct {
    line_kind kind;
    int level;   /* ATX level */
    size_t skip; /* bytes of marker before the text */
} line_class;

typedef enum { BK_PARA, BK_HEADING, BK_BULLET, BK_ORDERED } block_kind;

typedef struct {
    block_kind kind;
    int level;  /* headings: 1..6 */
    int atx;    /* heading came from a '#' line */
    char *text; /* malloc'ed, one line */
    size_t len;
    size_t cap; /* bytes allocated for text (grows geometrically) */
} block;

typedef struct {
    block *v;
    size_t n, cap;
} block_list;

/** Classify one clean line. */
void blocks_classify(const char *s, size_t len, line_class *c);
/** 1 for a salutation: a short line ending with ',' ("Mr. Chair,"). */
int blocks_is_salutation(const char *s, size_t len);
/** 1 if every line is its own block (no blank lines between text). */
int blocks_line_mode(const tc_lines *l);
/** Build the blocks of @p l (title, headings, lists, paragraphs). */
int blocks_build(block_list *out, const tc_lines *l, int line_mode);
void blocks_free(block_list *b);

#endif
