/*
 * blame.c - who said it first: the origin of every word of a position.
 *
 * The history is replayed (posdiff_changelog_walk) and every passage of
 * the position gets one origin per byte: the statement that introduced
 * that byte's word.  A strongly linked passage copies its predecessor's
 * origins through the EQUAL ops; inserted words, added passages and
 * passages only restated (weak links) belong to the statement replayed.
 * Punctuation and spaces take the origin of the word before them.  The
 * current wording (the latest passages) is cut into runs of one origin.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/errors.h"
#include "util/hashmap.h"
#include "posdiff/history.h"

typedef struct {
    const char *stmt; /* statement id (the history entry's) */
    const char *text; /* the passage text (b->texts: one copy of each text) */
    uint32_t len, line; /* a passage is within a statement (< 4 GiB) */
    posdiff_blame_run *runs; /* the origins, as runs: kept for every passage
                              * of the history, so a byte each would be 8
                              * times the text; shared with the predecessor
                              * when equal (most passages are said again) */
    uint32_t nruns;
    uint32_t owns_runs;
} rec;

struct posdiff_blame {
    size_t position;
    rec **chunks;           /* every passage of the position, replay order, REC_CHUNK a
                             * chunk (no copy of them all when they grow) */
    size_t nrecs, nchunks;
    size_t cur_first, cur_n; /* the current wording: recs cur_first..+cur_n */
    size_t statement;       /* history index of that statement */
    posdiff_blame_passage *out;
    size_t *scratch, *old; /* per-byte origins of the passage at hand, its predecessor */
    size_t scratch_cap, old_cap;
    const rec *prev;       /* the predecessor prev_origins found, or NULL */
    hashmap texts;         /* text -> its one copy */
    char **owned;          /* those copies */
    size_t nowned, owned_cap;
};

#define REC_CHUNK 4096

static rec *rec_at(const posdiff_blame *b, size_t k)
{
    return &b->chunks[k / REC_CHUNK][k % REC_CHUNK];
}

/* Equal as state texts are: a newline or CR counts as a space. */
static int same_text(const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char x = a[i] == '\n' || a[i] == '\r' ? ' ' : a[i];
        char y = b[i] == '\n' || b[i] == '\r' ? ' ' : b[i];
        if (x != y)
            return 0;
    }
    return 1;
}

/* The latest record of statement @p stmt whose text is s[0..n). */
static const rec *find_rec(const posdiff_blame *b, const char *stmt, const char *s,
                           size_t n)
{
    for (size_t k = b->nrecs; k-- > 0;) {
        const rec *r = rec_at(b, k);
        if (strcmp(r->stmt, stmt) || r->len != n)
            continue;
        if (same_text(r->text, s, r->len))
            return r;
    }
    return NULL;
}

static void fill(size_t *v, size_t n, size_t value)
{
    for (size_t i = 0; i < n; i++)
        v[i] = value;
}

/* Origins of a predecessor text; bytes not found get @p cur. */
static void prev_origins(size_t *dst, posdiff_blame *b, const posdiff_passage *ps, size_t cur)
{
    const rec *r = b->prev = find_rec(b, ps->prev_statement, ps->prev_text, ps->prev_len);

    fill(dst, ps->prev_len, cur);
    for (size_t k = 0; r && k < r->nruns; k++)
        fill(dst + r->runs[k].start, r->runs[k].len, r->runs[k].origin);
}

