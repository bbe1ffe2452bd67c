/*
 * changelog.c - replay the history through the aligner.
 *
 * For each commit, oldest first: read statements/<id>.md from its tree,
 * take its sentences (posdiff_doc_sentences) and step the tracker.  The
 * step is handed to the caller and freed right after, so memory stays
 * bounded by the tracker's state, not by the length of the history.
 */
#include <stdio.h>
#include <stdlib.h>

#include "errors.h"
#include "posdiff/history.h"

static int step_one(const posdiff_history *h, posdiff_tracker *t, size_t i,
                    posdiff_changelog_cb cb, void *payload)
{
    const posdiff_history_entry *e = posdiff_history_entry_at(h, i);
    posdiff_sentence *sents = NULL;
    posdiff_step *step = NULL;
    char path[300], *md = NULL;
    size_t len = 0, n = 0;
    int error;

    snprintf(path, sizeof(path), "statements/%s.md", e->id);
    if ((error = posdiff_history_read(&md, &len, h, i, path)) < 0 ||
        (error = posdiff_doc_sentences(&sents, &n, md, len)) < 0 ||
        (error = posdiff_tracker_step(&step, t, e->id, sents, n)) < 0)
        goto done;
    error = cb(e, i, step, payload);
done:
    posdiff_step_free(step);
    free(sents);
    free(md);
    return error;
}

int posdiff_changelog_walk(const posdiff_history *h, const posdiff_catalog *cat,
                           const posdiff_align_options *opts,
                           posdiff_changelog_cb cb, void *payload)
{
    posdiff_tracker *t = NULL;
    int error;

    if ((error = posdiff_tracker_new(&t, cat, opts)) < 0)
        return error;
    for (size_t i = 0; i < posdiff_history_count(h) && !error; i++)
        error = step_one(h, t, i, cb, payload);
    posdiff_tracker_free(t);
    return error;
}
