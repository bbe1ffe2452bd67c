/*
 * align.c - follow positions across a series of statements.
 *
 * State.  For every position the tracker keeps
 *   - its active passages: those of the most recent statement that
 *     stated it (copied, newlines turned into spaces, in "line order"),
 *     and that statement's id (none when never stated);
 *   - its dormant threads: passages that were dropped (no successor in
 *     the statement after them), each with the statement that last
 *     stated it and its text, most recently stated first, at most
 *     DORMANT_MAX (256; when more, the least recently stated go first,
 *     and of one statement the later lines), so a step's cost stays
 *     bounded however long the series;
 *   - the stem vocabulary (ids of words for similarity; see
 *     "Saved state").
 *
 * Step.  For one statement (its sentences, copied into the step):
 *
 *  1. Passages of position p: every sentence matched by a phrase of p
 *     (catalog_matches_stems: posdiff_catalog_matches on the stems the
 *     step computed for the sentence's features, so each sentence is
 *     stemmed once per step) or lying in a section whose heading is
 *     (headings themselves are labels, never passages), plus every other sentence whose
 *     similarity to one of p's active passages is >= JOIN_THRESHOLD
 *     (0.6, higher than the link bar: a sentence that no phrase anchors
 *     needs strong evidence that it restates the position, e.g. a
 *     restated passage that lost its keyword in a rewording; dormant
 *     threads do not make sentences join).  A sentence may belong to
 *     several positions.  No passage: NOT_RESTATED, state unchanged
 *     (its active passages stay active, nothing becomes dormant).
 *  2. Lineage (lineage_align_threads, lineage.c), in this order:
 *     a. against p's active passages: 1:1, 1:2 split, 2:1 merge at
 *        LINK_THRESHOLD (0.5) with SPLIT_PART_MIN (0.5), strongest
 *        first: the high-confidence links;
 *     b. revival: each passage still unlinked is matched against p's
 *        dormant threads, 1:1, at the same bar LINK_THRESHOLD, threads
 *        of the most recent statement first (then strongest first), and
 *        only when the thread is strictly more similar than the
 *        passage's best active passage (so a near-identical dormant
 *        passage wins over a weak descent, and a descent at least as
 *        strong as the revival, from the more recent statement, wins
 *        over it).  A revived passage gets the thread as predecessor
 *        (prev_statement = the statement that last stated it), status
 *        UNCHANGED or CHANGED (never MOVED: it has no line in the active
 *        order), and leaves the dormant set;
 *     c. descent: each passage still unlinked descends from its most
 *        similar active passage if similarity >= DESCENT_THRESHOLD
 *        (0.22); an old passage may get several successors (fan-out);
 *     d. moves: a longest run of linked passages (revived ones aside)
 *        whose predecessors' lines do not decrease keeps its order, the
 *        others are MOVED; successors of one passage tie, so fan-out
 *        alone never makes a move.
 *     Passage status: ADDED (no predecessor), MOVED, UNCHANGED
 *     (identical text), else CHANGED.  Active passages with no
 *     successor at all are dropped and become dormant threads (with
 *     their statement).  ops = posdiff_tokdiff(prev_text, text); an
 *     added passage gets one INSERT of its text.
 *  3. Entry status: ADDED if p had never been stated, UNCHANGED if
 *     every passage is UNCHANGED, none was revived and nothing was
 *     dropped, else CHANGED.
 *  4. New active passages: the statement's passages in statement order.
 *     Moves (step 2) are judged against this order, i.e. against the
 *     order in which the previous statement actually stated them (an
 *     order "linked first, added last" made every restatement of a
 *     statement with an added passage look moved).  In positions/<id>.md
 *     git's line diff pairs each restated passage with its predecessor.
 *  5. New dormant set: the passages dropped now (line order), then the
 *     old threads that were not revived, cut at DORMANT_MAX.
 *
 * The step is computed in full before the tracker changes: on error the
 * tracker is left as it was.  The old active strings move into the
 * step, which is what its prev_text / dropped pointers point at; a
 * revived thread's strings are copied into the step (the tracker frees
 * the thread).
 *
 * Similarity is the Dice coefficient over content-word stems (passages.c)
 * rather than posdiff_similarity(): it ignores function words and
 * inflection, which is what a restatement changes most.
 *
 * Features are computed once per text: a sentence's when the step
 * stems it; the new active passages take copies of them, a dropped
 * passage carries its features into its dormant thread.  So a step stems
 * only its own sentences (plus, once, the passages of a state read by
 * posdiff_tracker_load / restore, which hold no features).  A cached
 * feature's words are already interned, so the cache leaves every stem
 * id, and thus the saved vocabulary, as it was.
 *
 * Thresholds.  Chosen on the labelled synthetic series of
 * tests/gen_series.c (400 series of 4-6 statements built from the
 * corpus's own sentences: light, heavy and very heavy rewording
 * ("rewrite", Dice mostly 0.25-0.5), two successors of one passage,
 * moves, splits, merges, drops, revivals of dropped passages, additions,
 * omitted positions, noise sentences) with POSDIFF_ALIGN_TUNE=1
 * check_align, and on the shipped corpus's restatements.  Link
 * precision / recall (a passage is right when it has the true
 * predecessor text and statement, or none when added):
 *
 *   defaults (link 0.5, join 0.6, descent 0.22):   0.975 / 0.967
 *   link 0.3-0.7, join 0.6:  0.975 / 0.966-0.967 (flat)
 *   link 0.5,     join 0.4:  0.968 / 0.975 (noise sentences join)
 *   link 0.5,     join 0.8:  0.975 / 0.953 (restatements without the
 *                                           phrase missed)
 *   descent none:            0.958 / 0.950 (rewrites and second
 *                                           successors lost: 0.91/0.90)
 *   descent 0.15:            0.937 / 0.929
 *   descent 0.20:            0.966 / 0.957
 *   descent 0.22:            0.975 / 0.967
 *   descent 0.24:            0.983 / 0.975
 *   descent 0.26:            0.989 / 0.980
 *   descent 0.30:            0.994 / 0.985
 *   descent 0.35-0.40:       0.996 / 0.987 (the synthetic optimum)
 *   descent 0.50:            0.990 / 0.982
 *   no revival:              0.963 / 0.954 (revived passages all wrong)
 *
 * Per phenomenon at the defaults (precision / recall): same 1.000 /
 * 0.994, reword 1.000 / 0.993, heavy 1.000 / 0.988, rewrite 1.000 /
 * 0.989, fan-out 0.998 / 0.982, revived 0.966 / 0.961, split 0.998 /
 * 0.947 (a part that no phrase anchors and shares too few words with
 * the whole to join), merge 0.880 / 0.880 and added 0.929 / 0.929.
 * Added passages are the cost of the low descent bar: a fresh sentence
 * shares a fifth of its content words with some passage of its
 * position often enough (on the corpus's own sentences, 6.5% of
 * random pairs have Dice >= 0.2, 2.8% >= 0.25); each such false descent
 * also reorders the active passages, so a later merge of two passages
 * that are no longer adjacent is missed.
 *
 * The link bar is flat from 0.3 to 0.7; 0.5 is kept since real
 * statements on one topic share many words and a lower bar links
 * unrelated sentences of a position 1:1.  The join bar stays above it
 * (0.6): precision first for sentences that no phrase anchors.  The
 * revival bar is the link bar: a dormant thread competes with no
 * active passage of its own, so it needs the same evidence.  The
 * descent bar is set by the corpus, not by the synthetic optimum: the
 * restatements that the issue names descend at Dice 0.238 (single
 * track, 2020 "first information security process with universal
 * participation" <- 2019 "permanent and sustainable international
 * process"), 0.261 (legally binding, 2025 <- 2021 "legally binding
 * norms"), 0.267 (single track, 2025 "single-track ... permanent
 * mechanism" <- 2021 "open and inclusive UN cyber security mechanism
 * with universal participation") and 0.28 (2021 <- 2020); 0.22 is the
 * highest round bar under the lowest of them with a margin, and keeps
 * the synthetic precision and recall above 0.95.  (An IDF-weighted
 * Dice would separate better: on the corpus's sentences it cuts random
 * pairs >= 0.2 from 6.5% to 1.8%, but it lowers the pairs above to
 * 0.21-0.24 too, and needs document frequencies in the state.)
 *
 * Rendering (positions/<id>.md): first line `<!-- <position>: <statement>
 * -->`, then one active passage per line in state order, each line
 * ending in a newline.  A position never stated renders as the header
 * alone with the statement `(none)` (parentheses cannot occur in a
 * statement id, so it never collides with one).  posdiff_tracker_load
 * parses exactly that, so load(render(x)) restores x's active passages;
 * it clears the position's dormant threads (the file does not hold
 * them), so a tracker resumed from positions/ files alone may not
 * revive what a tracker that saw the whole series would.
 *
 * Saved state (posdiff_tracker_save / posdiff_tracker_restore), version
 * 1.  Text, one record a line; a STR is "<decimal byte length> <bytes>"
 * (the bytes are taken as they are: no escaping, never a newline):
 *
 *   posdiff-tracker 1
 *   vocabulary <M>           then M lines: STR (the stems, ids 1..M in order)
 *   positions <N>            N = the catalog's positions; then N times:
 *   position STR             the position id (must match the catalog, in order)
 *   stated STR | never       the statement of the active passages
 *   active <K>               then K lines: STR (in state order; K > 0
 *                            exactly when stated)
 *   dormant <D>              D <= 256, then D lines: STR(statement) STR(text),
 *                            most recently stated first
 *   end
 *
 * The vocabulary is saved so that a restored tracker gives every word
 * the id the saved one gave it: ids only break ties in the bounded
 * candidate search (feat_index_query), but with them restore(save(x))
 * behaves exactly like x, not merely alike.  Restore parses the whole
 * input into new structures first and swaps them in only when it is
 * valid, so on error (wrong magic or version, another catalog, a bad
 * statement id, a truncated or trailing byte) the tracker is unchanged.
 * The options (thresholds) are not state: the restoring tracker keeps
 * its own.
 */
