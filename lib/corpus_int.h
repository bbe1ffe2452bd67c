/*
 * corpus_int.h - internal: what an open corpus knows beyond the public
 * API, for corpus_edit.c.
 */
#ifndef POSDIFF_CORPUS_INT_H
#define POSDIFF_CORPUS_INT_H

#include <stdint.h>

#include "posdiff/corpus.h"

/**
 * Size of @p st's raw file when the corpus was opened (the file was
 * then a regular file: opening checks that).  0, or -1 if unknown.
 */
int corpus_file_size(const posdiff_corpus *c, const posdiff_statement *st,
                     uintmax_t *size);

#endif
