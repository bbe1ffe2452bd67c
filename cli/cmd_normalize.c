/*
 * cmd_normalize.c - posdiff normalize FILE|ID [--explain] [--textconv].
 * A statement id of the corpus is normalized with its manifest rules and
 * front matter; a FILE always on its own (no rules, no front matter),
 * even when it is a corpus file, so its output depends neither on the
 * working directory nor on a corpus: git's textconv gets the same text
 * for the work-tree file and for its temporary copy of an old blob.
 * --textconv takes the argument as a FILE and opens no corpus at all.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"

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

/* "LABEL:LINE:COL: WHAT: TEXT\t(RULE)"; no column when it is 0. */
static void explain_one(const char *label, const posdiff_removal *r, const char *what)
{
    if (r->column)
        printf("%s:%zu:%zu: %s: %s\t(%s)\n", label, r->line, r->column, what, r->text, r->rule);
    else
        printf("%s:%zu: %s: %s\t(%s)\n", label, r->line, what, r->text, r->rule);
}

/* Removals and changes merged in raw line order, then the counts. */
static void explain(const posdiff_normalized *n, const char *label)
{
    size_t nr = posdiff_normalized_removal_count(n), nc = posdiff_normalized_change_count(n);
    size_t i = 0, k = 0;

    while (i < nr || k < nc) {
        const posdiff_removal *r = posdiff_normalized_removal(n, i);
        const posdiff_change *c = posdiff_normalized_change(n, k);
        if (r && (!c || r->line < c->line || (r->line == c->line && r->column <= c->column)))
            explain_one(label, r, "removed"), i++;
        else
            explain_one(label, c, "changed"), k++;
    }
    printf("%zu removal%s, %zu change%s\n", nr, nr == 1 ? "" : "s", nc, nc == 1 ? "" : "s");
}

/* The corpus of --corpus, $POSDIFF_CORPUS or the working directory, if
 * any (*out NULL when none is found); 0 or CLI_ERROR. */
static int open_corpus(posdiff_corpus **out, const cli_ctx *ctx)
{
    const char *cdir = ctx->corpus_dir ? ctx->corpus_dir : getenv("POSDIFF_CORPUS");
    char *dir = NULL;
    int rc = 0;

    *out = NULL;
    if (cdir && *cdir)
        return posdiff_corpus_open(out, cdir) < 0 ? cli_fail() : 0;
    if (posdiff_corpus_discover(&dir, ".") == 0 && posdiff_corpus_open(out, dir) < 0)
        rc = cli_fail();
    else
        posdiff_error_clear();
    free(dir);
    return rc;
}

int cmd_normalize(cli_ctx *ctx, int argc, char **argv)
{
    static const char usage[] = "posdiff normalize FILE|ID [--explain] [--textconv]";
    int want_explain = 0, textconv = 0, npos = 0, rc = 0;
    const cli_opt opts[] = {{"--explain", NULL, &want_explain},
                            {"--textconv", NULL, &textconv},
                            {NULL, NULL, NULL}};
    const char *pos[1], *label = NULL;
    const posdiff_statement *st = NULL;
    posdiff_corpus *c = NULL;
    posdiff_normalized *n = NULL;
    struct stat sb;
    char path[PATH_MAX * 2];

    if (cli_parse(ctx, "normalize", argc, argv, opts, pos, &npos, 1))
        return CLI_ERROR;
    if (npos != 1)
        return cli_error("normalize needs a FILE or a statement ID; usage: %s", usage);
    if (!textconv && !strchr(pos[0], '/') && open_corpus(&c, ctx) != 0) /* ids have no '/' */
        return CLI_ERROR;
    if (c && (st = posdiff_corpus_find(c, pos[0]))) {
        snprintf(path, sizeof(path), "%s/%s", posdiff_corpus_dir(c), st->file);
        label = path;
        rc = posdiff_corpus_normalize(&n, c, st) < 0 ? cli_fail() : 0;
    } else if (textconv || stat(pos[0], &sb) == 0) {
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
