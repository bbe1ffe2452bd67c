/*
 * steplog.c - the aligner's steps, kept beside the history in
 * <repo>/posdiff-steps, so log, blame and positions replay only what it
 * lacks.  A cache: a missing, stale, torn or corrupt record costs a
 * replay, never a wrong result.
 *
 * Format (integers little-endian):
 *
 *   "posdiff-steps 4 <posdiff version> <catalog hash>\n"
 *   records, one per history commit in chain order: commit id (20 bytes),
 *     stored length (u32), CRC-32 of the stored bytes (u32), payload
 *     length (u32), the payload as raw deflate, the stored length again
 *     (u32, so the last record is found from the end);
 *   payload: u32 positions; per position: u8 entry status, u32 passages,
 *     u32 dropped; per passage: u32 line, u8 status, u8 link, u8 flags
 *     (revived: bit 0, reviewed: bit 1), u64 similarity (IEEE bits), str text, str prev_statement,
 *     str prev_text, u32 sources, per source: str statement, str text,
 *     u64 similarity; u32 ops, per op: u8 kind, u32 old_start, old_len,
 *     new_start, new_len; per dropped: str statement, str text.
 *     str = u32 length (0xffffffff: NULL) and the bytes, NUL-terminated.
 *
 * A record is used only for the commit the reader expects at its place
 * in the chain, with a matching CRC.
 */
#include "steplog.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libdeflate.h>

#include "util/buf.h"
#include "util/errors.h"
#include "posdiff/history.h"
#include "align/step.h"

#define LOG_NAME "posdiff-steps"
#define LOG_MAGIC "posdiff-steps 4 "
#define RECORD_HEAD 32 /* id, stored length, CRC, payload length */
#define RECORD_TAIL 4  /* the length again */
#define PAYLOAD_MAX ((uint32_t)1 << 30)
#define STR_NULL 0xffffffffu

struct steplog {
    FILE *f;   /* reader: the log; writer: the new records (see steplog_begin) */
    char *path, *tmp; /* writer: the log, the new records' file */
    off_t keep;       /* writer: the log's bytes kept; 0: tmp is a whole log */
    buf rec;   /* writer: scratch payload */
    buf packed;/* writer: the payload compressed */
    struct libdeflate_compressor *z;
    struct libdeflate_decompressor *unz;
    int failed;
};

static char *log_path(const char *repo_path)
{
    buf b = BUF_INIT;
    buf_printf(&b, "%s/%s", repo_path, LOG_NAME);
    return buf_detach(&b, NULL);
}

static void header(buf *b, const char *catalog_hex)
{
    buf_printf(b, "%s%s %s\n", LOG_MAGIC, POSDIFF_VERSION, catalog_hex);
}

/* 1 if @p f starts with the header for @p catalog_hex (left after it). */
static int header_ok(FILE *f, const char *catalog_hex)
{
    buf want = BUF_INIT;
    char line[256];
    int ok;

    header(&want, catalog_hex);
    ok = buf_ok(&want) == 0 && want.len < sizeof(line) &&
         fgets(line, sizeof(line), f) && !strcmp(line, want.ptr);
    buf_free(&want);
    return ok;
}

/* ---- encoding ---------------------------------------------------------- */

static void put_u32(buf *b, uint32_t v)
{
    char c[4] = {(char)(v & 0xff), (char)((v >> 8) & 0xff), (char)((v >> 16) & 0xff),
                 (char)((v >> 24) & 0xff)};
    buf_put(b, c, 4);
}

static void put_u8(buf *b, unsigned v)
{
    buf_putc(b, (char)(unsigned char)v);
}

static void put_str(buf *b, const char *s, size_t len)
{
    if (!s) {
        put_u32(b, STR_NULL);
        return;
    }
    put_u32(b, (uint32_t)len);
    buf_put(b, s, len);
    buf_putc(b, '\0');
}

static void put_double(buf *b, double d)
{
    uint64_t bits;

    memcpy(&bits, &d, sizeof(bits));
    put_u32(b, (uint32_t)(bits & 0xffffffffu));
    put_u32(b, (uint32_t)(bits >> 32));
}

