/*
 * cli.h - the posdiff program: shared context and helpers.
 *
 * The CLI only parses arguments, calls libposdiff's public API and
 * prints; it holds no normalization, diff or alignment logic.
 */
#ifndef POSDIFF_CLI_H
#define POSDIFF_CLI_H

#include <stdio.h>

#include <posdiff/posdiff.h>

#define CLI_OK 0
#define CLI_FLAG 1  /* check found something to flag; diff --no-index: they differ */
#define CLI_ERROR 2

typedef struct {
    const char *corpus_dir; /* --corpus or POSDIFF_CORPUS; NULL = discover */
    const char *repo_dir;   /* --repo */
    int no_pager;           /* --no-pager */
    const char *color;      /* --color=auto|always|never */
    int build;              /* --build or POSDIFF_AUTO_BUILD=1: build before reading */
} cli_ctx;

typedef struct {
    const char *name;
    int (*run)(cli_ctx *ctx, int argc, char **argv);
    const char *usage;   /* "posdiff add FILE --date D [...]" */
    const char *summary; /* one line */
} cli_command;

int cmd_init(cli_ctx *ctx, int argc, char **argv);
int cmd_add(cli_ctx *ctx, int argc, char **argv);
int cmd_normalize(cli_ctx *ctx, int argc, char **argv);
int cmd_build(cli_ctx *ctx, int argc, char **argv);
int cmd_log(cli_ctx *ctx, int argc, char **argv);
int cmd_check(cli_ctx *ctx, int argc, char **argv);
int cmd_review(cli_ctx *ctx, int argc, char **argv);
int cmd_why(cli_ctx *ctx, int argc, char **argv);
int cmd_diff(cli_ctx *ctx, int argc, char **argv);
int cmd_blame(cli_ctx *ctx, int argc, char **argv);
int cmd_positions(cli_ctx *ctx, int argc, char **argv);
int cmd_discover(cli_ctx *ctx, int argc, char **argv);
int cmd_report(cli_ctx *ctx, int argc, char **argv);
/* usages that also describe the output formats (cmd_diff.c, cmd_blame.c, cmd_positions.c) */
extern const char cli_diff_usage[], cli_blame_usage[], cli_positions_usage[];

/** Colour per --color, NO_COLOR and whether stdout is a terminal. */
int cli_color_enabled(const cli_ctx *ctx);
/** Check the output at exit (see pager.c); call first. */
void cli_output_init(void);
/** Send stdout through the pager when it is a terminal (see pager.c). */
void cli_pager_start(const cli_ctx *ctx);

/** Print "posdiff: error: <msg>" and return CLI_ERROR. */
int cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/** Report the library's last error; returns CLI_ERROR. */
int cli_fail(void);
/** Find (--corpus, POSDIFF_CORPUS, discovery) and open the corpus with
 *  posdiff_corpus_open_ext's @p flags; prints its warnings. */
int cli_open_corpus(posdiff_corpus **out, const cli_ctx *ctx, unsigned flags);
/** Open the history of @p c for a reading command, built first with
 *  ctx->build.  0 or CLI_ERROR (reported). */
int cli_open_history(posdiff_history **out, const posdiff_corpus *c, const cli_ctx *ctx);
/** Before a reading command shows the @p n statements @p ids (NULL: all):
 *  one warning line with the fix when the history is behind the corpus
 *  or diverged from it (nothing after --build).  A build's stamp answers
 *  with a stat call per statement shown (posdiff_history_status_of;
 *  @p at: their history indices, or NULL).
 *  0, or CLI_ERROR (reported) for a raw file that is not one (a symlink,
 *  a directory, missing) among those not built or compared. */
int cli_warn_stale(const cli_ctx *ctx, const posdiff_corpus *c, const char *const *ids,
                   const size_t *at, size_t n);
/** For a name the history cannot resolve: the error, saying "run
 *  'posdiff build'" when @p name is a statement of the corpus not built
 *  yet.  Returns CLI_ERROR. */
int cli_unresolved(const posdiff_corpus *c, const char *name);
/** The history's entries by statement id (log and report: dates of
 *  "was" lines, links).  cli_ids_index: 0 or CLI_ERROR (reported). */
typedef struct {
    const posdiff_history *h; /* found through the history's index */
} cli_ids;
int cli_ids_index(cli_ids *x, const posdiff_history *h);
const posdiff_history_entry *cli_ids_find(const cli_ids *x, const char *id);
/** render_dates' lookup over a cli_ids (payload): the date, or NULL. */
const char *cli_ids_date(void *payload, const char *id);
void cli_ids_free(cli_ids *x);
/** Whether @p date falls in --since @p since / --until @p until (either
 *  NULL): a date as coarse as --since (2021 for 2021-05) counts as in. */
int cli_date_in_range(const char *date, const char *since, const char *until);
/** Take --color=@p when (@p bare: "--color", always); CLI_ERROR after
 *  printing the error when @p when is not auto, always or never. */
int cli_color_option(cli_ctx *ctx, const char *when, int bare);
/** An option a command accepts: "--name" (or "-n"); value or flag.
 *  "-NUM" catches "-<digits>" (log -3), the digits as its value. */
typedef struct {
    const char *name;
    const char **value; /* receives the argument; NULL for flags */
    int *flag;          /* set to 1 when present (flags) */
} cli_opt;

/**
 * Parse argv[1..] against @p opts ("--name V", "--name=V", "-nV", "--",
 * "-"), then the global --no-pager, --color[=WHEN], --corpus DIR and
 * --repo DIR, which go to @p ctx (as git, its common options may follow
 * the command).  Non-option arguments go to @p pos (at most @p maxpos);
 * returns 0 or CLI_ERROR after printing the error.
 */
int cli_parse(cli_ctx *ctx, const char *cmd, int argc, char **argv, const cli_opt *opts,
              const char **pos, int *npos, int maxpos);

/** Edit distance of two names (under 64 bytes, else (size_t)-1):
 *  Levenshtein, and with @p swaps a transposition counts as one edit. */
size_t cli_edit_distance(const char *a, const char *b, int swaps);
/** Report an unknown option, with a suggestion when one of @p known is
 *  plausibly meant; returns CLI_ERROR. */
int cli_bad_option(const char *cmd, const char *arg, const char *const *known);

/* cmd_help.c */
/** The command table (commands.c), ended by an entry with a NULL name. */
extern const cli_command *const cli_command_table;
/** The command called @p name, or NULL. */
const cli_command *cli_find_command(const char *name);
/** Print a command's usage, summary and options; CLI_OK or CLI_ERROR. */
int cli_help(const char *name);
/** Whether "-h" or "--help" is among argv[1..] (before "--"). */
int cli_argv_wants_help(int argc, char **argv);
/** Report an unknown command with a suggestion; returns CLI_ERROR. */
int cli_unknown_command(const char *name);

#endif
