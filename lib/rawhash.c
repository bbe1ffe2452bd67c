/*
 * rawhash.c - cache of the raw files' blob ids (rawhash.h).
 *
 * Every build hashes each statement's inputs (history.c step 2), and
 * the raw bytes are most of them: at N = 10 000 a build read and hashed
 * every raw file (134 MB) even to append one statement.  The blob id of
 * a raw file is now kept in <repo>/posdiff-rawhash (beside the tracker
 * cache <repo>/posdiff-tracker of resume.c; outside the object store,
 * written atomically, never needed: delete it and the next build
 * re-hashes everything), one line per file:
 *
 *   posdiff-rawhash 1
 *   <blob id hex> <size> <mtime ns> <ctime ns> <inode> <path>
 *
 * An entry is used only when the file's stat still gives the same size,
 * mtime, ctime and inode (any write changes mtime and ctime; a rename
 * over it changes the inode; touch -d can set mtime back but not ctime).
 * What could fool it is a write within the timestamp granularity of the
 * moment the file was hashed (Linux stamps files from a coarse clock; a
 * FAT volume counts 2 s), so, as git does for its index ("racy git"),
 * an entry is stored only when the file's mtime and ctime are more than
 * RACY_NS before the moment its stat was taken; younger files are hashed
 * again at every build until they age.  The stat is taken before the
 * read: a write between the two leaves a key that the next stat no
 * longer matches, never a new key with old bytes.  Errors reading the
 * cache make it empty; errors writing it are ignored.
 */
#include "rawhash.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "buf.h"
#include "commitmsg.h"
#include "errors.h"
#include "fileio.h"

#define CACHE_NAME "posdiff-rawhash"
#define CACHE_MAGIC "posdiff-rawhash 1\n"
#define CACHE_MAX ((size_t)1 << 30)
#define RACY_NS (2ull * 1000000000ull) /* at least 2 s old to be stored */

typedef struct {
    char *path;
    unsigned long long size, mtime, ctime, ino;
    char hex[GIT_OID_HEXSZ + 1];
} rh_entry;

struct rawhash {
    char *file;             /* the cache file */
    rh_entry *old;          /* loaded, sorted by path */
    size_t nold;
    rh_entry *cur;          /* this build's files, to save */
    size_t ncur, cap;
    int changed;            /* cur differs from old */
};

static int cmp_entry(const void *a, const void *b)
{
    return strcmp(((const rh_entry *)a)->path, ((const rh_entry *)b)->path);
}

/* Parse "<hex> <size> <mtime> <ctime> <ino> <path>" (s NUL-terminated). */
static int parse_line(rh_entry *e, const char *s)
{
    unsigned long long *f[4] = {&e->size, &e->mtime, &e->ctime, &e->ino};
    char *end;

    if (strlen(s) < GIT_OID_HEXSZ + 1 || s[GIT_OID_HEXSZ] != ' ' ||
        strspn(s, "0123456789abcdef") != GIT_OID_HEXSZ)
        return -1;
    memcpy(e->hex, s, GIT_OID_HEXSZ);
    e->hex[GIT_OID_HEXSZ] = '\0';
    s += GIT_OID_HEXSZ + 1;
    for (int k = 0; k < 4; k++) {
        if (*s < '0' || *s > '9')
            return -1;
        *f[k] = strtoull(s, &end, 10);
        if (*end != ' ')
            return -1;
        s = end + 1;
    }
    return *s && (e->path = strdup(s)) ? 0 : -1;
}

/* Entries of the cache text (lines after the magic); -1 if malformed. */
static int parse_all(rawhash *h, char *data)
{
    size_t n = 0;
    char *line = data, *nl;

    for (char *p = data; *p; p++)
        n += *p == '\n';
    if (!(h->old = calloc(n ? n : 1, sizeof(*h->old))))
        return -1;
    for (; *line; line = nl + 1) {
        if (!(nl = strchr(line, '\n')))
            return -1;
        *nl = '\0';
        if (parse_line(&h->old[h->nold], line) < 0)
            return -1;
        h->nold++;
    }
    qsort(h->old, h->nold, sizeof(*h->old), cmp_entry);
    return 0;
}

static void entries_free(rh_entry *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i].path);
    free(v);
}

