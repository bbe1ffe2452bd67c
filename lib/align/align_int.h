/*
 * align_int.h - internal: the tracker's state and a step's working data,
 * shared by align.c (tracker, step setup and commit), align_step.c (the
 * stages of a step) and align_state.c (state on disk).  See align.c for
 * the algorithm.
 */
#ifndef POSDIFF_ALIGN_INT_H
#define POSDIFF_ALIGN_INT_H

#include <stddef.h>
#include <stdint.h>

#include "featcache.h"
#include "lineage.h"
#include "passages.h"
#include "posdiff/align.h"
#include "step.h"

#define DORMANT_MAX 256    /* dormant threads kept per position */

/* A dormant thread: a dropped passage and the statement that last
 * stated it. */
typedef struct {
    char *stmt;
    char *text;   /* NUL-terminated, no newline */
    size_t len;
    feat f;       /* features of text, valid when ready (cache) */
    int ready;
} dthread;

typedef struct {
    char *stmt;   /* statement id; NULL when never stated */
    char **text;  /* passages in line order, NUL-terminated, no newline */
    size_t *len;
    size_t n;
    feat *f;      /* f[k]: features of text[k]; NULL until computed (cache) */
    dthread *dorm; /* dormant threads, most recently stated first */
    size_t ndorm;
} pstate;

#define PSTATE_INIT {NULL, NULL, NULL, 0, NULL, NULL, 0}

struct posdiff_tracker {
    const posdiff_catalog *cat;
    lin_params lp;
    double join;          /* JOIN_THRESHOLD or the option */
    int revive;           /* dormant threads are revived (tests may turn off) */
    pstate *st;           /* one per position */
    size_t count;
    stemmer stem;         /* with its word cache (passages.c) */
    stem_dict dict;       /* stem ids for similarity */
    stem_list words;      /* scratch */
    feat_cache sents;     /* features of the sentences seen (featcache.h) */
};

/* Working data of one step, freed when it ends. */
typedef struct {
    posdiff_tracker *t;
    posdiff_step *s;
    const char *stmt;       /* the statement id, step-owned */
    const posdiff_sentence *sent; /* the sentences, texts step-owned */
    size_t nsent;
    feat *sf;               /* features of each sentence */
    const uint32_t **cid;   /* cid[k]: sentence k's stems as catalog ids */
    unsigned char *lent;    /* lent[k]: sf[k] and cid[k] are lent by the
                               tracker's feature cache (not step-owned) */
    size_t *cn;             /* cn[k]: how many */
    feat **of;              /* of[p][k]: features of p's current passage k
                               (the state's cache, t->st[p].f) */
    size_t **mem;           /* mem[p]: p's sentences, statement order */
    size_t *nmem;
    pstate *next;           /* the new states (stmt NULL: unchanged) */
    unsigned char **drev;   /* drev[p][d]: p's dormant thread d revived */
    size_t jpos;            /* the position holding every current passage
                               (its index is the join's), else SIZE_MAX */
    lin_queries jq;         /* the join's queries, row k = sentence k */
    unsigned char *jfull;   /* jfull[k]: row k holds every current passage
                               sharing a word with sentence k */
    size_t *jbase;          /* jbase[p]: p's first passage in the join's
                               index (positions in order) */
} step_work;

/* Helpers shared by the align*.c files (align.c). */
void align_pstate_free(pstate *st);
void align_queries_free(lin_queries *q);
/** A state copy of a passage: NUL-terminated, newlines become spaces;
 * NULL when out of memory. */
char *align_state_copy(const char *s, size_t len);
/** Hand @p p to the step (freed by posdiff_step_free); NULL means OOM. */
int align_own(posdiff_step *s, void *p);
/** Features of s[0..len), stemmed with the tracker's stemmer. */
int align_text_feat(posdiff_tracker *t, feat *f, const char *s, size_t len);

/* The full state in binary, for the build's cache (align_state_bin.c). */
/** Append @p t's state to @p out.  0, POSDIFF_EINVALID, POSDIFF_ENOMEM. */
int align_state_encode(buf *out, const posdiff_tracker *t);
/** Replace @p t's state (same catalog) by an align_state_encode() output;
 *  on error @p t is unchanged. */
int align_state_decode(posdiff_tracker *t, const char *data, size_t len);
/** The end of a restore that read @p st (t->count positions) and @p d:
 *  when @p rc is 0 they replace t's, else they are freed; returns @p rc. */
int align_state_install(posdiff_tracker *t, int rc, pstate *st, stem_dict *d);

/* The stages of a step (align_step.c). */
/** Step 1: the sentences of each position (w->mem, w->nmem). */
int align_find_members(step_work *w);
/** Steps 2-5 for position p: lineage, records, next state. */
int align_step_position(step_work *w, size_t p);

#endif