#include "posdiff/align.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog_stems.h"
#include "errors.h"
#include "featcache.h"
#include "lineage.h"
#include "passages.h"
#include "posdiff/corpus.h"
#include "step.h"
#include "utf8.h"

#define LINK_THRESHOLD 0.5 /* min Dice to a predecessor */
#define JOIN_THRESHOLD 0.6 /* min Dice for a sentence no phrase anchors */
#define SPLIT_PART_MIN 0.5 /* split/merge: min share of a part's words in the other side */
#define DESCENT_THRESHOLD 0.22 /* min Dice of a low-bar descent */
#define DORMANT_MAX 256    /* dormant threads kept per position */
#define NONE_STATEMENT "(none)"
#define SAVE_MAGIC "posdiff-tracker"
#define SAVE_VERSION 1

/* A dormant thread: a dropped passage and the statement that last
 * stated it. */
typedef struct {
    char *stmt;
    char *text;   /* NUL-terminated, no newline */
    size_t len;
    feat f;       /* features of text, valid when ready (cache) */
    int ready;
} dthread;

typedef struct {
    char *stmt;   /* statement id; NULL when never stated */
    char **text;  /* passages in line order, NUL-terminated, no newline */
    size_t *len;
    size_t n;
    feat *f;      /* f[k]: features of text[k]; NULL until computed (cache) */
    dthread *dorm; /* dormant threads, most recently stated first */
    size_t ndorm;
} pstate;

