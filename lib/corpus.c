/*
 * corpus.c - open and validate a corpus; read and normalize statements.
 *
 * Strings of the statement records point into the loaded manifest
 * (mfile), which the corpus keeps alive.  Every entry is validated on
 * open, so the rest of posdiff can trust ids, dates and file paths:
 * a path may not be absolute, contain "..", or resolve (through
 * symlinks) outside the corpus directory.  realpath() costs a readlink
 * per component, so a plain path is checked with one lstat() instead
 * (resolves_in_place) and realpath() only decides the others.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "corpus_int.h"
#include "errors.h"
#include "fileio.h"
#include "manifest.h"
#include "posdiff/corpus.h"
#include "strhash.h"

struct posdiff_corpus {
    char *dir;                 /* as given to posdiff_corpus_open */
    char *real_dir;            /* realpath of dir */
    char *conf_path;           /* <dir>/statements.conf */
    mfile statements;          /* backing storage of the records */
    mfile positions;
    posdiff_statement *st;     /* corpus order */
    size_t count;
    corpus_stat *stats;        /* by manifest_index: raw file's stat on open */
    unsigned long long stat_clock; /* ns, real-time clock before those stats */
    posdiff_catalog *catalog;
    size_t max_bytes;
};

/* The keys of a statement entry; fill_statement relies on this order. */
enum { K_FILE, K_DATE, K_TITLE, K_VENUE, K_SPEAKER, K_SOURCE, K_STRIP, K_COUNT };
static const char *const known_statement_keys[K_COUNT] = {
    "file", "date", "title", "venue", "speaker", "source", "strip"};

/* The index of @p key in known_statement_keys, or K_COUNT. */
static int key_index(const char *key)
{
    for (int k = 0; k < K_COUNT; k++)
        if (key[0] == known_statement_keys[k][0] && !strcmp(key, known_statement_keys[k]))
            return k;
    return K_COUNT;
}

/* A section's known keys, read in one pass: the last value of each, and
 * how often it is given. */
typedef struct {
    const char *last[K_COUNT];
    size_t count[K_COUNT];
    size_t unknown;
} entry_keys;

static void entry_keys_read(entry_keys *e, const msection *s)
{
    memset(e, 0, sizeof(*e));
    for (size_t i = 0; i < s->keys.count; i++) {
        int k = key_index(s->keys.items[i]);
        if (k == K_COUNT) {
            e->unknown++;
            continue;
        }
        e->last[k] = s->values.items[i];
        e->count[k]++;
    }
}

