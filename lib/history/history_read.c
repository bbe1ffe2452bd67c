/*
 * history_read.c - read the history repository: the first-parent chain
 * of the branch, oldest first, with each commit's trailers (parsed by
 * libgit2's git_message_trailers), and files of a commit's tree.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <git2.h>

#include "util/buf.h"
#include "util/errors.h"
#include "history_internal.h"
#include "posdiff/history.h"

typedef struct {
    posdiff_history_entry e;
    char *strings[4]; /* owned: id, date, title, venue */
} entry_slot;

struct posdiff_history {
    git_repository *repo;
    entry_slot *items;
    size_t count, cap;
};

static int fill_entry(entry_slot *slot, const git_commit *commit)
{
    git_message_trailer_array tr = {0};
    const char *summary = git_commit_summary((git_commit *)commit);
    const char *msg = git_commit_message(commit);

    git_oid_tostr(slot->e.commit, sizeof(slot->e.commit), git_commit_id(commit));
    if (git_message_trailers(&tr, msg) < 0)
        return error_git("commit %s: cannot parse trailers", slot->e.commit);
    for (size_t i = 0; i < tr.count; i++) {
        int k = !strcmp(tr.trailers[i].key, "Statement-Id") ? 0
                : !strcmp(tr.trailers[i].key, "Date")       ? 1
                : !strcmp(tr.trailers[i].key, "Venue")      ? 3 : -1;
        if (k >= 0 && !slot->strings[k])
            slot->strings[k] = strdup(tr.trailers[i].value);
    }
    git_message_trailer_array_free(&tr);
    slot->strings[2] = mem_dup0(summary ? summary : "", summary ? strlen(summary) : 0);
    if (!slot->strings[0] || !slot->strings[1])
        return error_set(POSDIFF_EINVALID,
                         "commit %s has no Statement-Id/Date trailers; is this a posdiff history? rebuild it with 'posdiff build'",
                         slot->e.commit);
    slot->e.id = slot->strings[0];
    slot->e.date = slot->strings[1];
    slot->e.title = slot->strings[2];
    slot->e.venue = slot->strings[3];
    return slot->strings[2] ? 0 : error_oom();
}

static int push_commit(posdiff_history *h, const git_oid *oid)
{
    git_commit *commit = NULL;
    int error;

    if (array_grow(&h->items, &h->cap, h->count, sizeof(*h->items), 64) < 0)
        return POSDIFF_ENOMEM;
    memset(&h->items[h->count], 0, sizeof(entry_slot));
    if (git_commit_lookup(&commit, h->repo, oid) < 0)
        return error_git("cannot read a history commit");
    h->count++;
    error = fill_entry(&h->items[h->count - 1], commit);
    git_commit_free(commit);
    return error;
}

/* The branch's commits, oldest first; none when there is no branch.  A
 * branch whose commits are missing (a pack deleted) is an error. */
static int walk(posdiff_history *h)
{
    git_revwalk *w = NULL;
    git_oid oid;
    int error;

    if (git_revwalk_new(&w, h->repo) < 0)
        return error_git("cannot walk the history");
    git_revwalk_simplify_first_parent(w);
    git_revwalk_sorting(w, GIT_SORT_TOPOLOGICAL | GIT_SORT_REVERSE);
    if ((error = git_revwalk_push_ref(w, POSDIFF_HISTORY_BRANCH)) < 0 &&
        git_reference_name_to_id(&oid, h->repo, POSDIFF_HISTORY_BRANCH) == GIT_ENOTFOUND)
        error = GIT_ITEROVER;
    while (error == 0 && (error = git_revwalk_next(&oid, w)) == 0)
        if ((error = push_commit(h, &oid)) < 0)
            goto done; /* a posdiff error, already set */
    if (error != GIT_ITEROVER)
        error = error_git("%s: %s is damaged; restore the repository, or delete it and run "
                          "posdiff build again", git_repository_path(h->repo),
                          POSDIFF_HISTORY_BRANCH);
    else
        error = 0;
done:
    git_revwalk_free(w);
    return error;
}

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
    else if ((error = walk(h)) == 0 && h->count == 0 && posdiff_corpus_count(c) > 0)
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
    return i < h->count ? &h->items[i].e : NULL;
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
    if (git_oid_fromstr(&oid, h->items[i].e.commit) < 0 ||
        git_commit_lookup(&commit, h->repo, &oid) < 0 || git_commit_tree(&tree, commit) < 0) {
        error = error_git("commit %s: cannot read", h->items[i].e.commit);
        goto done;
    }
    if (git_tree_entry_bypath(&te, tree, path) < 0) {
        error = error_set(POSDIFF_ENOTFOUND, "commit %s has no %s (a history of an older "
                          "posdiff? run posdiff build)", h->items[i].e.commit, path);
        goto done;
    }
    if (git_blob_lookup(&blob, h->repo, git_tree_entry_id(te)) < 0) {
        error = error_git("commit %s: cannot read %s", h->items[i].e.commit, path);
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
    for (size_t i = 0; i < h->count; i++)
        for (int k = 0; k < 4; k++)
            free(h->items[i].strings[k]);
    free(h->items);
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
    memcpy(r->commit, h->items[i].e.commit, sizeof(r->commit));
    if (git_oid_fromstr(&oid, r->commit) < 0 || git_commit_lookup(&commit, h->repo, &oid) < 0 ||
        git_commit_tree(&r->root, commit) < 0) {
        git_commit_free(commit);
        posdiff_tree_reader_free(r);
        return error_git("commit %s: cannot read", h->items[i].e.commit);
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
