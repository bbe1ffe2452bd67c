/*
 * cmd_why.c - posdiff why STATEMENT [POSITION...] [--format=text|json]:
 * for each passage of the statement, why it is one (a review decision,
 * the phrase and its words, the heading, or the example or passage it
 * resembles) and why it is linked as it is (the earlier passages it was
 * compared with, the bars); the sentences a decision took out.  The
 * statements up to it are stepped again through an explaining tracker.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "render.h"

static const char *const member_name[] = {"phrase", "section", "join", "review"};

static void text_why(const posdiff_passage *p, const posdiff_why *y)
{
    printf("  line %zu: %.*s\n    a passage: ", p->line, (int)p->len, p->text);
    if (y->member == POSDIFF_WHY_PHRASE)
        printf("phrase \"%s\" matches words %zu-%zu\n", y->phrase, y->word_start + 1, y->word_end + 1);
    else if (y->member == POSDIFF_WHY_SECTION)
        printf("under the heading at line %zu, which phrase \"%s\" matches\n", y->heading_line, y->phrase);
    else if (y->member == POSDIFF_WHY_JOIN)
        printf("resembles \"%s\" (similarity %.2f, join bar %.2f)\n", y->joined ? y->joined : "",
               y->joined_similarity, POSDIFF_JOIN_BAR);
    else
        printf("an analyst's decision (review.conf)\n");
    if (!p->prev_statement && p->reviewed)
        printf("    added: an analyst's decision (review.conf, not-same) keeps it from an earlier passage\n");
    else if (!p->prev_statement)
        printf("    added: no earlier passage reaches the weak bar (%.2f)\n", POSDIFF_WEAK_BAR);
    else
        printf("    %s from %s: %s link, similarity %.2f (weak bar %.2f, strong %.2f)%s%s\n",
               posdiff_passage_status_name(p->status), p->prev_statement,
               p->status == POSDIFF_PASSAGE_RESTATED ? "weak" : "strong", p->similarity,
               POSDIFF_WEAK_BAR, POSDIFF_STRONG_BAR, p->revived ? "; revived" : "",
               p->reviewed ? "; reviewed" : "");
    for (size_t c = 0; c < y->candidate_count; c++)
        printf("    %s %.2f %s%s: %.*s\n", c ? "         " : "compared:", y->candidates[c].similarity,
               y->candidates[c].statement, y->dormant[c] ? " (dormant: to be revived it must beat "
               "the active passages by 0.10)" : "", (int)y->candidates[c].len, y->candidates[c].text);
}

static void json_why(const posdiff_passage *p, const posdiff_why *y, int first)
{
    printf("%s{\"line\":%zu,\"text\":", first ? "" : ",", p->line);
    json_string(stdout, p->text, p->len);
    printf(",\"status\":\"%s\",\"member\":\"%s\",\"phrase\":", posdiff_passage_status_name(p->status),
           member_name[y->member]);
    y->phrase ? json_cstring(stdout, y->phrase) : (void)fputs("null", stdout);
    printf(",\"joined\":");
    y->joined ? json_cstring(stdout, y->joined) : (void)fputs("null", stdout);
    printf(",\"joined_similarity\":%.4f,\"previous\":", y->joined_similarity);
    p->prev_statement ? json_cstring(stdout, p->prev_statement) : (void)fputs("null", stdout);
    printf(",\"similarity\":%.4f,\"reviewed\":%s,\"candidates\":[", p->similarity,
           p->reviewed ? "true" : "false");
    for (size_t c = 0; c < y->candidate_count; c++) {
        printf("%s{\"statement\":", c ? "," : "");
        json_cstring(stdout, y->candidates[c].statement);
        printf(",\"text\":");
        json_string(stdout, y->candidates[c].text, y->candidates[c].len);
        printf(",\"similarity\":%.4f,\"dormant\":%s}", y->candidates[c].similarity,
               y->dormant[c] ? "true" : "false");
    }
    printf("]}");
}

/* The report of step @p s of statement @p st for the positions asked. */
static void report(const posdiff_corpus *c, const posdiff_step *s, const posdiff_statement *st,
                   const unsigned char *want, int json)
{
    const posdiff_catalog *cat = posdiff_corpus_catalog(c);
    int first = 1;

    json ? printf("{\"statement\":\"%s\",\"positions\":[", st->id) : printf("why %s (%s)\n", st->id, st->date);
    for (size_t i = 0; i < posdiff_catalog_count(cat); i++) {
        const posdiff_position *pp = posdiff_catalog_position(cat, i);
        if (!want[i])
            continue;
        json ? printf("%s{\"position\":\"%s\",\"passages\":[", first ? "" : ",", pp->id)
             : printf("\n%s (%s)\n", pp->id, pp->title);
        first = 0;
        for (size_t k = 0; k < posdiff_step_passage_count(s, i); k++)
            json ? json_why(posdiff_step_passage(s, i, k), posdiff_step_why(s, i, k), k == 0)
                 : text_why(posdiff_step_passage(s, i, k), posdiff_step_why(s, i, k));
        json ? printf("],\"not_passages\":[") : 0;
        for (size_t r = 0, n = 0; r < pp->review_count; r++)
            if (pp->review[r].kind == POSDIFF_REVIEW_NOT_PASSAGE && !strcmp(pp->review[r].statement, st->id)) {
                if (json)
                    printf("%s", n++ ? "," : ""), json_cstring(stdout, pp->review[r].text);
                else
                    printf("  not a passage (an analyst's decision, review.conf): %s\n", pp->review[r].text);
            }
        json ? printf("]}") : (posdiff_step_passage_count(s, i) ? 0 : printf("  (no passage)\n"));
    }
    json ? printf("]}\n") : 0;
}

