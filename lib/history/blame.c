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
#include <stdlib.h>
#include <string.h>

#include "util/errors.h"
#include "posdiff/history.h"

typedef struct {
    const char *stmt; /* statement id (owned by the blame) */
    char *text;       /* the passage text (owned) */
    size_t len, line;
    size_t *origin;   /* one per byte (owned) */
} rec;

struct posdiff_blame {
    size_t position;
    rec *recs;              /* every passage of the position, replay order */
    size_t nrecs, cap;
    char **stmts;           /* statement ids (owned) */
    size_t nstmts;
    size_t cur_first, cur_n; /* the current wording: recs[cur_first..+cur_n) */
    size_t statement;       /* history index of that statement */
    posdiff_blame_passage *out;
    posdiff_blame_run *runs;
};

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
        const rec *r = &b->recs[k];
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
static void prev_origins(size_t *dst, const posdiff_blame *b,
                         const posdiff_passage *ps, size_t cur)
{
    const rec *r = find_rec(b, ps->prev_statement, ps->prev_text, ps->prev_len);

    if (r)
        memcpy(dst, r->origin, ps->prev_len * sizeof(*dst));
    else
        fill(dst, ps->prev_len, cur);
}

static int word_byte(unsigned char c)
{
    return c >= 0x80 || (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
}

/* Stretches without a word character take the origin before them. */
static void attach_punctuation(rec *r)
{
    for (size_t i = 1; i < r->len; i++)
        if (!word_byte((unsigned char)r->text[i]))
            r->origin[i] = r->origin[i - 1];
}

/* The origins of passage @p ps of statement @p cur, into @p r. */
static int passage_origins(rec *r, const posdiff_blame *b,
                           const posdiff_passage *ps, size_t cur)
{
    size_t *old = NULL;

    fill(r->origin, r->len, cur);
    if (ps->status == POSDIFF_PASSAGE_ADDED || ps->status == POSDIFF_PASSAGE_RESTATED ||
        !ps->prev_statement || !ps->prev_text)
        return 0;
    if (!(old = malloc((ps->prev_len + 1) * sizeof(*old))))
        return error_oom();
    prev_origins(old, b, ps, cur);
    for (size_t k = 0; k < ps->op_count; k++) {
        const posdiff_op *op = &ps->ops[k];
        if (op->kind == POSDIFF_OP_EQUAL && op->new_start + op->new_len <= r->len &&
            op->old_start + op->new_len <= ps->prev_len)
            memcpy(r->origin + op->new_start, old + op->old_start,
                   op->new_len * sizeof(*old));
    }
    free(old);
    attach_punctuation(r);
    return 0;
}

static int grow_recs(posdiff_blame *b, size_t extra)
{
    size_t cap = b->cap ? b->cap : 16;
    rec *p;

    if (b->nrecs + extra <= b->cap)
        return 0;
    while (cap < b->nrecs + extra)
        cap *= 2;
    if (!(p = realloc(b->recs, cap * sizeof(*p))))
        return error_oom();
    b->recs = p;
    b->cap = cap;
    return 0;
}

static int push_stmt(posdiff_blame *b, const char *id)
{
    char **p = realloc(b->stmts, (b->nstmts + 1) * sizeof(*p));

    if (!p)
        return error_oom();
    b->stmts = p;
    if (!(b->stmts[b->nstmts] = strdup(id)))
        return error_oom();
    b->nstmts++;
    return 0;
}

static int add_rec(posdiff_blame *b, const posdiff_passage *ps, size_t cur)
{
    rec *r = &b->recs[b->nrecs];

    r->stmt = b->stmts[b->nstmts - 1];
    r->len = ps->len;
    r->line = ps->line;
    r->text = malloc(ps->len + 1);
    r->origin = malloc((ps->len + 1) * sizeof(*r->origin));
    if (!r->text || !r->origin) {
        free(r->text);
        free(r->origin);
        return error_oom();
    }
    memcpy(r->text, ps->text, ps->len);
    r->text[ps->len] = '\0';
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
    if ((rc = push_stmt(b, e->id)) < 0 || (rc = grow_recs(b, n)) < 0)
        return rc;
    first = b->nrecs;
    for (size_t k = 0; k < n; k++)
        if ((rc = add_rec(b, posdiff_step_passage(step, p, k), index)) < 0)
            return rc;
    b->cur_first = first;
    b->cur_n = n;
    b->statement = index;
    return 0;
}

/* ---- the result: runs of equal origin ---- */

static size_t count_runs(const rec *r)
{
    size_t n = r->len ? 1 : 0;

    for (size_t i = 1; i < r->len; i++)
        n += r->origin[i] != r->origin[i - 1];
    return n;
}

static size_t cut_runs(posdiff_blame_run *out, const rec *r)
{
    size_t n = 0;

    for (size_t i = 0; i < r->len; i++) {
        if (i == 0 || r->origin[i] != r->origin[i - 1])
            out[n++] = (posdiff_blame_run){i, 0, r->origin[i]};
        out[n - 1].len++;
    }
    return n;
}

static int build_result(posdiff_blame *b)
{
    size_t total = 0, at = 0;

    for (size_t k = 0; k < b->cur_n; k++)
        total += count_runs(&b->recs[b->cur_first + k]);
    b->out = calloc(b->cur_n ? b->cur_n : 1, sizeof(*b->out));
    b->runs = calloc(total ? total : 1, sizeof(*b->runs));
    if (!b->out || !b->runs)
        return error_oom();
    for (size_t k = 0; k < b->cur_n; k++) {
        const rec *r = &b->recs[b->cur_first + k];
        size_t n = cut_runs(b->runs + at, r);
        b->out[k] = (posdiff_blame_passage){r->text, r->len, r->line,
                                            b->runs + at, n};
        at += n;
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
    for (size_t k = 0; k < b->nrecs; k++) {
        free(b->recs[k].text);
        free(b->recs[k].origin);
    }
    for (size_t k = 0; k < b->nstmts; k++)
        free(b->stmts[k]);
    free(b->recs);
    free(b->stmts);
    free(b->out);
    free(b->runs);
    free(b);
}
