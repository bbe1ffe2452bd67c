/*
 * history_status.c - does the history repository match the corpus?
 * Read-only, without the build lock: the chain's trailers against every
 * statement's input hash (commitmsg.c), as the builder compares them
 * (history.c): all matching and as many as the statements is up to
 * date, fewer is behind, else diverged.  A stamp of the inputs' stat
 * data that the last build left (fresh.c) answers "up to date" first.
 */
#include <stdlib.h>
#include <string.h>

#include <git2.h>

#include "chain.h"
#include "commitmsg.h"
#include "fresh.h"
#include "util/errors.h"
#include "posdiff/history.h"

/* Steps 2 and 3: how many leading commits match the corpus. */
static int chain_matching(size_t *out, const chain *ch, const posdiff_corpus *c)
{
    char catalog[COMMITMSG_HEX + 1], input[COMMITMSG_HEX + 1];
    size_t n = posdiff_corpus_count(c), k = 0;
    int error;

    if ((error = commitmsg_catalog_hash(catalog, posdiff_corpus_catalog(c))) <
        0)
        return error;
    for (; k < ch->count && k < n; k++) {
        const posdiff_statement *st = posdiff_corpus_statement(c, k);
        if (!ch->v[k].id || strcmp(ch->v[k].id, st->id))
            break;
        if ((error = commitmsg_input_hash(input, c, st, catalog)) < 0)
            return error;
        if (strcmp(input, ch->v[k].input))
            break;
    }
    *out = k;
    return 0;
}

static posdiff_history_state state_of(const posdiff_history_status_result *r)
{
    if (r->commits == 0)
        return r->statements ? POSDIFF_HISTORY_MISSING
                             : POSDIFF_HISTORY_UP_TO_DATE;
    if (r->matching < r->commits)
        return POSDIFF_HISTORY_DIVERGED;
    return r->commits == r->statements ? POSDIFF_HISTORY_UP_TO_DATE
                                       : POSDIFF_HISTORY_BEHIND;
}

int posdiff_history_status(posdiff_history_status_result *out,
                           const posdiff_corpus *c, const char *repo_path)
{
    return posdiff_history_status_of(out, c, repo_path, NULL, NULL, 0);
}

int posdiff_history_status_of(posdiff_history_status_result *out, const posdiff_corpus *c,
                              const char *repo_path, const char *const *ids,
                              const size_t *at, size_t n)
{
    char *path =
        repo_path ? strdup(repo_path) : posdiff_history_default_path(c);
    git_repository *repo = NULL;
    chain ch = {NULL, 0, 0};
    int error = 0;

    memset(out, 0, sizeof(*out));
    out->statements = posdiff_corpus_count(c);
    out->state = POSDIFF_HISTORY_MISSING;
    if (!path)
        return error_oom();
    if (git_repository_open_ext(
            &repo, path,
            GIT_REPOSITORY_OPEN_NO_SEARCH | GIT_REPOSITORY_OPEN_NO_DOTGIT |
                GIT_REPOSITORY_OPEN_BARE, NULL) < 0)
        goto done; /* no repository yet: MISSING */
    if (out->statements && fresh_matches(path, repo, c, ids, at, n)) { /* as the last build left it */
        out->commits = out->matching = out->statements;
        out->state = POSDIFF_HISTORY_UP_TO_DATE;
        goto done;
    }
    if ((error = chain_read(&ch, repo, path, 0)) < 0 ||
        (error = chain_matching(&out->matching, &ch, c)) < 0)
        goto done;
    out->commits = ch.count;
    out->state = state_of(out);
done:
    chain_free(&ch);
    git_repository_free(repo);
    free(path);
    return error;
}

const char *posdiff_history_state_name(posdiff_history_state st)
{
    switch (st) {
    case POSDIFF_HISTORY_UP_TO_DATE:
        return "up-to-date";
    case POSDIFF_HISTORY_MISSING:
        return "missing";
    case POSDIFF_HISTORY_BEHIND:
        return "behind";
    case POSDIFF_HISTORY_DIVERGED:
        return "diverged";
    }
    return "unknown";
}
