/*
 * check.c - posdiff_check_run: validate a corpus, report what the new
 * statements change, and compare (or rebuild) the history.
 *
 * Order of work:
 *   1. manifest warnings of the open corpus become `warning` findings,
 *      as do files under statements/ no entry names (check_files.c);
 *   2. every statement, in corpus order, is read, hashed, normalized,
 *      normalized again and stepped through a tracker (check_stmt.c);
 *      the new statements' steps become change findings;
 *   3. positions that no statement ever stated: `warning`, pointing at
 *      their section in positions.conf;
 *   4. the history: posdiff_history_status, then a build when asked
 *      and the statements are all valid, else an `invalid` finding.
 *
 * Findings own copies of their strings (check_add), so nothing points
 * into the steps, which are freed statement by statement.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_int.h"

/* ---- steps 3 and 4 ------------------------------------------------------ */

/* The first line of the corpus file @p name holding @p a and @p b (0 if
 * none): only to point an annotation at it; the files are read by
 * libgit2. */
static size_t line_holding(const posdiff_corpus *c, const char *name, const char *a,
                           const char *b)
{
    char path[4096], line[8192];
    size_t n = 0, found = 0;
    FILE *f;

    snprintf(path, sizeof(path), "%s/%s", posdiff_corpus_dir(c), name);
    if (!(f = fopen(path, "r")))
        return 0;
    while (!found && fgets(line, sizeof(line), f))
        found = ++n * (strstr(line, a) && strstr(line, b));
    fclose(f);
    return found;
}

static size_t position_line(const posdiff_corpus *c, const char *id)
{
    char want[512];

    snprintf(want, sizeof(want), "\"%s\"", id);
    return line_holding(c, "positions.conf", "[position", want);
}

static int unmatched_positions(posdiff_check *k, const posdiff_corpus *c,
                               const check_walk *w)
{
    const posdiff_catalog *cat = posdiff_corpus_catalog(c);
    int error = 0;

    for (size_t i = 0; i < posdiff_catalog_count(cat) && !error; i++) {
        const posdiff_position *p = posdiff_catalog_position(cat, i);
        if (w->last_stated[i])
            continue;
        error = check_problem(
            k, POSDIFF_FINDING_WARNING, "no-match", NULL, "positions.conf",
            position_line(c, p->id),
            "position \"%s\": none of its phrases matches a sentence of any "
            "statement; fix its 'match' phrases in positions.conf (words in "
            "order, at most %d between) or remove the position",
            p->id, POSDIFF_MATCH_GAP);
    }
    return error;
}

/* Decisions of review.conf that found no sentence in any statement. */
static int stale_reviews(posdiff_check *k, const posdiff_corpus *c, const check_walk *w)
{
    const posdiff_catalog *cat = posdiff_corpus_catalog(c);
    int error = 0;

    for (size_t p = 0; p < posdiff_catalog_count(cat) && !error; p++) {
        const posdiff_position *pp = posdiff_catalog_position(cat, p);
        for (size_t r = 0; r < pp->review_count && !error; r++) {
            const posdiff_review *rv = &pp->review[r];
            if (posdiff_tracker_review_used(w->tracker, p, r))
                continue;
            error = check_problem(
                k, POSDIFF_FINDING_WARNING, "stale-review", rv->statement, "review.conf",
                line_holding(c, "review.conf", rv->text, rv->statement), "review \"%s\": %s = %s: %.60s%s%s%s matches no "
                "sentence of the statements (the wording changed or the statement is gone); "
                "remove it, or record the decision again with posdiff review",
                pp->id, posdiff_review_kind_name(rv->kind), rv->statement, rv->text, strlen(rv->text) > 60 ? "..." : "",
                rv->kind >= POSDIFF_REVIEW_SAME ? " <- " : "",
                rv->kind >= POSDIFF_REVIEW_SAME ? rv->old_statement : "");
        }
    }
    return error;
}

static int history_stale(posdiff_check *k, const posdiff_corpus *c,
                         const char *path, const char *why)
{
    const posdiff_history_status_result *s = &k->history.status;
    const char *first = s->matching < posdiff_corpus_count(c)
                            ? posdiff_corpus_statement(c, s->matching)->id
                            : NULL;

    return check_problem(k, POSDIFF_FINDING_INVALID, "history", NULL, NULL, 0,
                         "%s: the history repository does not match the corpus "
                         "(%s: %zu of %zu commits match; "
                         "a build rewrites from %s%s%s); %s",
                         path, posdiff_history_state_name(s->state),
                         s->matching, s->commits,
                         first ? "statement \"" : "the end", first ? first : "",
                         first ? "\"" : "", why);
}

