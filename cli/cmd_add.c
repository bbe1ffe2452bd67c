/*
 * cmd_add.c - posdiff add FILE --date D [--id --title --venue --speaker
 * --source] [--strip GLOB]...  --strip repeats (cli_parse takes each
 * option once), so its values are taken out of argv before parsing.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/*
 * Move every "--strip GLOB" and "--strip=GLOB" of argv into @p globs
 * (borrowed from argv; *n of them), the other arguments to @p rest
 * (*nrest, argv[0] first).  Arguments after "--" are left alone.
 * 0, or CLI_ERROR for a --strip without its glob.
 */
static int take_strip(int argc, char **argv, const char **globs, size_t *n, char **rest,
                      int *nrest)
{
    int only_pos = 0;

    *n = 0;
    *nrest = 0;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        only_pos |= i > 0 && !strcmp(a, "--");
        if (i == 0 || only_pos || strncmp(a, "--strip", 7) != 0 || (a[7] && a[7] != '=')) {
            rest[(*nrest)++] = argv[i];
        } else if (a[7] == '=') {
            globs[(*n)++] = a + 8;
        } else if (i + 1 < argc) {
            globs[(*n)++] = argv[++i];
        } else {
            return cli_error("option '--strip' needs a value (a line glob); see 'posdiff add --help'");
        }
    }
    return 0;
}

int cmd_add(cli_ctx *ctx, int argc, char **argv)
{
    static const char usage[] = "posdiff add FILE --date D [--id ID] [--title T] [--venue V] "
                                "[--speaker S] [--source URL] [--strip GLOB]...";
    posdiff_add_options o = POSDIFF_ADD_OPTIONS_INIT;
    const char *taken = NULL; /* --strip: taken out of argv before parsing */
    const cli_opt opts[] = {
        {"--date", &o.date, NULL},       {"--id", &o.id, NULL},
        {"--title", &o.title, NULL},     {"--venue", &o.venue, NULL},
        {"--speaker", &o.speaker, NULL}, {"--source", &o.source, NULL},
        {"--strip", &taken, NULL},       {NULL, NULL, NULL}};
    const char *pos[1], **globs = calloc((size_t)argc + 1, sizeof(*globs));
    char **rest = calloc((size_t)argc + 1, sizeof(*rest));
    posdiff_corpus *c = NULL;
    char *id = NULL;
    const char *dir;
    int npos = 0, nrest = 0, rc;

    if (!globs || !rest) {
        rc = cli_error("out of memory");
        goto done;
    }
    if ((rc = take_strip(argc, argv, globs, &o.strip_count, rest, &nrest)) != 0 ||
        (rc = cli_parse(ctx, "add", nrest, rest, opts, pos, &npos, 1)) != 0)
        goto done;
    o.strip = globs;
    if (npos != 1) {
        rc = cli_error("add needs the statement's FILE; usage: %s", usage);
        goto done;
    }
    if (!o.date) {
        rc = cli_error("%s: no --date; give the statement's date as YYYY, YYYY-MM or YYYY-MM-DD", pos[0]);
        goto done;
    }
    /* without checking the raw files: a broken entry is for build and
     * check to report, add only compares the new file with them */
    if ((rc = cli_open_corpus(&c, ctx, POSDIFF_CORPUS_OPEN_NO_STAT)) != 0)
        goto done;
    dir = posdiff_corpus_dir(c);
    o.corpus = c; /* checked again under the corpus lock, not reopened */
    if (posdiff_corpus_add(&id, dir, pos[0], &o) < 0)
        rc = cli_fail();
    else
        printf("Added statement %s (%s) from %s to %s\n", id, o.date, pos[0], dir);
done:
    free(id);
    posdiff_corpus_free(c);
    free(globs);
    free(rest);
    return rc;
}
