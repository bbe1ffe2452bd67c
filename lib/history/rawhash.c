/*
 * rawhash.c - cache of the raw files' blob ids (rawhash.h), in
 * <repo>/posdiff-rawhash, one checksummed line per file:
 *
 *   posdiff-rawhash 2
 *   <sum> <blob id hex> <size> <mtime ns> <ctime ns> <inode> <path>
 *
 * <sum> is cachesum.h's checksum of the rest of the line; the cache is
 * used up to the first line that fails it.  An entry is used only while
 * the file's size, mtime, ctime and inode are unchanged, and stored only
 * for files whose mtime and ctime are RACY_NS older than the stat taken
 * before the read (as git's index does).  Lookups follow the order of
 * the last save, indexing the lines by path only when a build asks out
 * of order.  Saving appends when every old line was used in order, else
 * rewrites the file atomically.  Read errors empty the cache; write
 * errors are ignored.
 */
#include "rawhash.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "util/buf.h"
#include "util/cachesum.h"
#include "commitmsg.h"
#include "corpus/corpus_int.h"
#include "util/errors.h"
#include "util/fileio.h"
#include "util/hashmap.h"

#define CACHE_NAME "posdiff-rawhash"
#define CACHE_MAGIC "posdiff-rawhash 2\n"
#define CACHE_MAX ((size_t)1 << 30)
#define RACY_NS (2ull * 1000000000ull) /* at least 2 s old to be stored */
#define NO_LINE SIZE_MAX

/* A parsed line of the cache. */
typedef struct {
    const char *line;        /* its first byte (the sum), in the text */
    size_t len;              /* bytes, with the '\n' */
    const char *path;        /* in the line, up to the '\n' */
    size_t path_len;
    unsigned long long size, mtime, ctime, ino;
    const char *hex;         /* in the line: GIT_OID_HEXSZ digits */
} rh_line;

/* A file of this build, to save: an old line or a new one. */
typedef struct {
    size_t old;              /* index of its old line, or NO_LINE */
    size_t at, len;          /* a new line: its bytes in fresh ("\n" included) */
} rh_cur;

struct rawhash {
    char *file;              /* the cache file */
    const char *text;        /* its bytes (mapped), or NULL */
    size_t text_len;
    size_t scanned;          /* bytes of text parsed into lines */
    int bad;                 /* the line at scanned does not parse: the end */
    rh_line *lines;          /* parsed so far, in file order */
    size_t nlines, lines_cap;
    size_t next;             /* line expected next (see find_line) */
    hashmap index;           /* path -> line + 1, of all lines, built on a miss */
    rh_cur *cur;             /* this build's files, in its order */
    size_t ncur, cap;
    buf fresh;               /* CACHE_MAGIC, then the new lines back to back,
                                in cur's order (a new cache as it is saved) */
    const char *dir;         /* the corpus directory last asked for */
    size_t dir_len;          /* strlen(dir) */
    buf path;                /* scratch: a raw file's path */
};

/* Decimal digits at *p up to @p stop: 0 and *p moved past @p stop, or -1. */
static int parse_u64(const char **p, const char *end, char stop, unsigned long long *out)
{
    const char *s = *p;
    unsigned long long v = 0;
    size_t n = 0;

    if (s >= end || *s < '0' || *s > '9')
        return -1;
    for (; s < end && *s >= '0' && *s <= '9'; s++, n++) {
        unsigned d = (unsigned)(*s - '0');
        if (n >= 19 && (n > 19 || v > (ULLONG_MAX - d) / 10))
            return -1; /* 19 digits always fit in 64 bits */
        v = v * 10 + d;
    }
    if (s >= end || *s != stop)
        return -1;
    *out = v;
    *p = s + 1;
    return 0;
}

