/*
 * check_git.c - the user's own git repository around a corpus: where
 * the corpus sits in its work tree (for paths in annotations) and which
 * statements are new since a revision (`posdiff check --since-rev`).
 *
 * The repository is found with git_repository_discover from the corpus
 * dir.  "New since REV": the manifest at REV is the blob at the same
 * path in REV's tree (<prefix>statements.conf); it is read with
 * libgit2's config API from a private temporary file, and a statement
 * of the current manifest (the working directory's, which is what the
 * corpus was opened from) is new when REV's manifest has no section
 * `[statement "<id>"]`.  No manifest at REV: every statement is new.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <git2.h>

#include "util/buf.h"
#include "check_int.h"

typedef struct {
    char **strings;
    size_t count;
} id_list;

static void id_list_free(id_list *l)
{
    for (size_t i = 0; i < l->count; i++)
        free(l->strings[i]);
    free(l->strings);
}

/* @p path relative to @p base ("" when equal), or NULL when outside it. */
static char *relative_to(const char *base, const char *path)
{
    size_t n = strlen(base);
    buf b = BUF_INIT;

    while (n > 1 && base[n - 1] == '/')
        n--;
    if (strncmp(path, base, n) || (path[n] != '/' && path[n] != '\0' && n > 1))
        return NULL;
    path += n;
    while (*path == '/')
        path++;
    buf_puts(&b, path);
    if (*path)
        buf_putc(&b, '/');
    return buf_ok(&b) < 0 ? NULL : buf_detach(&b, NULL);
}

/* The work tree of the repository holding @p dir (realpath, malloc'ed). */
static int find_repo(git_repository **repo, char **workdir, const char *dir)
{
    git_buf found = {NULL, 0, 0};
    char real[PATH_MAX];
    int error;

    *workdir = NULL;
    if ((error = git_repository_discover(&found, dir, 0, NULL)) < 0)
        return error == GIT_ENOTFOUND
                   ? error_set(POSDIFF_ENOTFOUND,
                               "%s: not inside a git repository; "
                               "commit the corpus to git, or name the new "
                               "statements with "
                               "--new ID",
                               dir)
                   : error_git("%s: cannot look for a git repository", dir);
    error = git_repository_open(repo, found.ptr);
    git_buf_dispose(&found);
    if (error < 0)
        return error_git("%s: cannot open the git repository holding it", dir);
    if (git_repository_is_bare(*repo) ||
        !realpath(git_repository_workdir(*repo), real))
        return error_set(POSDIFF_ENOTFOUND,
                         "%s: the git repository holding it has no "
                         "work tree",
                         dir);
    return (*workdir = strdup(real)) ? 0 : error_oom();
}

int posdiff_check_path_prefix(char **out, const posdiff_corpus *c)
{
    git_repository *repo = NULL;
    char real[PATH_MAX], cwd[PATH_MAX], cwd_real[PATH_MAX], *workdir = NULL;
    const char *dir = posdiff_corpus_dir(c);

    *out = NULL;
    if (!realpath(dir, real))
        return error_io("%s: cannot resolve the corpus directory", dir);
    if (find_repo(&repo, &workdir, dir) == 0)
        *out = relative_to(workdir, real);
    posdiff_error_clear();
    git_repository_free(repo);
    free(workdir);
    if (!*out && getcwd(cwd, sizeof(cwd)) && realpath(cwd, cwd_real))
        *out = relative_to(cwd_real, real);
    if (!*out) {
        buf b = BUF_INIT;
        buf_printf(&b, "%s/", real);
        *out = buf_ok(&b) < 0 ? NULL : buf_detach(&b, NULL);
    }
    return *out ? 0 : error_oom();
}

/* ---- --since-rev -------------------------------------------------------- */

static int rev_blob(git_blob **out, git_repository *repo, const char *rev,
                    const char *path)
{
    git_object *obj = NULL;
    git_tree *tree = NULL;
    git_tree_entry *te = NULL;
    int error = 0;

    *out = NULL;
    if (git_revparse_single(&obj, repo, rev) < 0)
        return error_set(POSDIFF_EINVALID,
                         "--since-rev %s: not a revision of %s (%s); "
                         "give a commit such as HEAD~1, a branch or a tag",
                         rev, git_repository_workdir(repo),
                         git_error_last() ? git_error_last()->message
                                          : "unknown");
    if (git_object_peel((git_object **)&tree, obj, GIT_OBJECT_TREE) < 0)
        error = error_git("--since-rev %s: has no tree", rev);
    else if (git_tree_entry_bypath(&te, tree, path) == 0 &&
             git_tree_entry_type(te) == GIT_OBJECT_BLOB &&
             git_blob_lookup(out, repo, git_tree_entry_id(te)) < 0)
        error = error_git("--since-rev %s: cannot read %s", rev, path);
    git_tree_entry_free(te);
    git_tree_free(tree);
    git_object_free(obj);
    return error;
}

