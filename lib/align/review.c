/*
 * review.c - an analyst's decisions (posdiff/catalog.h, review.conf)
 * applied by the tracker: a sentence of the statement stepped made a
 * passage of a position or taken out of it (members.c calls
 * align_review_members), a new passage linked to an earlier one or kept
 * from it (records.c, through the lineage's overrides).  Each decision
 * that finds its sentence is marked used, so check can report those
 * that no longer match (stale).
 */
#include <stdlib.h>
#include <string.h>

#include "align_int.h"
#include "util/errors.h"

int align_review_init(posdiff_tracker *t)
{
    if (!(t->used = calloc(t->count + 1, sizeof(*t->used))))
        return error_oom();
    for (size_t p = 0; p < t->count; p++)
        if (!(t->used[p] = calloc(posdiff_catalog_position(t->cat, p)->review_count + 1, 1)))
            return error_oom();
    return 0;
}

void align_review_free(posdiff_tracker *t)
{
    for (size_t p = 0; t->used && p < t->count; p++)
        free(t->used[p]);
    free(t->used);
}

int posdiff_tracker_review_used(const posdiff_tracker *t, size_t p, size_t r)
{
    return t && p < t->count && r < posdiff_catalog_position(t->cat, p)->review_count &&
           t->used[p][r];
}

/* The sentence of the step whose text is @p text (no heading), or -1. */
static long sentence_of(const step_work *w, const char *text)
{
    size_t n = strlen(text);

    for (size_t k = 0; k < w->nsent; k++)
        if (w->sent[k].len == n && !w->sent[k].heading && !memcmp(w->sent[k].text, text, n))
            return (long)k;
    return -1;
}

/* Decision @p r of position @p p, when it is about this statement. */
static const posdiff_review *review_here(const step_work *w, size_t p, size_t r)
{
    const posdiff_position *pp = posdiff_catalog_position(w->t->cat, p);

    return r < pp->review_count && !strcmp(pp->review[r].statement, w->stmt) ? &pp->review[r]
                                                                              : NULL;
}

int align_review_members(step_work *w)
{
    for (size_t p = 0; p < w->t->count; p++)
        for (size_t r = 0; r < posdiff_catalog_position(w->t->cat, p)->review_count; r++) {
            const posdiff_review *rv = review_here(w, p, r);
            long k = rv && rv->kind <= POSDIFF_REVIEW_NOT_PASSAGE ? sentence_of(w, rv->text) : -1;
            size_t i = 0, *m = w->mem[p];
            if (k < 0)
                continue;
            w->t->used[p][r] = 1;
            while (i < w->nmem[p] && m[i] < (size_t)k)
                i++;
            if (rv->kind == POSDIFF_REVIEW_NOT_PASSAGE && i < w->nmem[p] && m[i] == (size_t)k) {
                memmove(m + i, m + i + 1, (--w->nmem[p] - i) * sizeof(*m));
            } else if (rv->kind == POSDIFF_REVIEW_PASSAGE && (i == w->nmem[p] || m[i] != (size_t)k)) {
                if (!(m = realloc(m, (w->nmem[p] + 1) * sizeof(*m))))
                    return error_oom();
                memmove(m + i + 1, m + i, (w->nmem[p]++ - i) * sizeof(*m));
                m[i] = (size_t)k;
                w->mem[p] = m;
            }
        }
    return 0;
}

int align_review_links(const step_work *w, size_t p, const pstate *old, lin_override **out,
                       size_t *n)
{
    const posdiff_position *pp = posdiff_catalog_position(w->t->cat, p);
    size_t a = old->n, nd = old->ndorm;

    *out = NULL;
    *n = 0;
    for (size_t r = 0; r < pp->review_count; r++) {
        const posdiff_review *rv = review_here(w, p, r);
        long k = rv && rv->kind >= POSDIFF_REVIEW_SAME ? sentence_of(w, rv->text) : -1;
        size_t i = 0, o = 0;
        while (k >= 0 && i < w->nmem[p] && w->mem[p][i] != (size_t)k)
            i++;
        for (; k >= 0 && i < w->nmem[p] && o < a + nd; o++) {
            const passage *q = o < a ? &old->act[o] : &old->dorm[o - a];
            const char *stmt = o < a ? old->stmt : q->stmt; /* active: the state's */
            if (stmt && !strcmp(stmt, rv->old_statement) && !strcmp(q->text, rv->old_text))
                break;
        }
        if (k < 0 || i == w->nmem[p] || o == a + nd)
            continue;
        w->t->used[p][r] = 1;
        if (!(*out = realloc(*out, (*n + 1) * sizeof(**out))))
            return error_oom();
        (*out)[(*n)++] = (lin_override){i, o, rv->kind == POSDIFF_REVIEW_SAME};
    }
    return 0;
}

int align_review_marked(const step_work *w, size_t p, const posdiff_sentence *se, int member)
{
    for (size_t r = 0; r < posdiff_catalog_position(w->t->cat, p)->review_count; r++) {
        const posdiff_review *rv = review_here(w, p, r);
        if (rv && (member ? rv->kind == POSDIFF_REVIEW_PASSAGE : rv->kind != POSDIFF_REVIEW_NOT_PASSAGE) &&
            w->t->used[p][r] &&
            strlen(rv->text) == se->len && !memcmp(rv->text, se->text, se->len))
            return 1;
    }
    return 0;
}
