/*
 * align_step.c - the stages of one tracker step for each position (the
 * algorithm is described in align.c, "Step"):
 *
 *   passages of each position (step 1): phrase matches, the sections of
 *     matching headings, and sentences similar to an active passage
 *     (candidates from one index over every current passage);
 *   lineage of one restated position (steps 2-5): lineage_align_threads
 *     (lineage.c), then the step's records (passages with their
 *     predecessors and word diffs, dropped passages, entry status) and
 *     the position's next state (active passages, dormant threads).
 *
 * The join's answers serve the lineages: when one position holds every
 * current passage (posdiff_compare without a catalog), the join's index
 * is its lineage's own; otherwise, when the answers of a position's
 * sentences are complete (fewer than FEAT_CAND_MAX candidates on a
 * small index, feat_index_complete), their items of that position are
 * exactly what its own index would answer.  Either way the lineage
 * takes them (align_find_members keeps them) and builds no index.
 *
 * Also the accessors of the step's records (step.h).
 */
#include <stdlib.h>
#include <string.h>

#include "align_int.h"
#include "catalog_stems.h"
#include "util/errors.h"

/* ---- step: passages of each position ---- */

/* Flat list of every current passage with its position. */
typedef struct {
    feat *f;       /* shallow copies of w->of[p][k] */
    size_t *pos;   /* position of item */
    size_t n;
    feat_index x;
} flat_passages;

static int flat_build(flat_passages *fl, const step_work *w)
{
    size_t total = 0;

    memset(fl, 0, sizeof(*fl));
    for (size_t p = 0; p < w->t->count; p++)
        total += w->t->st[p].n;
    fl->f = malloc((total ? total : 1) * sizeof(*fl->f));
    fl->pos = malloc((total ? total : 1) * sizeof(*fl->pos));
    if (!fl->f || !fl->pos)
        return error_oom();
    for (size_t p = 0; p < w->t->count; p++)
        for (size_t k = 0; k < w->t->st[p].n; k++) {
            fl->f[fl->n] = w->of[p][k];
            fl->pos[fl->n++] = p;
        }
    return feat_index_build(&fl->x, fl->f, fl->n);
}

static void flat_free(flat_passages *fl)
{
    free(fl->f);
    free(fl->pos);
    feat_index_free(&fl->x);
}

/*
 * Room for the join's queries (w->jq, w->jfull), kept for the lineages
 * (file comment), and where each position's passages start in the
 * join's index.  When one position holds every current passage, the
 * join's index is the one its lineage would build, over the same
 * passages in the same order (w->jpos).
 */
static int join_queries(step_work *w, const flat_passages *fl)
{
    size_t rows = w->nsent ? w->nsent : 1, np = w->t->count, at = 0;

    w->jpos = SIZE_MAX;
    for (size_t p = 0; p < np && w->jpos == SIZE_MAX; p++)
        if (fl->n > 0 && w->t->st[p].n == fl->n)
            w->jpos = p;
    w->jq.item = malloc(rows * FEAT_CAND_MAX * sizeof(*w->jq.item));
    w->jq.shared = malloc(rows * FEAT_CAND_MAX * sizeof(*w->jq.shared));
    w->jq.n = calloc(rows, sizeof(*w->jq.n));
    w->jfull = calloc(rows, 1);
    w->jbase = malloc((np ? np : 1) * sizeof(*w->jbase));
    if (!w->jq.item || !w->jq.shared || !w->jq.n || !w->jfull || !w->jbase)
        return error_oom();
    for (size_t p = 0; p < np; p++) {
        w->jbase[p] = at;
        at += w->t->st[p].n;
    }
    return 0;
}

/* Set in[p] for positions whose current passage sentence k restates.
 * A candidate whose length and shared words keep it under the bar
 * (feat_dice_may_reach, exact) is not compared. */
