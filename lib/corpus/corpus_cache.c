/*
 * corpus_cache.c - the statements of a validated manifest, cached.
 *
 * Reading and checking a 10 000-statement statements.conf (2.2 MB) with
 * libgit2 takes ~0.2 s; what it gives depends on the manifest's bytes
 * only (the raw files are checked apart, corpus_files.c), so it is kept
 * in <corpus>/.posdiff/corpus-cache, keyed by their length and sum:
 *
 *   "posdiff-corpus-cache <format> <posdiff version>", spaces up to a
 *   multiple of 8 bytes with the "\n" (so the words are aligned in the
 *   mapped file), then u32 words in the machine's byte order (a word
 *   0x01020304 first, so a cache from another kind of machine does not
 *   match):
 *     BOM, rules version, manifest length (2 words), its cachesum64
 *     (2 words), count n, strip rules m, pool bytes p,
 *     order[n] (corpus order: manifest indices),
 *     rec[n][REC_WORDS] (manifest order: offsets in the pool of id, file,
 *       date, title, venue, speaker, source, NONE for an absent field;
 *       then the number of strip rules and the index of the first in
 *       strip[]),
 *     strip[m] (offsets in the pool), the pool (NUL-terminated strings);
 *   then the cachesum64 of everything before it (2 words).
 *
 * A cache whose own sum, shape or offsets do not check out is not used;
 * nor one of another posdiff version or rules version
 * (CORPUS_RULES_VERSION, to bump whenever corpus.c checks entries
 * differently).  Written by renaming a temporary file, not synced (a
 * torn file fails its sum); delete it and the next open reads the
 * manifest again.
 */
#include "corpus_cache.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util/buf.h"
#include "util/cachesum.h"
#include "util/errors.h"
#include "util/fileio.h"

#define CACHE_NAME ".posdiff/corpus-cache"
#define CACHE_MAGIC "posdiff-corpus-cache 1 " POSDIFF_VERSION
#define CACHE_MAX ((size_t)1 << 31)
#define CORPUS_RULES_VERSION 1
#define BOM 0x01020304u
#define HEAD_WORDS 10  /* BOM .. pool bytes */
#define REC_WORDS 9    /* 7 fields, strip count, first strip */
#define NONE 0xffffffffu

static char *cache_path(const char *dir)
{
    buf b = BUF_INIT;

    buf_printf(&b, "%s/" CACHE_NAME, dir);
    return buf_detach(&b, NULL);
}

/* The head line: CACHE_MAGIC, spaces, "\n"; a multiple of 8 bytes. */
static size_t head_line(char out[64])
{
    size_t n = sizeof(CACHE_MAGIC) - 1, m = (n + 1 + 7) / 8 * 8;

    if (m > 64)
        return 0;
    memcpy(out, CACHE_MAGIC, n);
    memset(out + n, ' ', m - n - 1);
    out[m - 1] = '\n';
    return m;
}

static uint64_t join64(const uint32_t *w)
{
    return (uint64_t)w[0] | (uint64_t)w[1] << 32;
}

/* The words after the magic, checked in shape; 0 when they do not fit. */
static int check_shape(corpus_cache *cc, const uint32_t *w, size_t nwords)
{
    size_t n, m, p, words;

    if (nwords < HEAD_WORDS + 2 || w[0] != BOM || w[1] != CORPUS_RULES_VERSION)
        return 0;
    n = w[6];
    m = w[7];
    p = w[8];
    words = HEAD_WORDS + n + n * REC_WORDS + m + (p + 3) / 4 + 2;
    if (n == 0 || p == 0 || words != nwords)
        return 0;
    cc->count = n;
    cc->order = w + HEAD_WORDS;
    cc->rec = cc->order + n;
    cc->strip = cc->rec + n * REC_WORDS;
    cc->pool = (const char *)(cc->strip + m);
    cc->pool_len = p;
    return cc->pool[p - 1] == '\0';
}

/* Every offset inside the pool, every index in range, order a permutation. */
static int check_refs(const corpus_cache *cc, size_t nstrip)
{
    unsigned char *seen = calloc(cc->count, 1);
    int ok = seen != NULL;

    for (size_t i = 0; ok && i < cc->count; i++) {
        const uint32_t *r = cc->rec + i * REC_WORDS;
        for (int k = 0; k < 7; k++)
            ok &= r[k] == NONE ? k >= 3 : r[k] < cc->pool_len;
        ok &= r[7] <= nstrip && r[8] <= nstrip - r[7];
        ok &= cc->order[i] < cc->count && !seen[cc->order[i]];
        if (ok)
            seen[cc->order[i]] = 1;
    }
    for (size_t k = 0; ok && k < nstrip; k++)
        ok &= cc->strip[k] < cc->pool_len;
    free(seen);
    return ok;
}

int corpus_cache_open(corpus_cache *out, const char *dir)
{
    char *path = cache_path(dir), head[64];
    const char *data = NULL;
    size_t n = 0, m = head_line(head);
    const uint32_t *w;
    int ok = 0, mapped;

    memset(out, 0, sizeof(*out));
    mapped = path && map_file(&data, &n, path, CACHE_MAX) == 0;
    if (!mapped || !m || n < m || memcmp(data, head, m) || (n - m) % 4)
        goto done;
    w = (const uint32_t *)(const void *)(data + m); /* aligned: see head_line */
    ok = check_shape(out, w, (n - m) / 4) &&
         cachesum64(data + m, n - m - 8) == join64(w + (n - m) / 4 - 2) &&
         check_refs(out, w[7]);
    if (ok) {
        out->conf_len = (size_t)join64(w + 2);
        out->conf_sum = join64(w + 4);
    }
done:
    free(path);
    if (ok) {
        out->data = data;
        out->len = n;
    } else {
        if (mapped)
            unmap_file(data, n);
        memset(out, 0, sizeof(*out));
    }
    return ok;
}