/* Parse the line of @p s .. @p nl ('\n') into @p e; -1 if it is not one. */
static int parse_line(rh_line *e, const char *s, const char *nl)
{
    const char *p = s + CACHESUM_HEX + 1;

    if (nl - s < CACHESUM_HEX + 1 + GIT_OID_HEXSZ + 1 + 10 || s[CACHESUM_HEX] != ' ' ||
        !cache_is_hex(s, CACHESUM_HEX) ||
        !cachesum_matches(s, cachesum(p, (size_t)(nl - p))) ||
        !cache_is_hex(p, GIT_OID_HEXSZ) || p[GIT_OID_HEXSZ] != ' ')
        return -1;
    e->hex = p;
    p += GIT_OID_HEXSZ + 1;
    if (parse_u64(&p, nl, ' ', &e->size) < 0 || parse_u64(&p, nl, ' ', &e->mtime) < 0 ||
        parse_u64(&p, nl, ' ', &e->ctime) < 0 || parse_u64(&p, nl, ' ', &e->ino) < 0 ||
        p == nl)
        return -1;
    e->line = s;
    e->len = (size_t)(nl - s) + 1;
    e->path = p;
    e->path_len = (size_t)(nl - p);
    return 0;
}

/* Parse one more line of the text; 0, or -1 at its end or a bad line. */
static int scan_one(rawhash *h)
{
    const char *s, *nl;
    rh_line e;

    if (h->bad || !h->text || h->scanned >= h->text_len)
        return -1;
    s = h->text + h->scanned;
    if (!(nl = memchr(s, '\n', h->text_len - h->scanned)) || parse_line(&e, s, nl) < 0) {
        h->bad = 1;
        return -1;
    }
    if (h->nlines == h->lines_cap) {
        size_t cap = h->lines_cap ? h->lines_cap * 2 : 1024;
        rh_line *v = realloc(h->lines, cap * sizeof(*v));
        if (!v) {
            h->bad = 1;
            return -1;
        }
        h->lines = v;
        h->lines_cap = cap;
    }
    h->lines[h->nlines++] = e;
    h->scanned += e.len;
    return 0;
}

int rawhash_open(rawhash **out, const char *repo_path)
{
    rawhash *h = calloc(1, sizeof(*h));
    buf p = BUF_INIT;
    size_t m = sizeof(CACHE_MAGIC) - 1;

    *out = NULL;
    buf_printf(&p, "%s/%s", repo_path, CACHE_NAME);
    if (!h || buf_ok(&p) < 0) {
        free(h);
        buf_free(&p);
        return error_oom();
    }
    h->file = buf_detach(&p, NULL);
    if (map_file(&h->text, &h->text_len, h->file, CACHE_MAX) == 0 &&
        (h->text_len < m || memcmp(h->text, CACHE_MAGIC, m) != 0)) {
        unmap_file(h->text, h->text_len); /* another format: start empty */
        h->text = NULL;
        h->text_len = 0;
    }
    h->scanned = m;
    posdiff_error_clear(); /* a missing cache is no error */
    *out = h;
    return 0;
}

/* Is a file of this key old enough, at clock @p now_ns, to be stored? */
static int key_storable(const rh_line *e, unsigned long long now_ns)
{
    return e->mtime + RACY_NS < now_ns && e->ctime + RACY_NS < now_ns;
}

/* "<dir>/<file>" in h->path; NULL when out of memory. */
static const char *full_path(rawhash *h, const char *dir, const char *file)
{
    buf_clear(&h->path);
    buf_puts(&h->path, dir);
    buf_putc(&h->path, '/');
    buf_puts(&h->path, file);
    return buf_ok(&h->path) == 0 ? h->path.ptr : NULL;
}

/*
 * Stat key of st's raw file, and whether it is old enough to be stored:
 * the stat posdiff_corpus_open took (with the clock read before it), so
 * a build stats each raw file once (0); a stat now when the corpus lacks
 * it (1).
 */
