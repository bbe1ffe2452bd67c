/*
 * compare.c - compare two arbitrary normalized statements with the
 * aligner as it is, so membership, lineage, thresholds and word diffs
 * are those of `posdiff log`.
 *
 * With a catalog, a fresh tracker steps a, then b; a position a states
 * and b does not is CHANGED with all of a's passages dropped.  Without
 * one (--no-index), a one-position catalog holds the whole document: the
 * tracker is loaded with every unit of a, every unit of b sharing a
 * content word with one of a's takes part in the lineage, and the rest
 * of b is added, each unit one INSERT.  The records point into the steps.
 */
#include <stdlib.h>
#include <string.h>

#include <git2.h>

#include "align_int.h"
#include "util/buf.h"
#include "util/errors.h"

#define DOC_POSITION "document"
#define TINY_JOIN 1e-9 /* any shared content word joins (no-catalog mode) */

struct posdiff_comparison {
    step_entry *g;        /* one per position (one without a catalog) */
    size_t count;
    posdiff_step *step_a, *step_b;
    posdiff_op *extra_ops; /* no-catalog mode: INSERT ops of added units */
    char *b_copy;          /* no-catalog mode: b's text, which they point into */
};

typedef struct {
    posdiff_sentence *s;
    size_t n;
} units;

static int read_units(units *u, const posdiff_doc_text *d)
{
    u->s = NULL;
    u->n = 0;
    if (!d || (!d->md && d->len))
        return error_set(POSDIFF_EINVALID, "compare: missing document");
    return posdiff_doc_sentences(&u->s, &u->n, d->md ? d->md : "", d->len);
}

static const char *doc_id(const posdiff_doc_text *d, const char *def)
{
    return d->id ? d->id : def;
}

static int new_comparison(posdiff_comparison **out, size_t count)
{
    posdiff_comparison *c = calloc(1, sizeof(*c));

    if (!c || !(c->g = calloc(count ? count : 1, sizeof(*c->g)))) {
        free(c);
        return error_oom();
    }
    c->count = count;
    *out = c;
    return 0;
}

/* Copy step @p s's passages of position @p p into @p g (shallow). */
static int take_passages(step_entry *g, const posdiff_step *s, size_t p)
{
    size_t n = posdiff_step_passage_count(s, p);

    if (!(g->pass = calloc(n ? n : 1, sizeof(*g->pass))))
        return error_oom();
    for (g->npass = 0; g->npass < n; g->npass++)
        g->pass[g->npass] = *posdiff_step_passage(s, p, g->npass);
    return 0;
}

static int take_dropped(step_entry *g, const posdiff_step *s, size_t p)
{
    size_t n = posdiff_step_dropped_count(s, p);

    if (!(g->drop = calloc(n ? n : 1, sizeof(*g->drop))))
        return error_oom();
    for (g->ndrop = 0; g->ndrop < n; g->ndrop++)
        g->drop[g->ndrop] = *posdiff_step_dropped(s, p, g->ndrop);
    return 0;
}

/* A position a states and b does not: every passage of a is dropped. */
static int all_dropped(step_entry *g, const posdiff_step *a, size_t p, const char *a_id)
{
    size_t n = posdiff_step_passage_count(a, p);

    g->status = POSDIFF_ENTRY_CHANGED;
    if (!(g->drop = calloc(n ? n : 1, sizeof(*g->drop))))
        return error_oom();
    for (g->ndrop = 0; g->ndrop < n; g->ndrop++) {
        const posdiff_passage *ps = posdiff_step_passage(a, p, g->ndrop);
        g->drop[g->ndrop] = (posdiff_dropped){a_id, ps->text, ps->len};
    }
    return 0;
}