#define PSTATE_INIT {NULL, NULL, NULL, 0, NULL, NULL, 0}

struct posdiff_tracker {
    const posdiff_catalog *cat;
    lin_params lp;
    double join;          /* JOIN_THRESHOLD or the option */
    int revive;           /* dormant threads are revived (tests may turn off) */
    pstate *st;           /* one per position */
    size_t count;
    stemmer stem;         /* with its word cache (passages.c) */
    stem_dict dict;       /* stem ids for similarity */
    stem_list words;      /* scratch */
    feat_cache sents;     /* features of the sentences seen (featcache.h) */
};

/* Working data of one step, freed when it ends. */
typedef struct {
    posdiff_tracker *t;
    posdiff_step *s;
    const char *stmt;       /* the statement id, step-owned */
    const posdiff_sentence *sent; /* the sentences, texts step-owned */
    size_t nsent;
    feat *sf;               /* features of each sentence */
    uint32_t **cid;         /* cid[k]: sentence k's stems as catalog ids */
    size_t *cn;             /* cn[k]: how many */
    feat **of;              /* of[p][k]: features of p's current passage k
                               (the state's cache, t->st[p].f) */
    size_t **mem;           /* mem[p]: p's sentences, statement order */
    size_t *nmem;
    pstate *next;           /* the new states (stmt NULL: unchanged) */
    unsigned char **drev;   /* drev[p][d]: p's dormant thread d revived */
} step_work;

/* ---- small helpers ---- */

static void dthread_free(dthread *d)
{
    free(d->stmt);
    free(d->text);
    feat_free(&d->f);
}

static void feats_free(feat *f, size_t n)
{
    for (size_t k = 0; f && k < n; k++)
        feat_free(&f[k]);
    free(f);
}

static void pstate_free(pstate *st)
{
    for (size_t k = 0; k < st->n; k++)
        free(st->text[k]);
    for (size_t d = 0; d < st->ndorm; d++)
        dthread_free(&st->dorm[d]);
    feats_free(st->f, st->n);
    free(st->text);
    free(st->len);
    free(st->stmt);
    free(st->dorm);
    *st = (pstate)PSTATE_INIT;
}

/* A state copy of a passage: NUL-terminated, newlines become spaces. */
static char *state_copy(const char *s, size_t len)
{
    char *p = malloc(len + 1);
    if (!p)
        return NULL;
    for (size_t i = 0; i < len; i++)
        p[i] = (s[i] == '\n' || s[i] == '\r') ? ' ' : s[i];
    p[len] = '\0';
    return p;
}

