/*
 * catalog_stems.h - internal: phrase matching on a sentence already
 * stemmed (passages.h), so a caller that stems the sentence anyway (the
 * aligner, for its similarity features) does not stem it twice.
 *
 * catalog_matches_stems(cat, i, ids, n) with ids from catalog_stem_ids
 * on stem_words(text) is exactly posdiff_catalog_matches(cat, i, text).
 * Not thread-safe (the catalog's scratch), like the catalog.
 */
#ifndef POSDIFF_CATALOG_STEMS_H
#define POSDIFF_CATALOG_STEMS_H

#include <stddef.h>
#include <stdint.h>

#include "passages.h"
#include "posdiff/catalog.h"

/** out[k] (k < l->n): id of stem k among the phrase stems, 0 if none. */
void catalog_stem_ids(const posdiff_catalog *cat, const stem_list *l,
                      uint32_t *out);
/** 1 if a phrase of position @p i occurs in the sentence ids[0..n). */
int catalog_matches_stems(const posdiff_catalog *cat, size_t i,
                          const uint32_t *ids, size_t n);
/** in[i] = 1 for every position i (of the catalog's count) a phrase of
 * which occurs in ids[0..n); the other flags are left as they are.  The
 * same answers as catalog_matches_stems, looking only at the phrases
 * whose first word is in the sentence. */
void catalog_match_all(const posdiff_catalog *cat, const uint32_t *ids,
                       size_t n, unsigned char *in);

#endif
