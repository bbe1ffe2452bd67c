/*
 * catalog.c - the catalog of positions and phrase matching.
 *
 * Building the catalog copies the positions, validates their ids
 * ([a-z0-9][a-z0-9.-]*, posdiff_id_valid, unique) and pre-stems every
 * phrase into word ids (passages.c: NFKC case folding, hyphen split,
 * Snowball English stems).  Function words in a phrase ("the", "of",
 * "with") are dropped, unless the phrase has nothing else: so "store
 * the data" is matched as store..data and catches both "store the data
 * generated" and "store data generated".  Dropping them is the documented
 * choice: a catalog writer means the content words; the gap still counts
 * every word of the sentence, function words included.
 *
 * Matching a sentence: its words are stemmed once and mapped to the ids
 * of phrase stems (0 = no phrase uses it); the last sentence is cached,
 * so testing one sentence against every position stems it once.  The
 * aligner, which stems each sentence for its similarity features anyway,
 * maps those stems itself (catalog_stem_ids) and matches on them
 * (catalog_matches_stems, catalog_stems.h): one stemming per sentence
 * per step.  The catalog's stemmer caches each distinct word's stem
 * (passages.c).  A
 * phrase p[0..m) occurs when there are word indexes j0 < j1 < ... with
 * s[jk] = p[k] and jk - j(k-1) - 1 <= POSDIFF_MATCH_GAP.  One left to
 * right pass keeps, for each k, the latest index where the prefix
 * p[0..k] can end; the latest is always the best one to extend, since
 * only the gap to the previous word is constrained.  Cost O(n * m) for
 * n sentence words and m phrase words (phrases are short).
 *
 * Not thread-safe: the Snowball stemmer and the cache are per catalog.
 */
#include "posdiff/catalog.h"

#include <stdlib.h>
#include <string.h>

#include "catalog_stems.h"
#include "util/errors.h"
#include "passages.h"

typedef struct {
    uint32_t *ids; /* stem ids of the phrase's words */
    size_t n;
} phrase;

typedef struct {
    uint32_t pos, k; /* phrase k of position pos */
} phrase_ref;

struct posdiff_catalog {
    posdiff_position *pos; /* copies */
    phrase **phr;          /* phr[i][k]: phrase k of position i */
    size_t count;
    size_t max_words;      /* longest phrase, for the scratch array */
    stemmer st;            /* with its word cache */
    stem_dict dict;        /* phrase stems only */
    stem_list words;       /* scratch */
    char *last;            /* cache: the last sentence matched ... */
    size_t last_len;
    uint32_t *sids;        /* ... and its word ids */
    size_t sn;
    int cached;
    long *end;             /* scratch: max_words entries */
    size_t *first_at;      /* phrases by first word: those of id w are */
    phrase_ref *by_first;  /* by_first[first_at[w] .. first_at[w + 1]) */
    uint32_t *seen;        /* scratch, per id: last sentence looking at it */
    uint32_t serial;       /* that sentence's number */
};

static void free_position(posdiff_position *p)
{
    free((char *)p->id);
    free((char *)p->title);
    for (size_t k = 0; k < p->match_count; k++)
        free((char *)p->match[k]);
    free((void *)p->match);
}

/* Copy one position's strings. */
static int copy_position(posdiff_position *dst, const posdiff_position *src)
{
    const char **m = calloc(src->match_count ? src->match_count : 1,
                            sizeof(*m));

    dst->id = strdup(src->id);
    dst->title = strdup(src->title ? src->title : "");
    dst->match = m;
    dst->match_count = 0;
    if (!m || !dst->id || !dst->title)
        return error_oom();
    for (size_t k = 0; k < src->match_count; k++) {
        if (!(m[k] = strdup(src->match[k])))
            return error_oom();
        dst->match_count++;
    }
    return 0;
}

static int validate(const posdiff_position *p, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        if (!p[i].id || !posdiff_id_valid(p[i].id))
            return error_set(POSDIFF_EINVALID,
                             "position \"%s\": invalid id; use "
                             "[a-z0-9][a-z0-9.-]*", p[i].id ? p[i].id : "");
        if (p[i].match_count == 0 || !p[i].match)
            return error_set(POSDIFF_EINVALID,
                             "position \"%s\": no match phrase; add one", p[i].id);
        for (size_t k = 0; k < p[i].match_count; k++)
            if (!p[i].match[k])
                return error_set(POSDIFF_EINVALID,
                                 "position \"%s\": NULL phrase", p[i].id);
        for (size_t j = 0; j < i; j++)
            if (strcmp(p[i].id, p[j].id) == 0)
                return error_set(POSDIFF_EINVALID,
                                 "position \"%s\": defined twice; rename one",
                                 p[i].id);
    }
    return 0;
}

