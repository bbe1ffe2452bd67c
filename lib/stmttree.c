/*
 * stmttree.c - the statements/ tree of each new commit, prepared ahead.
 *
 * The statements/ tree of commit k holds the k statements so far: it
 * does not depend on the aligner, only on the statements' blobs.  So
 * it is kept, hashed and compressed by the thread that normalizes
 * ahead (normahead.c), while the build thread aligns; the build thread
 * only appends the prepared object to the pack.  This matters at
 * scale: the tree of commit k is O(k) bytes, so a history of N
 * statements hashes O(N^2) tree bytes (2 GB at N = 10 000), whatever
 * the storage.
 *
 * Storage: a tree of at least DELTA_MIN bytes is prepared as a delta
 * (gittree_delta) against the last one prepared in full, which is
 * refreshed every KEY_EVERY trees (or when a delta would exceed half
 * the tree): chains stay one delta deep, cheap to read, and each delta
 * holds at most KEY_EVERY new entries.  The bytes before the first entry
 * set since the key are the key's (new statements usually sort last),
 * so the delta compares only from there.  A full tree that later deltas
 * use is marked keep, so the pack holds it even when the repository
 * already does (OFS_DELTA bases must be in the same pack).
 */
#include "stmttree.h"

#include <stdio.h>

#include "errors.h"

#define KEY_EVERY 64   /* deltas per full tree */
#define DELTA_MIN 4096 /* smaller trees are always stored in full */

void stmttree_free(stmttree *t)
{
    gittree_free(&t->cur);
    gittree_free(&t->key);
    buf_free(&t->delta);
    *t = (stmttree)STMTTREE_INIT;
}

int stmttree_start(stmttree *t, const char *data, size_t len)
{
    stmttree_free(t);
    return data ? gittree_parse(&t->cur, data, len) : 0;
}

/* Prepare the current tree as a delta; 1 if it is not worth it. */
static int prepare_delta(packwrite_prepared *out, stmttree *t, packwrite_deflater *z)
{
    const buf *body = &t->cur.body;
    int error;

    buf_clear(&t->delta);
    if ((error = gittree_delta(&t->delta, &t->key, &t->cur, t->same)) < 0)
        return error;
    if (t->delta.len > body->len / 2)
        return 1;
    if ((error = packwrite_prepare_delta(out, z, body->ptr, body->len, &t->key_id,
                                         t->delta.ptr, t->delta.len)) < 0)
        return error;
    t->since_key++;
    return 0;
}

int stmttree_add(packwrite_prepared *out, stmttree *t, packwrite_deflater *z,
                 const char *id, const git_oid *blob)
{
    char name[1024];
    const buf *body = &t->cur.body;
    size_t where;
    int error, n = snprintf(name, sizeof(name), "%s.md", id);

    if (n < 0 || (size_t)n >= sizeof(name))
        return error_set(POSDIFF_EINVALID, "statement id \"%.40s...\" is too long", id);
    if ((error = gittree_set(&t->cur, name, "100644", blob->id, &where)) < 0)
        return error;
    t->same = where < t->same ? where : t->same;
    if (body->len >= DELTA_MIN && t->has_key && t->since_key < KEY_EVERY &&
        (error = prepare_delta(out, t, z)) <= 0)
        return error;
    if ((error = packwrite_prepare(out, z, GIT_OBJECT_TREE, body->ptr ? body->ptr : "",
                                   body->len)) < 0 || body->len < DELTA_MIN)
        return error;
    if ((error = gittree_copy(&t->key, &t->cur)) < 0)
        return error;
    git_oid_cpy(&t->key_id, &out->id);
    t->has_key = 1;
    t->since_key = 0;
    t->same = body->len;
    out->keep = 1;
    return 0;
}
