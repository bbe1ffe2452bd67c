/*
 * tokdiff.c - word-level diff and similarity of two texts.
 *
 * Tokenize both texts (tokenize.c), intern each token's bytes without
 * its trailing whitespace to an id (util/hashmap.h: equal ids, equal
 * words, so re-wrapping is no change), diff the ids (myers.c, bounded
 * cost), clean up (tokdiff_cleanup.c), and turn the flags into ops:
 * maximal runs of equal tokens give one EQUAL, each change one DELETE
 * then one INSERT.  The ops tile both texts byte for byte (an EQUAL's
 * two ranges may differ in whitespace only).
 */
#include "posdiff/tokdiff.h"

#include <stdlib.h>
#include <string.h>


#include "util/buf.h"
#include "util/errors.h"
#include "util/hashmap.h"
#include "myers.h"
#include "tokdiff_cleanup.h"
#include "tokenize.h"
#include "util/utf8.h"

/* ------------------------------------------------------------------ */
/* Interning: equal tokens get equal ids (a hash map, util/hashmap.h)   */

static int intern_all(uint32_t *id, hashmap *m, uint32_t *next, const char *text,
                      const token *t, size_t n)
{
    int rc = 0;

    for (size_t x = 0; x < n && rc == 0; x++) {
        const char *p = text + t[x].start;
        uintptr_t v = (uintptr_t)hashmap_get(m, p, t[x].len);
        if (!v && (rc = hashmap_put(m, p, t[x].len, (void *)(v = ++*next))) < 0)
            break;
        id[x] = (uint32_t)(v - 1);
    }
    return rc;
}

/* ------------------------------------------------------------------ */
/* One side of the diff                                                 */

typedef struct {
    const char *text;
    size_t len;
    token *all;  /* tokenize() output, freed at the end */
    token *tok;  /* all, without a leading TOKEN_SPACE token */
    size_t n;    /* tokens in tok */
    uint32_t *id;
    char *flag;  /* deleted (old side) / inserted (new side) */
} side;

static int side_init(side *s, const char *text, size_t len)
{
    size_t count;
    int err;

    memset(s, 0, sizeof(*s));
    s->text = text;
    s->len = len;
    if ((err = tokenize(&s->all, &count, text, len)) < 0)
        return err;
    s->tok = s->all;
    if (count > 0 && s->all[0].kind == TOKEN_SPACE)
        s->tok++, count--;
    s->n = count;
    s->id = malloc((count + 1) * sizeof(*s->id));
    s->flag = calloc(count + 1, 1);
    if (!s->id || !s->flag)
        return error_oom();
    return 0;
}

static void side_free(side *s)
{
    free(s->all);
    free(s->id);
    free(s->flag);
}

/* Byte offset where token x starts (x == n: the text's end). */
static size_t side_at(const side *s, size_t x)
{
    return x >= s->n ? s->len : x == 0 ? 0 : s->tok[x].start;
}

/* ------------------------------------------------------------------ */
/* Ops                                                                  */

typedef struct {
    posdiff_op *v;
    size_t n, cap;
    int oom;
} op_vec;

static void op_push(op_vec *o, posdiff_op_kind kind, size_t os, size_t ol,
                    size_t ns, size_t nl)
{
    if (o->oom)
        return;
    if (array_grow(&o->v, &o->cap, o->n, sizeof(*o->v), 16) < 0) {
        o->oom = 1;
        return;
    }
    o->v[o->n++] = (posdiff_op){kind, os, ol, ns, nl};
}

/* Ops for old tokens [a0, a1) and new tokens [b0, b1) of the given kind. */
static void emit(op_vec *o, const side *a, const side *b,
                 posdiff_op_kind kind, const tokdiff_hunk *h)
{
    size_t os = side_at(a, h->a0), oe = side_at(a, h->a1);
    size_t ns = side_at(b, h->b0), ne = side_at(b, h->b1);
    op_push(o, kind, os, oe - os, ns, ne - ns);
}

