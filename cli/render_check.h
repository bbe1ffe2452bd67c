/*
 * render_check.h - the outputs of `posdiff check`: text for people,
 * JSON (schema 1, cli/CHECK.md) and GitHub Actions workflow commands.
 */
#ifndef POSDIFF_RENDER_CHECK_H
#define POSDIFF_RENDER_CHECK_H

#include <stdio.h>

#include <posdiff/check.h>

typedef struct {
    const posdiff_corpus *c;
    const posdiff_check *k;
    const char
        *prefix; /* corpus dir relative to the repository root ("corpus/") */
    const char *repo;   /* the history repository path, for messages */
    const int *fail_on; /* per posdiff_finding_kind: 1 = makes check fail */
    size_t counts[POSDIFF_FINDING_KIND_COUNT];
    int exit_code; /* 0 or 1 */
} check_report;

void render_check_text(FILE *f, const check_report *r);
void render_check_json(FILE *f, const check_report *r);
void render_check_github(FILE *f, const check_report *r);

/** Write @p p's word diff as [-deleted-]{+inserted+}; a restated
 *  passage (no word diff) in full. */
void render_check_worddiff(FILE *f, const posdiff_finding *p);
/** "was (DATE, ID): OLD" for a restated finding (@p p->prev_*). */
void render_check_was(FILE *f, const check_report *r, const posdiff_finding *p);
/** "corpus/statements/x.txt" for a finding's corpus-relative file, or NULL. */
void render_check_path(FILE *f, const check_report *r, const char *file);
/** The catalog's position @p id, or NULL (@p id NULL or not in the catalog). */
const posdiff_position *render_check_position(const check_report *r, const char *id);

/** A could-not-run error as a workflow command (--format=github). */
void render_check_github_error(FILE *f, const char *message);

#endif
