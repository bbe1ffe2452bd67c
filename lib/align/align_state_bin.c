/*
 * align_state_bin.c - the tracker's full state in binary, for the
 * build's cache <repo>/posdiff-tracker (resume.c).
 *
 * posdiff_tracker_save's text (align_state.c) is for people and the
 * API; restoring it parses ~400 KB at N = 10 000 and interns the
 * vocabulary word by word, and the restored tracker then stems every
 * dormant passage again when the next statement looks for a revival.
 * This form holds the same state plus the features the tracker had
 * computed (active passages' and dormant threads'), so the restored
 * tracker is the saved one, caches included, not just one that behaves
 * like it: the features are what the saved tracker would compute
 * again, over the words it had interned, so no stem id changes
 * (align.c).
 *
 * Format, version 1: u32 words in the machine's byte order (read with
 * memcpy: no alignment needed), strings as a u32 length and the bytes:
 *
 *   BOM (0x01020304: a cache from another kind of machine fails it),
 *   BIN_VERSION, the number of positions, of words, bytes of words;
 *   the words: NUL-terminated, back to back, ids 1..n in order;
 *   per position (the catalog's, in order):
 *     STR id, STR statement (length NONE: never stated),
 *     u32 k, k times: STR passage, FEAT
 *     u32 d (<= DORMANT_MAX), d times: STR statement, STR passage, FEAT
 *   END.
 *
 * FEAT is a u32 count m then m ids (ascending, each 1..words), or NONE
 * when not computed.  Active passages carry features all or none (the
 * state's array).  The decoder checks everything it would otherwise
 * trust: lengths within the data, statement ids, no newline in a
 * passage, ids in range and sorted, the catalog's positions; it builds
 * new structures and swaps them in only when the whole input is valid,
 * so on error the tracker is unchanged.  The cache's checksum
 * (resume.c) is what guards the bytes themselves.
 */
#include <stdlib.h>
#include <string.h>

#include "align_int.h"
#include "util/errors.h"

#define BOM 0x01020304u
#define BIN_VERSION 1u
#define NONE 0xffffffffu
#define END 0x2e444e45u /* "END." */

/* ---- writing ---- */

static void put_u32(buf *b, uint32_t v)
{
    buf_put(b, (const char *)&v, sizeof(v));
}

static void put_str(buf *b, const char *s, size_t n)
{
    put_u32(b, (uint32_t)n);
    buf_put(b, s, n);
}

static void put_feat(buf *b, const feat *f)
{
    if (!f) {
        put_u32(b, NONE);
        return;
    }
    put_u32(b, (uint32_t)f->n);
    if (f->n)
        buf_put(b, (const char *)f->ids, f->n * sizeof(*f->ids));
}

/* The stems in id order (see the file comment). */
static int put_words(buf *b, const stem_dict *d)
{
    const char **by_id = calloc(d->n + 1, sizeof(*by_id));
    size_t bytes = 0;

    if (!by_id)
        return error_oom();
    for (size_t i = 0; i < d->cap; i++)
        if (d->keys[i]) {
            by_id[d->ids[i] - 1] = d->keys[i];
            bytes += strlen(d->keys[i]) + 1;
        }
    put_u32(b, (uint32_t)d->n);
    put_u32(b, (uint32_t)bytes);
    for (size_t k = 0; k < d->n; k++)
        buf_put(b, by_id[k], strlen(by_id[k]) + 1);
    free(by_id);
    return 0;
}

static void put_position(buf *b, const posdiff_tracker *t, size_t p)
{
    const pstate *st = &t->st[p];
    const char *id = posdiff_catalog_position(t->cat, p)->id;

    put_str(b, id, strlen(id));
    if (st->stmt)
        put_str(b, st->stmt, strlen(st->stmt));
    else
        put_u32(b, NONE);
    put_u32(b, (uint32_t)st->n);
    for (size_t k = 0; k < st->n; k++) {
        put_str(b, st->text[k], st->len[k]);
        put_feat(b, st->f ? &st->f[k] : NULL);
    }
    put_u32(b, (uint32_t)st->ndorm);
    for (size_t d = 0; d < st->ndorm; d++) {
        const dthread *th = &st->dorm[d];
        put_str(b, th->stmt, strlen(th->stmt));
        put_str(b, th->text, th->len);
        put_feat(b, th->ready ? &th->f : NULL);
    }
}

