/*
 * corpus.c - open and validate a corpus; read and normalize statements.
 *
 * The records' strings point into the manifest as read (manifest.c) or
 * into its cache (corpus_cache.c), which the corpus keeps.  Every entry
 * is validated on open, so the rest of posdiff can trust ids, dates and
 * file paths: a path names a file under statements/ (no "..", no
 * hidden part) reached through no symlink (the raw files' checks are
 * in corpus_files.c, which opens them so for every read).  An open
 * takes the cache when statements.conf holds the very bytes it was
 * made from: the same stat data, older than the read by 2 s, or else
 * the same length and sum; posdiff_corpus_keep and `add` write it.
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

#include "corpus_int.h"
#include "util/buf.h"
#include "util/cachesum.h"
#include "util/errors.h"
#include "util/fileio.h"
#include "util/hashmap.h"

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
    for (size_t i = 0; i < s->n; i++) {
        int k = key_index(s->keys[i]);
        if (k == K_COUNT) {
            e->unknown++;
            continue;
        }
        e->last[k] = s->values[i];
        e->count[k]++;
    }
}

/* Is @p file statements/<name>[/<name>...], no name empty or hidden ('.')? */
static int in_statements(const char *file)
{
    if (strncmp(file, "statements/", 11))
        return 0;
    for (const char *p = file + 10; p; p = strchr(p + 1, '/'))
        if (p[1] == '\0' || p[1] == '/' || p[1] == '.')
            return 0;
    return 1;
}

/* Does @p file's path leave the corpus (absolute, or a ".." component),
 * or name anything but a statement file (.git/config, .posdiff/...)? */
