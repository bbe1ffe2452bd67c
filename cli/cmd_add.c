/*
 * cmd_add.c - posdiff add FILE --date D [--id --title --venue --speaker --source]
 */
#include <stdlib.h>

#include "cli.h"

int cmd_add(cli_ctx *ctx, int argc, char **argv)
{
    static const char usage[] =
        "posdiff add FILE --date D [--id ID] [--title T] [--venue V] [--speaker S] [--source URL]";
    posdiff_add_options o = POSDIFF_ADD_OPTIONS_INIT;
    const cli_opt opts[] = {
        {"--date", &o.date, NULL},       {"--id", &o.id, NULL},
        {"--title", &o.title, NULL},     {"--venue", &o.venue, NULL},
        {"--speaker", &o.speaker, NULL}, {"--source", &o.source, NULL},
        {NULL, NULL, NULL}};
    const char *pos[1];
    posdiff_corpus *c = NULL;
    char *id = NULL;
    const char *dir;
    int npos = 0, rc;

    if (cli_parse(ctx, "add", argc, argv, opts, pos, &npos, 1))
        return CLI_ERROR;
    if (npos != 1)
        return cli_error("add needs the statement's FILE; usage: %s", usage);
    if (!o.date)
        return cli_error("%s: no --date; give the statement's date as YYYY, YYYY-MM or YYYY-MM-DD", pos[0]);
    /* without checking the raw files: a broken entry is for build and
     * check to report, add only compares the new file with them */
    if ((rc = cli_open_corpus(&c, ctx, POSDIFF_CORPUS_OPEN_NO_STAT)) != 0)
        return rc;
    dir = posdiff_corpus_dir(c);
    o.corpus = c; /* checked again under the corpus lock, not reopened */
    if (posdiff_corpus_add(&id, dir, pos[0], &o) < 0)
        rc = cli_fail();
    else
        printf("Added statement %s (%s) from %s to %s\n", id, o.date, pos[0], dir);
    free(id);
    posdiff_corpus_free(c);
    return rc;
}