static void put_passage(buf *b, const posdiff_passage *p)
{
    put_u32(b, (uint32_t)p->line);
    put_u8(b, p->status);
    put_u8(b, p->link);
    put_u8(b, (unsigned)p->revived | (unsigned)p->reviewed << 1);
    put_double(b, p->similarity);
    put_str(b, p->text, p->len);
    put_str(b, p->prev_statement, p->prev_statement ? strlen(p->prev_statement) : 0);
    put_str(b, p->prev_text, p->prev_len);
    put_u32(b, (uint32_t)p->source_count);
    for (size_t k = 0; k < p->source_count; k++) {
        const posdiff_source *src = &p->sources[k];
        put_str(b, src->statement, strlen(src->statement));
        put_str(b, src->text, src->len);
        put_double(b, src->similarity);
    }
    put_u32(b, (uint32_t)p->op_count);
    for (size_t k = 0; k < p->op_count; k++) {
        const posdiff_op *op = &p->ops[k];
        put_u8(b, op->kind);
        put_u32(b, (uint32_t)op->old_start);
        put_u32(b, (uint32_t)op->old_len);
        put_u32(b, (uint32_t)op->new_start);
        put_u32(b, (uint32_t)op->new_len);
    }
}

/* 0, or -1 when a value does not fit the format (the step is not kept). */
static int encode(buf *b, const posdiff_step *s)
{
    size_t total = 0;

    put_u32(b, (uint32_t)s->count);
    for (size_t i = 0; i < s->count; i++) {
        const step_entry *e = &s->e[i];
        put_u8(b, e->status);
        put_u32(b, (uint32_t)e->npass);
        put_u32(b, (uint32_t)e->ndrop);
        for (size_t k = 0; k < e->npass; k++) {
            total |= e->pass[k].len | e->pass[k].prev_len | e->pass[k].line;
            put_passage(b, &e->pass[k]);
        }
        for (size_t k = 0; k < e->ndrop; k++) {
            const posdiff_dropped *d = &e->drop[k];
            total |= d->len;
            put_str(b, d->statement, d->statement ? strlen(d->statement) : 0);
            put_str(b, d->text, d->len);
        }
    }
    return total >= STR_NULL || b->len > PAYLOAD_MAX || buf_ok(b) < 0 ? -1 : 0;
}

/* ---- decoding ---------------------------------------------------------- */

typedef struct {
    const unsigned char *p, *end;
    int bad;
} cursor;

static uint32_t get_u32(cursor *c)
{
    uint32_t v;

    if (c->end - c->p < 4) {
        c->bad = 1;
        return 0;
    }
    v = (uint32_t)c->p[0] | (uint32_t)c->p[1] << 8 | (uint32_t)c->p[2] << 16 |
        (uint32_t)c->p[3] << 24;
    c->p += 4;
    return v;
}

static unsigned get_u8(cursor *c)
{
    if (c->p >= c->end) {
        c->bad = 1;
        return 0;
    }
    return *c->p++;
}

static const char *get_str(cursor *c, size_t *len)
{
    uint32_t n = get_u32(c);
    const char *s;

    *len = 0;
    if (n == STR_NULL || c->bad)
        return NULL;
    if ((size_t)(c->end - c->p) < (size_t)n + 1 || c->p[n] != '\0') {
        c->bad = 1;
        return NULL;
    }
    s = (const char *)c->p;
    c->p += (size_t)n + 1;
    *len = n;
    return s;
}

typedef struct {
    size_t pass, drop, ops, srcs;
} counts;

static double get_double(cursor *c)
{
    uint64_t lo = get_u32(c), hi = get_u32(c);
    double d;

    lo |= hi << 32;
    memcpy(&d, &lo, sizeof(d));
    return d;
}

/* Parse a passage's sources into @p src (NULL: only count them). */
static void get_sources(cursor *c, posdiff_passage *p, posdiff_source *src, size_t *nsrc)
{
    uint32_t n = get_u32(c);

    if (n > (size_t)(c->end - c->p) / 16) {
        c->bad = 1;
        return;
    }
    p->sources = src;
    p->source_count = n;
    for (uint32_t k = 0; k < n && !c->bad; k++) {
        posdiff_source s;
        size_t slen;
        s.statement = get_str(c, &slen);
        s.text = get_str(c, &s.len);
        s.similarity = get_double(c);
        if (!s.statement || !s.text)
            c->bad = 1;
        if (src)
            src[k] = s;
    }
    *nsrc += n;
}

