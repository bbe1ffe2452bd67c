/*
 * manifest.c - statements.conf / positions.conf through libgit2's
 * config API.
 *
 * Reading: the file's bytes are checked against git's rules first
 * (gitconfig.c: a file git refuses is refused at the line git names;
 * include sections are refused), then git_config_open_ondisk and an
 * iterator give the entries in file order.  A name is
 * <kind>.<id>.<key>; the id may contain dots ("oewg-2.1"), so it is
 * split at the first and last dot.  Entries are grouped by id, in
 * order of first appearance (the manifest order).  A manifest over
 * PIECE_BYTES is given to libgit2 in pieces of whole sections, which
 * bounds what libgit2 holds at once (read_pieces).
 *
 * Appending: libgit2's writer sets the new section's keys in a scratch
 * file; the old manifest's bytes and those go to a new file beside it,
 * which is synced and renamed over it.
 */
#include "manifest.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <git2.h>

#include "util/cachesum.h"
#include "util/errors.h"
#include "util/fileio.h"
#include "util/hashmap.h"

#define PIECE_BYTES ((size_t)1 << 20) /* a bigger manifest is read in pieces (read_pieces) */

int strlist_push(strlist *l, const char *s)
{
    if (array_grow(&l->items, &l->cap, l->count, sizeof(*l->items), 8) < 0)
        return POSDIFF_ENOMEM;
    if (!(l->items[l->count] = strdup(s)))
        return error_oom();
    l->count++;
    return 0;
}

void strlist_free(strlist *l)
{
    for (size_t i = 0; i < l->count; i++)
        free(l->items[i]);
    free(l->items);
    memset(l, 0, sizeof(*l));
}

/* ---- grouping libgit2's entries by section ------------------------------ */

typedef struct {
    size_t id, n; /* pool offset of the id; entries */
} sec_rec;

typedef struct {
    size_t sec, key, value; /* section number; pool offsets */
} ent_rec;

typedef struct {
    buf pool;     /* NUL-terminated strings, found by offset */
    buf secs;     /* sec_rec[] */
    buf ents;     /* ent_rec[], in file order */
    hashmap ids;  /* section id -> number + 1 (keys in pool) */
    const char *keyed; /* pool.ptr when ids was filled */
} loader;

static sec_rec *sec_at(const loader *l, size_t i)
{
    return (sec_rec *)(void *)l->secs.ptr + i;
}

static size_t nsecs(const loader *l)
{
    return l->secs.len / sizeof(sec_rec);
}

static size_t put_str(loader *l, const char *s, size_t n)
{
    size_t at = l->pool.len;

    buf_put(&l->pool, s, n);
    buf_putc(&l->pool, '\0');
    return at;
}

/* The number of section @p id (@p n bytes), added when new; -1: no memory. */
static long section_of(loader *l, const char *id, size_t n)
{
    size_t count = nsecs(l), k;
    sec_rec r = {0, 0};

    if (l->keyed != l->pool.ptr) { /* the pool moved, and the keys with it */
        hashmap_clear(&l->ids);
        for (k = 0; k < count; k++) {
            const char *s = l->pool.ptr + sec_at(l, k)->id;
            if (hashmap_put(&l->ids, s, strlen(s), (void *)(uintptr_t)(k + 1)) < 0)
                return -1;
        }
        l->keyed = l->pool.ptr;
    }
    if ((k = (size_t)(uintptr_t)hashmap_get(&l->ids, id, n)))
        return (long)(k - 1);
    r.id = put_str(l, id, n);
    buf_put(&l->secs, (const char *)&r, sizeof(r));
    if (l->pool.oom || l->secs.oom ||
        hashmap_put(&l->ids, l->pool.ptr + r.id, n, (void *)(uintptr_t)(count + 1)) < 0)
        return -1;
    return (long)count;
}

static int add_entry(loader *l, mfile *m, const git_config_entry *e, size_t kindlen)
{
    const char *sub = e->name + kindlen + 1, *dot = strrchr(sub, '.');
    const char *v = e->value ? e->value : "";
    ent_rec r;
    long sec;

    if (!dot || dot == sub) {
        char msg[512];
        snprintf(msg, sizeof(msg), "'%s' is outside any [section \"id\"]; it is ignored", e->name);
        return strlist_push(&m->warnings, msg);
    }
    if ((sec = section_of(l, sub, (size_t)(dot - sub))) < 0)
        return error_oom();
    r.sec = (size_t)sec;
    r.key = put_str(l, dot + 1, strlen(dot + 1));
    r.value = put_str(l, v, strlen(v));
    buf_put(&l->ents, (const char *)&r, sizeof(r));
    sec_at(l, r.sec)->n++;
    return l->pool.oom || l->ents.oom ? error_oom() : 0;
}

