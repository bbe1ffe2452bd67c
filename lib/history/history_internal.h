/*
 * history_internal.h - internal: what other library modules need from
 * an open history beyond the public API (lib/history_read.c holds the
 * struct).
 */
#ifndef POSDIFF_HISTORY_INTERNAL_H
#define POSDIFF_HISTORY_INTERNAL_H

#include <git2.h>

#include "posdiff/history.h"

/** The history's repository (owned by @p h; do not free). */
git_repository *history_repository(const posdiff_history *h);

/** The history's index of its chain (history_index.h; owned by @p h). */
const struct history_index *history_index_of(const posdiff_history *h);

#endif
