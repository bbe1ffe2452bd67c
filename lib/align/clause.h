/*
 * clause.h - internal: split sentences into the units the aligner
 * follows.
 *
 * A statement often restates a position inside a longer sentence: as
 * one item of an enumeration ("called for the following: States
 * should ...; States should ...; ...") or as a quotation ("the
 * principles of "States should not ..."").  Those items and quotations
 * are units of their own, so their wording can be followed across
 * statements; every other sentence is one unit.
 */
#ifndef POSDIFF_CLAUSE_H
#define POSDIFF_CLAUSE_H

#include "posdiff/align.h"

/** Shortest quotation (in words) that becomes a unit. */
#define CLAUSE_MIN_QUOTE_WORDS 6

/**
 * Split each sentence of @p in into units (in order; texts point into
 * the same buffers, line numbers kept).  @p out is malloc'ed.
 */
int clause_split(posdiff_sentence **out, size_t *count,
                 const posdiff_sentence *in, size_t n);

#endif