static int reserve_owned(posdiff_step *s, size_t extra)
{
    void **p;
    size_t cap = s->cap ? s->cap : 16;

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

/* Hand @p p to the step (freed by posdiff_step_free); NULL means OOM. */
static int own(posdiff_step *s, void *p)
{
    if (!p || reserve_owned(s, 1) < 0) {
        free(p);
        return error_oom();
    }
    s->owned[s->nowned++] = p;
    return 0;
}

static int text_feat(posdiff_tracker *t, feat *f, const char *s, size_t len)
{
    int rc;

    *f = (feat)FEAT_INIT;
    if ((rc = stem_words(&t->words, &t->stem, s, len)) < 0 ||
        (rc = feat_build(f, &t->words, &t->dict)) < 0)
        feat_free(f);
    return rc;
}

/* ---- tracker ---- */

static double option(double v, double def)
{
    return v == 0 ? def : v;
}

int posdiff_tracker_new(posdiff_tracker **out, const posdiff_catalog *cat,
                        const posdiff_align_options *opts)
{
    posdiff_align_options o = POSDIFF_ALIGN_OPTIONS_INIT;
    posdiff_tracker *t;

    *out = NULL;
    if (opts)
        o = *opts;
    if (!cat || o.version != POSDIFF_ALIGN_OPTIONS_VERSION ||
        !(o.link_threshold >= 0 && o.link_threshold <= 1) ||
        !(o.unmatched_threshold >= 0 && o.unmatched_threshold <= 1))
        return error_set(POSDIFF_EINVALID,
                         "align: bad options (version %u, thresholds in [0,1])",
                         o.version);
    if (!(t = calloc(1, sizeof(*t))))
        return error_oom();
    t->cat = cat;
    t->count = posdiff_catalog_count(cat);
    t->lp.link = option(o.link_threshold, LINK_THRESHOLD);
    t->lp.part_min = SPLIT_PART_MIN;
    t->lp.descent = DESCENT_THRESHOLD;
    t->revive = 1;
    t->join = option(o.unmatched_threshold, JOIN_THRESHOLD);
    t->st = calloc(t->count ? t->count : 1, sizeof(*t->st));
    if (!t->st || stemmer_init(&t->stem) < 0) {
        posdiff_tracker_free(t);
        return error_oom();
    }
    *out = t;
    return 0;
}

void posdiff_tracker_free(posdiff_tracker *t)
{
    if (!t)
        return;
    for (size_t i = 0; t->st && i < t->count; i++)
        pstate_free(&t->st[i]);
    free(t->st);
    stemmer_free(&t->stem);
    stem_dict_free(&t->dict);
    stem_list_free(&t->words);
    feat_cache_free(&t->sents);
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
                         "statement \"%s\": invalid id; use [a-z0-9][a-z0-9.-]*",
                         id);
    for (size_t k = 0; k < count; k++)
        if (!sent[k].text && sent[k].len)
            return error_set(POSDIFF_EINVALID, "align: sentence %zu has no text",
                             k);
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
    if ((rc = own(w->s, block = malloc(total ? total : 1))) < 0)
        return rc;
    for (size_t k = 0; k < n; k++) {
        if (in[k].len)
            memcpy(block + at, in[k].text, in[k].len);
        v[k] = (posdiff_sentence){block + at, in[k].len, in[k].line, in[k].heading};
        at += in[k].len;
    }
    return 0;
}

/*
 * Sentence k's features, and its stems as catalog phrase ids for
 * catalog_matches_stems: the sentence is stemmed once per step for both.
 */
static int sentence_feat(step_work *w, size_t k)
{
    posdiff_tracker *t = w->t;
    const posdiff_sentence *se = &w->sent[k];
    int rc = feat_cache_get(&t->sents, se->text, se->len, &w->sf[k],
                            &w->cid[k], &w->cn[k]);

    if (rc != 0) /* cached (1) or out of memory */
        return rc < 0 ? rc : 0;
    if ((rc = text_feat(t, &w->sf[k], se->text, se->len)) < 0)
        return rc;
    if (!(w->cid[k] = malloc((t->words.n ? t->words.n : 1) *
                             sizeof(*w->cid[k]))))
        return error_oom();
    catalog_stem_ids(t->cat, &t->words, w->cid[k]);
    w->cn[k] = t->words.n;
    feat_cache_put(&t->sents, se->text, se->len, &w->sf[k], w->cid[k], w->cn[k]);
    return 0;
}

/*
 * Features of st's active passages, computed once and kept in the state
 * (the cache; a step's new state takes its sentences' features, so they
 * are computed here only after posdiff_tracker_load/restore).  The cache
 * does not change the stem ids: a cached feature's words were interned
 * when it was computed, and the uncached ones are computed in the order
 * the tracker always computed them.
 */
static int active_feats(posdiff_tracker *t, pstate *st)
{
    feat *f;
    int rc = 0;

    if (st->f || st->n == 0)
        return 0;
    if (!(f = calloc(st->n, sizeof(*f))))
        return error_oom();
    for (size_t k = 0; k < st->n && rc == 0; k++)
        rc = text_feat(t, &f[k], st->text[k], st->len[k]);
    if (rc < 0) {
        feats_free(f, st->n);
        return rc;
    }
    st->f = f;
    return 0;
}

/* Features of the sentences and of every current passage. */
static int work_features(step_work *w)
{
    posdiff_tracker *t = w->t;
    int rc = 0;

    if (!(w->sf = calloc(w->nsent ? w->nsent : 1, sizeof(*w->sf))) ||
        !(w->cid = calloc(w->nsent ? w->nsent : 1, sizeof(*w->cid))) ||
        !(w->cn = calloc(w->nsent ? w->nsent : 1, sizeof(*w->cn))) ||
        !(w->of = calloc(t->count ? t->count : 1, sizeof(*w->of))))
        return error_oom();
    for (size_t k = 0; k < w->nsent && rc == 0; k++)
        rc = sentence_feat(w, k);
    for (size_t p = 0; p < t->count && rc == 0; p++)
        if ((rc = active_feats(t, &t->st[p])) == 0)
            w->of[p] = t->st[p].f;
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
    if (!(w->s = calloc(1, sizeof(*w->s))) ||
        !(w->s->e = calloc(np, sizeof(*w->s->e))))
        return error_oom();
    w->s->count = t->count;
    if ((rc = own(w->s, stmt = strdup(id))) < 0)
        return rc;
    w->stmt = stmt;
    if ((rc = copy_sentences(w, sent, n)) < 0)
        return rc;
    if (!(w->mem = calloc(np, sizeof(*w->mem))) ||
        !(w->nmem = calloc(np, sizeof(*w->nmem))) ||
        !(w->next = calloc(np, sizeof(*w->next))) ||
        !(w->drev = calloc(np, sizeof(*w->drev))))
        return error_oom();
    return work_features(w);
}