static int stat_key(rh_line *e, rawhash *h, const posdiff_corpus *c,
                    const posdiff_statement *st, int *storable)
{
    const char *path;
    unsigned long long now_ns;
    struct timespec now;
    corpus_stat cs;
    struct stat sb;

    if (corpus_file_stat(c, st, &cs, &now_ns) == 0) {
        e->size = cs.size;
        e->mtime = cs.mtime;
        e->ctime = cs.ctime;
        e->ino = cs.ino;
        *storable = key_storable(e, now_ns);
        return 0;
    }
    clock_gettime(CLOCK_REALTIME, &now);
    if (!(path = full_path(h, posdiff_corpus_dir(c), st->file)) || stat(path, &sb) < 0 || !S_ISREG(sb.st_mode) || sb.st_mtim.tv_sec < 0 ||
        sb.st_ctim.tv_sec < 0)
        return -1;
    e->size = (unsigned long long)sb.st_size;
    e->mtime = (unsigned long long)sb.st_mtim.tv_sec * 1000000000ull +
               (unsigned long long)sb.st_mtim.tv_nsec;
    e->ctime = (unsigned long long)sb.st_ctim.tv_sec * 1000000000ull +
               (unsigned long long)sb.st_ctim.tv_nsec;
    e->ino = (unsigned long long)sb.st_ino;
    *storable = key_storable(e, (unsigned long long)now.tv_sec * 1000000000ull +
                                    (unsigned long long)now.tv_nsec);
    return 1;
}

/* Is line @p e's path "<dir>/<file>"? */
static int path_is(const rh_line *e, const char *dir, size_t dlen, const char *file,
                   size_t flen)
{
    return e->path_len == dlen + 1 + flen && !memcmp(e->path, dir, dlen) &&
           e->path[dlen] == '/' && !memcmp(e->path + dlen + 1, file, flen);
}

/* Index every line by path; -1 on OOM. */
static int index_build(rawhash *h)
{
    while (scan_one(h) == 0)
        ;
    for (size_t k = 0; k < h->nlines; k++)
        if (hashmap_put(&h->index, h->lines[k].path, h->lines[k].path_len,
                        (void *)(uintptr_t)(k + 1)) < 0)
            return -1;
    return 0;
}

/* The line of <dir>/<file>: the one after the last found (a build asks in
 * the order the last one saved them), else through the index; NO_LINE. */
static size_t find_line(rawhash *h, const char *dir, size_t dlen, const char *file)
{
    size_t flen = strlen(file), i;
    const char *path;

    if (h->next == h->nlines)
        scan_one(h);
    if (h->next < h->nlines && path_is(&h->lines[h->next], dir, dlen, file, flen))
        return h->next++;
    if (!h->text || (!h->index.cap && index_build(h) < 0) || !(path = full_path(h, dir, file)) ||
        !(i = (size_t)(uintptr_t)hashmap_get(&h->index, path, dlen + 1 + flen)))
        return NO_LINE;
    h->next = i;
    return i - 1;
}

static int same_key(const rh_line *a, const rh_line *b)
{
    return a->size == b->size && a->mtime == b->mtime && a->ctime == b->ctime &&
           a->ino == b->ino;
}

/* Keep @p c for the saved cache; on OOM forget it (and its new line). */
static void remember(rawhash *h, rh_cur *c)
{
    if (h->ncur == h->cap) {
        size_t cap = h->cap ? h->cap * 2 : 1024;
        rh_cur *v = realloc(h->cur, cap * sizeof(*v));
        if (!v) {
            if (c->old == NO_LINE) /* left out of the saved cache */
                h->fresh.len = c->at;
            return;
        }
        h->cur = v;
        h->cap = cap;
    }
    h->cur[h->ncur++] = *c;
}

/* A new line for @p k (its hex and key) and @p path, appended to fresh,
 * into @p c; -1 on OOM (fresh as it was). */