static int check_history(posdiff_check *k, const posdiff_corpus *c,
                         const posdiff_check_options *o, size_t invalid)
{
    posdiff_build_options bo = POSDIFF_BUILD_OPTIONS_INIT;
    char *path =
        o->repo_path ? strdup(o->repo_path) : posdiff_history_default_path(c);
    posdiff_history_state st;
    int error;

    if (!path)
        return error_oom();
    k->has_history = 1;
    if ((error = posdiff_history_status(&k->history.status, c, o->repo_path)) <
        0)
        goto done;
    st = k->history.status.state;
    if (st == POSDIFF_HISTORY_UP_TO_DATE ||
        (st == POSDIFF_HISTORY_MISSING && !o->build))
        goto done;
    if (!o->build) {
        error = history_stale(k, c, path,
                              "run 'posdiff build' or 'posdiff check --build'");
    } else if (invalid) {
        error = history_stale(
            k, c, path, "not rebuilt: fix the invalid statements above first");
    } else {
        bo.repo_path = o->repo_path;
        if ((error = posdiff_history_build(&k->history.build, c, &bo)) == 0)
            k->history.built = 1;
    }
done:
    free(path);
    return error;
}

/* ---- the run ------------------------------------------------------------ */

static int pick_new(posdiff_check *k, const posdiff_corpus *c,
                    const posdiff_check_options *o, char *is_new)
{
    size_t n = posdiff_corpus_count(c);

    if (!(k->news = calloc(n ? n : 1, sizeof(*k->news))))
        return error_oom();
    if (!o->new_ids && n > 0)
        is_new[n - 1] = 1;
    for (size_t i = 0; i < o->new_count; i++) {
        const posdiff_statement *st = posdiff_corpus_find(c, o->new_ids[i]);
        if (!st)
            return error_set(POSDIFF_ENOTFOUND,
                             "%s/statements.conf: no statement \"%s\"; "
                             "name a statement of the manifest",
                             posdiff_corpus_dir(c), o->new_ids[i]);
        for (size_t j = 0; j < n; j++)
            if (posdiff_corpus_statement(c, j) == st)
                is_new[j] = 1;
    }
    for (size_t j = 0; j < n; j++)
        if (is_new[j])
            k->news[k->new_count++] = posdiff_corpus_statement(c, j);
    return 0;
}

static int manifest_warnings(posdiff_check *k, const posdiff_corpus *c)
{
    int error = 0;

    for (size_t i = 0; i < posdiff_corpus_warning_count(c) && !error; i++) {
        const char *msg = posdiff_corpus_warning(c, i);
        const char *file = strstr(msg, "positions.conf") ? "positions.conf"
                                                         : "statements.conf";
        error = check_problem(k, POSDIFF_FINDING_WARNING, "manifest", NULL,
                              file, 0, "%s", msg);
    }
    return error;
}

static int walk_all(posdiff_check *k, const posdiff_corpus *c,
                    const posdiff_check_options *o, const char *is_new,
                    size_t *invalid)
{
    size_t n = posdiff_corpus_count(c);
    size_t np = posdiff_catalog_count(posdiff_corpus_catalog(c));
    check_walk w = {k, c, NULL, NULL, NULL, 0};
    int error;

    w.last_stated = calloc(np ? np : 1, sizeof(*w.last_stated));
    w.hashes = calloc(n ? n : 1, sizeof(*w.hashes));
    if (!w.last_stated || !w.hashes)
        error = error_oom();
    else
        error = posdiff_tracker_new(&w.tracker, posdiff_corpus_catalog(c),
                                    o->align);
    for (size_t i = 0; i < n && !error; i++)
        error = check_statement(&w, i, is_new[i]);
    if (!error)
        error = unmatched_positions(k, c, &w);
    if (!error)
        error = stale_reviews(k, c, &w);
    *invalid = w.invalid;
    posdiff_tracker_free(w.tracker);
    free(w.last_stated);
    free(w.hashes);
    return error;
}

int posdiff_check_run(posdiff_check **out, const posdiff_corpus *c,
                      const posdiff_check_options *opts)
{
    posdiff_check_options defaults = POSDIFF_CHECK_OPTIONS_INIT;
    const posdiff_check_options *o = opts ? opts : &defaults;
    size_t n = posdiff_corpus_count(c), invalid = 0;
    posdiff_check *k = calloc(1, sizeof(*k));
    char *is_new = calloc(n ? n : 1, 1);
    int error;

    *out = NULL;
    if (o->version != POSDIFF_CHECK_OPTIONS_VERSION)
        error = error_set(POSDIFF_EINVALID,
                          "posdiff_check_options version %u is not %d; "
                          "initialise it with POSDIFF_CHECK_OPTIONS_INIT",
                          o->version, POSDIFF_CHECK_OPTIONS_VERSION);
    else if (!k || !is_new)
        error = error_oom();
    else if ((error = pick_new(k, c, o, is_new)) == 0 &&
             (error = manifest_warnings(k, c)) == 0 &&
             (error = check_unnamed_files(k, c)) == 0 &&
             (error = walk_all(k, c, o, is_new, &invalid)) == 0 && o->history)
        error = check_history(k, c, o, invalid);
    if (error == 0)
        error = check_finish(k);
    free(is_new);
    if (error < 0) {
        posdiff_check_free(k);
        return error;
    }
    *out = k;
    return 0;
}
