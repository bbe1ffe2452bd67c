/*
 * stmttree.c - the statements/<year>/ tree of each new commit, prepared
 * ahead.
 *
 * statements/ holds a tree per year, and each of those the normalized
 * statements of that year (history.c writes statements/ itself, a few
 * bytes per year).  Why years: the tree of a directory that holds k
 * statements is O(k) bytes and every commit writes (hashes, stores) the
 * one it adds to, so a flat statements/ made a history of N statements
 * hash O(N^2) tree bytes (2 GB at N = 10 000, ~250 GB at 100 000: git
 * fast-import of the same flat trees grew 46x for 10x the statements).
 * Per year, a commit writes O(statements that year) bytes, whatever the
 * size of the history, and the histories grow linearly; a year is also
 * how people look for a statement, and keeps each directory listable
 * (web views of git repositories stop at 1 000 entries).
 *
 * The year's tree of a commit does not depend on the aligner, only on
 * the statements' blobs.  So it is kept, hashed and compressed by the
 * thread that normalizes ahead (normahead.c), while the build thread
 * aligns; the build thread only appends the prepared object to the
 * pack.
 *
 * Storage: a tree of at least DELTA_MIN bytes is prepared as a delta
 * (gittree_delta) against the last one prepared in full (the key).
 * Chains stay one delta deep, cheap to read.  The key is refreshed once
 * the deltas against it add up to its size (or when one would exceed
 * half the tree): after k commits the deltas hold about k^2/2 entries,
 * so a key of T bytes serves about sqrt(2T / entry) commits, which
 * minimizes the bytes stored (and compressed) per commit.  The bytes
 * before the first entry set since the key are the key's, so the delta
 * compares only from there.  A full tree that later deltas use is
 * marked keep, so the pack holds it even when the repository already
 * does (OFS_DELTA bases must be in the same pack).
 */
#include "stmttree.h"

#include <stdio.h>

#include <string.h>

#include "util/errors.h"

#define DELTA_MIN 4096 /* smaller trees are always stored in full */

void stmttree_free(stmttree *t)
{
    gittree_free(&t->cur);
    gittree_free(&t->key);
    buf_free(&t->delta);
    *t = (stmttree)STMTTREE_INIT;
}

int stmttree_start(stmttree *t, const char *year, const char *data, size_t len)
{
    stmttree_free(t);
    if (!year)
        return 0;
    snprintf(t->year, sizeof(t->year), "%s", year);
    return data ? gittree_parse(&t->cur, data, len) : 0;
}

/* Set out's id: the current tree's. */
static int hash(packwrite_prepared *out, const stmttree *t)
{
    if (git_odb_hash(&out->id, t->cur.body.ptr ? t->cur.body.ptr : "", t->cur.body.len,
                     GIT_OBJECT_TREE) < 0)
        return error_git("cannot hash a tree");
    return 0;
}

/* Prepare the current tree as a delta (its id aside); 1 if it is not
 * worth it. */
static int prepare_delta(packwrite_prepared *out, stmttree *t, packwrite_deflater *z)
{
    int error;

    buf_clear(&t->delta);
    if ((error = gittree_delta(&t->delta, &t->key, &t->cur, t->same)) < 0)
        return error;
    if (t->delta.len > t->cur.body.len / 2)
        return 1;
    if ((error = packwrite_prepare_delta(out, z, &t->key_id, t->delta.ptr,
                                         t->delta.len)) < 0)
        return error;
    t->since_key += t->delta.len;
    return 0;
}

/* Prepare the current tree in full (its id aside); a big one becomes
 * the key. */
static int prepare_full(packwrite_prepared *out, stmttree *t, packwrite_deflater *z)
{
    const buf *body = &t->cur.body;
    int error;

    if ((error = packwrite_prepare_tree(out, z, body->ptr ? body->ptr : "", body->len)) < 0 ||
        body->len < DELTA_MIN)
        return error;
    if ((error = gittree_copy(&t->key, &t->cur)) < 0 || (error = hash(out, t)) < 0)
        return error;
    git_oid_cpy(&t->key_id, &out->id);
    t->has_key = 1;
    t->since_key = 0;
    t->key_len = body->len;
    t->same = body->len;
    out->keep = 1;
    return 2; /* hashed */
}

/* Go on with the (empty) tree of a later year. */
static int next_year(stmttree *t, const char *year)
{
    if (t->year[0] && strcmp(year, t->year) < 0)
        return error_set(POSDIFF_ERROR, "internal error: a statement of %s after one of %s",
                         year, t->year);
    gittree_free(&t->cur);
    t->has_key = 0;
    t->since_key = t->key_len = t->same = 0;
    snprintf(t->year, sizeof(t->year), "%s", year);
    return 0;
}

int stmttree_add(packwrite_prepared *out, stmttree *t, packwrite_deflater *z,
                 const char *year, const char *id, const git_oid *blob)
{
    char name[1024];
    size_t where;
    int error, n = snprintf(name, sizeof(name), "%s.md", id);

    if (n < 0 || (size_t)n >= sizeof(name))
        return error_set(POSDIFF_EINVALID, "statement id \"%.40s...\" is too long", id);
    if (strcmp(year, t->year) != 0 && (error = next_year(t, year)) < 0)
        return error;
    if ((error = gittree_set(&t->cur, name, "100644", blob->id, &where)) < 0)
        return error;
    t->same = where < t->same ? where : t->same;
    error = 1; /* full, unless a delta pays */
    if (t->cur.body.len >= DELTA_MIN && t->has_key && t->since_key < t->key_len)
        error = prepare_delta(out, t, z);
    if (error == 1)
        error = prepare_full(out, t, z);
    if (error < 0)
        return error;
    return error == 2 ? 0 : hash(out, t);
}
