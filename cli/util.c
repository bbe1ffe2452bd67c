/*
 * util.c - error reporting, corpus discovery, option parsing (a command
 * takes the global --no-pager, --color, --corpus and --repo anywhere
 * before "--", as git its common ones) and suggestions.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* "posdiff: LEVEL: " and @p s on one line of stderr; control characters
 * (an id or a path from a manifest may hold ESC) are shown as \xHH. */
static void put_message(const char *level, const char *s)
{
    fprintf(stderr, "posdiff: %s: ", level);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c < 0x20 || c == 0x7f)
            fprintf(stderr, "\\x%02x", c);
        else
            fputc(c, stderr);
    }
    fputc('\n', stderr);
}

int cli_error(const char *fmt, ...)
{
    char small[1024], *m = small;
    va_list ap;
    int n;

    fflush(stdout);
    va_start(ap, fmt);
    n = vsnprintf(small, sizeof(small), fmt, ap);
    va_end(ap);
    if (n >= (int)sizeof(small) && (m = malloc((size_t)n + 1))) {
        va_start(ap, fmt);
        vsnprintf(m, (size_t)n + 1, fmt, ap);
        va_end(ap);
    }
    put_message("error", m ? m : small);
    if (m != small)
        free(m);
    return CLI_ERROR;
}

int cli_fail(void)
{
    return cli_error("%s", posdiff_error_last());
}

int cli_open_corpus(posdiff_corpus **out, const cli_ctx *ctx, unsigned flags)
{
    const char *dir = ctx->corpus_dir ? ctx->corpus_dir : getenv("POSDIFF_CORPUS");
    char *found = NULL;
    int error;

    if (!dir || !*dir) {
        if (posdiff_corpus_discover(&found, ".") < 0)
            return cli_fail();
        dir = found;
    }
    if (ctx->build) /* the build looks at every raw file */
        flags &= ~POSDIFF_CORPUS_OPEN_NO_STAT;
    error = posdiff_corpus_open_ext(out, dir, flags);
    free(found);
    if (error < 0)
        return cli_fail();
    for (size_t i = 0; i < posdiff_corpus_warning_count(*out); i++)
        put_message("warning", posdiff_corpus_warning(*out, i));
    return 0;
}

int cli_open_history(posdiff_history **out, const posdiff_corpus *c, const cli_ctx *ctx)
{
    posdiff_build_result r;
    posdiff_build_options o = POSDIFF_BUILD_OPTIONS_INIT;

    *out = NULL;
    o.repo_path = ctx->repo_dir;
    if (ctx->build && posdiff_history_build(&r, c, &o) < 0)
        return cli_fail();
    if (posdiff_history_open(out, c, ctx->repo_dir) < 0)
        return cli_fail();
    return 0;
}

int cli_warn_stale(const cli_ctx *ctx, const posdiff_corpus *c, const char *const *ids,
                   const size_t *at, size_t n)
{
    posdiff_history_status_result st;
    size_t stale;
    char msg[256];

    if (ctx->build)
        return 0;
    if (posdiff_history_status_of(&st, c, ctx->repo_dir, ids, at, n) < 0)
        return cli_fail(); /* a raw file the history cannot be compared with */
    if (st.state != POSDIFF_HISTORY_BEHIND && st.state != POSDIFF_HISTORY_DIVERGED)
        return 0;
    for (size_t i = st.matching; i < posdiff_corpus_count(c); i++) /* not built: not looked at yet */
        if (posdiff_corpus_check_raw(c, posdiff_corpus_statement(c, i)) < 0)
            return cli_fail();
    stale = st.statements - st.matching;
    snprintf(msg, sizeof(msg), "the history is behind the corpus (%zu statement%s not built "
             "as the corpus now has %s); this shows the last build: run 'posdiff build' "
             "(or pass --build)", stale, stale == 1 ? "" : "s", stale == 1 ? "it" : "them");
    put_message("warning", msg);
    return 0;
}