static int word_byte(unsigned char c)
{
    return c >= 0x80 || (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
}

/* Stretches without a word character take the origin before them. */
static void attach_punctuation(size_t *origin, const char *text, size_t len)
{
    for (size_t i = 1; i < len; i++)
        if (!word_byte((unsigned char)text[i]))
            origin[i] = origin[i - 1];
}

static size_t *room(size_t **v, size_t *cap, size_t n)
{
    size_t *p;

    if (n <= *cap)
        return *v;
    if (!(p = realloc(*v, n * sizeof(*p))))
        return NULL;
    *cap = n;
    return *v = p;
}

/* Do @p origin's runs equal @p p's? */
static int same_runs(const rec *p, const size_t *origin, size_t len, size_t n)
{
    if (!p || p->len != len || p->nruns != n)
        return 0;
    for (size_t k = 0; k < n; k++)
        for (size_t i = p->runs[k].start; i < p->runs[k].start + p->runs[k].len; i++)
            if (origin[i] != p->runs[k].origin)
                return 0;
    return 1;
}

/* @p origin (@p len bytes) as runs of one origin into @p r (the
 * predecessor's when they are the same). */
static int keep_runs(rec *r, const rec *prev, const size_t *origin, size_t len)
{
    size_t n = len ? 1 : 0;

    for (size_t i = 1; i < len; i++)
        n += origin[i] != origin[i - 1];
    if (same_runs(prev, origin, len, n)) {
        r->runs = prev->runs;
        r->nruns = (uint32_t)n;
        return 0;
    }
    if (!(r->runs = malloc((n ? n : 1) * sizeof(*r->runs))))
        return error_oom();
    r->owns_runs = 1;
    r->nruns = 0;
    for (size_t i = 0; i < len; i++) {
        if (i == 0 || origin[i] != origin[i - 1])
            r->runs[r->nruns++] = (posdiff_blame_run){i, 0, origin[i]};
        r->runs[r->nruns - 1].len++;
    }
    return 0;
}

/* The origins of passage @p ps of statement @p cur, into @p r. */
static int passage_origins(rec *r, posdiff_blame *b, const posdiff_passage *ps, size_t cur)
{
    size_t *origin = room(&b->scratch, &b->scratch_cap, r->len + 1), *old;

    if (!origin)
        return error_oom();
    b->prev = NULL;
    fill(origin, r->len, cur);
    if (ps->status != POSDIFF_PASSAGE_ADDED && ps->status != POSDIFF_PASSAGE_RESTATED &&
        ps->prev_statement && ps->prev_text) {
        if (!(old = room(&b->old, &b->old_cap, ps->prev_len + 1)))
            return error_oom();
        prev_origins(old, b, ps, cur);
        for (size_t k = 0; k < ps->op_count; k++) {
            const posdiff_op *op = &ps->ops[k];
            if (op->kind == POSDIFF_OP_EQUAL && op->new_start + op->new_len <= r->len &&
                op->old_start + op->new_len <= ps->prev_len)
                memcpy(origin + op->new_start, old + op->old_start, op->new_len * sizeof(*old));
        }
        attach_punctuation(origin, r->text, r->len);
    }
    return keep_runs(r, b->prev, origin, r->len);
}

static int grow_recs(posdiff_blame *b, size_t extra)
{
    while (b->nchunks * REC_CHUNK < b->nrecs + extra) {
        rec **p = realloc(b->chunks, (b->nchunks + 1) * sizeof(*p));
        if (!p)
            return error_oom();
        b->chunks = p;
        if (!(b->chunks[b->nchunks] = malloc(REC_CHUNK * sizeof(rec))))
            return error_oom();
        b->nchunks++;
    }
    return 0;
}

/* The one copy of @p text (@p len bytes) the blame keeps; NULL when out of memory. */
static const char *intern(posdiff_blame *b, const char *text, size_t len)
{
    char *copy = hashmap_get(&b->texts, text, len);

    if (copy)
        return copy;
    if (b->nowned == b->owned_cap) {
        size_t cap = b->owned_cap ? 2 * b->owned_cap : 64;
        char **p = realloc(b->owned, cap * sizeof(*p));
        if (!p)
            return NULL;
        b->owned = p;
        b->owned_cap = cap;
    }
    if (!(copy = malloc(len + 1)))
        return NULL;
    memcpy(copy, text, len);
    copy[len] = '\0';
    b->owned[b->nowned++] = copy;
    return hashmap_put(&b->texts, copy, len, copy) < 0 ? NULL : copy;
}

static int add_rec(posdiff_blame *b, const char *stmt, const posdiff_passage *ps, size_t cur)
{
    rec *r = rec_at(b, b->nrecs);

    r->stmt = stmt; /* the history's, which outlives the walk */
    if (ps->len > UINT32_MAX || ps->line > UINT32_MAX)
        return error_set(POSDIFF_ERROR, "blame: a passage of %zu bytes is too long", ps->len);
    r->len = (uint32_t)ps->len;
    r->line = (uint32_t)ps->line;
    r->runs = NULL;
    r->nruns = 0;
    r->owns_runs = 0;
    if (!(r->text = intern(b, ps->text, ps->len)))
        return error_oom();
    b->nrecs++;
    return passage_origins(r, b, ps, cur);
}

static int on_step(const posdiff_history_entry *e, size_t index,
                   const posdiff_step *step, void *payload)
{
    posdiff_blame *b = payload;
    size_t p = b->position, n = posdiff_step_passage_count(step, p), first;
    int rc;

    if (posdiff_step_status(step, p) == POSDIFF_ENTRY_NOT_RESTATED || n == 0)
        return 0;
    if ((rc = grow_recs(b, n)) < 0)
        return rc;
    first = b->nrecs;
    for (size_t k = 0; k < n; k++)
        if ((rc = add_rec(b, e->id, posdiff_step_passage(step, p, k), index)) < 0)
            return rc;
    b->cur_first = first;
    b->cur_n = n;
    b->statement = index;
    return 0;
}

/* ---- the result: the current wording's runs ---- */

static int build_result(posdiff_blame *b)
{
    b->out = calloc(b->cur_n ? b->cur_n : 1, sizeof(*b->out));
    if (!b->out)
        return error_oom();
    for (size_t k = 0; k < b->cur_n; k++) {
        const rec *r = rec_at(b, b->cur_first + k);
        b->out[k] = (posdiff_blame_passage){r->text, r->len, r->line, r->runs, r->nruns};
    }
    return 0;
}

int posdiff_blame_position(posdiff_blame **out, const posdiff_history *h,
                           const posdiff_catalog *cat, size_t position,
                           const posdiff_align_options *opts)
{
    posdiff_blame *b;
    int rc;

    if (!out || !h || !cat || position >= posdiff_catalog_count(cat))
        return error_set(POSDIFF_EINVALID, "blame: no position %zu in the catalog",
                         position);
    *out = NULL;
    if (!(b = calloc(1, sizeof(*b))))
        return error_oom();
    b->position = position;
    b->statement = (size_t)-1;
    if ((rc = posdiff_changelog_walk(h, cat, opts, on_step, b)) == 0)
        rc = build_result(b);
    if (rc != 0) {
        posdiff_blame_free(b);
        return rc < 0 ? rc : error_set(POSDIFF_ERROR, "blame: walk stopped");
    }
    *out = b;
    return 0;
}

size_t posdiff_blame_statement(const posdiff_blame *b)
{
    return b ? b->statement : (size_t)-1;
}

size_t posdiff_blame_count(const posdiff_blame *b)
{
    return b ? b->cur_n : 0;
}

const posdiff_blame_passage *posdiff_blame_passage_at(const posdiff_blame *b,
                                                      size_t k)
{
    return b && k < b->cur_n ? &b->out[k] : NULL;
}

void posdiff_blame_free(posdiff_blame *b)
{
    if (!b)
        return;
    for (size_t k = 0; k < b->nrecs; k++)
        if (rec_at(b, k)->owns_runs)
            free(rec_at(b, k)->runs);
    for (size_t k = 0; k < b->nchunks; k++)
        free(b->chunks[k]);
    free(b->chunks);
    for (size_t k = 0; k < b->nowned; k++)
        free(b->owned[k]);
    free(b->owned);
    hashmap_free(&b->texts);

    free(b->out);
    free(b->scratch);
    free(b->old);
    free(b);
}
