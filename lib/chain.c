/*
 * chain.c - the history branch's first-parent chain (see chain.h):
 * walked from the tip to the root through first parents, trailers
 * parsed by commitmsg_parse, then reversed so the oldest comes first.
 */
#include "chain.h"

#include <stdlib.h>
#include <string.h>

#include "errors.h"
#include "posdiff/history.h"

static int chain_push(chain *h, const git_oid *id, const char *message)
{
    chain_item *oc;

    if (h->count == h->cap) {
        size_t cap = h->cap ? h->cap * 2 : 64;
        chain_item *v = realloc(h->v, cap * sizeof(*v));
        if (!v)
            return error_oom();
        h->v = v;
        h->cap = cap;
    }
    oc = &h->v[h->count++];
    git_oid_cpy(&oc->oid, id);
    oc->id = NULL;
    return commitmsg_parse(&oc->id, oc->input, message ? message : "");
}

static void chain_reverse(chain *h)
{
    for (size_t i = 0, j = h->count; i + 1 < j; i++, j--) {
        chain_item t = h->v[i];
        h->v[i] = h->v[j - 1];
        h->v[j - 1] = t;
    }
}

void chain_free(chain *h)
{
    for (size_t i = 0; i < h->count; i++)
        free(h->v[i].id);
    free(h->v);
    memset(h, 0, sizeof(*h));
}

int chain_read(chain *h, git_repository *repo, const char *path)
{
    git_commit *commit = NULL;
    git_oid id;
    int error = git_reference_name_to_id(&id, repo, POSDIFF_HISTORY_BRANCH);

    if (error == GIT_ENOTFOUND)
        return 0;
    if (error < 0)
        return error_git("%s: cannot read %s", path, POSDIFF_HISTORY_BRANCH);
    for (;;) {
        if (git_commit_lookup(&commit, repo, &id) < 0)
            return error_git("%s: %s is damaged; delete the repository and run "
                             "posdiff build again", path, POSDIFF_HISTORY_BRANCH);
        error = chain_push(h, &id, git_commit_message(commit));
        if (error == 0 && git_commit_parentcount(commit) == 0)
            error = 1;
        else if (error == 0)
            git_oid_cpy(&id, git_commit_parent_id(commit, 0));
        git_commit_free(commit);
        if (error != 0)
            break;
    }
    chain_reverse(h);
    return error < 0 ? error : 0;
}
