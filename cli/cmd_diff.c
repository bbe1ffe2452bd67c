/*
 * cmd_diff.c - posdiff diff [A [B] | A..B] [--position P]
 *              [--words|--lines|--side-by-side] [-U<n>] [--stat];
 *              posdiff diff --no-index FILE FILE [...]
 *
 * A and B are statements of the history (id, date or revision, ID~N,
 * ID^; default: the two newest, A alone: A against the newest), compared
 * per position (posdiff_compare), or as a unified diff of the normalized
 * Markdown (--lines, -U<n> lines of context).  --no-index, implied as in
 * git by two files outside a corpus, compares two files as one document
 * and, as git, exits 1 when their wording differs.  libgit2 is started
 * only for a corpus and for --lines.  Formats: cli/COMMANDS.md.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "render_diff.h"

const char cli_diff_usage[] =
    "posdiff diff [A [B] | A..B] [--position P] [--words|--lines|--side-by-side] [-U<n>] [--stat]\n"
    "   or: posdiff diff [--no-index] FILE FILE [--words|--lines|--side-by-side] [-U<n>] [--stat]\n"
    "\n"
    "--no-index may be left out outside a corpus; it implies git's --exit-code:\n"
    "exit status 1 when the files' wording differs, 0 when not (2: error).\n"
    "A, B: statement id, date (2021-12, 2021) or history revision (HEAD~1), each\n"
    "maybe followed by ~N or ^ (ID~1, ID^: the statement before ID); A..B: both\n"
    "in one argument (a side left out: the newest); default: the two newest\n"
    "statements; A alone: A against the newest.\n"
    "Output (see cli/COMMANDS.md):\n"
    "  --words (default)  (or --word-diff[=plain|color]) per position 'TITLE (ID)  STATUS',\n"
    "                     then one line per passage:\n"
    "                     '~' changed, '>' moved (ends ' (moved)'), '\xe2\x89\x88' restated (the\n"
    "                     same point in new words; then 'was (DATE, A): OLD'), '+' added,\n"
    "                     '-' dropped; [-deleted-]{+inserted+} without colour, red/green\n"
    "                     runs with it\n"
    "  --lines            a git unified diff of the normalized Markdown\n"
    "                     (with --position: of positions/P.md)\n"
    "  -U<n>, --unified=<n>  lines of context of --lines (default 3; implies --lines)\n"
    "  --side-by-side     old | new columns fitting the terminal width (COLUMNS, at most 1024)\n"
    "  --stat             ' ID | N changed, N moved, N restated, N added, N dropped,\n"
    "                     N unchanged; words: N deleted, N inserted, N changed'\n"
    "  -w S -x S -y S -z S  the word diff's marks: deleted start and end, inserted\n"
    "                     start and end (default [- -] {+ +}), as dwdiff\n"
    "  --color-words      the word diff in colour, no marks (as git)";

typedef struct {
    const char *position;
    int words, lines, side, stat, no_index;
    const char *word_diff; /* --word-diff=plain|color */
    const char *unified;   /* -U<n>, --unified=<n> */
    int context;           /* its value; -1: the default */
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
        render_word_stat ws = {0};
        for (size_t k = 0; k < posdiff_comparison_passage_count(c, i); k++)
            render_word_stat_passage(&ws, posdiff_comparison_passage(c, i, k));
        for (size_t k = 0; k < posdiff_comparison_dropped_count(c, i); k++)
            render_word_stat_dropped(&ws, posdiff_comparison_dropped(c, i, k)->text,
                                     posdiff_comparison_dropped(c, i, k)->len);
        render_diff_stat(stdout, cat ? posdiff_catalog_position(cat, i)->id : "document",
                         w, &s, &ws);
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

/* Whether any passage of @p c is not unchanged, or was dropped. */
static int differs(const posdiff_comparison *c)
{
    for (size_t i = 0; i < posdiff_comparison_count(c); i++) {
        if (posdiff_comparison_dropped_count(c, i))
            return 1;
        for (size_t k = 0; k < posdiff_comparison_passage_count(c, i); k++)
            if (posdiff_comparison_passage(c, i, k)->status != POSDIFF_PASSAGE_UNCHANGED)
                return 1;
    }
    return 0;
}

