/*
 * history_read.c - read the history repository: the first-parent chain
 * of the branch, oldest first, with each commit's trailers (from the
 * chain's index, history_index.c: an entry is filled when first asked
 * for, so opening costs O(1)), and files of a commit's tree.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <git2.h>

#include "util/buf.h"
#include "util/errors.h"
#include "history_index.h"
#include "history_internal.h"
#include "posdiff/history.h"

struct posdiff_history {
    git_repository *repo;
    history_index *index;
    posdiff_history_entry *slots; /* filled as they are asked for (calloc'ed) */
    size_t count;
};

/* Does @p path hold a work tree's .git (no bare repository opens there)? */
static int has_dotgit(const char *path)
{
    buf p = BUF_INIT;
    int found;

    buf_printf(&p, "%s/.git", path);
    found = buf_ok(&p) == 0 && access(p.ptr, F_OK) == 0;
    buf_free(&p);
    return found;
}

int posdiff_history_open(posdiff_history **out, const posdiff_corpus *c,
                         const char *repo_path)
{
    posdiff_history *h;
    char *path = repo_path ? strdup(repo_path) : posdiff_history_default_path(c);
    int error = 0;

    *out = NULL;
    if (!path || !(h = calloc(1, sizeof(*h)))) {
        free(path);
        return error_oom();
    }
    if (git_repository_open_bare(&h->repo, path) < 0 && !has_dotgit(path))
        error = error_set(POSDIFF_ENOTFOUND, "%s: no history repository; run 'posdiff build' first", path);
    else if (!h->repo)
        error = error_set(POSDIFF_EINVALID, "%s: holds a git work tree, not posdiff's bare "
                          "history; remove it and run posdiff build, or give another "
                          "history path with --repo", path);
    else if ((error = history_index_open(&h->index, h->repo, git_repository_path(h->repo))) == 0 &&
             (h->count = history_index_count(h->index)) > 0 &&
             !(h->slots = calloc(h->count, sizeof(*h->slots))))
        error = error_oom();
    else if (error == 0 && h->count == 0 && posdiff_corpus_count(c) > 0)
        error = error_set(POSDIFF_ENOTFOUND, "%s: has no branch %s, so no statement is "
                          "built; run 'posdiff build'", path, POSDIFF_HISTORY_BRANCH);
    free(path);
    if (error < 0) {
        posdiff_history_free(h);
        return error;
    }
    *out = h;
    return 0;
}

size_t posdiff_history_count(const posdiff_history *h)
{
    return h->count;
}

const posdiff_history_entry *posdiff_history_entry_at(const posdiff_history *h, size_t i)
{
    posdiff_history_entry *e;
    git_oid oid;

    if (i >= h->count)
        return NULL;
    e = &h->slots[i];
    if (!e->id) { /* first asked for: from the index */
        history_index_oid(&oid, h->index, i);
        git_oid_tostr(e->commit, sizeof(e->commit), &oid);
        e->date = history_index_field(h->index, i, HX_DATE);
        e->title = history_index_field(h->index, i, HX_TITLE);
        e->venue = history_index_field(h->index, i, HX_VENUE);
        e->id = history_index_field(h->index, i, HX_ID);
    }
    return e;
}

int posdiff_history_find(size_t *index, const posdiff_history *h, const char *id)
{
    return history_index_find_id(index, h->index, id);
}

const history_index *history_index_of(const posdiff_history *h)
{
    return h->index;
}


int posdiff_history_read(char **out, size_t *len, const posdiff_history *h,
                         size_t i, const char *path)
{
    git_oid oid;
    git_commit *commit = NULL;
    git_tree_entry *te = NULL;
    git_tree *tree = NULL;
    git_blob *blob = NULL;
    int error = 0;

    if (i >= h->count)
        return error_set(POSDIFF_ENOTFOUND, "no commit %zu in the history", i);
    if (git_oid_fromstr(&oid, posdiff_history_entry_at(h, i)->commit) < 0 ||
        git_commit_lookup(&commit, h->repo, &oid) < 0 || git_commit_tree(&tree, commit) < 0) {
        error = error_git("commit %s: cannot read", posdiff_history_entry_at(h, i)->commit);
        goto done;
    }
    if (git_tree_entry_bypath(&te, tree, path) < 0) {
        error = error_set(POSDIFF_ENOTFOUND, "commit %s has no %s (a history of an older "
                          "posdiff? run posdiff build)", posdiff_history_entry_at(h, i)->commit, path);
        goto done;
    }
    if (git_blob_lookup(&blob, h->repo, git_tree_entry_id(te)) < 0) {
        error = error_git("commit %s: cannot read %s", posdiff_history_entry_at(h, i)->commit, path);
        goto done;
    }
    *len = (size_t)git_blob_rawsize(blob);
    if (!(*out = mem_dup0(git_blob_rawcontent(blob), *len)))
        error = error_oom();
done:
    git_blob_free(blob);
    git_tree_entry_free(te);
    git_tree_free(tree);
    git_commit_free(commit);
    return error;
}

