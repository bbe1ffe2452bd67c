/*
 * spool.h - rendered entries kept in an anonymous temporary file, so that
 * memory does not grow with the history (log, report): appended one
 * after the other, read back in any order.
 */
#ifndef POSDIFF_CLI_SPOOL_H
#define POSDIFF_CLI_SPOOL_H

#include <stdio.h>

typedef struct {
    FILE *file;  /* the entries, one after the other (NULL before the first) */
    char *vbuf;  /* its stdio buffer */
    long *end;   /* end[k]: offset after entry k */
    size_t count, cap;
} spool;

/** A reusable buffer for spool_get. */
typedef struct {
    char *buf;
    size_t cap;
} spool_window;

/** Where spools go: $TMPDIR (tmpfile(3) ignores it), else /tmp. */
const char *spool_dir(void);
/** Append an entry.  0, or -1 with errno set (the caller reports it
 *  with spool_dir()). */
int spool_push(spool *s, const char *text, size_t len);
/** Ready to read back (after the last push).  0 or -1. */
int spool_done(spool *s);
/** Entries [@p from, @p to) in one read, valid until the next call with
 *  @p w; entry k starts at spool_offset(s, k) - spool_offset(s, from).
 *  NULL on a read error. */
const char *spool_get_range(spool_window *w, const spool *s, size_t from, size_t to);
/** Where entry @p k starts in the spool. */
long spool_offset(const spool *s, size_t k);
/** Entry @p k, valid until the next call with @p w; NULL on a read error. */
const char *spool_get(spool_window *w, const spool *s, size_t k, size_t *len);
void spool_free(spool *s);
void spool_window_free(spool_window *w);

#endif
