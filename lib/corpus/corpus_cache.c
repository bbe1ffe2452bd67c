/*
 * corpus_cache.c - the statements of a validated manifest, cached in
 * <corpus>/.posdiff/corpus-cache, keyed by the manifest's length and sum:
 *
 *   posdiff-corpus-cache 4 <version> <length> <sum> <n> <body sum>
 *                          <size> <mtime> <ctime> <inode>\n
 *
 * (sums: cachesum64 in hex; the last four, the stat data of the
 * manifest that vouch for its bytes, or zeros), then per statement, in manifest order,
 * NUL-terminated fields: id, file, date; title, venue, speaker, source,
 * each "+value" or "-"; the number of strip rules, then the rules.  The
 * open corpus's strings point into the mapped file.  Another version or
 * format, or a body failing its sum or shape, is not used.
 */
#include "corpus_cache.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util/buf.h"
#include "util/cachesum.h"
#include "util/errors.h"
#include "util/fileio.h"

#define CACHE_NAME ".posdiff/corpus-cache"
#define CACHE_MAGIC "posdiff-corpus-cache 4 " POSDIFF_VERSION " "
#define CACHE_MAX ((size_t)1 << 31)
#define MAX_STRIP 100000

static char *cache_path(const char *dir)
{
    buf b = BUF_INIT;

    buf_printf(&b, "%s/" CACHE_NAME, dir);
    return buf_detach(&b, NULL);
}

/* The head line of @p data (@p len bytes) into *cc; 0 when it does not fit. */
static int read_head(corpus_cache *cc, const char *data, size_t len)
{
    const size_t m = sizeof(CACHE_MAGIC) - 1;
    const char *nl = memchr(data, '\n', len < 320 ? len : 320);
    char line[320], end;
    uint64_t body_sum;
    size_t n;

    if (!nl || (n = (size_t)(nl - data)) <= m || memcmp(data, CACHE_MAGIC, m))
        return 0;
    memcpy(line, data + m, n - m);
    line[n - m] = '\0';
    if (sscanf(line, "%zu %" SCNx64 " %zu %" SCNx64 " %llu %llu %llu %llu%c", &cc->conf_len,
               &cc->conf_sum, &cc->count, &body_sum, &cc->key.size, &cc->key.mtime,
               &cc->key.ctime, &cc->key.ino, &end) != 8)
        return 0;
    cc->body = nl + 1;
    cc->body_len = len - n - 1;
    return cc->count > 0 && cc->count <= cc->body_len / 8 && /* a record has 8 fields */
           cachesum64(cc->body, cc->body_len) == body_sum;
}

int corpus_cache_open(corpus_cache *out, const char *dir)
{
    char *path = cache_path(dir);
    int ok;

    memset(out, 0, sizeof(*out));
    ok = path && map_file(&out->data, &out->len, path, CACHE_MAX) == 0;
    free(path);
    if (ok && !read_head(out, out->data, out->len)) {
        corpus_cache_free(out);
        ok = 0;
    }
    return ok;
}

/* The next field at *p (before end), or NULL when there is none. */
static const char *field(const char **p, const char *end)
{
    const char *s = *p, *nul = s < end ? memchr(s, '\0', (size_t)(end - s)) : NULL;

    *p = nul ? nul + 1 : end;
    return nul ? s : NULL;
}

/* One record at *p into @p st; 0, or -1 when malformed (or no memory). */
static int read_record(const char **p, const char *end, posdiff_statement *st)
{
    const char **opt[4] = {&st->title, &st->venue, &st->speaker, &st->source};
    const char *f, **strip;
    char *stop;
    unsigned long n;

    if (!(st->id = field(p, end)) || !(st->file = field(p, end)) || !(st->date = field(p, end)))
        return -1;
    for (int k = 0; k < 4; k++) {
        if (!(f = field(p, end)) || (f[0] != '+' && strcmp(f, "-")))
            return -1;
        *opt[k] = f[0] == '+' ? f + 1 : NULL;
    }
    if (!(f = field(p, end)) || (n = strtoul(f, &stop, 10)) > MAX_STRIP || *stop || stop == f)
        return -1;
    if (n == 0)
        return 0;
    if (!(strip = calloc(n, sizeof(*strip))))
        return -1;
    st->strip = strip;
    for (st->strip_count = 0; st->strip_count < n; st->strip_count++)
        if (!(strip[st->strip_count] = field(p, end)))
            return -1;
    return 0;
}

