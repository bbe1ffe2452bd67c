/*
 * manifest.h - internal: statements.conf and positions.conf (git-config
 * syntax).  The manifests' usual subset is read and appended to by
 * manifest_parse.c / manifest.c directly; anything else goes through
 * libgit2's config API, which stays the reference.
 */
#ifndef POSDIFF_MANIFEST_H
#define POSDIFF_MANIFEST_H

#include "posdiff/corpus.h"

/* Growable list of C strings, owned. */
typedef struct {
    char **items;
    size_t count, cap;
} strlist;

int strlist_push(strlist *l, const char *s);
void strlist_free(strlist *l);

/*
 * One parsed [statement "id"] or [position "id"] section.  Its strings
 * and its keys' and values' arrays live in the arena of its mfile (not
 * owned by the strlists: never strlist_free them).
 */
typedef struct {
    char *id;
    strlist keys;   /* key names, in file order, lower-case */
    strlist values; /* matching values */
    size_t first_line_hint;
} msection;

/* Chunks of memory that never move, freed together (manifest.c). */
typedef struct mchunk mchunk;

typedef struct {
    msection *items;
    size_t count, cap;
    strlist warnings; /* unknown keys and sections (owned strings) */
    mchunk *arena;    /* the sections' strings and arrays */
    char *text;       /* mfile_load: the file's bytes as read, or NULL */
    size_t text_len;
    int simple;       /* 1: text was read by mfile_parse_simple */
} mfile;

/* Index of an mfile's sections by id while it loads (see manifest.c). */
typedef struct {
    size_t *slot; /* section number + 1, 0 = empty */
    size_t cap;   /* a power of two, or 0 */
} mfile_index;

/**
 * The number of section @p id (created, empty, at the end when new), or
 * a negative error.
 */
long mfile_section(mfile *m, mfile_index *x, const char *id, size_t idlen);
/** Append entry @p key = @p value (lengths in bytes) to section @p sec. */
int mfile_add(mfile *m, size_t sec, const char *key, size_t keylen,
              const char *value, size_t vallen);

#define MFILE_SIMPLE 1 /* read by mfile_parse_simple */
#define MFILE_OTHER 0  /* outside its subset: read it with libgit2 */

/**
 * Read the [<kind> "id"] sections of @p data (@p len bytes) as libgit2
 * would, if the file keeps to the subset described in manifest_parse.c.
 * Returns MFILE_SIMPLE (@p out filled; with @p out NULL the bytes are
 * only checked), MFILE_OTHER (@p out empty) or a negative error.
 */
int mfile_parse_simple(mfile *out, const char *data, size_t len, const char *kind);

/** mfile_load through libgit2 only (the reference reader; for tests). */
int mfile_load_git(mfile *out, const char *path, const char *kind, int optional);

/**
 * Read every "<kind>.<sub>.<key>" entry of the config file @p path,
 * grouped by subsection in file order.  A missing file is an empty
 * manifest when @p optional.  The bytes read are kept in out->text.
 */
int mfile_load(mfile *out, const char *path, const char *kind, int optional);
/**
 * mfile_load given the file's bytes @p data (@p len bytes, malloc'ed,
 * NUL-terminated; taken over: kept in out->text or freed).
 */
int mfile_load_data(mfile *out, const char *path, char *data, size_t len,
                    const char *kind, int optional);
void mfile_free(mfile *m);
/** Last value of @p key in section @p s, or NULL; *count gets how many. */
const char *msection_get(const msection *s, const char *key, size_t *count);

/**
 * Append a [statement "id"] section with the given fields to the
 * manifest at @p path atomically: a temporary copy with the section
 * appended, byte for byte as libgit2's git_config_set_string would
 * write it, is renamed over the original.  Manifests outside the
 * simple subset are edited with libgit2 itself.  NULL and empty
 * fields are skipped.
 */
int mfile_append_statement(const char *path, const posdiff_statement *st);

/**
 * mfile_append_statement given the manifest's current bytes @p data
 * (@p len bytes, read by the caller under the corpus lock); @p simple
 * says mfile_parse_simple already accepted exactly these bytes as
 * "statement" sections (0: it is asked again).
 */
int mfile_append_statement_bytes(const char *path, const char *data, size_t len,
                                 int simple, const posdiff_statement *st);

/**
 * mfile_append_statement for a manifest not kept in memory: it is copied
 * from @p path in chunks, which must be the @p len bytes the caller knows
 * (@p ends_nl: they end with a line end; @p simple: manifest_parse.c's
 * subset), then the section; a file of another length, or where libgit2
 * must decide, is left to mfile_append_statement.
 */
int mfile_append_statement_copy(const char *path, size_t len, int ends_nl, int simple,
                                const posdiff_statement *st);

/** mfile_append_statement through libgit2 only (the reference writer). */
int mfile_append_statement_git(const char *path, const posdiff_statement *st);

#endif