/* Whitespace that differs between two equal tokens: DELETE/INSERT. */
static void push_ws(op_vec *o, size_t os, size_t ol, size_t ns, size_t nl)
{
    if (ol)
        op_push(o, POSDIFF_OP_DELETE, os, ol, ns, 0);
    if (nl)
        op_push(o, POSDIFF_OP_INSERT, os + ol, 0, ns, nl);
}

static int same_bytes(const side *a, size_t os, size_t ol, const side *b,
                      size_t ns, size_t nl)
{
    return ol == nl && !memcmp(a->text + os, b->text + ns, ol);
}

/*
 * An EQUAL run: its tokens match, their whitespace may not (tokens are
 * compared without it).  Emit EQUAL ops only over byte-identical spans
 * and whitespace-only DELETE/INSERT between them, so the text of every
 * EQUAL op is the same in both inputs (the JSON contract prints it once).
 */
static void emit_equal(op_vec *o, const side *a, const side *b,
                       const tokdiff_hunk *h)
{
    size_t os = side_at(a, h->a0), ns = side_at(b, h->b0), oe, ne;
    size_t ga = a->tok[h->a0].start - os, gb = b->tok[h->b0].start - ns;

    /* leading white space of a text (token 0 starts after it) */
    if (!same_bytes(a, os, ga, b, ns, gb)) {
        push_ws(o, os, ga, ns, gb);
        os += ga;
        ns += gb;
    }
    for (size_t k = 0; k < h->a1 - h->a0; k++) {
        const token *ta = &a->tok[h->a0 + k], *tb = &b->tok[h->b0 + k];
        oe = ta->start + ta->len;
        ne = tb->start + tb->len;
        if (same_bytes(a, oe, ta->ws_len, b, ne, tb->ws_len))
            continue;
        op_push(o, POSDIFF_OP_EQUAL, os, oe - os, ns, ne - ns);
        push_ws(o, oe, ta->ws_len, ne, tb->ws_len);
        os = oe + ta->ws_len;
        ns = ne + tb->ws_len;
    }
    oe = side_at(a, h->a1);
    ne = side_at(b, h->b1);
    if (oe > os || ne > ns)
        op_push(o, POSDIFF_OP_EQUAL, os, oe - os, ns, ne - ns);
}

/* One DELETE then one INSERT per run of changes (ops are contiguous). */
static void coalesce(op_vec *o)
{
    size_t w = 0, i = 0;

    while (i < o->n) {
        posdiff_op del = {POSDIFF_OP_DELETE, 0, 0, 0, 0}, ins = del;
        size_t j = i;
        if (o->v[i].kind == POSDIFF_OP_EQUAL) {
            o->v[w++] = o->v[i++];
            continue;
        }
        ins.kind = POSDIFF_OP_INSERT;
        del.old_start = ins.old_start = o->v[i].old_start;
        del.new_start = ins.new_start = o->v[i].new_start;
        for (; j < o->n && o->v[j].kind != POSDIFF_OP_EQUAL; j++) {
            del.old_len += o->v[j].old_len;
            ins.new_len += o->v[j].new_len;
        }
        ins.old_start = del.old_start + del.old_len;
        if (del.old_len)
            o->v[w++] = del;
        if (ins.new_len)
            o->v[w++] = ins;
        i = j;
    }
    o->n = w;
}

/* Turn the edit flags into ops. */
static void build_ops(op_vec *o, const side *a, const side *b,
                      const tokdiff_seq *seq)
{
    size_t i = 0, j = 0, pi = 0, pj = 0;
    tokdiff_hunk h, e;

    while (tokdiff_next_hunk(seq, &i, &j, &h)) {
        e = (tokdiff_hunk){pi, h.a0, pj, h.b0};
        if (h.a0 > pi)
            emit_equal(o, a, b, &e);
        e = (tokdiff_hunk){h.a0, h.a1, h.b0, h.b0};
        if (h.a1 > h.a0)
            emit(o, a, b, POSDIFF_OP_DELETE, &e);
        e = (tokdiff_hunk){h.a1, h.a1, h.b0, h.b1};
        if (h.b1 > h.b0)
            emit(o, a, b, POSDIFF_OP_INSERT, &e);
        pi = h.a1;
        pj = h.b1;
    }
    e = (tokdiff_hunk){pi, a->n, pj, b->n};
    if (pi < a->n)
        emit_equal(o, a, b, &e);
    coalesce(o);
}

