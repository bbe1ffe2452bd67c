/*
 * check_files.c - files under statements/ that no manifest entry names:
 * a copy an add killed midway left behind (the next add removes that),
 * or a statement never added.  Each is a `warning` finding.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "check_int.h"
#include "util/buf.h"

typedef struct {
    dev_t dev;
    ino_t ino;
} file_key;

static int key_cmp(const void *a, const void *b)
{
    const file_key *x = a, *y = b;

    if (x->dev != y->dev)
        return x->dev < y->dev ? -1 : 1;
    return x->ino < y->ino ? -1 : x->ino > y->ino;
}

/* Report the regular files below @p rel (a folder, relative to the
 * corpus @p dir) whose inode is not in @p keys; hidden names are no
 * statements (corpus rules) and are skipped. */
static int walk(posdiff_check *k, const char *dir, buf *rel, const file_key *keys, size_t n)
{
    size_t at = rel->len;
    buf abs = BUF_INIT;
    struct dirent *e;
    struct stat sb;
    DIR *d;
    int error = 0;

    buf_printf(&abs, "%s/%s", dir, rel->ptr);
    d = buf_ok(&abs) == 0 ? opendir(abs.ptr) : NULL;
    buf_free(&abs);
    while (d && (e = readdir(d)) && !error) {
        file_key key;
        if (e->d_name[0] == '.' || fstatat(dirfd(d), e->d_name, &sb, AT_SYMLINK_NOFOLLOW) < 0)
            continue;
        buf_printf(rel, "/%s", e->d_name);
        if ((error = buf_ok(rel)) < 0)
            break;
        key = (file_key){sb.st_dev, sb.st_ino};
        if (S_ISDIR(sb.st_mode))
            error = walk(k, dir, rel, keys, n);
        else if (S_ISREG(sb.st_mode) && !bsearch(&key, keys, n, sizeof(*keys), key_cmp))
            error = check_problem(k, POSDIFF_FINDING_WARNING, "unnamed-file", NULL, rel->ptr, 0,
                                  "no entry of statements.conf names this file; add it with "
                                  "posdiff add, or remove it (an add killed midway leaves "
                                  "one; the next add removes it)");
        rel->len = at;
        rel->ptr[at] = '\0';
    }
    if (d)
        closedir(d);
    return error;
}

int check_unnamed_files(posdiff_check *k, const posdiff_corpus *c)
{
    size_t n = posdiff_corpus_count(c), got = 0;
    file_key *keys = calloc(n ? n : 1, sizeof(*keys));
    buf p = BUF_INIT;
    struct stat sb;
    int error;

    if (!keys)
        return error_oom();
    for (size_t i = 0; i < n; i++) {
        buf_clear(&p);
        buf_printf(&p, "%s/%s", posdiff_corpus_dir(c), posdiff_corpus_statement(c, i)->file);
        if (buf_ok(&p) == 0 && stat(p.ptr, &sb) == 0)
            keys[got++] = (file_key){sb.st_dev, sb.st_ino};
    }
    qsort(keys, got, sizeof(*keys), key_cmp);
    buf_clear(&p);
    buf_puts(&p, "statements");
    error = buf_ok(&p) < 0 ? buf_ok(&p) : walk(k, posdiff_corpus_dir(c), &p, keys, got);
    buf_free(&p);
    free(keys);
    return error;
}
