/*
 * discover.c - recurring passages no position tracks (posdiff/discover.h).
 *
 * Each statement is stepped through a tracker, so a sentence is known to
 * be a passage exactly as the build knows it; every sentence keeps its
 * features (words.h) and its word ids in order (0: a function word).
 * Grouping, in feed order: a sentence that is no passage, no heading and
 * has MIN_CONTENT content words joins the group whose founder (its first
 * sentence) it is most similar to (weights.h, with the idf over every
 * sentence fed) when that reaches the threshold and the group has no
 * sentence of its statement yet; else it founds a group.  An inverted
 * index over the founders' words gives the groups to compare with (their
 * lists grow with the number of groups, not of sentences, so the cost is
 * near linear).  With a position P, each such sentence is compared with
 * P's passages (candidates.h) instead.
 *
 * Phrases: the runs of 2-4 content words of a few members (consecutive
 * ones at most POSDIFF_MATCH_GAP words apart, as the catalog matches),
 * scored by F1 of the members they match (a sample) against the other
 * sentences they match (those holding the rarest word, sampled, scaled
 * up); up to three are picked greedily over the members left uncovered.
 */
#include "posdiff/discover.h"

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
    size_t head, tail, n, last; /* head: the founder, compared with */
    double score;               /* query scratch: weight shared, 0 between */
} group;

