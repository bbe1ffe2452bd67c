/*
 * manifest.c - statements.conf / positions.conf.
 *
 * Reading: manifest_parse.c reads the usual subset of git-config syntax
 * (one parse, ~10 ms for 10 000 statements); any other file is read by
 * libgit2, the reference: git_config_open_ondisk + an iterator over
 * "<kind>\..*"; the
 * iterator yields entries in file order, which is the manifest order.
 * A name is <kind>.<subsection>.<key>; the subsection may contain dots
 * (ids like "oewg-2.1"), so it is split at the first and last dot.
 *
 * Writing: a temporary sibling gets the new manifest, is fsync'ed and
 * renamed over the original, so readers see either the old or the new
 * manifest, never a half-written one.  For a file of the subset the new
 * manifest is the old bytes plus the new section, formatted as libgit2's
 * git_config_set_string formats it (escape_value, quotes_for_value,
 * write_section, write_value in libgit2's config_file.c: a missing final
 * newline added, "[statement \"id\"]", then "\tkey = value" per field),
 * written as the old bytes then the new ones, without a copy of the
 * whole; libgit2 itself would parse the 2 MB file three times to do so.  Any
 * other file (or a failed write, whose error libgit2 then reports as
 * before) is copied and edited with git_config_set_string.
 */
#include "manifest.h"

#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <git2.h>

#include "util/buf.h"
#include "util/errors.h"
#include "util/fileio.h"
#include "util/strhash.h"

