/*
 * manifest.h - internal: statements.conf and positions.conf (git-config
 * syntax), read and appended to through libgit2's config API
 * (manifest.c) once git's own rules accept the file (gitconfig.c).
 */
#ifndef POSDIFF_MANIFEST_H
#define POSDIFF_MANIFEST_H

#include <stdint.h>

#include "posdiff/corpus.h"
#include "util/buf.h"

/* Growable list of C strings, owned. */
typedef struct {
    char **items;
    size_t count, cap;
} strlist;

int strlist_push(strlist *l, const char *s);
void strlist_free(strlist *l);

/* One [<kind> "id"] section: its entries, wherever they stood. */
typedef struct {
    const char *id;
    const char **keys;   /* n key names, lower-case, in file order */
    const char **values; /* their values ("" for a key without '=') */
    size_t n;
} msection;

/* A manifest as read; every string lives in pool. */
typedef struct {
    msection *items;  /* in order of first appearance */
    size_t count;
    const char **kv;  /* the sections' keys, then their values */
    char *pool;
    strlist warnings; /* entries outside any [<kind> "id"] */
    size_t len;       /* bytes of the file */
    uint64_t sum;     /* their cachesum64 */
    int cacheable;    /* unchanged while read, and no continued line
                       * (which libgit2 and git read differently) */
} mfile;

#define GITCONFIG_SYNTAX 1  /* git refuses the file */
#define GITCONFIG_INCLUDE 2 /* it has an [include] or [includeIf] header */

/**
 * Check @p data (@p len bytes) as `git config -f` reads it: 0 when git
 * accepts it and it has no include header, else GITCONFIG_SYNTAX (with
 * *@p line the line git names and *@p why what is wrong there) or
 * GITCONFIG_INCLUDE (*@p line: the first include header's).
 */
int gitconfig_check(const char *data, size_t len, int *line, const char **why);

/**
 * Where to cut @p data (which gitconfig_check accepted) into pieces of
 * at least @p max bytes that each start at a section header's '['
 * (but the first): *@p cuts (malloc'ed, the caller frees it) gets the
 * offsets of pieces 2.., *@p n how many.  Read one by one as config
 * files, the pieces give the file's entries, in order.  0 or
 * POSDIFF_ENOMEM.
 */
int gitconfig_cuts(const char *data, size_t len, size_t max, size_t **cuts, size_t *n);

/**
 * The line of the @p nth (from 0) header [<kind> "<id>"] of @p data
 * (@p key NULL), or of its nth entry @p key (across the sections of
 * that name); 0 if there is none.  Only for messages: @p data is a file
 * gitconfig_check accepted.
 */
int gitconfig_line(const char *data, size_t len, const char *kind, const char *id,
                   const char *key, size_t nth);

/**
 * Read every "<kind>.<id>.<key>" entry of the config file @p path,
 * grouped by section in order of first appearance.  A missing file is
 * an empty manifest when @p optional.
 */
int mfile_load(mfile *out, const char *path, const char *kind, int optional);
void mfile_free(mfile *m);
/** Last value of @p key in section @p s, or NULL. */
const char *msection_get(const msection *s, const char *key);

/**
 * The [statement "id"] section of @p st (NULL and empty fields skipped)
 * as libgit2's config writer writes it, appended to @p out, and as
 * libgit2 reads it back, into *@p parsed; @p scratch is a file name for
 * the writer to use (removed).
 */
int manifest_section(buf *out, mfile *parsed, const char *scratch,
                     const posdiff_statement *st);

/** The entry @p name = @p value (section.sub.key) as libgit2's writer
 *  writes it into an empty file (@p scratch, removed), appended to @p out. */
int manifest_entry(buf *out, const char *scratch, const char *name, const char *value);

/**
 * Replace the manifest @p path by @p data (@p len bytes): a new file
 * beside it (beside its target, for a symlink), of its mode, synced and
 * renamed over it; the old manifest is left on any error.
 */
int manifest_replace(const char *path, const char *data, size_t len);

#endif
