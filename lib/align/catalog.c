/*
 * catalog.c - the catalog of positions and phrase matching.
 *
 * Building the catalog copies the positions, validates their ids
 * (posdiff_id_valid, unique) and stems every match and exclude phrase
 * into word ids (words.c).  Function words in a phrase ("the", "of") are
 * dropped, and a phrase of function words only is refused: "store the
 * data" is matched as store..data and catches "store the data" and
 * "store data"; the gap still counts every word of the sentence.
 *
 * A phrase p[0..m) occurs where there are word indexes j0 < j1 < ... with
 * s[jk] = p[k] and jk - j(k-1) - 1 <= POSDIFF_MATCH_GAP.  One left to
 * right pass keeps, for each k, the latest index where the prefix p[0..k]
 * can end (the best one to extend, since only the gap to the previous
 * word is constrained) and where that chain started; a phrase whose
 * first word the sentence lacks is not looked at.  Exclusion: the words
 * of every occurrence of an exclude phrase are marked, and a match may
 * not start on a marked word.
 */
#include "posdiff/catalog.h"

#include <stdlib.h>
#include <string.h>

#include "catalog_int.h"
#include "util/errors.h"

typedef struct {
    uint32_t *ids; /* stem ids of the phrase's words */
    size_t n;
} phrase;

typedef struct {
    phrase *match, *exclude;
} phrases;

struct posdiff_catalog {
    posdiff_position *pos; /* copies */
    phrases *phr;          /* per position */
    size_t count;
    stemmer st;            /* with its word cache */
    stem_dict dict;        /* phrase stems only */
    stem_list words;       /* scratch */
    uint32_t *sids;        /* scratch: a sentence's word ids */
    unsigned char *mark;   /* scratch: excluded words of the sentence */
    uint32_t *seen;        /* seen[id] == serial: phrase word id is in the sentence */
    uint32_t serial;
    long *end, *start;     /* scratch: one per phrase word */
    size_t cap, max_words;
};

static void free_strings(const char *const *v, size_t n)
{
    for (size_t k = 0; k < n; k++)
        free((char *)v[k]);
    free((void *)v);
}

static void free_position(posdiff_position *p)
{
    free((char *)p->id);
    free((char *)p->title);
    free_strings(p->match, p->match_count);
    free_strings(p->exclude, p->exclude_count);
    free_strings(p->example, p->example_count);
    for (size_t k = 0; p->review && k < p->review_count; k++) {
        free((char *)p->review[k].statement), free((char *)p->review[k].text);
        free((char *)p->review[k].old_statement), free((char *)p->review[k].old_text);
    }
    free((void *)p->review);
}

static int copy_strings(const char *const **dst, size_t *dn, const char *const *src,
                        size_t n)
{
    const char **v = calloc(n ? n : 1, sizeof(*v));

    *dst = v;
    *dn = 0;
    if (!v)
        return error_oom();
    for (; *dn < n; (*dn)++)
        if (!(v[*dn] = strdup(src[*dn])))
            return error_oom();
    return 0;
}

static int copy_position(posdiff_position *dst, const posdiff_position *src)
{
    int rc;

    dst->id = strdup(src->id);
    dst->title = strdup(src->title ? src->title : "");
    if (!dst->id || !dst->title)
        return error_oom();
    if ((rc = copy_strings(&dst->match, &dst->match_count, src->match,
                           src->match_count)) < 0 ||
        (rc = copy_strings(&dst->exclude, &dst->exclude_count, src->exclude,
                           src->exclude_count)) < 0)
        return rc;
    if ((rc = copy_strings(&dst->example, &dst->example_count, src->example,
                           src->example_count)) < 0)
        return rc;
    posdiff_review *r = calloc(src->review_count + 1, sizeof(*r));
    if (!(dst->review = r))
        return error_oom();
    for (; dst->review_count < src->review_count; dst->review_count++, r++) {
        const posdiff_review *q = &src->review[dst->review_count];
        r->kind = q->kind;
        r->statement = strdup(q->statement), r->text = strdup(q->text);
        r->old_statement = strdup(q->old_statement ? q->old_statement : "");
        r->old_text = strdup(q->old_text ? q->old_text : "");
        if (!r->statement || !r->text || !r->old_statement || !r->old_text)
            return error_oom();
    }
    return 0;
}

static int strings_valid(const char *id, const char *what, const char *const *v,
                         size_t n)
{
    if (n && !v)
        return error_set(POSDIFF_EINVALID, "position \"%s\": no %s array", id, what);
    for (size_t k = 0; k < n; k++)
        if (!v[k])
            return error_set(POSDIFF_EINVALID, "position \"%s\": NULL %s", id, what);
    return 0;
}