/* Stem one phrase into ids (content words; all words if none). */
static int stem_phrase(posdiff_catalog *cat, phrase *ph, const char *pos_id,
                       const char *text)
{
    size_t content = 0;
    int rc;

    if ((rc = stem_words(&cat->words, &cat->st, text, strlen(text))) < 0)
        return rc;
    for (size_t k = 0; k < cat->words.n; k++)
        content += !cat->words.stop[k];
    if (cat->words.n == 0)
        return error_set(POSDIFF_EINVALID,
                         "position \"%s\": phrase \"%s\" has no word", pos_id,
                         text);
    if (!(ph->ids = malloc(cat->words.n * sizeof(*ph->ids))))
        return error_oom();
    for (size_t k = 0; k < cat->words.n; k++) {
        if (content && cat->words.stop[k])
            continue;
        if ((rc = stem_dict_intern(&cat->dict, stem_at(&cat->words, k),
                                   &ph->ids[ph->n++])) < 0)
            return rc;
    }
    if (ph->n > cat->max_words)
        cat->max_words = ph->n;
    return 0;
}

static int build_position(posdiff_catalog *cat, size_t i,
                          const posdiff_position *src)
{
    int rc;

    if ((rc = copy_position(&cat->pos[i], src)) < 0)
        return rc;
    if (!(cat->phr[i] = calloc(src->match_count, sizeof(phrase))))
        return error_oom();
    for (size_t k = 0; k < src->match_count; k++)
        if ((rc = stem_phrase(cat, &cat->phr[i][k], src->id, src->match[k])) < 0)
            return rc;
    return 0;
}

/* cat->first_at / by_first: every phrase under its first word's id (a
 * phrase occurs only where its first word does; catalog_match_all). */
static int index_first_words(posdiff_catalog *cat)
{
    size_t nid = cat->dict.n + 2, total = 0;

    cat->first_at = calloc(nid, sizeof(*cat->first_at));
    cat->seen = calloc(nid, sizeof(*cat->seen));
    for (size_t i = 0; i < cat->count; i++)
        total += cat->pos[i].match_count;
    cat->by_first = malloc((total ? total : 1) * sizeof(*cat->by_first));
    if (!cat->first_at || !cat->seen || !cat->by_first)
        return error_oom();
    for (size_t i = 0; i < cat->count; i++)
        for (size_t k = 0; k < cat->pos[i].match_count; k++)
            cat->first_at[cat->phr[i][k].ids[0] + 1]++;
    for (size_t w = 1; w < nid; w++)
        cat->first_at[w] += cat->first_at[w - 1];
    for (size_t i = 0; i < cat->count; i++) /* counting sort: stable */
        for (size_t k = 0; k < cat->pos[i].match_count; k++)
            cat->by_first[cat->first_at[cat->phr[i][k].ids[0]]++] =
                (phrase_ref){(uint32_t)i, (uint32_t)k};
    for (size_t w = nid - 1; w > 0; w--) /* back to the starts */
        cat->first_at[w] = cat->first_at[w - 1];
    cat->first_at[0] = 0;
    return 0;
}

int posdiff_catalog_new(posdiff_catalog **out, const posdiff_position *positions,
                        size_t count)
{
    posdiff_catalog *cat;
    int rc;

    *out = NULL;
    if (count && !positions)
        return error_set(POSDIFF_EINVALID, "catalog: no positions given");
    if ((rc = validate(positions, count)) < 0)
        return rc;
    if (!(cat = calloc(1, sizeof(*cat))))
        return error_oom();
    cat->pos = calloc(count ? count : 1, sizeof(*cat->pos));
    cat->phr = calloc(count ? count : 1, sizeof(*cat->phr));
    if (!cat->pos || !cat->phr || (rc = stemmer_init(&cat->st)) < 0) {
        rc = error_oom();
        goto fail;
    }
    for (cat->count = 0; cat->count < count; cat->count++)
        if ((rc = build_position(cat, cat->count, &positions[cat->count])) < 0) {
            cat->count++;
            goto fail;
        }
    if (!(cat->end = malloc((cat->max_words + 1) * sizeof(*cat->end))) ||
        (rc = index_first_words(cat)) < 0) {
        rc = error_oom();
        goto fail;
    }
    *out = cat;
    return 0;
fail:
    posdiff_catalog_free(cat);
    return rc;
}

size_t posdiff_catalog_count(const posdiff_catalog *cat)
{
    return cat ? cat->count : 0;
}

const posdiff_position *posdiff_catalog_position(const posdiff_catalog *cat,
                                                 size_t i)
{
    return cat && i < cat->count ? &cat->pos[i] : NULL;
}

