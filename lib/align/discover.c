/*
 * discover.c - recurring passages no position tracks (posdiff/discover.h).
 *
 * Each statement is stepped through a tracker, so a sentence is known to
 * be a passage exactly as the build knows it; every sentence keeps its
 * features (words.h) and its word ids in order (0: a function word).
 * Grouping, in feed order: a sentence that is no passage, no heading and
 * has MIN_CONTENT content words joins the group of the representative it
 * is most similar to (weights.h, with the idf over every sentence fed)
 * when that reaches the threshold and the group has no sentence of its
 * statement yet; else it founds a group.  A group's representatives are
 * its founder and the first members that reword the one they joined
 * (below NEAR; at most REP_MAX): near copies are not compared with
 * again, so the inverted index over the representatives' words grows
 * with the groups, not with the sentences, and the cost stays near
 * linear.  With a position P, P's
 * passages (copies, NEAR_COPY, left out) are the representatives, and each
 * such sentence is compared with them instead.
 *
 * Phrases: the runs of 2-4 content words of a few members (consecutive
 * ones at most POSDIFF_MATCH_GAP words apart, as the catalog matches),
 * scored by F1 of the members they match (a sample) against the other
 * sentences they match (those holding the rarest word, sampled, scaled
 * up); up to three are picked greedily over the members left uncovered.
 */
#include "posdiff/discover.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "align_int.h"
#include "candidates.h"
#include "diff/tokenize.h"
#include "util/errors.h"

#define MIN_CONTENT 3  /* content words of a sentence worth grouping */
#define SAMPLE 32      /* members tested per phrase */
#define OTHERS 256     /* other sentences tested per phrase */
#define NCAND 64       /* phrases scored per group */
#define NEAR 0.8       /* a member this similar to the one it joined is a
                          near copy: not compared with later */
#define NEAR_COPY 0.95 /* a passage this similar to a representative is one
                          again (with a position) */
#define REP_MAX 8      /* representatives of a group: its founder and the
                          first rewordings */

typedef struct {
    posdiff_found f;   /* text owned */
    feat ft;
    double mass;
    uint32_t *seq;     /* word ids in order, 0: function word */
    size_t nseq;
    unsigned char passage, heading;
    size_t grp, next;  /* group and next member (SIZE_MAX: none) */
} sent;

typedef struct {
    size_t head, tail, n, last; /* members (a list), the last one's statement */
    size_t nrep;                /* representatives, at most REP_MAX */
} group;

/* A representative (a sentence compared with), kept dense so that a
 * query's scoring touches a small array, not the sentences. */
typedef struct {
    double root, score; /* sqrt of its weight; a query's scratch (0 between) */
    uint32_t sent, grp;
} rep;

/* The representatives, and by word: v[id] lists (by number) those
 * holding stem id; touched: the ones a query reached. */
typedef struct {
    uint32_t **v;
    size_t *n, *cap, nid;
    rep *at;
    size_t nat, atcap;
    uint32_t *touched;
} reps;

typedef struct {
    uint32_t ids[4];
    size_t m, at, src; /* words; first word's index in sentence src */
} phr;

struct posdiff_discovery {
    posdiff_tracker *t;
    posdiff_discover_options o;
    sent *s;
    size_t n, cap, nstmt;
    cand_index all;     /* every sentence: the phrases' other matches */
    size_t *mark;       /* mark[i] == serial: a member of the group scored */
    size_t serial;
    posdiff_candidate *c;
    size_t nc, ccap;
};

int posdiff_discovery_new(posdiff_discovery **out, const posdiff_catalog *cat,
                          const posdiff_discover_options *opts)
{
    posdiff_discovery *d = calloc(1, sizeof(*d));
    int rc;

    *out = NULL;
    if (!d)
        return error_oom();
    d->o = opts ? *opts : (posdiff_discover_options)POSDIFF_DISCOVER_OPTIONS_INIT;
    d->o.min_statements = d->o.min_statements ? d->o.min_statements : 3;
    d->o.threshold = d->o.threshold > 0 ? d->o.threshold : 0.5; /* JOIN_THRESHOLD */
    if (d->o.position >= (long)posdiff_catalog_count(cat) || d->o.threshold > 1)
        rc = error_set(POSDIFF_EINVALID, "discover: no such position or threshold");
    else
        rc = posdiff_tracker_new(&d->t, cat, NULL);
    if (rc < 0) {
        free(d);
        return rc;
    }
    *out = d;
    return 0;
}

