/*
 * gen_series.c - synthetic labelled statement series (see gen_series.h).
 *
 * Pool: the raw statements are cut at ". ", "; " and line ends into
 * sentences of 10-50 plain words; exact duplicates are removed.
 * Series (seeded xorshift, so reproducible): 2-4 positions, each anchored
 * by one made-up word ("zqa", ...).  Statement 0 states each position
 * with probability 0.85, with 1-4 pool sentences (anchor inserted at a
 * random place).  Each later statement, for each position (state =
 * passages of the last statement that stated it, in statement order):
 *   omit the position           0.15
 *   per passage: drop 0.07 (it becomes a dormant thread), split 0.07
 *   (>= 14 words; the part without the anchor gets it with p 0.7, else
 *   it must be joined by similarity), merge with the next 0.06, reword
 *   0.40 (1 + up to 20% of the words replaced, inserted or deleted,
 *   anchor kept), heavy reword 0.08 (30-45% of the words edited),
 *   rewrite 0.06 (55-70% edited: Dice to the old passage mostly
 *   0.25-0.5, like the corpus's own restatements), fan-out 0.04 (a
 *   reword plus a rewrite of the same passage right after it: two
 *   successors), else unchanged;
 *   revive 0.3: one dormant thread (a passage dropped earlier), chosen
 *   at random, restated as is or lightly reworded (half each);
 *   move one passage 0.2; add 1-2 new passages 0.3.
 * Noise: 2-6 pool sentences without anchors per statement.
 * The truth of a passage is the text the tracker must report as
 * prev_text and the statement of that text: the old passage, the old
 * passage for both split parts and both fan-out successors, the two old
 * ones joined by a space for a merge, the dormant thread (and the
 * statement that last stated it) for a revival, NULL when added.  Each
 * passage records its kind (gen_kind) for per-phenomenon scores.
 */
#include "gen_series.h"

#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        abort();
    return q;
}

static char *xstrndup(const char *s, size_t n)
{
    char *p = xrealloc(NULL, n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

static unsigned rnd(unsigned *st)
{
    unsigned x = *st;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return *st = x;
}

static int chance(unsigned *st, double p)
{
    return (rnd(st) % 10000) < (unsigned)(p * 10000);
}

/* ---- pool ---- */

static int push_str(char ***v, size_t *n, char *s)
{
    *v = xrealloc(*v, (*n + 1) * sizeof(**v));
    (*v)[(*n)++] = s;
    return 0;
}

/* Keep piece s[0..n) if it is 10-50 words of letters and punctuation. */
static void add_piece(gen_pool *p, const char *s, size_t n)
{
    char *t = xrealloc(NULL, n + 1);
    size_t k = 0, words = 0;
    int in_word = 0;

    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 32 || c >= 127)
            c = ' ';
        if (c == ' ' && (k == 0 || t[k - 1] == ' '))
            continue;
        words += (c != ' ' && !in_word);
        in_word = c != ' ';
        t[k++] = (char)c;
    }
    while (k && t[k - 1] == ' ')
        k--;
    t[k] = '\0';
    for (size_t i = 0; i < p->n && words; i++)
        if (strcmp(p->sent[i], t) == 0)
            words = 0;
    if (words >= 10 && words <= 50)
        push_str(&p->sent, &p->n, t);
    else
        free(t);
}

static void cut_text(gen_pool *p, const char *s, size_t len)
{
    size_t start = 0;
    for (size_t i = 0; i <= len; i++) {
        int end = i == len || s[i] == '\n' ||
                  ((s[i] == '.' || s[i] == ';') && i + 1 < len && s[i + 1] == ' ');
        if (end) {
            add_piece(p, s + start, i - start);
            start = i + 1;
        }
    }
}

static void load_file(gen_pool *p, const char *path)
{
    FILE *f = fopen(path, "rb");
    char *s;
    long n;

    if (!f)
        return;
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    s = xrealloc(NULL, (size_t)n + 1);
    if (fread(s, 1, (size_t)n, f) == (size_t)n)
        cut_text(p, s, (size_t)n);
    free(s);
    fclose(f);
}