int align_state_encode(buf *out, const posdiff_tracker *t)
{
    int rc;

    if (!out || !t)
        return error_set(POSDIFF_EINVALID, "align: missing argument");
    if (t->dict.n >= NONE || t->count >= NONE)
        return error_set(POSDIFF_EINVALID, "align: state too large to save");
    put_u32(out, BOM);
    put_u32(out, BIN_VERSION);
    put_u32(out, (uint32_t)t->count);
    if ((rc = put_words(out, &t->dict)) < 0)
        return rc;
    for (size_t p = 0; p < t->count; p++)
        put_position(out, t, p);
    put_u32(out, END);
    return buf_ok(out);
}

/* ---- reading ---- */

typedef struct {
    const char *p;
    size_t n, at;
    uint32_t words; /* ids are 1..words */
} reader;

static int rd_fail(const reader *r, const char *what)
{
    return error_set(POSDIFF_EINVALID,
                     "tracker cache: byte %zu: expected %s; discard the "
                     "cache and build again", r->at, what);
}

static int rd_u32(reader *r, uint32_t *v, const char *what)
{
    *v = 0;
    if (r->n - r->at < sizeof(*v))
        return rd_fail(r, what);
    memcpy(v, r->p + r->at, sizeof(*v));
    r->at += sizeof(*v);
    return 0;
}

/* A count of items of at least @p unit bytes each that the rest can hold. */
static int rd_count(reader *r, size_t *n, size_t unit, const char *what)
{
    uint32_t v;
    int rc = rd_u32(r, &v, what);

    *n = 0;
    if (rc == 0 && (v == NONE || v > (r->n - r->at) / unit))
        return rd_fail(r, what);
    *n = v;
    return rc;
}

/* A string (pointing into the data) of a length the rest holds. */
static int rd_str(reader *r, const char **s, size_t *n, const char *what)
{
    int rc = rd_count(r, n, 1, what);

    if (rc < 0)
        return rc;
    *s = r->p + r->at;
    r->at += *n;
    return 0;
}

/* A string as a NUL-terminated copy of its @p n bytes. */
static int rd_copy(reader *r, char **out, size_t *n, const char *what)
{
    const char *s;
    int rc = rd_str(r, &s, n, what);

    if (rc < 0)
        return rc;
    if (!(*out = malloc(*n + 1)))
        return error_oom();
    memcpy(*out, s, *n);
    (*out)[*n] = '\0';
    return 0;
}

/* A passage: a NUL-terminated copy, without newline (as in the state). */
static int rd_passage(reader *r, char **out, size_t *n)
{
    int rc = rd_copy(r, out, n, "a passage");

    if (rc == 0 && memchr(*out, '\n', *n))
        return rd_fail(r, "a passage without newline");
    return rc;
}

/* A statement id (valid, NUL-terminated copy). */
static int rd_stmt(reader *r, char **out)
{
    size_t n;
    int rc = rd_copy(r, out, &n, "a statement id");

    if (rc == 0 && (strlen(*out) != n || !posdiff_id_valid(*out)))
        return rd_fail(r, "a statement id");
    return rc;
}

/* FEAT: 1 with *f filled, 0 for NONE. */
static int rd_feat(reader *r, feat *f)
{
    uint32_t m;
    int rc = rd_u32(r, &m, "features");

    *f = (feat)FEAT_INIT;
    if (rc < 0 || m == NONE)
        return rc;
    if (m > (r->n - r->at) / sizeof(uint32_t))
        return rd_fail(r, "features");
    if (m && !(f->ids = malloc(m * sizeof(*f->ids))))
        return error_oom();
    if (m)
        memcpy(f->ids, r->p + r->at, m * sizeof(*f->ids));
    f->n = m;
    r->at += m * sizeof(uint32_t);
    for (size_t k = 0; k < m; k++)
        if (f->ids[k] == 0 || f->ids[k] > r->words || (k && f->ids[k] < f->ids[k - 1]))
            return rd_fail(r, "features: word ids in range, ascending");
    return 1;
}

static int rd_words(reader *r, stem_dict *d)
{
    size_t n, bytes;
    char *words;
    int rc;

    if ((rc = rd_count(r, &n, 2, "the number of words")) < 0 ||
        (rc = rd_count(r, &bytes, 1, "the bytes of the words")) < 0)
        return rc;
    if (!(words = malloc(bytes ? bytes : 1)))
        return error_oom();
    memcpy(words, r->p + r->at, bytes);
    r->at += bytes;
    r->words = (uint32_t)n;
    return stem_dict_load(d, words, bytes, n);
}

