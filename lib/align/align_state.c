/*
 * align_state.c - the tracker's state on disk.
 *
 * positions/<id>.md: first line `<!-- <position>: <statement> -->`, then
 * one active passage per line, in the statement's order.  A position
 * never stated renders as the header alone with the statement `(none)`.
 * posdiff_tracker_load parses exactly that (the active passages only).
 *
 * Saved state (posdiff_tracker_save / _restore), text, one record a
 * line; a STR is "<decimal byte length> <bytes>" (never a newline):
 *
 *   posdiff-tracker 2
 *   sentences <N>            sentences counted into the weights
 *   vocabulary <M>           then M lines: <df> STR (stems, ids 1..M)
 *   positions <P>            the catalog's positions; then P times:
 *   position STR             the position id (the catalog's, in order)
 *   stated STR | never       the statement of the active passages
 *   active <K>               then K lines: STR
 *   dormant <D>              D <= DORMANT_MAX, then D lines: STR STR
 *                            (statement, text), most recent first
 *   end
 *
 * The vocabulary keeps every word's id, so restore(save(x)) behaves
 * exactly like x (ids break ties).  Restore parses into new structures
 * and swaps them in only when the whole input is valid.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "align_int.h"
#include "util/errors.h"
#include "util/utf8.h"

#define NONE_STATEMENT "(none)"
#define SAVE_MAGIC "posdiff-tracker"
#define SAVE_VERSION 2

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
        buf_put(&b, st->act[k].text, st->act[k].len);
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
    passage *v = realloc(st->act, (st->n + 1) * sizeof(*v));

    if (!v)
        return error_oom();
    st->act = v;
    memset(&v[st->n], 0, sizeof(*v));
    if (!(v[st->n].text = align_state_copy(s, n)))
        return error_oom();
    v[st->n++].len = n;
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
    pstate st = {0};
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
    align_pstate_free(&t->st[i]);
    t->st[i] = st;
    return 0;
fail:
    align_pstate_free(&st);
    return rc;
}

/* ---- full state: posdiff_tracker_save / posdiff_tracker_restore ---- */

static void put_str(buf *b, const char *s, size_t n)
{
    buf_printf(b, "%zu ", n);
    buf_put(b, s, n);
}

/* The weights and the stem dictionary in id order (file comment). */
static int save_vocabulary(buf *b, const stem_dict *d, const weights *w)
{
    buf_printf(b, "sentences %llu\nvocabulary %zu\n", (unsigned long long)w->n, d->n);
    for (size_t id = 1; id <= d->n; id++) {
        buf_printf(b, "%lu ", id < w->cap ? (unsigned long)w->df[id] : 0ul);
        put_str(b, d->by_id[id], strlen(d->by_id[id]));
        buf_putc(b, '\n');
    }
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
        put_str(b, st->act[k].text, st->act[k].len);
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
    rc = save_vocabulary(&b, &t->dict, &t->w);
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

static int rd_vocabulary(reader *r, stem_dict *d, weights *w)
{
    size_t n, len, sent, df;
    uint32_t id;
    char *s;
    int rc;

    if ((rc = rd_lit(r, "sentences ")) < 0 || (rc = rd_num(r, &sent, SIZE_MAX / 2)) < 0 ||
        (rc = rd_lit(r, "\nvocabulary ")) < 0 || (rc = rd_num(r, &n, r->n)) < 0 ||
        (rc = rd_lit(r, "\n")) < 0)
        return rc;
    w->n = sent;
    for (size_t k = 0; k < n; k++) {
        int fresh;
        if ((rc = rd_num(r, &df, sent)) < 0 || (rc = rd_lit(r, " ")) < 0 ||
            (rc = rd_copy(r, &s, &len)) < 0)
            return rc;
        fresh = strlen(s) == len && len && stem_dict_find(d, s) == 0;
        rc = fresh ? stem_dict_intern(d, s, &id) : 0;
        free(s);
        if (rc == 0 && fresh)
            rc = weights_set(w, id, (uint32_t)df);
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
    if (!(st->act = calloc(n + 1, sizeof(*st->act))))
        return error_oom();
    while (st->n < n) {
        if ((rc = rd_copy(r, &st->act[st->n].text, &st->act[st->n].len)) < 0)
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
        passage *d = &st->dorm[st->ndorm++]; /* owned by st (calloc'ed) */
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

static int rd_state(reader *r, const posdiff_tracker *t, stem_dict *d, weights *w,
                    pstate *st)
{
    char head[64];
    size_t n;
    int rc;

    snprintf(head, sizeof(head), "%s %d\n", SAVE_MAGIC, SAVE_VERSION);
    if ((rc = rd_lit(r, head)) < 0 || (rc = rd_vocabulary(r, d, w)) < 0 ||
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
    weights w = WEIGHTS_INIT;
    pstate *st;

    if (!t || (!data && len))
        return error_set(POSDIFF_EINVALID, "align: missing argument");
    if (!(st = calloc(t->count ? t->count : 1, sizeof(*st))))
        return error_oom();
    return align_state_install(t, rd_state(&r, t, &d, &w, st), st, &d, &w);
}

int align_state_install(posdiff_tracker *t, int rc, pstate *st, stem_dict *d,
                        weights *w)
{
    for (size_t p = 0; p < t->count; p++) {
        pstate tmp = t->st[p];
        t->st[p] = rc == 0 ? st[p] : tmp;
        align_pstate_free(rc == 0 ? &tmp : &st[p]);
    }
    free(st);
    if (rc < 0) {
        stem_dict_free(d);
        weights_free(w);
        return rc;
    }
    stem_dict_free(&t->dict);
    t->dict = *d;
    weights_free(&t->w);
    t->w = *w;
    stemmer_forget_ids(&t->stem); /* they were ids of the old dict */
    feat_cache_clear(&t->sents);
    return align_example_feats(t);
}
