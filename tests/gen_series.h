/*
 * gen_series.h - synthetic, labelled statement series for check_align.
 *
 * A pool of sentences (cut from the .txt files of corpus/statements, or built from a
 * word list when the corpus is not readable) feeds series of statements
 * in which every position's passages evolve by known edits: rewording,
 * moves, 1:2 splits, 2:1 merges, drops, additions, omitted positions.
 * Every generated sentence records the position it belongs to (-1 =
 * noise) and the true predecessor text the tracker should report.
 */
#ifndef GEN_SERIES_H
#define GEN_SERIES_H

#include <stddef.h>

#define GEN_MAX_POS 4

/** What happened to a passage (its phenomenon), for per-kind scores. */
typedef enum {
    GEN_NOISE = 0, /* a sentence of no position */
    GEN_ADDED,     /* a new passage */
    GEN_SAME,      /* restated word for word */
    GEN_REWORD,    /* light rewording (1 + up to 20% of the words) */
    GEN_HEAVY,     /* heavy rewording (30-45%) */
    GEN_REWRITE,   /* rewritten (55-70%): only a low-bar descent finds it */
    GEN_SPLIT,     /* a part of a 1:2 split */
    GEN_MERGE,     /* a 2:1 merge */
    GEN_FANOUT,    /* a second successor of a restated passage (rewrite) */
    GEN_REVIVED,   /* a dropped passage restated in a later statement */
    GEN_KINDS
} gen_kind;

typedef struct {
    const char *text; /* owned by the series */
    int pos;          /* position, -1 for a noise sentence */
    const char *prev; /* true prev_text (merge: both joined); NULL = added */
    int prev_stmt;    /* index of prev's statement; -1 when added */
    gen_kind kind;
} gen_sent;

/** Name of a kind ("reword", ...). */
const char *gen_kind_name(gen_kind k);

typedef struct {
    gen_sent *s;
    size_t n;
} gen_stmt;

typedef struct {
    int npos;
    char anchor[GEN_MAX_POS][16]; /* the phrase of each position */
    gen_stmt *stmt;
    size_t nstmt;
    char **strs;                  /* every string, freed with the series */
    size_t nstrs, cap;
} gen_series;

typedef struct {
    char **sent; /* pool sentences */
    size_t n;
    char **word; /* vocabulary for rewording */
    size_t nword;
} gen_pool;

/** Load the pool from the .txt files of @p dir (NULL or unreadable:
 *  built-in words).  0 or -1. */
int gen_pool_load(gen_pool *p, const char *dir);
void gen_pool_free(gen_pool *p);

/** Generate one series from @p seed.  0 or -1 (out of memory). */
int gen_series_make(gen_series *s, const gen_pool *pool, unsigned seed);
void gen_series_free(gen_series *s);

#endif
