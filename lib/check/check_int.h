/*
 * check_int.h - internal: the parts of posdiff_check_run (check.c):
 * the findings store (check_findings.c), the per-statement checks (check_stmt.c) and the
 * raw-line source map (check_srcmap.c).
 */
#ifndef POSDIFF_CHECK_INT_H
#define POSDIFF_CHECK_INT_H

#include "util/errors.h"
#include "posdiff/check.h"

typedef struct {
    posdiff_finding *v;
    size_t count, cap;
} finding_list;

struct posdiff_check {
    finding_list problems; /* invalid and warning, in corpus order */
    finding_list changes;  /* the new statements' changes */
    finding_list all;      /* problems then changes (shallow copies) */
    void **owned;          /* every string and ops array of the findings */
    size_t owned_count, owned_cap;
    const posdiff_statement **news; /* statements reported, corpus order */
    size_t new_count;
    posdiff_check_history history;
    int has_history;
};

/**
 * Record a finding; its strings, texts and ops are copied (rule is a
 * static string and is not).  Problems and changes go to their lists
 * by kind.
 */
int check_add(posdiff_check *k, const posdiff_finding *f);

/** Record a problem whose message is formatted from @p fmt. */
int check_problem(posdiff_check *k, posdiff_finding_kind kind, const char *rule,
                  const char *statement, const char *file, size_t line,
                  const char *fmt, ...) POSDIFF_PRINTF(7, 8);

/** check_files.c: a `warning` for each file under statements/ that no
 *  entry of the manifest names. */
int check_unnamed_files(posdiff_check *k, const posdiff_corpus *c);

/** Join the problems and the changes into the list the accessors read. */
int check_finish(posdiff_check *k);

/* ---- check_srcmap.c: normalized passage -> raw line --------------------- */

typedef struct {
    const char *raw;
    size_t *off, *len, *line; /* raw words: byte range and 1-based line */
    size_t n;
    size_t *hint; /* per normalized line: raw word index + 1, 0 = none */
    size_t lines; /* entries in hint (normalized lines + 1) */
} srcmap;

/**
 * Map the words of the normalized statement @p md (body from @p body)
 * back to the raw text, line by line, in order (the normalizer keeps
 * the word sequence except what a rule removed).
 */
int srcmap_build(srcmap *m, const char *raw, size_t raw_len, const char *md,
                 size_t md_len, size_t body);
/** Raw line where @p text (on normalized line @p norm_line) starts; 0 =
 * unknown. */
size_t srcmap_line(const srcmap *m, const char *text, size_t len,
                   size_t norm_line);
void srcmap_free(srcmap *m);

/* ---- check_stmt.c: one statement ---------------------------------------- */

typedef struct {
    posdiff_check *k;
    const posdiff_corpus *c;
    posdiff_tracker *tracker;
    const char **last_stated; /* per position: last statement stating it */
    char (*hashes)[41]; /* per statement: raw blob id, "" if unread */
    size_t invalid;     /* statements that could not be normalized */
} check_walk;

/** Read, hash, normalize and step statement @p i; report its changes if @p
 * is_new. */
int check_statement(check_walk *w, size_t i, int is_new);

#endif
