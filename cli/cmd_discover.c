/*
 * cmd_discover.c - posdiff discover [--min-statements K] [--position P]
 *                  [--format=text|json]
 *
 * Normalizes every statement of the corpus (no history needed), feeds
 * its sentences to a discovery (posdiff/discover.h) and prints the
 * candidate positions as a positions.conf snippet, or with --position
 * the sentences restating P's passages with the phrase that would catch
 * each (comments and `match` lines to paste under P); JSON: cli/JSON.md.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "render.h"

/* A git-config value: quoted, with " and \ escaped. */
static void config_value(const char *s, size_t n)
{
    putchar('"');
    for (size_t i = 0; i < n; i++)
        printf("%s%c", s[i] == '"' || s[i] == '\\' ? "\\" : "", s[i]);
    putchar('"');
}

static void json_found(const posdiff_corpus *c, const posdiff_found *f)
{
    const posdiff_statement *st = posdiff_corpus_statement(c, f->statement);

    printf("{\"id\": ");
    json_cstring(stdout, st->id);
    printf(", \"date\": ");
    json_cstring(stdout, st->date);
    printf(", \"line\": %zu, \"sentence\": ", f->line);
    json_string(stdout, f->text, f->len);
    putchar('}');
}

static void print_json(const posdiff_corpus *c, const posdiff_discovery *d, const char *pos)
{
    printf("{\"position\": ");
    pos ? json_cstring(stdout, pos) : (void)printf("null");
    printf(",\n \"candidates\": [");
    for (size_t i = 0; i < posdiff_discovery_count(d); i++) {
        const posdiff_candidate *k = posdiff_discovery_at(d, i);
        printf("%s\n  {\"id\": \"suggested-%zu\", \"match\": [", i ? "," : "", i + 1);
        for (size_t p = 0; p < k->phrase_count; p++)
            printf("%s", p ? ", " : ""), json_cstring(stdout, k->phrases[p]);
        printf("],\n   \"statements\": [");
        for (size_t s = 0; s < k->count; s++)
            printf("%s", s ? ", " : ""), json_found(c, &k->sentences[s]);
        printf("]");
        if (k->like)
            printf(",\n   \"restates\": "), json_found(c, k->like),
                printf(", \"similarity\": %.3f", k->similarity);
        printf("}");
    }
    printf("]}\n");
}

static void comment(const posdiff_corpus *c, const char *lead, const posdiff_found *f)
{
    const posdiff_statement *st = posdiff_corpus_statement(c, f->statement);
    printf("%s%-10s %s: %.*s\n", lead, st->date, st->id, (int)f->len, f->text);
}

static void print_text(const posdiff_corpus *c, const posdiff_discovery *d, const char *pos)
{
    printf(pos ? "# Sentences restating passages of \"%s\" that are not its passages;\n"
                 "# the match lines under each would catch it: paste them under\n"
                 "# [position \"%s\"] in positions.conf.\n"
               : "# Sentences restated in several statements that no position tracks%s%s;\n"
                 "# paste a section into positions.conf to track it.\n",
           pos ? pos : "", pos ? pos : "");
    for (size_t i = 0; i < posdiff_discovery_count(d); i++) {
        const posdiff_candidate *k = posdiff_discovery_at(d, i);
        const posdiff_found *f = &k->sentences[0];
        size_t n = 0;
        for (int words = 0; n < f->len && words < 8; n++)
            words += f->text[n] == ' ';
        while (n > 1 && strchr(" ,;:", f->text[n - 1]))
            n--; /* the title: its first 8 words */
        putchar('\n');
        if (!pos)
            printf("[position \"suggested-%zu\"]\n\ttitle = ", i + 1),
                config_value(f->text, n), putchar('\n');
        for (size_t p = 0; p < k->phrase_count; p++)
            printf("\tmatch = "), config_value(k->phrases[p], strlen(k->phrases[p])), putchar('\n');
        for (size_t s = 0; s < k->count; s++)
            comment(c, "\t# ", &k->sentences[s]);
        if (k->like)
            printf("\t#   restates (similarity %.2f) ", k->similarity), comment(c, "", k->like);
        if (k->phrase_count == 0)
            printf("\t#   no shared phrase of 2-4 content words in order\n");
    }
}

/* Feed every statement's sentences to @p d. */
static int feed(const posdiff_corpus *c, posdiff_discovery *d)
{
    for (size_t i = 0; i < posdiff_corpus_count(c); i++) {
        const posdiff_statement *st = posdiff_corpus_statement(c, i);
        posdiff_normalized *n = NULL;
        posdiff_sentence *s = NULL;
        size_t len, count = 0;
        const char *md;
        int rc = posdiff_corpus_normalize(&n, c, st);
        if (rc == 0 && (md = posdiff_normalized_text(n, &len)) &&
            (rc = posdiff_doc_sentences(&s, &count, md, len)) == 0)
            rc = posdiff_discovery_add(d, st->id, s, count);
        free(s);
        posdiff_normalized_free(n);
        if (rc < 0)
            return cli_fail();
    }
    return posdiff_discovery_run(d) < 0 ? cli_fail() : 0;
}

int cmd_discover(cli_ctx *ctx, int argc, char **argv)
{
    const char *min = NULL, *pos = NULL, *format = "text", *args[1];
    const cli_opt opts[] = {{"--min-statements", &min, NULL}, {"--position", &pos, NULL},
                            {"--format", &format, NULL}, {NULL, NULL, NULL}};
    posdiff_discover_options o = POSDIFF_DISCOVER_OPTIONS_INIT;
    posdiff_corpus *c = NULL;
    posdiff_discovery *d = NULL;
    char *end = NULL;
    int npos = 0, rc;

    if (cli_parse(ctx, "discover", argc, argv, opts, args, &npos, 0))
        return CLI_ERROR;
    if (strcmp(format, "text") && strcmp(format, "json"))
        return cli_error("--format=%s: unknown format; use text or json", format);
    if (min && (o.min_statements = strtoul(min, &end, 10), *min < '1' || *min > '9' ||
                *end || o.min_statements < 2 || o.min_statements > 100000))
        return cli_error("--min-statements=%s: not a number of statements; give a whole "
                         "number from 2, e.g. --min-statements 3", min);
    if ((rc = cli_open_corpus(&c, ctx, 0)) != 0)
        return rc;
    if (pos && (o.position = posdiff_catalog_find(posdiff_corpus_catalog(c), pos)) < 0)
        rc = cli_error("'%s' is not a position of the catalog (positions.conf); "
                       "see 'posdiff positions'", pos);
    else if (posdiff_discovery_new(&d, posdiff_corpus_catalog(c), &o) < 0)
        rc = cli_fail();
    else if ((rc = feed(c, d)) == 0) {
        cli_pager_start(ctx);
        (strcmp(format, "json") ? print_text : print_json)(c, d, pos);
    }
    posdiff_discovery_free(d);
    posdiff_corpus_free(c);
    return rc;
}
