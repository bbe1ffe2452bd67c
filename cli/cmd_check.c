/*
 * cmd_check.c - posdiff check [--format=text|json|github] [--fail-on=LIST]
 *               [--new [ID...] | --new=ID,... | --since-rev REV] [--build]
 *
 * Runs posdiff_check_run and maps its findings to the exit status
 * (cli/CHECK.md): 1 when a finding's kind is in --fail-on (default:
 * invalid), else 0; 2 when the check could not run, then also an ::error
 * workflow command with --format=github.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "render_check.h"

#define MAX_NEW 256

typedef struct {
    const char *format, *fail_on, *new_list, *since_rev;
    int new_flag, build;
    const char *names[MAX_NEW]; /* statements named by --new */
    int nnames;
    char *new_copy; /* --new=A,B split at the commas; names[] point into it */
    int fail[POSDIFF_FINDING_KIND_COUNT];
} check_args;

static int github(const check_args *a)
{
    return !strcmp(a->format, "github");
}

/* Report a could-not-run error (posdiff's last, or @p msg) and return 2. */
static int cannot_run(const check_args *a, const char *msg)
{
    const char *m = msg ? msg : posdiff_error_last();

    if (github(a))
        render_check_github_error(stdout, m);
    return cli_error("%s", m);
}

static int parse_fail_on(check_args *a)
{
    const char *s = a->fail_on;

    while (*s) {
        size_t n = strcspn(s, ",");
        int kind = posdiff_finding_kind_parse(s, n);
        if (kind < 0 && n > 0)
            return cli_error("--fail-on=%s: unknown finding '%.*s'; use a "
                             "comma-separated list of "
                             "invalid, warning, changed, restated, added, "
                             "dropped, not-restated, unchanged, moved",
                             a->fail_on, (int)n, s);
        if (kind >= 0)
            a->fail[kind] = 1;
        s += n + (s[n] == ',');
    }
    return 0;
}

/* Split --new=A,B into names. */
static int split_new_list(check_args *a)
{
    char *tok, *save = NULL;

    if (!a->new_list)
        return 0;
    if (!(a->new_copy = strdup(a->new_list)))
        return cli_error("out of memory");
    for (tok = strtok_r(a->new_copy, ",", &save); tok;
         tok = strtok_r(NULL, ",", &save)) {
        if (a->nnames >= MAX_NEW)
            return cli_error("--new: at most %d statements", MAX_NEW);
        a->names[a->nnames++] = tok;
    }
    return 0;
}

static int parse_args(cli_ctx *ctx, check_args *a, int argc, char **argv)
{
    const cli_opt opts[] = {{"--format", &a->format, NULL},
                            {"--fail-on", &a->fail_on, NULL},
                            {"--new", &a->new_list, &a->new_flag},
                            {"--since-rev", &a->since_rev, NULL},
                            {"--build", NULL, &a->build},
                            {NULL, NULL, NULL}};
    int npos = 0;

    if (cli_parse(ctx, "check", argc, argv, opts, a->names, &npos, MAX_NEW))
        return CLI_ERROR;
    if (strcmp(a->format, "text") && strcmp(a->format, "json") && !github(a))
        return cli_error(
            "--format=%s: unknown format; use text, json or github", a->format);
    if (npos > 0 && !a->new_flag)
        return cli_error(
            "unexpected argument '%s' for 'check'; name new statements with "
            "--new %s",
            a->names[0], a->names[0]);
    if ((a->new_flag || a->new_list) && a->since_rev)
        return cli_error(
            "--new and --since-rev both name the new statements; give one");
    if (a->new_flag && npos == 0 && !a->new_list)
        return cli_error("--new needs at least one statement id (or date), "
                         "e.g. --new 2025-02-oewg-10");
    a->nnames = npos;
    if (split_new_list(a))
        return CLI_ERROR;
    return parse_fail_on(a);
}

/* A statement named by id, or by a date that exactly one statement's date
 * falls in or contains ("2025-02"). */
