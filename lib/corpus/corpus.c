/*
 * corpus.c - open and validate a corpus; read and normalize statements.
 *
 * Strings of the statement records point into the loaded manifest
 * (mfile), or into its cache (corpus_cache.c), which the corpus keeps
 * alive.  Every entry is validated on open, so the rest of posdiff can
 * trust ids, dates and file paths: a path may not be absolute, contain
 * "..", or resolve (through symlinks) outside the corpus directory (the
 * raw files' checks are in corpus_files.c).
 *
 * A manifest that opened without error or warning can be kept checked
 * in the cache (posdiff_corpus_keep); an open then maps the cache, reads
 * statements.conf in chunks to check that it starts with the cached
 * bytes (their sum), and parses and checks only what follows: the few
 * statements `add` appended since.  Anything else there (more of them,
 * a section of a cached id, keys of the last cached section, a warning,
 * an error) makes it open the slow way, which says what a parse says.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "util/buf.h"
#include "util/cachesum.h"
#include "corpus_cache.h"
#include "corpus_int.h"
#include "util/errors.h"
#include "util/fileio.h"
#include "manifest.h"
#include "posdiff/corpus.h"
#include "util/strhash.h"

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

/* Does @p file's path leave the corpus (absolute, or a ".." component)? */
static int check_path_syntax(const posdiff_corpus *c, const char *id, const char *file)
{
    size_t n = strlen(file);

    if (file[0] == '/' || !strncmp(file, "../", 3) || strstr(file, "/../") ||
        !strcmp(file, "..") || (n >= 3 && !strcmp(file + n - 3, "/..")))
        return corpus_entry_error(c, id, "file path leaves the corpus; give a path inside it, such as statements/<id>.txt");
    return 0;
}

