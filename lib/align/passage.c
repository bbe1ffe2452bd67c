/*
 * passage.c - the tracker's passages (free, copy, features), a step's
 * owned memory, and the features of the catalog's examples: the pieces
 * that align.c, members.c, records.c, align_state.c and compare.c share.
 */
#include <stdlib.h>
#include <string.h>

#include "align_int.h"
#include "util/errors.h"

void align_passage_free(passage *p)
{
    free(p->stmt);
    free(p->text);
    feat_free(&p->f);
    memset(p, 0, sizeof(*p));
}

void align_pstate_free(pstate *st)
{
    for (size_t k = 0; k < st->n; k++)
        align_passage_free(&st->act[k]);
    for (size_t d = 0; d < st->ndorm; d++)
        align_passage_free(&st->dorm[d]);
    free(st->act);
    free(st->dorm);
    free(st->stmt);
    memset(st, 0, sizeof(*st));
}

char *align_state_copy(const char *s, size_t len)
{
    char *p = malloc(len + 1);

    if (!p)
        return NULL;
    for (size_t i = 0; i < len; i++)
        p[i] = (s[i] == '\n' || s[i] == '\r') ? ' ' : s[i];
    p[len] = '\0';
    return p;
}

int align_reserve_owned(posdiff_step *s, size_t extra)
{
    size_t cap = s->cap ? s->cap : 16;
    void **p;

    if (s->nowned + extra <= s->cap)
        return 0;
    while (cap < s->nowned + extra)
        cap *= 2;
    if (!(p = realloc(s->owned, cap * sizeof(*p))))
        return error_oom();
    s->owned = p;
    s->cap = cap;
    return 0;
}

int align_own(posdiff_step *s, void *p)
{
    if (!p || align_reserve_owned(s, 1) < 0) {
        free(p);
        return error_oom();
    }
    s->owned[s->nowned++] = p;
    return 0;
}

int align_text_feat(posdiff_tracker *t, feat *f, const char *s, size_t len)
{
    int rc;

    *f = (feat)FEAT_INIT;
    if ((rc = stem_words(&t->words, &t->stem, s, len)) < 0 ||
        (rc = feat_build(f, &t->words, &t->dict)) < 0)
        feat_free(f);
    return rc;
}

int align_passage_feat(posdiff_tracker *t, passage *p)
{
    int rc;

    if (p->ready)
        return 0;
    if ((rc = feat_cache_get(&t->sents, p->text, p->len, &p->f, NULL, NULL)) == 0)
        rc = align_text_feat(t, &p->f, p->text, p->len);
    p->ready = rc >= 0;
    return rc < 0 ? rc : 0;
}

void align_examples_free(posdiff_tracker *t)
{
    for (size_t p = 0; t->ex && p < t->count; p++) {
        size_t n = posdiff_catalog_position(t->cat, p)->example_count;
        for (size_t k = 0; t->ex[p] && k < n; k++)
            feat_free(&t->ex[p][k]);
        free(t->ex[p]);
    }
    free(t->ex);
    t->ex = NULL;
}

int align_example_feats(posdiff_tracker *t)
{
    size_t np = t->count ? t->count : 1;
    int rc = 0;

    align_examples_free(t);
    if (!(t->ex = calloc(np, sizeof(*t->ex))))
        return error_oom();
    for (size_t p = 0; p < t->count && rc == 0; p++) {
        const posdiff_position *pos = posdiff_catalog_position(t->cat, p);
        if (!(t->ex[p] = calloc(pos->example_count + 1, sizeof(feat))))
            return error_oom();
        for (size_t k = 0; k < pos->example_count && rc == 0; k++)
            rc = align_text_feat(t, &t->ex[p][k], pos->example[k], strlen(pos->example[k]));
    }
    return rc;
}

int align_count(posdiff_tracker *t, const posdiff_sentence *s, size_t n)
{
    int rc = 0;

    for (size_t k = 0; k < n && rc == 0; k++) {
        feat f;
        if ((rc = align_text_feat(t, &f, s[k].text, s[k].len)) == 0)
            rc = weights_add(&t->w, &f);
        feat_free(&f);
    }
    return rc < 0 ? rc : weights_ready(&t->w);
}