static int entry_error(const posdiff_corpus *c, const char *id, const char *what)
{
    return error_set(POSDIFF_EINVALID, "%s: statement \"%s\": %s", c->conf_path,
                     id, what);
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
    size_t base = strlen(c->real_dir) + 1;
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
static int resolves_in_place(const posdiff_corpus *c, const char *file,
                             dir_cache *d, struct stat *sb)
{
    const char *slash = strrchr(file, '/');
    size_t dirlen = slash ? (size_t)(slash - file) : 0;

    if (!*file || strlen(c->real_dir) < 2 || strstr(file, "//") || !strcmp(file, ".") ||
        !strncmp(file, "./", 2) || strstr(file, "/./") ||
        (slash && (!slash[1] || !strcmp(slash, "/."))) ||
        strlen(c->real_dir) + 1 + strlen(file) >= PATH_MAX - 1)
        return 0;
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
        error = entry_error(c, id, "file resolves (through a symlink) outside the corpus; copy the file into statements/ instead");
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

static int check_path(const posdiff_corpus *c, const char *id, const char *file,
                      dir_cache *d, corpus_stat *out)
{
    char msg[PATH_MAX + 256];
    struct stat sb;
    int error = 0;

    if (file[0] == '/' || !strncmp(file, "../", 3) || strstr(file, "/../") ||
        !strcmp(file, "..") || (strlen(file) >= 3 && !strcmp(file + strlen(file) - 3, "/..")))
        return entry_error(c, id, "file path leaves the corpus; give a path inside it, such as statements/<id>.txt");
    if (!resolves_in_place(c, file, d, &sb))
        error = resolve_slowly(c, id, file, &sb);
    if (error == 0 && !S_ISREG(sb.st_mode)) {
        snprintf(msg, sizeof(msg), "%s is not a regular file; point 'file' at the statement's text file", file);
        error = entry_error(c, id, msg);
    }
    if (error == 0)
        *out = (corpus_stat){(unsigned long long)sb.st_size, ns_of(&sb.st_mtim),
                             ns_of(&sb.st_ctim), (unsigned long long)sb.st_ino,
                             sb.st_mtim.tv_sec >= 0 && sb.st_ctim.tv_sec >= 0};
    return error;
}

static int check_single(const posdiff_corpus *c, const msection *s,
                        const entry_keys *e, int k)
{
    const char *key = known_statement_keys[k];
    size_t n = e->count[k];
    char msg[256];

    if (n == 0) {
        snprintf(msg, sizeof(msg), "no '%s'; add '%s = ...' to the entry", key, key);
        return entry_error(c, s->id, msg);
    }
    if (n > 1) {
        snprintf(msg, sizeof(msg), "'%s' given %zu times (is the id used twice?); keep one entry per id", key, n);
        return entry_error(c, s->id, msg);
    }
    return 0;
}

static int fill_strip(posdiff_statement *st, const msection *s, size_t n)
{
    const char **strip;

    if (n == 0)
        return 0;
    if (!(strip = calloc(n, sizeof(*strip))))
        return error_oom();
    n = 0;
    for (size_t i = 0; i < s->keys.count; i++)
        if (!strcmp(s->keys.items[i], "strip"))
            strip[n++] = s->values.items[i];
    st->strip = strip;
    st->strip_count = n;
    return 0;
}

static int warn_unknown(posdiff_corpus *c, const msection *s)
{
    char msg[512];
    int error;

    for (size_t i = 0; i < s->keys.count; i++)
        if (key_index(s->keys.items[i]) == K_COUNT) {
            snprintf(msg, sizeof(msg), "%s: statement \"%s\": unknown key '%s' ignored",
                     c->conf_path, s->id, s->keys.items[i]);
            if ((error = strlist_push(&c->statements.warnings, msg)) < 0)
                return error;
        }
    return 0;
}

static int fill_statement(posdiff_corpus *c, posdiff_statement *st,
                          const msection *s, size_t index, dir_cache *d)
{
    entry_keys e;
    int error;

    if (!posdiff_id_valid(s->id))
        return entry_error(c, s->id, "invalid id; ids are lower-case letters, digits, '.' and '-' (no '/', '..' or spaces), e.g. 2021-12-14-oewg");
    entry_keys_read(&e, s);
    if ((error = check_single(c, s, &e, K_FILE)) < 0 ||
        (error = check_single(c, s, &e, K_DATE)) < 0)
        return error;
    st->id = s->id;
    st->file = e.last[K_FILE];
    st->date = e.last[K_DATE];
    st->title = e.last[K_TITLE];
    st->venue = e.last[K_VENUE];
    st->speaker = e.last[K_SPEAKER];
    st->source = e.last[K_SOURCE];
    st->manifest_index = index;
    if (posdiff_date_parse(NULL, NULL, NULL, st->date) < 0)
        return error_wrap(POSDIFF_EINVALID, "%s: statement \"%s\"", c->conf_path, s->id);
    if ((error = check_path(c, s->id, st->file, d, &c->stats[index])) < 0 ||
        (e.unknown && (error = warn_unknown(c, s)) < 0))
        return error;
    return fill_strip(st, s, e.count[K_STRIP]);
}

static int date_key(const posdiff_statement *st)
{
    int y = 0, m = 0, d = 0;
    posdiff_date_parse(&y, &m, &d, st->date);
    return y * 10000 + m * 100 + d;
}

typedef struct {
    int key;      /* date_key, computed once rather than per comparison */
    size_t index; /* manifest order */
} order_ref;

static int cmp_order(const void *a, const void *b)
{
    const order_ref *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return x->index < y->index ? -1 : x->index > y->index;
}

/* Corpus order: by date, then manifest order (c->st is in manifest order). */
static int sort_statements(posdiff_corpus *c)
{
    order_ref *v = malloc(c->count * sizeof(*v));
    posdiff_statement *sorted = malloc(c->count * sizeof(*sorted));
    int sorted_already = 1;

    if (!v || !sorted) {
        free(v);
        free(sorted);
        return error_oom();
    }
    for (size_t i = 0; i < c->count; i++) {
        v[i] = (order_ref){date_key(&c->st[i]), i};
        sorted_already &= i == 0 || v[i - 1].key <= v[i].key;
    }
    if (!sorted_already) /* manifests are usually kept in date order */
        qsort(v, c->count, sizeof(*v), cmp_order);
    for (size_t i = 0; i < c->count; i++)
        sorted[i] = c->st[v[i].index];
    free(v);
    free(c->st);
    c->st = sorted;
    return 0;
}

/*
 * Two statements naming one file, found with a hash set of the files
 * (open addressing, load <= 1/2): reports the pair a plain double loop
 * would, the smallest i with a later duplicate and its next duplicate
 * j.  Scanning in order, the first repeat of a file pairs it with its
 * first use; a smaller first use can only come from a later repeat.
 */
static int check_duplicate_files(const posdiff_corpus *c)
{
    size_t cap = 64, bi = SIZE_MAX, bj = 0, *slot;
    char msg[512];

    while (cap < 2 * c->count)
        cap *= 2;
    if (!(slot = calloc(cap, sizeof(*slot)))) /* index + 1, 0 = empty */
        return error_oom();
    for (size_t k = 0; k < c->count; k++) {
        size_t i = strhash(c->st[k].file) & (cap - 1);
        for (; slot[i] && strcmp(c->st[slot[i] - 1].file, c->st[k].file); i = (i + 1) & (cap - 1))
            ;
        if (!slot[i])
            slot[i] = k + 1;
        else if (slot[i] - 1 < bi) {
            bi = slot[i] - 1;
            bj = k;
        }
    }
    free(slot);
    if (bi == SIZE_MAX)
        return 0;
    snprintf(msg, sizeof(msg), "uses the same file as \"%s\" (%s); give each statement its own file",
             c->st[bi].id, c->st[bi].file);
    return entry_error(c, c->st[bj].id, msg);
}

static int load_statements(posdiff_corpus *c)
{
    dir_cache d = DIR_CACHE_INIT; /* see resolves_in_place */
    struct timespec now;
    int error;

    if ((error = mfile_load(&c->statements, c->conf_path, "statement", 0)) < 0)
        return error;
    if (c->statements.count && (!(c->st = calloc(c->statements.count, sizeof(*c->st))) ||
                                !(c->stats = calloc(c->statements.count, sizeof(*c->stats)))))
        return error_oom();
    clock_gettime(CLOCK_REALTIME, &now);
    c->stat_clock = ns_of(&now);
    for (size_t i = 0; i < c->statements.count && error == 0; i++) {
        error = fill_statement(c, &c->st[i], &c->statements.items[i], i, &d);
        c->count += error == 0;
    }
    dir_cache_free(&d);
    if (error < 0 || (error = check_duplicate_files(c)) < 0)
        return error;
    return c->count ? sort_statements(c) : 0;
}

static const char **gather(const msection *s, const char *key, size_t *n)
{
    const char **v;
    size_t k = 0;

    msection_get(s, key, n);
    if (!(v = calloc(*n ? *n : 1, sizeof(*v))))
        return NULL;
    for (size_t i = 0; i < s->keys.count; i++)
        if (!strcmp(s->keys.items[i], key))
            v[k++] = s->values.items[i];
    return v;
}

static int build_catalog(posdiff_corpus *c, posdiff_position *pos, const char *path)
{
    size_t n = c->positions.count, i;
    int error = 0;

    for (i = 0; i < n; i++)
        if (!(pos[i].match = gather(&c->positions.items[i], "match", &pos[i].match_count))) {
            error = error_oom();
            goto done;
        }
    if ((error = posdiff_catalog_new(&c->catalog, pos, n)) < 0)
        error_wrap(error, "%s", path);
done:
    for (size_t k = 0; k < i && k < n; k++)
        free((void *)pos[k].match);
    return error;
}

static int load_positions(posdiff_corpus *c)
{
    posdiff_position *pos = NULL;
    buf path = BUF_INIT;
    int error;

    buf_printf(&path, "%s/positions.conf", c->dir);
    if ((error = buf_ok(&path)) < 0 ||
        (error = mfile_load(&c->positions, path.ptr, "position", 1)) < 0)
        goto done;
    if (c->positions.count && !(pos = calloc(c->positions.count, sizeof(*pos)))) {
        error = error_oom();
        goto done;
    }
    for (size_t i = 0; i < c->positions.count; i++) {
        const msection *s = &c->positions.items[i];
        pos[i].id = s->id;
        pos[i].title = msection_get(s, "title", NULL);
    }
    error = build_catalog(c, pos, path.ptr);
done:
    free(pos);
    buf_free(&path);
    return error;
}

static size_t max_bytes_from_env(void)
{
    const char *v = getenv("POSDIFF_MAX_BYTES");
    long long n = v ? atoll(v) : 0;
    return n > 0 ? (size_t)n : POSDIFF_MAX_STATEMENT_BYTES;
}

int posdiff_corpus_open(posdiff_corpus **out, const char *dir)
{
    posdiff_corpus *c;
    buf conf = BUF_INIT;
    char real[PATH_MAX];
    int error;

    *out = NULL;
    if (!realpath(dir, real))
        return error_set(POSDIFF_ENOTFOUND, "%s: no such corpus directory; create one with 'posdiff init %s'", dir, dir);
    if (!(c = calloc(1, sizeof(*c))))
        return error_oom();
    buf_printf(&conf, "%s/statements.conf", dir);
    c->dir = strdup(dir);
    c->real_dir = strdup(real);
    c->conf_path = buf_detach(&conf, NULL);
    c->max_bytes = max_bytes_from_env();
    if (!c->dir || !c->real_dir || !c->conf_path)
        error = error_oom();
    else if ((error = load_statements(c)) == 0)
        error = load_positions(c);
    if (error < 0) {
        posdiff_corpus_free(c);
        return error;
    }
    *out = c;
    return 0;
}

void posdiff_corpus_free(posdiff_corpus *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->count; i++)
        free((void *)c->st[i].strip);
    free(c->st);
    free(c->stats);
    mfile_free(&c->statements);
    mfile_free(&c->positions);
    posdiff_catalog_free(c->catalog);
    free(c->dir);
    free(c->real_dir);
    free(c->conf_path);
    free(c);
}

const char *posdiff_corpus_dir(const posdiff_corpus *c)
{
    return c->dir;
}

size_t posdiff_corpus_count(const posdiff_corpus *c)
{
    return c->count;
}

const posdiff_statement *posdiff_corpus_statement(const posdiff_corpus *c, size_t i)
{
    return i < c->count ? &c->st[i] : NULL;
}

const posdiff_statement *posdiff_corpus_find(const posdiff_corpus *c, const char *id)
{
    for (size_t i = 0; i < c->count; i++)
        if (!strcmp(c->st[i].id, id))
            return &c->st[i];
    return NULL;
}

const posdiff_catalog *posdiff_corpus_catalog(const posdiff_corpus *c)
{
    return c->catalog;
}

size_t posdiff_corpus_warning_count(const posdiff_corpus *c)
{
    return c->statements.warnings.count + c->positions.warnings.count;
}

const char *posdiff_corpus_warning(const posdiff_corpus *c, size_t i)
{
    size_t n = c->statements.warnings.count;
    if (i < n)
        return c->statements.warnings.items[i];
    i -= n;
    return i < c->positions.warnings.count ? c->positions.warnings.items[i] : NULL;
}

int corpus_file_size(const posdiff_corpus *c, const posdiff_statement *st,
                     uintmax_t *size)
{
    if (st->manifest_index >= c->statements.count)
        return -1;
    *size = (uintmax_t)c->stats[st->manifest_index].size;
    return 0;
}

int corpus_file_stat(const posdiff_corpus *c, const posdiff_statement *st,
                     corpus_stat *out, unsigned long long *clock_ns)
{
    if (st->manifest_index >= c->statements.count || !c->stats[st->manifest_index].known)
        return -1;
    *out = c->stats[st->manifest_index];
    *clock_ns = c->stat_clock;
    return 0;
}

int corpus_manifest_same(const posdiff_corpus *c, const char *dir,
                         const char *data, size_t len, int *simple)
{
    char real[PATH_MAX];

    if (!c->statements.text || c->statements.text_len != len ||
        memcmp(c->statements.text, data, len) || !realpath(dir, real) ||
        strcmp(real, c->real_dir))
        return 0;
    *simple = c->statements.simple;
    return 1;
}

static char *statement_path(const posdiff_corpus *c, const posdiff_statement *st)
{
    buf b = BUF_INIT;
    buf_printf(&b, "%s/%s", c->dir, st->file);
    return buf_detach(&b, NULL);
}

int posdiff_corpus_read(char **out, size_t *len, const posdiff_corpus *c,
                        const posdiff_statement *st)
{
    char *path = statement_path(c, st);
    int error;

    if (!path)
        return error_oom();
    error = read_file_limited(out, len, path, c->max_bytes);
    free(path);
    return error;
}

int posdiff_corpus_normalize(posdiff_normalized **out, const posdiff_corpus *c,
                             const posdiff_statement *st)
{
    posdiff_normalize_options opts = POSDIFF_NORMALIZE_OPTIONS_INIT;
    posdiff_meta meta = {st->id, st->date, st->title, st->venue, st->speaker, st->source};
    char *raw = NULL, *path = statement_path(c, st);
    size_t len = 0;
    int error;

    if (!path)
        return error_oom();
    if ((error = read_file_limited(&raw, &len, path, c->max_bytes)) == 0) {
        opts.path = path;
        opts.max_bytes = c->max_bytes;
        opts.strip = st->strip;
        opts.strip_count = st->strip_count;
        opts.meta = &meta;
        error = posdiff_normalize(out, raw, len, &opts);
    }
    free(raw);
    free(path);
    return error;
}
