/*
 * step.h - the record of one tracker step (internal).
 *
 * Built by the aligner (align.c) and by the step log (steplog.c), which
 * stores steps beside the history so readers need not replay the
 * aligner; freed by posdiff_step_free: every pointer inside the records
 * points into a block listed in owned[].
 */
#ifndef POSDIFF_STEP_H
#define POSDIFF_STEP_H

#include "posdiff/align.h"

typedef struct {
    posdiff_entry_status status;
    posdiff_passage *pass;
    size_t npass;
    posdiff_dropped *drop;
    size_t ndrop;
    posdiff_why *why; /* npass, when explained (explain.c) */
} step_entry;

struct posdiff_step {
    step_entry *e;  /* one per position */
    size_t count;
    void **owned;   /* everything the records point into */
    size_t nowned, cap;
};

#endif