int cli_unresolved(const posdiff_corpus *c, const char *name)
{
    if (posdiff_corpus_find(c, name))
        return cli_error("'%s' is a statement of the corpus that is not in the history yet; "
                         "run 'posdiff build' (or pass --build)", name);
    return cli_fail();
}

int cli_ids_index(cli_ids *x, const posdiff_history *h)
{
    x->h = h;
    return 0;
}

const posdiff_history_entry *cli_ids_find(const cli_ids *x, const char *id)
{
    size_t i;

    return id && x->h && posdiff_history_find(&i, x->h, id) ? posdiff_history_entry_at(x->h, i)
                                                              : NULL;
}

const char *cli_ids_date(void *payload, const char *id)
{
    const posdiff_history_entry *e = cli_ids_find(payload, id);

    return e ? e->date : NULL;
}

void cli_ids_free(cli_ids *x)
{
    x->h = NULL;
}

int cli_date_in_range(const char *date, const char *since, const char *until)
{
    if (since && strcmp(date, since) < 0 && strncmp(date, since, strlen(date)))
        return 0;
    if (until && strncmp(date, until, strlen(until)) > 0)
        return 0;
    return 1;
}

int cli_color_option(cli_ctx *ctx, const char *when, int bare)
{
    if (!when && bare)
        when = "always";
    if (!when)
        return 0;
    if (strcmp(when, "auto") && strcmp(when, "always") && strcmp(when, "never"))
        return cli_error("--color=%s: use auto, always or never", when);
    ctx->color = when;
    return 0;
}

size_t cli_edit_distance(const char *a, const char *b, int swaps)
{
    size_t la = strlen(a), lb = strlen(b), d[64][64];

    if (la >= 64 || lb >= 64)
        return (size_t)-1;
    for (size_t i = 0; i <= la; i++)
        d[i][0] = i;
    for (size_t j = 0; j <= lb; j++)
        d[0][j] = j;
    for (size_t i = 1; i <= la; i++)
        for (size_t j = 1; j <= lb; j++) {
            size_t best = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
            if (d[i - 1][j] + 1 < best)
                best = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < best)
                best = d[i][j - 1] + 1;
            if (swaps && i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                d[i - 2][j - 2] + 1 < best)
                best = d[i - 2][j - 2] + 1;
            d[i][j] = best;
        }
    return d[la][lb];
}

/* The name without its leading dashes. */
static const char *core(const char *opt)
{
    return opt + strspn(opt, "-");
}

/* How far @p known is from @p name, or (size_t)-1 when it is no
 * plausible meaning of it: a single letter means only the same letter
 * (in the other case, or with other dashes), never another one; a longer
 * name allows one edit (a swap counts as one) per three letters, at most
 * two. */
static size_t plausible_distance(const char *name, const char *known)
{
    const char *a = core(name), *b = core(known);
    size_t la = strlen(a), lb = strlen(b), d;

    if (la <= 1 || lb <= 1)
        return la == 1 && lb == 1 && tolower((unsigned char)*a) == tolower((unsigned char)*b)
                   ? 1
                   : (size_t)-1;
    d = cli_edit_distance(name, known, 1);
    if (d == (size_t)-1 || d > 2 || 3 * d > (la > lb ? la : lb))
        return (size_t)-1;
    return d;
}

int cli_bad_option(const char *cmd, const char *arg, const char *const *known)
{
    char name[64];
    const char *best = NULL;
    size_t best_d = (size_t)-1;

    snprintf(name, sizeof(name), "%s", arg);
    if (strchr(name, '='))
        *strchr(name, '=') = '\0';
    for (size_t i = 0; known && known[i]; i++) {
        size_t d = plausible_distance(name, known[i]);
        if (d < best_d) {
            best_d = d;
            best = known[i];
        }
    }
    if (best)
        return cli_error("unknown option '%s' for '%s'; did you mean %s?", name, cmd, best);
    if (!strncmp(name, "-C", 2) && strcmp(cmd, "posdiff"))
        return cli_error("unknown option '%s' for '%s'; -C DIR goes before the command: "
                         "posdiff -C DIR %s", name, cmd, cmd);
    return cli_error("unknown option '%s' for '%s'; see 'posdiff %s --help'", name, cmd, cmd);
}