/* Section names of `statement.<id>.<key>` entries of a manifest file. */
static int manifest_ids(id_list *ids, const char *file)
{
    git_config *cfg = NULL;
    git_config_iterator *it = NULL;
    git_config_entry *e;
    size_t cap = 0;
    int error = 0;

    /* Every entry, filtered here: a glob iterator compiles a regex, and
     * libgit2 1.5 leaks pcre2 match data on every match. */
    if (git_config_open_ondisk(&cfg, file) < 0 || git_config_iterator_new(&it, cfg) < 0) {
        git_config_free(cfg);
        return error_git("the manifest at the revision cannot be read");
    }
    while (!error && git_config_next(&e, it) == 0) {
        const char *a = strchr(e->name, '.'), *b = strrchr(e->name, '.');
        char *id;
        if (strncmp(e->name, "statement.", 10) || !a || b <= a)
            continue;
        if ((error = array_grow(&ids->strings, &cap, ids->count, sizeof(*ids->strings), 64)) < 0)
            break;
        if (!(id = malloc((size_t)(b - a))))
            error = error_oom();
        else {
            memcpy(id, a + 1, (size_t)(b - a - 1));
            id[b - a - 1] = '\0';
            ids->strings[ids->count++] = id;
        }
    }
    git_config_iterator_free(it);
    git_config_free(cfg);
    return error;
}

/* The statement ids of @p blob, a statements.conf. */
static int blob_ids(id_list *ids, const git_blob *blob)
{
    char tmpl[PATH_MAX];
    const char *tmp = getenv("TMPDIR");
    FILE *f;
    int fd, error;

    snprintf(tmpl, sizeof(tmpl), "%s/posdiff-manifest-XXXXXX",
             tmp && *tmp ? tmp : "/tmp");
    if ((fd = mkstemp(tmpl)) < 0)
        return error_io("%s: cannot create a temporary file", tmpl);
    if (!(f = fdopen(fd, "wb"))) {
        close(fd);
        unlink(tmpl);
        return error_io("%s: cannot write", tmpl);
    }
    error = fwrite(git_blob_rawcontent(blob), 1, (size_t)git_blob_rawsize(blob),
                   f) == (size_t)git_blob_rawsize(blob)
                ? 0
                : -1;
    if (fclose(f) != 0 || error < 0)
        error = error_io("%s: cannot write", tmpl);
    else
        error = manifest_ids(ids, tmpl);
    unlink(tmpl);
    return error;
}

static int has_id(const id_list *ids, const char *id)
{
    for (size_t i = 0; i < ids->count; i++)
        if (!strcmp(ids->strings[i], id))
            return 1;
    return 0;
}

static int collect_new(char ***out, size_t *count, const posdiff_corpus *c,
                       const id_list *old)
{
    size_t n = posdiff_corpus_count(c);

    if (!(*out = calloc(n ? n : 1, sizeof(**out))))
        return error_oom();
    for (size_t i = 0; i < n; i++) {
        const char *id = posdiff_corpus_statement(c, i)->id;
        if (has_id(old, id))
            continue;
        if (!((*out)[*count] = strdup(id)))
            return error_oom();
        (*count)++;
    }
    return 0;
}

int posdiff_check_since_rev(char ***ids, size_t *count, const posdiff_corpus *c,
                            const char *rev)
{
    git_repository *repo = NULL;
    id_list old = {NULL, 0};
    git_blob *blob = NULL;
    char real[PATH_MAX], *workdir = NULL, *prefix = NULL;
    buf path = BUF_INIT;
    int error;

    *ids = NULL;
    *count = 0;
    if ((error = find_repo(&repo, &workdir, posdiff_corpus_dir(c))) < 0)
        goto done;
    if (!realpath(posdiff_corpus_dir(c), real) ||
        !(prefix = relative_to(workdir, real))) {
        error = error_set(POSDIFF_ENOTFOUND,
                          "%s: the corpus is not inside the work tree %s",
                          posdiff_corpus_dir(c), workdir);
        goto done;
    }
    buf_printf(&path, "%sstatements.conf", prefix);
    if ((error = buf_ok(&path)) < 0 ||
        (error = rev_blob(&blob, repo, rev, path.ptr)) < 0 ||
        (blob && (error = blob_ids(&old, blob)) < 0))
        goto done;
    error = collect_new(ids, count, c, &old);
done:
    if (error < 0) {
        posdiff_check_ids_free(*ids, *count);
        *ids = NULL;
        *count = 0;
    }
    id_list_free(&old);
    git_blob_free(blob);
    git_repository_free(repo);
    buf_free(&path);
    free(prefix);
    free(workdir);
    return error;
}

void posdiff_check_ids_free(char **ids, size_t count)
{
    for (size_t i = 0; ids && i < count; i++)
        free(ids[i]);
    free(ids);
}