static void builtin_pool(gen_pool *p, unsigned seed)
{
    static const char *w[] = {"states", "security", "cyberspace", "peace",
        "cooperation", "network", "norms", "rules", "trust", "order",
        "development", "capacity", "building", "nations", "united",
        "process", "dialogue", "critical", "infrastructure", "supply",
        "chain", "threats", "attacks", "sovereignty", "governance",
        "internet", "technology", "innovation", "economy", "digital",
        "countries", "developing", "common", "future", "shared",
        "community", "principles", "charter", "framework", "report"};
    size_t nw = sizeof(w) / sizeof(*w);

    for (int k = 0; k < 300; k++) {
        char s[512];
        size_t at = 0, n = 10 + rnd(&seed) % 20;
        for (size_t i = 0; i < n; i++)
            at += (size_t)snprintf(s + at, sizeof(s) - at, "%s%s", i ? " " : "",
                                   w[rnd(&seed) % nw]);
        add_piece(p, s, at);
    }
}

/* Vocabulary: the distinct words of 4+ letters of the pool. */
static void collect_words(gen_pool *p)
{
    for (size_t i = 0; i < p->n; i++) {
        const char *s = p->sent[i];
        while (*s) {
            size_t n = strcspn(s, " ");
            int ok = n >= 4;
            for (size_t k = 0; k < n && ok; k++)
                ok = (s[k] >= 'a' && s[k] <= 'z');
            for (size_t k = 0; k < p->nword && ok && p->nword < 4000; k++)
                ok = !(strlen(p->word[k]) == n && memcmp(p->word[k], s, n) == 0);
            if (ok && p->nword < 4000)
                push_str(&p->word, &p->nword, xstrndup(s, n));
            s += n + (s[n] == ' ');
        }
    }
}

int gen_pool_load(gen_pool *p, const char *dir)
{
    DIR *d = dir ? opendir(dir) : NULL;
    struct dirent *e;

    memset(p, 0, sizeof(*p));
    while (d && (e = readdir(d))) {
        char path[4096];
        size_t n = strlen(e->d_name);
        if (n < 4 || strcmp(e->d_name + n - 4, ".txt") != 0)
            continue;
        snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
        load_file(p, path);
    }
    if (d)
        closedir(d);
    if (p->n < 100)
        builtin_pool(p, 12345);
    collect_words(p);
    return p->n >= 50 && p->nword >= 20 ? 0 : -1;
}

void gen_pool_free(gen_pool *p)
{
    for (size_t i = 0; i < p->n; i++)
        free(p->sent[i]);
    for (size_t i = 0; i < p->nword; i++)
        free(p->word[i]);
    free(p->sent);
    free(p->word);
    memset(p, 0, sizeof(*p));
}

/* ---- series ---- */

typedef struct {
    const char *text;
    const char *prev;
    size_t key; /* tracker line order: 2 * old line + part; added: after */
    int prev_stmt;
    gen_kind kind;
    size_t seq; /* statement order (ties of key) */
} gnew;

typedef struct {
    const char *text;
    int stmt; /* the statement that last stated it */
} gdorm;

typedef struct {
    gen_series *s;
    const gen_pool *pool;
    unsigned rng;
    size_t *perm, cursor; /* pool sentences in draw order */
    const char **state[GEN_MAX_POS];
    size_t nstate[GEN_MAX_POS];
    int state_stmt[GEN_MAX_POS]; /* the statement of the state */
    gdorm *dorm[GEN_MAX_POS];    /* dormant threads */
    size_t ndorm[GEN_MAX_POS];
    int cur;                     /* the statement being made */
} gen;

const char *gen_kind_name(gen_kind k)
{
    static const char *const names[GEN_KINDS] = {
        "noise", "added", "same", "reword", "heavy", "rewrite", "split",
        "merge", "fan-out", "revived"};
    return k < GEN_KINDS ? names[k] : "?";
}

static const char *keep(gen *g, char *str)
{
    push_str(&g->s->strs, &g->s->nstrs, str);
    return str;
}

