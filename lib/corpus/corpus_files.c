/*
 * corpus_files.c - the raw files of a corpus's entries: inside the
 * corpus, reached through no symlink, and regular files, with their
 * stats; and their opening for a read, which checks all that again on
 * what it opens (corpus_open_raw), as a link may be swapped in since.
 *
 * realpath() costs a readlink per component, so a plain path is checked
 * with one fstatat() in its directory, kept open from the previous
 * file (resolves_in_place), and realpath() decides only the others.
 *
 * Test-only hook: POSDIFF_TEST_PAUSE_BEFORE_READ=FILE makes the first
 * raw read of the process create FILE and wait (up to a minute) until
 * it is removed, so a test can change the corpus between the checks of
 * the open and the read.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "corpus_int.h"
#include "util/buf.h"
#include "util/errors.h"

#define PAUSE_ENV "POSDIFF_TEST_PAUSE_BEFORE_READ"

static void test_pause(void)
{
    static atomic_flag paused = ATOMIC_FLAG_INIT; /* once per process */
    const char *flag = getenv(PAUSE_ENV);
    int fd;

    if (!flag || atomic_flag_test_and_set(&paused) ||
        (fd = open(flag, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600)) < 0)
        return;
    close(fd);
    for (int i = 0; i < 6000 && access(flag, F_OK) == 0; i++)
        nanosleep(&(struct timespec){0, 10000000}, NULL);
}

int corpus_entry_error(const posdiff_corpus *c, const char *id, const char *what)
{
    return error_set(POSDIFF_EINVALID, "%s: statement \"%s\": %s", c->conf_path, id, what);
}

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
    char name[PATH_MAX]; /* relative to the corpus; "" = the corpus itself */
    size_t len;          /* of name */
    int fd;              /* open on <real_dir>/<name>, or -1 */
} dir_cache;

#define DIR_CACHE_INIT {{0}, 0, -1}

static void dir_cache_free(dir_cache *d)
{
    if (d->fd >= 0)
        close(d->fd);
    d->fd = -1;
}

/* Open <real_dir>/<file[0..dirlen)> into @p d once its directories are
 * checked plain; 0 when they are not (or on any failure). */
static int dir_cache_enter(dir_cache *d, const posdiff_corpus *c, const char *file,
                           size_t dirlen)
{
    char full[PATH_MAX];
    int n;

    if (d->fd >= 0 && d->len == dirlen && !memcmp(d->name, file, dirlen))
        return 1;
    dir_cache_free(d);
    n = snprintf(full, sizeof(full), "%s/%.*s/", c->real_dir, (int)dirlen, file);
    if (n < 0 || n >= PATH_MAX ||
        (dirlen && !dirs_plain(full, c->real_dir_len + 1, (size_t)n - 1)))
        return 0;
    full[n - 1] = '\0';
    if ((d->fd = open(full, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
        return 0;
    memcpy(d->name, file, dirlen);
    d->len = dirlen;
    return 1;
}

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

/*
 * The answer realpath() would give, cheaply: @p file resolves to
 * <real_dir>/<file> when it is plain and neither it nor a directory on
 * its way is a symlink; each directory is checked once and kept open in
 * @p d (the files of one directory follow one another in a manifest).
 * 1 with *sb filled when that holds; 0 when realpath() must decide
 * (also when the stat fails, so every error comes from that road).
 */
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

#define THROUGH_LINK "is a symlink or in a symlinked folder, which posdiff does not follow (it could be made to lead outside the corpus); copy the file into statements/ instead"

static int missing(const posdiff_corpus *c, const char *id, const char *file)
{
    return error_set(POSDIFF_ENOTFOUND, "%s: statement \"%s\": file %s is missing; restore it or remove the entry",
                     c->conf_path, id, file);
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
        error = missing(c, id, file);
    } else if (strncmp(real, c->real_dir, n) || real[n] != '/') {
        error = corpus_entry_error(c, id, "file resolves (through a symlink) outside the corpus; copy the file into statements/ instead");
    } else if (strcmp(real + n + 1, file)) { /* a link inside: refused all the same */
        snprintf(msg, sizeof(msg), "%s " THROUGH_LINK, file);
        error = corpus_entry_error(c, id, msg);
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

/* The file of an entry whose path syntax is checked: inside the corpus,
 * through no symlink, and a regular file; *out gets its stat. */
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

/* The files of entries [0, n) (all else about them checked): the first
 * that fails check_file, in order, is the error. */
static int check_files(posdiff_corpus *c, size_t n)
{
    dir_cache d = DIR_CACHE_INIT;
    int error = 0;

    for (size_t i = 0; i < n && error == 0; i++)
        error = check_file(c, c->st[i].id, c->st[i].file, &d, &c->stats[i]);
    dir_cache_free(&d);
    return error;
}

int posdiff_corpus_check_raw(const posdiff_corpus *c, const posdiff_statement *st)
{
    dir_cache d = DIR_CACHE_INIT;
    corpus_stat cs;
    int error = check_file(c, st->id, st->file, &d, &cs);

    dir_cache_free(&d);
    return error;
}

int corpus_stat_entries(posdiff_corpus *c, size_t n)
{
    struct timespec now;

    clock_gettime(CLOCK_REALTIME, &now); /* before any stat: rawhash.c */
    c->stat_clock = ns_of(&now);
    return c->flags & POSDIFF_CORPUS_OPEN_NO_STAT ? 0 : check_files(c, n);
}

void corpus_stat_rest(const posdiff_corpus *c)
{
    dir_cache d = DIR_CACHE_INIT;

    for (size_t i = 0; i < c->count; i++) {
        const posdiff_statement *st = &c->st[i];
        corpus_stat *cs = &c->stats[st->manifest_index];
        if (!cs->taken && check_file(c, st->id, st->file, &d, cs) < 0)
            posdiff_error_clear();
    }
    dir_cache_free(&d);
}

/* The error of opening @p name in @p dfd (errno @p err) for @p st. */
static int open_error(const posdiff_corpus *c, const posdiff_statement *st, int dfd,
                      const char *name, int err)
{
    char msg[PATH_MAX + 256];
    struct stat sb;

    if (fstatat(dfd, name, &sb, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(sb.st_mode)) {
        snprintf(msg, sizeof(msg), "%s " THROUGH_LINK, st->file);
        return corpus_entry_error(c, st->id, msg);
    }
    if (err == ENOENT)
        return missing(c, st->id, st->file);
    errno = err;
    return error_io("%s/%s: cannot read", c->dir, st->file);
}

int corpus_open_raw(int *fd, const posdiff_corpus *c, const posdiff_statement *st)
{
    const char *p = st->file, *slash;
    char name[NAME_MAX + 1];
    int dfd, next, error;

    test_pause();
    if ((dfd = open(c->real_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
        return error_io("%s: cannot open the corpus directory", c->real_dir);
    for (;; p = slash + 1) {
        size_t n = (slash = strchr(p, '/')) ? (size_t)(slash - p) : strlen(p);
        if (n == 0 || n > NAME_MAX || p[0] == '.') { /* refused on open already */
            close(dfd);
            return corpus_entry_error(c, st->id, "file path is not plain; give statements/<id>.txt");
        }
        memcpy(name, p, n);
        name[n] = '\0';
        next = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC |
                                     (slash ? O_DIRECTORY : O_NONBLOCK));
        if (next < 0)
            break;
        close(dfd);
        dfd = next;
        if (!slash) {
            *fd = dfd;
            return 0;
        }
    }
    error = open_error(c, st, dfd, name, errno);
    close(dfd);
    return error;
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

