/*
 * catalog_int.h - internal: phrase matching on a sentence already
 * stemmed (words.h), so the aligner, which stems each sentence for its
 * features anyway, does not stem it twice.
 *
 * catalog_match(cat, i, ids, n, NULL) with ids from catalog_stem_ids on
 * stem_words(text) is exactly posdiff_catalog_matches(cat, i, text).
 * Not thread-safe (the catalog's scratch), like the catalog.
 */
#ifndef POSDIFF_CATALOG_INT_H
#define POSDIFF_CATALOG_INT_H

#include <stddef.h>
#include <stdint.h>

#include "posdiff/catalog.h"
#include "words.h"

/** Where a phrase matched: phrase index and word range [start, end]. */
typedef struct {
    size_t phrase, start, end;
} catalog_hit;

/** out[k] (k < l->n): id of stem k among the phrase stems, 0 if none. */
void catalog_stem_ids(const posdiff_catalog *cat, const stem_list *l, uint32_t *out);
/**
 * 1 if a match phrase of position @p i occurs in the sentence ids[0..n)
 * outside the position's exclude phrases (the first such occurrence goes
 * to @p hit, when not NULL), else 0.
 */
int catalog_match(const posdiff_catalog *cat, size_t i, const uint32_t *ids, size_t n,
                  catalog_hit *hit);
/** in[i] = catalog_match(cat, i, ids, n, NULL) for every position i. */
void catalog_match_all(const posdiff_catalog *cat, const uint32_t *ids, size_t n,
                       unsigned char *in);

#endif
