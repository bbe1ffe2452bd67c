/*
 * records.c - steps 2 to 4 of a tracker step for one restated position
 * (align.c): its lineage, the step's records (passages with their
 * predecessors, sources and word diffs; dropped passages; the entry's
 * status) and the position's next state; also the records' accessors.
 *
 * Records point into the step: the new passages into its copy of the
 * sentences, an active predecessor into the old state's strings (which
 * move into the step when it commits), a dormant one into a copy.
 */
#include <stdlib.h>
#include <string.h>

#include "align_int.h"
#include "util/errors.h"

/* One position's step: the lineage and where its old texts live. */
typedef struct {
    step_work *w;
    size_t p, a, d;      /* position; active and dormant passages */
    pstate *old;
    lineage lin;
    char **dcopy;        /* step-owned copies of dormant texts, by index */
    char **dstmt;        /* and of their statements */
} pos_step;

/* Statement and text of old passage @p o, as the step keeps them. */
static int old_ref(pos_step *ps, size_t o, const char **stmt, const char **text,
                   size_t *len)
{
    const passage *q;
    int rc;

    if (o < ps->a) {
        *stmt = ps->old->stmt;
        *text = ps->old->act[o].text;
        *len = ps->old->act[o].len;
        return 0;
    }
    o -= ps->a;
    q = &ps->old->dorm[o];
    if (!ps->dcopy[o] && ((rc = align_own(ps->w->s, ps->dcopy[o] = strdup(q->text))) < 0 ||
                          (rc = align_own(ps->w->s, ps->dstmt[o] = strdup(q->stmt))) < 0))
        return rc;
    *stmt = ps->dstmt[o];
    *text = ps->dcopy[o];
    *len = q->len;
    return 0;
}

static int fill_sources(pos_step *ps, posdiff_passage *r, const lin_link *l)
{
    posdiff_source *v = malloc((l->nsrc ? l->nsrc : 1) * sizeof(*v));
    int rc = align_own(ps->w->s, v);

    for (size_t i = 0; i < l->nsrc && rc == 0; i++) {
        const lin_source *s = &ps->lin.src[l->src + i];
        v[i].similarity = s->sim;
        rc = old_ref(ps, s->old, &v[i].statement, &v[i].text, &v[i].len);
    }
    r->sources = v;
    r->source_count = rc == 0 ? l->nsrc : 0;
    return rc;
}

static posdiff_passage_status status_of(const posdiff_passage *r, const lin_link *l,
                                        double strong)
{
    if (l->sim < strong)
        return POSDIFF_PASSAGE_RESTATED;
    if (l->moved)
        return POSDIFF_PASSAGE_MOVED;
    if (r->prev_len == r->len && memcmp(r->prev_text, r->text, r->len) == 0)
        return POSDIFF_PASSAGE_UNCHANGED;
    return POSDIFF_PASSAGE_CHANGED;
}

static int fill_passage(pos_step *ps, posdiff_passage *r, const posdiff_sentence *se,
                        const lin_link *l)
{
    posdiff_op *ops = NULL;
    size_t nops = 0;
    int rc;

    memset(r, 0, sizeof(*r));
    r->text = se->text;
    r->len = se->len;
    r->line = se->line;
    r->reviewed = align_review_marked(ps->w, ps->p, se, 0);
    if (l->prev < 0) {
        if ((rc = align_own(ps->w->s, ops = malloc(sizeof(*ops)))) < 0)
            return rc;
        *ops = (posdiff_op){POSDIFF_OP_INSERT, 0, 0, 0, se->len};
        r->ops = ops;
        r->op_count = 1;
        return 0;
    }
    r->similarity = l->sim;
    r->revived = (size_t)l->prev >= ps->a;
    r->link = l->nsrc > 1 ? POSDIFF_LINK_MERGE : l->split ? POSDIFF_LINK_SPLIT : POSDIFF_LINK_ONE;
    if ((rc = old_ref(ps, (size_t)l->prev, &r->prev_statement, &r->prev_text,
                      &r->prev_len)) < 0 ||
        (rc = fill_sources(ps, r, l)) < 0 ||
        (rc = posdiff_tokdiff(&ops, &nops, r->prev_text, r->prev_len, r->text, r->len,
                              NULL)) < 0 ||
        (rc = align_own(ps->w->s, ops)) < 0)
        return rc;
    r->ops = ops;
    r->op_count = nops;
    r->status = status_of(r, l, ps->w->t->lp.strong);
    return 0;
}

