/*
 * align_int.h - internal: the tracker's state and a step's working data,
 * shared by align.c (tracker, step), members.c (the passages of each
 * position), records.c (the step's records and the next state) and
 * align_state.c (state on disk).  The algorithm is described in align.c.
 */
#ifndef POSDIFF_ALIGN_INT_H
#define POSDIFF_ALIGN_INT_H

#include <stddef.h>
#include <stdint.h>

#include "featcache.h"
#include "lineage.h"
#include "posdiff/align.h"
#include "step.h"
#include "weights.h"
#include "words.h"

#define DORMANT_MAX 256 /* dormant passages kept per position */

/* A passage of the state: its text (NUL-terminated, no newline), the
 * statement that stated it, and its features (computed when needed). */
typedef struct {
    char *stmt;
    char *text;
    size_t len;
    feat f;
    int ready; /* f is computed */
} passage;

typedef struct {
    char *stmt;       /* statement of the active passages; NULL: never stated */
    passage *act;     /* active passages, in the statement's order */
    size_t n;
    passage *dorm;    /* dormant passages, most recently stated first */
    size_t ndorm;
} pstate;

struct posdiff_tracker {
    const posdiff_catalog *cat;
    lin_params lp;
    double join;          /* min similarity to join without a phrase */
    int whole;            /* posdiff_compare without a catalog: every unit
                             counts, labels and fragments too */
    pstate *st;           /* one per position */
    size_t count;
    feat **ex;            /* ex[p]: features of p's examples */
    stemmer stem;         /* with its word cache */
    stem_dict dict;       /* stem ids */
    stem_list words;      /* scratch */
    feat_cache sents;     /* features of the sentences seen */
    weights w;            /* word weights over the sentences seen */
    unsigned char **used; /* used[p][r]: review r of position p found its sentence */
    int explain;          /* steps explain their passages (explain.c) */
};

/* Working data of one step, freed when it ends. */
typedef struct {
    posdiff_tracker *t;
    posdiff_step *s;
    const char *stmt;             /* the statement id, step-owned */
    const posdiff_sentence *sent; /* the sentences, texts step-owned */
    size_t nsent;
    feat *sf;                     /* features of each sentence */
    double *sm;                   /* and their masses (weights.h) */
    const uint32_t **cid;         /* stems as catalog phrase ids */
    size_t *cn;
    unsigned char *lent;          /* sf[k], cid[k] lent by the feature cache */
    size_t counted;               /* sentences counted into the weights */
    size_t **mem;                 /* mem[p]: p's passages (sentence indexes) */
    size_t *nmem;
    pstate *next;                 /* the new states (stmt NULL: unchanged) */
    size_t **keep;                /* keep[p]: p's old dormant passages that stay */
    size_t *nkeep;                /*   dormant (indexes, moved at the commit) */
} step_work;

/* passage.c */
void align_passage_free(passage *p);
void align_pstate_free(pstate *st);
/** A state copy of a passage: NUL-terminated, newlines become spaces;
 * NULL when out of memory. */
char *align_state_copy(const char *s, size_t len);
/** Hand @p p to the step (freed by posdiff_step_free); NULL means OOM. */
int align_own(posdiff_step *s, void *p);
/** Room for @p extra more owned blocks. */
int align_reserve_owned(posdiff_step *s, size_t extra);
/** Features of s[0..len), stemmed with the tracker's stemmer. */
int align_text_feat(posdiff_tracker *t, feat *f, const char *s, size_t len);
/** p's features, computed once. */
int align_passage_feat(posdiff_tracker *t, passage *p);
/** Count sentences into the weights without stepping (posdiff_compare
 *  without a catalog, whose old document is loaded, not stepped). */
int align_count(posdiff_tracker *t, const posdiff_sentence *s, size_t n);
/** Features of the catalog's examples (again after the dictionary changed). */
int align_example_feats(posdiff_tracker *t);
void align_examples_free(posdiff_tracker *t);

/* members.c: step 1, the passages of each position (w->mem, w->nmem). */
int align_find_members(step_work *w);

/* records.c: steps 2-5 for position p (lineage, records, next state). */
int align_step_position(step_work *w, size_t p);

/* review.c: the analyst's decisions (review.conf). */
int align_review_init(posdiff_tracker *t);
void align_review_free(posdiff_tracker *t);
/** Make or unmake the passages the decisions name (after step 1). */
int align_review_members(step_work *w);
/** The decided pairs of position @p p's new passages and @p old's
 *  (malloc'ed into *@p out, *@p n of them). */
int align_review_links(const step_work *w, size_t p, const pstate *old, lin_override **out,
                       size_t *n);
/** 1 if a decision made @p se a passage of @p p (@p member), or made it
 *  one or linked it (!@p member). */
int align_review_marked(const step_work *w, size_t p, const posdiff_sentence *se, int member);

/* explain.c: why each passage of @p p (entry @p e, its lineage done) is
 * one; its candidates among @p old's passages (features @p of). */
int align_explain(step_work *w, size_t p, const pstate *old, const feat *nf,
                  const double *nm, const feat *of, step_entry *e);

/* align_state.c: install a restored state (st, d, wt) when rc is 0, else
 * free it; returns rc. */
int align_state_install(posdiff_tracker *t, int rc, pstate *st, stem_dict *d,
                        weights *wt);

#endif