static int check_path_syntax(const posdiff_corpus *c, const char *id, const char *file)
{
    size_t n = strlen(file);

    if (n > PATH_MAX / 4) /* the message quotes its start only */
        return error_set(POSDIFF_EINVALID, "%s: statement \"%s\": file %.60s... is %zu bytes "
                         "long, over the limit of %d; give a shorter path",
                         c->conf_path, id, file, n, PATH_MAX / 4);
    if (file[0] == '/' || !strncmp(file, "../", 3) || strstr(file, "/../") ||
        !strcmp(file, "..") || (n >= 3 && !strcmp(file + n - 3, "/..")))
        return corpus_entry_error(c, id, "file path leaves the corpus; give a path inside it, such as statements/<id>.txt");
    if (!in_statements(file))
        return error_set(POSDIFF_EINVALID, "%s: statement \"%s\": file %s is not a statement file: statement files live in statements/, and no part of their path is empty or starts with '.'; copy the statement's text into statements/ and point 'file' at it",
                         c->conf_path, id, file);
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

/* The values of @p key in @p s (malloc'ed array; *@p n of them), or NULL. */
static const char **gather(const msection *s, const char *key, size_t *n)
{
    const char **v = calloc(s->n ? s->n : 1, sizeof(*v));

    *n = 0;
    for (size_t i = 0; v && i < s->n; i++)
        if (!strcmp(s->keys[i], key))
            v[(*n)++] = s->values[i];
    return v;
}

static int warn_unknown(const posdiff_corpus *c, strlist *warn, const msection *s)
{
    char msg[768], *data = NULL;
    size_t len = 0;
    int error = 0;

    if (read_regular_file(&data, &len, c->conf_path) < 0)
        len = 0;
    for (size_t i = 0; i < s->n && !error; i++)
        if (key_index(s->keys[i]) == K_COUNT) {
            snprintf(msg, sizeof(msg), "%s:%d: statement \"%s\": unknown key '%s' ignored; "
                     "the keys are file, date, title, venue, speaker, source and strip",
                     c->conf_path, len ? gitconfig_line(data, len, "statement", s->id, s->keys[i], 0) : 0,
                     s->id, s->keys[i]);
            error = strlist_push(warn, msg);
        }
    free(data);
    return error;
}

const char *corpus_glob_problem(const char *g)
{
    for (; *g; g++) {
        if (*g == '\\') {
            if (!*++g)
                return "ends in a lone '\\'; remove it or write '\\\\'";
            continue; /* an escaped char ("\\[") is itself */
        }
        if (*g == '\n')
            return "holds a line break; a glob matches one line";
        if (*g == '[') {
            const char *q = g + 1 + (g[1] == '!' || g[1] == '^');
            q += *q == ']';
            if (!(q = strchr(q, ']')))
                return "has a '[' without its ']'; close it, or write '\\[' for a bracket";
            g = q;
        }
    }
    return NULL;
}

/* A strip glob that cannot match what it says is an error at its line. */
static int check_glob(const posdiff_corpus *c, const char *id, const char *g, size_t nth)
{
    const char *why = corpus_glob_problem(g);
    char *data = NULL;
    size_t len = 0;
    int line = 0;

    if (!why)
        return 0;
    if (read_regular_file(&data, &len, c->conf_path) == 0)
        line = gitconfig_line(data, len, "statement", id, "strip", nth);
    free(data);
    return error_set(POSDIFF_EINVALID, "%s:%d: statement \"%s\": strip glob '%s' %s",
                     c->conf_path, line, id, g, why);
}

/* Everything but the file's stat (corpus_files.c): id, keys, date, path;
 * warnings to @p warn. */
static int fill_statement(const posdiff_corpus *c, strlist *warn, posdiff_statement *st,
                          const msection *s, size_t index)
{
    entry_keys e;
    int error;

    if (!posdiff_id_valid(s->id))
        return corpus_entry_error(c, s->id, "invalid id; ids are at most 128 lower-case letters, digits, '.' and '-' (no '/', '..' or spaces), e.g. 2021-12-14-oewg");
    entry_keys_read(&e, s);
    if ((error = check_single(c, s, &e, K_FILE)) < 0 ||
        (error = check_single(c, s, &e, K_DATE)) < 0)
        return error;
    for (int k = K_TITLE; k <= K_SOURCE; k++) /* optional, but once */
        if (e.count[k] > 1 && (error = check_single(c, s, &e, k)) < 0)
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
        (e.unknown && (error = warn_unknown(c, warn, s)) < 0))
        return error;
    for (size_t i = 0, nth = 0; i < s->n; i++)
        if (!strcmp(s->keys[i], "strip") && (error = check_glob(c, s->id, s->values[i], nth++)) < 0)
            return error;
    if (e.count[K_STRIP] && !(st->strip = gather(s, "strip", &st->strip_count)))
        return error_oom();
    return 0;
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
    order_ref *v;
    posdiff_statement *sorted;
    int sorted_already = 1;

    for (size_t i = 1; i < c->count && sorted_already; i++)
        sorted_already = date_key(&c->st[i - 1]) <= date_key(&c->st[i]);
    if (sorted_already) /* manifests are usually kept in date order */
        return 0;
    v = malloc(c->count * sizeof(*v));
    sorted = malloc(c->count * sizeof(*sorted));
    if (!v || !sorted) {
        free(v);
        free(sorted);
        return error_oom();
    }
    for (size_t i = 0; i < c->count; i++)
        v[i] = (order_ref){date_key(&c->st[i]), i};
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
    size_t bi = SIZE_MAX, bj = 0, first;
    hashmap seen = HASHMAP_INIT; /* file -> index + 1 of its first use */
    char msg[512];
    int error = 0;

    for (size_t k = 0; k < c->count && error == 0; k++) {
        const char *f = c->st[k].file;
        if (!(first = (size_t)(uintptr_t)hashmap_get(&seen, f, strlen(f))))
            error = hashmap_put(&seen, f, strlen(f), (void *)(uintptr_t)(k + 1));
        else if (first - 1 < bi) {
            bi = first - 1;
            bj = k;
        }
    }
    hashmap_free(&seen);
    if (error < 0)
        return error;
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
        error = fill_statement(c, &c->statements.warnings, &c->st[j], &c->statements.items[j], j);
        c->count += error == 0;
    }
    j = c->count; /* the first failing entry, or n */
    if ((error = corpus_stat_entries(c, j)) < 0)
        return error;
    if (j < n) {
        posdiff_statement scratch = {0};
        error = fill_statement(c, &c->statements.warnings, &scratch, &c->statements.items[j], j);
        free((void *)scratch.strip);
        return error < 0 ? error : error_set(POSDIFF_ERROR, "%s: cannot read", c->conf_path);
    }
    if ((error = check_duplicate_files(c)) < 0 || (c->count && (error = sort_statements(c)) < 0))
        return error;
    c->cacheable = c->statements.cacheable && !c->statements.warnings.count;
    return 0;
}