/* Words of s (pointers into a copy held in *buf). */
static size_t split_words(const char *s, char **buf, char ***w)
{
    size_t n = 0;
    char *save = NULL, *tok;

    *buf = xstrndup(s, strlen(s));
    *w = NULL;
    for (tok = strtok_r(*buf, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
        *w = xrealloc(*w, (n + 2) * sizeof(**w));
        (*w)[n++] = tok;
    }
    return n;
}

static const char *join_words(gen *g, char **w, size_t n)
{
    size_t len = 1, at = 0;
    char *s;

    for (size_t i = 0; i < n; i++)
        len += strlen(w[i]) + 1;
    s = xrealloc(NULL, len);
    for (size_t i = 0; i < n; i++)
        at += (size_t)sprintf(s + at, "%s%s", i ? " " : "", w[i]);
    s[at] = '\0';
    return keep(g, s);
}

/* A fresh pool sentence, with the anchor of position p (p >= 0). */
static const char *fresh(gen *g, int p)
{
    const char *s = g->pool->sent[g->perm[g->cursor++ % g->pool->n]];
    char *buf, **w;
    size_t n = split_words(s, &buf, &w), at = rnd(&g->rng) % (n + 1);
    const char *out;

    if (p >= 0) {
        memmove(w + at + 1, w + at, (n - at) * sizeof(*w));
        w[at] = g->s->anchor[p];
        n++;
    }
    out = join_words(g, w, n);
    free(buf);
    free(w);
    return out;
}

/* Reword: 1 + up to 20% of the words edited (heavy 1: 30-45%; 2:
 * 55-70%, a rewrite). */
static const char *reword(gen *g, const char *s, int p, int heavy)
{
    char *buf, **w;
    size_t n = split_words(s, &buf, &w);
    size_t edits = heavy == 2 ? n * (55 + rnd(&g->rng) % 16) / 100
                   : heavy ? n * (30 + rnd(&g->rng) % 16) / 100
                           : 1 + rnd(&g->rng) % (n / 5 + 1);
    const char *out;

    w = xrealloc(w, (n + edits + 1) * sizeof(*w));
    for (size_t e = 0; e < edits; e++) {
        size_t at = rnd(&g->rng) % n, r = rnd(&g->rng) % 10;
        char *nw = g->pool->word[rnd(&g->rng) % g->pool->nword];
        if (strcmp(w[at], g->s->anchor[p]) == 0)
            continue;
        if (r < 6) {
            w[at] = nw;
        } else if (r < 8) {
            memmove(w + at + 1, w + at, (n - at) * sizeof(*w));
            w[at] = nw;
            n++;
        } else if (n > 4) {
            memmove(w + at, w + at + 1, (n - at - 1) * sizeof(*w));
            n--;
        }
    }
    out = join_words(g, w, n);
    free(buf);
    free(w);
    return out;
}

static int has_word(char **w, size_t n, const char *x)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(w[i], x) == 0)
            return 1;
    return 0;
}

/* Split s in two near the middle; returns 0 if too short.  A part
 * without the anchor gets it (at its edge) with probability 0.7. */
static int split(gen *g, const char *s, int p, const char **a, const char **b)
{
    char *buf, **w, **part;
    size_t n = split_words(s, &buf, &w), c, k = 0;
    char *anc = g->s->anchor[p];

    if (n < 14) {
        free(buf);
        free(w);
        return 0;
    }
    c = n / 3 + rnd(&g->rng) % (n / 3 + 1);
    part = xrealloc(NULL, (n + 2) * sizeof(*part));
    memcpy(part, w, c * sizeof(*part));
    k = c;
    if (!has_word(w, c, anc) && chance(&g->rng, 0.7))
        part[k++] = anc;
    *a = join_words(g, part, k);
    k = 0;
    if (!has_word(w + c, n - c, anc) && chance(&g->rng, 0.7))
        part[k++] = anc;
    memcpy(part + k, w + c, (n - c) * sizeof(*part));
    *b = join_words(g, part, k + n - c);
    free(part);
    free(buf);
    free(w);
    return 1;
}

typedef struct {
    gnew *v;
    size_t n, cap;
} gnew_vec;

static void gpush(gnew_vec *v, size_t at, gnew x)
{
    if (v->n == v->cap) {
        v->cap = v->cap ? 2 * v->cap : 16;
        v->v = xrealloc(v->v, v->cap * sizeof(*v->v));
    }
    memmove(v->v + at + 1, v->v + at, (v->n - at) * sizeof(*v->v));
    v->v[at] = x;
    v->n++;
}