/* Step every statement up to @p st through a tracker that explains it. */
static int step_to(posdiff_step **out, const posdiff_corpus *c, const posdiff_statement *st)
{
    posdiff_tracker *t = NULL;
    int rc = posdiff_tracker_new(&t, posdiff_corpus_catalog(c), NULL);

    *out = NULL;
    for (size_t i = 0; rc == 0 && !*out && i < posdiff_corpus_count(c); i++) {
        const posdiff_statement *si = posdiff_corpus_statement(c, i);
        posdiff_normalized *n = NULL;
        posdiff_sentence *sent = NULL;
        posdiff_step *s = NULL;
        size_t count = 0, len;
        const char *md;
        if ((rc = posdiff_corpus_normalize(&n, c, si)) < 0)
            break;
        md = posdiff_normalized_text(n, &len);
        posdiff_tracker_explain(t, si == st);
        if ((rc = posdiff_doc_sentences(&sent, &count, md, len)) == 0 &&
            (rc = posdiff_tracker_step(&s, t, si->id, sent, count)) == 0) {
            if (si == st)
                *out = s; /* the step owns copies of its texts */
            else
                posdiff_step_free(s);
        }
        free(sent);
        posdiff_normalized_free(n);
    }
    posdiff_tracker_free(t);
    return rc;
}

int cmd_why(cli_ctx *ctx, int argc, char **argv)
{
    static const char usage[] = "posdiff why STATEMENT [POSITION...] [--format=text|json]";
    const char *format = "text", *pos[64];
    const cli_opt opts[] = {{"--format", &format, NULL}, {NULL, NULL, NULL}};
    const posdiff_statement *st;
    posdiff_corpus *c = NULL;
    posdiff_step *s = NULL;
    unsigned char *want = NULL;
    int npos = 0, rc, json = !strcmp(format, "json");

    if (cli_parse(ctx, "why", argc, argv, opts, pos, &npos, 64))
        return CLI_ERROR;
    json = !strcmp(format, "json");
    if (npos < 1)
        return cli_error("why needs a STATEMENT; usage: %s", usage);
    if (!json && strcmp(format, "text"))
        return cli_error("--format=%s: not a format of why; use text or json", format);
    if ((rc = cli_open_corpus(&c, ctx, 0)) != 0)
        return rc;
    if (!(st = posdiff_corpus_find(c, pos[0])))
        rc = cli_error("no statement \"%s\" in statements.conf; give a statement id", pos[0]);
    else if (!(want = calloc(posdiff_catalog_count(posdiff_corpus_catalog(c)) + 1, 1)))
        rc = cli_error("out of memory");
    for (int i = 1; rc == 0 && i < npos; i++) {
        long p = posdiff_catalog_find(posdiff_corpus_catalog(c), pos[i]);
        if (p < 0)
            rc = cli_error("no position \"%s\" in positions.conf; posdiff positions lists them", pos[i]);
        else
            want[p] = 1;
    }
    for (size_t i = 0; rc == 0 && npos == 1 && i < posdiff_catalog_count(posdiff_corpus_catalog(c)); i++)
        want[i] = 1;
    if (rc == 0 && step_to(&s, c, st) < 0)
        rc = cli_fail();
    else if (rc == 0)
        report(c, s, st, want, json);
    posdiff_step_free(s);
    free(want);
    posdiff_corpus_free(c);
    return rc;
}
