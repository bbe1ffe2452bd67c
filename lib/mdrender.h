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

#endif
