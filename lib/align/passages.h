/*
 * passages.h - internal: the words of a passage as Snowball stems, and
 * how similar two passages are over them.
 *
 * Shared by the catalog (phrase matching) and the aligner (lineage).
 * See passages.c for the normalization, the function-word list and the
 * similarity measure.
 */
#ifndef POSDIFF_PASSAGES_H
#define POSDIFF_PASSAGES_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

struct sb_stemmer;
struct word_entry;

/** The words of a text, in order: stem k is text.ptr + off[k]. */
typedef struct {
    buf text;            /* the stems, each NUL-terminated, back to back */
    size_t *off;         /* start of stem k in text.ptr */
    unsigned char *stop; /* 1 if word k is a function word ("the", "of") */
    struct word_entry **ent; /* ent[k]: word k's entry in the stemmer's
                                cache (ids remembered there), or NULL */
    size_t n, cap;       /* words used / allocated */
} stem_list;

#define STEM_LIST_INIT {BUF_INIT, NULL, NULL, NULL, 0, 0}

/**
 * A Snowball English stemmer with a cache of the words it has stemmed
 * (folded piece -> stem + function-word flag), so that sb_stemmer_stem
 * runs once per distinct word rather than once per occurrence.  The
 * cache stops growing at WORD_CACHE_MAX words (bounded memory; later new
 * words are stemmed every time).  Not thread-safe.
 */
typedef struct {
    struct sb_stemmer *sb;
    struct word_entry **slot; /* open addressing, NULL = empty */
    size_t cap;               /* slots, a power of two (0 before use) */
    size_t n;                 /* words cached */
} stemmer;

/** 0 or POSDIFF_ENOMEM. */
int stemmer_init(stemmer *st);
void stemmer_free(stemmer *st);
/** Forget the stem ids the cache remembers (feat_build): call when the
 * dictionary used with this stemmer is replaced. */
void stemmer_forget_ids(stemmer *st);

/**
 * Case-fold (NFKC_Casefold) and tokenize @p s, split words on inner
 * hyphens, stem each piece (Snowball English) into @p out (reset first).
 * @return 0 or POSDIFF_ENOMEM
 */
int stem_words(stem_list *out, stemmer *st, const char *s, size_t len);
static inline const char *stem_at(const stem_list *l, size_t k)
{
    return l->text.ptr + l->off[k];
}
void stem_list_free(stem_list *l);

/** Interning of stems: string -> id >= 1 (open addressing). */
typedef struct {
    char **keys;   /* keys[slot] (owned, or in arena) or NULL */
    uint32_t *ids; /* ids[slot] */
    size_t cap;    /* slots, a power of two */
    size_t n;      /* keys held; ids are 1..n */
    char *arena;   /* the keys of ids 1..narena, back to back (owned) */
    size_t narena;
} stem_dict;

#define STEM_DICT_INIT {NULL, NULL, 0, 0, NULL, 0}

/** Id of @p s, adding it when absent.  0 or POSDIFF_ENOMEM. */
int stem_dict_intern(stem_dict *d, const char *s, uint32_t *id);
/**
 * Fill the empty dictionary @p d with the @p n words of @p words
 * (@p len bytes: NUL-terminated words back to back), ids 1..n in that
 * order, as n interns would; it takes @p words (malloc'ed) in every
 * case.  0, POSDIFF_EINVALID when the bytes are not n distinct
 * non-empty words (d left empty), POSDIFF_ENOMEM.
 */
int stem_dict_load(stem_dict *d, char *words, size_t len, size_t n);
/** Id of @p s, or 0 when absent. */
uint32_t stem_dict_find(const stem_dict *d, const char *s);
void stem_dict_free(stem_dict *d);

/** A passage's features: the sorted multiset of its content-word ids. */
typedef struct {
    uint32_t *ids; /* ascending, repeats kept */
    size_t n;
} feat;

#define FEAT_INIT {NULL, 0}

/**
 * Features of @p l: content words (all words if it has no content word).
 * The ids of cached words are remembered in the stemmer's cache, so @p l
 * must come from a stemmer that is only ever used with @p d (or whose
 * ids were forgotten, stemmer_forget_ids, since @p d changed).
 */