git_repository *history_repository(const posdiff_history *h)
{
    return h->repo;
}

void posdiff_history_free(posdiff_history *h)
{
    if (!h)
        return;
    free(h->slots);
    history_index_free(h->index);
    git_repository_free(h->repo);
    free(h);
}

/* ---- many files of one tree ---------------------------------------------- */

struct posdiff_tree_reader {
    git_repository *repo;
    char commit[GIT_OID_HEXSZ + 1];
    git_tree *root, *dir; /* the commit's tree; the last directory read in */
    char *dir_path;       /* its path ("statements/2021") */
};

int posdiff_tree_reader_new(posdiff_tree_reader **out, const posdiff_history *h, size_t i)
{
    posdiff_tree_reader *r;
    git_commit *commit = NULL;
    git_oid oid;

    *out = NULL;
    if (i >= h->count)
        return error_set(POSDIFF_ENOTFOUND, "no commit %zu in the history", i);
    if (!(r = calloc(1, sizeof(*r))))
        return error_oom();
    r->repo = h->repo;
    memcpy(r->commit, posdiff_history_entry_at(h, i)->commit, sizeof(r->commit));
    if (git_oid_fromstr(&oid, r->commit) < 0 || git_commit_lookup(&commit, h->repo, &oid) < 0 ||
        git_commit_tree(&r->root, commit) < 0) {
        git_commit_free(commit);
        posdiff_tree_reader_free(r);
        return error_git("commit %s: cannot read", posdiff_history_entry_at(h, i)->commit);
    }
    git_commit_free(commit);
    *out = r;
    return 0;
}

/* The tree of directory @p dir (length @p n) of the reader's tree. */
static int reader_dir(posdiff_tree_reader *r, const char *dir, size_t n)
{
    git_tree_entry *te = NULL;
    char *path;
    int error;

    if (r->dir && strlen(r->dir_path) == n && !memcmp(r->dir_path, dir, n))
        return 0;
    git_tree_free(r->dir);
    free(r->dir_path);
    r->dir = NULL;
    if (!(r->dir_path = path = mem_dup0(dir, n)))
        return error_oom();
    if (git_tree_entry_bypath(&te, r->root, path) < 0 ||
        git_tree_entry_type(te) != GIT_OBJECT_TREE) {
        git_tree_entry_free(te);
        return error_set(POSDIFF_ENOTFOUND, "commit %s has no directory %s (a history of an "
                         "older posdiff? run posdiff build)", r->commit, path);
    }
    error = git_tree_lookup(&r->dir, r->repo, git_tree_entry_id(te)) < 0
                ? error_git("commit %s: cannot read %s", r->commit, path) : 0;
    git_tree_entry_free(te);
    return error;
}

int posdiff_tree_reader_read(char **out, size_t *len, posdiff_tree_reader *r, const char *path)
{
    const char *slash = strrchr(path, '/');
    const git_tree_entry *te;
    git_blob *blob = NULL;
    int error;

    *out = NULL;
    if (!slash)
        return error_set(POSDIFF_EINVALID, "%s: not a file in a directory of the tree", path);
    if ((error = reader_dir(r, path, (size_t)(slash - path))) < 0)
        return error;
    if (!(te = git_tree_entry_byname(r->dir, slash + 1)))
        return error_set(POSDIFF_ENOTFOUND, "commit %s has no %s (a history of an older "
                         "posdiff? run posdiff build)", r->commit, path);
    if (git_blob_lookup(&blob, r->repo, git_tree_entry_id(te)) < 0)
        return error_git("commit %s: cannot read %s", r->commit, path);
    *len = (size_t)git_blob_rawsize(blob);
    error = (*out = mem_dup0(git_blob_rawcontent(blob), *len)) ? 0 : error_oom();
    git_blob_free(blob);
    return error;
}

void posdiff_tree_reader_free(posdiff_tree_reader *r)
{
    if (!r)
        return;
    git_tree_free(r->dir);
    git_tree_free(r->root);
    free(r->dir_path);
    free(r);
}
