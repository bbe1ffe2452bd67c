/*
 * fresh.c - a stamp of the inputs the last build saw (fresh.h).
 *
 * <repo>/posdiff-fresh holds
 *
 *   posdiff-fresh 2 <tip> <clock> <print>\n
 *   <dir>\n ...
 *
 * the branch tip a build left; the time (ns) it took before it looked at
 * any input; a SHA-1 (git_odb_hash) of posdiff's version and the stat
 * data (size, mtime, ctime, inode, device) of the manifest, the catalog,
 * the review decisions and of each directory holding raw files (listed
 * after the head line).  A raw file is as the build read it when its
 * ctime and mtime are older than the clock (any write, rename or chmod
 * sets its ctime to the present; as with git's index, a write within a
 * timestamp tick of the clock can carry an older time and pass unseen),
 * so a reader checks the stamp's tip,
 * the print, and only the raw files it is about to show: O(1) stat
 * calls for two statements, one per file for all.  A file rewritten in
 * place that no command shows is seen by the next build, 'posdiff
 * check' or a command showing it; one renamed over, added or removed
 * changes its directory.  Anything else, or no stamp, sends
 * posdiff_history_status the long way (every input hashed).
 */
#include "fresh.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "posdiff/history.h"
#include "util/buf.h"
#include "util/errors.h"
#include "util/fileio.h"
#include "util/hashmap.h"

#define STAMP_NAME "posdiff-fresh"
#define STAMP_MAGIC "posdiff-fresh 2 "
#define MAX_DIRS 64
#define STAMP_MAX (MAX_DIRS * 4200 + 256)

static long long ns_of(const struct timespec *t)
{
    return (long long)t->tv_sec * 1000000000LL + t->tv_nsec;
}

/* The stat data of @p path (or "-" when it cannot be stat'ed) into @p b. */
static void stat_of(buf *b, const char *dir, const char *path)
{
    char full[4200];
    struct stat sb;

    snprintf(full, sizeof(full), "%s/%s", dir, path);
    if (stat(full, &sb) < 0) {
        buf_printf(b, "%s -\n", path);
        return;
    }
    buf_printf(b, "%s %lld %lld %lld %llu %llu\n", path, (long long)sb.st_size,
               ns_of(&sb.st_mtim), ns_of(&sb.st_ctim),
               (unsigned long long)sb.st_ino, (unsigned long long)sb.st_dev);
}

/* The print of @p c's manifest, catalog, review decisions and @p dirs
 * (lines, each ending in '\n'). */
static int print_of(char out[FRESH_HEX + 1], const posdiff_corpus *c, const char *dirs)
{
    const char *dir = posdiff_corpus_dir(c);
    buf b = BUF_INIT;
    git_oid oid;
    int error;

    buf_printf(&b, "%s\n", posdiff_version());
    stat_of(&b, dir, "statements.conf");
    stat_of(&b, dir, "positions.conf");
    stat_of(&b, dir, "review.conf");
    for (const char *p = dirs, *nl; *p; p = nl + 1) {
        char name[4096];
        nl = strchr(p, '\n');
        snprintf(name, sizeof(name), "%.*s", (int)(nl - p), p);
        stat_of(&b, dir, name);
    }
    if ((error = buf_ok(&b)) == 0 && git_odb_hash(&oid, b.ptr, b.len, GIT_OBJECT_BLOB) < 0)
        error = error_git("cannot hash the inputs' stat data");
    if (error == 0)
        git_oid_tostr(out, FRESH_HEX + 1, &oid);
    buf_free(&b);
    return error;
}

/* The directories of @p c's raw files, one per line ("." for the corpus's
 * own); "" when there are more than MAX_DIRS (then no stamp holds). */
static int raw_dirs(buf *out, const posdiff_corpus *c)
{
    hashmap seen = HASHMAP_INIT;
    size_t dirs = 0;
    int error = 0;

    for (size_t i = 0; i < posdiff_corpus_count(c) && error == 0; i++) {
        const char *file = posdiff_corpus_statement(c, i)->file, *slash = strrchr(file, '/');
        size_t n = slash ? (size_t)(slash - file) : 1;
        const char *name = slash ? file : ".";
        if (hashmap_get(&seen, name, n))
            continue;
        if (++dirs > MAX_DIRS) {
            out->len = 0;
            break;
        }
        if ((error = hashmap_put(&seen, name, n, (void *)1)) == 0)
            buf_printf(out, "%.*s\n", (int)n, name);
    }
    hashmap_free(&seen);
    return error < 0 ? error : buf_ok(out);
}

