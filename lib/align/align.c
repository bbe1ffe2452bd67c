/*
 * align.c - follow positions across a series of statements: the tracker
 * and one step (posdiff_tracker_step).
 *
 * State, per position: its active passages (of the last statement that
 * stated it), its dormant ones (stated before, not restated since, at
 * most DORMANT_MAX), and for the tracker the word counts (weights.h).
 * A step stems the statement's units and counts them in, finds each
 * position's passages (members.c), links them to earlier passages
 * (lineage.c), turns the links into records (records.c) and makes the
 * next state.  It is computed in full before the tracker changes: on
 * error the tracker is as it was.  Thresholds: README "Alignment".
 */
#include "posdiff/align.h"

#include <stdlib.h>
#include <string.h>

#include "align_int.h"
#include "catalog_int.h"
#include "util/errors.h"

#define WEAK_THRESHOLD POSDIFF_WEAK_BAR
#define STRONG_THRESHOLD POSDIFF_STRONG_BAR
#define JOIN_THRESHOLD POSDIFF_JOIN_BAR
#define REVIVAL_MARGIN 0.1

/* ---- tracker ---- */

static double option(double v, double def)
{
    return v == 0 ? def : v;
}

static int check_options(const posdiff_align_options *o)
{
    if (o->version < 1 || o->version > POSDIFF_ALIGN_OPTIONS_VERSION ||
        !(o->link_threshold >= 0 && o->link_threshold <= 1) ||
        !(o->unmatched_threshold >= 0 && o->unmatched_threshold <= 1) ||
        (o->version >= 2 && !(o->strong_threshold >= 0 && o->strong_threshold <= 1)))
        return error_set(POSDIFF_EINVALID,
                         "align: bad options (version %u, thresholds in [0,1])",
                         o->version);
    return 0;
}

int posdiff_tracker_new(posdiff_tracker **out, const posdiff_catalog *cat,
                        const posdiff_align_options *opts)
{
    posdiff_align_options o = POSDIFF_ALIGN_OPTIONS_INIT;
    posdiff_tracker *t;
    int rc;

    *out = NULL;
    if (opts)
        memcpy(&o, opts, opts->version >= 2 ? sizeof(o) : offsetof(posdiff_align_options, strong_threshold));
    if (!cat)
        return error_set(POSDIFF_EINVALID, "align: no catalog");
    if ((rc = check_options(&o)) < 0)
        return rc;
    if (!(t = calloc(1, sizeof(*t))))
        return error_oom();
    t->cat = cat;
    t->count = posdiff_catalog_count(cat);
    t->lp.weak = option(o.link_threshold, WEAK_THRESHOLD);
    t->lp.strong = option(o.version >= 2 ? o.strong_threshold : 0, STRONG_THRESHOLD);
    t->lp.margin = REVIVAL_MARGIN;
    t->join = option(o.unmatched_threshold, JOIN_THRESHOLD);
    t->st = calloc(t->count ? t->count : 1, sizeof(*t->st));
    if (!t->st || (rc = stemmer_init(&t->stem)) < 0 || (rc = align_example_feats(t)) < 0 ||
        (rc = align_review_init(t)) < 0) {
        posdiff_tracker_free(t);
        return rc < 0 ? rc : error_oom();
    }
    *out = t;
    return 0;
}

void posdiff_tracker_free(posdiff_tracker *t)
{
    if (!t)
        return;
    for (size_t i = 0; t->st && i < t->count; i++)
        align_pstate_free(&t->st[i]);
    free(t->st);
    align_review_free(t);
    align_examples_free(t);
    stemmer_free(&t->stem);
    stem_dict_free(&t->dict);
    stem_list_free(&t->words);
    feat_cache_free(&t->sents);
    weights_free(&t->w);
    free(t);
}

/* ---- step: setup ---- */