static int validate(const posdiff_position *p, size_t count)
{
    int rc;

    for (size_t i = 0; i < count; i++) {
        if (!p[i].id || !posdiff_id_valid(p[i].id))
            return error_set(POSDIFF_EINVALID,
                             "position \"%s\": invalid id; use [a-z0-9][a-z0-9.-]*, at most 128 characters",
                             p[i].id ? p[i].id : "");
        if (p[i].match_count == 0)
            return error_set(POSDIFF_EINVALID,
                             "position \"%s\": no match phrase; add one", p[i].id);
        if ((rc = strings_valid(p[i].id, "phrase", p[i].match, p[i].match_count)) < 0 ||
            (rc = strings_valid(p[i].id, "exclude phrase", p[i].exclude,
                                p[i].exclude_count)) < 0 ||
            (rc = strings_valid(p[i].id, "example", p[i].example, p[i].example_count)) < 0)
            return rc;
        for (size_t j = 0; j < i; j++)
            if (strcmp(p[i].id, p[j].id) == 0)
                return error_set(POSDIFF_EINVALID,
                                 "position \"%s\": defined twice; rename one", p[i].id);
    }
    return 0;
}

/* Stem one phrase into ids (its content words; it must have one). */
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
        return error_set(POSDIFF_EINVALID, "position \"%s\": phrase \"%s\" has no word",
                         pos_id, text);
    if (content == 0)
        return error_set(POSDIFF_EINVALID, "position \"%s\": phrase \"%s\" has only "
                         "function words, which every sentence holds; add a content word",
                         pos_id, text);
    if (!(ph->ids = malloc(cat->words.n * sizeof(*ph->ids))))
        return error_oom();
    for (size_t k = 0; k < cat->words.n; k++) {
        if (cat->words.stop[k])
            continue;
        if ((rc = stem_dict_intern(&cat->dict, stem_at(&cat->words, k),
                                   &ph->ids[ph->n++])) < 0)
            return rc;
    }
    if (ph->n > cat->max_words)
        cat->max_words = ph->n;
    return 0;
}

static int stem_all(posdiff_catalog *cat, phrase **out, const char *id,
                    const char *const *v, size_t n)
{
    int rc = 0;

    if (!(*out = calloc(n ? n : 1, sizeof(**out))))
        return error_oom();
    for (size_t k = 0; k < n && rc == 0; k++)
        rc = stem_phrase(cat, &(*out)[k], id, v[k]);
    return rc;
}