static int join_similar(const step_work *w, const flat_passages *fl, size_t k,
                        unsigned char *in)
{
    uint32_t *c = w->jq.item + k * FEAT_CAND_MAX;
    uint32_t *sh = w->jq.shared + k * FEAT_CAND_MAX;
    const feat *q = &w->sf[k];
    size_t nc, rep;
    int rc;

    w->jfull[k] = 1; /* no word: no candidate anywhere */
    if (q->n == 0)
        return 0;
    if ((rc = feat_index_query(c, sh, &nc, &fl->x, q)) < 0)
        return rc;
    w->jq.n[k] = nc;
    w->jfull[k] = (unsigned char)feat_index_complete(&fl->x, nc);
    rep = feat_repeats(q);
    for (size_t i = 0; i < nc; i++) {
        size_t p = fl->pos[c[i]];
        if (!in[p] &&
            feat_dice_may_reach(q, &fl->f[c[i]], sh[i], rep, w->t->join, 0) &&
            2.0 * (double)feat_overlap_known(q, &fl->f[c[i]], sh[i], rep) /
                    (double)(q->n + fl->f[c[i]].n) >= w->t->join)
            in[p] = 1;
    }
    return 0;
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

/*
 * A heading is a label, never a passage; but a heading that matches a
 * position ("iv) Data security") anchors the sentences of its section,
 * up to the next heading, to that position.
 */
static void section_anchors(const step_work *w, size_t k, unsigned char *sect)
{
    memset(sect, 0, w->t->count);
    catalog_match_all(w->t->cat, w->cid[k], w->cn[k], sect);
}

int align_find_members(step_work *w)
{
    size_t np = w->t->count;
    unsigned char *in = calloc(np ? np : 1, 2), *sect = in + (np ? np : 1);
    flat_passages fl;
    int rc = flat_build(&fl, w);

    if (!in && rc == 0)
        rc = error_oom();
    if (rc == 0)
        rc = join_queries(w, &fl);
    for (size_t k = 0; k < w->nsent && rc == 0; k++) {
        if (w->sent[k].heading) {
            section_anchors(w, k, sect);
            continue;
        }
        if (w->sent[k].len == 0)
            continue;
        memcpy(in, sect, np);
        catalog_match_all(w->t->cat, w->cid[k], w->cn[k], in);
        rc = join_similar(w, &fl, k, in);
        for (size_t p = 0; p < np && rc == 0; p++)
            if (in[p])
                rc = mem_push(w, p, k);
    }
    flat_free(&fl);
    free(in);
    return rc;
}

/* ---- step: lineage of one position ---- */

static int added_ops(posdiff_step *s, posdiff_passage *ps)
{
    posdiff_op *op = malloc(sizeof(*op));
    int rc;

    if ((rc = align_own(s, op)) < 0)
        return rc;
    *op = (posdiff_op){POSDIFF_OP_INSERT, 0, 0, 0, ps->len};
    ps->ops = op;
    ps->op_count = 1;
    return 0;
}

/* prev_text of a linked passage (merge: both, joined by a space). */
static int prev_text(posdiff_step *s, posdiff_passage *ps, const pstate *old,
                     const lin_link *l)
{
    size_t n1 = old->len[l->old1], n2;
    char *j;
    int rc;

    ps->prev_statement = old->stmt;
    ps->prev_text = old->text[l->old1];
    ps->prev_len = n1;
    if (l->link != POSDIFF_LINK_MERGE)
        return 0;
    n2 = old->len[l->old2];
    if ((rc = align_own(s, j = malloc(n1 + n2 + 2))) < 0)
        return rc;
    memcpy(j, old->text[l->old1], n1);
    j[n1] = ' ';
    memcpy(j + n1 + 1, old->text[l->old2], n2);
    j[n1 + 1 + n2] = '\0';
    ps->prev_text = j;
    ps->prev_len = n1 + 1 + n2;
    return 0;
}

/* Predecessor of a revived passage: step-owned copies of the dormant
 * thread (it leaves the tracker when the step commits). */
static int revived_prev(posdiff_step *s, posdiff_passage *ps, const dthread *d)
{
    char *stmt = strdup(d->stmt), *text;
    int rc;

    if ((rc = align_own(s, stmt)) < 0 || (rc = align_own(s, text = align_state_copy(d->text,
                                                                  d->len))) < 0)
        return rc;
    ps->prev_statement = stmt;
    ps->prev_text = text;
    ps->prev_len = d->len;
    return 0;
}

static int fill_passage(step_work *w, const pstate *old, posdiff_passage *ps,
                        const posdiff_sentence *se, const lin_link *l)
{
    posdiff_op *ops = NULL;
    size_t nops = 0;
    int rc;

    *ps = (posdiff_passage){se->text, se->len, se->line,
                            POSDIFF_PASSAGE_ADDED, l->link, NULL, NULL, 0,
                            0.0, NULL, 0};
    if (l->link == POSDIFF_LINK_NONE)
        return added_ops(w->s, ps);
    ps->similarity = l->sim;
    rc = l->via == LIN_VIA_DORMANT ? revived_prev(w->s, ps, &old->dorm[l->old1])
                                   : prev_text(w->s, ps, old, l);
    if (rc < 0)
        return rc;
    if ((rc = posdiff_tokdiff(&ops, &nops, ps->prev_text, ps->prev_len,
                              ps->text, ps->len, NULL)) < 0 ||
        (rc = align_own(w->s, ops)) < 0)
        return rc;
    ps->ops = ops;
    ps->op_count = nops;
    if (l->moved)
        ps->status = POSDIFF_PASSAGE_MOVED;
    else if (ps->prev_len == ps->len && memcmp(ps->prev_text, ps->text,
                                               ps->len) == 0)
        ps->status = POSDIFF_PASSAGE_UNCHANGED;
    else
        ps->status = POSDIFF_PASSAGE_CHANGED;
    return 0;
}

static int fill_dropped(step_work *w, step_entry *e, const pstate *old,
                        const unsigned char *used)
{
    size_t n = 0;
    int rc;

    for (size_t o = 0; o < old->n; o++)
        n += !used[o];
    if (n == 0)
        return 0;
    if ((rc = align_own(w->s, e->drop = malloc(n * sizeof(*e->drop)))) < 0)
        return rc;
    for (size_t o = 0; o < old->n; o++)
        if (!used[o])
            e->drop[e->ndrop++] = (posdiff_dropped){old->stmt, old->text[o],
                                                    old->len[o]};
    return 0;
}

/* File comment, step 4: a revived passage is a change even when it is
 * restated word for word. */
static posdiff_entry_status entry_status(const step_entry *e,
                                         const pstate *old, const lin_link *l)
{
    if (!old->stmt)
        return POSDIFF_ENTRY_ADDED;
    if (e->ndrop)
        return POSDIFF_ENTRY_CHANGED;
    for (size_t k = 0; k < e->npass; k++)
        if (e->pass[k].status != POSDIFF_PASSAGE_UNCHANGED ||
            l[k].via == LIN_VIA_DORMANT)
            return POSDIFF_ENTRY_CHANGED;
    return POSDIFF_ENTRY_UNCHANGED;
}

/*
 * The new active passages of position p (file comment, step 4): the
 * statement's passages in the statement's own order.  Git's line diff of
 * positions/<id>.md then pairs each restated passage with its
 * predecessor, and the next step judges moves against this order, the
 * order the passages were actually stated in.
 */
static int next_state(step_work *w, size_t p, const lin_link *l)
{
    size_t b = w->nmem[p];
    pstate *st = &w->next[p];

    (void)l;
    st->text = calloc(b ? b : 1, sizeof(*st->text));
    st->len = calloc(b ? b : 1, sizeof(*st->len));
    st->f = calloc(b ? b : 1, sizeof(*st->f));
    st->stmt = strdup(w->stmt);
    if (!st->text || !st->len || !st->f || !st->stmt)
        return error_oom();
    for (; st->n < b; st->n++) {
        size_t k = w->mem[p][st->n];
        const posdiff_sentence *se = &w->sent[k];
        if (!(st->text[st->n] = align_state_copy(se->text, se->len)) ||
            feat_copy(&st->f[st->n], &w->sf[k]) < 0)
            return error_oom();
        st->len[st->n] = se->len;
    }
    return 0;
}

/* The new dormant set of p, first part: copies of the passages dropped
 * now (old line order).  The old threads that stay are appended when
 * the step commits; the array is sized for them. */
static int next_dormant(step_work *w, size_t p, const unsigned char *used)
{
    const pstate *old = &w->t->st[p];
    pstate *st = &w->next[p];
    size_t ndrop = 0, keep = 0, cap;

    for (size_t o = 0; o < old->n; o++)
        ndrop += !used[o];
    for (size_t d = 0; d < old->ndorm; d++)
        keep += !w->drev[p][d];
    cap = ndrop + keep < DORMANT_MAX ? ndrop + keep : DORMANT_MAX;
    if (!(st->dorm = calloc(cap ? cap : 1, sizeof(*st->dorm))))
        return error_oom();
    for (size_t o = 0; o < old->n && st->ndorm < cap; o++) {
        dthread *d = &st->dorm[st->ndorm];
        if (used[o])
            continue;
        d->stmt = strdup(old->stmt);
        d->text = align_state_copy(old->text[o], old->len[o]);
        d->len = old->len[o];
        d->ready = feat_copy(&d->f, &old->f[o]) == 0;
        st->ndorm++;
        if (!d->stmt || !d->text || !d->ready)
            return error_oom();
    }
    return 0;
}

/* Features (shallow copies of the threads' cache, computed once per
 * thread) and recency ranks of p's dormant threads. */
static int dormant_feats(step_work *w, pstate *st, size_t nd, feat *f,
                         size_t *rank)
{
    int rc = 0;

    for (size_t d = 0; d < nd && rc == 0; d++) {
        dthread *th = &st->dorm[d];
        rank[d] = d == 0 ? 0 : rank[d - 1] + (strcmp(th->stmt,
                                                     st->dorm[d - 1].stmt) != 0);
        if (!th->ready && (rc = align_text_feat(w->t, &th->f, th->text, th->len)) == 0)
            th->ready = 1;
        f[d] = th->f;
    }
    return rc;
}

/* Whether the join's answers serve as p's lineage queries (file
 * comment): p's index is the join's, or every answer of its new
 * passages is complete. */
static int member_queries_usable(const step_work *w, size_t p)
{
    if (p == w->jpos)
        return 1;
    for (size_t k = 0; k < w->nmem[p]; k++)
        if (!w->jfull[w->mem[p][k]])
            return 0;
    return 1;
}

/* The join's answers for p's new passages, as answers of p's own index
 * into q: p's items, renumbered from 0 (ascending, as they were). */
static int member_queries(lin_queries *q, const step_work *w, size_t p)
{
    size_t b = w->nmem[p] ? w->nmem[p] : 1, row = FEAT_CAND_MAX;
    size_t lo = w->jbase[p], hi = lo + w->t->st[p].n;

    q->item = malloc(b * row * sizeof(*q->item));
    q->shared = malloc(b * row * sizeof(*q->shared));
    q->n = malloc(b * sizeof(*q->n));
    if (!q->item || !q->shared || !q->n)
        return error_oom();
    for (size_t k = 0; k < w->nmem[p]; k++) {
        size_t s = w->mem[p][k], m = 0;
        const uint32_t *it = w->jq.item + s * row, *sh = w->jq.shared + s * row;
        for (size_t i = 0; i < w->jq.n[s]; i++)
            if (it[i] >= lo && it[i] < hi) {
                q->item[k * row + m] = (uint32_t)(it[i] - lo);
                q->shared[k * row + m++] = sh[i];
            }
        q->n[k] = m;
    }
    return 0;
}

/* What dormant_load needs. */
typedef struct {
    step_work *w;
    pstate *st;
    feat *f;      /* nd features (shallow copies) */
    size_t *rank;
} dormant_ctx;

/* lin_dormant.load: the dormant threads' features and ranks. */
static int dormant_load(lin_dormant *dm)
{
    dormant_ctx *c = dm->payload;
    int rc = dormant_feats(c->w, c->st, dm->n, c->f, c->rank);

    dm->f = c->f;
    dm->rank = c->rank;
    dm->load = NULL;
    return rc;
}

/* Links of p's new passages (lineage_align_threads). */
static int link_position(step_work *w, size_t p, lin_link *l,
                         unsigned char *used)
{
    pstate *old = &w->t->st[p];
    size_t b = w->nmem[p], nd = w->t->revive ? old->ndorm : 0;
    feat *nf = malloc(b * sizeof(*nf)), *df = calloc(nd + 1, sizeof(*df));
    size_t *rank = malloc((nd + 1) * sizeof(*rank));
    dormant_ctx dc = {w, old, df, rank};
    lin_dormant dm = {NULL, NULL, nd, dormant_load, &dc};
    lin_queries q = {NULL, NULL, NULL};
    int pre = member_queries_usable(w, p);
    int rc = (nf && df && rank) ? 0 : error_oom();

    for (size_t k = 0; k < b && rc == 0; k++)
        nf[k] = w->sf[w->mem[p][k]];
    if (rc == 0 && pre)
        rc = member_queries(&q, w, p);
    if (rc == 0)
        rc = lineage_align_threads(l, used, w->of[p], old->n, nf, b, &dm,
                                   w->drev[p], pre ? &q : NULL, &w->t->lp);
    align_queries_free(&q);
    free(nf);
    free(df);
    free(rank);
    return rc;
}

/* Passages, dropped and new state of one restated position. */
static int restated(step_work *w, size_t p, lin_link *l, unsigned char *used)
{
    const pstate *old = &w->t->st[p];
    step_entry *e = &w->s->e[p];
    size_t b = w->nmem[p];
    int rc;

    if ((rc = link_position(w, p, l, used)) < 0 ||
        (rc = align_own(w->s, e->pass = calloc(b, sizeof(*e->pass)))) < 0)
        return rc;
    for (; e->npass < b; e->npass++)
        if ((rc = fill_passage(w, old, &e->pass[e->npass],
                               &w->sent[w->mem[p][e->npass]], &l[e->npass])) < 0)
            return rc;
    if ((rc = fill_dropped(w, e, old, used)) < 0)
        return rc;
    e->status = entry_status(e, old, l);
    if ((rc = next_state(w, p, l)) < 0)
        return rc;
    return next_dormant(w, p, used);
}

int align_step_position(step_work *w, size_t p)
{
    size_t b = w->nmem[p];
    lin_link *l;
    unsigned char *used;
    int rc;

    if (b == 0) {
        w->s->e[p].status = POSDIFF_ENTRY_NOT_RESTATED;
        return 0;
    }
    l = malloc(b * sizeof(*l));
    used = malloc(w->t->st[p].n + 1);
    w->drev[p] = calloc(w->t->st[p].ndorm + 1, 1);
    rc = (l && used && w->drev[p]) ? restated(w, p, l, used) : error_oom();
    free(l);
    free(used);
    return rc;
}

/* ---- step records ---- */

posdiff_entry_status posdiff_step_status(const posdiff_step *s, size_t i)
{
    return s && i < s->count ? s->e[i].status : POSDIFF_ENTRY_NOT_RESTATED;
}

size_t posdiff_step_passage_count(const posdiff_step *s, size_t i)
{
    return s && i < s->count ? s->e[i].npass : 0;
}

const posdiff_passage *posdiff_step_passage(const posdiff_step *s, size_t i,
                                            size_t k)
{
    if (!s || i >= s->count || k >= s->e[i].npass)
        return NULL;
    return &s->e[i].pass[k];
}

size_t posdiff_step_dropped_count(const posdiff_step *s, size_t i)
{
    return s && i < s->count ? s->e[i].ndrop : 0;
}

const posdiff_dropped *posdiff_step_dropped(const posdiff_step *s, size_t i,
                                            size_t k)
{
    if (!s || i >= s->count || k >= s->e[i].ndrop)
        return NULL;
    return &s->e[i].drop[k];
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
    switch (st) {
    case POSDIFF_PASSAGE_ADDED: return "added";
    case POSDIFF_PASSAGE_CHANGED: return "changed";
    case POSDIFF_PASSAGE_UNCHANGED: return "unchanged";
    case POSDIFF_PASSAGE_MOVED: return "moved";
    }
    return "unknown";
}

const char *posdiff_entry_status_name(posdiff_entry_status st)
{
    switch (st) {
    case POSDIFF_ENTRY_NOT_RESTATED: return "not-restated";
    case POSDIFF_ENTRY_ADDED: return "added";
    case POSDIFF_ENTRY_CHANGED: return "changed";
    case POSDIFF_ENTRY_UNCHANGED: return "unchanged";
    }
    return "unknown";
}
