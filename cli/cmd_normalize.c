/*
 * cmd_normalize.c - posdiff normalize FILE|ID [--explain].  A statement of
 * the corpus is normalized with its manifest rules and front matter, any
 * other file on its own, so the command also serves as a git textconv
 * driver outside any corpus.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"

static const posdiff_statement *statement_for_file(const posdiff_corpus *c,
                                                   const char *file)
{
    char want[PATH_MAX], have[PATH_MAX * 2];

    if (!c || !realpath(file, want))
        return NULL;
    for (size_t i = 0; i < posdiff_corpus_count(c); i++) {
        const posdiff_statement *st = posdiff_corpus_statement(c, i);
        char real[PATH_MAX];
        snprintf(have, sizeof(have), "%s/%s", posdiff_corpus_dir(c), st->file);
        if (realpath(have, real) && !strcmp(real, want))
            return st;
    }
    return NULL;
}

static int normalize_file(posdiff_normalized **out, const char *path)
{
    posdiff_normalize_options o = POSDIFF_NORMALIZE_OPTIONS_INIT;
    char *raw = NULL;
    size_t len = 0;
    int rc;

    if (posdiff_read_statement(&raw, &len, path) < 0)
        return cli_fail();
    o.path = path;
    o.max_bytes = len + 1; /* read within the limit already */
    rc = posdiff_normalize(out, raw, len, &o) < 0 ? cli_fail() : 0;
    free(raw);
    return rc;
}

static void explain(const posdiff_normalized *n, const char *label)
{
    size_t count = posdiff_normalized_removal_count(n);

    for (size_t i = 0; i < count; i++) {
        const posdiff_removal *r = posdiff_normalized_removal(n, i);
        printf("%s:%zu:%zu: removed: %s\t(%s)\n", label, r->line, r->column, r->text, r->rule);
    }
    printf("%zu removal%s\n", count, count == 1 ? "" : "s");
}

int cmd_normalize(cli_ctx *ctx, int argc, char **argv)
{
    static const char usage[] = "posdiff normalize FILE|ID [--explain]";
    int want_explain = 0, npos = 0, rc = 0;
    const cli_opt opts[] = {{"--explain", NULL, &want_explain}, {NULL, NULL, NULL}};
    const char *pos[1], *label = NULL;
    const posdiff_statement *st = NULL;
    posdiff_corpus *c = NULL;
    posdiff_normalized *n = NULL;
    struct stat sb;
    char *dir = NULL, path[PATH_MAX * 2];
    const char *cdir = ctx->corpus_dir ? ctx->corpus_dir : getenv("POSDIFF_CORPUS");

    if (cli_parse(ctx, "normalize", argc, argv, opts, pos, &npos, 1))
        return CLI_ERROR;
    if (npos != 1)
        return cli_error("normalize needs a FILE or a statement ID; usage: %s", usage);
    if (cdir && *cdir) {
        if (posdiff_corpus_open(&c, cdir) < 0)
            return cli_fail();
    } else if (posdiff_corpus_discover(&dir, ".") == 0 && posdiff_corpus_open(&c, dir) < 0) {
        free(dir);
        return cli_fail();
    }
    free(dir);
    if (c && !(st = posdiff_corpus_find(c, pos[0])) && stat(pos[0], &sb) == 0)
        st = statement_for_file(c, pos[0]);
    if (st) {
        snprintf(path, sizeof(path), "%s/%s", posdiff_corpus_dir(c), st->file);
        label = path;
        rc = posdiff_corpus_normalize(&n, c, st) < 0 ? cli_fail() : 0;
    } else if (stat(pos[0], &sb) == 0) {
        label = pos[0];
        rc = normalize_file(&n, pos[0]);
    } else {
        rc = cli_error("'%s' is neither a statement id%s nor a file; use an id from statements.conf or a file path",
                       pos[0], c ? " of the corpus" : "");
    }
    if (rc == 0 && want_explain)
        explain(n, label);
    else if (rc == 0)
        fputs(posdiff_normalized_text(n, NULL), stdout);
    posdiff_normalized_free(n);
    posdiff_corpus_free(c);
    return rc;
}
