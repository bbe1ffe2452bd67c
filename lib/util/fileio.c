/*
 * fileio.c - whole-file reads and atomic writes.
 *
 * An atomic write creates "<path>.tmp.<pid>" with O_EXCL, writes and
 * fsyncs it, then renames it into place (link() when the target must
 * not exist, so two writers cannot both win), and finally fsyncs the
 * directory.  A crash at any point leaves the old file or the new one;
 * the next write of the same path removes a dead writer's temporary.
 */
#include "fileio.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "errors.h"

/* Read a whole regular file of at most @p max bytes (opened without
 * blocking: a FIFO or a device is refused, not waited on). */
int read_file_limited(char **out, size_t *len, const char *path, size_t max)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);

    if (fd < 0)
        return errno == ENOENT ? error_set(POSDIFF_ENOTFOUND, "%s: no such file; check the path", path)
                               : error_io("%s: cannot read", path);
    return read_fd_limited(out, len, fd, path, max);
}

int read_fd_limited(char **out, size_t *len, int fd, const char *path, size_t max)
{
    return read_fd_capped(out, len, fd, path, max, max);
}

int read_file_capped(char **out, size_t *len, const char *path, size_t cap, size_t limit)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);

    if (fd < 0)
        return errno == ENOENT ? error_set(POSDIFF_ENOTFOUND, "%s: no such file; check the path", path)
                               : error_io("%s: cannot read", path);
    return read_fd_capped(out, len, fd, path, cap, limit);
}

int read_fd_capped(char **out, size_t *len, int fd, const char *path, size_t cap, size_t limit)
{
    struct stat sb;
    char *p = NULL;
    size_t got = 0;
    ssize_t n;
    int error = 0;

    if (fstat(fd, &sb) < 0 || !S_ISREG(sb.st_mode))
        error = error_set(POSDIFF_EINVALID, "%s: not a regular file; give the statement's text file", path);
    else if ((size_t)sb.st_size > cap)
        error = error_set(POSDIFF_ELIMIT, "%s: file is %lld bytes, over the limit of %zu bytes; split the statement or raise POSDIFF_MAX_BYTES",
                          path, (long long)sb.st_size, limit);
    else if (!(p = malloc((size_t)sb.st_size + 1)))
        error = error_oom();
    while (!error && (n = read(fd, p + got, (size_t)sb.st_size - got)) > 0)
        got += (size_t)n;
    if (!error && got != (size_t)sb.st_size)
        error = error_io("%s: cannot read", path);
    close(fd);
    if (error < 0) {
        free(p);
        return error;
    }
    p[got] = '\0';
    *out = p;
    *len = got;
    return 0;
}

size_t max_bytes_env(size_t def)
{
    const char *v = getenv("POSDIFF_MAX_BYTES");
    char *end;
    unsigned long long n;

    if (!v || !*v)
        return def;
    errno = 0;
    n = strtoull(v, &end, 10);
    if (*end == 'K' || *end == 'k')
        n <<= 10, end++;
    else if (*end == 'M' || *end == 'm')
        n <<= 20, end++;
    else if (*end == 'G' || *end == 'g')
        n <<= 30, end++;
    if (errno || *end || n == 0 || n > SIZE_MAX / 2)
        return 0;
    return (size_t)n;
}

int read_regular_file(char **out, size_t *len, const char *path)
{
    struct stat sb;
    char *p = NULL;
    size_t got = 0;
    ssize_t n = 0;
    int fd;

    if (stat(path, &sb) < 0 || !S_ISREG(sb.st_mode) ||
        (fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)) < 0)
        return -1;
    if (fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) && (p = malloc((size_t)sb.st_size + 1)))
        while (got < (size_t)sb.st_size && (n = read(fd, p + got, (size_t)sb.st_size - got)) > 0)
            got += (size_t)n;
    close(fd);
    if (!p || got != (size_t)sb.st_size) {
        free(p);
        return -1;
    }
    p[got] = '\0';
    *out = p;
    *len = got;
    return 0;
}

int map_file(const char **data, size_t *len, const char *path, size_t max)
{
    struct stat sb;
    void *p = NULL;
    int fd;

    if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)) < 0)
        return -1;
    if (fstat(fd, &sb) < 0 || !S_ISREG(sb.st_mode) || (uintmax_t)sb.st_size > max) {
        close(fd);
        return -1;
    }
    if (sb.st_size > 0)
        p = mmap(NULL, (size_t)sb.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (p == MAP_FAILED)
        return -1;
    *data = p ? p : "";
    *len = (size_t)sb.st_size;
    return 0;
}

void unmap_file(const char *data, size_t len)
{
    if (data && len > 0)
        munmap((void *)(uintptr_t)data, len);
}