/* ---- from the cache (corpus_cache.c) ------------------------------------ */

/* Open from the cache @p cc (taken over) of statements.conf as it is:
 * 0, an error of the raw files, or 1 (@p cc not taken) when it is bad. */
static int load_cached(posdiff_corpus *c, corpus_cache *cc)
{
    size_t n = cc->count;
    int error;

    if (!(c->st = calloc(n, sizeof(*c->st))) || !(c->stats = calloc(n, sizeof(*c->stats))))
        return error_oom();
    if (corpus_cache_read(cc, c->st) < 0) {
        free(c->st);
        free(c->stats);
        c->st = NULL;
        c->stats = NULL;
        return 1;
    }
    c->cache = *cc;
    c->conf_len = cc->conf_len;
    c->conf_sum = cc->conf_sum;
    c->count = c->entries = n;
    c->cacheable = 1;
    if ((error = corpus_stat_entries(c, n)) < 0)
        return error;
    return sort_statements(c);
}

/* The length and cachesum64 of the file @p path; -1 when it cannot be read. */
static int file_sum(const char *path, size_t *len, uint64_t *sum)
{
    char *data = NULL;

    if (read_regular_file(&data, len, path) < 0)
        return -1;
    *sum = cachesum64(data, *len);
    free(data);
    return 0;
}

static int same_key(corpus_conf_key a, corpus_conf_key b)
{
    return a.size == b.size && a.mtime == b.mtime && a.ctime == b.ctime && a.ino == b.ino;
}

static int load_statements(posdiff_corpus *c)
{
    corpus_cache cc;
    corpus_conf_key key;
    struct timespec now;
    size_t len = 0;
    uint64_t sum = 0;
    int error;

    clock_gettime(CLOCK_REALTIME, &now); /* before the manifest is looked at */
    c->open_clock = (unsigned long long)now.tv_sec * 1000000000ull + (unsigned long long)now.tv_nsec;
    if (corpus_cache_open(&cc, c->dir)) {
        key = corpus_conf_key_of(c->conf_path, c->open_clock);
        if (key.mtime && same_key(key, cc.key) && (error = load_cached(c, &cc)) != 1)
            return error; /* the stat data vouch for the bytes: not read */
        if (file_sum(c->conf_path, &len, &sum) == 0 && len == cc.conf_len &&
            sum == cc.conf_sum && (error = load_cached(c, &cc)) != 1) {
            if (error == 0 && key.mtime) /* next time, by the stat data */
                corpus_cache_save(c->dir, len, sum, key, c->st, c->count);
            return error;
        }
        corpus_cache_free(&cc);
    }
    if ((error = mfile_load(&c->statements, c->conf_path, "statement", 0)) < 0)
        return error;
    c->conf_len = c->statements.len;
    c->conf_sum = c->statements.sum;
    return load_parsed(c);
}

/* A catalog checks itself: a section given twice is an error, an
 * unknown key a warning (a typo such as 'titel' or 'mach' must not
 * pass in silence); both name file:line. */
static int check_position_keys(posdiff_corpus *c, const char *path, const char *data,
                               size_t len, const msection *s)
{
    static const char *const known[] = {"title", "match", "exclude", "example"};
    char msg[768];
    int line;

    if ((line = gitconfig_line(data, len, "position", s->id, NULL, 1)) > 0)
        return error_set(POSDIFF_EINVALID, "%s:%d: [position \"%s\"] again (first at line "
                         "%d); merge the two sections into one", path, line, s->id,
                         gitconfig_line(data, len, "position", s->id, NULL, 0));
    for (size_t i = 0, k; i < s->n; i++) {
        for (k = 0; k < 4 && strcmp(s->keys[i], known[k]); k++)
            ;
        if (k < 4)
            continue;
        snprintf(msg, sizeof(msg), "%s:%d: position \"%s\": unknown key '%s' ignored; the "
                 "keys are title, match, exclude and example", path,
                 gitconfig_line(data, len, "position", s->id, s->keys[i], 0),
                 s->id, s->keys[i]);
        if (strlist_push(&c->positions.warnings, msg) < 0)
            return error_oom();
    }
    return 0;
}

