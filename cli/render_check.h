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
    const char *prefix; /* the corpus dir in its repository ("corpus/") */
    const char *repo;   /* the history repository path, for messages */
    const int *fail_on; /* per posdiff_finding_kind: 1 = makes check fail */
    size_t counts[POSDIFF_FINDING_KIND_COUNT];
    int exit_code; /* 0 or 1 */
} check_report;

void render_check_text(FILE *f, const check_report *r);
void render_check_json(FILE *f, const check_report *r);
void render_check_github(FILE *f, const check_report *r);

/** A finding's wording: a dropped passage's text, else the word diff
 *  ([-deleted-]{+inserted+}; a restated passage in full followed by
 *  @p was_sep and "was (DATE, ID): OLD"). */
void render_check_wording(FILE *f, const check_report *r, const posdiff_finding *p,
                          const char *was_sep);
/** The catalog's position @p id, or NULL (@p id NULL or not in the catalog). */
const posdiff_position *render_check_position(const check_report *r, const char *id);

/** A could-not-run error as a workflow command (--format=github). */
void render_check_github_error(FILE *f, const char *message);

#endif
