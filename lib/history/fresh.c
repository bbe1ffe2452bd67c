/*
 * fresh.c - a stamp of the inputs the last build saw (fresh.h).
 *
 * <repo>/posdiff-fresh holds "posdiff-fresh 1 <tip> <print>": the branch
 * tip a build left and a SHA-1 (git_odb_hash) of posdiff's version and
 * the stat data (size, mtime, ctime, inode, device) of the manifest, the
 * catalog, the review decisions and every raw file, in manifest order,
 * taken before the build read them.  A reader computes the print again
 * (a stat per file) and reads the tip: both equal, the history is up to
 * date; anything else, or no stamp, sends posdiff_history_status the
 * long way (every input hashed).  As with git's index, a file rewritten
 * with the same size in the same nanosecond is not seen.
 */
#include "fresh.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "posdiff/history.h"
#include "util/buf.h"
#include "util/errors.h"
#include "util/fileio.h"

#define STAMP_NAME "posdiff-fresh"
#define STAMP_MAGIC "posdiff-fresh 1 "

/* The stat data of @p path (or "-" when it cannot be stat'ed) into @p b. */
static void stat_of(buf *b, const char *dir, const char *path)
{
    char full[4096];
    struct stat sb;

    snprintf(full, sizeof(full), "%s/%s", dir, path);
    if (stat(full, &sb) < 0) {
        buf_printf(b, "%s -\n", path);
        return;
    }
    buf_printf(b, "%s %lld %lld.%09ld %lld.%09ld %llu %llu\n", path, (long long)sb.st_size,
               (long long)sb.st_mtim.tv_sec, (long)sb.st_mtim.tv_nsec,
               (long long)sb.st_ctim.tv_sec, (long)sb.st_ctim.tv_nsec,
               (unsigned long long)sb.st_ino, (unsigned long long)sb.st_dev);
}

int fresh_print(char out[FRESH_HEX + 1], const posdiff_corpus *c)
{
    const char *dir = posdiff_corpus_dir(c);
    buf b = BUF_INIT;
    git_oid oid;
    int error;

    buf_printf(&b, "%s\n", posdiff_version());
    stat_of(&b, dir, "statements.conf");
    stat_of(&b, dir, "positions.conf");
    stat_of(&b, dir, "review.conf");
    for (size_t i = 0; i < posdiff_corpus_count(c); i++)
        stat_of(&b, dir, posdiff_corpus_statement(c, i)->file);
    if ((error = buf_ok(&b)) == 0 && git_odb_hash(&oid, b.ptr, b.len, GIT_OBJECT_BLOB) < 0)
        error = error_git("cannot hash the inputs' stat data");
    if (error == 0)
        git_oid_tostr(out, FRESH_HEX + 1, &oid);
    buf_free(&b);
    return error;
}

static char *stamp_path(const char *repo_path)
{
    buf b = BUF_INIT;

    buf_printf(&b, "%s/" STAMP_NAME, repo_path);
    return buf_ok(&b) < 0 ? (buf_free(&b), NULL) : buf_detach(&b, NULL);
}

void fresh_save(const char *repo_path, const char *head, const char *print)
{
    char *path = stamp_path(repo_path);
    buf b = BUF_INIT;

    buf_printf(&b, STAMP_MAGIC "%s %s\n", head, print);
    if (path && buf_ok(&b) == 0)
        write_cache_file(path, b.ptr, b.len);
    posdiff_error_clear();
    buf_free(&b);
    free(path);
}

int fresh_matches(const char *repo_path, git_repository *repo, const posdiff_corpus *c)
{
    char *path = stamp_path(repo_path), *data = NULL, tip[GIT_OID_HEXSZ + 1], now[FRESH_HEX + 1];
    char want[2 * 64 + 4];
    size_t len = 0;
    git_oid oid;
    int ok = 0;

    if (path && read_file_limited(&data, &len, path, 256) == 0 &&
        git_reference_name_to_id(&oid, repo, POSDIFF_HISTORY_BRANCH) == 0 &&
        fresh_print(now, c) == 0) {
        git_oid_tostr(tip, sizeof(tip), &oid);
        snprintf(want, sizeof(want), STAMP_MAGIC "%s %s\n", tip, now);
        ok = len == strlen(want) && !memcmp(data, want, len);
    }
    posdiff_error_clear();
    free(data);
    free(path);
    return ok;
}
