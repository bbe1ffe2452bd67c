/*
 * myers.h - internal: bounded-cost diff of two integer sequences.
 *
 * Marks which elements of a[] are deleted and which of b[] inserted so
 * that the unmarked elements of a and b, in order, are equal pairwise.
 * See myers.c for the algorithm and the cost bound.
 */
#ifndef POSDIFF_MYERS_H
#define POSDIFF_MYERS_H

#include <stddef.h>
#include <stdint.h>

/**
 * Diff a[0..n) against b[0..m); every id is < nids.
 *
 * @param max_cost  edit-distance budget of one middle-snake search
 *                  (0 = default, see myers.c)
 * @param del       n flags, zeroed by the caller; set to 1 for deletions
 * @param ins       m flags, zeroed by the caller; set to 1 for insertions
 * @return 0 or POSDIFF_ENOMEM
 */
int myers_diff(const uint32_t *a, size_t n, const uint32_t *b, size_t m,
               uint32_t nids, size_t max_cost, char *del, char *ins);

/** The default max_cost for sequences of n and m elements. */
size_t myers_default_cost(size_t n, size_t m);

#endif
