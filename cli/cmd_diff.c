/*
 * cmd_diff.c - posdiff diff [A [B]] [--position P] [--words|--lines|--side-by-side]
 *              [--stat]; posdiff diff --no-index FILE FILE [...]
 *
 * A and B are statements of the history (id, date or revision; default:
 * the two newest, A alone: A against the newest), compared per position
 * (posdiff_compare), or as a unified diff of the normalized Markdown
 * (--lines).  --no-index, implied as in git by two files outside a
 * corpus, compares two files as one document.  libgit2 is started only
 * for a corpus and for --lines.  Formats: cli/COMMANDS.md.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "render_diff.h"

const char cli_diff_usage[] =
    "posdiff diff [A [B]] [--position P] [--words|--lines|--side-by-side] [--stat]\n"
    "   or: posdiff diff [--no-index] FILE FILE [--words|--lines|--side-by-side] [--stat]\n"
    "\n"
    "--no-index may be left out outside a corpus.  --no-pager and --color[=WHEN]\n"
    "may also follow the command.\n"
    "A, B: statement id, date (2021-12, 2021) or history revision (HEAD~1);\n"
    "default: the two newest statements; A alone: A against the newest.\n"
    "Output (see cli/COMMANDS.md):\n"
    "  --words (default)  per position 'TITLE (ID)  STATUS', then one line per passage:\n"
    "                     '~' changed, '>' moved (ends ' (moved)'), '\xe2\x89\x88' restated (the\n"
    "                     same point in new words; then 'was (DATE, A): OLD'), '+' added,\n"
    "                     '-' dropped; [-deleted-]{+inserted+} without colour, red/green\n"
    "                     runs with it\n"
    "  --lines            a git unified diff of the normalized Markdown\n"
    "                     (with --position: of positions/P.md)\n"
    "  --side-by-side     old | new columns fitting the terminal width (COLUMNS, at most 1024)\n"
    "  --stat             ' ID | N changed, N moved, N restated, N added, N dropped,\n"
    "                     N unchanged'";

typedef struct {
    const char *position;
    int words, lines, side, stat, no_index;
    int bare_color; /* --color[=WHEN] may follow the command */
    const char *color;
    const char *name[2];
    int nnames;
} diff_args;

typedef struct {
    char *md;        /* normalized Markdown (malloc'ed) */
    size_t len;
    const char *id;  /* statement id, or NULL outside a corpus */
    const char *date; /* its date, or NULL outside a corpus */
    char label[300]; /* "ID (DATE)" or the file name */
    char path[300];  /* its name in a --lines diff */
} diff_doc;

/* ---- printing ---- */

/* COLUMNS, else the terminal's, else 80; at most 1024 (a line is padded
 * to it). */
static int terminal_width(void)
{
    const char *c = getenv("COLUMNS");
    struct winsize ws;
    int w = 80;

    if (c && atoi(c) > 0)
        w = atoi(c);
    else if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col)
        w = ws.ws_col;
    return w < 1024 ? w : 1024;
}

static void print_stat(const posdiff_comparison *c, const posdiff_catalog *cat,
                       long only)
{
    size_t n = posdiff_comparison_count(c), changed = 0, shown = 0;
    int w = 8;

    for (size_t i = 0; cat && i < n; i++)
        if ((long)i == only || only < 0) {
            int l = (int)strlen(posdiff_catalog_position(cat, i)->id);
            w = l > w ? l : w;
        }
    for (size_t i = 0; i < n; i++) {
        posdiff_compare_stat s;
        if (only >= 0 && (long)i != only)
            continue;
        posdiff_comparison_stat(&s, c, i);
        if (only < 0 && !(s.changed | s.moved | s.restated | s.added | s.dropped | s.unchanged))
            continue; /* stated by neither side */
        render_diff_stat(stdout, cat ? posdiff_catalog_position(cat, i)->id : "document",
                         w, &s);
        shown++;
        changed += posdiff_comparison_status(c, i) == POSDIFF_ENTRY_CHANGED ||
                   posdiff_comparison_status(c, i) == POSDIFF_ENTRY_ADDED;
    }
    printf(" %zu of %zu %s changed\n", changed, shown,
           cat ? (shown == 1 ? "position" : "positions") : (shown == 1 ? "document" : "documents"));
}

