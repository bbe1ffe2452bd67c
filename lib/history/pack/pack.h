/*
 * pack.h - the history's object writer, the one header of lib/history/pack
 * that the rest of the library uses.
 *
 * A build hands every object to a pack_writer, which streams it into one
 * pack (unless the pack or the repository has it) and, at commit, writes
 * the pack's index and moves both into place.  Trees are kept as git
 * stores them and edited in place (pack_tree); big ones are stored as
 * deltas against an earlier version, text files as line deltas against
 * their previous version (pack_text).  Objects can be hashed and
 * compressed ahead by another thread (pack_prepare, pack_tree_prepare).
 * Ids are git_odb_hash's.
 */
#ifndef POSDIFF_PACK_H
#define POSDIFF_PACK_H

#include <stddef.h>

#include <git2.h>

typedef struct pack_writer pack_writer;     /* a pack being written */
typedef struct pack_deflater pack_deflater; /* a compressor, for one thread at a time */
typedef struct pack_object pack_object;     /* an object hashed (and compressed) ahead */
typedef struct pack_tree pack_tree;         /* a tree body, edited in place */
typedef struct pack_text pack_text;         /* the last version written of a text file */

/**
 * Start a pack in @p repo's objects/pack/ (free with pack_writer_free).
 * @param fresh  1: the repository holds no history, so objects are not
 *               looked up there (one stat each; any it holds anyway, a
 *               killed build's, are written again, which git allows)
 */
int pack_writer_new(pack_writer **out, git_repository *repo, int fresh);
/** Write an object (unless present); its id into @p id. */
int pack_put(pack_writer *pw, git_oid *id, git_object_t type, const char *data, size_t len);
/** Write an object prepared ahead. */
int pack_put_object(pack_writer *pw, git_oid *id, const pack_object *o);
/** Write tree @p t (see pack_tree_prepare). */
int pack_put_tree(pack_writer *pw, git_oid *id, pack_tree *t);
/**
 * Write @p data as a blob, the next version of the text file whose last
 * version is *@p last (NULL: none yet; allocated here, free with
 * pack_text_free): a line delta from it when that pays.
 */
int pack_put_text(pack_writer *pw, git_oid *id, pack_text **last, const char *data, size_t len);
void pack_text_free(pack_text *t);
/**
 * Finish the pack and its index, move both into place, and let the
 * repository see them.  @p written: objects packed (0: no pack).
 */
int pack_writer_commit(pack_writer *pw, size_t *written);
/** Release everything; an uncommitted pack is deleted (NULL-safe). */
void pack_writer_free(pack_writer *pw);

pack_deflater *pack_deflater_new(void); /* NULL: out of memory */
void pack_deflater_free(pack_deflater *z);
/**
 * Hash @p data as an object of @p type and, with @p z, compress it; with
 * @p z NULL the writer compresses it, and @p data must live until then.
 */
int pack_prepare(pack_object **out, pack_deflater *z, git_object_t type, const char *data,
                 size_t len);
const git_oid *pack_object_id(const pack_object *o);
void pack_object_free(pack_object *o);

/** A tree of body @p data (as git stores it; NULL: empty), copied. */
int pack_tree_new(pack_tree **out, const char *data, size_t len);
/** Set entry @p name to blob (or, with @p is_tree, tree) @p id, in git's order. */
int pack_tree_set(pack_tree *t, const char *name, int is_tree, const git_oid *id);
/**
 * The tree as it is now, hashed and compressed with @p z: in full, or
 * as a delta against its last version prepared in full, which must be
 * written to the same pack first.
 */
int pack_tree_prepare(pack_object **out, pack_tree *t, pack_deflater *z);
void pack_tree_free(pack_tree *t);

#endif