int strlist_push(strlist *l, const char *s)
{
    if (l->count == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 8;
        char **p = realloc(l->items, cap * sizeof(*p));
        if (!p)
            return error_oom();
        l->items = p;
        l->cap = cap;
    }
    if (!(l->items[l->count] = strdup(s ? s : "")))
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

/*
 * Index of the sections by id while a file loads: open addressing over
 * section numbers + 1 (0 = empty), load <= 1/2, so finding an entry's
 * section is O(1) rather than a scan of every section (O(n^2) for a
 * manifest of n statements).
 */
/* Slot of id in x: where its section number is, or the empty slot. */
static size_t index_slot(const mfile_index *x, const mfile *m, const char *id,
                         size_t idlen)
{
    size_t i = strhash_n(id, idlen) & (x->cap - 1);
    for (; x->slot[i]; i = (i + 1) & (x->cap - 1)) {
        const char *s = m->items[x->slot[i] - 1].id;
        if (!strncmp(s, id, idlen) && s[idlen] == '\0')
            break;
    }
    return i;
}

static int index_grow(mfile_index *x, const mfile *m)
{
    mfile_index nx = {NULL, x->cap ? x->cap * 2 : 64};

    if (!(nx.slot = calloc(nx.cap, sizeof(*nx.slot))))
        return -1;
    for (size_t k = 0; k < m->count; k++) {
        const char *id = m->items[k].id;
        nx.slot[index_slot(&nx, m, id, strlen(id))] = k + 1;
    }
    free(x->slot);
    *x = nx;
    return 0;
}

/*
 * The arena: chunks of at least ARENA_CHUNK bytes, each string or array
 * carved from the newest one; nothing moves until mfile_free, so the
 * 100 000 strings of a large manifest cost a few allocations instead of
 * one each (and one free each, and the page faults of scattered blocks).
 */
#define ARENA_CHUNK ((size_t)256 * 1024)

struct mchunk {
    mchunk *next;
    size_t used, cap; /* bytes of data[] */
    max_align_t data[];
};

static void *arena_alloc(mfile *m, size_t n)
{
    mchunk *c = m->arena;
    size_t a = sizeof(void *), at;

    at = c ? (c->used + a - 1) & ~(a - 1) : 0;
    if (!c || at + n > c->cap) {
        size_t cap = n > ARENA_CHUNK ? n : ARENA_CHUNK;
        if (!(c = malloc(sizeof(*c) + cap)))
            return NULL;
        c->next = m->arena;
        c->used = 0;
        c->cap = cap;
        m->arena = c;
        at = 0;
    }
    c->used = at + n;
    return (char *)c->data + at;
}

static char *arena_strndup(mfile *m, const char *s, size_t n)
{
    char *p = arena_alloc(m, n + 1);

    if (p) {
        memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

/* Append @p s (arena memory) to @p l, its array in the arena too. */
static int arena_push(mfile *m, strlist *l, char *s)
{
    if (!s)
        return error_oom();
    if (l->count == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 8;
        char **v = arena_alloc(m, cap * sizeof(*v));
        if (!v)
            return error_oom();
        if (l->count)
            memcpy(v, l->items, l->count * sizeof(*v));
        l->items = v;
        l->cap = cap;
    }
    l->items[l->count++] = s;
    return 0;
}

static msection *section_new(mfile *m, const char *id, size_t idlen)
{
    if (m->count == m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 16;
        msection *p = realloc(m->items, cap * sizeof(*p));
        if (!p)
            return NULL;
        m->items = p;
        m->cap = cap;
    }
    memset(&m->items[m->count], 0, sizeof(msection));
    if (!(m->items[m->count].id = arena_strndup(m, id, idlen)))
        return NULL;
    return &m->items[m->count++];
}

long mfile_section(mfile *m, mfile_index *x, const char *id, size_t idlen)
{
    size_t i;

    if ((m->count + 1) * 2 > x->cap && index_grow(x, m) < 0)
        return error_oom();
    i = index_slot(x, m, id, idlen);
    if (x->slot[i])
        return (long)(x->slot[i] - 1);
    if (!section_new(m, id, idlen))
        return error_oom();
    x->slot[i] = m->count;
    return (long)(m->count - 1);
}

int mfile_add(mfile *m, size_t sec, const char *key, size_t keylen,
              const char *value, size_t vallen)
{
    msection *s = &m->items[sec];
    int error;

    if ((error = arena_push(m, &s->keys, arena_strndup(m, key, keylen))) < 0 ||
        (error = arena_push(m, &s->values, arena_strndup(m, value, vallen))) < 0)
        return error;
    return 0;
}

static int add_entry(mfile *m, mfile_index *x, const git_config_entry *e,
                     size_t kindlen)
{
    const char *sub = e->name + kindlen + 1;
    const char *dot = strrchr(sub, '.');
    const char *v = e->value ? e->value : "";
    long sec;

    if (!dot || dot == sub) {
        char msg[512];
        snprintf(msg, sizeof(msg), "'%s' is outside any [section \"id\"]; it is ignored", e->name);
        return strlist_push(&m->warnings, msg);
    }
    if ((sec = mfile_section(m, x, sub, (size_t)(dot - sub))) < 0)
        return (int)sec;
    return mfile_add(m, (size_t)sec, dot + 1, strlen(dot + 1), v, strlen(v));
}

int mfile_load(mfile *out, const char *path, const char *kind, int optional)
{
    char *data = NULL;
    size_t len = 0;

    memset(out, 0, sizeof(*out));
    if (access(path, F_OK) < 0 || read_regular_file(&data, &len, path) < 0)
        return mfile_load_git(out, path, kind, optional);
    return mfile_load_data(out, path, data, len, kind, optional);
}

int mfile_load_data(mfile *out, const char *path, char *data, size_t len,
                    const char *kind, int optional)
{
    int rc = mfile_parse_simple(out, data, len, kind);

    if (rc == MFILE_OTHER && (rc = mfile_load_git(out, path, kind, optional)) == 0) {
        out->text = data;
        out->text_len = len;
        return 0;
    }
    if (rc < 0) {
        free(data);
        return rc;
    }
    out->text = data;
    out->text_len = len;
    out->simple = 1;
    return 0;
}

static int load_git(mfile *out, const char *path, const char *kind, int optional)
{
    git_config *cfg = NULL;
    git_config_iterator *it = NULL;
    git_config_entry *e;
    mfile_index x = {NULL, 0};
    size_t kindlen = strlen(kind);
    int error;

    memset(out, 0, sizeof(*out));
    if (access(path, F_OK) < 0) {
        if (optional)
            return 0;
        return error_set(POSDIFF_ENOTFOUND,
                         "%s: no such file; create the corpus with 'posdiff init'", path);
    }
    if (git_config_open_ondisk(&cfg, path) < 0)
        return error_git("%s: not valid git-config syntax; fix the line named here", path);
    /* Every entry, filtered here: a glob iterator compiles a regex, and
     * libgit2 1.5 leaks pcre2 match data on every match. */
    if ((error = git_config_iterator_new(&it, cfg)) < 0) {
        error = error_git("%s: cannot read", path);
        goto done;
    }
    while ((error = git_config_next(&e, it)) == 0)
        if (!strncmp(e->name, kind, kindlen) && e->name[kindlen] == '.' &&
            (error = add_entry(out, &x, e, kindlen)) < 0)
            goto done;
    error = error == GIT_ITEROVER ? 0 : error_git("%s: cannot read", path);
done:
    free(x.slot);
    git_config_iterator_free(it);
    git_config_free(cfg);
    if (error < 0)
        mfile_free(out);
    return error;
}

void mfile_free(mfile *m)
{
    while (m->arena) {
        mchunk *next = m->arena->next;
        free(m->arena);
        m->arena = next;
    }
    free(m->text);
    free(m->items);
    strlist_free(&m->warnings);
    memset(m, 0, sizeof(*m));
}

const char *msection_get(const msection *s, const char *key, size_t *count)
{
    const char *v = NULL;
    size_t n = 0;

    for (size_t i = 0; i < s->keys.count; i++)
        if (!strcmp(s->keys.items[i], key)) {
            v = s->values.items[i];
            n++;
        }
    if (count)
        *count = n;
    return v;
}

static int set_field(git_config *cfg, const char *id, const char *key,
                     const char *value, const char *path)
{
    char name[512];

    if (!value || !*value)
        return 0;
    snprintf(name, sizeof(name), "statement.%s.%s", id, key);
    if (git_config_set_string(cfg, name, value) < 0)
        return error_git("%s: cannot write %s", path, name);
    return 0;
}

static int append_git(const char *path, const posdiff_statement *st)
{
    git_config *cfg = NULL;
    buf tmp = BUF_INIT;
    int error;

    buf_printf(&tmp, "%s.new.%ld", path, (long)getpid());
    if ((error = buf_ok(&tmp)) < 0)
        return error;
    unlink(tmp.ptr);
    if ((error = copy_file(path, tmp.ptr)) < 0) {
        error = error_wrap(error, "%s: cannot update the manifest, left as it was", path);
        goto done;
    }
    if (git_config_open_ondisk(&cfg, tmp.ptr) < 0) {
        error = error_git("%s: not valid git-config syntax", path);
        goto done;
    }
    if ((error = set_field(cfg, st->id, "file", st->file, path)) < 0 ||
        (error = set_field(cfg, st->id, "date", st->date, path)) < 0 ||
        (error = set_field(cfg, st->id, "title", st->title, path)) < 0 ||
        (error = set_field(cfg, st->id, "venue", st->venue, path)) < 0 ||
        (error = set_field(cfg, st->id, "speaker", st->speaker, path)) < 0 ||
        (error = set_field(cfg, st->id, "source", st->source, path)) < 0)
        goto done;
    git_config_free(cfg);
    cfg = NULL;
    if ((error = fsync_path(tmp.ptr)) < 0)
        goto done;
    if (rename(tmp.ptr, path) < 0)
        error = error_io("%s: cannot replace the manifest", path);
done:
    git_config_free(cfg);
    if (error < 0)
        unlink(tmp.ptr);
    buf_free(&tmp);
    return error;
}

/*
 * The two roads through libgit2 start it themselves (posdiff_init nests):
 * a program that reads or extends a corpus need not start libgit2, whose
 * TLS backend parses the system's CA bundle on start (~2.5 ms), unless
 * the manifest is outside manifest_parse.c's subset.
 */
int mfile_load_git(mfile *out, const char *path, const char *kind, int optional)
{
    int error;

    memset(out, 0, sizeof(*out));
    if ((error = posdiff_init()) < 0)
        return error;
    error = load_git(out, path, kind, optional);
    posdiff_shutdown();
    return error;
}

int mfile_append_statement_git(const char *path, const posdiff_statement *st)
{
    int error;

    if ((error = posdiff_init()) < 0)
        return error;
    error = append_git(path, st);
    posdiff_shutdown();
    return error;
}

/* libgit2's escape_value then quotes_for_value, as write_value writes it. */
static void put_value(buf *b, const char *key, const char *value)
{
    static const char escaped[] = "\n\t\b\"\\", escapes[] = "ntb\"\\";
    size_t start, n;
    const char *e;
    int quote;

    if (!value || !*value)
        return; /* set_field skips it */
    buf_printf(b, "\t%s = ", key);
    start = b->len;
    for (const char *p = value; *p; p++) {
        if ((e = strchr(escaped, *p))) {
            buf_putc(b, '\\');
            buf_putc(b, escapes[e - escaped]);
        } else {
            buf_putc(b, *p);
        }
    }
    if (b->oom)
        return;
    n = b->len - start;
    quote = b->ptr[start] == ' ' || memchr(b->ptr + start, ';', n) ||
            memchr(b->ptr + start, '#', n) || b->ptr[b->len - 1] == ' ';
    if (quote) {
        buf_putc(b, '"');
        memmove(b->ptr + start + 1, b->ptr + start, n);
        b->ptr[start] = '"';
    }
    buf_puts(b, quote ? "\"\n" : "\n");
}

/* Does data[0..len) hold the n bytes of s?  (memmem is not C11.) */
static int contains(const char *data, size_t len, const char *s, size_t n)
{
    const char *p = data, *end = data + len;

    while (n && (size_t)(end - p) >= n && (p = memchr(p, s[0], (size_t)(end - p - n + 1)))) {
        if (!memcmp(p, s, n))
            return 1;
        p++;
    }
    return 0;
}

/* The section libgit2 would append for @p st (after a line end when
 * @p newline: the file did not end with one). */
static void put_section(buf *out, int newline, const posdiff_statement *st)
{
    if (newline)
        buf_putc(out, '\n');
    buf_printf(out, "[statement \"%s\"]\n", st->id);
    put_value(out, "file", st->file);
    put_value(out, "date", st->date);
    put_value(out, "title", st->title);
    put_value(out, "venue", st->venue);
    put_value(out, "speaker", st->speaker);
    put_value(out, "source", st->source);
}

/*
 * What the new manifest adds after @p data: 1 when built in @p out, 0
 * when libgit2 must do it (outside the subset, or a header for this id
 * exists already, which libgit2 would fill instead of appending a new
 * one).
 */
static int build_appended(buf *out, const char *data, size_t len, int simple,
                          const posdiff_statement *st)
{
    buf needle = BUF_INIT;
    int found;

    if (!*st->id || strpbrk(st->id, "\"\\\n") ||
        (!simple && mfile_parse_simple(NULL, data, len, "statement") != MFILE_SIMPLE))
        return 0;
    buf_printf(&needle, "\"%s\"]", st->id);
    found = !needle.ptr || contains(data, len, needle.ptr, needle.len);
    buf_free(&needle);
    if (found)
        return 0;
    put_section(out, len && data[len - 1] != '\n', st);
    return 1;
}

/* Write all of @p p (@p left bytes) to @p fd; -1 if it cannot. */
static int put_all(int fd, const char *p, size_t left)
{
    while (left > 0) {
        ssize_t n = write(fd, p, left);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        p += n;
        left -= (size_t)n;
    }
    return 0;
}

/* Write @p data then @p b to the new file @p tmp (mode 0666 less the
 * umask, as libgit2's filebuf); -1 with no error set and @p tmp removed
 * when that fails. */
static int write_new_file(const char *tmp, const char *data, size_t len, const buf *b)
{
    int fd, ok;

    unlink(tmp);
    if ((fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666)) < 0)
        return -1;
    ok = put_all(fd, data, len) == 0 && put_all(fd, b->ptr, b->len) == 0;
    ok &= close(fd) == 0;
    if (!ok)
        unlink(tmp);
    return ok ? 0 : -1;
}

/* Sync the new manifest @p tmp and rename it over @p path (else remove it). */
static int put_in_place(const char *tmp, const char *path)
{
    int error = fsync_path(tmp);

    if (error == 0 && rename(tmp, path) < 0)
        error = error_io("%s: cannot replace the manifest", path);
    if (error < 0)
        unlink(tmp);
    return error;
}

int mfile_append_statement_bytes(const char *path, const char *data, size_t len,
                                 int simple, const posdiff_statement *st)
{
    buf tmp = BUF_INIT, next = BUF_INIT;
    int error;

    buf_printf(&tmp, "%s.new.%ld", path, (long)getpid());
    if ((error = buf_ok(&tmp)) < 0)
        return error;
    if (!build_appended(&next, data, len, simple, st) || buf_ok(&next) < 0 ||
        write_new_file(tmp.ptr, data, len, &next) < 0) {
        error = mfile_append_statement_git(path, st);
        goto done;
    }
    error = put_in_place(tmp.ptr, path);
done:
    buf_free(&next);
    buf_free(&tmp);
    return error;
}

/*
 * Copy the manifest @p path (expected: @p len bytes) to the new file
 * @p tmp in chunks, then @p section: 1 when done; 0 when the copy met
 * the header @p needle (libgit2 must append: see build_appended), the
 * file was not @p len bytes, or a read or write failed (@p tmp removed).
 */
static int copy_then(const char *path, const char *tmp, size_t len, const buf *needle,
                     const buf *section)
{
    enum { CHUNK = 64 * 1024, KEEP = 256 };
    char *b = malloc(KEEP + CHUNK);
    size_t done = 0, keep = 0;
    int in = -1, out = -1, ok = 0;
    struct stat sb;
    ssize_t n;

    if (!b || !needle->len || needle->len > KEEP ||
        (in = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)) < 0 || fstat(in, &sb) < 0 ||
        !S_ISREG(sb.st_mode))
        goto done;
    unlink(tmp);
    if ((out = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666)) < 0)
        goto done;
    for (ok = 1; ok;) {
        size_t total, k;
        if ((n = read(in, b + keep, CHUNK)) < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            ok = n == 0 && done == len;
            break;
        }
        done += (size_t)n;
        total = keep + (size_t)n;
        /* the needle may straddle two reads: searched from the bytes kept */
        ok = done <= len && !contains(b, total, needle->ptr, needle->len) &&
             put_all(out, b + keep, (size_t)n) == 0;
        k = needle->len - 1 < total ? needle->len - 1 : total;
        memmove(b, b + total - k, k);
        keep = k;
    }
    ok = ok && put_all(out, section->ptr, section->len) == 0;
done:
    free(b);
    if (in >= 0)
        close(in);
    if (out >= 0 && close(out) < 0)
        ok = 0;
    if (!ok && out >= 0)
        unlink(tmp);
    return ok;
}