/* Sentence x's features and word ids (stemmed once, by the tracker's stemmer). */
static int sent_words(posdiff_discovery *d, sent *x)
{
    stem_list *l = &d->t->words;
    int rc = align_text_feat(d->t, &x->ft, x->f.text, x->f.len);

    if (rc < 0 || !(x->seq = malloc((l->n ? l->n : 1) * sizeof(*x->seq))))
        return rc < 0 ? rc : error_oom();
    for (x->nseq = 0; x->nseq < l->n; x->nseq++)
        x->seq[x->nseq] = l->stop[x->nseq] ? 0 : stem_list_find_id(l, x->nseq, &d->t->dict, d);
    return 0;
}

/* Whether h[0..hn) holds n[0..nn) (memmem is not C11). */
static int contains(const char *h, size_t hn, const char *n, size_t nn)
{
    for (size_t i = 0; nn && i + nn <= hn; i++)
        if (h[i] == n[0] && !memcmp(h + i, n, nn))
            return 1;
    return 0;
}

/* Mark the sentences from @p base that are (or continue) passage @p ps. */
static void mark_passage(posdiff_discovery *d, size_t base, const posdiff_passage *ps)
{
    for (size_t j = base; j < d->n; j++) {
        sent *x = &d->s[j];
        if (x->f.line >= ps->line && x->f.line <= ps->line + 3 && x->f.len <= ps->len &&
            contains(ps->text, ps->len, x->f.text, x->f.len))
            x->passage = 1;
    }
}

int posdiff_discovery_add(posdiff_discovery *d, const char *id, const posdiff_sentence *s,
                          size_t count)
{
    posdiff_step *step = NULL;
    size_t base = d->n;
    int rc = posdiff_tracker_step(&step, d->t, id, s, count);

    for (size_t k = 0; k < count && rc == 0; k++) {
        sent *x;
        if ((rc = array_grow(&d->s, &d->cap, d->n, sizeof(*d->s), 256)) < 0)
            break;
        x = memset(&d->s[d->n++], 0, sizeof(*x));
        x->f = (posdiff_found){d->nstmt, mem_dup0(s[k].text, s[k].len), s[k].len, s[k].line};
        x->heading = s[k].heading != 0;
        rc = x->f.text ? sent_words(d, x) : error_oom();
    }
    for (size_t i = 0; rc == 0 && i < posdiff_catalog_count(d->t->cat); i++)
        for (size_t k = 0; (d->o.position < 0 || (long)i == d->o.position) &&
                           k < posdiff_step_passage_count(step, i); k++)
            mark_passage(d, base, posdiff_step_passage(step, i, k));
    posdiff_step_free(step);
    d->nstmt++;
    return rc;
}

static int eligible(const sent *x)
{
    size_t content = 0;

    for (size_t k = 0; k < x->nseq; k++)
        content += x->seq[k] != 0;
    return !x->passage && !x->heading && content >= MIN_CONTENT;
}

/* Phrase p occurs in x: its words in order, at most POSDIFF_MATCH_GAP
 * words between consecutive ones (catalog.c's one pass). */
static int occurs(const phr *p, const sent *x)
{
    long end[4] = {-1, -1, -1, -1};

    for (size_t j = 0; j < x->nseq; j++)
        for (size_t k = p->m; k-- > 0;)
            if (x->seq[j] == p->ids[k] &&
                (k == 0 || (end[k - 1] >= 0 && (long)j - end[k - 1] - 1 <= POSDIFF_MATCH_GAP)))
                if ((end[k] = (long)j) >= 0 && k + 1 == p->m)
                    return 1;
    return 0;
}

/* Estimated sentences outside the group (and, with a position, outside
 * its passages) that p matches. */