int feat_build(feat *out, const stem_list *l, stem_dict *d);
/**
 * Id of word @p k of @p l in @p d (0 when absent), remembered per cached
 * word for the owner @p tag (one dictionary per tag, never changing).
 */
uint32_t stem_list_find_id(const stem_list *l, size_t k, const stem_dict *d,
                           const void *tag);
void feat_free(feat *f);
/** A deep copy of @p src into @p dst.  0 or POSDIFF_ENOMEM (then *dst empty). */
int feat_copy(feat *dst, const feat *src);
/** Size of the multiset intersection. */
size_t feat_overlap(const feat *a, const feat *b);
/** Dice coefficient 2|a∩b| / (|a|+|b|); 1 when both are empty. */
double feat_dice(const feat *a, const feat *b);
/** Dice of @p a against the multiset union (sum) of @p b1 and @p b2. */
double feat_dice2(const feat *a, const feat *b1, const feat *b2);

/** Sort @p v[0..n) ascending (featindex.c). */
void feat_sort_ids(uint32_t *v, size_t n);

/** Inverted index over a list of features: (id, item) postings, sorted
 * (featindex.c). */
typedef struct {
    uint64_t *post;    /* (id << 32) | item, ascending */
    size_t n;
    size_t nitems;     /* items indexed */
    uint32_t *cnt;     /* query scratch: nitems counters, zero between queries */
    uint32_t *touched; /* query scratch: nitems items */
    uint64_t *mark;    /* query scratch: nitems bits, clear between queries */
    uint32_t *first;   /* NULL, or first[id]: the first posting of word id
                          or a later word, for id in 0..max_id + 1 */
    uint32_t max_id;   /* largest word id posted */
} feat_index;

#define FEAT_INDEX_INIT {NULL, 0, 0, NULL, NULL, NULL, NULL, 0}

int feat_index_build(feat_index *x, const feat *items, size_t count);

#define FEAT_CAND_MAX 32 /* most candidates a query returns */
#define FEAT_SHARED_UNKNOWN UINT32_MAX

/**
 * Items sharing a word with @p q (candidates for a similarity bar): the
 * FEAT_CAND_MAX items sharing most distinct words (ties: the lower
 * item), ascending; exact while q's words have at most
 * FEAT_VISIT_BUDGET postings, else within a bounded cost (featindex.c).
 * Uses the index's scratch: one query at a time per index.
 * @param out     room for FEAT_CAND_MAX items; *count of them are set
 * @param shared  NULL, or room for FEAT_CAND_MAX: shared[i] = how many
 *                distinct words out[i] shares with @p q (always known;
 *                the helpers below also accept FEAT_SHARED_UNKNOWN)
 * @return 0 or POSDIFF_ENOMEM
 */
int feat_index_query(uint32_t *out, uint32_t *shared, size_t *count,
                     const feat_index *x, const feat *q);
/** |q ∩ item| given feat_index_query's @p shared for item and
 * @p rep_q = feat_repeats(q): shared itself when known and q repeats no
 * word (each shared word then counts once), else feat_overlap. */
size_t feat_overlap_known(const feat *q, const feat *item, uint32_t shared,
                          size_t rep_q);
/** q's repeated words: q->n minus its distinct words. */
size_t feat_repeats(const feat *q);
/**
 * 0 when Dice(a, b) is surely under @p bar (or, with @p strict, not
 * above it), from the lengths and @p shared (feat_index_query: distinct
 * words of a in b, or FEAT_SHARED_UNKNOWN) with @p rep_a = feat_repeats(a):
 * the overlap is at most min(|a|, |b|, shared + rep_a), and Dice grows
 * with the overlap in floating point, so the test is exact.
 */
int feat_dice_may_reach(const feat *a, const feat *b, uint32_t shared,
                        size_t rep_a, double bar, int strict);
/**
 * 1 when an answer of @p count items of feat_index_query on @p x holds
 * every item sharing a word with the query (so any subset of the items
 * is answered by the answer's items in that subset), else 0.
 */
int feat_index_complete(const feat_index *x, size_t count);
void feat_index_free(feat_index *x);

#endif