int fresh_take(char **out, const posdiff_corpus *c)
{
    char print[FRESH_HEX + 1];
    struct timespec now;
    buf dirs = BUF_INIT, b = BUF_INIT;
    int error;

    *out = NULL;
    clock_gettime(CLOCK_REALTIME, &now); /* before any stat */
    if ((error = raw_dirs(&dirs, c)) == 0 && dirs.len &&
        (error = print_of(print, c, dirs.ptr)) == 0) {
        buf_printf(&b, "%lld %s\n%s", ns_of(&now), print, dirs.ptr);
        if ((error = buf_ok(&b)) == 0)
            *out = buf_detach(&b, NULL);
    }
    buf_free(&dirs);
    buf_free(&b);
    return error;
}

static char *stamp_path(const char *repo_path)
{
    buf b = BUF_INIT;

    buf_printf(&b, "%s/" STAMP_NAME, repo_path);
    return buf_ok(&b) < 0 ? (buf_free(&b), NULL) : buf_detach(&b, NULL);
}

void fresh_save(const char *repo_path, const char *head, const char *taken)
{
    char *path = stamp_path(repo_path);
    buf b = BUF_INIT;

    buf_printf(&b, STAMP_MAGIC "%s %s", head, taken ? taken : "");
    if (path && taken && buf_ok(&b) == 0)
        write_cache_file(path, b.ptr, b.len);
    posdiff_error_clear();
    buf_free(&b);
    free(path);
}

/* Is @p st's raw file as a build that started at @p clock read it? */
static int file_older(const posdiff_corpus *c, const posdiff_statement *st, long long clock)
{
    char full[4200];
    struct stat sb;

    snprintf(full, sizeof(full), "%s/%s", posdiff_corpus_dir(c), st->file);
    return stat(full, &sb) == 0 && S_ISREG(sb.st_mode) && ns_of(&sb.st_ctim) < clock &&
           ns_of(&sb.st_mtim) < clock;
}

int fresh_matches(const char *repo_path, git_repository *repo, const posdiff_corpus *c,
                  const char *const *ids, const size_t *at, size_t n)
{
    char *path = stamp_path(repo_path), *data = NULL, tip[GIT_OID_HEXSZ + 1];
    char print[FRESH_HEX + 1], now[FRESH_HEX + 1], *dirs;
    long long clock = 0;
    size_t len = 0;
    git_oid oid;
    int ok = 0, used = 0;

    if (!path || read_file_limited(&data, &len, path, STAMP_MAX) < 0 ||
        git_reference_name_to_id(&oid, repo, POSDIFF_HISTORY_BRANCH) < 0)
        goto done;
    git_oid_tostr(tip, sizeof(tip), &oid);
    if (len < sizeof(STAMP_MAGIC) || memcmp(data, STAMP_MAGIC, sizeof(STAMP_MAGIC) - 1) ||
        sscanf(data + sizeof(STAMP_MAGIC) - 1, "%40s %lld %40s%n", now, &clock, print, &used) != 3 ||
        strcmp(now, tip) || !(dirs = strchr(data + sizeof(STAMP_MAGIC) - 1 + used, '\n')) ||
        print_of(now, c, dirs + 1) < 0 || strcmp(now, print))
        goto done;
    ok = 1;
    for (size_t i = 0; ok && i < (ids ? n : posdiff_corpus_count(c)); i++) {
        const posdiff_statement *st = !ids ? posdiff_corpus_statement(c, i)
                                      : at ? posdiff_corpus_find_at(c, ids[i], at[i])
                                           : posdiff_corpus_find(c, ids[i]);
        ok = st && file_older(c, st, clock);
    }
done:
    posdiff_error_clear();
    free(data);
    free(path);
    return ok;
}