static int fill_groups(posdiff_comparison *c, const char *a_id)
{
    int rc = 0;

    for (size_t p = 0; p < c->count && rc == 0; p++) {
        step_entry *g = &c->g[p];
        if (posdiff_step_status(c->step_b, p) == POSDIFF_ENTRY_NOT_RESTATED &&
            posdiff_step_status(c->step_a, p) != POSDIFF_ENTRY_NOT_RESTATED) {
            rc = all_dropped(g, c->step_a, p, a_id);
            continue;
        }
        g->status = posdiff_step_status(c->step_b, p);
        if ((rc = take_passages(g, c->step_b, p)) == 0)
            rc = take_dropped(g, c->step_b, p);
    }
    return rc;
}

static int compare_catalog(posdiff_comparison *c, const posdiff_catalog *cat,
                           const posdiff_doc_text *a, const posdiff_doc_text *b,
                           const posdiff_align_options *opts)
{
    posdiff_tracker *t = NULL;
    units ua, ub;
    int rc;

    if ((rc = read_units(&ua, a)) < 0)
        return rc;
    if ((rc = read_units(&ub, b)) == 0 &&
        (rc = posdiff_tracker_new(&t, cat, opts)) == 0 &&
        (rc = posdiff_tracker_step(&c->step_a, t, doc_id(a, "old"), ua.s, ua.n)) == 0 &&
        (rc = posdiff_tracker_step(&c->step_b, t, doc_id(b, "new"), ub.s, ub.n)) == 0)
        rc = fill_groups(c, doc_id(a, "old"));
    posdiff_tracker_free(t);
    free(ua.s);
    free(ub.s);
    return rc;
}

/* ---- no catalog: the whole document ---- */

static int doc_catalog(posdiff_catalog **out)
{
    static const char *const match[] = {DOC_POSITION};
    posdiff_position p = {DOC_POSITION, "Whole document", match, 1, NULL, 0, NULL, 0, NULL, 0};

    return posdiff_catalog_new(out, &p, 1);
}

/* The tracker state "a was just seen": every unit of a, one per line. */
static int load_units(posdiff_tracker *t, const char *a_id, const units *u)
{
    buf b = BUF_INIT;
    size_t lines = 0;
    int rc;

    buf_printf(&b, "<!-- " DOC_POSITION ": %s -->\n", a_id);
    for (size_t k = 0; k < u->n; k++) {
        size_t at = b.len;
        if (u->s[k].len == 0)
            continue;
        buf_put(&b, u->s[k].text, u->s[k].len);
        for (size_t i = at; b.ptr && i < b.len; i++)
            if (b.ptr[i] == '\n' || b.ptr[i] == '\r')
                b.ptr[i] = ' ';
        buf_putc(&b, '\n');
        lines++;
    }
    if ((rc = buf_ok(&b)) == 0 && lines)
        rc = posdiff_tracker_load(t, 0, b.ptr, b.len);
    buf_free(&b);
    return rc;
}

static int same_unit(const posdiff_passage *p, const posdiff_sentence *s)
{
    return p->line == s->line && p->len == s->len &&
           (s->len == 0 || memcmp(p->text, s->text, s->len) == 0);
}

/* Units of b the lineage did not see become ADDED passages: a merge of
 * the step's passages (statement order) with b's units, in unit order. */
static int add_unseen(posdiff_comparison *c, const units *ub)
{
    step_entry *g = &c->g[0];
    posdiff_passage *v = calloc(ub->n ? ub->n : 1, sizeof(*v));
    size_t j = 0, n = 0;

    c->extra_ops = calloc(ub->n ? ub->n : 1, sizeof(*c->extra_ops));
    if (!v || !c->extra_ops) {
        free(v);
        return error_oom();
    }
    for (size_t u = 0; u < ub->n; u++) {
        const posdiff_sentence *s = &ub->s[u];
        if (j < g->npass && same_unit(&g->pass[j], s)) {
            v[n++] = g->pass[j++];
        } else if (s->len) {
            c->extra_ops[u] = (posdiff_op){POSDIFF_OP_INSERT, 0, 0, 0, s->len};
            v[n] = (posdiff_passage){0};
            v[n].text = s->text;
            v[n].len = s->len;
            v[n].line = s->line;
            v[n].ops = &c->extra_ops[u];
            v[n++].op_count = 1;
        }
    }
    for (; j < g->npass && n < ub->n; j++) /* never: every passage is a unit */
        v[n++] = g->pass[j];
    free(g->pass);
    g->pass = v;
    g->npass = n;
    return 0;
}

