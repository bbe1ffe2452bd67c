/*
 * mdtext.h - internal: cmark's CommonMark rendering, text nodes by us.
 */
#ifndef POSDIFF_MDTEXT_H
#define POSDIFF_MDTEXT_H

#include <stddef.h>

#include <cmark.h>

/**
 * The bytes of cmark_render_commonmark(@p doc, CMARK_OPT_DEFAULT, 0),
 * with most text written by us (see mdtext.c for why they are equal).
 * @p doc's text literals may be changed (the document renders the same
 * afterwards only through this function).  *out is malloc'ed (free()),
 * NUL-terminated.  Returns 0 or POSDIFF_ENOMEM.
 */
int mdtext_render(char **out, size_t *len, cmark_node *doc);

#endif