int mfile_append_statement_copy(const char *path, size_t len, int ends_nl, int simple,
                                const posdiff_statement *st)
{
    buf tmp = BUF_INIT, needle = BUF_INIT, section = BUF_INIT;
    int error;

    if (!simple || !*st->id || strpbrk(st->id, "\"\\\n"))
        return mfile_append_statement(path, st);
    buf_printf(&tmp, "%s.new.%ld", path, (long)getpid());
    buf_printf(&needle, "\"%s\"]", st->id);
    put_section(&section, len && !ends_nl, st);
    if ((error = buf_ok(&tmp)) < 0 || (error = buf_ok(&needle)) < 0 ||
        (error = buf_ok(&section)) < 0)
        goto done;
    if (!copy_then(path, tmp.ptr, len, &needle, &section)) {
        error = mfile_append_statement(path, st); /* decides from the file as it is */
        goto done;
    }
    error = put_in_place(tmp.ptr, path);
done:
    buf_free(&tmp);
    buf_free(&needle);
    buf_free(&section);
    return error;
}

int mfile_append_statement(const char *path, const posdiff_statement *st)
{
    char *data = NULL;
    size_t len = 0;
    int error;

    if (read_regular_file(&data, &len, path) < 0)
        return mfile_append_statement_git(path, st);
    error = mfile_append_statement_bytes(path, data, len, 0, st);
    free(data);
    return error;
}