static const char *joined(gen *g, const char *a, const char *b)
{
    char *s = xrealloc(NULL, strlen(a) + strlen(b) + 2);
    sprintf(s, "%s %s", a, b);
    return keep(g, s);
}

static gnew succ(const char *text, const char *prev, size_t key, int ps,
                 gen_kind kind)
{
    return (gnew){text, prev, key, ps, kind, 0};
}

static void push_dormant(gen *g, int p, const char *text, int stmt)
{
    g->dorm[p] = xrealloc(g->dorm[p], (g->ndorm[p] + 1) * sizeof(gdorm));
    g->dorm[p][g->ndorm[p]++] = (gdorm){text, stmt};
}

/* Edit each current passage of p (see the file comment). */
static void evolve(gen *g, int p, gnew_vec *out)
{
    const char **o = g->state[p], *x, *y;
    size_t a = g->nstate[p];
    int ps = g->state_stmt[p];

    for (size_t i = 0; i < a; i++) {
        unsigned r = rnd(&g->rng) % 100;
        if (r < 7) {
            push_dormant(g, p, o[i], ps);
        } else if (r < 14 && split(g, o[i], p, &x, &y)) {
            gpush(out, out->n, succ(x, o[i], 2 * i, ps, GEN_SPLIT));
            gpush(out, out->n, succ(y, o[i], 2 * i + 1, ps, GEN_SPLIT));
        } else if (r >= 14 && r < 20 && i + 1 < a) {
            x = joined(g, o[i], o[i + 1]);
            gpush(out, out->n, succ(x, x, 2 * i, ps, GEN_MERGE));
            i++;
        } else if (r >= 20 && r < 74) {
            int h = r >= 68 ? 2 : r >= 60;
            gpush(out, out->n, succ(reword(g, o[i], p, h), o[i], 2 * i, ps,
                                    h == 2 ? GEN_REWRITE : h ? GEN_HEAVY
                                                             : GEN_REWORD));
        } else if (r >= 74 && r < 78) {
            gpush(out, out->n, succ(reword(g, o[i], p, 0), o[i], 2 * i, ps,
                                    GEN_REWORD));
            gpush(out, out->n, succ(reword(g, o[i], p, 2), o[i], 2 * i, ps,
                                    GEN_FANOUT));
        } else {
            gpush(out, out->n, succ(o[i], o[i], 2 * i, ps, GEN_SAME));
        }
    }
}

/* Restate one dormant thread of p (see the file comment). */
static void revive(gen *g, int p, size_t nd0, gnew_vec *out)
{
    size_t d = rnd(&g->rng) % nd0; /* not one dropped just now */
    gdorm t = g->dorm[p][d];
    const char *x = chance(&g->rng, 0.5) ? t.text : reword(g, t.text, p, 0);

    memmove(g->dorm[p] + d, g->dorm[p] + d + 1,
            (g->ndorm[p] - d - 1) * sizeof(gdorm));
    g->ndorm[p]--;
    gpush(out, rnd(&g->rng) % (out->n + 1),
          succ(x, t.text, SIZE_MAX, t.stmt, GEN_REVIVED));
}

/* Adds, a move, then the new state: the passages in statement order,
 * as the tracker keeps them. */
static void finish_position(gen *g, int p, gnew_vec *v, size_t adds)
{
    for (size_t k = 0; k < adds; k++)
        gpush(v, rnd(&g->rng) % (v->n + 1),
              succ(fresh(g, p), NULL, SIZE_MAX, -1, GEN_ADDED));
    if (v->n >= 2 && chance(&g->rng, 0.2)) {
        size_t i = rnd(&g->rng) % v->n, j = rnd(&g->rng) % (v->n - 1);
        gnew x = v->v[i];
        memmove(v->v + i, v->v + i + 1, (v->n - i - 1) * sizeof(*v->v));
        v->n--;
        gpush(v, j, x);
    }
    if (v->n == 0)
        return; /* not restated: the state stays */
    g->state[p] = xrealloc(g->state[p], v->n * sizeof(*g->state[p]));
    for (size_t k = 0; k < v->n; k++)
        g->state[p][k] = v->v[k].text;
    g->nstate[p] = v->n;
    g->state_stmt[p] = g->cur;
}