static int check_step_args(const posdiff_tracker *t, const char *id,
                           const posdiff_sentence *sent, size_t count)
{
    if (!t || !id || (count && !sent))
        return error_set(POSDIFF_EINVALID, "align: missing argument");
    if (!posdiff_id_valid(id))
        return error_set(POSDIFF_EINVALID,
                         "statement \"%s\": invalid id; use [a-z0-9][a-z0-9.-]*", id);
    for (size_t k = 0; k < count; k++)
        if (!sent[k].text && sent[k].len)
            return error_set(POSDIFF_EINVALID, "align: sentence %zu has no text", k);
    return 0;
}

/* Copy the sentences into one step-owned block. */
static int copy_sentences(step_work *w, const posdiff_sentence *in, size_t n)
{
    posdiff_sentence *v = calloc(n ? n : 1, sizeof(*v));
    size_t total = 0, at = 0;
    char *block;
    int rc;

    if (!(w->sent = v))
        return error_oom();
    w->nsent = n;
    for (size_t k = 0; k < n; k++)
        total += in[k].len;
    if ((rc = align_own(w->s, block = malloc(total ? total : 1))) < 0)
        return rc;
    for (size_t k = 0; k < n; k++) {
        if (in[k].len)
            memcpy(block + at, in[k].text, in[k].len);
        v[k] = (posdiff_sentence){block + at, in[k].len, in[k].line, in[k].heading};
        at += in[k].len;
    }
    return 0;
}

/* Sentence k's features and its stems as catalog phrase ids: the sentence
 * is stemmed once for both (or found in the feature cache). */
static int sentence_feat(step_work *w, size_t k)
{
    posdiff_tracker *t = w->t;
    const posdiff_sentence *se = &w->sent[k];
    uint32_t *cid;
    int rc;

    if (feat_cache_lend(&t->sents, se->text, se->len, &w->sf[k], &w->cid[k], &w->cn[k])) {
        w->lent[k] = 1; /* the cache lives longer than the step */
        return 0;
    }
    if ((rc = align_text_feat(t, &w->sf[k], se->text, se->len)) < 0)
        return rc;
    if (!(cid = malloc((t->words.n ? t->words.n : 1) * sizeof(*cid))))
        return error_oom();
    catalog_stem_ids(t->cat, &t->words, cid);
    w->cid[k] = cid;
    w->cn[k] = t->words.n;
    feat_cache_put(&t->sents, se->text, se->len, &w->sf[k], cid, w->cn[k]);
    return 0;
}

/* Features of the sentences, counted into the weights, then their masses. */
static int work_features(step_work *w)
{
    size_t n = w->nsent ? w->nsent : 1;
    int rc = 0;

    w->sf = calloc(n, sizeof(*w->sf));
    w->sm = calloc(n, sizeof(*w->sm));
    w->cid = calloc(n, sizeof(*w->cid));
    w->cn = calloc(n, sizeof(*w->cn));
    w->lent = calloc(n, 1);
    if (!w->sf || !w->sm || !w->cid || !w->cn || !w->lent)
        return error_oom();
    for (size_t k = 0; k < w->nsent && rc == 0; k++)
        if ((rc = sentence_feat(w, k)) == 0 && (rc = weights_add(&w->t->w, &w->sf[k])) == 0)
            w->counted++;
    if (rc == 0)
        rc = weights_ready(&w->t->w);
    for (size_t k = 0; k < w->nsent && rc == 0; k++)
        w->sm[k] = feat_mass(&w->t->w, &w->sf[k]);
    return rc;
}

