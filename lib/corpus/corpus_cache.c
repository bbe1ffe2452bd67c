/*
 * corpus_cache.c - the statements of a validated manifest, cached.
 *
 * Opening a corpus of 10 000 statements parsed and checked its 2.2 MB
 * statements.conf every time (~7 ms of an incremental add + build that
 * git does in ~40 ms).  What that gives depends on the manifest's bytes
 * only (the raw files are checked apart, corpus.c), so it is kept in
 * <corpus>/.posdiff/corpus-cache, keyed by those bytes:
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
 * It is used when the manifest's first <length> bytes sum to the cached
 * sum: the manifest is the one cached, or that one with more lines after
 * it (`add` appends a statement; corpus.c parses only those).  A cache
 * whose own sum, shape or offsets do not check out is not used; nor one
 * of another posdiff version or rules version (CORPUS_RULES_VERSION,
 * to bump whenever corpus.c checks entries differently).  Only manifests
 * that open without error or warning are cached.  Written by renaming a
 * temporary file, not synced (a torn file fails its sum); delete it and
 * the next open parses the manifest again.
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
        out->prefix_len = (size_t)join64(w + 2);
        out->prefix_sum = join64(w + 4);
        ok = out->prefix_len > 0;
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

int corpus_cache_load(corpus_cache *out, const char *dir, const char *text, size_t len)
{
    if (!corpus_cache_open(out, dir))
        return 0;
    if (out->prefix_len <= len && text[out->prefix_len - 1] == '\n' &&
        cachesum64(text, out->prefix_len) == out->prefix_sum)
        return 1;
    corpus_cache_free(out);
    return 0;
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
    buf words;  /* u32 words after the head, but the pool */
    buf pool;
    int toobig;
} writer;

static void put_word(buf *b, uint32_t v)
{
    buf_put(b, (const char *)&v, 4);
}

static uint32_t pool_add(writer *wr, const char *s)
{
    size_t at = wr->pool.len;

    if (!s)
        return NONE;
    buf_put(&wr->pool, s, strlen(s) + 1);
    if (at >= NONE)
        wr->toobig = 1;
    return (uint32_t)at;
}

/* The record words of @p st; its strip rules go to @p strip (offsets). */
static void put_record(writer *wr, buf *strip, size_t *nstrip, const posdiff_statement *st)
{
    const char *f[7] = {st->id, st->file, st->date, st->title, st->venue, st->speaker,
                        st->source};

    for (int k = 0; k < 7; k++)
        put_word(&wr->words, pool_add(wr, f[k]));
    put_word(&wr->words, (uint32_t)st->strip_count);
    put_word(&wr->words, (uint32_t)*nstrip);
    for (size_t k = 0; k < st->strip_count; k++)
        put_word(strip, pool_add(wr, st->strip[k]));
    *nstrip += st->strip_count;
}

/* The whole cache file for these statements into @p out; -1 if it cannot be. */
static int build(buf *out, const char *text, size_t len, const posdiff_statement *st,
                 size_t n)
{
    const posdiff_statement **by_index = calloc(n, sizeof(*by_index));
    writer wr = {BUF_INIT, BUF_INIT, 0};
    buf strip = BUF_INIT;
    size_t nstrip = 0;
    uint64_t sum;
    int ok = by_index != NULL && n < NONE;

    for (size_t i = 0; ok && i < n; i++) {
        ok = st[i].manifest_index < n && !by_index[st[i].manifest_index];
        if (ok)
            by_index[st[i].manifest_index] = &st[i];
    }
    for (size_t i = 0; ok && i < n; i++)
        put_word(&wr.words, (uint32_t)st[i].manifest_index);
    for (size_t i = 0; ok && i < n; i++)
        put_record(&wr, &strip, &nstrip, by_index[i]);
    while (ok && wr.pool.len % 4)
        buf_putc(&wr.pool, '\0');
    if (ok && !wr.toobig && nstrip < NONE) {
        uint32_t head[HEAD_WORDS] = {BOM, CORPUS_RULES_VERSION, 0, 0, 0, 0, (uint32_t)n,
                                     (uint32_t)nstrip, (uint32_t)wr.pool.len, 0};
        sum = cachesum64(text, len);
        head[2] = (uint32_t)len;
        head[3] = (uint32_t)((uint64_t)len >> 32);
        head[4] = (uint32_t)sum;
        head[5] = (uint32_t)(sum >> 32);
        char line[64];
        size_t m = head_line(line);
        buf_put(out, line, m);
        buf_put(out, (const char *)head, sizeof(head));
        buf_put(out, wr.words.ptr, wr.words.len);
        buf_put(out, strip.ptr ? strip.ptr : "", strip.len);
        buf_put(out, wr.pool.ptr, wr.pool.len);
        if (buf_ok(out) == 0 && m) {
            sum = cachesum64(out->ptr + m, out->len - m);
            put_word(out, (uint32_t)sum);
            put_word(out, (uint32_t)(sum >> 32));
        }
        ok = m > 0;
    } else {
        ok = 0;
    }
    ok = ok && buf_ok(&wr.words) == 0 && buf_ok(&wr.pool) == 0 && buf_ok(&strip) == 0 &&
         buf_ok(out) == 0;
    free(by_index);
    buf_free(&wr.words);
    buf_free(&wr.pool);
    buf_free(&strip);
    return ok ? 0 : -1;
}

void corpus_cache_save(const char *dir, const char *text, size_t len,
                       const posdiff_statement *st, size_t n)
{
    char *path = cache_path(dir);
    buf b = BUF_INIT, sub = BUF_INIT;
    struct stat sb;

    buf_printf(&sub, "%s/.posdiff", dir);
    if (path && n > 0 && len > 0 && text[len - 1] == '\n' && buf_ok(&sub) == 0 &&
        stat(sub.ptr, &sb) == 0 && S_ISDIR(sb.st_mode) && build(&b, text, len, st, n) == 0)
        write_cache_file(path, b.ptr, b.len);
    posdiff_error_clear(); /* only a cache */
    buf_free(&b);
    buf_free(&sub);
    free(path);
}
