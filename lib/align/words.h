/*
 * words.h - internal: the words of a text as Snowball stems (with a
 * cache of the words stemmed), stem ids, and a passage's features: the
 * sorted multiset of its content-word ids.  Shared by the catalog
 * (phrase matching) and the aligner (similarity, weights.h).
 */
#ifndef POSDIFF_WORDS_H
#define POSDIFF_WORDS_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"
#include "util/hashmap.h"

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
    hashmap words;            /* folded piece -> struct word_entry */
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

/** Interning of stems: string -> id >= 1. */
typedef struct {
    hashmap map;   /* stem -> id */
    char **by_id;  /* by_id[id]: the stem (owned), ids 1..n */
    size_t n, cap;
} stem_dict;

#define STEM_DICT_INIT {HASHMAP_INIT, NULL, 0, 0}

/** Id of @p s, adding it when absent.  0 or POSDIFF_ENOMEM. */
int stem_dict_intern(stem_dict *d, const char *s, uint32_t *id);
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

#endif
