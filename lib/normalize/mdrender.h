/*
 * mdrender.h - internal: blocks to CommonMark, one sentence per line.
 */
#ifndef POSDIFF_MDRENDER_H
#define POSDIFF_MDRENDER_H

#include <stddef.h>

#include "blocks.h"
#include "posdiff/normalize.h"

/**
 * Render @p b (and front matter from @p meta, may be NULL) through a
 * cmark AST.  *out is malloc'ed (free()); *body_off is where the body
 * starts.
 */
int mdrender(char **out, size_t *len, size_t *body_off, const block_list *b,
             const posdiff_meta *meta);

/**
 * Step 1 alone: the intermediate Markdown of @p b, whose block
 * structure we control.  *md is malloc'ed (free()), NUL-terminated.
 */
int mdrender_intermediate(char **md, size_t *len, const block_list *b);

/**
 * Steps 2-3: parse @p md with cmark, one sentence per line, front matter
 * from @p meta (may be NULL), render.  mdrender() is these two steps;
 * the output depends on md[0..mdlen) and @p meta only.  *out is
 * malloc'ed (free()); *body_off is where the body starts.
 */
int mdrender_markdown(char **out, size_t *len, size_t *body_off,
                      const char *md, size_t mdlen, const posdiff_meta *meta);

#endif
