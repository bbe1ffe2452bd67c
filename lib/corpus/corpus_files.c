/*
 * corpus_files.c - the raw files of a corpus's entries: inside the
 * corpus (through symlinks too) and regular files, with their stats.
 *
 * realpath() costs a readlink per component, so a plain path is checked
 * with one lstat() instead (resolves_in_place) and realpath() only
 * decides the others.  On a large corpus the stats are most of the time
 * of an open, so they are taken by several threads (see stat_all).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "util/buf.h"
#include "corpus_int.h"
#include "util/errors.h"

/* Are the directories of path[0..end) from path[from] on real ones (no symlink)? */
static int dirs_plain(char *path, size_t from, size_t end)
{
    struct stat sb;

    for (size_t i = from; i <= end; i++) {
        int ok;
        if (path[i] != '/')
            continue;
        path[i] = '\0';
        ok = lstat(path, &sb) == 0 && S_ISDIR(sb.st_mode);
        path[i] = '/';
        if (!ok)
            return 0;
    }
    return 1;
}

/* The directory last checked by resolves_in_place, kept open. */
typedef struct {
    buf name;   /* relative to the corpus; "" = the corpus itself */
    int fd;     /* open on <real_dir>/<name>, or -1 */
} dir_cache;

#define DIR_CACHE_INIT {BUF_INIT, -1}

static void dir_cache_free(dir_cache *d)
{
    if (d->fd >= 0)
        close(d->fd);
    d->fd = -1;
    buf_free(&d->name);
}

/* Open <real_dir>/<file[0..dirlen)> into @p d once its directories are
 * checked plain; 0 when they are not (or on any failure). */
