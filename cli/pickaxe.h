/*
 * pickaxe.h - log -S PHRASE / -G REGEX, as git's pickaxe: the statements
 * where a phrase entered or left a position's wording (-S: the number of
 * times it occurs in the position's passages changed), or whose changes
 * to it hold a match of a regular expression (-G: in the words deleted
 * or inserted, the passages added or dropped).
 */
#ifndef POSDIFF_PICKAXE_H
#define POSDIFF_PICKAXE_H

#include <posdiff/posdiff.h>

typedef struct pickaxe pickaxe;

/** For @p npos positions: @p phrase (-S) or @p regex (-G, POSIX
 *  extended).  0, or CLI_ERROR after printing the error. */
int pickaxe_new(pickaxe **out, const char *phrase, const char *regex, size_t npos);
/** Whether position @p i's entry of @p step is picked; call it for every
 *  step of the walk in order (it keeps the counts of -S). */
int pickaxe_hit(pickaxe *p, const posdiff_step *step, size_t i);
void pickaxe_free(pickaxe *p);

#endif