/* The sections of @p l into @p m, each with its entries in file order. */
static int finish(loader *l, mfile *m)
{
    size_t ns = nsecs(l), ne = l->ents.len / sizeof(ent_rec), at = 0;
    const ent_rec *ents = (const ent_rec *)(const void *)l->ents.ptr;

    m->items = calloc(ns ? ns : 1, sizeof(*m->items));
    m->kv = malloc((ne ? 2 * ne : 1) * sizeof(*m->kv));
    if (!m->items || !m->kv || !(m->pool = buf_detach(&l->pool, NULL)))
        return error_oom();
    for (size_t s = 0; s < ns; s++) {
        m->items[s].id = m->pool + sec_at(l, s)->id;
        m->items[s].keys = m->kv + at;
        m->items[s].values = m->kv + ne + at;
        at += sec_at(l, s)->n;
    }
    for (size_t i = 0; i < ne; i++) {
        msection *x = &m->items[ents[i].sec];
        x->keys[x->n] = m->pool + ents[i].key;
        x->values[x->n++] = m->pool + ents[i].value;
    }
    m->count = ns;
    return 0;
}

/* The "<kind>.*" entries of the config file @p path, read by libgit2,
 * into @p l (and warnings into @p out). */
static int read_entries(loader *l, mfile *out, const char *path, const char *kind)
{
    git_config *cfg = NULL;
    git_config_iterator *it = NULL;
    git_config_entry *e;
    size_t kindlen = strlen(kind);
    int error;

    if (git_config_open_ondisk(&cfg, path) < 0 || git_config_iterator_new(&it, cfg) < 0) {
        error = error_git("%s: not valid git-config syntax; fix the line named here", path);
        goto done;
    }
    /* Every entry, filtered here: a glob iterator compiles a regex, and
     * libgit2 1.5 leaks pcre2 match data on every match. */
    while ((error = git_config_next(&e, it)) == 0)
        if (!strncmp(e->name, kind, kindlen) && e->name[kindlen] == '.' &&
            (error = add_entry(l, out, e, kindlen)) < 0)
            goto done;
    error = error == GIT_ITEROVER ? 0 : error_git("%s: cannot read", path);
done:
    git_config_iterator_free(it);
    git_config_free(cfg);
    return error;
}

static int write_piece(int fd, const char *p, size_t n)
{
    off_t at = 0;

    if (ftruncate(fd, 0) < 0)
        return -1;
    while (n > 0) {
        ssize_t k = pwrite(fd, p, n, at);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return -1;
        p += k, at += k, n -= (size_t)k;
    }
    return 0;
}

/*
 * The entries of @p data, a big manifest, read a piece at a time: libgit2
 * keeps every entry of a file it reads (twice, with an iterator), some
 * 300 bytes an entry, 200 MiB for 100 000 statements; a piece of
 * PIECE_BYTES costs 10 MiB.  The pieces start at section headers
 * (gitconfig_cuts), so each holds whole sections, and they go through
 * one temporary file in $TMPDIR.
 */
