/*
 * explain.c - why each passage of a step is one, for `posdiff why`
 * (posdiff_tracker_explain): a review decision, else the phrase that
 * matched and its words, else the heading whose section it stands in,
 * else the example or active passage it resembles at the join bar; and
 * the earlier passages of the position it was compared with, most
 * similar first.  Recomputed from the step's data after the fact, only
 * in explained steps, so the aligner itself stays as it is.
 */
#include <stdlib.h>
#include <string.h>

#include "align_int.h"
#include "catalog_int.h"
#include "util/errors.h"

#define WHY_CANDIDATES 5

/* The heading (level > 1) whose section sentence @p k of @p p stands in,
 * as members.c opens and closes them; -1 if none. */
static long section_of(const step_work *w, size_t p, size_t k)
{
    long open = -1;
    int level = 0;

    for (size_t h = 0; h < k; h++) {
        int lv = w->sent[h].heading;
        if (!lv)
            continue;
        if (open >= 0 && lv <= level)
            open = -1;
        if (lv > 1 && catalog_match(w->t->cat, p, w->cid[h], w->cn[h], NULL))
            open = (long)h, level = lv;
    }
    return open;
}

/* Copy @p s[0..n) into the step (NULL when out of memory). */
static const char *own_copy(step_work *w, const char *s, size_t n)
{
    char *c = mem_dup0(s, n);

    return align_own(w->s, c) == 0 ? c : NULL;
}

static int member(step_work *w, size_t p, const pstate *old, const feat *nf, double nm,
                  size_t k, posdiff_why *y)
{
    const posdiff_position *pos = posdiff_catalog_position(w->t->cat, p);
    catalog_hit hit;
    long h;

    if (align_review_marked(w, p, &w->sent[k], 1)) {
        y->member = POSDIFF_WHY_REVIEW;
    } else if (catalog_match(w->t->cat, p, w->cid[k], w->cn[k], &hit)) {
        y->member = POSDIFF_WHY_PHRASE;
        y->phrase = pos->match[hit.phrase];
        y->word_start = hit.start, y->word_end = hit.end;
    } else if ((h = section_of(w, p, k)) >= 0) {
        y->member = POSDIFF_WHY_SECTION;
        y->heading_line = w->sent[h].line;
        catalog_match(w->t->cat, p, w->cid[h], w->cn[h], &hit);
        y->phrase = pos->match[hit.phrase];
    } else {
        y->member = POSDIFF_WHY_JOIN;
        for (size_t i = 0; i < pos->example_count + old->n; i++) {
            const feat *f = i < pos->example_count ? &w->t->ex[p][i] : &old->act[i - pos->example_count].f;
            double sim = similarity_of(feat_shared(&w->t->w, nf, f), nm, feat_mass(&w->t->w, f));
            if (sim > y->joined_similarity) {
                y->joined_similarity = sim;
                y->joined = i < pos->example_count ? pos->example[i] : old->act[i - pos->example_count].text;
            }
        }
        if (y->joined && !(y->joined = own_copy(w, y->joined, strlen(y->joined))))
            return POSDIFF_ENOMEM;
    }
    return 0;
}

/* The earlier passages most similar to the new one, into y->candidates. */
static int candidates(step_work *w, const pstate *old, const feat *nf, double nm,
                      const feat *of, posdiff_why *y)
{
    posdiff_source *c = calloc(WHY_CANDIDATES, sizeof(*c));
    unsigned char *dorm = calloc(WHY_CANDIDATES, 1);
    size_t n = 0;

    if (align_own(w->s, c) < 0 || align_own(w->s, dorm) < 0)
        return POSDIFF_ENOMEM;
    for (size_t o = 0; o < old->n + old->ndorm; o++) {
        const passage *q = o < old->n ? &old->act[o] : &old->dorm[o - old->n];
        double sim = similarity_of(feat_shared(&w->t->w, nf, &of[o]), nm, feat_mass(&w->t->w, &of[o]));
        size_t at;
        if (sim <= 0 || (n == WHY_CANDIDATES && sim <= c[n - 1].similarity))
            continue;
        at = n < WHY_CANDIDATES ? n++ : n - 1; /* full: over the least similar */
        for (; at > 0 && c[at - 1].similarity < sim; at--)
            c[at] = c[at - 1], dorm[at] = dorm[at - 1];
        c[at] = (posdiff_source){o < old->n ? old->stmt : q->stmt, q->text, q->len, sim};
        dorm[at] = o >= old->n;
    }
    for (size_t i = 0; i < n; i++)
        if (!(c[i].statement = own_copy(w, c[i].statement, strlen(c[i].statement))) ||
            !(c[i].text = own_copy(w, c[i].text, c[i].len)))
            return POSDIFF_ENOMEM;
    y->candidates = c;
    y->dormant = dorm;
    y->candidate_count = n;
    return 0;
}

int align_explain(step_work *w, size_t p, const pstate *old, const feat *nf,
                  const double *nm, const feat *of, step_entry *e)
{
    int rc = align_own(w->s, e->why = calloc(e->npass + 1, sizeof(*e->why)));

    for (size_t n = 0; n < e->npass && rc == 0; n++)
        if ((rc = member(w, p, old, &nf[n], nm[n], w->mem[p][n], &e->why[n])) == 0)
            rc = candidates(w, old, &nf[n], nm[n], of, &e->why[n]);
    return rc;
}

void posdiff_tracker_explain(posdiff_tracker *t, int on)
{
    if (t)
        t->explain = on;
}

const posdiff_why *posdiff_step_why(const posdiff_step *s, size_t i, size_t k)
{
    return s && i < s->count && s->e[i].why && k < s->e[i].npass ? &s->e[i].why[k] : NULL;
}