static int load_positions(posdiff_corpus *c)
{
    posdiff_position *pos = NULL;
    buf path = BUF_INIT;
    char *data = NULL;
    struct stat sb;
    size_t n = 0, len = 0;
    int error;

    buf_printf(&path, "%s/positions.conf", c->dir);
    if ((error = buf_ok(&path)) < 0)
        goto done;
    if (lstat(path.ptr, &sb) < 0 && errno == ENOENT) {
        error = error_set(POSDIFF_ENOTFOUND, "%s: no such file; every corpus has a catalog: "
                          "restore it (git checkout -- positions.conf), or create an empty "
                          "one to track no position", path.ptr);
        goto done;
    }
    if ((error = mfile_load(&c->positions, path.ptr, "position", 0)) < 0 ||
        (error = read_file_limited(&data, &len, path.ptr, SIZE_MAX)) < 0)
        goto done;
    n = c->positions.count;
    if (!(pos = calloc(n ? n : 1, sizeof(*pos))))
        error = error_oom();
    for (size_t i = 0; i < n && error == 0; i++) {
        const msection *s = &c->positions.items[i];
        if ((error = check_position_keys(c, path.ptr, data, len, s)) < 0)
            break;
        pos[i].id = s->id;
        pos[i].title = msection_get(s, "title");
        pos[i].match = gather(s, "match", &pos[i].match_count);
        pos[i].exclude = gather(s, "exclude", &pos[i].exclude_count);
        pos[i].example = gather(s, "example", &pos[i].example_count);
        if (!pos[i].match || !pos[i].exclude || !pos[i].example)
            error = error_oom();
    }
    if (error == 0 && (error = corpus_review_load(c, pos, n)) == 0 &&
        (error = posdiff_catalog_new(&c->catalog, pos, n)) < 0)
        error_wrap(error, "%s", path.ptr);
done:
    if (pos)
        corpus_review_free(pos, n);
    for (size_t i = 0; pos && i < n; i++) {
        free((void *)pos[i].match);
        free((void *)pos[i].exclude);
        free((void *)pos[i].example);
    }
    free(pos);
    buf_free(&path);
    free(data);
    return error;
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
    c->max_bytes = max_bytes_env(POSDIFF_MAX_STATEMENT_BYTES);
    c->flags = flags;
    if (!c->dir || !c->real_dir || !c->conf_path)
        error = error_oom();
    else if (c->max_bytes == 0)
        error = error_set(POSDIFF_EINVALID, "POSDIFF_MAX_BYTES=%s: not a size; give bytes, "
                          "or a number with K, M or G", getenv("POSDIFF_MAX_BYTES"));
    else if ((error = posdiff_init()) == 0) { /* once for both files */
        if ((error = load_statements(c)) == 0)
            error = load_positions(c);
        posdiff_shutdown();
    }
    if (error < 0) {
        posdiff_corpus_free(c);
        return error;
    }
    *out = c;
    return 0;
}

void posdiff_corpus_keep(const posdiff_corpus *c)
{
    if (c && c->cacheable && !c->cache.data)
        corpus_cache_save(c->dir, c->conf_len, c->conf_sum,
                          corpus_conf_key_of(c->conf_path, c->open_clock), c->st, c->count);
}

/* Does an entry have @p st's id or file? */
static int clashes(const posdiff_corpus *c, const posdiff_statement *st)
{
    for (size_t i = 0; i < c->count; i++)
        if (!strcmp(c->st[i].id, st->id) || !strcmp(c->st[i].file, st->file))
            return 1;
    return 0;
}

void corpus_keep_appended(const posdiff_corpus *c, const mfile *added, size_t len,
                          uint64_t sum)
{
    posdiff_statement st = {0}, *all = NULL;
    strlist warn = {NULL, 0, 0};
    size_t n = c->count, lo = 0, hi = n;

    if (!c->cacheable || !added->cacheable || added->count != 1 || added->warnings.count ||
        fill_statement(c, &warn, &st, &added->items[0], n) < 0 || warn.count ||
        clashes(c, &st) || !(all = malloc((n + 1) * sizeof(*all))))
        goto done;
    while (lo < hi) { /* after the entries of an earlier or equal date */
        size_t mid = lo + (hi - lo) / 2;
        if (date_key(&c->st[mid]) <= date_key(&st))
            lo = mid + 1;
        else
            hi = mid;
    }
    if (n) /* c->st is NULL in an empty corpus */
        memcpy(all, c->st, lo * sizeof(*all));
    all[lo] = st;
    if (n)
        memcpy(all + lo + 1, c->st + lo, (n - lo) * sizeof(*all));
    corpus_cache_save(c->dir, len, sum, (corpus_conf_key){0, 0, 0, 0}, all, n + 1);
done:
    posdiff_error_clear(); /* only a cache */
    free(all);
    free((void *)st.strip);
    strlist_free(&warn);
}