static int fill_dropped(pos_step *ps, step_entry *e)
{
    size_t n = 0;
    int rc;

    for (size_t o = 0; o < ps->a; o++)
        n += ps->lin.succ[o] == LIN_NONE;
    if (n == 0)
        return 0;
    if ((rc = align_own(ps->w->s, e->drop = malloc(n * sizeof(*e->drop)))) < 0)
        return rc;
    for (size_t o = 0; o < ps->a; o++)
        if (ps->lin.succ[o] == LIN_NONE)
            e->drop[e->ndrop++] = (posdiff_dropped){ps->old->stmt, ps->old->act[o].text,
                                                    ps->old->act[o].len};
    return 0;
}

/* ADDED the first time; UNCHANGED when every passage is restated word for
 * word from the active ones and none is dropped; else CHANGED. */
static posdiff_entry_status entry_status(const step_entry *e, const pstate *old)
{
    if (!old->stmt)
        return POSDIFF_ENTRY_ADDED;
    if (e->ndrop)
        return POSDIFF_ENTRY_CHANGED;
    for (size_t k = 0; k < e->npass; k++)
        if (e->pass[k].status != POSDIFF_PASSAGE_UNCHANGED || e->pass[k].revived)
            return POSDIFF_ENTRY_CHANGED;
    return POSDIFF_ENTRY_UNCHANGED;
}

/* The statement's passages become active, in its order. */
static int next_active(pos_step *ps)
{
    step_work *w = ps->w;
    size_t b = w->nmem[ps->p];
    pstate *st = &w->next[ps->p];

    st->act = calloc(b ? b : 1, sizeof(*st->act));
    st->stmt = strdup(w->stmt);
    if (!st->act || !st->stmt)
        return error_oom();
    for (; st->n < b; st->n++) {
        size_t k = w->mem[ps->p][st->n];
        passage *q = &st->act[st->n];
        q->len = w->sent[k].len;
        if (!(q->text = align_state_copy(w->sent[k].text, q->len)) ||
            feat_copy(&q->f, &w->sf[k]) < 0)
            return error_oom();
        q->ready = 1;
    }
    return 0;
}

/* Old passages that no passage restates strongly become (or stay)
 * dormant, the active ones first (line order, copied now), then the
 * dormant ones (listed in keep[p], moved when the step commits): a weak
 * link leaves the earlier wording free for a closer restatement. */
static int next_dormant(pos_step *ps)
{
    pstate *st = &ps->w->next[ps->p];
    size_t **keep = &ps->w->keep[ps->p], *nkeep = &ps->w->nkeep[ps->p];
    int rc = 0;

    st->dorm = calloc(DORMANT_MAX, sizeof(*st->dorm));
    *keep = malloc((ps->d + 1) * sizeof(**keep));
    if (!st->dorm || !*keep)
        return error_oom();
    for (size_t o = 0; o < ps->a && st->ndorm < DORMANT_MAX && rc == 0; o++) {
        const passage *q = &ps->old->act[o];
        passage *n = &st->dorm[st->ndorm];
        if (ps->lin.succ[o] == LIN_STRONG)
            continue;
        n->stmt = strdup(ps->old->stmt);
        n->text = strdup(q->text);
        n->len = q->len;
        n->ready = q->ready;
        st->ndorm++;
        if (!n->stmt || !n->text || (q->ready && feat_copy(&n->f, &q->f) < 0))
            rc = error_oom();
    }
    for (size_t d = 0; d < ps->d && st->ndorm + *nkeep < DORMANT_MAX; d++)
        if (ps->lin.succ[ps->a + d] != LIN_STRONG)
            (*keep)[(*nkeep)++] = d;
    return rc;
}

/* Features and masses of the new passages (nf, nm) and the old ones. */
static int inputs(pos_step *ps, feat *nf, double *nm, feat *of, double *om)
{
    step_work *w = ps->w;
    int rc = 0;

    for (size_t n = 0; n < w->nmem[ps->p]; n++) {
        nf[n] = w->sf[w->mem[ps->p][n]];
        nm[n] = w->sm[w->mem[ps->p][n]];
    }
    for (size_t o = 0; o < ps->a + ps->d && rc == 0; o++) {
        passage *q = o < ps->a ? &ps->old->act[o] : &ps->old->dorm[o - ps->a];
        if ((rc = align_passage_feat(w->t, q)) == 0) {
            of[o] = q->f;
            om[o] = -1; /* computed by the lineage when needed */
        }
    }
    return rc;
}