static int write_all(int fd, const char *data, size_t len, const char *path)
{
    while (len > 0) {
        ssize_t n = write(fd, data, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return error_io("%s: cannot write", path);
        data += n;
        len -= (size_t)n;
    }
    return 0;
}

int copy_file(const char *from, const char *to)
{
    char chunk[65536];
    ssize_t n;
    int in, out, error = 0;

    if ((in = open(from, O_RDONLY | O_CLOEXEC)) < 0)
        return error_io("%s: cannot read", from);
    if ((out = open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644)) < 0) {
        close(in);
        return error_io("%s: cannot create", to);
    }
    /* write_all: a short write (the file-size limit reached) is retried,
     * so the error reported is the real one (EFBIG, ENOSPC), not a stale errno */
    while ((n = read(in, chunk, sizeof(chunk))) > 0)
        if ((error = write_all(out, chunk, (size_t)n, to)) < 0)
            break;
    if (n < 0)
        error = error_io("%s: cannot read", from);
    close(in);
    if (close(out) < 0 && !error)
        error = error_io("%s: cannot write", to);
    return error;
}

int fsync_path(const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC), error = 0;
    if (fd < 0)
        return error_io("%s: cannot open", path);
    if (fsync(fd) < 0)
        error = error_io("%s: cannot sync to disk", path);
    close(fd);
    return error;
}


static void fsync_dir_of(const char *path)
{
    char *copy = strdup(path);
    int fd;

    if (!copy)
        return;
    if ((fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0) {
        fsync(fd);
        close(fd);
    }
    free(copy);
}

/* Remove the <path>.tmp.<pid> files of writers that are gone (killed
 * between create and rename); a live writer's file is left alone. */
static void sweep_dead_temps(const char *path)
{
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    size_t n = strlen(base);
    buf dir = BUF_INIT;
    struct dirent *e;
    DIR *d;

    buf_put(&dir, path, slash ? (size_t)(slash - path) : 0);
    if (!slash)
        buf_putc(&dir, '.');
    if (buf_ok(&dir) < 0 || !(d = opendir(dir.ptr))) {
        buf_free(&dir);
        return;
    }
    while ((e = readdir(d))) {
        const char *pid = e->d_name + n + 5;
        char *end;
        long v;

        if (strncmp(e->d_name, base, n) || strncmp(e->d_name + n, ".tmp.", 5) || !*pid ||
            strspn(pid, "0123456789") != strlen(pid))
            continue;
        v = strtol(pid, &end, 10);
        if (v > 0 && v != (long)getpid() && kill((pid_t)v, 0) < 0 && errno == ESRCH)
            unlinkat(dirfd(d), e->d_name, 0);
    }
    closedir(d);
    buf_free(&dir);
}

/* Write @p data to @p stage, or <path>.tmp.<pid> (synced when @p sync),
 * and move it into place: renamed over @p path (@p replace) or linked as
 * a new name.  A given @p stage is left for the caller to remove. */
static int write_placed(const char *path, const char *stage, const char *data, size_t len,
                        int replace, int sync)
{
    buf tmp = BUF_INIT;
    int fd, error;

    if (stage)
        buf_puts(&tmp, stage);
    else {
        sweep_dead_temps(path);
        buf_printf(&tmp, "%s.tmp.%ld", path, (long)getpid());
    }
    if ((error = buf_ok(&tmp)) < 0)
        return error;
    unlink(tmp.ptr);
    if ((fd = open(tmp.ptr, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644)) < 0) {
        error = error_io("%s: cannot create", tmp.ptr);
        goto done;
    }
    error = write_all(fd, data, len, path);
    if (!error && sync && fsync(fd) < 0)
        error = error_io("%s: cannot sync to disk", path);
    if (close(fd) < 0 && !error)
        error = error_io("%s: cannot write", path);
    if (!error && replace && rename(tmp.ptr, path) < 0)
        error = error_io("%s: cannot rename into place", path);
    if (!error && !replace && link(tmp.ptr, path) < 0)
        error = errno == EEXIST
                    ? error_set(POSDIFF_EEXISTS, "%s: already exists; choose another --id", path)
                    : error_io("%s: cannot create", path);
    if (!error && sync)
        fsync_dir_of(path);
done:
    if (!stage || error < 0)
        unlink(tmp.ptr);
    buf_free(&tmp);
    return error;
}

int write_file_atomic(const char *path, const char *data, size_t len, int replace)
{
    return write_placed(path, NULL, data, len, replace, 1);
}

int write_file_staged(const char *path, const char *stage, const char *data, size_t len)
{
    return write_placed(path, stage, data, len, 0, 1);
}

int write_cache_file(const char *path, const char *data, size_t len)
{
    return write_placed(path, NULL, data, len, 1, 0);
}

int mkdir_p(const char *path)
{
    char *p = strdup(path);
    int error = 0;

    if (!p)
        return error_oom();
    for (char *s = p + 1; *s && !error; s++)
        if (*s == '/') {
            *s = '\0';
            if (mkdir(p, 0755) < 0 && errno != EEXIST)
                error = error_io("%s: cannot create directory", p);
            *s = '/';
        }
    if (!error && mkdir(p, 0755) < 0 && errno != EEXIST)
        error = error_io("%s: cannot create directory", p);
    free(p);
    return error;
}