static int new_line(rawhash *h, rh_cur *c, const rh_line *k, const char *hex, const char *path)
{
    buf *b = &h->fresh;
    size_t at;

    if (b->len == 0)
        buf_puts(b, CACHE_MAGIC);
    at = b->len;
    buf_put(b, "00000000 ", CACHESUM_HEX + 1);
    buf_printf(b, "%s %llu %llu %llu %llu %s", hex, k->size, k->mtime, k->ctime, k->ino,
               path);
    buf_putc(b, '\n');
    if (buf_ok(b) < 0) {
        posdiff_error_clear(); /* the cache is optional */
        if (b->ptr) /* whole lines only (later appends fail too) */
            b->ptr[b->len = at] = '\0';
        return -1;
    }
    cachesum_hex(b->ptr + at, cachesum(b->ptr + at + CACHESUM_HEX + 1,
                                       b->len - 1 - at - CACHESUM_HEX - 1));
    *c = (rh_cur){NO_LINE, at, b->len - at};
    return 0;
}

int rawhash_get(rawhash *h, char hex[GIT_OID_HEXSZ + 1], const posdiff_corpus *c,
                const posdiff_statement *st, const char *read)
{
    const char *dir = posdiff_corpus_dir(c), *path = NULL;
    rh_line k = {0};
    rh_cur cur = {NO_LINE, 0, 0};
    size_t at;
    int storable = 0, keyed, error;

    if (dir != h->dir) { /* the same corpus asks 10 000 times */
        h->dir = dir;
        h->dir_len = strlen(dir);
    }
    at = find_line(h, dir, h->dir_len, st->file);
    if ((keyed = stat_key(&k, h, c, st, &storable)) >= 0 && at != NO_LINE &&
        same_key(&h->lines[at], &k)) {
        memcpy(hex, h->lines[at].hex, GIT_OID_HEXSZ);
        hex[GIT_OID_HEXSZ] = '\0';
        cur.old = at;
    } else if (!read && (error = commitmsg_raw_hex(hex, c, st)) < 0) {
        return error;
    } else if (storable && ((read && keyed) || !(path = full_path(h, dir, st->file)) ||
                            strchr(path, '\n') ||
                            new_line(h, &cur, &k, read ? read : hex, path) < 0)) {
        storable = 0; /* (a stat taken after @p read's bytes were read keys no bytes) */
    }
    if (storable)
        remember(h, &cur);
    if (read)
        memcpy(hex, read, GIT_OID_HEXSZ + 1);
    return 0;
}

/*
 * The blob id and path of the line at text[*at] without reading its
 * numbers (rawhash_maybe_same needs no stat key), its sum checked; *at
 * moves to the next line.  0, or -1 when it is not a whole line.
 */
static int quick_line(const rawhash *h, size_t *at, const char **hex, const char **path,
                      size_t *path_len)
{
    const char *s = h->text + *at, *end = h->text + h->text_len, *nl, *p;

    if (*at >= h->text_len || !(nl = memchr(s, '\n', (size_t)(end - s))) ||
        nl - s < CACHESUM_HEX + 1 + GIT_OID_HEXSZ + 1 || s[CACHESUM_HEX] != ' ' ||
        !cachesum_matches(s, cachesum(s + CACHESUM_HEX + 1, (size_t)(nl - s) - CACHESUM_HEX - 1)))
        return -1;
    p = s + CACHESUM_HEX + 1 + GIT_OID_HEXSZ + 1;
    for (int k = 0; k < 4; k++) /* size, mtime, ctime, inode: digits, then ' ' */
        if (!(p = memchr(p, ' ', (size_t)(nl - p))) || ++p >= nl)
            return -1;
    *hex = s + CACHESUM_HEX + 1;
    *path = p;
    *path_len = (size_t)(nl - p);
    *at = (size_t)(nl - h->text) + 1;
    return 0;
}