/* Print the diff of the two documents; CLI_OK, or CLI_FLAG when they
 * differ and @p a asks for --no-index's exit code. */
static int show(cli_ctx *ctx, const posdiff_catalog *cat, long only,
                const diff_args *a, const diff_doc *d)
{
    posdiff_doc_text ta = {d[0].id, d[0].md, d[0].len}, tb = {d[1].id, d[1].md, d[1].len};
    posdiff_comparison *c = NULL;
    render_dates dates = {date_of, (void *)d, d[0].id == NULL};
    diff_view v = {0, a->side, 80, d[0].label, d[1].label, &dates};
    char *patch = NULL;
    size_t plen = 0;
    int rc;

    if (a->lines && !a->stat) {
        if (posdiff_init() < 0)
            return cli_fail();
        if (posdiff_unified_diff_ext(&patch, &plen, d[0].path, d[0].md, d[0].len,
                                     d[1].path, d[1].md, d[1].len, a->context) < 0) {
            posdiff_shutdown();
            return cli_fail();
        }
        posdiff_shutdown();
        cli_pager_start(ctx);
        fwrite(patch, 1, plen, stdout);
        free(patch);
        return a->no_index && plen ? CLI_FLAG : CLI_OK;
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
    rc = a->no_index && differs(c) ? CLI_FLAG : CLI_OK;
    posdiff_comparison_free(c);
    return rc;
}

/* ---- inside a corpus ---- */

static int is_file(const char *path)
{
    struct stat sb;

    return stat(path, &sb) == 0 && S_ISREG(sb.st_mode);
}

/* Statement @p name's index.  A name that is no statement but a file
 * points to --no-index. */
static int resolve_name(size_t *idx, const posdiff_corpus *c, const posdiff_history *h,
                        const char *name)
{
    int error;

    if ((error = posdiff_history_resolve(idx, h, name)) == 0)
        return 0;
    if (error == POSDIFF_ENOTFOUND && posdiff_corpus_find(c, name))
        return cli_unresolved(c, name);
    if (error == POSDIFF_ENOTFOUND && is_file(name))
        return cli_error("'%s' is not a statement id; to compare two files use "
                         "'posdiff diff --no-index FILE FILE'", name);
    return cli_fail();
}

/* A side of A..B: a statement, or the newest when left out. */
static int resolve_side(size_t *idx, const posdiff_corpus *c, const posdiff_history *h,
                        const char *name)
{
    if (*name)
        return resolve_name(idx, c, h, name);
    if (posdiff_history_count(h) == 0)
        return cli_error("the history is empty; add statements and run 'posdiff build'");
    *idx = posdiff_history_count(h) - 1;
    return 0;
}

/* git's A..B: one argument naming both statements (either may be left
 * out); 0 when @p name is a statement itself or holds no "..". */
static int resolve_range(size_t idx[2], const posdiff_corpus *c, const posdiff_history *h,
                         const char *name)
{
    const char *dots = strstr(name, "..");
    char left[256];

    if (!dots || posdiff_history_resolve(&idx[0], h, name) == 0)
        return 0;
    posdiff_error_clear();
    if (dots[2] == '.')
        return cli_error("'%s': A...B is not supported; name the two statements with A..B", name);
    if ((size_t)(dots - name) >= sizeof(left))
        return cli_error("'%.40s...': statement name too long", name);
    memcpy(left, name, (size_t)(dots - name));
    left[dots - name] = '\0';
    if (resolve_side(&idx[0], c, h, left) || resolve_side(&idx[1], c, h, dots + 2))
        return CLI_ERROR;
    return 1;
}

static int resolve_pair(size_t idx[2], const posdiff_corpus *c, const posdiff_history *h,
                        const diff_args *a)
{
    size_t n = posdiff_history_count(h);
    int range = 0;

    if (a->nnames == 0 && n < 2)
        return cli_error("the history has %zu statement%s; a diff needs two "
                         "(add statements and run 'posdiff build', or name them)",
                         n, n == 1 ? "" : "s");
    idx[0] = n >= 2 ? n - 2 : 0;
    idx[1] = n ? n - 1 : 0;
    for (int k = 0; k < a->nnames; k++) {
        if ((range = resolve_range(idx, c, h, a->name[k])) == CLI_ERROR)
            return CLI_ERROR;
        if (range && a->nnames > 1)
            return cli_error("'%s' names both statements; give no other", a->name[k]);
        if (!range && resolve_name(&idx[k], c, h, a->name[k]))
            return CLI_ERROR;
    }
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
        const char *ids[2] = {posdiff_history_entry_at(h, idx[0])->id,
                              posdiff_history_entry_at(h, idx[1])->id};
        if (cli_warn_stale(ctx, c, ids, idx, 2) != 0)
            ;
        else if (read_statement(&d[0], h, idx[0], pos_file) < 0 ||
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

/* --word-diff[=plain|color] is --words (color: as --color=always);
 * -U<n> is the context of --lines, which it implies. */
static int parse_styles(cli_ctx *ctx, diff_args *a)
{
    char *end;

    if (a->word_diff && !strcmp(a->word_diff, "color"))
        ctx->color = "always";
    else if (a->word_diff && strcmp(a->word_diff, "plain"))
        return cli_error("--word-diff=%s: use plain or color", a->word_diff);
    a->words |= a->word_diff != NULL;
    if (a->words + a->lines + a->side > 1)
        return cli_error("--words (--word-diff), --lines and --side-by-side exclude each other; "
                         "pick one");
    a->context = -1;
    if (!a->unified)
        return 0;
    a->context = (int)strtol(a->unified, &end, 10);
    if (!*a->unified || *end || a->context < 0 || strlen(a->unified) > 6)
        return cli_error("-U%s: give the number of context lines (0 or more)", a->unified);
    if (a->words || a->side)
        return cli_error("-U%s sets the context of the line diff; use it with --lines", a->unified);
    a->lines = 1;
    return 0;
}

int cmd_diff(cli_ctx *ctx, int argc, char **argv)
{
    diff_args a = {0};
    posdiff_corpus *c = NULL;
    const char *marks[4] = {NULL, NULL, NULL, NULL};
    int color_words = 0;
    const cli_opt opts[] = {
        {"--position", &a.position, NULL}, {"--words", NULL, &a.words},
        {"--word-diff", &a.word_diff, &a.words}, {"--lines", NULL, &a.lines},
        {"-U", &a.unified, NULL},          {"--unified", &a.unified, NULL},
        {"--side-by-side", NULL, &a.side}, {"--stat", NULL, &a.stat},
        {"--no-index", NULL, &a.no_index}, {"--color-words", NULL, &color_words},
        {"-w", &marks[0], NULL},           {"-x", &marks[1], NULL},
        {"-y", &marks[2], NULL},           {"-z", &marks[3], NULL},
        {NULL, NULL, NULL}};
    int rc;

    if (cli_parse(ctx, "diff", argc, argv, opts, a.name, &a.nnames, 2) || render_set_markers(marks))
        return CLI_ERROR;
    if (color_words) { /* git's --color-words: the word diff, in colour */
        ctx->color = "always";
        a.words = 1;
    }
    if (parse_styles(ctx, &a))
        return CLI_ERROR;
    if (a.no_index || outside_corpus(ctx, &a)) {
        a.no_index = 1;
        return diff_files(ctx, &a);
    }
    if (posdiff_init() < 0)
        return cli_fail();
    if ((rc = cli_open_corpus(&c, ctx, POSDIFF_CORPUS_OPEN_NO_STAT)) == 0)
        rc = diff_corpus(ctx, c, &a);
    posdiff_corpus_free(c);
    posdiff_shutdown();
    return rc;
}