static int dir_cache_enter(dir_cache *d, const posdiff_corpus *c, const char *file,
                           size_t dirlen)
{
    size_t base = c->real_dir_len + 1;
    buf full = BUF_INIT;
    int ok;

    if (d->fd >= 0 && d->name.len == dirlen && (!dirlen || !memcmp(d->name.ptr, file, dirlen)))
        return 1;
    dir_cache_free(d);
    buf_printf(&full, "%s/", c->real_dir);
    buf_put(&full, file, dirlen);
    if (dirlen)
        buf_putc(&full, '/');
    ok = buf_ok(&full) == 0 && full.len < PATH_MAX - 1 &&
         (!dirlen || dirs_plain(full.ptr, base, base + dirlen));
    if (ok) {
        full.ptr[full.len - 1] = '\0';
        d->fd = open(full.ptr, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        buf_put(&d->name, file, dirlen);
        buf_putc(&d->name, '\0');
        d->name.len = dirlen;
        ok = d->fd >= 0 && buf_ok(&d->name) == 0;
        if (!ok)
            dir_cache_free(d);
    }
    buf_free(&full);
    return ok;
}

/*
 * The answer realpath() would give, cheaply: @p file (relative, no ".."
 * component) resolves to <real_dir>/<file> when it has no empty or "."
 * component and neither it nor a directory on its way is a symlink.  So
 * one lstat() per file does, each directory being checked once and then
 * kept open in @p d (the files of one directory follow one another in a
 * manifest), so that lstat() is an fstatat() of the base name, without
 * walking the whole path again.  1 with *sb filled when that holds; 0
 * when realpath() must decide (also when lstat fails, so every error
 * still comes from the realpath() road).
 */
/*
 * Is @p file a plain relative path: no empty, "." or ".." component (so
 * no "//", no leading or trailing '/')?  One pass; *len gets its length
 * and *slash its last '/' (or NULL).  (".." never gets here: the path
 * syntax check refuses it first; a refused path only takes realpath's
 * road.)
 */
static int path_plain(const char *file, size_t *len, const char **slash)
{
    size_t start = 0, i = 0;

    *slash = NULL;
    for (;; i++) {
        if (file[i] != '/' && file[i] != '\0')
            continue;
        if (i == start || (i - start == 1 && file[start] == '.') ||
            (i - start == 2 && file[start] == '.' && file[start + 1] == '.'))
            return 0;
        if (!file[i])
            break;
        *slash = file + i;
        start = i + 1;
    }
    *len = i;
    return 1;
}

static int resolves_in_place(const posdiff_corpus *c, const char *file,
                             dir_cache *d, struct stat *sb)
{
    const char *slash;
    size_t dirlen, len;

    if (!path_plain(file, &len, &slash) || c->real_dir_len < 2 ||
        c->real_dir_len + 1 + len >= PATH_MAX - 1)
        return 0;
    dirlen = slash ? (size_t)(slash - file) : 0;
    if (!dir_cache_enter(d, c, file, dirlen))
        return 0;
    return fstatat(d->fd, slash ? slash + 1 : file, sb, AT_SYMLINK_NOFOLLOW) == 0 &&
           !S_ISLNK(sb->st_mode);
}

/* realpath() decides: 0 with *sb (stat of the target, st_mode 0 if that
 * failed) when @p file resolves inside the corpus. */
static int resolve_slowly(const posdiff_corpus *c, const char *id, const char *file,
                          struct stat *sb)
{
    char real[PATH_MAX], msg[PATH_MAX + 256];
    size_t n = strlen(c->real_dir);
    buf full = BUF_INIT;
    int error = 0;

    buf_printf(&full, "%s/%s", c->dir, file);
    if ((error = buf_ok(&full)) < 0)
        return error;
    if (!realpath(full.ptr, real)) {
        snprintf(msg, sizeof(msg), "file %s is missing; restore it or remove the entry", file);
        error = error_set(POSDIFF_ENOTFOUND, "%s: statement \"%s\": %s", c->conf_path, id, msg);
    } else if (strncmp(real, c->real_dir, n) || real[n] != '/') {
        error = corpus_entry_error(c, id, "file resolves (through a symlink) outside the corpus; copy the file into statements/ instead");
    } else if (stat(real, sb) < 0) {
        sb->st_mode = 0;
    }
    buf_free(&full);
    return error;
}

static unsigned long long ns_of(const struct timespec *t)
{
    return (unsigned long long)t->tv_sec * 1000000000ull + (unsigned long long)t->tv_nsec;
}

static corpus_stat stat_of(const struct stat *sb)
{
    return (corpus_stat){(unsigned long long)sb->st_size, ns_of(&sb->st_mtim),
                         ns_of(&sb->st_ctim), (unsigned long long)sb->st_ino,
                         sb->st_mtim.tv_sec >= 0 && sb->st_ctim.tv_sec >= 0, 1};
}

/* The file of an entry whose path syntax is checked: inside the corpus
 * (through symlinks too) and a regular file; *out gets its stat. */
static int check_file(const posdiff_corpus *c, const char *id, const char *file,
                      dir_cache *d, corpus_stat *out)
{
    char msg[PATH_MAX + 256];
    struct stat sb;
    int error = 0;

    if (!resolves_in_place(c, file, d, &sb))
        error = resolve_slowly(c, id, file, &sb);
    if (error == 0 && !S_ISREG(sb.st_mode)) {
        snprintf(msg, sizeof(msg), "%s is not a regular file; point 'file' at the statement's text file", file);
        error = corpus_entry_error(c, id, msg);
    }
    if (error == 0)
        *out = stat_of(&sb);
    return error;
}

/*
 * The stats of the raw files, taken by up to STAT_THREADS threads (the
 * main one included), as git's preload-index does: at 10 000 statements
 * the stats are most of the time of opening a corpus (1.1-1.6 us each
 * on the benchmark machine, mostly the kernel's path walk), and they are
 * independent.  The threads take chunks of STAT_CHUNK entries in turn
 * (an atomic counter), so a thread the scheduler delays leaves its share
 * to the others and the whole never takes longer than one thread would.
 * A thread takes only the quick road (resolves_in_place and a regular
 * file) and sets no error; an entry it could not settle is marked and
 * decided after the join, in manifest order, by check_file on the
 * calling thread, so the first failing entry and its message are what a
 * loop in order gives.
 */
#define STAT_THREADS 8
#define STAT_PER_THREAD 1000 /* fewer entries than this: not worth a thread */
#define STAT_CHUNK 256       /* entries a thread takes at a time */

typedef struct {
    const posdiff_corpus *c;
    size_t n;             /* entries [0, n) */
    atomic_size_t next;   /* the first entry no thread has taken */
    unsigned char *slow;  /* 1: check_file decides */
} stat_work;

static void *stat_run(void *arg)
{
    stat_work *w = arg;
    dir_cache d = DIR_CACHE_INIT; /* see resolves_in_place */
    struct stat sb;
    size_t from;

    while ((from = atomic_fetch_add(&w->next, STAT_CHUNK)) < w->n) {
        size_t to = w->n - from < STAT_CHUNK ? w->n : from + STAT_CHUNK;
        for (size_t i = from; i < to; i++) {
            if (resolves_in_place(w->c, w->c->st[i].file, &d, &sb) && S_ISREG(sb.st_mode))
                w->c->stats[i] = stat_of(&sb);
            else
                w->slow[i] = 1;
        }
    }
    dir_cache_free(&d);
    return NULL;
}

static size_t stat_threads(size_t n)
{
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    size_t t = n / STAT_PER_THREAD;

    if (cpus > 0 && t > (size_t)cpus)
        t = (size_t)cpus;
    return t < 1 ? 1 : t > STAT_THREADS ? STAT_THREADS : t;
}

/* Stat entries [0, n) into c->stats; entries left to check_file get
 * slow[i] = 1.  The calling thread works too, so threads that cannot
 * start only leave it more to do. */
static void stat_all(posdiff_corpus *c, size_t n, unsigned char *slow)
{
    pthread_t th[STAT_THREADS];
    int started[STAT_THREADS] = {0};
    size_t t = stat_threads(n);
    stat_work w;

    w.c = c;
    w.n = n;
    w.slow = slow;
    atomic_init(&w.next, 0);
    for (size_t k = 1; k < t; k++)
        started[k] = pthread_create(&th[k], NULL, stat_run, &w) == 0;
    stat_run(&w);
    for (size_t k = 1; k < t; k++)
        if (started[k])
            pthread_join(th[k], NULL);
}

/* The files of entries [0, n) (all else about them checked): stat them,
 * and the first that fails check_file, in order, is the error. */
static int check_files(posdiff_corpus *c, size_t n)
{
    dir_cache d = DIR_CACHE_INIT;
    unsigned char *slow = calloc(n ? n : 1, 1);
    int error = 0;

    if (!slow)
        return error_oom();
    stat_all(c, n, slow);
    for (size_t i = 0; i < n && error == 0; i++)
        if (slow[i])
            error = check_file(c, c->st[i].id, c->st[i].file, &d, &c->stats[i]);
    dir_cache_free(&d);
    free(slow);
    return error;
}

int corpus_stat_entries(posdiff_corpus *c, size_t n)
{
    struct timespec now;

    clock_gettime(CLOCK_REALTIME, &now); /* before any stat: rawhash.c */
    c->stat_clock = ns_of(&now);
    return c->flags & POSDIFF_CORPUS_OPEN_NO_STAT ? 0 : check_files(c, n);
}

int corpus_file_checked(const posdiff_corpus *c, const posdiff_statement *st,
                        uintmax_t *size)
{
    dir_cache d = DIR_CACHE_INIT;
    size_t i = st->manifest_index;
    int error;

    if (i >= c->entries)
        return -1;
    if (!c->stats[i].taken) {
        error = check_file(c, st->id, st->file, &d, &c->stats[i]);
        dir_cache_free(&d);
        if (error < 0) {
            posdiff_error_clear();
            return -1;
        }
    }
    *size = (uintmax_t)c->stats[i].size;
    return 0;
}

int corpus_file_stat(const posdiff_corpus *c, const posdiff_statement *st,
                     corpus_stat *out, unsigned long long *clock_ns)
{
    if (st->manifest_index >= c->entries || !c->stats[st->manifest_index].known)
        return -1;
    *out = c->stats[st->manifest_index];
    *clock_ns = c->stat_clock;
    return 0;
}

