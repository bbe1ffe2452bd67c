/*
 * cmd_review.c - posdiff review KIND POSITION STATEMENT SENTENCE
 *                [OLD-STATEMENT OLD-SENTENCE]: record an analyst's
 * decision in review.conf, once the sentences are found in the
 * statements as normalized (so that build finds them again).
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char usage[] =
    "posdiff review passage|not-passage POSITION STATEMENT SENTENCE\n"
    "   or: posdiff review same|not-same POSITION STATEMENT SENTENCE OLD-STATEMENT OLD-SENTENCE";

/* Is @p text a sentence of statement @p id?  0, or an exit code. */
static int find_sentence(const posdiff_corpus *c, const char *id, const char *text)
{
    const posdiff_statement *st = posdiff_corpus_find(c, id);
    posdiff_normalized *n = NULL;
    posdiff_sentence *s = NULL;
    size_t count = 0, len, k = 0;
    const char *md;

    if (!st)
        return cli_error("no statement \"%s\" in statements.conf; give a statement id "
                         "(posdiff positions --matrix lists them)", id);
    if (posdiff_corpus_normalize(&n, c, st) < 0)
        return cli_fail();
    md = posdiff_normalized_text(n, &len);
    if (posdiff_doc_sentences(&s, &count, md, len) < 0) {
        posdiff_normalized_free(n);
        return cli_fail();
    }
    while (k < count && (s[k].heading || s[k].len != strlen(text) || memcmp(s[k].text, text, s[k].len)))
        k++;
    free(s);
    posdiff_normalized_free(n);
    return k < count ? 0 : cli_error("statement \"%s\" has no sentence \"%s\"; copy it as "
                                     "posdiff normalize %s prints it, one line", id, text, id);
}

int cmd_review(cli_ctx *ctx, int argc, char **argv)
{
    const cli_opt opts[] = {{NULL, NULL, NULL}};
    const char *pos[6];
    posdiff_corpus *c = NULL;
    posdiff_review r = {0};
    int npos = 0, rc, k = 0, need;

    if (cli_parse(ctx, "review", argc, argv, opts, pos, &npos, 6))
        return CLI_ERROR;
    while (npos > 0 && k < 4 && strcmp(pos[0], posdiff_review_kind_name((posdiff_review_kind)k)))
        k++;
    need = k < 2 ? 4 : 6;
    if (npos == 0 || k == 4 || npos != need)
        return cli_error("%s; usage: %s", npos == 0 || k < 4 ? "wrong number of arguments"
                                                              : "unknown decision", usage);
    r = (posdiff_review){(posdiff_review_kind)k, pos[2], pos[3], k < 2 ? NULL : pos[4],
                         k < 2 ? NULL : pos[5]};
    if ((rc = cli_open_corpus(&c, ctx, 0)) != 0)
        return rc;
    if (posdiff_catalog_find(posdiff_corpus_catalog(c), pos[1]) < 0)
        rc = cli_error("no position \"%s\" in positions.conf; posdiff positions lists them", pos[1]);
    else if ((rc = find_sentence(c, r.statement, r.text)) == 0 && k >= 2 &&
             (rc = find_sentence(c, r.old_statement, r.old_text)) == 0 &&
             posdiff_corpus_find(c, r.old_statement) >= posdiff_corpus_find(c, r.statement))
        rc = cli_error("statement \"%s\" is not earlier than \"%s\"; a link goes from a "
                       "statement to an earlier one", r.old_statement, r.statement);
    if (rc == 0 && posdiff_corpus_review_add(posdiff_corpus_dir(c), pos[1], &r) < 0)
        rc = cli_fail();
    else if (rc == 0)
        printf("Recorded in %s/review.conf: %s %s; run posdiff build to apply it\n",
               posdiff_corpus_dir(c), pos[0], pos[1]);
    posdiff_corpus_free(c);
    return rc;
}
