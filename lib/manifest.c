/*
 * manifest.c - statements.conf / positions.conf via git_config.
 *
 * Reading: git_config_open_ondisk + an iterator over "<kind>\..*"; the
 * iterator yields entries in file order, which is the manifest order.
 * A name is <kind>.<subsection>.<key>; the subsection may contain dots
 * (ids like "oewg-2.1"), so it is split at the first and last dot.
 *
 * Writing: the file is copied to a temporary sibling, edited there with
 * git_config_set_string (libgit2 quotes values as needed), fsync'ed and
 * renamed over the original, so readers see either the old or the new
 * manifest, never a half-written one.
 */
#include "manifest.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <git2.h>

#include "buf.h"
#include "errors.h"
#include "fileio.h"

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
typedef struct {
    size_t *slot;
    size_t cap; /* a power of two, or 0 */
} sect_index;

static size_t hash_id(const char *id, size_t len)
{
    size_t h = 2166136261u;
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)id[i]) * 16777619u;
    return h;
}

/* Slot of id in x: where its section number is, or the empty slot. */
static size_t index_slot(const sect_index *x, const mfile *m, const char *id,
                         size_t idlen)
{
    size_t i = hash_id(id, idlen) & (x->cap - 1);
    for (; x->slot[i]; i = (i + 1) & (x->cap - 1)) {
        const char *s = m->items[x->slot[i] - 1].id;
        if (strlen(s) == idlen && !memcmp(s, id, idlen))
            break;
    }
    return i;
}

static int index_grow(sect_index *x, const mfile *m)
{
    sect_index nx = {NULL, x->cap ? x->cap * 2 : 64};

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
    if (!(m->items[m->count].id = strndup(id, idlen)))
        return NULL;
    return &m->items[m->count++];
}

/* The section of id (created at the end when new); NULL on OOM. */
static msection *section_for(mfile *m, sect_index *x, const char *id,
                             size_t idlen)
{
    size_t i;

    if ((m->count + 1) * 2 > x->cap && index_grow(x, m) < 0)
        return NULL;
    i = index_slot(x, m, id, idlen);
    if (x->slot[i])
        return &m->items[x->slot[i] - 1];
    if (!section_new(m, id, idlen))
        return NULL;
    x->slot[i] = m->count;
    return &m->items[m->count - 1];
}

static int add_entry(mfile *m, sect_index *x, const git_config_entry *e,
                     size_t kindlen)
{
    const char *sub = e->name + kindlen + 1;
    const char *dot = strrchr(sub, '.');
    msection *s;

    if (!dot || dot == sub) {
        char msg[512];
        snprintf(msg, sizeof(msg), "'%s' is outside any [section \"id\"]; it is ignored", e->name);
        return strlist_push(&m->warnings, msg);
    }
    if (!(s = section_for(m, x, sub, (size_t)(dot - sub))))
        return error_oom();
    if (strlist_push(&s->keys, dot + 1) < 0 || strlist_push(&s->values, e->value) < 0)
        return POSDIFF_ENOMEM;
    return 0;
}

int mfile_load(mfile *out, const char *path, const char *kind, int optional)
{
    git_config *cfg = NULL;
    git_config_iterator *it = NULL;
    git_config_entry *e;
    sect_index x = {NULL, 0};
    char glob[64];
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
    snprintf(glob, sizeof(glob), "^%s\\.", kind);
    if ((error = git_config_iterator_glob_new(&it, cfg, glob)) < 0) {
        error = error_git("%s: cannot read", path);
        goto done;
    }
    while ((error = git_config_next(&e, it)) == 0)
        if ((error = add_entry(out, &x, e, strlen(kind))) < 0)
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
    for (size_t i = 0; i < m->count; i++) {
        free(m->items[i].id);
        strlist_free(&m->items[i].keys);
        strlist_free(&m->items[i].values);
    }
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

int mfile_append_statement(const char *path, const posdiff_statement *st)
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
