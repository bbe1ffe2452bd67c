/*
 * manifest.h - internal: statements.conf and positions.conf through
 * libgit2's config API (git-config syntax; no home-made parser).
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

/* One parsed [statement "id"] or [position "id"] section. */
typedef struct {
    char *id;
    strlist keys;   /* key names, in file order, lower-case */
    strlist values; /* matching values */
    size_t first_line_hint;
} msection;

typedef struct {
    msection *items;
    size_t count, cap;
    strlist warnings; /* unknown keys and sections */
} mfile;

/**
 * Read every "<kind>.<sub>.<key>" entry of the config file @p path,
 * grouped by subsection in file order.  A missing file is an empty
 * manifest when @p optional.
 */
int mfile_load(mfile *out, const char *path, const char *kind, int optional);
void mfile_free(mfile *m);
/** Last value of @p key in section @p s, or NULL; *count gets how many. */
const char *msection_get(const msection *s, const char *key, size_t *count);

/**
 * Append a [statement "id"] section with the given fields to the
 * manifest at @p path atomically: a copy is edited with libgit2 and
 * renamed over the original.  NULL fields are skipped.
 */
int mfile_append_statement(const char *path, const posdiff_statement *st);

#endif
