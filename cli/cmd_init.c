/*
 * cmd_init.c - posdiff init [DIR]: create an empty corpus.
 */
#include "cli.h"

int cmd_init(cli_ctx *ctx, int argc, char **argv)
{
    const char *pos[1];
    int npos = 0;
    const char *dir;

    if (cli_parse(ctx, "init", argc, argv, NULL, pos, &npos, 1))
        return CLI_ERROR;
    dir = npos ? pos[0] : ctx->corpus_dir ? ctx->corpus_dir : ".";
    if (posdiff_corpus_init(dir) < 0)
        return cli_fail();
    printf("Initialized empty posdiff corpus in %s (statements.conf, positions.conf, statements/)\n", dir);
    return CLI_OK;
}
