/*
 * members.c - step 1 of a tracker step: the passages of each position
 * (align.c describes the rules).  One candidate index over every
 * position's active passages and examples serves the join: each
 * sentence is compared with its candidates there, and joins every
 * position one of them belongs to at the join bar.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "align_int.h"
#include "candidates.h"
#include "catalog_int.h"
#include "util/errors.h"

/* What a sentence may join: active passages and examples, with their
 * position and mass. */
typedef struct {
    const feat **f;
    size_t *pos;
    double *mass;
    size_t n;
    cand_index x;
} join_set;

static int join_push(join_set *j, const feat *f, size_t p, weights *w)
{
    j->f[j->n] = f;
    j->pos[j->n] = p;
    j->mass[j->n++] = feat_mass(w, f);
    return 0;
}

static int join_build(join_set *j, posdiff_tracker *t)
{
    size_t total = 0;
    int rc = 0;

    memset(j, 0, sizeof(*j));
    for (size_t p = 0; p < t->count; p++)
        total += t->st[p].n + posdiff_catalog_position(t->cat, p)->example_count;
    j->f = malloc((total ? total : 1) * sizeof(*j->f));
    j->pos = malloc((total ? total : 1) * sizeof(*j->pos));
    j->mass = malloc((total ? total : 1) * sizeof(*j->mass));
    if (!j->f || !j->pos || !j->mass)
        return error_oom();
    for (size_t p = 0; p < t->count && rc == 0; p++) {
        for (size_t k = 0; k < t->st[p].n && rc == 0; k++)
            if ((rc = align_passage_feat(t, &t->st[p].act[k])) == 0)
                join_push(j, &t->st[p].act[k].f, p, &t->w);
        for (size_t k = 0; k < posdiff_catalog_position(t->cat, p)->example_count; k++)
            join_push(j, &t->ex[p][k], p, &t->w);
    }
    return rc < 0 ? rc : cand_index_build(&j->x, j->f, j->n);
}

static void join_free(join_set *j)
{
    free(j->f);
    free(j->pos);
    free(j->mass);
    cand_index_free(&j->x);
}

/* in[p] = 1 for each position sentence k restates (file comment). */
static int join_similar(step_work *w, join_set *j, size_t k, unsigned char *in)
{
    cand_answer a;
    int rc = cand_query(&a, &j->x, &w->t->w, &w->sf[k], CAND_JOIN_BUDGET, CAND_NEAR_NONE);

    for (size_t i = 0; i < a.n && rc == 0; i++) {
        size_t it = a.item[i];
        double sh;
        if (in[j->pos[it]])
            continue;
        sh = a.exact ? a.shared[i] : feat_shared(&w->t->w, &w->sf[k], j->f[it]);
        if (similarity_of(sh, w->sm[k], j->mass[it]) >= w->t->join)
            in[j->pos[it]] = 1;
    }
    return rc;
}

static int mem_push(step_work *w, size_t p, size_t k)
{
    size_t n = w->nmem[p];

    if ((n & (n - 1)) == 0) { /* 0, 1, 2, 4, ...: grow to 2n */
        size_t *v = realloc(w->mem[p], (n ? 2 * n : 1) * sizeof(*v));
        if (!v)
            return error_oom();
        w->mem[p] = v;
    }
    w->mem[p][w->nmem[p]++] = k;
    return 0;
}

/* A clause or quotation unit continuing its line's sentence in lower
 * case: part of that sentence, never a passage of its own. */
static int is_fragment(const step_work *w, size_t k)
{
    const posdiff_sentence *se = &w->sent[k];

    return k > 0 && w->sent[k - 1].line == se->line && !w->sent[k - 1].heading &&
           se->len && islower((unsigned char)se->text[0]);
}

static int is_label(const posdiff_sentence *se)
{
    return se->len && se->text[se->len - 1] == ':';
}

/* A heading closes the sections it does not nest in, and opens one for
 * each position it matches (the title, level 1, anchors nothing). */
static void heading(const step_work *w, size_t k, unsigned char *sect, int *level,
                    unsigned char *in)
{
    int lv = w->sent[k].heading;

    catalog_match_all(w->t->cat, w->cid[k], w->cn[k], in);
    for (size_t p = 0; p < w->t->count; p++) {
        if (sect[p] && lv <= level[p])
            sect[p] = 0;
        if (lv > 1 && in[p])
            sect[p] = 1, level[p] = lv;
    }
}

static int sentence_members(step_work *w, join_set *j, size_t k, unsigned char *in,
                            const unsigned char *sect)
{
    size_t np = w->t->count;
    int label = !w->t->whole && is_label(&w->sent[k]), rc = 0;

    if (w->sent[k].len == 0 || (!w->t->whole && is_fragment(w, k)))
        return 0;
    catalog_match_all(w->t->cat, w->cid[k], w->cn[k], in);
    for (size_t p = 0; p < np && !label; p++)
        in[p] |= sect[p];
    if (!label)
        rc = join_similar(w, j, k, in);
    for (size_t p = 0; p < np && rc == 0; p++)
        if (in[p])
            rc = mem_push(w, p, k);
    return rc;
}

int align_find_members(step_work *w)
{
    size_t np = w->t->count ? w->t->count : 1;
    unsigned char *in = calloc(np, 2), *sect = in ? in + np : NULL;
    int *level = calloc(np, sizeof(*level));
    join_set j;
    int rc = in && level ? join_build(&j, w->t) : error_oom();

    for (size_t k = 0; k < w->nsent && rc == 0; k++) {
        if (w->sent[k].heading)
            heading(w, k, sect, level, in);
        else
            rc = sentence_members(w, &j, k, in, sect);
    }
    if (in && level)
        join_free(&j);
    free(in);
    free(level);
    return rc < 0 ? rc : align_review_members(w);
}