static int restated(pos_step *ps)
{
    step_work *w = ps->w;
    size_t b = w->nmem[ps->p], na = ps->a + ps->d;
    step_entry *e = &w->s->e[ps->p];
    feat *nf = malloc((b + 1) * sizeof(*nf)), *of = malloc((na + 1) * sizeof(*of));
    double *nm = malloc((b + 1) * sizeof(*nm)), *om = malloc((na + 1) * sizeof(*om));
    int rc = nf && of && nm && om ? inputs(ps, nf, nm, of, om) : error_oom();
    lin_override *ov = NULL;
    size_t nov = 0;

    if (rc == 0 && (rc = align_review_links(w, ps->p, ps->old, &ov, &nov)) == 0)
        rc = lineage_align(&ps->lin, &w->t->w, nf, nm, b, of, om, ps->a, ps->d, &w->t->lp,
                           ov, nov);
    free(ov);
    if (rc == 0)
        rc = align_own(w->s, e->pass = calloc(b, sizeof(*e->pass)));
    for (; e->npass < b && rc == 0; e->npass++)
        rc = fill_passage(ps, &e->pass[e->npass], &w->sent[w->mem[ps->p][e->npass]],
                          &ps->lin.link[e->npass]);
    if (rc == 0 && w->t->explain)
        rc = align_explain(w, ps->p, ps->old, nf, nm, of, e);
    free(nf), free(of), free(nm), free(om);
    if (rc == 0 && (rc = fill_dropped(ps, e)) == 0) {
        e->status = entry_status(e, ps->old);
        if ((rc = next_active(ps)) == 0)
            rc = next_dormant(ps);
    }
    return rc;
}

int align_step_position(step_work *w, size_t p)
{
    pos_step ps = {w, p, w->t->st[p].n, w->t->st[p].ndorm, &w->t->st[p],
                   {NULL, NULL, 0, NULL}, NULL, NULL};
    int rc;

    if (w->nmem[p] == 0) {
        w->s->e[p].status = POSDIFF_ENTRY_NOT_RESTATED;
        return 0;
    }
    ps.dcopy = calloc(ps.d + 1, sizeof(*ps.dcopy));
    ps.dstmt = calloc(ps.d + 1, sizeof(*ps.dstmt));
    rc = ps.dcopy && ps.dstmt ? restated(&ps) : error_oom();
    lineage_free(&ps.lin);
    free(ps.dcopy);
    free(ps.dstmt);
    return rc;
}

/* ---- the records ---- */

posdiff_entry_status posdiff_step_status(const posdiff_step *s, size_t i)
{
    return s && i < s->count ? s->e[i].status : POSDIFF_ENTRY_NOT_RESTATED;
}

size_t posdiff_step_passage_count(const posdiff_step *s, size_t i)
{
    return s && i < s->count ? s->e[i].npass : 0;
}

const posdiff_passage *posdiff_step_passage(const posdiff_step *s, size_t i, size_t k)
{
    return s && i < s->count && k < s->e[i].npass ? &s->e[i].pass[k] : NULL;
}

size_t posdiff_step_dropped_count(const posdiff_step *s, size_t i)
{
    return s && i < s->count ? s->e[i].ndrop : 0;
}

const posdiff_dropped *posdiff_step_dropped(const posdiff_step *s, size_t i, size_t k)
{
    return s && i < s->count && k < s->e[i].ndrop ? &s->e[i].drop[k] : NULL;
}

void posdiff_step_free(posdiff_step *s)
{
    if (!s)
        return;
    for (size_t k = 0; k < s->nowned; k++)
        free(s->owned[k]);
    free(s->owned);
    free(s->e);
    free(s);
}

const char *posdiff_passage_status_name(posdiff_passage_status st)
{
    static const char *const names[] = {"added", "changed", "unchanged", "moved", "restated"};

    return (unsigned)st < sizeof(names) / sizeof(*names) ? names[st] : "unknown";
}

const char *posdiff_entry_status_name(posdiff_entry_status st)
{
    static const char *const names[] = {"not-restated", "added", "changed", "unchanged"};

    return (unsigned)st < sizeof(names) / sizeof(*names) ? names[st] : "unknown";
}
