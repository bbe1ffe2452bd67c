/*
 * cmd_log.c - posdiff log [POSITION...] [--format=text|markdown|json]
 *             [--since D] [--until D] [--reverse] [-n N] [--oneline] [--stat]
 *
 * The walk over the history (posdiff_changelog_walk) goes by statement,
 * the output by position: each entry is rendered into its position's
 * spool, a temporary file (memory does not grow with the history), and
 * read back with one pread at the end.  Text skips statements that do
 * not restate a position; Markdown shows those that come after the first
 * statement of the position as short "not stated" entries; JSON keeps
 * them all (cli/JSON.md).  Markdown entries link the statement's source
 * (statements.conf), found by id (posdiff_corpus_find).
 * -n N (git's --max-count, -N) keeps the newest N entries of each
 * position, whatever the order shown; --oneline and --stat are short
 * text entries (render_stat.c).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "render.h"
#include "pickaxe.h"
#include "spool.h"

#define STDOUT_BUFFER (1 << 20)

typedef enum { FORMAT_TEXT, FORMAT_MARKDOWN, FORMAT_JSON } log_format;

typedef struct {
    const posdiff_catalog *cat;
    log_format format;
    const char *since, *until;
    long max_count;      /* -n: entries shown per position; -1 = all */
    int oneline, stat;   /* --oneline, --stat (text) */
    int *selected;       /* per position: shown */
    int *stated;         /* per position: some statement walked so far states it */
    const char *phrase, *regex; /* -S, -G */
    const char **stating;  /* per position: the last statement walked that states it */
    const char **listed;   /* per position: the last statement listed (text, Markdown) */
    pickaxe *pick;       /* made of them, or NULL */
    spool *entries;      /* per position */
    int spool_error;     /* reported: the exit code */
    int color;           /* text in ANSI colours */
    cli_ids ids;         /* the history's entries by id */
    render_dates dates;  /* statement id -> date, through ids */
    const posdiff_corpus *c; /* the entries' sources (posdiff_corpus_find) */
    size_t from, to;     /* the history entries walked (walk_range) */
    int seeking;         /* on_step is reading back before them (state_before) */
    size_t *left;        /* then: selected positions not yet found stated */
} log_state;

static int on_step(const posdiff_history_entry *e, size_t index,
                   const posdiff_step *step, void *payload);

static int in_range(const log_state *s, const char *date)
{
    return cli_date_in_range(date, s->since, s->until);
}

/* A date as a number that orders as the corpus does (YYYYMMDD; a part
 * left out is 1, as posdiff_date_parse fills it); @p end: a part left
 * out is its last (2019 -> 20191299), for --until. */
static long date_num(const char *date, int end)
{
    size_t n = strlen(date);
    int y = 0, m = 0, d = 0;

    posdiff_date_parse(&y, &m, &d, date);
    if (end && n < 7)
        m = 12;
    if (end && n < 10)
        d = 99;
    return y * 10000L + m * 100L + d;
}

/* The first entry of @p h whose date_num is at least @p key (the chain is
 * in that order). */