int corpus_cache_read(const corpus_cache *cc, posdiff_statement *st)
{
    const char *p = cc->body, *end = cc->body + cc->body_len;
    size_t i;

    for (i = 0; i < cc->count; i++) {
        memset(&st[i], 0, sizeof(st[i]));
        st[i].manifest_index = i;
        if (read_record(&p, end, &st[i]) < 0)
            break;
    }
    if (i == cc->count && p == end)
        return 0;
    for (size_t k = 0; k <= i && k < cc->count; k++) {
        free((void *)st[k].strip);
        st[k].strip = NULL;
    }
    return -1;
}

void corpus_cache_free(corpus_cache *cc)
{
    unmap_file(cc->data, cc->len);
    memset(cc, 0, sizeof(*cc));
}

static void put_field(buf *b, const char *prefix, const char *s)
{
    buf_puts(b, prefix);
    buf_put(b, s, strlen(s) + 1);
}

/* The body: @p st's records in manifest order; -1 unless their
 * manifest_index are 0 .. n - 1. */
static int put_body(buf *b, const posdiff_statement *st, size_t n)
{
    const posdiff_statement **by_index = calloc(n, sizeof(*by_index));
    char count[32];
    int ok = by_index != NULL;

    for (size_t i = 0; ok && i < n; i++)
        if ((ok = st[i].manifest_index < n && !by_index[st[i].manifest_index]))
            by_index[st[i].manifest_index] = &st[i];
    for (size_t i = 0; ok && i < n; i++) {
        const posdiff_statement *s = by_index[i];
        const char *opt[4] = {s->title, s->venue, s->speaker, s->source};
        put_field(b, "", s->id);
        put_field(b, "", s->file);
        put_field(b, "", s->date);
        for (int k = 0; k < 4; k++)
            put_field(b, opt[k] ? "+" : "-", opt[k] ? opt[k] : "");
        snprintf(count, sizeof(count), "%zu", s->strip_count);
        put_field(b, "", count);
        for (size_t k = 0; k < s->strip_count; k++)
            put_field(b, "", s->strip[k]);
    }
    free(by_index);
    return ok && buf_ok(b) == 0 ? 0 : -1;
}

corpus_conf_key corpus_conf_key_of(const char *path, unsigned long long clock_ns)
{
    const unsigned long long margin = 2000000000ull;
    corpus_conf_key k = {0, 0, 0, 0};
    struct stat sb;

    if (stat(path, &sb) < 0 || sb.st_mtim.tv_sec < 0 || sb.st_ctim.tv_sec < 0)
        return k;
    k.size = (unsigned long long)sb.st_size;
    k.mtime = (unsigned long long)sb.st_mtim.tv_sec * 1000000000ull + (unsigned long long)sb.st_mtim.tv_nsec;
    k.ctime = (unsigned long long)sb.st_ctim.tv_sec * 1000000000ull + (unsigned long long)sb.st_ctim.tv_nsec;
    k.ino = (unsigned long long)sb.st_ino;
    if (k.mtime + margin >= clock_ns || k.ctime + margin >= clock_ns)
        memset(&k, 0, sizeof(k));
    return k;
}

void corpus_cache_save(const char *dir, size_t len, uint64_t sum, corpus_conf_key key,
                       const posdiff_statement *st, size_t n)
{
    char *path = cache_path(dir), head[sizeof(CACHE_MAGIC) + 164] = "";
    size_t m = sizeof(CACHE_MAGIC) - 1 + 76 + 84; /* the head line, fixed width */
    buf b = BUF_INIT, sub = BUF_INIT;
    struct stat sb;

    buf_printf(&sub, "%s/.posdiff", dir);
    buf_grow(&b, m + len); /* about the manifest's size */
    buf_put(&b, head, m);  /* its room, filled below */
    if (path && n > 0 && buf_ok(&sub) == 0 && stat(sub.ptr, &sb) == 0 &&
        S_ISDIR(sb.st_mode) && put_body(&b, st, n) == 0) {
        snprintf(head, sizeof(head), CACHE_MAGIC "%020zu %016" PRIx64 " %020zu %016" PRIx64
                 " %020llu %020llu %020llu %020llu\n", len, sum, n,
                 cachesum64(b.ptr + m, b.len - m), key.size, key.mtime, key.ctime, key.ino);
        memcpy(b.ptr, head, m);
        write_cache_file(path, b.ptr, b.len);
    }
    posdiff_error_clear(); /* only a cache */
    buf_free(&b);
    buf_free(&sub);
    free(path);
}