static int rd_active(reader *r, pstate *st)
{
    size_t n;
    int rc, has;

    if ((rc = rd_count(r, &n, 8, "the number of passages")) < 0)
        return rc;
    if ((st->stmt == NULL) != (n == 0))
        return rd_fail(r, "passages exactly when stated");
    st->text = calloc(n + 1, sizeof(*st->text));
    st->len = calloc(n + 1, sizeof(*st->len));
    st->f = calloc(n + 1, sizeof(*st->f));
    if (!st->text || !st->len || !st->f)
        return error_oom();
    for (has = -1; st->n < n;) {
        size_t k = st->n++; /* owned by st from here (calloc'ed) */
        if ((rc = rd_passage(r, &st->text[k], &st->len[k])) < 0 ||
            (rc = rd_feat(r, &st->f[k])) < 0)
            return rc;
        if (has >= 0 && has != rc)
            return rd_fail(r, "features for every passage or none");
        has = rc;
    }
    if (has != 1) { /* none computed: the state's array stays NULL */
        free(st->f);
        st->f = NULL;
    }
    return 0;
}

static int rd_dormant(reader *r, pstate *st)
{
    size_t n;
    int rc;

    if ((rc = rd_count(r, &n, 12, "the number of dormant threads")) < 0)
        return rc;
    if (n > DORMANT_MAX)
        return rd_fail(r, "at most 256 dormant threads");
    if (!(st->dorm = calloc(n + 1, sizeof(*st->dorm))))
        return error_oom();
    while (st->ndorm < n) {
        dthread *d = &st->dorm[st->ndorm++]; /* owned by st (calloc'ed) */
        if ((rc = rd_stmt(r, &d->stmt)) < 0 || (rc = rd_passage(r, &d->text, &d->len)) < 0 ||
            (rc = rd_feat(r, &d->f)) < 0)
            return rc;
        d->ready = rc;
    }
    return 0;
}

static int rd_position(reader *r, const char *id, pstate *st)
{
    const char *s;
    size_t n;
    uint32_t v;
    int rc;

    if ((rc = rd_str(r, &s, &n, "a position id")) < 0)
        return rc;
    if (n != strlen(id) || memcmp(s, id, n) != 0)
        return error_set(POSDIFF_EINVALID,
                         "tracker cache: position \"%.*s\" where the catalog has "
                         "\"%s\"; discard the cache and build again",
                         (int)(n < 200 ? n : 200), s, id);
    if (r->n - r->at >= 4 && (memcpy(&v, r->p + r->at, 4), v == NONE))
        r->at += 4;
    else if ((rc = rd_stmt(r, &st->stmt)) < 0)
        return rc;
    if ((rc = rd_active(r, st)) < 0)
        return rc;
    return rd_dormant(r, st);
}

static int rd_state(reader *r, const posdiff_tracker *t, stem_dict *d, pstate *st)
{
    uint32_t bom, version, npos, end;
    int rc;

    if ((rc = rd_u32(r, &bom, "a byte-order mark")) < 0 ||
        (rc = rd_u32(r, &version, "a version")) < 0)
        return rc;
    if (bom != BOM || version != BIN_VERSION)
        return rd_fail(r, "this machine's byte order and format version 1");
    if ((rc = rd_u32(r, &npos, "the number of positions")) < 0)
        return rc;
    if (npos != t->count)
        return error_set(POSDIFF_EINVALID,
                         "tracker cache: %u positions, the catalog has %zu; "
                         "discard the cache and build again", npos, t->count);
    if ((rc = rd_words(r, d)) < 0)
        return rc;
    for (size_t p = 0; p < t->count; p++)
        if ((rc = rd_position(r, posdiff_catalog_position(t->cat, p)->id, &st[p])) < 0)
            return rc;
    if ((rc = rd_u32(r, &end, "the end mark")) < 0)
        return rc;
    return end == END && r->at == r->n ? 0 : rd_fail(r, "the end of the data");
}

int align_state_decode(posdiff_tracker *t, const char *data, size_t len)
{
    reader r = {data, len, 0, 0};
    stem_dict d = STEM_DICT_INIT;
    pstate *st;

    if (!t || (!data && len))
        return error_set(POSDIFF_EINVALID, "align: missing argument");
    if (!(st = calloc(t->count ? t->count : 1, sizeof(*st))))
        return error_oom();
    return align_state_install(t, rd_state(&r, t, &d, st), st, &d);
}
