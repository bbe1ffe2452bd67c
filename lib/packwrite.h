/*
 * packwrite.h - internal: write many git objects as one packfile.
 *
 * Between packwrite_begin() and packwrite_commit() every object written
 * to the repository goes to an in-memory ODB backend (libgit2 mempack,
 * highest priority), so nothing reaches the disk until the end; the
 * caller notes each object id it wrote.  packwrite_commit() packs the
 * noted objects the disk does not hold yet and hands the pack to the
 * ODB's pack writer, which indexes it and renames .pack and .idx into
 * place: a crash leaves either no pack or a complete one.
 */
#ifndef POSDIFF_PACKWRITE_H
#define POSDIFF_PACKWRITE_H

#include <git2.h>

typedef struct {
    git_repository *repo;     /* not owned */
    git_odb *odb;             /* the repository's, with the mempack added */
    git_odb *disk;            /* the same objects directory, without it */
    git_odb_backend *mempack; /* owned by odb */
    git_oid *ids;             /* objects written, in write order (may repeat) */
    size_t count, cap;
} packwrite;

#define PACKWRITE_INIT {NULL, NULL, NULL, NULL, NULL, 0, 0}

/** Route the repository's object writes to memory. */
int packwrite_begin(packwrite *pw, git_repository *repo);
/** Record that @p id was written (blob, tree or commit). */
int packwrite_note(packwrite *pw, const git_oid *id);
/**
 * Write the new objects as one pack.
 * @param written  receives the number of objects packed (0: no pack)
 */
int packwrite_commit(packwrite *pw, size_t *written);
/** Drop what is still in memory and release everything (NULL-safe). */
void packwrite_end(packwrite *pw);

#endif
