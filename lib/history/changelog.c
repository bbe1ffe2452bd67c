/*
 * changelog.c - every statement's step, oldest first.
 *
 * The build records each step in the step log (steplog.c); a walk with
 * the default options reads them from there.  Where the log has no
 * usable record (missing, stale, built with another catalog, options
 * given), the history is replayed through the aligner: read
 * statements/<id>.md from the commit's tree, take its sentences
 * (posdiff_doc_sentences) and step a tracker, after catching the tracker
 * up with the commits before.  Each step is handed to the caller and
 * freed right after, so memory stays bounded by the tracker's state, not
 * by the length of the history.
 */
#include <stdio.h>
#include <stdlib.h>

#include "commitmsg.h"
#include "util/errors.h"
#include "history_internal.h"
#include "posdiff/history.h"
#include "steplog.h"

static int step_one(const posdiff_history *h, posdiff_tracker *t, size_t i,
                    posdiff_changelog_cb cb, void *payload)
{
    const posdiff_history_entry *e = posdiff_history_entry_at(h, i);
    posdiff_sentence *sents = NULL;
    posdiff_step *step = NULL;
    char path[POSDIFF_STATEMENT_PATH_MAX], *md = NULL;
    size_t len = 0, n = 0;
    int error;

    if ((error = posdiff_history_statement_path(path, sizeof(path), e->id, e->date)) < 0 ||
        (error = posdiff_history_read(&md, &len, h, i, path)) < 0 ||
        (error = posdiff_doc_sentences(&sents, &n, md, len)) < 0 ||
        (error = posdiff_tracker_step(&step, t, e->id, sents, n)) < 0)
        goto done;
    if (cb)
        error = cb(e, i, step, payload);
done:
    posdiff_step_free(step);
    free(sents);
    free(md);
    return error;
}

int posdiff_changelog_recorded(const posdiff_history *h, const posdiff_catalog *cat)
{
    char hex[COMMITMSG_HEX + 1];
    steplog *log = NULL;

    if (commitmsg_catalog_hash(hex, cat) == 0)
        log = steplog_open(git_repository_path(history_repository(h)), hex);
    posdiff_error_clear();
    steplog_close(log);
    return log != NULL;
}

int posdiff_changelog_walk(const posdiff_history *h, const posdiff_catalog *cat,
                           const posdiff_align_options *opts,
                           posdiff_changelog_cb cb, void *payload)
{
    return posdiff_changelog_walk_range(h, cat, opts, 0, posdiff_history_count(h), cb, payload);
}

int posdiff_changelog_walk_range(const posdiff_history *h, const posdiff_catalog *cat,
                                 const posdiff_align_options *opts, size_t from, size_t to,
                                 posdiff_changelog_cb cb, void *payload)
{
    posdiff_tracker *t = NULL;
    steplog *log = NULL;
    size_t stepped = 0, n = posdiff_history_count(h); /* commits the tracker has seen */
    char hex[COMMITMSG_HEX + 1];
    int error = 0;

    to = to < n ? to : n;
    if (from >= to)
        return 0;
    if (!opts && commitmsg_catalog_hash(hex, cat) == 0 &&
        (log = steplog_open(git_repository_path(history_repository(h)), hex)) && from > 0)
        steplog_seek_back(log, n - from); /* a failure: every step below is replayed */
    posdiff_error_clear(); /* no log: replay */
    for (size_t i = from; i < to && !error; i++) {
        posdiff_step *step = NULL;

        if (steplog_next(&step, log, posdiff_history_entry_at(h, i)->commit)) {
            error = cb(posdiff_history_entry_at(h, i), i, step, payload);
            posdiff_step_free(step);
            continue;
        }
        if (!t && (error = posdiff_tracker_new(&t, cat, opts)) < 0)
            break;
        while (stepped < i && !error)
            error = step_one(h, t, stepped++, NULL, NULL);
        if (!error)
            error = step_one(h, t, stepped++, cb, payload);
    }
    steplog_close(log);
    posdiff_tracker_free(t);
    return error;
}
