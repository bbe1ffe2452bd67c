/*
 * cmd_blame.c - posdiff blame POSITION [--porcelain]: the position's
 * current wording, each passage cut into runs of words with the statement
 * that introduced them (posdiff_blame_position).  Formats: cli/COMMANDS.md.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "render.h"

const char cli_blame_usage[] =
    "posdiff blame POSITION [--porcelain]\n"
    "\n"
    "The position's current wording, each passage followed by its runs of words\n"
    "and the statement that introduced them (see cli/COMMANDS.md):\n"
    "  text:        'TITLE (ID), as stated by STATEMENT (DATE)', then per passage\n"
    "               'line N:' and rows 'DATE  STATEMENT  WORDS'\n"
    "  --porcelain  one line per run, TAB-separated:\n"
    "               PASSAGE LINE START LENGTH COMMIT DATE STATEMENT TEXT\n"
    "               (PASSAGE from 1; START/LENGTH in bytes of the passage;\n"
    "               TEXT with \\\\, \\t, \\n escaped)";

/* TEXT of a porcelain line: backslash, tab and newline escaped. */
static void escaped(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\\')
            fputs("\\\\", stdout);
        else if (s[i] == '\t')
            fputs("\\t", stdout);
        else if (s[i] == '\n')
            fputs("\\n", stdout);
        else
            putchar(s[i]);
    }
}

static void print_porcelain(const posdiff_blame *b, const posdiff_history *h)
{
    for (size_t k = 0; k < posdiff_blame_count(b); k++) {
        const posdiff_blame_passage *p = posdiff_blame_passage_at(b, k);
        for (size_t r = 0; r < p->run_count; r++) {
            const posdiff_blame_run *run = &p->runs[r];
            const posdiff_history_entry *e = posdiff_history_entry_at(h, run->origin);
            printf("%zu\t%zu\t%zu\t%zu\t%s\t%s\t%s\t", k + 1, p->line, run->start,
                   run->len, e->commit, e->date, e->id);
            escaped(p->text + run->start, run->len);
            putchar('\n');
        }
    }
}

/* Widest statement id among the runs, for aligned columns. */
static int id_width(const posdiff_blame *b, const posdiff_history *h)
{
    int w = 1;

    for (size_t k = 0; k < posdiff_blame_count(b); k++) {
        const posdiff_blame_passage *p = posdiff_blame_passage_at(b, k);
        for (size_t r = 0; r < p->run_count; r++) {
            int l = (int)strlen(posdiff_history_entry_at(h, p->runs[r].origin)->id);
            w = l > w ? l : w;
        }
    }
    return w;
}

static void print_text(const posdiff_blame *b, const posdiff_history *h,
                       const posdiff_position *pos, int color)
{
    const posdiff_history_entry *cur = posdiff_history_entry_at(h, posdiff_blame_statement(b));
    int w = id_width(b, h);

    printf(color ? BOLD "%s (%s)" RESET ", as stated by %s (%s)\n"
                 : "%s (%s), as stated by %s (%s)\n",
           pos->title ? pos->title : pos->id, pos->id, cur->id, cur->date);
    for (size_t k = 0; k < posdiff_blame_count(b); k++) {
        const posdiff_blame_passage *p = posdiff_blame_passage_at(b, k);
        printf("\nline %zu:\n", p->line);
        for (size_t r = 0; r < p->run_count; r++) {
            const posdiff_blame_run *run = &p->runs[r];
            const posdiff_history_entry *e = posdiff_history_entry_at(h, run->origin);
            size_t n = run->len;
            while (n && p->text[run->start + n - 1] == ' ')
                n--;
            printf(color ? "  " YELLOW "%-10s  %-*s" RESET "  %.*s\n" : "  %-10s  %-*s  %.*s\n",
                   e->date, w, e->id, (int)n, p->text + run->start);
        }
    }
}

/* The stale warning, for the statements the blame shows (the latest
 * stating the position and every origin). */
static int warn_stale(const cli_ctx *ctx, const posdiff_corpus *c, const posdiff_blame *b,
                       const posdiff_history *h)
{
    size_t latest = posdiff_blame_statement(b), n = 0, cap = 1;
    const char **ids;
    size_t *at;
    int rc;

    for (size_t k = 0; latest != (size_t)-1 && k < posdiff_blame_count(b); k++)
        cap += posdiff_blame_passage_at(b, k)->run_count;
    ids = malloc(cap * sizeof(*ids));
    at = malloc(cap * sizeof(*at));
    if (!ids || !at) {
        free(ids);
        free(at);
        return cli_error("out of memory");
    }
    if (latest != (size_t)-1) {
        at[n] = latest;
        ids[n++] = posdiff_history_entry_at(h, latest)->id;
        for (size_t k = 0; k < posdiff_blame_count(b); k++) {
            const posdiff_blame_passage *p = posdiff_blame_passage_at(b, k);
            for (size_t r = 0; r < p->run_count; r++) {
                at[n] = p->runs[r].origin;
                ids[n++] = posdiff_history_entry_at(h, p->runs[r].origin)->id;
            }
        }
    }
    rc = cli_warn_stale(ctx, c, ids, at, n);
    free(ids);
    free(at);
    return rc;
}

static int run_blame(cli_ctx *ctx, const posdiff_corpus *c, const char *name,
                     int porcelain)
{
    const posdiff_catalog *cat = posdiff_corpus_catalog(c);
    long i = posdiff_catalog_find(cat, name);
    posdiff_history *h = NULL;
    posdiff_blame *b = NULL;
    int color;

    if (i < 0)
        return cli_error("'%s' is not a position of the catalog (positions.conf); "
                         "see 'posdiff positions'", name);
    if (cli_open_history(&h, c, ctx) != 0)
        return CLI_ERROR;
    if (posdiff_blame_position(&b, h, cat, (size_t)i, NULL) < 0) {
        posdiff_history_free(h);
        return cli_fail();
    }
    if (warn_stale(ctx, c, b, h) != 0) {
        posdiff_blame_free(b);
        posdiff_history_free(h);
        return CLI_ERROR;
    }
    color = !porcelain && cli_color_enabled(ctx);
    cli_pager_start(ctx);
    if (porcelain)
        print_porcelain(b, h);
    else if (posdiff_blame_statement(b) == (size_t)-1)
        printf("%s: no statement of the history states this position\n", name);
    else
        print_text(b, h, posdiff_catalog_position(cat, (size_t)i), color);
    posdiff_blame_free(b);
    posdiff_history_free(h);
    return CLI_OK;
}

int cmd_blame(cli_ctx *ctx, int argc, char **argv)
{
    const char *pos[1];
    int porcelain = 0, npos = 0, rc;
    const cli_opt opts[] = {{"--porcelain", NULL, &porcelain}, {NULL, NULL, NULL}};
    posdiff_corpus *c = NULL;

    if (cli_parse(ctx, "blame", argc, argv, opts, pos, &npos, 1))
        return CLI_ERROR;
    if (npos != 1)
        return cli_error("blame needs one position: posdiff blame POSITION; "
                         "see 'posdiff positions'");
    if ((rc = cli_open_corpus(&c, ctx, POSDIFF_CORPUS_OPEN_NO_STAT)) != 0)
        return rc;
    rc = run_blame(ctx, c, pos[0], porcelain);
    posdiff_corpus_free(c);
    return rc;
}