/* Groups by the words of their founders (per stem id, growing). */
typedef struct {
    uint32_t **v;
    size_t *n, *cap, nid;
    size_t *touched;            /* query scratch: groups scored */
} founders;

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
        oth[i] = others(d, &cand[i]);
    while (c->phrase_count < (need_all ? 1u : 3u)) {
        double best = 0, f;
        size_t bi = 0;
        for (size_t i = 0; i < nc; i++) {
            hits[i] = 0;
            for (size_t k = 0; k < ns; k++)
                hits[i] += !covered[k] && occurs(&cand[i], &d->s[m[k * nm / ns]]);
            f = 2.0 * hits[i] * nm / ns / (nm + hits[i] * (double)nm / ns + oth[i]);
            if ((!need_all || hits[i] == ns) && f > best + 1e-9 && (c->phrase_count == 0 ||
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

static int add_candidate(posdiff_discovery *d, const size_t *m, size_t nm, size_t like,
                         double sim)
{
    posdiff_candidate *c;
    posdiff_found *f;

    if (array_grow(&d->c, &d->ccap, d->nc, sizeof(*d->c), 16) < 0 ||
        !(f = malloc((nm + 1) * sizeof(*f))))
        return error_oom();
    c = memset(&d->c[d->nc++], 0, sizeof(*c));
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

    qsort(g, ng, sizeof(*g), cmp_group);
    for (size_t i = 0; i < ng && rc == 0 && g[i].n >= d->o.min_statements; i++) {
        size_t nm = 0;
        for (size_t j = g[i].head; j != SIZE_MAX; j = d->s[j].next)
            m[nm++] = j;
        rc = add_candidate(d, m, nm, SIZE_MAX, 0);
    }
    free(m);
    return rc;
}

/* The group x joins among those whose founder shares a word with it
 * (similarity from the weight the postings sum, all of it within
 * CAND_BUDGET postings), or SIZE_MAX. */
static size_t best_group(posdiff_discovery *d, founders *fx, group *g, const sent *x)
{
    size_t nt = 0, visited = 0, best = SIZE_MAX;
    double bs = 0;

    for (size_t k = 0; k < x->ft.n && visited <= CAND_BUDGET; k++) {
        uint32_t id = x->ft.ids[k];
        if ((k && id == x->ft.ids[k - 1]) || id >= fx->nid)
            continue;
        for (size_t p = 0; p < fx->n[id]; p++) {
            group *y = &g[fx->v[id][p]];
            if (y->score == 0)
                fx->touched[nt++] = fx->v[id][p];
            y->score += weight_of(&d->t->w, id);
        }
        visited += fx->n[id];
    }
    for (size_t t = 0; t < nt; t++) {
        group *y = &g[fx->touched[t]];
        double sim = similarity_of(y->score, x->mass, d->s[y->head].mass);
        if (y->last != x->f.statement && sim >= d->o.threshold && sim > bs)
            best = fx->touched[t], bs = sim;
        y->score = 0;
    }
    return best;
}

/* Found group @p gi with x: list it under x's words. */
static int found_group(founders *fx, const sent *x, size_t gi)
{
    for (size_t k = 0; k < x->ft.n; k++) {
        uint32_t id = x->ft.ids[k];
        if ((k && id == x->ft.ids[k - 1]) || id >= fx->nid)
            continue;
        if (array_grow(&fx->v[id], &fx->cap[id], fx->n[id], sizeof(**fx->v), 4) < 0)
            return POSDIFF_ENOMEM;
        fx->v[id][fx->n[id]++] = (uint32_t)gi;
    }
    return 0;
}

/* Group the eligible sentences, in feed order. */
static int group_all(posdiff_discovery *d)
{
    founders fx = {NULL, NULL, NULL, d->t->dict.n + 1, NULL};
    group *g = NULL;
    size_t ng = 0, gcap = 0, j;
    int rc = (fx.v = calloc(fx.nid, sizeof(*fx.v))) && (fx.n = calloc(fx.nid, sizeof(*fx.n))) &&
             (fx.cap = calloc(fx.nid, sizeof(*fx.cap))) &&
             (fx.touched = malloc((d->n + 1) * sizeof(*fx.touched))) ? 0 : error_oom();

    for (size_t i = 0; i < d->n && rc == 0; i++) {
        sent *x = &d->s[i];
        if (!eligible(x))
            continue;
        x->next = SIZE_MAX;
        if ((j = best_group(d, &fx, g, x)) != SIZE_MAX) {
            g[j].tail = d->s[g[j].tail].next = i;
            g[j].last = x->f.statement;
            g[j].n++;
        } else if ((rc = array_grow(&g, &gcap, ng, sizeof(*g), 64)) == 0) {
            g[ng] = (group){i, i, 1, x->f.statement, 0};
            rc = found_group(&fx, x, ng++);
        }
    }
    if (rc == 0)
        rc = emit_groups(d, g, ng);
    for (size_t id = 0; fx.v && id < fx.nid; id++)
        free(fx.v[id]);
    free(fx.v);
    free(fx.n);
    free(fx.cap);
    free(fx.touched);
    free(g);
    return rc;
}

/* With a position: each eligible sentence against the position's passages. */
static int match_position(posdiff_discovery *d, cand_index *ix)
{
    cand_answer a;
    int rc = 0;

    for (size_t i = 0; i < d->n && rc == 0; i++) {
        const sent *x = &d->s[i];
        size_t best = SIZE_MAX;
        double bs = 0;
        if (!eligible(x) || (rc = cand_query(&a, ix, &d->t->w, &x->ft, CAND_BUDGET)) < 0)
            continue;
        for (size_t r = 0; r < a.n; r++) {
            const sent *y = &d->s[a.item[r]];
            double sim = similarity_of(feat_shared(&d->t->w, &x->ft, &y->ft), x->mass, y->mass);
            if (sim >= d->o.threshold && sim > bs)
                best = a.item[r], bs = sim;
        }
        if (best != SIZE_MAX)
            rc = add_candidate(d, &i, 1, best, bs);
    }
    return rc;
}

int posdiff_discovery_run(posdiff_discovery *d)
{
    const feat **all = malloc((d->n ? d->n : 1) * sizeof(*all));
    const feat **some = malloc((d->n ? d->n : 1) * sizeof(*some));
    cand_index ix = CAND_INDEX_INIT;
    int rc = all && some && (d->mark = calloc(d->n + 1, sizeof(*d->mark))) ? 0 : error_oom();

    weights_ready(&d->t->w);
    for (size_t i = 0; i < d->n && rc == 0; i++) {
        sent *x = &d->s[i];
        x->mass = feat_mass(&d->t->w, &x->ft);
        all[i] = &x->ft;
        some[i] = x->passage ? &x->ft : NULL;
    }
    if (rc == 0 && (rc = cand_index_build(&d->all, all, d->n)) == 0)
        rc = d->o.position < 0 ? group_all(d)
             : (rc = cand_index_build(&ix, some, d->n)) < 0 ? rc : match_position(d, &ix);
    cand_index_free(&ix);
    free(all);
    free(some);
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