static int check_single(const posdiff_corpus *c, const msection *s,
                        const entry_keys *e, int k)
{
    const char *key = known_statement_keys[k];
    size_t n = e->count[k];
    char msg[256];

    if (n == 0) {
        snprintf(msg, sizeof(msg), "no '%s'; add '%s = ...' to the entry", key, key);
        return corpus_entry_error(c, s->id, msg);
    }
    if (n > 1) {
        snprintf(msg, sizeof(msg), "'%s' given %zu times (is the id used twice?); keep one entry per id", key, n);
        return corpus_entry_error(c, s->id, msg);
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

/* Everything but the file's stat (check_file): id, keys, date, path. */
static int fill_statement(posdiff_corpus *c, posdiff_statement *st,
                          const msection *s, size_t index)
{
    entry_keys e;
    int error;

    if (!posdiff_id_valid(s->id))
        return corpus_entry_error(c, s->id, "invalid id; ids are lower-case letters, digits, '.' and '-' (no '/', '..' or spaces), e.g. 2021-12-14-oewg");
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
    if ((error = check_path_syntax(c, s->id, st->file)) < 0 ||
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
    return corpus_entry_error(c, c->st[bj].id, msg);
}

/*
 * Every entry is checked in two passes that report what one pass in
 * manifest order would: the first entry failing any check, with that
 * check's message.  Pass 1 checks all but the files and stops at the
 * first failure j; pass 2 checks the files of entries before j (a
 * failure there comes first); if none fails, j's error is set again.
 */
static int load_parsed(posdiff_corpus *c)
{
    size_t n = c->statements.count, j;
    int error = 0;

    if (n && (!(c->st = calloc(n, sizeof(*c->st))) ||
              !(c->stats = calloc(n, sizeof(*c->stats)))))
        return error_oom();
    c->entries = n;
    for (j = 0; j < n && error == 0; j++) {
        error = fill_statement(c, &c->st[j], &c->statements.items[j], j);
        c->count += error == 0;
    }
    j = c->count; /* the first failing entry, or n */
    if ((error = corpus_stat_entries(c, j)) < 0)
        return error;
    if (j < n) {
        posdiff_statement scratch = {0};
        error = fill_statement(c, &scratch, &c->statements.items[j], j);
        free((void *)scratch.strip);
        return error < 0 ? error : error_set(POSDIFF_ERROR, "%s: cannot read", c->conf_path);
    }
    if ((error = check_duplicate_files(c)) < 0 || (c->count && (error = sort_statements(c)) < 0))
        return error;
    c->cacheable = c->statements.simple && !c->statements.warnings.count && c->count;
    return 0;
}

/* ---- from the cache (corpus_cache.c) ------------------------------------ */

#define TAIL_MAX 8 /* statements after the cached ones: more, and the slow
                    * way reads the manifest (and caches it whole) */

/* Does one of entries [0, n) have @p st's id or file? */
static int clashes(const posdiff_corpus *c, size_t n, const posdiff_statement *st)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(c->st[i].id, st->id) || !strcmp(c->st[i].file, st->file))
            return 1;
    return 0;
}

/*
 * The statements after the cached ones (the tail of the manifest, parsed
 * into c->statements), entries k..: 0 when every one is valid, without
 * warning, and its id and file new; 1 when not (the slow way then gives
 * the error or warning a full parse gives: a tail section with a cached
 * id would have been merged into that section, for one).
 */
static int fill_tail(posdiff_corpus *c, size_t k)
{
    for (size_t i = 0; i < c->statements.count; i++) {
        posdiff_statement *st = &c->st[k + i];
        if (fill_statement(c, st, &c->statements.items[i], k + i) < 0)
            return 1;
        c->count++;
        if (c->statements.warnings.count || clashes(c, k + i, st))
            return 1;
    }
    return 0;
}

/* Corpus order from the cached order of the first @p k entries and the
 * tail's entries, which come after them in manifest order. */
static int merge_order(posdiff_corpus *c, const corpus_cache *cc, size_t k)
{
    size_t n = c->count, t = n - k, at = 0, out = 0;
    posdiff_statement *sorted = malloc(n * sizeof(*sorted));
    order_ref *tail = malloc((t ? t : 1) * sizeof(*tail));

    if (!sorted || !tail) {
        free(sorted);
        free(tail);
        return error_oom();
    }
    for (size_t i = 0; i < t; i++)
        tail[i] = (order_ref){date_key(&c->st[k + i]), k + i};
    qsort(tail, t, sizeof(*tail), cmp_order);
    for (size_t i = 0; i < t; i++) {
        /* after every cached entry of an earlier or equal date (those
         * come first in manifest order): a binary search on the order */
        size_t lo = at, hi = k;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (date_key(&c->st[cc->order[mid]]) <= tail[i].key)
                lo = mid + 1;
            else
                hi = mid;
        }
        for (; at < lo; at++)
            sorted[out++] = c->st[cc->order[at]];
        sorted[out++] = c->st[tail[i].index];
    }
    for (; at < k; at++)
        sorted[out++] = c->st[cc->order[at]];
    free(tail);
    free(c->st);
    c->st = sorted;
    return 0;
}

/*
 * Open from the cache @p taken (taken over) of the manifest's first
 * bytes, parsing @p tail (@p tail_len bytes, taken over: the rest of the
 * manifest): 0, an error of the raw files, or 1 when the slow way must
 * decide.
 */
static int load_cached(posdiff_corpus *c, corpus_cache *taken, char *tail, size_t tail_len)
{
    const corpus_cache *cc = &c->cache;
    size_t k = taken->count, n;
    int error;

    c->cache = *taken; /* the cached statements' strings */
    memset(taken, 0, sizeof(*taken));
    c->tail = tail;
    c->tail_len = tail_len;
    if (tail_len > 0 &&
        mfile_parse_simple(&c->statements, tail, tail_len, "statement") != MFILE_SIMPLE)
        return 1;
    if (c->statements.count > TAIL_MAX)
        return 1;
    n = k + c->statements.count;
    if (!(c->st = calloc(n, sizeof(*c->st))) || !(c->stats = calloc(n, sizeof(*c->stats))))
        return error_oom();
    c->entries = n;
    for (size_t i = 0; i < k; i++, c->count++)
        if (corpus_cache_statement(cc, i, &c->st[i]) < 0)
            return error_oom();
    if (fill_tail(c, k))
        return 1;
    if ((error = corpus_stat_entries(c, n)) < 0 || (error = merge_order(c, cc, k)) < 0)
        return error;
    c->statements.simple = 1;
    return 0;
}

