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
#include "corpus_int.h"
#include "errors.h"
#include "fileio.h"
#include "strhash.h"

#define CACHE_NAME "posdiff-rawhash"
#define CACHE_MAGIC "posdiff-rawhash 1\n"
#define CACHE_MAX ((size_t)1 << 30)
#define RACY_NS (2ull * 1000000000ull) /* at least 2 s old to be stored */

typedef struct {
    const char *path;       /* in the loaded text, or = own */
    char *own;              /* malloc'ed path, or NULL */
    unsigned long long size, mtime, ctime, ino;
    char hex[GIT_OID_HEXSZ + 1];
} rh_entry;

struct rawhash {
    char *file;             /* the cache file */
    char *text;             /* its bytes; old entries' paths point here */
    rh_entry *old;          /* loaded, in file order (the last build's order) */
    size_t nold;
    size_t next;            /* old entry expected next (see find_old) */
    size_t *slot;           /* hash index of old by path, built on a miss */
    size_t slots;           /* a power of two, or 0 */
    rh_entry *cur;          /* this build's files, to save */
    size_t ncur, cap;
    buf path;               /* scratch: the path being looked up */
    int changed;            /* cur differs from old */
};

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
    e->path = s;
    return *s ? 0 : -1;
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
    return 0;
}

static void entries_free(rh_entry *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i].own);
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
    h->text = data;
    *out = h;
    return 0;
}

/* Is a file of this key old enough, at clock @p now_ns, to be stored? */
static int key_storable(const rh_entry *e, unsigned long long now_ns)
{
    return e->mtime + RACY_NS < now_ns && e->ctime + RACY_NS < now_ns &&
           !strchr(e->path, '\n');
}

/*
 * Stat key of st's raw file, and whether it is old enough to be stored:
 * the stat posdiff_corpus_open took (with the clock read before it), so
 * a build stats each raw file once; a stat now when the corpus lacks it.
 */
static int stat_key(rh_entry *e, const posdiff_corpus *c,
                    const posdiff_statement *st, int *storable)
{
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
    if (stat(e->path, &sb) < 0 || !S_ISREG(sb.st_mode) || sb.st_mtim.tv_sec < 0)
        return -1;
    e->size = (unsigned long long)sb.st_size;
    e->mtime = (unsigned long long)sb.st_mtim.tv_sec * 1000000000ull +
               (unsigned long long)sb.st_mtim.tv_nsec;
    e->ctime = (unsigned long long)sb.st_ctim.tv_sec * 1000000000ull +
               (unsigned long long)sb.st_ctim.tv_nsec;
    e->ino = (unsigned long long)sb.st_ino;
    *storable = key_storable(e, (unsigned long long)now.tv_sec * 1000000000ull +
                                    (unsigned long long)now.tv_nsec);
    return 0;
}

/* Index the old entries by path (open addressing, load <= 1/2). */
static int index_build(rawhash *h)
{
    size_t cap = 64;

    while (cap < 2 * h->nold)
        cap *= 2;
    if (!(h->slot = calloc(cap, sizeof(*h->slot))))
        return -1;
    h->slots = cap;
    for (size_t k = 0; k < h->nold; k++) {
        size_t i = strhash(h->old[k].path) & (cap - 1);
        while (h->slot[i])
            i = (i + 1) & (cap - 1);
        h->slot[i] = k + 1;
    }
    return 0;
}

/* The old entry of @p path: the one after the last found (a build asks
 * in the order the last one saved them), else through the index. */
static const rh_entry *find_path(rawhash *h, const char *path)
{
    size_t i;

    if (h->next < h->nold && !strcmp(h->old[h->next].path, path))
        return &h->old[h->next++];
    if (!h->nold || (!h->slots && index_build(h) < 0))
        return NULL;
    for (i = strhash(path) & (h->slots - 1); h->slot[i]; i = (i + 1) & (h->slots - 1))
        if (!strcmp(h->old[h->slot[i] - 1].path, path)) {
            h->next = h->slot[i];
            return &h->old[h->slot[i] - 1];
        }
    return NULL;
}

static const rh_entry *find_old(rawhash *h, const rh_entry *key)
{
    const rh_entry *e = find_path(h, key->path);

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
            free(k->own);
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
    int storable = 0, error;

    buf_clear(&h->path);
    buf_puts(&h->path, posdiff_corpus_dir(c));
    buf_putc(&h->path, '/');
    buf_puts(&h->path, st->file);
    if ((error = buf_ok(&h->path)) < 0)
        return error;
    k.path = h->path.ptr;
    if (stat_key(&k, c, st, &storable) == 0 && (e = find_old(h, &k))) {
        memcpy(k.hex, e->hex, sizeof(k.hex));
        k.path = e->path; /* lives as long as h */
    } else if ((error = hash_file(&k, c, st)) < 0) {
        storable = 0;
    } else {
        h->changed |= storable; /* a new entry to save */
    }
    if (error == 0)
        memcpy(hex, k.hex, sizeof(k.hex));
    if (storable && k.path == h->path.ptr && !(k.path = k.own = strdup(h->path.ptr)))
        storable = 0;
    if (storable)
        remember(h, &k);
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
    free(h->slot);
    free(h->text);
    buf_free(&h->path);
    free(h->file);
    free(h);
}