/* A side without tokens (empty or whitespace only). */
static void build_trivial(op_vec *o, const side *a, const side *b)
{
    if (a->n == 0 && b->n == 0 && same_bytes(a, 0, a->len, b, 0, b->len)) {
        if (a->len)
            op_push(o, POSDIFF_OP_EQUAL, 0, a->len, 0, b->len);
        return;
    }
    if (a->len)
        op_push(o, POSDIFF_OP_DELETE, 0, a->len, 0, 0);
    if (b->len)
        op_push(o, POSDIFF_OP_INSERT, a->len, 0, 0, b->len);
}

static int diff_sides(side *a, side *b, const posdiff_tokdiff_options *opts)
{
    hashmap in = HASHMAP_INIT;
    uint32_t nids = 0;
    tokdiff_seq seq = {a->id, b->id, a->tok, b->tok, a->text, b->text,
                       a->n, b->n, a->flag, b->flag};
    int err = intern_all(a->id, &in, &nids, a->text, a->tok, a->n);

    if (err == 0)
        err = intern_all(b->id, &in, &nids, b->text, b->tok, b->n);
    if (err == 0)
        err = myers_diff(a->id, a->n, b->id, b->n, nids, opts->max_cost,
                         a->flag, b->flag);
    hashmap_free(&in);
    if (err == 0 && opts->semantic_cleanup)
        err = tokdiff_cleanup(&seq);
    return err;
}

/*
 * Byte-identical texts: what the steps above give them, without
 * tokenizing (a series restates most passages word for word).  No
 * token differs and the whitespace is the same, so build_ops and
 * build_trivial both emit one EQUAL over the whole text, or nothing
 * for an empty one.
 */
static int identical_ops(posdiff_op **out, size_t *count, size_t len)
{
    if (len == 0)
        return 0;
    if (!(*out = malloc(sizeof(**out))))
        return error_oom();
    **out = (posdiff_op){POSDIFF_OP_EQUAL, 0, len, 0, len};
    *count = 1;
    return 0;
}

int posdiff_tokdiff(posdiff_op **out, size_t *count, const char *a, size_t alen,
                    const char *b, size_t blen,
                    const posdiff_tokdiff_options *opts)
{
    static const posdiff_tokdiff_options defaults = POSDIFF_TOKDIFF_OPTIONS_INIT;
    side sa = {0}, sb = {0};
    op_vec o = {NULL, 0, 0, 0};
    int err;

    *out = NULL;
    *count = 0;
    if (!opts)
        opts = &defaults;
    if (alen == blen && (alen == 0 || memcmp(a, b, alen) == 0))
        return identical_ops(out, count, alen);
    if ((err = side_init(&sa, a, alen)) == 0 &&
        (err = side_init(&sb, b, blen)) == 0) {
        if (sa.n == 0 || sb.n == 0)
            build_trivial(&o, &sa, &sb);
        else if ((err = diff_sides(&sa, &sb, opts)) == 0)
            build_ops(&o, &sa, &sb, &(tokdiff_seq){sa.id, sb.id, sa.tok,
                      sb.tok, a, b, sa.n, sb.n, sa.flag, sb.flag});
    }
    side_free(&sa);
    side_free(&sb);
    if (err == 0 && o.oom)
        err = error_oom();
    if (err < 0) {
        free(o.v);
        return err;
    }
    *out = o.v;
    *count = o.n;
    return 0;
}

