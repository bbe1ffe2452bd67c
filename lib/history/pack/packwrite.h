/*
 * packwrite.h - internal: stream a build's git objects into one packfile.
 *
 * Between packwrite_begin() and packwrite_commit() the caller hands
 * every object (blob, tree, commit) to packwrite_put(): it is hashed,
 * skipped if the pack or the repository already holds it, else
 * deflated and appended to a temporary pack file in objects/pack/ (a
 * tree may be stored as a delta against an earlier tree of this pack).
 * Nothing is kept in memory but one index entry per object, so memory
 * does not grow with the size of the history.  packwrite_commit()
 * finishes the pack, writes its .idx itself (it knows every id, offset
 * and CRC) and renames both into place, .idx last: a crash leaves
 * either no pack or a complete one (plus, at worst, a tmp_ file that
 * git ignores).  Objects are not readable through the repository
 * before the commit: the caller keeps what it needs.
 */
#ifndef POSDIFF_PACKWRITE_H
#define POSDIFF_PACKWRITE_H

#include <stdint.h>

#include <git2.h>

#include "util/buf.h"

typedef struct {
    git_oid id;
    uint64_t off; /* of the object in the pack */
    uint32_t crc; /* CRC-32 of its packed bytes, for the .idx */
} packwrite_entry;

/* A compressor (libdeflate's), for one thread at a time. */
typedef struct packwrite_deflater packwrite_deflater;

packwrite_deflater *packwrite_deflater_new(void); /* NULL: out of memory */
void packwrite_deflater_free(packwrite_deflater *d);

typedef struct {
    git_repository *repo; /* not owned */
    git_odb *disk;        /* the repository's objects, for "already there" */
    int disk_empty;       /* it had none when the pack was begun */
    int fd;               /* the temporary pack, -1 when none */
    char *tmp_path;       /* its name */
    uint64_t off;         /* bytes written to it */
    packwrite_entry *v;   /* objects written, in pack order */
    size_t count, cap;
    uint32_t *slots;      /* open-addressing index into v (1-based, 0 = free) */
    size_t nslots;        /* a power of two, > 2 * count */
    buf out;              /* staging of one packed object */
    packwrite_deflater *z; /* for objects put by the writing thread */
} packwrite;

/** Start a pack in @p repo's objects/pack/. */
int packwrite_begin(packwrite *pw, git_repository *repo);

/**
 * Write one object (unless already present) and return its id.
 * @param off  if non-NULL, receives the object's offset in this pack,
 *             or UINT64_MAX when it is not in this pack (already on disk)
 */
int packwrite_put(packwrite *pw, git_oid *id, git_object_t type,
                  const char *data, size_t len, uint64_t *off);

/**
 * An object hashed and deflated ahead, by any thread (with its own
 * deflater @p d), without a pack
 * (a worker thread prepares a statement's blob while the build thread
 * aligns the one before); packwrite_put_prepared writes it.
 */
typedef struct {
    git_oid id;
    buf packed;       /* a full object: the pack's header and deflated body;
                         a delta: the deflated delta */
    git_oid base;     /* a delta: the object it applies to */
    size_t delta_len; /* a delta: its length before deflating; 0: full */
    int keep;         /* written into this pack even when the repository
                         has it (the base of later deltas) */
    git_object_t type;
    const char *data; /* hashed only: the body (not owned), deflated when put */
    size_t len;
} packwrite_prepared;

#define PACKWRITE_PREPARED_INIT {{{0}}, BUF_INIT, {{0}}, 0, 0, GIT_OBJECT_BLOB, NULL, 0}

int packwrite_prepare(packwrite_prepared *p, packwrite_deflater *d, git_object_t type,
                      const char *data, size_t len);
/* (With @p d NULL the object is only hashed: @p data must then live
 * until packwrite_put_prepared, which deflates it with the pack's own
 * deflater.) */
/**
 * As packwrite_put, stored as the git delta @p delta (gitdelta.h) from
 * object @p base when this pack holds it (else in full).
 */
int packwrite_put_delta(packwrite *pw, git_oid *id, git_object_t type, const char *data,
                        size_t len, const git_oid *base, const char *delta, size_t delta_len);

/*
 * A tree prepared without its id, which the caller sets (stmttree.c
 * hashes two trees at once): in full, or as the git delta @p delta
 * against tree @p base, which must be written to the pack before this
 * one (a full tree prepared with keep set).
 */
int packwrite_prepare_tree(packwrite_prepared *p, packwrite_deflater *d, const char *data,
                           size_t len);
int packwrite_prepare_delta(packwrite_prepared *p, packwrite_deflater *d,
                            const git_oid *base, const char *delta, size_t delta_len);
/** As packwrite_put, for an object prepared with packwrite_prepare(_delta). */
int packwrite_put_prepared(packwrite *pw, git_oid *id, const packwrite_prepared *p,
                           uint64_t *off);

/**
 * Finish the pack and its index and move both into place.
 * @param written  receives the number of objects packed (0: no pack)
 */
int packwrite_commit(packwrite *pw, size_t *written);
/** Release everything; an uncommitted pack is deleted (NULL-safe). */
void packwrite_end(packwrite *pw);

#endif