static int build_position(posdiff_catalog *cat, size_t i, const posdiff_position *src)
{
    int rc;

    if ((rc = copy_position(&cat->pos[i], src)) < 0 ||
        (rc = stem_all(cat, &cat->phr[i].match, src->id, src->match,
                       src->match_count)) < 0)
        return rc;
    return stem_all(cat, &cat->phr[i].exclude, src->id, src->exclude,
                    src->exclude_count);
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
    for (; cat->count < count; cat->count++)
        if ((rc = build_position(cat, cat->count, &positions[cat->count])) < 0) {
            cat->count++;
            goto fail;
        }
    cat->end = malloc((cat->max_words + 1) * sizeof(*cat->end));
    cat->start = malloc((cat->max_words + 1) * sizeof(*cat->start));
    cat->seen = calloc(cat->dict.n + 1, sizeof(*cat->seen));
    if (!cat->end || !cat->start || !cat->seen) {
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

const posdiff_position *posdiff_catalog_position(const posdiff_catalog *cat, size_t i)
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

void catalog_stem_ids(const posdiff_catalog *cat, const stem_list *l, uint32_t *out)
{
    for (size_t k = 0; k < l->n; k++)
        out[k] = stem_list_find_id(l, k, &cat->dict, cat);
}

/*
 * Occurrences of @p ph in ids[0..n) (file comment), not starting on a
 * marked word (@p mark may be NULL): with @p set, mark the words of every
 * occurrence and return 0; else return 1 at the first one, into @p hit.
 */
static int occurs(posdiff_catalog *cat, const phrase *ph, const uint32_t *ids, size_t n,
                  unsigned char *mark, int set, catalog_hit *hit)
{
    long *end = cat->end, *start = cat->start;

    if (cat->seen[ph->ids[0]] != cat->serial)
        return 0;
    for (size_t k = 0; k < ph->n; k++)
        end[k] = -1;
    for (size_t j = 0; j < n; j++) {
        for (size_t k = ph->n; k-- > 0;) {
            if (ids[j] != ph->ids[k])
                continue;
            if (k == 0 && !(mark && !set && mark[j]))
                end[0] = start[0] = (long)j;
            else if (k > 0 && end[k - 1] >= 0 &&
                     (long)j - end[k - 1] - 1 <= POSDIFF_MATCH_GAP)
                end[k] = (long)j, start[k] = start[k - 1];
        }
        if (end[ph->n - 1] != (long)j)
            continue;
        if (!set) {
            if (hit)
                hit->start = (size_t)start[ph->n - 1], hit->end = j;
            return 1;
        }
        memset(mark + start[ph->n - 1], 1, j + 1 - (size_t)start[ph->n - 1]);
    }
    return 0;
}

static int scratch(posdiff_catalog *cat, size_t n)
{
    unsigned char *m;

    if (n <= cat->cap)
        return 0;
    if (!(m = realloc(cat->mark, n)))
        return error_oom();
    cat->mark = m;
    cat->cap = n;
    return 0;
}

/* Stamp the phrase words of sentence ids[0..n) (cat->seen). */
static void stamp(posdiff_catalog *cat, const uint32_t *ids, size_t n)
{
    if (++cat->serial == 0) { /* wrapped: no stale stamp may match */
        memset(cat->seen, 0, (cat->dict.n + 1) * sizeof(*cat->seen));
        cat->serial = 1;
    }
    for (size_t j = 0; j < n; j++)
        cat->seen[ids[j]] = cat->serial; /* id 0 (no phrase word) included */
}

static int match_one(posdiff_catalog *cat, size_t i, const uint32_t *ids, size_t n,
                     catalog_hit *hit)
{
    const posdiff_position *p = &cat->pos[i];
    unsigned char *mark = NULL;

    if (p->exclude_count && n) {
        if (scratch(cat, n) < 0)
            return 0;
        mark = memset(cat->mark, 0, n);
        for (size_t k = 0; k < p->exclude_count; k++)
            occurs(cat, &cat->phr[i].exclude[k], ids, n, mark, 1, NULL);
    }
    for (size_t k = 0; k < p->match_count; k++)
        if (occurs(cat, &cat->phr[i].match[k], ids, n, mark, 0, hit)) {
            if (hit)
                hit->phrase = k;
            return 1;
        }
    return 0;
}

int catalog_match(const posdiff_catalog *ccat, size_t i, const uint32_t *ids, size_t n,
                  catalog_hit *hit)
{
    posdiff_catalog *cat = (posdiff_catalog *)ccat; /* scratch (file comment) */

    if (!cat || i >= cat->count || (!ids && n))
        return 0;
    stamp(cat, ids, n);
    return match_one(cat, i, ids, n, hit);
}

void catalog_match_all(const posdiff_catalog *ccat, const uint32_t *ids, size_t n,
                       unsigned char *in)
{
    posdiff_catalog *cat = (posdiff_catalog *)ccat; /* scratch (file comment) */

    if (!cat || (!ids && n))
        return;
    stamp(cat, ids, n);
    for (size_t i = 0; i < cat->count; i++)
        in[i] = (unsigned char)match_one(cat, i, ids, n, NULL);
}

int posdiff_catalog_matches(const posdiff_catalog *ccat, size_t i, const char *text,
                            size_t len)
{
    posdiff_catalog *cat = (posdiff_catalog *)ccat; /* scratch (file comment) */
    uint32_t *ids;
    int rc;

    if (!cat || i >= cat->count || (!text && len) ||
        stem_words(&cat->words, &cat->st, text, len) < 0)
        return 0;
    if (!(ids = realloc(cat->sids, (cat->words.n ? cat->words.n : 1) * sizeof(*ids))))
        return 0;
    cat->sids = ids;
    catalog_stem_ids(cat, &cat->words, ids);
    rc = catalog_match(cat, i, ids, cat->words.n, NULL);
    return rc;
}

void posdiff_catalog_free(posdiff_catalog *cat)
{
    if (!cat)
        return;
    for (size_t i = 0; i < cat->count; i++) {
        for (size_t k = 0; cat->phr[i].match && k < cat->pos[i].match_count; k++)
            free(cat->phr[i].match[k].ids);
        for (size_t k = 0; cat->phr[i].exclude && k < cat->pos[i].exclude_count; k++)
            free(cat->phr[i].exclude[k].ids);
        free(cat->phr[i].match);
        free(cat->phr[i].exclude);
        free_position(&cat->pos[i]);
    }
    free(cat->pos);
    free(cat->phr);
    stemmer_free(&cat->st);
    stem_dict_free(&cat->dict);
    stem_list_free(&cat->words);
    free(cat->sids);
    free(cat->mark);
    free(cat->end);
    free(cat->start);
    free(cat->seen);
    free(cat);
}

const char *posdiff_review_kind_name(posdiff_review_kind k)
{
    static const char *const names[] = {"passage", "not-passage", "same", "not-same"};

    return (unsigned)k < 4 ? names[k] : NULL;
}