/* Parse one passage into @p p (NULL: only count its ops and sources). */
static void get_passage(cursor *c, posdiff_passage *p, posdiff_op *ops, size_t *nops,
                        posdiff_source *src, size_t *nsrc)
{
    posdiff_passage tmp;
    size_t plen, n;

    if (!p)
        p = &tmp;
    p->line = get_u32(c);
    p->status = (posdiff_passage_status)get_u8(c);
    p->link = (posdiff_link)get_u8(c);
    p->revived = get_u8(c);
    p->reviewed = p->revived >> 1 & 1;
    p->revived &= 1;
    p->similarity = get_double(c);
    p->text = get_str(c, &p->len);
    p->prev_statement = get_str(c, &plen);
    p->prev_text = get_str(c, &p->prev_len);
    get_sources(c, p, src, nsrc);
    n = get_u32(c);
    if (p->status > POSDIFF_PASSAGE_RESTATED || p->link > POSDIFF_LINK_MERGE || !p->text ||
        n > (size_t)(c->end - c->p) / 17) {
        c->bad = 1;
        return;
    }
    p->ops = ops;
    p->op_count = n;
    for (size_t k = 0; k < n && !c->bad; k++) {
        posdiff_op op;
        op.kind = (posdiff_op_kind)get_u8(c);
        op.old_start = get_u32(c);
        op.old_len = get_u32(c);
        op.new_start = get_u32(c);
        op.new_len = get_u32(c);
        if (op.kind > POSDIFF_OP_INSERT || op.new_start + op.new_len > p->len ||
            op.old_start + op.old_len > p->prev_len)
            c->bad = 1;
        if (ops)
            ops[k] = op;
    }
    *nops += n;
}

/*
 * Walk the payload; with @p s NULL only count into @p n, else fill s's
 * entries from the arrays of @p n's sizes.
 */
static int walk(cursor c, posdiff_step *s, counts *n, posdiff_passage *pass,
                posdiff_dropped *drop, posdiff_op *ops, posdiff_source *src)
{
    size_t np = 0, nd = 0, no = 0, ns = 0;
    uint32_t count = get_u32(&c);

    if (s && count != s->count)
        return -1;
    for (uint32_t i = 0; i < count && !c.bad; i++) {
        unsigned status = get_u8(&c);
        uint32_t npass = get_u32(&c), ndrop = get_u32(&c);

        if (status > POSDIFF_ENTRY_UNCHANGED || npass > (size_t)(c.end - c.p) / 20 ||
            ndrop > (size_t)(c.end - c.p) / 8)
            return -1;
        if (s) {
            s->e[i].status = (posdiff_entry_status)status;
            s->e[i].pass = pass + np;
            s->e[i].npass = npass;
            s->e[i].drop = drop + nd;
            s->e[i].ndrop = ndrop;
        }
        for (uint32_t k = 0; k < npass && !c.bad; k++, np++)
            get_passage(&c, s ? &pass[np] : NULL, s ? ops + no : NULL, &no,
                        s ? src + ns : NULL, &ns);
        for (uint32_t k = 0; k < ndrop && !c.bad; k++, nd++) {
            posdiff_dropped d;
            size_t slen;
            d.statement = get_str(&c, &slen);
            d.text = get_str(&c, &d.len);
            if (!d.statement || !d.text)
                c.bad = 1;
            if (s)
                drop[nd] = d;
        }
    }
    if (c.bad || c.p != c.end)
        return -1;
    n->pass = np;
    n->drop = nd;
    n->ops = no;
    n->srcs = ns;
    return (int)count;
}