static double others(posdiff_discovery *d, const phr *p)
{
    size_t lo = 0, hi = 0, step, seen = 0, hit = 0;

    for (size_t k = 0; k < p->m; k++) {
        size_t a, b;
        cand_list(&d->all, p->ids[k], &a, &b);
        if (k == 0 || b - a < hi - lo)
            lo = a, hi = b;
    }
    step = (hi - lo) / OTHERS + 1;
    for (size_t q = lo; q < hi; q += step, seen++) {
        const sent *x = &d->s[(uint32_t)d->all.post[q]];
        hit += d->mark[x - d->s] != d->serial && !(d->o.position >= 0 && x->passage) &&
               occurs(p, x);
    }
    return seen ? (double)hit * (double)(hi - lo) / (double)seen : 0;
}

/* The runs of 2-4 content words of member x (at most NCAND in all). */
static void runs(phr *c, size_t *nc, const sent *x, size_t src)
{
    for (size_t a = 0; a < x->nseq; a++) {
        phr p = {{0}, 0, a, src};
        if (!x->seq[a])
            continue;
        for (size_t j = a, last = a; j < x->nseq && j - last <= POSDIFF_MATCH_GAP + 1 &&
                                     p.m < 4 && *nc < NCAND; j++) {
            if (!x->seq[j])
                continue;
            p.ids[p.m++] = x->seq[j];
            last = j;
            if (p.m >= 2)
                c[(*nc)++] = p;
        }
    }
}

/* Phrase p as text: the surface words of its source sentence, lowered;
 * NULL when they cannot be found (a hyphen words.c splits on and this
 * does not) or out of memory: the phrase is then not suggested. */
static char *phrase_text(const sent *x, const phr *p)
{
    size_t pos = 0, start, wlen, piece = 0, got = 0;
    buf b = BUF_INIT;

    while (got < p->m && tokenize_next_word(x->f.text, x->f.len, &pos, &start, &wlen)) {
        for (size_t i = start, e; i < start + wlen && got < p->m; i = e + 1, piece++) {
            for (e = i; e < start + wlen && x->f.text[e] != '-'; e++)
                ;
            if (piece >= x->nseq || piece < p->at || x->seq[piece] != p->ids[got])
                continue;
            for (buf_puts(&b, got++ ? " " : ""); i < e; i++)
                buf_putc(&b, (char)(x->f.text[i] | (x->f.text[i] >= 'A' && x->f.text[i] <= 'Z' ? 32 : 0)));
        }
    }
    return buf_ok(&b) < 0 || got < p->m ? (buf_free(&b), NULL) : buf_detach(&b, &got);
}

/* Suggest phrases for members m[0..nm) into c (need_all: one phrase,
 * matching every member).  The members are marked by the caller. */
static int suggest(posdiff_discovery *d, posdiff_candidate *c, const size_t *m, size_t nm,
                   int need_all)
{
    size_t ns = nm < SAMPLE ? nm : SAMPLE, nc = 0, hits[NCAND];
    unsigned char covered[SAMPLE] = {0};
    phr cand[NCAND];
    double oth[NCAND];
    char **out = calloc(3, sizeof(*out));

    if (!out)
        return error_oom();
    c->phrases = (const char *const *)out;
    for (size_t k = 0; k < ns && k < 3; k++)
        runs(cand, &nc, &d->s[m[k * nm / ns]], m[k * nm / ns]);
    for (size_t i = 0; i < nc; i++)
        oth[i] = -1; /* computed when the phrase matches what it must */
    while (c->phrase_count < (need_all ? 1u : 3u)) {
        double best = 0, f;
        size_t bi = 0;
        for (size_t i = 0; i < nc; i++) {
            hits[i] = 0;
            for (size_t k = 0; k < ns; k++)
                hits[i] += !covered[k] && occurs(&cand[i], &d->s[m[k * nm / ns]]);
            if (hits[i] == 0 || (need_all && hits[i] != ns))
                continue;
            if (oth[i] < 0)
                oth[i] = others(d, &cand[i]);
            f = 2.0 * hits[i] * nm / ns / (nm + hits[i] * (double)nm / ns + oth[i]);
            if (f > best + 1e-9 && (c->phrase_count == 0 ||
                hits[i] * (double)nm / ns >= oth[i]))
                best = f, bi = i;
        }
        if (best <= 0)
            break;
        if (!(out[c->phrase_count] = phrase_text(&d->s[cand[bi].src], &cand[bi]))) {
            oth[bi] = 1e300;
            continue;
        }
        for (size_t k = 0; k < ns; k++)
            covered[k] |= occurs(&cand[bi], &d->s[m[k * nm / ns]]);
        c->phrase_count++;
    }
    return 0;
}

