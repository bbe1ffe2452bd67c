/*
 * cmd_build.c - posdiff build: bring the history repository up to date.
 */
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

#include "cli.h"

static void progress(size_t done, size_t total, void *payload)
{
    (void)payload;
    fprintf(stderr, "\rBuilding history: %zu/%zu statements%s", done, total,
            done == total ? ", done.\n" : "");
}

static void report(const posdiff_corpus *c, const posdiff_build_result *r,
                   const char *repo)
{
    size_t fresh = r->total - r->kept;

    if (fresh == 0) {
        printf("History is up to date (%zu statement%s, HEAD %.12s) in %s\n", r->total,
               r->total == 1 ? "" : "s", r->head, repo);
        return;
    }
    for (size_t i = r->kept; i < r->total; i++) {
        const posdiff_statement *st = posdiff_corpus_statement(c, i);
        printf("  %s %s %s\n", i - r->kept < r->rewritten ? "rewrote " : "appended", st->date, st->id);
    }
    printf("Built %s: kept %zu, rewrote %zu, appended %zu commit%s; HEAD is now %.12s\n",
           repo, r->kept, r->rewritten, fresh - (r->rewritten < fresh ? r->rewritten : fresh),
           fresh == 1 ? "" : "s", r->head);
}

/*
 * libgit2 starts (2-4 ms: its TLS backend parses the CA bundle) on a
 * thread of its own while this one opens the corpus, which does not
 * need it; it is joined before the build.  (A no-op but for a count
 * when the program started libgit2 already.)
 */
typedef struct {
    pthread_t thread;
    int started; /* the thread runs posdiff_init */
    int rc;      /* what posdiff_init returned */
    char msg[512];
} git_start;

static void *start_git(void *arg)
{
    git_start *g = arg;

    if ((g->rc = posdiff_init()) < 0) /* the error is the thread's own: copied */
        snprintf(g->msg, sizeof(g->msg), "%s", posdiff_error_last());
    return NULL;
}

static void git_start_begin(git_start *g)
{
    g->rc = 0;
    g->msg[0] = '\0';
    g->started = pthread_create(&g->thread, NULL, start_git, g) == 0;
    if (!g->started)
        start_git(g);
}

/* Wait for it: 0 once libgit2 is started, else -1. */
static int git_start_end(git_start *g)
{
    if (g->started)
        pthread_join(g->thread, NULL);
    g->started = 0;
    return g->rc < 0 ? -1 : 0;
}

int cmd_build(cli_ctx *ctx, int argc, char **argv)
{
    static const char usage[] = "posdiff build";
    posdiff_build_options o = POSDIFF_BUILD_OPTIONS_INIT;
    posdiff_build_result r;
    posdiff_corpus *c = NULL;
    const char *pos[1];
    git_start git;
    char *repo;
    int npos, rc;

    if (cli_wants_help(argc, argv, usage))
        return CLI_OK;
    if (cli_parse("build", argc, argv, NULL, pos, &npos, 0))
        return CLI_ERROR;
    git_start_begin(&git);
    rc = cli_open_corpus(&c, ctx);
    if (git_start_end(&git) < 0) {
        posdiff_corpus_free(c);
        return rc != 0 ? rc : cli_error("%s", git.msg);
    }
    if (rc != 0) {
        posdiff_shutdown(); /* balances git_start_begin */
        return rc;
    }
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
    posdiff_shutdown(); /* balances git_start_begin */
    return rc;
}