/* A step over @p payload (which it takes over), or NULL. */
static posdiff_step *decode(unsigned char *payload, size_t len)
{
    cursor c = {payload, payload + len, 0};
    posdiff_step *s = calloc(1, sizeof(*s));
    counts n = {0, 0, 0, 0};
    char *block = NULL;
    int count;

    if (!s || (count = walk(c, NULL, &n, NULL, NULL, NULL, NULL)) < 0)
        goto fail;
    s->count = (size_t)count;
    s->e = calloc(s->count ? s->count : 1, sizeof(*s->e));
    block = malloc(n.pass * sizeof(posdiff_passage) + n.drop * sizeof(posdiff_dropped) +
                   n.ops * sizeof(posdiff_op) + n.srcs * sizeof(posdiff_source) + 1);
    s->owned = malloc(2 * sizeof(void *));
    if (!s->e || !block || !s->owned)
        goto fail;
    s->owned[0] = payload;
    s->owned[1] = block;
    s->nowned = s->cap = 2;
    {
        posdiff_passage *pass = (posdiff_passage *)(void *)block;
        posdiff_op *ops = (posdiff_op *)(void *)(pass + n.pass);
        posdiff_source *src = (posdiff_source *)(void *)(ops + n.ops);
        posdiff_dropped *drop = (posdiff_dropped *)(void *)(src + n.srcs);
        if (walk(c, s, &n, pass, drop, ops, src) < 0)
            goto fail;
    }
    return s;
fail:
    if (s) {
        free(s->owned); /* the array only: payload and block go below */
        free(s->e);
        free(s);
    }
    free(block);
    free(payload);
    return NULL;
}

/* ---- records ----------------------------------------------------------- */

static void put_le32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)v;
    p[1] = (unsigned char)(v >> 8);
    p[2] = (unsigned char)(v >> 16);
    p[3] = (unsigned char)(v >> 24);
}

static uint32_t le32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Read a record head: 1 and its id and length, 0 at the end or when torn. */
static int read_head(FILE *f, unsigned char head[RECORD_HEAD], uint32_t *len)
{
    if (fread(head, 1, RECORD_HEAD, f) != RECORD_HEAD)
        return 0;
    *len = le32(head + 20);
    return *len <= PAYLOAD_MAX;
}

/* 1 if the last record of the log (records from @p first to @p size) is
 * whole and belongs to @p commit. */
static int last_is(FILE *f, off_t first, off_t size, const git_oid *commit)
{
    unsigned char tail[RECORD_TAIL], head[RECORD_HEAD];
    off_t at;
    uint32_t len;

    if (size - first < RECORD_HEAD + RECORD_TAIL ||
        pread(fileno(f), tail, RECORD_TAIL, size - RECORD_TAIL) != RECORD_TAIL ||
        (len = le32(tail)) > PAYLOAD_MAX)
        return 0;
    at = size - RECORD_TAIL - (off_t)len - RECORD_HEAD;
    return at >= first && pread(fileno(f), head, RECORD_HEAD, at) == RECORD_HEAD &&
           le32(head + 20) == len && !memcmp(head, commit->id, GIT_OID_RAWSZ);
}

/*
 * A build's records go to <log>.new.<pid> until steplog_commit: a build
 * that fails leaves the log as it was (it still serves the old branch).
 * The kept prefix is found in the log as it stands; when nothing of it
 * can be kept, the new file is a whole log (header first) and is renamed
 * over the old one, else its records are appended to the prefix.
 */
/* The new-record files of builds killed before their end (the caller
 * holds the build lock: none is another's). */
static void sweep_new(const char *repo_path)
{
    DIR *d = opendir(repo_path);
    struct dirent *e;

    while (d && (e = readdir(d)))
        if (!strncmp(e->d_name, LOG_NAME ".new.", strlen(LOG_NAME) + 5))
            unlinkat(dirfd(d), e->d_name, 0);
    if (d)
        closedir(d);
}