static const char *resolve_name(const posdiff_corpus *c, const char *name)
{
    const posdiff_statement *hit = posdiff_corpus_find(c, name);
    size_t n = 0, len = strlen(name);

    if (hit)
        return hit->id;
    if (posdiff_date_parse(NULL, NULL, NULL, name) < 0)
        return NULL;
    posdiff_error_clear();
    for (size_t i = 0; i < posdiff_corpus_count(c); i++) {
        const posdiff_statement *st = posdiff_corpus_statement(c, i);
        size_t dl = strlen(st->date);
        if (!strncmp(st->date, name, len < dl ? len : dl)) {
            hit = st;
            n++;
        }
    }
    return n == 1 ? hit->id : NULL;
}

static int resolve_names(check_args *a, const posdiff_corpus *c,
                         const char **ids)
{
    for (int i = 0; i < a->nnames; i++) {
        if (!(ids[i] = resolve_name(c, a->names[i]))) {
            char msg[512];
            snprintf(msg, sizeof(msg),
                     "--new %s: no statement has that id, or no single "
                     "statement that date; see statements.conf",
                     a->names[i]);
            return cannot_run(a, msg);
        }
    }
    return 0;
}

static void count_findings(check_report *r)
{
    for (size_t i = 0; i < posdiff_check_count(r->k); i++) {
        const posdiff_finding *f = posdiff_check_finding(r->k, i);
        r->counts[f->kind]++;
        if (r->fail_on[f->kind])
            r->exit_code = CLI_FLAG;
    }
}

static int report(const check_args *a, const posdiff_corpus *c,
                  const posdiff_check *k, const char *repo)
{
    check_report r = {.c = c, .k = k, .repo = repo, .fail_on = a->fail};
    char *prefix = NULL;

    if (posdiff_check_path_prefix(&prefix, c) < 0)
        return cannot_run(a, NULL);
    r.prefix = prefix;
    count_findings(&r);
    if (!strcmp(a->format, "json"))
        render_check_json(stdout, &r);
    else if (github(a))
        render_check_github(stdout, &r);
    else
        render_check_text(stdout, &r);
    free(prefix);
    return r.exit_code;
}

static int run_check(cli_ctx *ctx, check_args *a, const posdiff_corpus *c)
{
    posdiff_check_options o = POSDIFF_CHECK_OPTIONS_INIT;
    const char *ids[MAX_NEW];
    char **since = NULL, *repo = NULL;
    size_t nsince = 0;
    posdiff_check *k = NULL;
    int rc;

    if ((rc = resolve_names(a, c, ids)) != 0)
        return rc;
    o.new_ids = a->nnames ? ids : NULL;
    o.new_count = (size_t)a->nnames;
    if (a->since_rev) {
        if (posdiff_check_since_rev(&since, &nsince, c, a->since_rev) < 0)
            return cannot_run(a, NULL);
        o.new_ids = (const char *const *)since;
        o.new_count = nsince; /* non-NULL: none new means none reported */
    }
    o.build = a->build;
    o.repo_path = ctx->repo_dir;
    repo =
        ctx->repo_dir ? strdup(ctx->repo_dir) : posdiff_history_default_path(c);
    if (posdiff_check_run(&k, c, &o) < 0)
        rc = cannot_run(a, NULL);
    else
        rc = report(a, c, k, repo);
    posdiff_check_free(k);
    posdiff_check_ids_free(since, nsince);
    free(repo);
    return rc;
}

int cmd_check(cli_ctx *ctx, int argc, char **argv)
{
    check_args a = {.format = "text", .fail_on = "invalid"};
    posdiff_corpus *c = NULL;
    int rc;

    if (parse_args(ctx, &a, argc, argv))
        rc = CLI_ERROR;
    else if ((rc = cli_open_corpus(&c, ctx, 0)) == 0)
        rc = run_check(ctx, &a, c);
    else if (github(&a))
        render_check_github_error(stdout, posdiff_error_last());
    posdiff_corpus_free(c);
    free(a.new_copy);
    return rc;
}