int rawhash_open(rawhash **out, const char *repo_path)
{
    rawhash *h = calloc(1, sizeof(*h));
    buf p = BUF_INIT;
    char *data = NULL;
    size_t len = 0, m = sizeof(CACHE_MAGIC) - 1;

    *out = NULL;
    buf_printf(&p, "%s/%s", repo_path, CACHE_NAME);
    if (!h || buf_ok(&p) < 0) {
        free(h);
        buf_free(&p);
        return error_oom();
    }
    h->file = buf_detach(&p, NULL);
    if (read_file_limited(&data, &len, h->file, CACHE_MAX) == 0 &&
        (len < m || memcmp(data, CACHE_MAGIC, m) != 0 ||
         strlen(data) != len || parse_all(h, data + m) < 0)) {
        entries_free(h->old, h->nold); /* unusable: start empty */
        h->old = NULL;
        h->nold = 0;
    }
    posdiff_error_clear(); /* a missing cache is no error */
    free(data);
    *out = h;
    return 0;
}

/* Stat key of @p path, and whether it is old enough to be stored. */
static int stat_key(rh_entry *e, const char *path, int *storable)
{
    struct timespec now;
    struct stat sb;
    unsigned long long t;

    clock_gettime(CLOCK_REALTIME, &now);
    if (stat(path, &sb) < 0 || !S_ISREG(sb.st_mode))
        return -1;
    e->size = (unsigned long long)sb.st_size;
    e->mtime = (unsigned long long)sb.st_mtim.tv_sec * 1000000000ull +
               (unsigned long long)sb.st_mtim.tv_nsec;
    e->ctime = (unsigned long long)sb.st_ctim.tv_sec * 1000000000ull +
               (unsigned long long)sb.st_ctim.tv_nsec;
    e->ino = (unsigned long long)sb.st_ino;
    t = (unsigned long long)now.tv_sec * 1000000000ull +
        (unsigned long long)now.tv_nsec;
    *storable = e->mtime + RACY_NS < t && e->ctime + RACY_NS < t &&
                !strchr(path, '\n') && sb.st_mtim.tv_sec >= 0;
    return 0;
}

static const rh_entry *find_old(const rawhash *h, const rh_entry *key)
{
    const rh_entry *e = h->nold ? bsearch(key, h->old, h->nold,
                                          sizeof(*h->old), cmp_entry)
                                : NULL;

    if (e && e->size == key->size && e->mtime == key->mtime &&
        e->ctime == key->ctime && e->ino == key->ino)
        return e;
    return NULL;
}

/* Read and hash st's raw file into k->hex. */
static int hash_file(rh_entry *k, const posdiff_corpus *c,
                     const posdiff_statement *st)
{
    return commitmsg_raw_hex(k->hex, c, st);
}

/* Keep k (path owned by k) for the saved cache; on OOM just forget it. */
static void remember(rawhash *h, rh_entry *k)
{
    if (h->ncur == h->cap) {
        size_t cap = h->cap ? h->cap * 2 : 64;
        rh_entry *v = realloc(h->cur, cap * sizeof(*v));
        if (!v) {
            free(k->path);
            return;
        }
        h->cur = v;
        h->cap = cap;
    }
    h->cur[h->ncur++] = *k;
}

int rawhash_get(rawhash *h, char hex[GIT_OID_HEXSZ + 1],
                const posdiff_corpus *c, const posdiff_statement *st)
{
    rh_entry k = {0};
    const rh_entry *e;
    buf p = BUF_INIT;
    int storable = 0, error;

    buf_printf(&p, "%s/%s", posdiff_corpus_dir(c), st->file);
    if ((error = buf_ok(&p)) < 0)
        return error;
    k.path = buf_detach(&p, NULL);
    if (stat_key(&k, k.path, &storable) == 0 && (e = find_old(h, &k)))
        memcpy(k.hex, e->hex, sizeof(k.hex));
    else if ((error = hash_file(&k, c, st)) < 0)
        storable = 0;
    else
        h->changed |= storable; /* a new entry to save */
    if (error == 0)
        memcpy(hex, k.hex, sizeof(k.hex));
    if (storable)
        remember(h, &k);
    else
        free(k.path);
    return error;
}

void rawhash_save(rawhash *h)
{
    buf b = BUF_INIT;

    if (!h || (!h->changed && h->ncur == h->nold))
        return;
    buf_puts(&b, CACHE_MAGIC);
    for (size_t i = 0; i < h->ncur; i++) {
        const rh_entry *e = &h->cur[i];
        buf_printf(&b, "%s %llu %llu %llu %llu %s\n", e->hex, e->size,
                   e->mtime, e->ctime, e->ino, e->path);
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
    entries_free(h->old, h->nold);
    entries_free(h->cur, h->ncur);
    free(h->file);
    free(h);
}