void steplog_begin(steplog **out, size_t *covered, const char *repo_path,
                   const char *catalog_hex, const chain *old, size_t kept)
{
    steplog *w = calloc(1, sizeof(*w));
    unsigned char head[RECORD_HEAD];
    struct stat st;
    off_t keep = 0;
    uint32_t len;
    size_t i = 0;
    FILE *f = NULL;
    buf t = BUF_INIT;

    *out = NULL;
    *covered = 0;
    sweep_new(repo_path);
    if (!w || !(w->path = log_path(repo_path)))
        goto fail;
    buf_printf(&t, "%s.new.%ld", w->path, (long)getpid());
    if (buf_ok(&t) < 0)
        goto fail;
    w->tmp = buf_detach(&t, NULL);
    if ((f = fopen(w->path, "rb")) && header_ok(f, catalog_hex) && fstat(fileno(f), &st) == 0) {
        keep = ftello(f);
        if (kept > 0 && last_is(f, keep, st.st_size, &old->v[kept - 1].oid)) {
            /* Records are only ever appended in chain order after a
             * prefix of the chain, so a last record for commit kept - 1
             * ends the records of commits 0 .. kept - 1 (readers check
             * each record's commit anyway). */
            i = kept;
            keep = st.st_size;
        }
        /* else pread the heads: a seek per record would refill stdio's
         * buffer; a record cut short ends the prefix kept */
        for (; i < kept && pread(fileno(f), head, RECORD_HEAD, keep) == RECORD_HEAD &&
               (len = le32(head + 20)) <= PAYLOAD_MAX &&
               keep + RECORD_HEAD + (off_t)len + RECORD_TAIL <= st.st_size &&
               !memcmp(head, old->v[i].oid.id, GIT_OID_RAWSZ); i++)
            keep += RECORD_HEAD + (off_t)len + RECORD_TAIL;
    }
    if (f)
        fclose(f);
    w->keep = i > 0 ? keep : 0;
    if (!(w->f = fopen(w->tmp, "w+b")))
        goto fail;
    if (w->keep == 0) {
        buf h = BUF_INIT;
        header(&h, catalog_hex);
        i = 0;
        if (buf_ok(&h) < 0 || fwrite(h.ptr, 1, h.len, w->f) != h.len) {
            buf_free(&h);
            goto fail;
        }
        buf_free(&h);
    }
    *covered = i;
    *out = w;
    return;
fail:
    buf_free(&t);
    if (w && w->f) {
        fclose(w->f);
        unlink(w->tmp);
    }
    if (w) {
        free(w->path);
        free(w->tmp);
    }
    free(w);
    posdiff_error_clear(); /* a cache: a failure costs a replay later */
}

/* w->rec compressed into w->packed; 0 or -1. */
static int compress_record(steplog *w)
{
    size_t bound, n;

    if (!w->z && !(w->z = libdeflate_alloc_compressor(1)))
        return -1;
    bound = libdeflate_deflate_compress_bound(w->z, w->rec.len);
    buf_clear(&w->packed);
    if (buf_grow(&w->packed, bound) < 0 ||
        !(n = libdeflate_deflate_compress(w->z, w->rec.ptr, w->rec.len, w->packed.ptr, bound)))
        return -1;
    w->packed.len = n;
    return 0;
}

void steplog_add(steplog *w, const git_oid *commit, const posdiff_step *s)
{
    unsigned char head[RECORD_HEAD], tail[RECORD_TAIL];

    if (!w || w->failed)
        return;
    buf_clear(&w->rec);
    if (encode(&w->rec, s) < 0 || compress_record(w) < 0) {
        w->failed = 1; /* later records would sit at the wrong place */
        return;
    }
    memcpy(head, commit->id, GIT_OID_RAWSZ);
    put_le32(head + 20, (uint32_t)w->packed.len);
    put_le32(head + 24, (uint32_t)libdeflate_crc32(0, w->packed.ptr, w->packed.len));
    put_le32(head + 28, (uint32_t)w->rec.len);
    put_le32(tail, (uint32_t)w->packed.len);
    if (fwrite(head, 1, RECORD_HEAD, w->f) != RECORD_HEAD ||
        fwrite(w->packed.ptr, 1, w->packed.len, w->f) != w->packed.len ||
        fwrite(tail, 1, RECORD_TAIL, w->f) != RECORD_TAIL)
        w->failed = 1;
}

/* Append the file @p from to the log @p to, cut to @p keep bytes. */
static int append_to(const char *to, off_t keep, FILE *from)
{
    char chunk[1 << 16];
    size_t n;
    int fd = open(to, O_WRONLY | O_CLOEXEC), ok;

    if (fd < 0 || ftruncate(fd, keep) < 0 || lseek(fd, keep, SEEK_SET) < 0 ||
        fseeko(from, 0, SEEK_SET) < 0) {
        if (fd >= 0)
            close(fd);
        return -1;
    }
    ok = 1;
    while (ok && (n = fread(chunk, 1, sizeof(chunk), from)) > 0)
        ok = write(fd, chunk, n) == (ssize_t)n;
    ok &= !ferror(from);
    return close(fd) == 0 && ok ? 0 : -1;
}