static int work_init(step_work *w, posdiff_tracker *t, const char *id,
                     const posdiff_sentence *sent, size_t n)
{
    size_t np = t->count ? t->count : 1;
    char *stmt;
    int rc;

    memset(w, 0, sizeof(*w));
    w->t = t;
    if (!(w->s = calloc(1, sizeof(*w->s))) || !(w->s->e = calloc(np, sizeof(*w->s->e))))
        return error_oom();
    w->s->count = t->count;
    if ((rc = align_own(w->s, stmt = strdup(id))) < 0)
        return rc;
    w->stmt = stmt;
    if ((rc = copy_sentences(w, sent, n)) < 0)
        return rc;
    if (!(w->mem = calloc(np, sizeof(*w->mem))) || !(w->nmem = calloc(np, sizeof(*w->nmem))) ||
        !(w->next = calloc(np, sizeof(*w->next))) || !(w->keep = calloc(np, sizeof(*w->keep))) ||
        !(w->nkeep = calloc(np, sizeof(*w->nkeep))))
        return error_oom();
    return work_features(w);
}

static void work_free(step_work *w)
{
    size_t np = w->t->count;

    for (size_t k = 0; w->sf && k < w->nsent; k++)
        if (!w->lent || !w->lent[k]) {
            feat_free(&w->sf[k]);
            free((void *)w->cid[k]);
        }
    for (size_t p = 0; w->mem && p < np; p++)
        free(w->mem[p]);
    for (size_t p = 0; w->keep && p < np; p++)
        free(w->keep[p]);
    free(w->keep), free(w->nkeep);
    for (size_t p = 0; w->next && p < np; p++)
        align_pstate_free(&w->next[p]);
    free(w->sf), free(w->sm), free(w->cid), free(w->cn), free(w->lent);
    free(w->mem), free(w->nmem), free(w->next);
    free((void *)w->sent);
    posdiff_step_free(w->s);
}

/* ---- step: commit ---- */

/* Position p's old active texts and statement move into the step (its
 * records point at them), the dormant passages it keeps move into the
 * new state; the rest of the old state is freed. */
static void commit_position(step_work *w, size_t p)
{
    pstate *st = &w->t->st[p], *nx = &w->next[p];

    for (size_t i = 0; i < w->nkeep[p]; i++) {
        nx->dorm[nx->ndorm++] = st->dorm[w->keep[p][i]];
        memset(&st->dorm[w->keep[p][i]], 0, sizeof(passage));
    }
    for (size_t k = 0; k < st->n; k++) {
        w->s->owned[w->s->nowned++] = st->act[k].text;
        st->act[k].text = NULL;
    }
    if (st->stmt)
        w->s->owned[w->s->nowned++] = st->stmt;
    st->stmt = NULL;
    align_pstate_free(st);
    *st = w->next[p];
    memset(&w->next[p], 0, sizeof(w->next[p]));
}

static int commit(step_work *w)
{
    size_t need = 0;
    int rc;

    for (size_t p = 0; p < w->t->count; p++)
        if (w->next[p].stmt)
            need += w->t->st[p].n + 1;
    if ((rc = align_reserve_owned(w->s, need)) < 0)
        return rc;
    for (size_t p = 0; p < w->t->count; p++)
        if (w->next[p].stmt)
            commit_position(w, p);
    return 0;
}

int posdiff_tracker_step(posdiff_step **out, posdiff_tracker *t, const char *statement_id,
                         const posdiff_sentence *sentences, size_t count)
{
    step_work w;
    int rc;

    if (out)
        *out = NULL;
    if (!out)
        return error_set(POSDIFF_EINVALID, "align: missing argument");
    if ((rc = check_step_args(t, statement_id, sentences, count)) < 0)
        return rc;
    feat_cache_turn(&t->sents); /* between steps: no loan is out */
    rc = work_init(&w, t, statement_id, sentences, count);
    if (rc == 0)
        rc = align_find_members(&w);
    for (size_t p = 0; p < t->count && rc == 0; p++)
        rc = align_step_position(&w, p);
    if (rc == 0 && (rc = commit(&w)) == 0) {
        *out = w.s;
        w.s = NULL;
    }
    for (size_t k = 0; rc < 0 && k < w.counted; k++)
        weights_sub(&t->w, &w.sf[k]); /* the tracker as it was */
    work_free(&w);
    return rc;
}