static void print_groups(const posdiff_comparison *c, const posdiff_catalog *cat,
                         long only, const diff_view *v)
{
    size_t n = posdiff_comparison_count(c), printed = 0;

    render_diff_header(stdout, v);
    for (size_t i = 0; i < n; i++) {
        if ((only >= 0 && (long)i != only) ||
            posdiff_comparison_status(c, i) == POSDIFF_ENTRY_NOT_RESTATED)
            continue;
        if (printed++)
            putchar('\n');
        render_diff_group(stdout, c, i, cat ? posdiff_catalog_position(cat, i) : NULL, v);
    }
    if (!printed)
        puts(only >= 0 ? "(the position is stated in neither statement)"
                       : "(nothing to compare: no passage in either statement)");
}

/* The date of A or B (render_dates lookup over the two diff_docs). */
static const char *date_of(void *payload, const char *id)
{
    const diff_doc *d = payload;

    for (int k = 0; k < 2; k++)
        if (d[k].id && d[k].date && !strcmp(d[k].id, id))
            return d[k].date;
    return NULL;
}

static int show(cli_ctx *ctx, const posdiff_catalog *cat, long only,
                const diff_args *a, const diff_doc *d)
{
    posdiff_doc_text ta = {d[0].id, d[0].md, d[0].len}, tb = {d[1].id, d[1].md, d[1].len};
    posdiff_comparison *c = NULL;
    render_dates dates = {date_of, (void *)d, d[0].id == NULL};
    diff_view v = {0, a->side, 80, d[0].label, d[1].label, &dates};
    char *patch = NULL;
    size_t plen = 0;

    if (a->lines && !a->stat) {
        if (posdiff_init() < 0)
            return cli_fail();
        if (posdiff_unified_diff(&patch, &plen, d[0].path, d[0].md, d[0].len,
                                 d[1].path, d[1].md, d[1].len) < 0) {
            posdiff_shutdown();
            return cli_fail();
        }
        posdiff_shutdown();
        cli_pager_start(ctx);
        fwrite(patch, 1, plen, stdout);
        free(patch);
        return CLI_OK;
    }
    if (posdiff_compare(&c, cat, &ta, &tb, NULL) < 0)
        return cli_fail();
    v.color = cli_color_enabled(ctx);
    v.width = terminal_width();
    cli_pager_start(ctx);
    if (a->stat)
        print_stat(c, cat, only);
    else
        print_groups(c, cat, only, &v);
    posdiff_comparison_free(c);
    return CLI_OK;
}

/* ---- inside a corpus ---- */

static int resolve_pair(size_t idx[2], const posdiff_corpus *c, const posdiff_history *h,
                        const diff_args *a)
{
    size_t n = posdiff_history_count(h);

    if (a->nnames == 0 && n < 2)
        return cli_error("the history has %zu statement%s; a diff needs two "
                         "(add statements and run 'posdiff build', or name them)",
                         n, n == 1 ? "" : "s");
    idx[0] = n >= 2 ? n - 2 : 0;
    idx[1] = n ? n - 1 : 0;
    for (int k = 0; k < a->nnames; k++)
        if (posdiff_history_resolve(&idx[k], h, a->name[k]) < 0)
            return cli_unresolved(c, a->name[k]);
    return 0;
}

/* Statement @p i's normalized text, or its positions/P.md (@p position). */
static int read_statement(diff_doc *d, const posdiff_history *h, size_t i,
                          const char *position)
{
    const posdiff_history_entry *e = posdiff_history_entry_at(h, i);

    snprintf(d->label, sizeof(d->label), "%s (%s)", e->id, e->date);
    d->id = e->id;
    d->date = e->date;
    if (position)
        snprintf(d->path, sizeof(d->path), "positions/%s.md", position);
    else if (posdiff_history_statement_path(d->path, sizeof(d->path), e->id, e->date) < 0)
        return POSDIFF_EINVALID;
    return posdiff_history_read(&d->md, &d->len, h, i, d->path);
}

static int diff_corpus(cli_ctx *ctx, const posdiff_corpus *c, const diff_args *a)
{
    const posdiff_catalog *cat = posdiff_corpus_catalog(c);
    const char *pos_file = a->lines && !a->stat ? a->position : NULL;
    posdiff_history *h = NULL;
    diff_doc d[2] = {{0}, {0}};
    size_t idx[2];
    long only = -1;
    int rc = CLI_ERROR;

    if (a->position && (only = posdiff_catalog_find(cat, a->position)) < 0)
        return cli_error("'%s' is not a position of the catalog (positions.conf); "
                         "see 'posdiff positions'", a->position);
    if (cli_open_history(&h, c, ctx) != 0)
        return CLI_ERROR;
    if (resolve_pair(idx, c, h, a) == 0) {
        if (read_statement(&d[0], h, idx[0], pos_file) < 0 ||
            read_statement(&d[1], h, idx[1], pos_file) < 0)
            rc = cli_fail();
        else
            rc = show(ctx, cat, only, a, d);
    }
    free(d[0].md);
    free(d[1].md);
    posdiff_history_free(h);
    return rc;
}