/* c's phrases: copies of @p same's (the same sentence, restating the same passage). */
static int copy_phrases(posdiff_candidate *c, const posdiff_candidate *same)
{
    char **out = calloc(same->phrase_count + 1, sizeof(*out));

    if (!(c->phrases = (const char *const *)out))
        return error_oom();
    for (; c->phrase_count < same->phrase_count; c->phrase_count++)
        if (!(out[c->phrase_count] = strdup(same->phrases[c->phrase_count])))
            return error_oom();
    return 0;
}

static int add_candidate(posdiff_discovery *d, const size_t *m, size_t nm, size_t like,
                         double sim, size_t same)
{
    posdiff_candidate *c;
    posdiff_found *f;

    if (array_grow(&d->c, &d->ccap, d->nc, sizeof(*d->c), 16) < 0 ||
        !(f = malloc((nm + 1) * sizeof(*f))))
        return error_oom();
    c = memset(&d->c[d->nc++], 0, sizeof(*c));
    if (same != SIZE_MAX && d->c[same].like->text == d->s[like].f.text) {
        *c = (posdiff_candidate){f, nm, NULL, 0, &f[nm], sim};
        f[0] = d->s[m[0]].f, f[1] = d->s[like].f;
        return copy_phrases(c, &d->c[same]);
    }
    for (size_t k = 0; k < nm; k++)
        f[k] = d->s[m[k]].f;
    f[nm] = like != SIZE_MAX ? d->s[like].f : f[0];
    *c = (posdiff_candidate){f, nm, NULL, 0, like != SIZE_MAX ? &f[nm] : NULL, sim};
    d->serial++;
    for (size_t k = 0; k < nm; k++)
        d->mark[m[k]] = d->serial;
    if (like != SIZE_MAX)
        d->mark[like] = d->serial;
    return like != SIZE_MAX ? suggest(d, c, (size_t[]){m[0], like}, 2, 1)
                            : suggest(d, c, m, nm, 0);
}

static int cmp_group(const void *a, const void *b)
{
    const group *x = a, *y = b;
    return x->n != y->n ? (x->n < y->n) - (x->n > y->n) : (x->head > y->head) - (x->head < y->head);
}

static int emit_groups(posdiff_discovery *d, group *g, size_t ng)
{
    size_t *m = malloc((d->nstmt + 1) * sizeof(*m));
    int rc = m ? 0 : error_oom();

    if (ng)
        qsort(g, ng, sizeof(*g), cmp_group);
    for (size_t i = 0; i < ng && rc == 0 && g[i].n >= d->o.min_statements; i++) {
        size_t nm = 0;
        for (size_t j = g[i].head; j != SIZE_MAX; j = d->s[j].next)
            m[nm++] = j;
        rc = add_candidate(d, m, nm, SIZE_MAX, 0, SIZE_MAX);
    }
    free(m);
    return rc;
}

static void reps_free(reps *r)
{
    for (size_t id = 0; r->v && id < r->nid; id++)
        free(r->v[id]);
    free(r->v);
    free(r->n);
    free(r->cap);
    free(r->at);
    free(r->touched);
}

static int reps_init(reps *r, size_t nid)
{
    *r = (reps){calloc(nid, sizeof(*r->v)), calloc(nid, sizeof(*r->n)),
                calloc(nid, sizeof(*r->cap)), nid, NULL, 0, 0, NULL};
    if (r->v && r->n && r->cap)
        return 0;
    reps_free(r);
    return error_oom();
}

/* Sentence i becomes a representative: listed under its distinct words. */
static int reps_add(reps *r, const sent *x, size_t i)
{
    size_t cap = r->atcap;
    uint32_t no = (uint32_t)r->nat, *touched;

    if (array_grow(&r->at, &r->atcap, r->nat, sizeof(*r->at), 64) < 0)
        return error_oom();
    if (cap != r->atcap) {
        if (!(touched = realloc(r->touched, r->atcap * sizeof(*touched))))
            return error_oom();
        r->touched = touched;
    }
    r->at[r->nat++] = (rep){sqrt(x->mass), 0, (uint32_t)i, (uint32_t)x->grp};
    for (size_t k = 0; k < x->ft.n; k++) {
        uint32_t id = x->ft.ids[k];
        if ((k && id == x->ft.ids[k - 1]) || id >= r->nid)
            continue;
        if (array_grow(&r->v[id], &r->cap[id], r->n[id], sizeof(**r->v), 4) < 0)
            return error_oom();
        r->v[id][r->n[id]++] = no;
    }
    return 0;
}

