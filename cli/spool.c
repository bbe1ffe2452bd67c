/*
 * spool.c - rendered entries in an anonymous temporary file (spool.h).
 */
#include "spool.h"

#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#define SPOOL_BUFFER (256 << 10) /* per spool, while writing */

const char *spool_dir(void)
{
    const char *dir = getenv("TMPDIR");

    return dir && *dir ? dir : "/tmp";
}

/* An anonymous temporary file in spool_dir(), buffered by @p vbuf
 * (setvbuf with no buffer of its own would keep stdio's 4 KiB). */
static FILE *spool_open(char **vbuf)
{
    char path[4096];
    FILE *f = NULL;
    int fd;

    if ((size_t)snprintf(path, sizeof(path), "%s/posdiff-spool-XXXXXX", spool_dir()) >=
        sizeof(path))
        return NULL;
    if ((fd = mkstemp(path)) < 0)
        return NULL;
    unlink(path);
    if (!(f = fdopen(fd, "w+b"))) {
        close(fd);
    } else if ((*vbuf = malloc(SPOOL_BUFFER))) {
        setvbuf(f, *vbuf, _IOFBF, SPOOL_BUFFER);
    }
    return f;
}

int spool_push(spool *s, const char *text, size_t len)
{
    if (s->count == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 16;
        long *p = realloc(s->end, cap * sizeof(*p));
        if (!p)
            return -1;
        s->end = p;
        s->cap = cap;
    }
    if ((!s->file && !(s->file = spool_open(&s->vbuf))) || fwrite(text, 1, len, s->file) != len)
        return -1;
    s->end[s->count] = (s->count ? s->end[s->count - 1] : 0) + (long)len;
    s->count++;
    return 0;
}

int spool_done(spool *s)
{
    return s->file && fflush(s->file) != 0 ? -1 : 0;
}

/* Read bytes [from, from + len) of @p f into @p buf. */
static int read_at(FILE *f, char *buf, long from, long len)
{
    while (len > 0) {
        ssize_t got = pread(fileno(f), buf, (size_t)len, (off_t)from);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            return -1;
        buf += got, from += got, len -= got;
    }
    return 0;
}

long spool_offset(const spool *s, size_t k)
{
    return k ? s->end[k - 1] : 0;
}

/* Bytes [from, from + n) of the spool into @p w, NUL-terminated. */
static const char *spool_read(spool_window *w, const spool *s, long from, long n)
{
    if ((size_t)n + 1 > w->cap) {
        char *p = realloc(w->buf, (size_t)n + 1);
        if (!p)
            return NULL;
        w->buf = p;
        w->cap = (size_t)n + 1;
    }
    if (read_at(s->file, w->buf, from, n) < 0)
        return NULL;
    w->buf[n] = '\0';
    return w->buf;
}

const char *spool_get_range(spool_window *w, const spool *s, size_t from, size_t to)
{
    if (from >= to)
        return "";
    return spool_read(w, s, spool_offset(s, from), s->end[to - 1] - spool_offset(s, from));
}

const char *spool_get(spool_window *w, const spool *s, size_t k, size_t *len)
{
    *len = (size_t)(s->end[k] - spool_offset(s, k));
    return spool_read(w, s, spool_offset(s, k), (long)*len);
}

void spool_free(spool *s)
{
    if (s->file)
        fclose(s->file);
    free(s->vbuf); /* after the fclose that flushes it */
    free(s->end);
}

void spool_window_free(spool_window *w)
{
    free(w->buf);
}