static int read_pieces(loader *l, mfile *out, const char *kind, const char *data, size_t len)
{
    const char *tmp = getenv("TMPDIR");
    char path[PATH_MAX];
    size_t *cut = NULL, n = 0;
    int fd = -1, error;

    if ((error = gitconfig_cuts(data, len, PIECE_BYTES, &cut, &n)) < 0)
        return error;
    snprintf(path, sizeof(path), "%s/posdiff-manifest-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if ((fd = mkstemp(path)) < 0)
        error = error_io("%s: cannot create a temporary file", path);
    for (size_t i = 0; i <= n && error == 0; i++) {
        size_t from = i ? cut[i - 1] : 0, to = i < n ? cut[i] : len;
        if (write_piece(fd, data + from, to - from) < 0)
            error = error_io("%s: cannot write", path);
        else
            error = read_entries(l, out, path, kind);
    }
    if (fd >= 0) {
        close(fd);
        unlink(path);
    }
    free(cut);
    return error;
}

static void loader_free(loader *l)
{
    hashmap_free(&l->ids);
    buf_free(&l->pool);
    buf_free(&l->secs);
    buf_free(&l->ents);
    *l = (loader){BUF_INIT, BUF_INIT, BUF_INIT, HASHMAP_INIT, NULL};
}

/*
 * Every "<kind>.*" entry of @p path (its bytes: @p data), read by
 * libgit2, into @p out.  A big file is read in pieces; should that fail
 * (no temporary file, or libgit2 refuses a piece), it is read whole, as
 * a small one is, and so refused with libgit2's message about the file.
 */
static int read_git(mfile *out, const char *path, const char *kind, const char *data,
                    size_t len)
{
    loader l = {BUF_INIT, BUF_INIT, BUF_INIT, HASHMAP_INIT, NULL};
    int error;

    if ((error = posdiff_init()) < 0)
        return error;
    if (len > PIECE_BYTES && (error = read_pieces(&l, out, kind, data, len)) < 0) {
        loader_free(&l);
        strlist_free(&out->warnings);
        posdiff_error_clear();
    }
    if ((len <= PIECE_BYTES || error < 0) && (error = read_entries(&l, out, path, kind)) < 0)
        goto done;
    error = finish(&l, out);
done:
    posdiff_shutdown();
    loader_free(&l);
    return error;
}

/* ---- reading ------------------------------------------------------------ */

static int check_syntax(const char *path, const char *data, size_t len)
{
    const char *why;
    int line, rc = gitconfig_check(data, len, &line, &why);

    if (rc == GITCONFIG_INCLUDE)
        return error_set(POSDIFF_EINVALID, "%s:%d: [include] and [includeIf] sections are not "
                         "allowed (they read entries from outside the corpus); copy those "
                         "entries into %s instead", path, line, path);
    if (rc == GITCONFIG_SYNTAX)
        return error_set(POSDIFF_EGIT, "%s:%d: not valid git-config syntax (%s); fix that line",
                         path, line, why);
    return 0;
}

/* Does a line end with a backslash (a continued line), or the file? */
static int continues(const char *p, size_t n)
{
    const char *end = p + n, *q = p;

    while ((q = memchr(q, '\\', (size_t)(end - q)))) {
        q++;
        if (q == end || *q == '\n' || (*q == '\r' && (q + 1 == end || q[1] == '\n')))
            return 1;
    }
    return 0;
}

static int same_file(const struct stat *a, const struct stat *b)
{
    return a->st_dev == b->st_dev && a->st_ino == b->st_ino && a->st_size == b->st_size &&
           a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec == b->st_mtim.tv_nsec &&
           a->st_ctim.tv_sec == b->st_ctim.tv_sec && a->st_ctim.tv_nsec == b->st_ctim.tv_nsec;
}

int mfile_load(mfile *out, const char *path, const char *kind, int optional)
{
    struct stat before, after;
    char *data = NULL;
    size_t len = 0;
    int error;

    memset(out, 0, sizeof(*out));
    if (stat(path, &before) < 0 && errno == ENOENT)
        return optional ? 0 : error_set(POSDIFF_ENOTFOUND, "%s: no such file; create the "
                                        "corpus with 'posdiff init'", path);
    if (read_regular_file(&data, &len, path) < 0)
        return error_set(POSDIFF_EIO, "%s: cannot read; it must be a readable file", path);
    if ((error = check_syntax(path, data, len)) == 0 &&
        (error = read_git(out, path, kind, data, len)) == 0) {
        out->len = len;
        out->sum = cachesum64(data, len);
        out->cacheable = stat(path, &after) == 0 && same_file(&before, &after) &&
                         !continues(data, len);
    }
    free(data);
    if (error < 0)
        mfile_free(out);
    return error;
}

void mfile_free(mfile *m)
{
    free(m->items);
    free((void *)m->kv);
    free(m->pool);
    strlist_free(&m->warnings);
    memset(m, 0, sizeof(*m));
}

const char *msection_get(const msection *s, const char *key)
{
    const char *v = NULL;

    for (size_t i = 0; i < s->n; i++)
        if (!strcmp(s->keys[i], key))
            v = s->values[i];
    return v;
}

/* ---- appending ---------------------------------------------------------- */

/*
 * Append @p st's strip lines, in order, to the config file @p path that
 * holds only its section: each value quoted, '\\' and '"' escaped, as
 * git reads them (libgit2's multivar writer leaves them unescaped).
 */
static int append_strip(const char *path, const posdiff_statement *st)
{
    buf b = BUF_INIT;
    char *data = NULL;
    size_t len = 0;
    int error;

    if (st->strip_count == 0)
        return 0;
    if (read_regular_file(&data, &len, path) < 0)
        return error_io("%s: cannot read", path);
    buf_put(&b, data, len);
    free(data);
    for (size_t k = 0; k < st->strip_count; k++) {
        buf_puts(&b, "\tstrip = \"");
        for (const char *p = st->strip[k]; *p; p++) {
            if (*p == '\\' || *p == '"')
                buf_putc(&b, '\\');
            buf_putc(&b, *p);
        }
        buf_puts(&b, "\"\n");
    }
    if ((error = buf_ok(&b)) == 0)
        error = write_file_atomic(path, b.ptr, b.len, 1);
    buf_free(&b);
    return error;
}

/* Set @p st's fields, then its strip lines, in the config file @p path
 * (new or empty). */
static int write_fields(const char *path, const posdiff_statement *st)
{
    static const char *const keys[] = {"file", "date", "title", "venue", "speaker", "source"};
    const char *const vals[] = {st->file, st->date, st->title, st->venue, st->speaker,
                                st->source};
    git_config *cfg = NULL;
    buf name = BUF_INIT;
    int error = 0;

    if (git_config_open_ondisk(&cfg, path) < 0)
        return error_git("%s: cannot write", path);
    for (size_t k = 0; k < sizeof(keys) / sizeof(*keys) && error == 0; k++) {
        if (!vals[k] || !*vals[k])
            continue;
        buf_clear(&name);
        buf_printf(&name, "statement.%s.%s", st->id, keys[k]);
        if ((error = buf_ok(&name)) == 0 && git_config_set_string(cfg, name.ptr, vals[k]) < 0)
            error = error_git("%s: cannot write %s", path, name.ptr);
    }
    git_config_free(cfg);
    buf_free(&name);
    return error < 0 ? error : append_strip(path, st);
}

int manifest_entry(buf *out, const char *scratch, const char *name, const char *value)
{
    git_config *cfg = NULL;
    char *data = NULL;
    size_t len = 0;
    int error = posdiff_init();

    if (error < 0)
        return error;
    unlink(scratch);
    if (git_config_open_ondisk(&cfg, scratch) < 0 || git_config_set_string(cfg, name, value) < 0)
        error = error_git("%s: cannot write %s", scratch, name);
    else if (read_regular_file(&data, &len, scratch) < 0)
        error = error_io("%s: cannot read", scratch);
    else
        buf_put(out, data, len);
    git_config_free(cfg);
    unlink(scratch);
    posdiff_shutdown();
    free(data);
    return error < 0 ? error : buf_ok(out);
}

int manifest_section(buf *out, mfile *parsed, const char *scratch,
                     const posdiff_statement *st)
{
    buf lock = BUF_INIT;
    char *data = NULL;
    size_t len = 0;
    int error;

    memset(parsed, 0, sizeof(*parsed));
    buf_printf(&lock, "%s.lock", scratch); /* libgit2's, if a killed writer left it */
    if ((error = buf_ok(&lock)) < 0 || (error = posdiff_init()) < 0)
        goto done;
    unlink(scratch);
    unlink(lock.ptr);
    if ((error = write_fields(scratch, st)) == 0 && read_regular_file(&data, &len, scratch) < 0)
        error = error_io("%s: cannot read", scratch);
    if (error == 0) {
        buf_put(out, data, len);
        if ((error = buf_ok(out)) == 0)
            error = mfile_load(parsed, scratch, "statement", 0);
    }
    unlink(scratch);
    posdiff_shutdown();
done:
    free(data);
    buf_free(&lock);
    return error;
}

static int put_all(int fd, const char *p, size_t n, const char *path)
{
    while (n > 0) {
        ssize_t k = write(fd, p, n);
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0)
            return error_io("%s: cannot write", path);
        p += k;
        n -= (size_t)k;
    }
    return 0;
}

