/*
 * cmd_positions.c - posdiff positions [--matrix]: the catalog, or with
 * --matrix a statements x positions table of entry statuses replayed from
 * the history (posdiff_changelog_walk).  Formats: cli/COMMANDS.md.
 */
#include <string.h>

#include "cli.h"

const char cli_positions_usage[] =
    "posdiff positions [--matrix]\n"
    "\n"
    "The catalog: 'ID  TITLE', then '    match: PHRASE | PHRASE ...'.\n"
    "--matrix: a key 'N  ID  TITLE' per position, then a statements x positions\n"
    "table, one row 'DATE  STATEMENT  CELL...' per statement, one cell per\n"
    "position: '+' first stated, '~' changed, '=' unchanged, '.' not stated\n"
    "(see cli/COMMANDS.md).";

typedef struct {
    const posdiff_catalog *cat;
    int id_width; /* widest statement id */
} matrix_state;

static int id_width(const posdiff_catalog *cat)
{
    int w = 2;

    for (size_t i = 0; i < posdiff_catalog_count(cat); i++) {
        int l = (int)strlen(posdiff_catalog_position(cat, i)->id);
        w = l > w ? l : w;
    }
    return w;
}

static void print_catalog(const posdiff_catalog *cat)
{
    int w = id_width(cat);

    for (size_t i = 0; i < posdiff_catalog_count(cat); i++) {
        const posdiff_position *p = posdiff_catalog_position(cat, i);
        printf("%-*s  %s\n    match:", w, p->id, p->title ? p->title : p->id);
        for (size_t k = 0; k < p->match_count; k++)
            printf("%s %s", k ? " |" : "", p->match[k]);
        putchar('\n');
    }
}

/* '.' not restated, '+' added, '~' changed, '=' unchanged. */
static char cell(posdiff_entry_status st)
{
    return st <= POSDIFF_ENTRY_UNCHANGED ? ".+~="[st] : '.';
}

static int on_step(const posdiff_history_entry *e, size_t index,
                   const posdiff_step *step, void *payload)
{
    const matrix_state *m = payload;
    (void)index;

    printf("%-10s  %-*s ", e->date, m->id_width, e->id);
    for (size_t i = 0; i < posdiff_catalog_count(m->cat); i++)
        printf(" %3c", cell(posdiff_step_status(step, i)));
    putchar('\n');
    return 0;
}

static void matrix_head(const posdiff_catalog *cat, int w)
{
    size_t n = posdiff_catalog_count(cat);
    int pw = id_width(cat);

    for (size_t i = 0; i < n; i++) {
        const posdiff_position *p = posdiff_catalog_position(cat, i);
        printf("%3zu  %-*s  %s\n", i + 1, pw, p->id, p->title ? p->title : p->id);
    }
    printf("\n%-10s  %-*s ", "date", w, "statement");
    for (size_t i = 0; i < n; i++)
        printf(" %3zu", i + 1);
    putchar('\n');
}

static int print_matrix(cli_ctx *ctx, const posdiff_corpus *c)
{
    matrix_state m = {posdiff_corpus_catalog(c), 9};
    posdiff_history *h = NULL;
    int rc = 0;

    if (cli_open_history(&h, c, ctx) != 0)
        return CLI_ERROR;
    for (size_t i = 0; i < posdiff_history_count(h); i++) {
        int l = (int)strlen(posdiff_history_entry_at(h, i)->id);
        m.id_width = l > m.id_width ? l : m.id_width;
    }
    if (cli_warn_stale(ctx, c, NULL, NULL, 0) != 0) {
        posdiff_history_free(h);
        return CLI_ERROR;
    }
    cli_pager_start(ctx);
    matrix_head(m.cat, m.id_width);
    if (posdiff_changelog_walk(h, m.cat, NULL, on_step, &m) < 0)
        rc = cli_fail();
    else
        printf("\n+ first stated   ~ changed   = unchanged   . not stated\n");
    posdiff_history_free(h);
    return rc;
}

int cmd_positions(cli_ctx *ctx, int argc, char **argv)
{
    const char *pos[1];
    int matrix = 0, npos = 0, rc;
    const cli_opt opts[] = {{"--matrix", NULL, &matrix}, {NULL, NULL, NULL}};
    posdiff_corpus *c = NULL;

    if (cli_parse(ctx, "positions", argc, argv, opts, pos, &npos, 0))
        return CLI_ERROR;
    if ((rc = cli_open_corpus(&c, ctx, POSDIFF_CORPUS_OPEN_NO_STAT)) != 0)
        return rc;
    if (matrix) {
        rc = print_matrix(ctx, c);
    } else {
        cli_pager_start(ctx);
        print_catalog(posdiff_corpus_catalog(c));
    }
    posdiff_corpus_free(c);
    return rc;
}
