/*
 * cmd_build.c - posdiff build: bring the history repository up to date.
 */
#include <stdlib.h>
#include <unistd.h>

#include "cli.h"

static void progress(size_t done, size_t total, void *payload)
{
    (void)payload;
    fprintf(stderr, "\rBuilding history: %zu/%zu statements%s", done, total,
            done == total ? ", done.\n" : "");
}

/* What the build did, on stderr (as git's fetch and push report): stdout
 * stays for what a reading command chained after it prints. */
static void report(const posdiff_corpus *c, const posdiff_build_result *r,
                   const char *repo)
{
    size_t fresh = r->total - r->kept;
    size_t appended = fresh - (r->rewritten < fresh ? r->rewritten : fresh);

    if (fresh == 0) {
        if (r->total == 0)
            fprintf(stderr, "History is up to date (no statements, no commits) in %s\n", repo);
        else
            fprintf(stderr, "History is up to date (%zu statement%s, HEAD %.12s) in %s\n", r->total,
                    r->total == 1 ? "" : "s", r->head, repo);
        return;
    }
    for (size_t i = r->kept; i < r->total; i++) {
        const posdiff_statement *st = posdiff_corpus_statement(c, i);
        fprintf(stderr, "  %s %s %s\n", i - r->kept < r->rewritten ? "rewrote " : "appended",
                st->date, st->id);
    }
    fprintf(stderr, "Built %s: kept %zu, rewrote %zu, appended %zu; %zu commit%s; HEAD is now %.12s\n",
            repo, r->kept, r->rewritten, appended, r->total, r->total == 1 ? "" : "s", r->head);
}

int cmd_build(cli_ctx *ctx, int argc, char **argv)
{
    posdiff_build_options o = POSDIFF_BUILD_OPTIONS_INIT;
    posdiff_build_result r;
    posdiff_corpus *c = NULL;
    const char *pos[1];
    char *repo;
    int npos, rc;

    if (cli_parse(ctx, "build", argc, argv, NULL, pos, &npos, 0))
        return CLI_ERROR;
    if ((rc = cli_open_corpus(&c, ctx, 0)) != 0)
        return rc;
    o.repo_path = ctx->repo_dir;
    if (isatty(STDERR_FILENO))
        o.progress = progress;
    repo = ctx->repo_dir ? NULL : posdiff_history_default_path(c);
    if (posdiff_history_build(&r, c, &o) < 0) {
        rc = cli_fail();
    } else {
        report(c, &r, ctx->repo_dir ? ctx->repo_dir : repo);
        posdiff_corpus_keep(c); /* the next open need not parse the manifest */
    }
    free(repo);
    posdiff_corpus_free(c);
    return rc;
}