static posdiff_entry_status doc_status(const step_entry *g, size_t old_units)
{
    if (old_units == 0)
        return g->npass ? POSDIFF_ENTRY_ADDED : POSDIFF_ENTRY_NOT_RESTATED;
    if (g->ndrop)
        return POSDIFF_ENTRY_CHANGED;
    for (size_t k = 0; k < g->npass; k++)
        if (g->pass[k].status != POSDIFF_PASSAGE_UNCHANGED)
            return POSDIFF_ENTRY_CHANGED;
    return POSDIFF_ENTRY_UNCHANGED;
}

static int step_document(posdiff_comparison *c, posdiff_tracker *t,
                         const posdiff_doc_text *a, const units *ua,
                         const posdiff_doc_text *b, const units *ub)
{
    posdiff_sentence *bs = ub->s;
    int rc;

    if ((rc = align_count(t, ua->s, ua->n)) < 0 ||
        (rc = load_units(t, doc_id(a, "old"), ua)) < 0 ||
        (rc = posdiff_tracker_step(&c->step_b, t, doc_id(b, "new"), bs, ub->n)) < 0 ||
        (rc = take_passages(&c->g[0], c->step_b, 0)) < 0 ||
        (rc = take_dropped(&c->g[0], c->step_b, 0)) < 0 ||
        (rc = add_unseen(c, ub)) < 0)
        return rc;
    c->g[0].status = doc_status(&c->g[0], ua->n);
    return 0;
}

static int compare_document(posdiff_comparison *c, const posdiff_doc_text *a,
                            const posdiff_doc_text *b,
                            const posdiff_align_options *opts)
{
    posdiff_align_options o = POSDIFF_ALIGN_OPTIONS_INIT;
    posdiff_catalog *cat = NULL;
    posdiff_tracker *t = NULL;
    units ua = {NULL, 0}, ub = {NULL, 0};
    posdiff_doc_text bc;
    int rc;

    if (opts)
        o = *opts;
    o.unmatched_threshold = TINY_JOIN;
    if (!(c->b_copy = malloc(b->len + 1)))
        return error_oom();
    if (b->len)
        memcpy(c->b_copy, b->md, b->len);
    bc = (posdiff_doc_text){b->id, c->b_copy, b->len};
    if ((rc = read_units(&ua, a)) == 0 && (rc = read_units(&ub, &bc)) == 0)
        for (size_t k = 0; k < ub.n; k++)
            ub.s[k].heading = 0; /* the whole document: headings are content */
    if (rc == 0 && (rc = doc_catalog(&cat)) == 0 &&
        (rc = posdiff_tracker_new(&t, cat, &o)) == 0) {
        t->whole = 1;
        rc = step_document(c, t, a, &ua, b, &ub);
    }
    posdiff_tracker_free(t);
    posdiff_catalog_free(cat);
    free(ua.s);
    free(ub.s);
    return rc;
}

/* ---- public ---- */

int posdiff_compare(posdiff_comparison **out, const posdiff_catalog *cat,
                    const posdiff_doc_text *a, const posdiff_doc_text *b,
                    const posdiff_align_options *opts)
{
    posdiff_comparison *c = NULL;
    int rc;

    if (!out || !a || !b || (!a->md && a->len) || (!b->md && b->len))
        return error_set(POSDIFF_EINVALID, "compare: missing argument");
    *out = NULL;
    if ((rc = new_comparison(&c, cat ? posdiff_catalog_count(cat) : 1)) < 0)
        return rc;
    rc = cat ? compare_catalog(c, cat, a, b, opts) : compare_document(c, a, b, opts);
    if (rc < 0) {
        posdiff_comparison_free(c);
        return rc;
    }
    *out = c;
    return 0;
}