void steplog_commit(steplog *w)
{
    if (!w || w->failed || fflush(w->f) != 0) {
        if (w)
            w->failed = 1;
        return;
    }
    if (w->keep == 0 ? rename(w->tmp, w->path) < 0 : append_to(w->path, w->keep, w->f) < 0) {
        w->failed = 1;
        unlink(w->path); /* half appended: no log, a replay later */
    }
    w->keep = -1; /* committed */
}

void steplog_end(steplog *w)
{
    if (!w)
        return;
    if (w->f)
        fclose(w->f);
    if (w->tmp)
        unlink(w->tmp); /* uncommitted records, or the file appended */
    free(w->path);
    free(w->tmp);
    buf_free(&w->rec);
    buf_free(&w->packed);
    if (w->z)
        libdeflate_free_compressor(w->z);
    free(w);
}

steplog *steplog_open(const char *repo_path, const char *catalog_hex)
{
    char *path = log_path(repo_path);
    steplog *r = calloc(1, sizeof(*r));

    if (!path || !r || !(r->f = fopen(path, "rb")) || !header_ok(r->f, catalog_hex)) {
        if (r && r->f)
            fclose(r->f);
        free(r);
        r = NULL;
    }
    free(path);
    return r;
}

/* The payload of the record at the reader's place, for @p want: 1 with
 * *out (malloc'ed) and *len, else 0. */
static int read_record(steplog *r, const git_oid *want, unsigned char **out, size_t *len)
{
    unsigned char head[RECORD_HEAD], tail[RECORD_TAIL], *packed = NULL, *raw = NULL;
    uint32_t clen;
    size_t rlen = 0, got = 0;

    if (!read_head(r->f, head, &clen) || memcmp(head, want->id, GIT_OID_RAWSZ) ||
        (rlen = le32(head + 28)) > PAYLOAD_MAX || !(packed = malloc(clen ? clen : 1)) ||
        fread(packed, 1, clen, r->f) != clen ||
        (uint32_t)libdeflate_crc32(0, packed, clen) != le32(head + 24) ||
        fread(tail, 1, RECORD_TAIL, r->f) != RECORD_TAIL || le32(tail) != clen ||
        (!r->unz && !(r->unz = libdeflate_alloc_decompressor())) ||
        !(raw = malloc(rlen ? rlen : 1)) ||
        libdeflate_deflate_decompress(r->unz, packed, clen, raw, rlen, &got) != LIBDEFLATE_SUCCESS ||
        got != rlen) {
        free(packed);
        free(raw);
        return 0;
    }
    free(packed);
    *out = raw;
    *len = rlen;
    return 1;
}

int steplog_next(posdiff_step **out, steplog *r, const char *commit_hex)
{
    unsigned char *payload = NULL;
    size_t len = 0;
    git_oid want;

    *out = NULL;
    if (r && !r->failed && git_oid_fromstr(&want, commit_hex) == 0 &&
        read_record(r, &want, &payload, &len))
        *out = decode(payload, len); /* takes the payload over */
    if (!*out) {
        if (r)
            r->failed = 1; /* the rest is replayed */
        return 0;
    }
    return 1;
}

int steplog_seek_back(steplog *r, size_t back)
{
    unsigned char tail[RECORD_TAIL];
    off_t at, first;
    uint32_t len;

    if (!r || r->failed || (first = ftello(r->f)) < 0 || fseeko(r->f, 0, SEEK_END) < 0 ||
        (at = ftello(r->f)) < 0)
        goto fail;
    for (size_t k = 0; k < back; k++) { /* each record ends with its stored length */
        if (at - first < RECORD_HEAD + RECORD_TAIL ||
            pread(fileno(r->f), tail, RECORD_TAIL, at - RECORD_TAIL) != RECORD_TAIL ||
            (len = le32(tail)) > PAYLOAD_MAX ||
            (at -= RECORD_TAIL + (off_t)len + RECORD_HEAD) < first)
            goto fail;
    }
    if (fseeko(r->f, at, SEEK_SET) == 0)
        return 0;
fail:
    if (r)
        r->failed = 1;
    return -1;
}

void steplog_close(steplog *r)
{
    if (!r)
        return;
    fclose(r->f);
    if (r->unz)
        libdeflate_free_decompressor(r->unz);
    free(r);
}