int rawhash_maybe_same(unsigned char **out, const char *repo_path,
                       const posdiff_corpus *c, const char hex[GIT_OID_HEXSZ + 1])
{
    const char *dir = posdiff_corpus_dir(c), *lhex, *lpath;
    size_t n = posdiff_corpus_count(c), dlen = strlen(dir), at, lplen;
    unsigned char *may = NULL;
    rawhash *h = NULL;
    int error;

    *out = NULL;
    if ((error = rawhash_open(&h, repo_path)) < 0)
        return error;
    if (h->text && !(may = malloc(n ? n : 1)))
        error = error_oom();
    at = h->scanned;
    for (size_t i = 0; may && i < n; i++) {
        const char *file = posdiff_corpus_statement(c, i)->file;
        size_t flen = strlen(file), next = at, k;
        /* the line after the last one used, as rawhash_get; else the index */
        if (quick_line(h, &next, &lhex, &lpath, &lplen) == 0 && lplen == dlen + 1 + flen &&
            !memcmp(lpath, dir, dlen) && lpath[dlen] == '/' &&
            !memcmp(lpath + dlen + 1, file, flen)) {
            at = next;
        } else if ((k = find_line(h, dir, dlen, file)) != NO_LINE) {
            lhex = h->lines[k].hex;
            at = (size_t)(h->lines[k].line - h->text) + h->lines[k].len;
        } else {
            lhex = NULL;
        }
        may[i] = !lhex || !memcmp(lhex, hex, GIT_OID_HEXSZ);
    }
    rawhash_free(h);
    *out = may;
    return error;
}

/* Append the new lines (cur[from..], all new: the tail of fresh) to the
 * cache file; -1 on failure. */
static int append_new(const rawhash *h, size_t from)
{
    const char *p = h->fresh.ptr + h->cur[from].at;
    size_t n = h->fresh.len - h->cur[from].at;
    int fd, ok;

    if ((fd = open(h->file, O_WRONLY | O_APPEND | O_CLOEXEC)) < 0)
        return -1;
    ok = write(fd, p, n) == (ssize_t)n && fsync(fd) == 0;
    if (close(fd) < 0)
        ok = 0;
    return ok ? 0 : -1;
}

/* How many cur entries are the old lines in order (0 .. n - 1). */
static size_t old_prefix(const rawhash *h)
{
    size_t n = 0;

    while (n < h->ncur && h->cur[n].old == n)
        n++;
    return n;
}

/* 1 if cur[from..] are all new lines. */
static int all_new(const rawhash *h, size_t from)
{
    for (size_t i = from; i < h->ncur; i++)
        if (h->cur[i].old != NO_LINE)
            return 0;
    return 1;
}

void rawhash_save(rawhash *h)
{
    buf b = BUF_INIT;
    size_t kept;

    if (!h)
        return;
    while (scan_one(h) == 0) /* are there old lines this build did not use? */
        ;
    kept = old_prefix(h);
    if (h->text && !h->bad && kept == h->nlines && all_new(h, kept)) {
        /* every old line used, in order; then the new ones, if any */
        if (kept == h->ncur || append_new(h, kept) == 0)
            return;
    } else if (!h->text && h->ncur == 0) {
        return; /* no cache, nothing to keep */
    } else if (all_new(h, 0) && h->ncur) {
        /* every line new (a first build): fresh is the cache */
        write_file_atomic(h->file, h->fresh.ptr, h->fresh.len, 1);
        posdiff_error_clear();
        return;
    }
    buf_puts(&b, CACHE_MAGIC);
    for (size_t i = 0; i < h->ncur; i++) {
        const rh_cur *c = &h->cur[i];
        if (c->old != NO_LINE)
            buf_put(&b, h->lines[c->old].line, h->lines[c->old].len);
        else
            buf_put(&b, h->fresh.ptr + c->at, c->len);
    }
    if (buf_ok(&b) == 0)
        write_file_atomic(h->file, b.ptr, b.len, 1);
    posdiff_error_clear(); /* the cache is optional */
    buf_free(&b);
}

void rawhash_free(rawhash *h)
{
    if (!h)
        return;
    buf_free(&h->fresh);
    free(h->cur);
    free(h->lines);
    hashmap_free(&h->index);
    unmap_file(h->text, h->text_len);
    buf_free(&h->path);
    free(h->file);
    free(h);
}