/* Back to no statements (after load_cached gave up). */
static void unload(posdiff_corpus *c)
{
    for (size_t i = 0; i < c->count; i++)
        free((void *)c->st[i].strip);
    free(c->st);
    free(c->stats);
    free(c->tail);
    corpus_cache_free(&c->cache);
    c->st = NULL;
    c->stats = NULL;
    c->tail = NULL;
    c->tail_len = 0;
    c->count = c->entries = 0;
    mfile_free(&c->statements);
    posdiff_error_clear(); /* what made it give up is said again, or is no error */
}

/* ---- reading statements.conf in chunks ---------------------------------- */

/*
 * A cached manifest is 2 MB that an open need not keep: read in chunks
 * (no 2 MB buffer to fault in page by page, ~1.4 ms), summed and
 * compared as they go.
 */
enum { CHUNK = 64 * 1024 }; /* a multiple of CACHESUM64_STRIDE */

/* Read up to @p want bytes (fewer only at the end of the file); -1 on error. */
static ssize_t read_full(int fd, char *p, size_t want)
{
    size_t got = 0;
    ssize_t n;

    while (got < want) {
        if ((n = read(fd, p + got, want - got)) < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -1;
        if (n == 0)
            break;
        got += (size_t)n;
    }
    return (ssize_t)got;
}

/* Do the next @p plen bytes of @p fd sum to @p psum, a line end last? */
static int prefix_matches(int fd, char *chunk, size_t plen, uint64_t psum)
{
    cachesum64_state s;
    size_t done = 0;
    char last = '\0';

    cachesum64_init(&s, plen);
    while (done < plen) {
        size_t want = plen - done < CHUNK ? plen - done : CHUNK;
        if (read_full(fd, chunk, want) != (ssize_t)want)
            return 0;
        last = chunk[want - 1];
        done += want;
        if (done < plen) {
            cachesum64_update(&s, chunk, want);
        } else {
            size_t whole = want / CACHESUM64_STRIDE * CACHESUM64_STRIDE;
            cachesum64_update(&s, chunk, whole);
            if (cachesum64_final(&s, chunk + whole, want - whole) != psum)
                return 0;
        }
    }
    return last == '\n';
}

/* The rest of @p fd (malloc'ed, NUL-terminated); -1 when it cannot be read. */
static int read_rest(int fd, char **out, size_t *len)
{
    buf b = BUF_INIT;
    char chunk[4096];
    ssize_t n;

    while ((n = read_full(fd, chunk, sizeof(chunk))) > 0)
        buf_put(&b, chunk, (size_t)n);
    buf_putc(&b, '\0'); /* allocated even when empty */
    if (n < 0 || buf_ok(&b) < 0) {
        buf_free(&b);
        posdiff_error_clear();
        return -1;
    }
    *out = buf_detach(&b, len);
    (*len)--;
    return 0;
}

/* Open the regular file @p path for reading (not blocking on a FIFO). */
static int open_regular(const char *path)
{
    struct stat sb;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);

    if (fd >= 0 && (fstat(fd, &sb) < 0 || !S_ISREG(sb.st_mode))) {
        close(fd);
        fd = -1;
    }
    return fd;
}

/* Does @p path start with @p cc's prefix?  1 with the rest in *tail. */
static int manifest_after(const char *path, const corpus_cache *cc, char **tail,
                          size_t *tail_len)
{
    char *chunk = malloc(CHUNK);
    int fd = open_regular(path), ok;

    ok = chunk && fd >= 0 && prefix_matches(fd, chunk, cc->prefix_len, cc->prefix_sum) &&
         read_rest(fd, tail, tail_len) == 0;
    if (fd >= 0)
        close(fd);
    free(chunk);
    return ok;
}

