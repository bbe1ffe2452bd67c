/*
 * main.c - posdiff: parse global options, dispatch to a command, map
 * the result to an exit code (0 ok, 1 flagged by check or files that
 * differ for diff --no-index, 2 error).
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static void usage(FILE *f)
{
    fprintf(f, "usage: posdiff [-C DIR] [--corpus DIR] [--repo DIR] [--no-pager] [--build] [--color[=WHEN]]\n"
               "               COMMAND [ARGS]\n\n");
    for (const cli_command *c = cli_command_table; c->name; c++)
        fprintf(f, "   %-10s %s\n", c->name, c->summary);
    fprintf(f, "\nSee 'posdiff help COMMAND' for a command's options, 'posdiff help --all' for\n"
               "every command's, 'man posdiff' for more.\n");
}

static int global_value(int argc, char **argv, int *i, const char *name, const char **out)
{
    size_t n = strlen(name);

    if (!strncmp(argv[*i], name, n) && argv[*i][n] == '=') {
        *out = argv[*i] + n + 1;
        return 1;
    }
    if (strcmp(argv[*i], name))
        return 0;
    if (*i + 1 >= argc) {
        cli_error("option '%s' needs a value", name);
        exit(CLI_ERROR);
    }
    *out = argv[++*i];
    return 1;
}

static int parse_globals(cli_ctx *ctx, int argc, char **argv)
{
    int i;
    const char *dir = NULL;

    for (i = 1; i < argc && argv[i][0] == '-'; i++) {
        if (!strcmp(argv[i], "--color")) {
            ctx->color = "always";
        } else if (global_value(argc, argv, &i, "-C", &dir)) {
            if (chdir(dir) < 0)
                exit(cli_error("-C %s: cannot change to that directory", dir));
        } else if (global_value(argc, argv, &i, "--corpus", &ctx->corpus_dir) ||
                   global_value(argc, argv, &i, "--repo", &ctx->repo_dir) ||
                   global_value(argc, argv, &i, "--color", &ctx->color)) {
        } else if (!strcmp(argv[i], "--no-pager")) {
            ctx->no_pager = 1;
        } else if (!strcmp(argv[i], "--build")) {
            ctx->build = 1;
        } else if (!strcmp(argv[i], "--version")) {
            printf("posdiff version %s\n", posdiff_version());
            exit(CLI_OK);
        } else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            usage(stdout);
            exit(CLI_OK);
        } else {
            static const char *const known[] = {"-C", "--corpus", "--repo", "--no-pager",
                                                "--build", "--color", "--version", "--help", NULL};
            exit(cli_bad_option("posdiff", argv[i], known));
        }
    }
    if (cli_color_option(ctx, ctx->color, 0))
        exit(CLI_ERROR);
    if (getenv("POSDIFF_AUTO_BUILD") && !strcmp(getenv("POSDIFF_AUTO_BUILD"), "1"))
        ctx->build = 1;
    return i;
}

int main(int argc, char **argv)
{
    cli_ctx ctx = {0};
    const cli_command *c;
    int first, rc;

    cli_output_init();
    first = parse_globals(&ctx, argc, argv);
    if (first >= argc) {
        usage(stderr);
        return CLI_ERROR;
    }
    if (!strcmp(argv[first], "help") && first + 1 < argc)
        return cli_help(argv[first + 1]);
    if (!strcmp(argv[first], "help")) {
        usage(stdout);
        return CLI_OK;
    }
    if (!(c = cli_find_command(argv[first])))
        return cli_unknown_command(argv[first]);
    if (cli_argv_wants_help(argc - first, argv + first))
        return cli_help(c->name);
    /* diff starts libgit2 itself, when it needs it (two files: never) */
    if (c->run != cmd_diff && posdiff_init() < 0)
        return cli_fail();
    rc = c->run(&ctx, argc - first, argv + first);
    posdiff_shutdown(); /* a no-op when nothing was initialised */
    return rc;
}
