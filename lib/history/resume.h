/*
 * resume.h - internal: the position tracker's state at a history commit,
 * for builds that continue an existing history.
 */
#ifndef POSDIFF_RESUME_H
#define POSDIFF_RESUME_H

#include <git2.h>

#include "posdiff/align.h"
#include "steplog.h"

/**
 * Bring the fresh tracker @p t to its state after commit @p tip: from
 * the cache file <repo>/posdiff-tracker when it was saved at @p tip,
 * else by replaying the first-parent chain ending at @p tip.  With
 * @p steps, always replay and record in it the steps of the commits from
 * index @p record_from on (the step log lacks them).
 */
int resume_tracker(posdiff_tracker *t, git_repository *repo,
                   const char *repo_path, const git_oid *tip,
                   steplog *steps, size_t record_from);

/** Save @p t's state as the cache for commit @p tip (best effort). */
void resume_save(const posdiff_tracker *t, const char *repo_path,
                 const git_oid *tip);

#endif
