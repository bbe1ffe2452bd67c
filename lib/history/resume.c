/*
 * resume.c - the tracker's exact state at a history commit, so a build
 * that continues after commit k writes what a clean build would.
 *
 * After every build the state (posdiff_tracker_save) is kept in
 * <repo>/posdiff-tracker, headed "posdiff-tracker-cache 4 <posdiff
 * version> <commit> <checksum>".  To resume at k: restore that cache if
 * it belongs to k, else replay the aligner over the chain ending at k
 * from each commit's statements/<year>/<id>.md (also recording the steps
 * the step log lacks, when asked).
 */
#include "resume.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/cachesum.h"
#include "util/errors.h"
#include "util/fileio.h"
#include "posdiff/history.h"

#define CACHE_NAME "posdiff-tracker"
#define CACHE_MAGIC "posdiff-tracker-cache 4 " POSDIFF_VERSION " "
#define CACHE_MAX ((size_t)1 << 31)

static char *cache_path(const char *repo_path)
{
    buf b = BUF_INIT;
    buf_printf(&b, "%s/%s", repo_path, CACHE_NAME);
    return buf_detach(&b, NULL);
}

/* Bytes of the cache's head line: magic, the commit's id, the checksum
 * of the state that follows. */
#define HEAD_LEN (sizeof(CACHE_MAGIC) - 1 + GIT_OID_HEXSZ + 1 + CACHESUM_HEX + 1)

/* 1 if the cache belongs to @p tip and restored @p t; 0 if not usable. */
static int from_cache(posdiff_tracker *t, const char *repo_path, const git_oid *tip)
{
    char *path = cache_path(repo_path), hex[GIT_OID_HEXSZ + 1];
    const char *data = NULL;
    const size_t m = sizeof(CACHE_MAGIC) - 1, head = HEAD_LEN;
    size_t len = 0;
    int ok = 0, mapped;

    git_oid_tostr(hex, sizeof(hex), tip);
    mapped = path && map_file(&data, &len, path, CACHE_MAX) == 0;
    if (mapped && len > head &&
        !memcmp(data, CACHE_MAGIC, m) && !memcmp(data + m, hex, GIT_OID_HEXSZ) &&
        data[m + GIT_OID_HEXSZ] == ' ' && data[head - 1] == '\n' &&
        cachesum_matches(data + m + GIT_OID_HEXSZ + 1, cachesum(data + head, len - head)))
        ok = posdiff_tracker_restore(t, data + head, len - head) == 0;
    posdiff_error_clear(); /* a missing or stale cache is no error */
    if (mapped)
        unmap_file(data, len);
    free(path);
    return ok;
}

/* Step the tracker with the statement of commit @p commit (recorded in
 * @p steps unless NULL). */
static int replay_one(posdiff_tracker *t, git_repository *repo, const git_commit *commit,
                      steplog *steps)
{
    git_message_trailer_array tr = {0};
    git_tree *tree = NULL;
    git_tree_entry *te = NULL;
    git_blob *blob = NULL;
    posdiff_sentence *sent = NULL;
    posdiff_step *step = NULL;
    const char *id = NULL, *date = NULL;
    char path[POSDIFF_STATEMENT_PATH_MAX] = "statements/";
    size_t n = 0;
    int error = 0;

    if (git_message_trailers(&tr, git_commit_message(commit)) < 0)
        return error_git("cannot read a history commit's trailers");
    for (size_t i = 0; i < tr.count; i++)
        if (!strcmp(tr.trailers[i].key, "Statement-Id") && !id)
            id = tr.trailers[i].value;
        else if (!strcmp(tr.trailers[i].key, "Date") && !date)
            date = tr.trailers[i].value;
    if (!id || !date || posdiff_history_statement_path(path, sizeof(path), id, date) < 0 ||
        git_commit_tree(&tree, commit) < 0 ||
        git_tree_entry_bypath(&te, tree, path) < 0 ||
        git_blob_lookup(&blob, repo, git_tree_entry_id(te)) < 0) {
        error = error_git("history commit %s: cannot read %s; delete the repository and build again",
                          git_oid_tostr_s(git_commit_id(commit)), path);
        goto done;
    }
    if ((error = posdiff_doc_sentences(&sent, &n, git_blob_rawcontent(blob),
                                       (size_t)git_blob_rawsize(blob))) == 0)
        error = posdiff_tracker_step(&step, t, id, sent, n);
    if (error == 0 && steps)
        steplog_add(steps, git_commit_id(commit), step);
done:
    posdiff_step_free(step);
    free(sent);
    git_blob_free(blob);
    git_tree_entry_free(te);
    git_tree_free(tree);
    git_message_trailer_array_free(&tr);
    return error;
}

static int replay(posdiff_tracker *t, git_repository *repo, const git_oid *tip,
                  steplog *steps, size_t record_from)
{
    size_t i = 0;
    git_revwalk *w = NULL;
    git_commit *commit;
    git_oid oid;
    int error;

    if (git_revwalk_new(&w, repo) < 0 || git_revwalk_push(w, tip) < 0) {
        git_revwalk_free(w);
        return error_git("cannot walk the history to resume the build");
    }
    git_revwalk_simplify_first_parent(w);
    git_revwalk_sorting(w, GIT_SORT_TOPOLOGICAL | GIT_SORT_REVERSE);
    while ((error = git_revwalk_next(&oid, w)) == 0) {
        if (git_commit_lookup(&commit, repo, &oid) < 0) {
            error = error_git("cannot read history commit %s", git_oid_tostr_s(&oid));
            break;
        }
        error = replay_one(t, repo, commit, i++ >= record_from ? steps : NULL);
        git_commit_free(commit);
        if (error < 0)
            break;
    }
    git_revwalk_free(w);
    return error == GIT_ITEROVER ? 0 : error;
}

int resume_tracker(posdiff_tracker *t, git_repository *repo,
                   const char *repo_path, const git_oid *tip,
                   steplog *steps, size_t record_from)
{
    if (!steps && from_cache(t, repo_path, tip))
        return 0;
    return replay(t, repo, tip, steps, record_from);
}

void resume_save(const posdiff_tracker *t, const char *repo_path, const git_oid *tip)
{
    char *path = cache_path(repo_path), hex[GIT_OID_HEXSZ + 1];
    const size_t m = sizeof(CACHE_MAGIC) - 1, head = HEAD_LEN;
    buf b = BUF_INIT;
    char *state = NULL;
    size_t slen = 0;

    git_oid_tostr(hex, sizeof(hex), tip);
    buf_printf(&b, "%s%s %0*d\n", CACHE_MAGIC, hex, CACHESUM_HEX, 0); /* sum below */
    if (path && b.len == head && posdiff_tracker_save(&state, &slen, t) == 0 &&
        (buf_put(&b, state, slen), buf_ok(&b)) == 0) {
        cachesum_hex(b.ptr + m + GIT_OID_HEXSZ + 1, cachesum(b.ptr + head, b.len - head));
        write_cache_file(path, b.ptr, b.len);
    }
    posdiff_error_clear(); /* only a cache: a failure costs a replay later */
    free(state);
    buf_free(&b);
    free(path);
}