static void work_free(step_work *w)
{
    size_t np = w->t->count;

    for (size_t k = 0; w->sf && k < w->nsent; k++)
        feat_free(&w->sf[k]);
    for (size_t k = 0; w->cid && k < w->nsent; k++)
        free(w->cid[k]);
    free(w->cid);
    free(w->cn);
    for (size_t p = 0; w->mem && p < np; p++)
        free(w->mem[p]);
    for (size_t p = 0; w->next && p < np; p++)
        pstate_free(&w->next[p]);
    for (size_t p = 0; w->drev && p < np; p++)
        free(w->drev[p]);
    free(w->drev);
    free(w->sf);
    free(w->of);
    free(w->mem);
    free(w->nmem);
    free(w->next);
    free((void *)w->sent);
    posdiff_step_free(w->s);
}

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

/* Set in[p] for positions whose current passage sentence k restates.
 * A candidate whose length and shared words keep it under the bar
 * (feat_dice_may_reach, exact) is not compared. */
static int join_similar(const step_work *w, const flat_passages *fl, size_t k,
                        unsigned char *in)
{
    uint32_t c[FEAT_CAND_MAX], sh[FEAT_CAND_MAX];
    const feat *q = &w->sf[k];
    size_t nc, rep;
    int rc;

    if (q->n == 0)
        return 0;
    if ((rc = feat_index_query(c, sh, &nc, &fl->x, q)) < 0)
        return rc;
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

static int find_members(step_work *w)
{
    size_t np = w->t->count;
    unsigned char *in = calloc(np ? np : 1, 2), *sect = in + (np ? np : 1);
    flat_passages fl;
    int rc = flat_build(&fl, w);

    if (!in && rc == 0)
        rc = error_oom();
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

    if ((rc = own(s, op)) < 0)
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
    if ((rc = own(s, j = malloc(n1 + n2 + 2))) < 0)
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

    if ((rc = own(s, stmt)) < 0 || (rc = own(s, text = state_copy(d->text,
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
        (rc = own(w->s, ops)) < 0)
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
    if ((rc = own(w->s, e->drop = malloc(n * sizeof(*e->drop)))) < 0)
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
        if (!(st->text[st->n] = state_copy(se->text, se->len)) ||
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
        d->text = state_copy(old->text[o], old->len[o]);
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
        if (!th->ready && (rc = text_feat(w->t, &th->f, th->text, th->len)) == 0)
            th->ready = 1;
        f[d] = th->f;
    }
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
    lin_dormant dm = {df, rank, nd};
    int rc = (nf && df && rank) ? 0 : error_oom();

    for (size_t k = 0; k < b && rc == 0; k++)
        nf[k] = w->sf[w->mem[p][k]];
    if (rc == 0)
        rc = dormant_feats(w, old, nd, df, rank);
    if (rc == 0)
        rc = lineage_align_threads(l, used, w->of[p], old->n, nf, b, &dm,
                                   w->drev[p], &w->t->lp);
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
        (rc = own(w->s, e->pass = calloc(b, sizeof(*e->pass)))) < 0)
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

static int step_position(step_work *w, size_t p)
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

/* Make position p's new state current: the old active strings move into
 * the step (its records point at them); the old dormant threads that
 * were not revived follow the new ones while there is room, the others
 * are freed (nothing points at them: revived ones were copied). */
static void commit_position(step_work *w, size_t p)
{
    pstate *st = &w->t->st[p], *nx = &w->next[p];

    for (size_t k = 0; k < st->n; k++)
        w->s->owned[w->s->nowned++] = st->text[k];
    if (st->stmt)
        w->s->owned[w->s->nowned++] = st->stmt;
    for (size_t d = 0; d < st->ndorm; d++) {
        if (!w->drev[p][d] && nx->ndorm < DORMANT_MAX)
            nx->dorm[nx->ndorm++] = st->dorm[d];
        else
            dthread_free(&st->dorm[d]);
    }
    free(st->dorm);
    feats_free(st->f, st->n);
    free(st->text);
    free(st->len);
    *st = *nx;
    *nx = (pstate)PSTATE_INIT;
}

/* Make the new states current (cannot fail once the room is reserved). */
static int commit(step_work *w)
{
    size_t need = 0;
    int rc;

    for (size_t p = 0; p < w->t->count; p++)
        if (w->next[p].stmt)
            need += w->t->st[p].n + 1;
    if ((rc = reserve_owned(w->s, need)) < 0)
        return rc;
    for (size_t p = 0; p < w->t->count; p++)
        if (w->next[p].stmt)
            commit_position(w, p);
    return 0;
}

int posdiff_tracker_step(posdiff_step **out, posdiff_tracker *t,
                         const char *statement_id,
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
    if ((rc = work_init(&w, t, statement_id, sentences, count)) < 0)
        goto done;
    if ((rc = find_members(&w)) < 0)
        goto done;
    for (size_t p = 0; p < t->count && rc == 0; p++)
        rc = step_position(&w, p);
    if (rc == 0 && (rc = commit(&w)) == 0) {
        *out = w.s;
        w.s = NULL;
    }
done:
    work_free(&w);
    return rc;
}

/* ---- positions/<id>.md ---- */

int posdiff_tracker_render(char **out, size_t *len, const posdiff_tracker *t,
                           size_t i)
{
    buf b = BUF_INIT;
    const pstate *st;
    int rc;

    *out = NULL;
    *len = 0;
    if (!t || i >= t->count)
        return error_set(POSDIFF_EINVALID, "render: no position %zu", i);
    st = &t->st[i];
    buf_printf(&b, "<!-- %s: %s -->\n", posdiff_catalog_position(t->cat, i)->id,
               st->stmt ? st->stmt : NONE_STATEMENT);
    for (size_t k = 0; k < st->n; k++) {
        buf_put(&b, st->text[k], st->len[k]);
        buf_putc(&b, '\n');
    }
    if ((rc = buf_ok(&b)) < 0) {
        buf_free(&b);
        return rc;
    }
    *out = buf_detach(&b, len);
    return 0;
}

/* Parse the header line md[0..n): sets the statement id (malloc'ed,
 * NULL for "(none)"). */
static int parse_header(char **stmt, const char *id, const char *md, size_t n)
{
    size_t idl = strlen(id), sl;

    *stmt = NULL;
    if (n < idl + 11 || memcmp(md, "<!-- ", 5) != 0 ||
        memcmp(md + 5, id, idl) != 0 || memcmp(md + 5 + idl, ": ", 2) != 0 ||
        memcmp(md + n - 4, " -->", 4) != 0)
        return error_set(POSDIFF_EINVALID,
                         "positions/%s.md:1: expected \"<!-- %s: STATEMENT -->\"; "
                         "rebuild the history", id, id);
    sl = n - 4 - (idl + 7);
    if (sl == strlen(NONE_STATEMENT) && memcmp(md + idl + 7, NONE_STATEMENT, sl) == 0)
        return 0;
    if (!(*stmt = malloc(sl + 1)))
        return error_oom();
    memcpy(*stmt, md + idl + 7, sl);
    (*stmt)[sl] = '\0';
    if (!posdiff_id_valid(*stmt))
        return error_set(POSDIFF_EINVALID,
                         "positions/%s.md:1: invalid statement id \"%s\"", id,
                         *stmt);
    return 0;
}

static int add_line(pstate *st, const char *s, size_t n)
{
    char **tp = realloc(st->text, (st->n + 1) * sizeof(*tp));
    size_t *lp;

    if (tp)
        st->text = tp;
    if (!tp || !(lp = realloc(st->len, (st->n + 1) * sizeof(*lp))))
        return error_oom();
    st->len = lp;
    if (!(st->text[st->n] = state_copy(s, n)))
        return error_oom();
    st->len[st->n++] = n;
    return 0;
}

/* The passage lines after the header; blank lines are skipped, a
 * trailing CR is dropped. */
static int parse_lines(pstate *st, const char *md, size_t len)
{
    size_t at = 0;
    int rc;

    while (at < len) {
        const char *nl = memchr(md + at, '\n', len - at);
        size_t e = nl ? (size_t)(nl - md) : len, n = e - at;
        if (n && md[e - 1] == '\r')
            n--;
        if (n && (rc = add_line(st, md + at, n)) < 0)
            return rc;
        at = e + 1;
    }
    return 0;
}

int posdiff_tracker_load(posdiff_tracker *t, size_t i, const char *md,
                         size_t len)
{
    pstate st = PSTATE_INIT;
    const char *id, *nl;
    size_t hl;
    int rc;

    if (!t || i >= t->count || (!md && len))
        return error_set(POSDIFF_EINVALID, "load: no position %zu", i);
    id = posdiff_catalog_position(t->cat, i)->id;
    if ((rc = utf8_validate(md, len, NULL)) < 0)
        return rc;
    nl = len ? memchr(md, '\n', len) : NULL;
    hl = nl ? (size_t)(nl - md) : len;
    if ((rc = parse_header(&st.stmt, id, md, hl && md[hl - 1] == '\r' ? hl - 1 : hl)) < 0 ||
        (rc = parse_lines(&st, md + hl, len - hl)) < 0)
        goto fail;
    if ((st.stmt == NULL) != (st.n == 0)) {
        rc = error_set(POSDIFF_EINVALID,
                       "positions/%s.md: %s; rebuild the history", id,
                       st.stmt ? "no passage" : "passages but no statement");
        goto fail;
    }
    pstate_free(&t->st[i]);
    t->st[i] = st;
    return 0;
fail:
    pstate_free(&st);
    return rc;
}

/* ---- full state: posdiff_tracker_save / posdiff_tracker_restore ---- */

int align_tracker_tune(posdiff_tracker *t, double descent, int revive)
{
    if (!t || descent > 1)
        return error_set(POSDIFF_EINVALID, "align: bad tuning");
    t->lp.descent = descent == 0 ? DESCENT_THRESHOLD : descent < 0 ? 0 : descent;
    t->revive = revive != 0;
    return 0;
}

static void put_str(buf *b, const char *s, size_t n)
{
    buf_printf(b, "%zu ", n);
    buf_put(b, s, n);
}

/* The stem dictionary in id order (see the file comment). */
static int save_vocabulary(buf *b, const stem_dict *d)
{
    const char **by_id = calloc(d->n + 1, sizeof(*by_id));

    if (!by_id)
        return error_oom();
    for (size_t i = 0; i < d->cap; i++)
        if (d->keys[i])
            by_id[d->ids[i] - 1] = d->keys[i];
    buf_printf(b, "vocabulary %zu\n", d->n);
    for (size_t k = 0; k < d->n; k++) {
        put_str(b, by_id[k], strlen(by_id[k]));
        buf_putc(b, '\n');
    }
    free(by_id);
    return 0;
}

static void save_position(buf *b, const posdiff_tracker *t, size_t p)
{
    const pstate *st = &t->st[p];
    const char *id = posdiff_catalog_position(t->cat, p)->id;

    buf_puts(b, "position ");
    put_str(b, id, strlen(id));
    if (st->stmt) {
        buf_puts(b, "\nstated ");
        put_str(b, st->stmt, strlen(st->stmt));
        buf_putc(b, '\n');
    } else {
        buf_puts(b, "\nnever\n");
    }
    buf_printf(b, "active %zu\n", st->n);
    for (size_t k = 0; k < st->n; k++) {
        put_str(b, st->text[k], st->len[k]);
        buf_putc(b, '\n');
    }
    buf_printf(b, "dormant %zu\n", st->ndorm);
    for (size_t d = 0; d < st->ndorm; d++) {
        put_str(b, st->dorm[d].stmt, strlen(st->dorm[d].stmt));
        buf_putc(b, ' ');
        put_str(b, st->dorm[d].text, st->dorm[d].len);
        buf_putc(b, '\n');
    }
}

int posdiff_tracker_save(char **out, size_t *len, const posdiff_tracker *t)
{
    buf b = BUF_INIT;
    int rc;

    if (out)
        *out = NULL;
    if (len)
        *len = 0;
    if (!out || !len || !t)
        return error_set(POSDIFF_EINVALID, "align: missing argument");
    buf_printf(&b, "%s %d\n", SAVE_MAGIC, SAVE_VERSION);
    rc = save_vocabulary(&b, &t->dict);
    buf_printf(&b, "positions %zu\n", t->count);
    for (size_t p = 0; p < t->count && rc == 0; p++)
        save_position(&b, t, p);
    buf_puts(&b, "end\n");
    if (rc == 0)
        rc = buf_ok(&b);
    if (rc < 0) {
        buf_free(&b);
        return rc;
    }
    *out = buf_detach(&b, len);
    return 0;
}

/* Reading a saved state: a cursor; every error names the byte offset. */
typedef struct {
    const char *p;
    size_t n, at;
} reader;

static int rd_fail(const reader *r, const char *what)
{
    return error_set(POSDIFF_EINVALID,
                     "tracker state: byte %zu: expected %s; discard the "
                     "saved state and rebuild", r->at, what);
}

static int rd_lit(reader *r, const char *lit)
{
    size_t n = strlen(lit);

    if (r->n - r->at < n || memcmp(r->p + r->at, lit, n) != 0)
        return rd_fail(r, lit);
    r->at += n;
    return 0;
}

/* A decimal number, at most @p max. */
static int rd_num(reader *r, size_t *v, size_t max)
{
    size_t start = r->at;

    *v = 0;
    while (r->at < r->n && r->p[r->at] >= '0' && r->p[r->at] <= '9' &&
           r->at - start < 19)
        *v = *v * 10 + (size_t)(r->p[r->at++] - '0');
    if (r->at == start || *v > max)
        return rd_fail(r, "a number in range");
    return 0;
}

/* "<length> <bytes>": a string without newline, pointing into the data. */
static int rd_str(reader *r, const char **s, size_t *n)
{
    int rc;

    if ((rc = rd_num(r, n, r->n - r->at)) < 0 || (rc = rd_lit(r, " ")) < 0)
        return rc;
    if (*n > r->n - r->at || memchr(r->p + r->at, '\n', *n))
        return rd_fail(r, "a string of that length");
    *s = r->p + r->at;
    r->at += *n;
    return 0;
}

static int rd_copy(reader *r, char **out, size_t *n)
{
    const char *s = NULL;
    int rc = rd_str(r, &s, n);

    if (rc < 0)
        return rc;
    if (!(*out = malloc(*n + 1)))
        return error_oom();
    memcpy(*out, s, *n);
    (*out)[*n] = '\0';
    return 0;
}

/* A statement id (valid, NUL-terminated copy). */
static int rd_stmt(reader *r, char **out)
{
    size_t n;
    int rc = rd_copy(r, out, &n);

    if (rc == 0 && (strlen(*out) != n || !posdiff_id_valid(*out)))
        return rd_fail(r, "a statement id");
    return rc;
}

static int rd_vocabulary(reader *r, stem_dict *d)
{
    size_t n, len;
    uint32_t id;
    char *s;
    int rc;

    if ((rc = rd_lit(r, "vocabulary ")) < 0 || (rc = rd_num(r, &n, r->n)) < 0 ||
        (rc = rd_lit(r, "\n")) < 0)
        return rc;
    for (size_t k = 0; k < n; k++) {
        int fresh;
        if ((rc = rd_copy(r, &s, &len)) < 0)
            return rc;
        fresh = strlen(s) == len && len && stem_dict_find(d, s) == 0;
        rc = fresh ? stem_dict_intern(d, s, &id) : 0;
        free(s);
        if (rc < 0)
            return rc;
        if (!fresh || (rc = rd_lit(r, "\n")) < 0)
            return fresh ? rc : rd_fail(r, "a new word");
    }
    return 0;
}

static int rd_active(reader *r, pstate *st)
{
    size_t n;
    int rc;

    if ((rc = rd_lit(r, "active ")) < 0 || (rc = rd_num(r, &n, r->n)) < 0 ||
        (rc = rd_lit(r, "\n")) < 0)
        return rc;
    if ((st->stmt == NULL) != (n == 0))
        return rd_fail(r, "passages exactly when stated");
    st->text = calloc(n + 1, sizeof(*st->text));
    st->len = calloc(n + 1, sizeof(*st->len));
    if (!st->text || !st->len)
        return error_oom();
    while (st->n < n) {
        if ((rc = rd_copy(r, &st->text[st->n], &st->len[st->n])) < 0)
            return rc;
        st->n++; /* owned by st from here */
        if ((rc = rd_lit(r, "\n")) < 0)
            return rc;
    }
    return 0;
}

static int rd_dormant(reader *r, pstate *st)
{
    size_t n;
    int rc;

    if ((rc = rd_lit(r, "dormant ")) < 0 ||
        (rc = rd_num(r, &n, DORMANT_MAX)) < 0 || (rc = rd_lit(r, "\n")) < 0)
        return rc;
    if (!(st->dorm = calloc(n + 1, sizeof(*st->dorm))))
        return error_oom();
    while (st->ndorm < n) {
        dthread *d = &st->dorm[st->ndorm++]; /* owned by st (calloc'ed) */
        if ((rc = rd_stmt(r, &d->stmt)) < 0 || (rc = rd_lit(r, " ")) < 0 ||
            (rc = rd_copy(r, &d->text, &d->len)) < 0 || (rc = rd_lit(r, "\n")) < 0)
            return rc;
    }
    return 0;
}

static int rd_position(reader *r, const char *id, pstate *st)
{
    const char *s = NULL;
    size_t n;
    int rc;

    if ((rc = rd_lit(r, "position ")) < 0 || (rc = rd_str(r, &s, &n)) < 0)
        return rc;
    if (n != strlen(id) || memcmp(s, id, n) != 0)
        return error_set(POSDIFF_EINVALID,
                         "tracker state: position \"%.*s\" where the catalog has "
                         "\"%s\"; discard the saved state and rebuild",
                         (int)(n < 200 ? n : 200), s, id);
    if (r->n - r->at >= 7 && memcmp(r->p + r->at, "\nnever\n", 7) == 0)
        r->at += 7;
    else if ((rc = rd_lit(r, "\nstated ")) < 0 || (rc = rd_stmt(r, &st->stmt)) < 0 ||
             (rc = rd_lit(r, "\n")) < 0)
        return rc;
    if ((rc = rd_active(r, st)) < 0)
        return rc;
    return rd_dormant(r, st);
}

static int rd_state(reader *r, const posdiff_tracker *t, stem_dict *d,
                    pstate *st)
{
    char head[64];
    size_t n;
    int rc;

    snprintf(head, sizeof(head), "%s %d\n", SAVE_MAGIC, SAVE_VERSION);
    if ((rc = rd_lit(r, head)) < 0 || (rc = rd_vocabulary(r, d)) < 0 ||
        (rc = rd_lit(r, "positions ")) < 0 || (rc = rd_num(r, &n, r->n)) < 0 ||
        (rc = rd_lit(r, "\n")) < 0)
        return rc;
    if (n != t->count)
        return error_set(POSDIFF_EINVALID,
                         "tracker state: %zu positions, the catalog has %zu; "
                         "discard the saved state and rebuild", n, t->count);
    for (size_t p = 0; p < n; p++)
        if ((rc = rd_position(r, posdiff_catalog_position(t->cat, p)->id,
                              &st[p])) < 0)
            return rc;
    if ((rc = rd_lit(r, "end\n")) < 0)
        return rc;
    return r->at == r->n ? 0 : rd_fail(r, "the end of the data");
}

int posdiff_tracker_restore(posdiff_tracker *t, const char *data, size_t len)
{
    reader r = {data, len, 0};
    stem_dict d = STEM_DICT_INIT;
    pstate *st;
    int rc;

    if (!t || (!data && len))
        return error_set(POSDIFF_EINVALID, "align: missing argument");
    if (!(st = calloc(t->count ? t->count : 1, sizeof(*st))))
        return error_oom();
    rc = rd_state(&r, t, &d, st);
    for (size_t p = 0; p < t->count; p++) {
        pstate tmp = t->st[p];
        t->st[p] = rc == 0 ? st[p] : tmp;
        pstate_free(rc == 0 ? &tmp : &st[p]);
    }
    if (rc == 0) {
        stem_dict_free(&t->dict);
        t->dict = d;
        stemmer_forget_ids(&t->stem); /* they were ids of the old dict */
        feat_cache_clear(&t->sents);
    } else {
        stem_dict_free(&d);
    }
    free(st);
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