size_t posdiff_comparison_count(const posdiff_comparison *c)
{
    return c ? c->count : 0;
}

posdiff_entry_status posdiff_comparison_status(const posdiff_comparison *c, size_t i)
{
    return c && i < c->count ? c->g[i].status : POSDIFF_ENTRY_NOT_RESTATED;
}

size_t posdiff_comparison_passage_count(const posdiff_comparison *c, size_t i)
{
    return c && i < c->count ? c->g[i].npass : 0;
}

const posdiff_passage *posdiff_comparison_passage(const posdiff_comparison *c,
                                                  size_t i, size_t k)
{
    if (!c || i >= c->count || k >= c->g[i].npass)
        return NULL;
    return &c->g[i].pass[k];
}

size_t posdiff_comparison_dropped_count(const posdiff_comparison *c, size_t i)
{
    return c && i < c->count ? c->g[i].ndrop : 0;
}

const posdiff_dropped *posdiff_comparison_dropped(const posdiff_comparison *c,
                                                  size_t i, size_t k)
{
    if (!c || i >= c->count || k >= c->g[i].ndrop)
        return NULL;
    return &c->g[i].drop[k];
}

void posdiff_comparison_stat(posdiff_compare_stat *out,
                             const posdiff_comparison *c, size_t i)
{
    memset(out, 0, sizeof(*out));
    for (size_t k = 0; k < posdiff_comparison_passage_count(c, i); k++) {
        switch (c->g[i].pass[k].status) {
        case POSDIFF_PASSAGE_ADDED: out->added++; break;
        case POSDIFF_PASSAGE_CHANGED: out->changed++; break;
        case POSDIFF_PASSAGE_UNCHANGED: out->unchanged++; break;
        case POSDIFF_PASSAGE_MOVED: out->moved++; break;
        case POSDIFF_PASSAGE_RESTATED: out->restated++; break;
        }
    }
    out->dropped = posdiff_comparison_dropped_count(c, i);
}

void posdiff_comparison_free(posdiff_comparison *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->count; i++) {
        free(c->g[i].pass);
        free(c->g[i].drop);
    }
    free(c->g);
    free(c->extra_ops);
    free(c->b_copy);
    posdiff_step_free(c->step_a);
    posdiff_step_free(c->step_b);
    free(c);
}

/* ---- unified diff of two texts (libgit2) ---- */

int posdiff_unified_diff(char **out, size_t *len, const char *old_path,
                         const char *a, size_t alen, const char *new_path,
                         const char *b, size_t blen)
{
    return posdiff_unified_diff_ext(out, len, old_path, a, alen, new_path, b, blen, -1);
}

int posdiff_unified_diff_ext(char **out, size_t *len, const char *old_path,
                             const char *a, size_t alen, const char *new_path,
                             const char *b, size_t blen, int context)
{
    git_diff_options o;
    git_patch *patch = NULL;
    git_buf gb = {0};
    int rc = 0;

    *out = NULL;
    *len = 0;
    if (git_diff_options_init(&o, GIT_DIFF_OPTIONS_VERSION) < 0)
        return error_git("cannot diff %s and %s", old_path, new_path);
    if (context >= 0)
        o.context_lines = (uint32_t)context;
    if (git_patch_from_buffers(&patch, a, alen, old_path, b, blen, new_path, &o) < 0 ||
        git_patch_to_buf(&gb, patch) < 0)
        rc = error_git("cannot diff %s and %s", old_path, new_path);
    else if (!(*out = malloc(gb.size + 1)))
        rc = error_oom();
    else {
        if (gb.size)
            memcpy(*out, gb.ptr, gb.size);
        (*out)[gb.size] = '\0';
        *len = gb.size;
    }
    git_buf_dispose(&gb);
    git_patch_free(patch);
    return rc;
}