static int load_statements(posdiff_corpus *c)
{
    corpus_cache cc;
    char *data = NULL, *tail = NULL;
    size_t len = 0, tail_len = 0;
    int error;

    if (corpus_cache_open(&cc, c->dir)) {
        if (manifest_after(c->conf_path, &cc, &tail, &tail_len)) {
            if ((error = load_cached(c, &cc, tail, tail_len)) != 1)
                return error;
            unload(c);
        }
        corpus_cache_free(&cc);
    }
    if (read_regular_file(&data, &len, c->conf_path) < 0) /* libgit2 says why */
        error = mfile_load(&c->statements, c->conf_path, "statement", 0);
    else
        error = mfile_load_data(&c->statements, c->conf_path, data, len, "statement", 0);
    return error < 0 ? error : load_parsed(c);
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
    return posdiff_corpus_open_ext(out, dir, 0);
}

int posdiff_corpus_open_ext(posdiff_corpus **out, const char *dir, unsigned flags)
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
    c->real_dir_len = strlen(real);
    c->conf_path = buf_detach(&conf, NULL);
    c->max_bytes = max_bytes_from_env();
    c->flags = flags;
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

void posdiff_corpus_keep(const posdiff_corpus *c)
{
    if (c && c->cacheable)
        corpus_cache_save(c->dir, c->statements.text, c->statements.text_len, c->st, c->count);
}

void posdiff_corpus_free(posdiff_corpus *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->count; i++)
        free((void *)c->st[i].strip);
    free(c->st);
    free(c->stats);
    free(c->tail);
    corpus_cache_free(&c->cache);
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

/* Does the file @p path hold exactly @p len bytes equal to @p data? */
static int file_holds(const char *path, const char *data, size_t len)
{
    char *chunk = malloc(CHUNK);
    size_t at = 0;
    ssize_t n = 1;
    int fd = open_regular(path), same = chunk && fd >= 0;

    while (same && at < len && (n = read_full(fd, chunk, CHUNK)) > 0) {
        same = (size_t)n <= len - at && !memcmp(chunk, data + at, (size_t)n);
        at += (size_t)n;
    }
    same = same && n >= 0;
    same = same && at == len && read_full(fd, chunk, 1) == 0;
    if (fd >= 0)
        close(fd);
    free(chunk);
    return same;
}

/* Does the file @p path still hold the cached prefix and then @p c's tail? */
static int file_holds_cached(const posdiff_corpus *c, const char *path)
{
    char *chunk = malloc(CHUNK), *tail = NULL;
    size_t tail_len = 0;
    int fd = open_regular(path), same;

    same = chunk && fd >= 0 &&
           prefix_matches(fd, chunk, c->cache.prefix_len, c->cache.prefix_sum) &&
           read_rest(fd, &tail, &tail_len) == 0 && tail_len == c->tail_len &&
           !memcmp(tail, c->tail, tail_len);
    if (fd >= 0)
        close(fd);
    free(tail);
    free(chunk);
    return same;
}

int corpus_manifest_current(const posdiff_corpus *c, const char *dir, corpus_manifest *m)
{
    char real[PATH_MAX];

    if (!realpath(dir, real) || strcmp(real, c->real_dir))
        return 0;
    if (c->statements.text) {
        if (!file_holds(c->conf_path, c->statements.text, c->statements.text_len))
            return 0;
        m->data = c->statements.text;
        m->len = c->statements.text_len;
        m->ends_nl = m->len && m->data[m->len - 1] == '\n';
    } else if (c->cache.data) {
        if (!file_holds_cached(c, c->conf_path))
            return 0;
        m->data = NULL; /* not kept: copied from the file */
        m->len = c->cache.prefix_len + c->tail_len;
        m->ends_nl = c->tail_len ? c->tail[c->tail_len - 1] == '\n' : 1;
    } else {
        return 0;
    }
    m->simple = c->statements.simple;
    return 1;
}

static char *statement_path(const posdiff_corpus *c, const posdiff_statement *st)
{
    buf b = BUF_INIT;
    buf_printf(&b, "%s/%s", c->dir, st->file);
    return buf_detach(&b, NULL);
}

void corpus_prefetch(const posdiff_corpus *c, const posdiff_statement *st)
{
    char *path = statement_path(c, st);
    int fd = path ? open(path, O_RDONLY | O_CLOEXEC) : -1;

    if (fd >= 0) {
        (void)posix_fadvise(fd, 0, 0, POSIX_FADV_WILLNEED); /* a hint: may fail */
        close(fd);
    }
    free(path);
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
