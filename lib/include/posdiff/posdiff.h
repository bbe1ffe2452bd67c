/*
 * posdiff/posdiff.h - umbrella header of libposdiff.
 */
#ifndef POSDIFF_POSDIFF_H
#define POSDIFF_POSDIFF_H

#include "common.h"
#include "normalize.h"
#include "segment.h"
#include "tokdiff.h"
#include "catalog.h"
#include "align.h"
#include "discover.h"
#include "corpus.h"
#include "history.h"
#include "check.h"

#endif