static size_t first_from(const posdiff_history *h, long key)
{
    size_t lo = 0, hi = posdiff_history_count(h);

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (date_num(posdiff_history_entry_at(h, mid)->date, 0) < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* The entries [from, to) that can fall in --since/--until, by binary
 * search, to the end of --until; from --since's first, or an entry of a
 * date such as "2019" or "2019-03" that lies within it yet orders as the
 * first day of its year or month (on_step keeps the exact range). */
static void walk_range(log_state *s, const posdiff_history *h)
{
    s->from = 0;
    s->to = posdiff_history_count(h);
    if (s->until)
        s->to = first_from(h, date_num(s->until, 1) + 1);
    if (s->since && !s->pick) { /* -S/-G count from the first statement */
        long since = date_num(s->since, 0);
        s->from = first_from(h, since / 10000 * 10000 + 101);
        while (s->from < s->to && date_num(posdiff_history_entry_at(h, s->from)->date, 0) < since &&
               !in_range(s, posdiff_history_entry_at(h, s->from)->date))
            s->from++;
    }
    if (s->to < s->from)
        s->to = s->from;
}

/* Whether any statement of the history falls in --since/--until: a
 * range none does is an empty changelog (exit 0, as git log --since),
 * printed as nothing in text and Markdown. */
static int range_holds(const log_state *s, const posdiff_history *h)
{
    for (size_t i = s->from; i < s->to; i++)
        if (in_range(s, posdiff_history_entry_at(h, i)->date))
            return 1;
    return 0;
}

/* The stale warning, for the statements in --since/--until. */
static int warn_stale(const cli_ctx *ctx, const log_state *s, const posdiff_corpus *c,
                      const posdiff_history *h)
{
    size_t k = 0, *at;
    const char **ids;
    int rc;

    if (!s->since && !s->until)
        return cli_warn_stale(ctx, c, NULL, NULL, 0);
    ids = malloc((s->to - s->from + 1) * sizeof(*ids));
    at = malloc((s->to - s->from + 1) * sizeof(*at));
    if (!ids || !at) {
        free(ids);
        free(at);
        return cli_error("out of memory");
    }
    for (size_t i = s->from; i < s->to; i++)
        if (in_range(s, posdiff_history_entry_at(h, i)->date)) {
            at[k] = i;
            ids[k++] = posdiff_history_entry_at(h, i)->id;
        }
    rc = cli_warn_stale(ctx, c, ids, at, k);
    free(ids);
    free(at);
    return rc;
}

/* What the steps before the walk's range told on_step about the selected
 * positions: whether one stated each and which was last.  With the step
 * log, read back one step at a time from the range's start until every
 * selected position is found stated (a few steps); past BACK_STEPS, or
 * without the log, one walk forward from the first statement. */
#define BACK_STEPS 16

static int state_before(log_state *s, const posdiff_history *h)
{
    size_t n = posdiff_catalog_count(s->cat), left = 0, k = s->from;
    int error = 0;

    for (size_t i = 0; i < n; i++)
        left += s->selected[i] != 0;
    s->left = &left;
    s->seeking = 1; /* newest first */
    if (s->from > 0 && posdiff_changelog_recorded(h, s->cat))
        for (; k > 0 && left > 0 && s->from - k < BACK_STEPS && !error; k--)
            error = posdiff_changelog_walk_range(h, s->cat, NULL, k - 1, k, on_step, s);
    if (!error && k > 0 && left > 0) {
        for (size_t i = 0; i < n; i++)
            s->stated[i] = 0, s->stating[i] = NULL;
        s->seeking = 2; /* oldest first */
        error = posdiff_changelog_walk_range(h, s->cat, NULL, 0, s->from, on_step, s);
    }
    s->seeking = 0;
    return error;
}

/* Copy entry @p k of @p l to stdout, after @p sep. */
static int put_entry(spool_window *w, int *failed, const spool *l, size_t k, const char *sep)
{
    size_t len;
    const char *text = spool_get(w, l, k, &len);

    fputs(sep, stdout);
    if (!text)
        return *failed = -1;
    fwrite(text, 1, len, stdout);
    return 0;
}

/* Whether position @p i gets an entry for this step (in range): every
 * step in JSON; in text a statement that states it; in Markdown also one
 * that does not, after a first that did (s->stated, kept out of range). */
static int wanted(log_state *s, const posdiff_step *step, size_t i, int in)
{
    int skips = posdiff_step_status(step, i) == POSDIFF_ENTRY_NOT_RESTATED;
    int before_first = !s->stated[i];

    if (!skips)
        s->stated[i] = 1;
    if (!in || !s->selected[i])
        return 0;
    if (s->format == FORMAT_JSON || !skips)
        return 1;
    return !before_first;
}

static int on_step(const posdiff_history_entry *e, size_t index,
                   const posdiff_step *step, void *payload)
{
    log_state *s = payload;
    int in;

    if (s->seeking) { /* state_before: newest first (1) or oldest first (2) */
        for (size_t i = 0; i < posdiff_catalog_count(s->cat); i++)
            if (s->selected[i] && (s->seeking == 2 || !s->stated[i]) &&
                posdiff_step_status(step, i) != POSDIFF_ENTRY_NOT_RESTATED) {
                *s->left -= !s->stated[i];
                s->stated[i] = 1;
                s->stating[i] = e->id;
            }
        return 0;
    }
    in = in_range(s, e->date);
    const posdiff_statement *st = in ? posdiff_corpus_find_at(s->c, e->id, index) : NULL;
    const char *source = st ? st->source : NULL;

    for (size_t i = 0; i < posdiff_catalog_count(s->cat); i++) {
        char *text = NULL;
        size_t len = 0;
        FILE *f;
        int picked = !s->pick || pickaxe_hit(s->pick, step, i); /* every step: -S counts */
        const char *against = s->stating[i];
        if (posdiff_step_status(step, i) != POSDIFF_ENTRY_NOT_RESTATED)
            s->stating[i] = e->id;
        if (!wanted(s, step, i, in) || !picked)
            continue;
        if (against && s->listed[i] && !strcmp(against, s->listed[i]))
            against = NULL; /* the entry below */
        s->listed[i] = e->id;
        if (!(f = open_memstream(&text, &len)))
            return POSDIFF_ENOMEM;
        if (s->format == FORMAT_JSON)
            render_json_entry(f, e, step, i, source);
        else if (s->format == FORMAT_MARKDOWN)
            render_markdown_entry(f, e, step, i, &s->dates, source, against);
        else if (s->stat)
            render_stat_entry(f, e, step, i, s->color, s->oneline);
        else if (s->oneline)
            render_oneline_entry(f, e, step, i, s->color);
        else
            render_text_entry(f, e, step, i, s->color, &s->dates, source, against);
        fclose(f);
        if (spool_push(&s->entries[i], text, len) < 0) {
            free(text);
            s->spool_error = cli_error("cannot write the changelog to a temporary file in "
                                       "%s (%s); set TMPDIR to a writable directory with space",
                                       spool_dir(), strerror(errno));
            return -1;
        }
        free(text);
    }
    return 0;
}

/* A position's heading: its JSON object opened, a Markdown section
 * heading, or the text title line. */
static void print_heading(const log_state *s, const posdiff_position *p, size_t entries,
                          int first)
{
    if (s->format == FORMAT_JSON) {
        fputs(first ? "{\"id\":" : ",{\"id\":", stdout);
        json_cstring(stdout, p->id);
        fputs(",\"title\":", stdout);
        json_cstring(stdout, p->title ? p->title : p->id);
        fputs(",\"entries\":[", stdout);
    } else if (s->format == FORMAT_MARKDOWN) {
        fputc('\n', stdout); /* blocks are separated by a blank line */
        render_markdown_position(stdout, p, entries);
    } else {
        printf(s->color ? "%s\033[1;33m%s\033[m (%s)\n" : "%s%s (%s)\n", first ? "" : "\n",
               p->title ? p->title : p->id, p->id);
        if (entries == 0)
            printf("    (not stated in the selected statements)\n");
    }
}

/* How many of a position's @p count entries -n lets through. */
static size_t shown(const log_state *s, size_t count)
{
    return s->max_count >= 0 && (size_t)s->max_count < count ? (size_t)s->max_count : count;
}

/* Flush every spool before anything is printed: a spool that cannot be
 * written (no space, a file-size limit) is an error, not a short log. */
static int spools_done(log_state *s)
{
    for (size_t i = 0; i < posdiff_catalog_count(s->cat); i++)
        if (spool_done(&s->entries[i]) < 0)
            return cli_error("cannot write the changelog to a temporary file in %s (%s); set "
                             "TMPDIR to a writable directory with space", spool_dir(),
                             strerror(errno));
    return 0;
}

/* Each selected position's heading and its newest entries (-n): newest
 * first (@p reverse: oldest first), JSON always oldest first in one object. */
static void print_log(log_state *s, int reverse, spool_window *w, int *failed)
{
    int json = s->format == FORMAT_JSON, first = 1;
    const char *sep = s->format == FORMAT_MARKDOWN ? "\n" : "";

    if (json)
        fputs("{\"version\":1,\"positions\":[", stdout);
    else if (s->format == FORMAT_MARKDOWN)
        render_markdown_title(stdout, "Position history");
    for (size_t i = 0; i < posdiff_catalog_count(s->cat); i++) {
        spool *l = &s->entries[i];
        size_t n = shown(s, l->count), skip = l->count - n;
        if (!s->selected[i] || (s->pick && !json && l->count == 0))
            continue; /* -S/-G: only the positions it picked in */
        print_heading(s, posdiff_catalog_position(s->cat, i), n, first);
        first = 0;
        for (size_t k = 0; k < n; k++)
            put_entry(w, failed, l, json || reverse ? skip + k : l->count - 1 - k,
                      json && k ? "," : sep);
        if (json)
            fputs("]}", stdout);
    }
    if (json)
        fputs("]}\n", stdout);
}

static int select_positions(log_state *s, const char **names, int n)
{
    size_t count = posdiff_catalog_count(s->cat);

    for (size_t i = 0; i < count; i++)
        s->selected[i] = n == 0;
    for (int k = 0; k < n; k++) {
        long i = posdiff_catalog_find(s->cat, names[k]);
        if (i < 0)
            return cli_error("'%s' is not a position of the catalog (positions.conf); see 'posdiff positions'", names[k]);
        s->selected[i] = 1;
    }
    return 0;
}

static int check_date_arg(const char *opt, const char *d)
{
    if (d && posdiff_date_parse(NULL, NULL, NULL, d) < 0)
        return cli_error("%s %s: %s", opt, d, posdiff_error_last());
    return 0;
}

static void free_state(log_state *s, size_t count)
{
    for (size_t i = 0; s->entries && i < count; i++)
        spool_free(&s->entries[i]);
    free(s->entries);
    free(s->selected);
    free(s->stated);
    free(s->stating);
    free(s->listed);
    pickaxe_free(s->pick);
    cli_ids_free(&s->ids);
}

static int run_log(cli_ctx *ctx, log_state *s, const char **names, int npos, int reverse)
{
    posdiff_corpus *c = NULL;
    posdiff_history *h = NULL;
    spool_window w = {NULL, 0};
    int failed = 0;
    size_t count;
    int rc;

    if ((rc = cli_open_corpus(&c, ctx, POSDIFF_CORPUS_OPEN_NO_STAT)) != 0)
        return rc;
    s->cat = posdiff_corpus_catalog(c);
    count = posdiff_catalog_count(s->cat);
    s->selected = calloc(count + 1, sizeof(int));
    s->stated = calloc(count + 1, sizeof(int));
    s->stating = calloc(count + 1, sizeof(*s->stating));
    s->listed = calloc(count + 1, sizeof(*s->listed));
    s->entries = calloc(count + 1, sizeof(spool));
    if (!s->selected || !s->stated || !s->entries || !s->stating || !s->listed)
        rc = cli_error("out of memory");
    else if ((s->phrase || s->regex) && (rc = pickaxe_new(&s->pick, s->phrase, s->regex, count)) != 0)
        ;
    else if ((rc = select_positions(s, names, npos)) == 0) {
        s->c = c;
        s->dates = (render_dates){cli_ids_date, &s->ids, 0}; /* filled below */
        s->color = s->format == FORMAT_TEXT && cli_color_enabled(ctx);
        if ((rc = cli_open_history(&h, c, ctx)) != 0)
            ;
        else if ((rc = cli_ids_index(&s->ids, h)) != 0)
            ;
        else if ((walk_range(s, h), rc = warn_stale(ctx, s, c, h)) != 0)
            ;
        else if (s->format != FORMAT_JSON && (s->since || s->until) && !range_holds(s, h))
            ; /* nothing is dated in the range: nothing to print */
        else if (state_before(s, h) < 0 ||
                 posdiff_changelog_walk_range(h, s->cat, NULL, s->from, s->to, on_step, s) < 0)
            rc = s->spool_error ? s->spool_error : cli_fail();
        else if ((rc = spools_done(s)) != 0)
            ; /* the spools' last bytes could not be written: no output at all */
        else {
            cli_pager_start(ctx);
            if (!isatty(STDOUT_FILENO)) /* nothing was written to stdout yet */
                setvbuf(stdout, NULL, _IOFBF, STDOUT_BUFFER);
            print_log(s, reverse, &w, &failed);
            if (failed)
                rc = cli_error("cannot read back the changelog from its temporary file in %s (%s); "
                               "the output above is incomplete; set TMPDIR to a directory with space",
                               spool_dir(), strerror(errno));
        }
    }
    spool_window_free(&w);
    free_state(s, count);
    posdiff_history_free(h);
    posdiff_corpus_free(c);
    return rc;
}

/* -n N, --max-count=N, -N: a whole number, 0 or more. */
static int parse_max_count(log_state *s, const char *n)
{
    char *end;

    s->max_count = -1;
    if (!n)
        return 0;
    s->max_count = strtol(n, &end, 10);
    if (!*n || *end || s->max_count < 0)
        return cli_error("-n %s: give the number of entries to show per position (0 or more)", n);
    return 0;
}

static int parse_format(log_state *s, const char *format)
{
    if (!strcmp(format, "json"))
        s->format = FORMAT_JSON;
    else if (!strcmp(format, "markdown"))
        s->format = FORMAT_MARKDOWN;
    else if (strcmp(format, "text"))
        return cli_error("--format=%s: unknown format; use text, markdown or json", format);
    if ((s->oneline || s->stat) && s->format != FORMAT_TEXT)
        return cli_error("--%s is a text format; drop --format=%s", s->stat ? "stat" : "oneline",
                         format);
    return 0;
}

int cmd_log(cli_ctx *ctx, int argc, char **argv)
{
    const char *format = "text", *max = NULL, *pos[64], *marks[4] = {NULL, NULL, NULL, NULL};
    log_state s = {0};
    int reverse = 0, npos = 0, color_words = 0;
    const cli_opt opts[] = {{"--format", &format, NULL}, {"--since", &s.since, NULL},
                            {"--until", &s.until, NULL}, {"--reverse", NULL, &reverse},
                            {"-n", &max, NULL},          {"--max-count", &max, NULL},
                            {"-NUM", &max, NULL},        {"--oneline", NULL, &s.oneline},
                            {"--stat", NULL, &s.stat},   {"-S", &s.phrase, NULL},
                            {"-G", &s.regex, NULL},      {"--color-words", NULL, &color_words},
                            {"-w", &marks[0], NULL},     {"-x", &marks[1], NULL},
                            {"-y", &marks[2], NULL},     {"-z", &marks[3], NULL},
                            {NULL, NULL, NULL}};

    if (cli_parse(ctx, "log", argc, argv, opts, pos, &npos, 64) || parse_format(&s, format) ||
        parse_max_count(&s, max) || check_date_arg("--since", s.since) ||
        check_date_arg("--until", s.until))
        return CLI_ERROR;
    if (s.phrase && s.regex)
        return cli_error("-S and -G: give one of them");
    if (render_set_markers(marks))
        return CLI_ERROR;
    if (color_words)
        ctx->color = "always"; /* git's --color-words: the word diff in colour */
    return run_log(ctx, &s, pos, npos, reverse);
}