int corpus_cache_statement(const corpus_cache *cc, size_t i, posdiff_statement *st)
{
    const uint32_t *r = cc->rec + i * REC_WORDS;
    const char **f[7] = {&st->id, &st->file, &st->date, &st->title, &st->venue,
                         &st->speaker, &st->source};

    memset(st, 0, sizeof(*st));
    for (int k = 0; k < 7; k++)
        *f[k] = r[k] == NONE ? NULL : cc->pool + r[k];
    st->manifest_index = i;
    if (r[7]) {
        const char **v = calloc(r[7], sizeof(*v));
        if (!v)
            return -1;
        for (uint32_t k = 0; k < r[7]; k++)
            v[k] = cc->pool + cc->strip[r[8] + k];
        st->strip = v;
        st->strip_count = r[7];
    }
    return 0;
}

void corpus_cache_free(corpus_cache *cc)
{
    unmap_file(cc->data, cc->len);
    memset(cc, 0, sizeof(*cc));
}

/* ---- writing ------------------------------------------------------------ */

typedef struct {
    buf order, rec, strip, pool; /* the parts of the file after its head */
    size_t nstrip;               /* strip rules so far */
    int toobig;                  /* an offset does not fit 32 bits */
} writer;

static void put_word(buf *b, uint32_t v)
{
    buf_put(b, (const char *)&v, 4);
}

static uint32_t pool_add(writer *w, const char *s)
{
    size_t at = w->pool.len;

    if (!s)
        return NONE;
    buf_put(&w->pool, s, strlen(s) + 1);
    w->toobig |= at >= NONE;
    return (uint32_t)at;
}

static void put_record(writer *w, const posdiff_statement *st)
{
    const char *f[7] = {st->id, st->file, st->date, st->title, st->venue, st->speaker,
                        st->source};

    for (int k = 0; k < 7; k++)
        put_word(&w->rec, pool_add(w, f[k]));
    put_word(&w->rec, (uint32_t)st->strip_count);
    put_word(&w->rec, (uint32_t)w->nstrip);
    for (size_t k = 0; k < st->strip_count; k++)
        put_word(&w->strip, pool_add(w, st->strip[k]));
    w->nstrip += st->strip_count;
}

/* The order in corpus order, the records in manifest order; -1 unless
 * the manifest_index of the @p n statements are 0 .. n - 1. */
static int put_statements(writer *w, const posdiff_statement *st, size_t n)
{
    const posdiff_statement **by_index = calloc(n, sizeof(*by_index));
    int ok = by_index != NULL && n < NONE;

    for (size_t i = 0; ok && i < n; i++) {
        size_t k = st[i].manifest_index;
        if ((ok = k < n && !by_index[k])) {
            by_index[k] = &st[i];
            put_word(&w->order, (uint32_t)k);
        }
    }
    for (size_t i = 0; ok && i < n; i++)
        put_record(w, by_index[i]);
    while (w->pool.len % 4)
        buf_putc(&w->pool, '\0');
    free(by_index);
    return ok && !w->toobig && w->nstrip < NONE ? 0 : -1;
}

/* The whole cache file into @p out; -1 if it cannot be. */
static int build(buf *out, size_t len, uint64_t sum, const posdiff_statement *st, size_t n)
{
    writer w = {BUF_INIT, BUF_INIT, BUF_INIT, BUF_INIT, 0, 0};
    const buf *parts[] = {&w.order, &w.rec, &w.strip, &w.pool};
    char line[64];
    size_t m = head_line(line);
    int ok = m > 0 && put_statements(&w, st, n) == 0;

    if (ok) {
        uint32_t head[HEAD_WORDS] = {BOM, CORPUS_RULES_VERSION, (uint32_t)len,
                                     (uint32_t)((uint64_t)len >> 32), (uint32_t)sum,
                                     (uint32_t)(sum >> 32), (uint32_t)n, (uint32_t)w.nstrip,
                                     (uint32_t)w.pool.len, 0};
        buf_put(out, line, m);
        buf_put(out, (const char *)head, sizeof(head));
        for (size_t k = 0; k < 4; k++) {
            buf_put(out, parts[k]->ptr, parts[k]->len);
            ok &= !parts[k]->oom;
        }
        sum = buf_ok(out) == 0 ? cachesum64(out->ptr + m, out->len - m) : 0;
        put_word(out, (uint32_t)sum);
        put_word(out, (uint32_t)(sum >> 32));
    }
    for (size_t k = 0; k < 4; k++)
        buf_free((buf *)parts[k]);
    return ok && buf_ok(out) == 0 ? 0 : -1;
}

void corpus_cache_save(const char *dir, size_t len, uint64_t sum,
                       const posdiff_statement *st, size_t n)
{
    char *path = cache_path(dir);
    buf b = BUF_INIT, sub = BUF_INIT;
    struct stat sb;

    buf_printf(&sub, "%s/.posdiff", dir);
    if (path && n > 0 && buf_ok(&sub) == 0 && stat(sub.ptr, &sb) == 0 &&
        S_ISDIR(sb.st_mode) && build(&b, len, sum, st, n) == 0)
        write_cache_file(path, b.ptr, b.len);
    posdiff_error_clear(); /* only a cache */
    buf_free(&b);
    buf_free(&sub);
    free(path);
}