typedef struct {
    uint32_t id;
    double w;
} qword;

static int heavier(const void *a, const void *b)
{
    const qword *x = a, *y = b;
    return x->w != y->w ? (x->w < y->w) - (x->w > y->w) : (x->id > y->id) - (x->id < y->id);
}

/* The representative most similar to x, at or above the threshold t,
 * whose group (@p g, when given) lacks x's statement; SIZE_MAX when none.
 * A representative that reaches t shares at least t^2 of x's weight
 * (sim <= sqrt(shared / W(x))), so it holds one of x's heaviest words
 * before the rest weighs under that: only their lists are visited (at
 * most CAND_BUDGET postings); one whose weight found there plus the rest
 * cannot reach t is passed over, the others' similarity is computed. */
/* The representative most similar to @p x at the threshold (its
 * similarity in *@p bs), or SIZE_MAX (*@p bs < 0: out of memory). */
static size_t reps_best(posdiff_discovery *d, reps *r, const group *g, const sent *x, double *bs)
{
    size_t nq = 0, nt = 0, visited = 0, best = SIZE_MAX;
    qword *q = malloc((x->ft.n + 1) * sizeof(*q));
    double rest = x->mass, need = d->o.threshold * d->o.threshold * x->mass;
    double root = sqrt(x->mass);

    *bs = 0;
    if (!q) {
        *bs = -1; /* out of memory: the caller says so */
        return SIZE_MAX;
    }
    for (size_t k = 0; k < x->ft.n; k++)
        if ((k == 0 || x->ft.ids[k] != x->ft.ids[k - 1]) && x->ft.ids[k] < r->nid)
            q[nq++] = (qword){x->ft.ids[k], weight_of(&d->t->w, x->ft.ids[k])};
    qsort(q, nq, sizeof(*q), heavier);
    for (size_t k = 0; k < nq && rest >= need - 1e-9 && visited <= CAND_BUDGET; k++) {
        for (size_t p = 0; p < r->n[q[k].id]; p++) {
            rep *y = &r->at[r->v[q[k].id][p]];
            if (y->score == 0)
                r->touched[nt++] = r->v[q[k].id][p];
            y->score += q[k].w + 1e-12;
        }
        visited += r->n[q[k].id];
        rest -= q[k].w;
    }
    for (size_t t = 0; t < nt; t++) {
        rep *y = &r->at[r->touched[t]];
        double sim, up = y->score + (rest > 0 ? rest : 0);
        y->score = 0;
        if ((g && g[y->grp].last == x->f.statement) ||
            up < d->o.threshold * root * y->root - 1e-9)
            continue; /* even sharing every word not visited, it stays below */
        sim = similarity_of(feat_shared(&d->t->w, &x->ft, &d->s[y->sent].ft), x->mass,
                            d->s[y->sent].mass);
        if (sim >= d->o.threshold && sim > *bs)
            best = y->sent, *bs = sim;
    }
    free(q);
    return best;
}

/* Group the eligible sentences, in feed order.  A sentence said again
 * word for word joins the group its first saying is in (when that group
 * has no sentence of its statement yet) without a search: the same
 * sentence stays in one group, and most of a long series' sentences
 * are such repeats. */
