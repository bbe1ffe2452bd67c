/*
 * packwrite.c - collect a build's objects in memory, flush them as one pack.
 *
 * The mempack backend, added to the repository's ODB with the highest
 * priority, receives every write (git_odb_write skips objects that some
 * backend already holds) and serves reads of what it holds, so the
 * objects of a build in progress are complete and readable without
 * touching the disk.
 *
 * At commit time the noted ids are filtered against a second ODB opened
 * on the same objects directory without the mempack (the "disk" view):
 * only objects missing there are packed.  We do not use
 * git_mempack_dump(): it packs the full tree of every commit, so each
 * incremental build would store the whole corpus again.  The pack is
 * built with git_packbuilder and stored with git_odb_write_pack(), whose
 * indexer writes both files under temporary names and renames them.
 */
#include "packwrite.h"

#include <stdlib.h>
#include <string.h>

#include <git2/sys/mempack.h>
#include <git2/sys/odb_backend.h>

#include "errors.h"

/* Above the default backends (loose 1, packed 2, alternates lower). */
#define MEMPACK_PRIORITY 1000

static int open_disk_odb(packwrite *pw)
{
    git_buf dir = GIT_BUF_INIT;
    int error = 0;

    if (git_repository_item_path(&dir, pw->repo, GIT_REPOSITORY_ITEM_OBJECTS) < 0 ||
        git_odb_open(&pw->disk, dir.ptr) < 0)
        error = error_git("%s: cannot open the object database; check that the "
                          "history repository is intact",
                          git_repository_path(pw->repo));
    git_buf_dispose(&dir);
    return error;
}

int packwrite_begin(packwrite *pw, git_repository *repo)
{
    git_odb_backend *mp = NULL;
    int error;

    memset(pw, 0, sizeof(*pw));
    pw->repo = repo;
    if ((error = open_disk_odb(pw)) < 0)
        return error;
    if (git_repository_odb(&pw->odb, repo) < 0 || git_mempack_new(&mp) < 0)
        return error_git("%s: cannot set up the in-memory object store",
                         git_repository_path(repo));
    if (git_odb_add_backend(pw->odb, mp, MEMPACK_PRIORITY) < 0) {
        mp->free(mp);
        return error_git("%s: cannot set up the in-memory object store",
                         git_repository_path(repo));
    }
    pw->mempack = mp;
    return 0;
}

int packwrite_note(packwrite *pw, const git_oid *id)
{
    if (pw->count == pw->cap) {
        size_t cap = pw->cap ? pw->cap * 2 : 256;
        git_oid *p = realloc(pw->ids, cap * sizeof(*p));
        if (!p)
            return error_oom();
        pw->ids = p;
        pw->cap = cap;
    }
    git_oid_cpy(&pw->ids[pw->count++], id);
    return 0;
}

/* Index and store one pack through the disk ODB's pack writer. */
static int store_pack(packwrite *pw, const char *data, size_t len)
{
    git_odb_writepack *wp = NULL;
    git_indexer_progress stats;
    int error = 0;

    memset(&stats, 0, sizeof(stats));
    if (git_odb_write_pack(&wp, pw->disk, NULL, NULL) < 0)
        return error_git("%s: cannot write a pack", git_repository_path(pw->repo));
    if (wp->append(wp, data, len, &stats) < 0 || wp->commit(wp, &stats) < 0)
        error = error_git("%s: cannot write a pack; check the disk space and "
                          "permissions, then run posdiff build again",
                          git_repository_path(pw->repo));
    wp->free(wp);
    return error;
}

static int fill_builder(packwrite *pw, git_packbuilder *pb)
{
    for (size_t i = 0; i < pw->count; i++) {
        if (git_odb_exists_ext(pw->disk, &pw->ids[i], GIT_ODB_LOOKUP_NO_REFRESH))
            continue;
        if (git_packbuilder_insert(pb, &pw->ids[i], NULL) < 0)
            return error_git("%s: cannot pack the new objects",
                             git_repository_path(pw->repo));
    }
    return 0;
}

int packwrite_commit(packwrite *pw, size_t *written)
{
    git_packbuilder *pb = NULL;
    git_buf pack = GIT_BUF_INIT;
    size_t n;
    int error;

    *written = 0;
    if (git_packbuilder_new(&pb, pw->repo) < 0) {
        error = error_git("%s: cannot pack the new objects", git_repository_path(pw->repo));
        goto done;
    }
    if ((error = fill_builder(pw, pb)) < 0)
        goto done;
    if ((n = git_packbuilder_object_count(pb)) == 0)
        goto done;
    if (git_packbuilder_write_buf(&pack, pb) < 0) {
        error = error_git("%s: cannot pack the new objects", git_repository_path(pw->repo));
        goto done;
    }
    if ((error = store_pack(pw, pack.ptr, pack.size)) < 0)
        goto done;
    *written = n;
done:
    git_buf_dispose(&pack);
    git_packbuilder_free(pb);
    return error;
}

void packwrite_end(packwrite *pw)
{
    if (pw->mempack)
        git_mempack_reset(pw->mempack);
    git_odb_free(pw->odb);
    git_odb_free(pw->disk);
    free(pw->ids);
    memset(pw, 0, sizeof(*pw));
}