/* The new file @p tmp holding @p data, of mode @p mode, synced. */
static int write_new(const char *tmp, const char *path, mode_t mode, const char *data,
                     size_t len)
{
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600), error;

    if (fd < 0)
        return error_io("%s: cannot create", tmp);
    if ((error = put_all(fd, data, len, path)) == 0 && fchmod(fd, mode & 07777) < 0)
        error = error_io("%s: cannot set its mode", tmp);
    if (error == 0 && fsync(fd) < 0)
        error = error_io("%s: cannot sync to disk", path);
    if (close(fd) < 0 && error == 0)
        error = error_io("%s: cannot write", path);
    return error;
}

int manifest_replace(const char *path, const char *data, size_t len)
{
    char target[PATH_MAX];
    struct stat sb;
    buf tmp = BUF_INIT;
    int error;

    if (!realpath(path, target) || stat(target, &sb) < 0)
        return error_io("%s: cannot update the manifest", path);
    buf_printf(&tmp, "%s.new.%ld", target, (long)getpid());
    if ((error = buf_ok(&tmp)) < 0)
        return error;
    unlink(tmp.ptr);
    if ((error = write_new(tmp.ptr, path, sb.st_mode, data, len)) == 0 &&
        rename(tmp.ptr, target) < 0)
        error = error_io("%s: cannot replace the manifest", path);
    if (error < 0)
        unlink(tmp.ptr);
    buf_free(&tmp);
    return error;
}