static void add_sent(gen_stmt *st, size_t at, gen_sent x)
{
    st->s = xrealloc(st->s, (st->n + 1) * sizeof(*st->s));
    memmove(st->s + at + 1, st->s + at, (st->n - at) * sizeof(*st->s));
    st->s[at] = x;
    st->n++;
}

static void make_statement(gen *g, gen_stmt *st)
{
    int order[GEN_MAX_POS];
    size_t noise = 2 + rnd(&g->rng) % 5;

    memset(st, 0, sizeof(*st));
    for (int p = 0; p < g->s->npos; p++)
        order[p] = p;
    for (int p = g->s->npos - 1; p > 0; p--) {
        int j = (int)(rnd(&g->rng) % (unsigned)(p + 1)), t = order[p];
        order[p] = order[j];
        order[j] = t;
    }
    for (int k = 0; k < g->s->npos; k++) {
        int p = order[k];
        gnew_vec v = {NULL, 0, 0};
        size_t nd0 = g->ndorm[p];
        size_t adds = chance(&g->rng, 0.3) ? 1 + rnd(&g->rng) % 2 : 0;
        if (g->nstate[p] == 0)
            adds = chance(&g->rng, 0.85) ? 1 + rnd(&g->rng) % 4 : 0;
        else if (chance(&g->rng, 0.15))
            continue; /* position omitted */
        else
            evolve(g, p, &v);
        if (g->nstate[p] && nd0 && chance(&g->rng, 0.3))
            revive(g, p, nd0, &v);
        finish_position(g, p, &v, adds);
        if (v.n == 0) /* not restated after all: nothing was dropped */
            g->ndorm[p] = nd0;
        for (size_t i = 0; i < v.n; i++)
            add_sent(st, st->n, (gen_sent){v.v[i].text, p, v.v[i].prev,
                                           v.v[i].prev_stmt, v.v[i].kind});
        free(v.v);
    }
    for (size_t k = 0; k < noise; k++)
        add_sent(st, rnd(&g->rng) % (st->n + 1),
                 (gen_sent){fresh(g, -1), -1, NULL, -1, GEN_NOISE});
}

int gen_series_make(gen_series *s, const gen_pool *pool, unsigned seed)
{
    gen g;

    memset(s, 0, sizeof(*s));
    memset(&g, 0, sizeof(g));
    g.s = s;
    g.pool = pool;
    g.rng = seed * 2654435761u + 1;
    g.perm = xrealloc(NULL, pool->n * sizeof(*g.perm));
    for (size_t i = 0; i < pool->n; i++)
        g.perm[i] = i;
    for (size_t i = pool->n - 1; i > 0; i--) {
        size_t j = rnd(&g.rng) % (i + 1), t = g.perm[i];
        g.perm[i] = g.perm[j];
        g.perm[j] = t;
    }
    s->npos = 2 + (int)(rnd(&g.rng) % (GEN_MAX_POS - 1));
    for (int p = 0; p < s->npos; p++)
        snprintf(s->anchor[p], sizeof(s->anchor[p]), "zqx%c", 'a' + p);
    s->nstmt = 4 + rnd(&g.rng) % 3;
    s->stmt = xrealloc(NULL, s->nstmt * sizeof(*s->stmt));
    for (size_t k = 0; k < s->nstmt; k++) {
        g.cur = (int)k;
        make_statement(&g, &s->stmt[k]);
    }
    for (int p = 0; p < GEN_MAX_POS; p++) {
        free(g.state[p]);
        free(g.dorm[p]);
    }
    free(g.perm);
    return 0;
}

void gen_series_free(gen_series *s)
{
    for (size_t k = 0; k < s->nstmt; k++)
        free(s->stmt[k].s);
    for (size_t k = 0; k < s->nstrs; k++)
        free(s->strs[k]);
    free(s->stmt);
    free(s->strs);
    memset(s, 0, sizeof(*s));
}