long posdiff_catalog_find(const posdiff_catalog *cat, const char *id)
{
    for (size_t i = 0; cat && id && i < cat->count; i++)
        if (strcmp(cat->pos[i].id, id) == 0)
            return (long)i;
    return -1;
}

/* Stem text into cat->sids unless it is the cached sentence. */
static int load_sentence(posdiff_catalog *cat, const char *text, size_t len)
{
    uint32_t *ids;
    char *copy;

    if (cat->cached && cat->last_len == len &&
        (len == 0 || memcmp(cat->last, text, len) == 0))
        return 0;
    cat->cached = 0;
    if (stem_words(&cat->words, &cat->st, text, len) < 0)
        return POSDIFF_ENOMEM;
    ids = realloc(cat->sids, (cat->words.n ? cat->words.n : 1) * sizeof(*ids));
    copy = malloc(len ? len : 1);
    if (!ids || !copy) {
        cat->sids = ids ? ids : cat->sids;
        free(copy);
        return error_oom();
    }
    cat->sids = ids;
    catalog_stem_ids(cat, &cat->words, ids);
    cat->sn = cat->words.n;
    if (len)
        memcpy(copy, text, len);
    free(cat->last);
    cat->last = copy;
    cat->last_len = len;
    cat->cached = 1;
    return 0;
}

void catalog_stem_ids(const posdiff_catalog *cat, const stem_list *l,
                      uint32_t *out)
{
    for (size_t k = 0; k < l->n; k++)
        out[k] = stem_list_find_id(l, k, &cat->dict, cat);
}

/* 1 if phrase ph occurs in sentence sids[0..sn) (see the file comment). */
static int phrase_occurs(long *end, const phrase *ph, const uint32_t *sids,
                         size_t sn)
{
    for (size_t k = 0; k < ph->n; k++)
        end[k] = -1;
    for (size_t j = 0; j < sn; j++) {
        for (size_t k = ph->n; k-- > 0;) {
            if (sids[j] != ph->ids[k])
                continue;
            if (k == 0 || (end[k - 1] >= 0 &&
                           (long)j - end[k - 1] - 1 <= POSDIFF_MATCH_GAP))
                end[k] = (long)j;
        }
        if (end[ph->n - 1] >= 0)
            return 1;
    }
    return 0;
}

int posdiff_catalog_matches(const posdiff_catalog *ccat, size_t i,
                            const char *text, size_t len)
{
    posdiff_catalog *cat = (posdiff_catalog *)ccat; /* cache, see above */

    if (!cat || i >= cat->count || (!text && len))
        return 0;
    if (load_sentence(cat, text, len) < 0)
        return 0;
    return catalog_matches_stems(cat, i, cat->sids, cat->sn);
}

int catalog_matches_stems(const posdiff_catalog *cat, size_t i,
                          const uint32_t *ids, size_t n)
{
    if (!cat || i >= cat->count || (!ids && n))
        return 0;
    for (size_t k = 0; k < cat->pos[i].match_count; k++)
        if (phrase_occurs(cat->end, &cat->phr[i][k], ids, n))
            return 1;
    return 0;
}

void catalog_match_all(const posdiff_catalog *ccat, const uint32_t *ids,
                       size_t n, unsigned char *in)
{
    posdiff_catalog *cat = (posdiff_catalog *)ccat; /* scratch, see above */

    if (!cat || (!ids && n))
        return;
    if (++cat->serial == 0) { /* wrapped: no stale mark may match */
        memset(cat->seen, 0, (cat->dict.n + 2) * sizeof(*cat->seen));
        cat->serial = 1;
    }
    for (size_t j = 0; j < n; j++) {
        uint32_t w = ids[j];
        if (w == 0 || cat->seen[w] == cat->serial)
            continue;
        cat->seen[w] = cat->serial;
        for (size_t r = cat->first_at[w]; r < cat->first_at[w + 1]; r++) {
            const phrase_ref *ref = &cat->by_first[r];
            if (!in[ref->pos] &&
                phrase_occurs(cat->end, &cat->phr[ref->pos][ref->k], ids, n))
                in[ref->pos] = 1;
        }
    }
}

void posdiff_catalog_free(posdiff_catalog *cat)
{
    if (!cat)
        return;
    for (size_t i = 0; i < cat->count; i++) {
        for (size_t k = 0; cat->phr[i] && k < cat->pos[i].match_count; k++)
            free(cat->phr[i][k].ids);
        free(cat->phr[i]);
        free_position(&cat->pos[i]);
    }
    free(cat->pos);
    free(cat->phr);
    stemmer_free(&cat->st);
    stem_dict_free(&cat->dict);
    stem_list_free(&cat->words);
    free(cat->last);
    free(cat->sids);
    free(cat->end);
    free(cat->first_at);
    free(cat->by_first);
    free(cat->seen);
    free(cat);
}