/* ---- outside a corpus ---- */

static int read_file(diff_doc *d, const char *path)
{
    posdiff_normalize_options o = POSDIFF_NORMALIZE_OPTIONS_INIT;
    posdiff_normalized *n = NULL;
    static const char front[] = "<!-- posdiff\n";
    char *raw = NULL;
    size_t len = 0;

    snprintf(d->label, sizeof(d->label), "%s", path);
    snprintf(d->path, sizeof(d->path), "%s", path);
    if (posdiff_read_statement(&raw, &len, path) < 0)
        return cli_fail();
    if (len >= sizeof(front) - 1 && !memcmp(raw, front, sizeof(front) - 1)) {
        d->md = raw; /* already normalized */
        d->len = len;
        return 0;
    }
    o.path = path;
    o.max_bytes = len + 1; /* read within the limit already */
    if (posdiff_normalize(&n, raw, len, &o) < 0) {
        free(raw);
        return cli_fail();
    }
    free(raw);
    raw = (char *)posdiff_normalized_text(n, &len);
    d->md = malloc(len + 1);
    if (d->md)
        memcpy(d->md, raw, len + 1);
    d->len = len;
    posdiff_normalized_free(n);
    return d->md ? 0 : cli_error("out of memory");
}

static int diff_files(cli_ctx *ctx, const diff_args *a)
{
    diff_doc d[2] = {{0}, {0}};
    int rc;

    if (a->nnames != 2)
        return cli_error("--no-index needs two files: posdiff diff --no-index FILE FILE");
    if (a->position)
        return cli_error("--position needs a corpus's catalog; drop it with --no-index");
    if ((rc = read_file(&d[0], a->name[0])) == 0 && (rc = read_file(&d[1], a->name[1])) == 0)
        rc = show(ctx, NULL, -1, a, d);
    free(d[0].md);
    free(d[1].md);
    return rc;
}

static int is_file(const char *path)
{
    struct stat sb;

    return stat(path, &sb) == 0 && S_ISREG(sb.st_mode);
}

/* git's rule: two files named outside any corpus imply --no-index. */
static int outside_corpus(const cli_ctx *ctx, const diff_args *a)
{
    const char *env = getenv("POSDIFF_CORPUS");
    char *found = NULL;

    if (a->nnames != 2 || ctx->corpus_dir || (env && *env) ||
        !is_file(a->name[0]) || !is_file(a->name[1]))
        return 0;
    if (posdiff_corpus_discover(&found, ".") == 0) {
        free(found);
        return 0;
    }
    posdiff_error_clear();
    return 1;
}

int cmd_diff(cli_ctx *ctx, int argc, char **argv)
{
    diff_args a = {0};
    posdiff_corpus *c = NULL;
    const cli_opt opts[] = {
        {"--position", &a.position, NULL}, {"--words", NULL, &a.words},
        {"--lines", NULL, &a.lines},       {"--side-by-side", NULL, &a.side},
        {"--stat", NULL, &a.stat},         {"--no-index", NULL, &a.no_index},
        {"--no-pager", NULL, &ctx->no_pager}, {"--color", &a.color, &a.bare_color},
        {NULL, NULL, NULL}};
    int rc;

    if (cli_parse("diff", argc, argv, opts, a.name, &a.nnames, 2) ||
        cli_color_option(ctx, a.color, a.bare_color))
        return CLI_ERROR;
    if (a.words + a.lines + a.side > 1)
        return cli_error("--words, --lines and --side-by-side exclude each other; pick one");
    if (a.no_index || outside_corpus(ctx, &a))
        return diff_files(ctx, &a);
    if (posdiff_init() < 0)
        return cli_fail();
    if ((rc = cli_open_corpus(&c, ctx, 0)) == 0)
        rc = diff_corpus(ctx, c, &a);
    posdiff_corpus_free(c);
    posdiff_shutdown();
    return rc;
}