static int group_all(posdiff_discovery *d, reps *r)
{
    hashmap said = HASHMAP_INIT;
    group *g = NULL;
    size_t ng = 0, gcap = 0, j, first;
    double sim;
    int rc = 0;

    for (size_t i = 0; i < d->n && rc == 0; i++) {
        sent *x = &d->s[i];
        if (!eligible(x))
            continue;
        x->next = SIZE_MAX;
        first = (size_t)(uintptr_t)hashmap_get(&said, x->f.text, x->f.len); /* index + 1 */
        if (first && g[d->s[first - 1].grp].last != x->f.statement)
            j = first - 1, sim = 1;
        else if (!first && (rc = hashmap_put(&said, x->f.text, x->f.len, (void *)(i + 1))) < 0)
            break;
        else
            j = reps_best(d, r, g, x, &sim);
        if (j == SIZE_MAX && sim < 0) {
            rc = error_oom();
        } else if (j != SIZE_MAX) {
            group *y = &g[x->grp = d->s[j].grp];
            y->tail = d->s[y->tail].next = i;
            y->last = x->f.statement;
            y->n++;
            rc = sim < NEAR && y->nrep < REP_MAX ? (y->nrep++, reps_add(r, x, i)) : 0;
        } else if ((rc = array_grow(&g, &gcap, ng, sizeof(*g), 64)) == 0) {
            g[x->grp = ng++] = (group){i, i, 1, x->f.statement, 1};
            rc = reps_add(r, x, i);
        }
    }
    if (rc == 0)
        rc = emit_groups(d, g, ng);
    hashmap_free(&said);
    free(g);
    return rc;
}

/* With a position: its passages as representatives, then each eligible
 * sentence against them (a sentence said again, restating the same
 * passage, gets the phrases found the first time). */
static int match_position(posdiff_discovery *d, reps *r)
{
    hashmap seen = HASHMAP_INIT;
    size_t j, at;
    double sim;
    int rc = 0;

    for (size_t i = 0; i < d->n && rc == 0; i++)
        if (d->s[i].passage && ((j = reps_best(d, r, NULL, &d->s[i], &sim)) == SIZE_MAX ||
                                sim < NEAR_COPY))
            rc = sim < 0 ? error_oom() : reps_add(r, &d->s[i], i);
    for (size_t i = 0; i < d->n && rc == 0; i++) {
        const posdiff_found *f = &d->s[i].f;
        if (!eligible(&d->s[i]) || (j = reps_best(d, r, NULL, &d->s[i], &sim)) == SIZE_MAX) {
            rc = eligible(&d->s[i]) && sim < 0 ? error_oom() : 0;
            continue;
        }
        at = (size_t)(uintptr_t)hashmap_get(&seen, f->text, f->len); /* index + 1 */
        if ((rc = add_candidate(d, &i, 1, j, sim, at ? at - 1 : SIZE_MAX)) == 0 && !at)
            rc = hashmap_put(&seen, f->text, f->len, (void *)(uintptr_t)d->nc);
    }
    hashmap_free(&seen);
    return rc;
}

int posdiff_discovery_run(posdiff_discovery *d)
{
    const feat **all = malloc((d->n ? d->n : 1) * sizeof(*all));
    reps r = {NULL, NULL, NULL, 0, NULL, 0, 0, NULL};
    int rc = all && (d->mark = calloc(d->n + 1, sizeof(*d->mark))) ? 0 : error_oom();

    weights_ready(&d->t->w);
    for (size_t i = 0; i < d->n && rc == 0; i++) {
        sent *x = &d->s[i];
        x->mass = feat_mass(&d->t->w, &x->ft);
        all[i] = &x->ft;
    }
    if (rc == 0 && (rc = cand_index_build(&d->all, all, d->n)) == 0 &&
        (rc = reps_init(&r, d->t->dict.n + 1)) == 0)
        rc = d->o.position < 0 ? group_all(d, &r) : match_position(d, &r);
    reps_free(&r);
    free(all);
    return rc;
}

size_t posdiff_discovery_count(const posdiff_discovery *d)
{
    return d->nc;
}

const posdiff_candidate *posdiff_discovery_at(const posdiff_discovery *d, size_t i)
{
    return i < d->nc ? &d->c[i] : NULL;
}

void posdiff_discovery_free(posdiff_discovery *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->nc; i++) {
        for (size_t k = 0; k < d->c[i].phrase_count; k++)
            free((char *)d->c[i].phrases[k]);
        free((void *)d->c[i].phrases);
        free((void *)d->c[i].sentences);
    }
    for (size_t i = 0; i < d->n; i++) {
        free((char *)d->s[i].f.text);
        feat_free(&d->s[i].ft);
        free(d->s[i].seq);
    }
    free(d->c);
    free(d->s);
    free(d->mark);
    cand_index_free(&d->all);
    posdiff_tracker_free(d->t);
    free(d);
}