/* The option named a[0..n), or with @p a "-<digits>" the "-NUM" option
 * (log -3); NULL when there is none. */
static const cli_opt *find_opt(const cli_opt *opts, const char *a, size_t n)
{
    int number = n > 1 && a[0] == '-' && strspn(a + 1, "0123456789") == n - 1;

    for (; opts && opts->name; opts++)
        if ((strlen(opts->name) == n && !strncmp(opts->name, a, n)) ||
            (number && !strcmp(opts->name, "-NUM")))
            return opts;
    return NULL;
}

/* The option an argument names: a command's own first, then a global
 * one; a short option may carry its value ("-n3", "-U0").  Sets *value
 * to the value the argument holds, or NULL. */
static const cli_opt *match_opt(const cli_opt *opts, const cli_opt *globals, const char *a,
                                const char **value)
{
    const char *eq = strchr(a, '=');
    size_t n = eq ? (size_t)(eq - a) : strlen(a);
    const cli_opt *o;

    *value = eq ? eq + 1 : NULL;
    if ((o = find_opt(opts, a, n)) || (o = find_opt(globals, a, n))) {
        if (!strcmp(o->name, "-NUM"))
            *value = a + 1;
        return o;
    }
    if (a[1] != '-' && strlen(a) > 2 && (o = find_opt(opts, a, 2)) && o->value) {
        *value = a + 2;
        return o;
    }
    return NULL;
}

/* Take option @p o (its value in *value, else the next argument). */
static int take_opt(const char *cmd, const cli_opt *o, const char *value, int argc,
                    char **argv, int *i)
{
    if (o->flag && !value) {
        *o->flag = 1;
    } else if (!o->value) {
        return cli_error("option '%s' takes no value", o->name);
    } else if (value) {
        *o->value = value;
    } else if (*i + 1 < argc) {
        *o->value = argv[++*i];
    } else {
        return cli_error("option '%s' needs a value; see 'posdiff %s --help'", o->name, cmd);
    }
    return 0;
}

/* The names to suggest from: the command's options and the global ones. */
static void option_names(const char **names, size_t max, const cli_opt *opts,
                         const cli_opt *globals)
{
    size_t k = 0;

    for (const cli_opt *o = opts; o && o->name && k + 1 < max; o++)
        if (strcmp(o->name, "-NUM"))
            names[k++] = o->name;
    for (const cli_opt *o = globals; o->name && k + 1 < max; o++)
        names[k++] = o->name;
    names[k] = NULL;
}

int cli_parse(cli_ctx *ctx, const char *cmd, int argc, char **argv, const cli_opt *opts,
              const char **pos, int *npos, int maxpos)
{
    const char *names[64], *color = NULL, *value;
    int only_pos = 0, bare_color = 0;
    const cli_opt globals[] = {{"--no-pager", NULL, &ctx->no_pager},
                               {"--color", &color, &bare_color},
                               {"--corpus", &ctx->corpus_dir, NULL},
                               {"--repo", &ctx->repo_dir, NULL},
                               {NULL, NULL, NULL}};

    *npos = 0;
    option_names(names, 64, opts, globals);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const cli_opt *o;
        if (only_pos || a[0] != '-' || !strcmp(a, "-")) {
            if (*npos >= maxpos)
                return cli_error("unexpected argument '%s' for '%s'; see 'posdiff %s --help'",
                                 a, cmd, cmd);
            pos[(*npos)++] = a;
            continue;
        }
        if (!strcmp(a, "--")) {
            only_pos = 1;
            continue;
        }
        if (!(o = match_opt(opts, globals, a, &value)))
            return cli_bad_option(cmd, a, names);
        if (take_opt(cmd, o, value, argc, argv, &i))
            return CLI_ERROR;
    }
    return cli_color_option(ctx, color, bare_color);
}