void posdiff_corpus_free(posdiff_corpus *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->count; i++)
        free((void *)c->st[i].strip);
    hashmap_free(&c->by_id);
    free(c->st);
    free(c->stats);
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

const posdiff_statement *posdiff_corpus_find_at(const posdiff_corpus *c, const char *id,
                                                size_t hint)
{
    return hint < c->count && !strcmp(c->st[hint].id, id) ? &c->st[hint]
                                                          : posdiff_corpus_find(c, id);
}

/* The first few lookups scan (a command naming two statements builds no
 * map over 100 000); the next builds the map by id, once. */
#define FINDS_BY_SCAN 4

const posdiff_statement *posdiff_corpus_find(const posdiff_corpus *c, const char *id)
{
    posdiff_corpus *m = (posdiff_corpus *)c; /* the map is the open corpus's, built on demand */
    size_t at;
    int error = 0;

    if (!m->by_id_built && m->finds < FINDS_BY_SCAN) {
        m->finds++;
        for (size_t i = 0; i < c->count; i++)
            if (!strcmp(c->st[i].id, id))
                return &c->st[i];
        return NULL;
    }
    for (size_t i = 0; !m->by_id_built && error == 0 && i < c->count; i++)
        error = hashmap_put(&m->by_id, c->st[i].id, strlen(c->st[i].id), (void *)(uintptr_t)(i + 1));
    if (error < 0) { /* no memory for the map: scan */
        hashmap_free(&m->by_id);
        posdiff_error_clear();
        m->finds = 0;
        return posdiff_corpus_find(c, id);
    }
    m->by_id_built = 1;
    at = (size_t)(uintptr_t)hashmap_get(&c->by_id, id, strlen(id));
    return at ? &c->st[at - 1] : NULL;
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

static char *statement_path(const posdiff_corpus *c, const posdiff_statement *st)
{
    buf b = BUF_INIT;
    buf_printf(&b, "%s/%s", c->dir, st->file);
    return buf_detach(&b, NULL);
}

void corpus_prefetch(const posdiff_corpus *c, const posdiff_statement *st)
{
    int fd;

    if (corpus_open_raw(&fd, c, st) < 0) {
        posdiff_error_clear(); /* the read reports it */
        return;
    }
    (void)posix_fadvise(fd, 0, 0, POSIX_FADV_WILLNEED); /* a hint: may fail */
    close(fd);
}

/* The raw bytes of @p st, opened by corpus_open_raw; @p path names it. */
static int read_raw(char **out, size_t *len, const posdiff_corpus *c,
                    const posdiff_statement *st, const char *path)
{
    int fd, error = corpus_open_raw(&fd, c, st);
    return error < 0 ? error : read_fd_limited(out, len, fd, path, c->max_bytes);
}

int posdiff_corpus_read(char **out, size_t *len, const posdiff_corpus *c,
                        const posdiff_statement *st)
{
    char *path = statement_path(c, st);
    int error;

    if (!path)
        return error_oom();
    error = read_raw(out, len, c, st, path);
    free(path);
    return error;
}

int posdiff_corpus_normalize(posdiff_normalized **out, const posdiff_corpus *c,
                             const posdiff_statement *st)
{
    return corpus_normalize(out, NULL, c, st);
}

int corpus_normalize(posdiff_normalized **out, git_oid *raw_id, const posdiff_corpus *c,
                     const posdiff_statement *st)
{
    posdiff_normalize_options opts = POSDIFF_NORMALIZE_OPTIONS_INIT;
    posdiff_meta meta = {st->id, st->date, st->title, st->venue, st->speaker, st->source};
    char *raw = NULL, *path = statement_path(c, st);
    size_t len = 0;
    int error;

    if (!path)
        return error_oom();
    if ((error = read_raw(&raw, &len, c, st, path)) == 0 && raw_id &&
        git_odb_hash(raw_id, raw, len, GIT_OBJECT_BLOB) < 0)
        error = error_git("%s: cannot hash the file", path);
    if (error == 0) {
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
