/*
 * check_blame.c - who said it first (posdiff_blame_position) and the
 * comparison of two statements (posdiff_compare) it shares the aligner
 * with.
 *
 * tcases: core (origins of kept, inserted and added words; runs cover
 * the text), edges (position never stated, not restated lately, bad
 * position), compare (per position, whole document, moves).
 */
#include "check_hist_util.h"

static const hu_statement series[] = {
    {"s-2019", "2019-09", "We support data security for all states.\n"},
    {"s-2020", "2020-10-30",
     "We support data security for all states and companies.\n"},
    {"s-2021", "2021-12-14", "Sovereignty in cyberspace matters to every state.\n"},
    {"s-2022", "2022-05",
     "We support data security for all states and companies.\n\n"
     "Cross-border rules on data security for cloud providers, hospitals, railways "
     "and power grids are new.\n"},
};

static const char positions[] =
    "[position \"data-security\"]\n\ttitle = Data security\n\tmatch = data security\n"
    "[position \"sovereignty\"]\n\ttitle = Sovereignty\n\tmatch = sovereignty\n"
    "[position \"backdoors\"]\n\ttitle = Backdoors\n\tmatch = backdoor\n";

static hu_env env;

static void setup(void)
{
    hu_open(&env, series, 4, positions);
}

static void teardown(void)
{
    hu_close(&env);
}

static posdiff_blame *blame_of(const char *position)
{
    const posdiff_catalog *cat = posdiff_corpus_catalog(env.corpus);
    long i = posdiff_catalog_find(cat, position);
    posdiff_blame *b = NULL;

    ck_assert_int_ge(i, 0);
    ck_assert_msg(posdiff_blame_position(&b, env.history, cat, (size_t)i, NULL) == 0,
                  "blame: %s", posdiff_error_last());
    return b;
}

/* The origin of the run holding @p word in passage @p p. */
static size_t origin_of(const posdiff_blame_passage *p, const char *word)
{
    const char *at = strstr(p->text, word);

    ck_assert_msg(at != NULL, "'%s' not in '%.*s'", word, (int)p->len, p->text);
    for (size_t r = 0; r < p->run_count; r++)
        if ((size_t)(at - p->text) >= p->runs[r].start &&
            (size_t)(at - p->text) < p->runs[r].start + p->runs[r].len)
            return p->runs[r].origin;
    ck_abort_msg("no run covers '%s'", word);
    return 0;
}

START_TEST(test_blame_origins)
{
    posdiff_blame *b = blame_of("data-security");
    const posdiff_blame_passage *p;

    ck_assert_uint_eq(posdiff_blame_statement(b), 3); /* s-2022 */
    ck_assert_uint_eq(posdiff_blame_count(b), 2);
    p = posdiff_blame_passage_at(b, 0);
    ck_assert_uint_eq(origin_of(p, "support"), 0);   /* said in 2019 */
    ck_assert_uint_eq(origin_of(p, "states"), 0);
    ck_assert_uint_eq(origin_of(p, "companies"), 1); /* inserted in 2020 */
    p = posdiff_blame_passage_at(b, 1);
    ck_assert_uint_eq(p->run_count, 1);              /* added in 2022 */
    ck_assert_uint_eq(p->runs[0].origin, 3);
    posdiff_blame_free(b);
}
END_TEST

START_TEST(test_blame_runs_cover_text)
{
    posdiff_blame *b = blame_of("data-security");

    for (size_t k = 0; k < posdiff_blame_count(b); k++) {
        const posdiff_blame_passage *p = posdiff_blame_passage_at(b, k);
        size_t at = 0;
        ck_assert_uint_gt(p->line, 0);
        for (size_t r = 0; r < p->run_count; r++) {
            ck_assert_uint_eq(p->runs[r].start, at);
            ck_assert_uint_gt(p->runs[r].len, 0);
            if (r)
                ck_assert_uint_ne(p->runs[r].origin, p->runs[r - 1].origin);
            at += p->runs[r].len;
        }
        ck_assert_uint_eq(at, p->len);
    }
    posdiff_blame_free(b);
}
END_TEST

START_TEST(test_blame_not_restated_lately)
{
    posdiff_blame *b = blame_of("sovereignty");

    ck_assert_uint_eq(posdiff_blame_statement(b), 2); /* s-2021, not s-2022 */
    ck_assert_uint_eq(posdiff_blame_count(b), 1);
    ck_assert_uint_eq(posdiff_blame_passage_at(b, 0)->runs[0].origin, 2);
    posdiff_blame_free(b);
}
END_TEST

START_TEST(test_blame_never_stated)
{
    posdiff_blame *b = blame_of("backdoors");

    ck_assert_uint_eq(posdiff_blame_statement(b), (size_t)-1);
    ck_assert_uint_eq(posdiff_blame_count(b), 0);
    ck_assert_ptr_null(posdiff_blame_passage_at(b, 0));
    posdiff_blame_free(b);
}
END_TEST

START_TEST(test_blame_bad_position)
{
    posdiff_blame *b = NULL;

    ck_assert_int_eq(posdiff_blame_position(&b, env.history,
                                            posdiff_corpus_catalog(env.corpus), 99, NULL),
                     POSDIFF_EINVALID);
    ck_assert_ptr_null(b);
}
END_TEST

/* ---- compare ---- */

static const char doc_a[] =
    "Alpha bravo charlie delta echo.\n\nFoxtrot golf hotel india juliet.\n\n"
    "Kilo lima mike november oscar.\n";
static const char doc_b[] =
    "Kilo lima mike november oscar.\n\nAlpha bravo charlie delta echo.\n\n"
    "Foxtrot golf hotel india juliet papa.\n\nQuebec romeo sierra tango.\n";

static posdiff_comparison *compare_docs(const char *a, const char *b)
{
    posdiff_normalized *na = NULL, *nb = NULL;
    posdiff_doc_text ta = {"a", NULL, 0}, tb = {"b", NULL, 0};
    posdiff_comparison *c = NULL;

    ck_assert_int_eq(posdiff_normalize(&na, a, strlen(a), NULL), 0);
    ck_assert_int_eq(posdiff_normalize(&nb, b, strlen(b), NULL), 0);
    ta.md = posdiff_normalized_text(na, &ta.len);
    tb.md = posdiff_normalized_text(nb, &tb.len);
    ck_assert_msg(posdiff_compare(&c, NULL, &ta, &tb, NULL) == 0, "%s",
                  posdiff_error_last());
    posdiff_normalized_free(na); /* the comparison keeps copies */
    posdiff_normalized_free(nb);
    return c;
}

START_TEST(test_compare_document_moves)
{
    posdiff_comparison *c = compare_docs(doc_a, doc_b);
    posdiff_compare_stat s;
    int moved = 0;

    ck_assert_uint_eq(posdiff_comparison_count(c), 1);
    ck_assert_int_eq(posdiff_comparison_status(c, 0), POSDIFF_ENTRY_CHANGED);
    posdiff_comparison_stat(&s, c, 0);
    ck_assert_uint_eq(s.added, 1);   /* Quebec ... */
    ck_assert_uint_eq(s.dropped, 0);
    ck_assert_uint_eq(s.changed + s.moved + s.unchanged, 3);
    for (size_t k = 0; k < posdiff_comparison_passage_count(c, 0); k++) {
        const posdiff_passage *p = posdiff_comparison_passage(c, 0, k);
        moved += p->status == POSDIFF_PASSAGE_MOVED;
        if (p->status == POSDIFF_PASSAGE_ADDED)
            ck_assert(p->len > 6 && !memcmp(p->text, "Quebec", 6));
    }
    ck_assert_int_eq(moved, 1); /* one passage moved, not deleted + inserted */
    posdiff_comparison_free(c);
}
END_TEST

START_TEST(test_compare_document_identical)
{
    posdiff_comparison *c = compare_docs(doc_a, doc_a);
    posdiff_compare_stat s;

    posdiff_comparison_stat(&s, c, 0);
    ck_assert_int_eq(posdiff_comparison_status(c, 0), POSDIFF_ENTRY_UNCHANGED);
    ck_assert_uint_eq(s.unchanged, 3);
    ck_assert_uint_eq(s.added + s.changed + s.moved + s.dropped, 0);
    posdiff_comparison_free(c);
}
END_TEST

/* Per position: a position a states and b does not is all dropped. */
START_TEST(test_compare_catalog_dropped_position)
{
    const posdiff_catalog *cat = posdiff_corpus_catalog(env.corpus);
    char *a = NULL, *b = NULL;
    posdiff_doc_text ta = {"s-2020", NULL, 0}, tb = {"s-2021", NULL, 0};
    posdiff_comparison *c = NULL;
    long ds = posdiff_catalog_find(cat, "data-security");
    long sv = posdiff_catalog_find(cat, "sovereignty");

    ck_assert_int_eq(posdiff_history_read(&a, &ta.len, env.history, 1, "statements/2020/s-2020.md"), 0);
    ck_assert_int_eq(posdiff_history_read(&b, &tb.len, env.history, 2, "statements/2021/s-2021.md"), 0);
    ta.md = a;
    tb.md = b;
    ck_assert_int_eq(posdiff_compare(&c, cat, &ta, &tb, NULL), 0);
    ck_assert_uint_eq(posdiff_comparison_count(c), posdiff_catalog_count(cat));
    ck_assert_int_eq(posdiff_comparison_status(c, (size_t)ds), POSDIFF_ENTRY_CHANGED);
    ck_assert_uint_eq(posdiff_comparison_dropped_count(c, (size_t)ds), 1);
    ck_assert_str_eq(posdiff_comparison_dropped(c, (size_t)ds, 0)->statement, "s-2020");
    ck_assert_int_eq(posdiff_comparison_status(c, (size_t)sv), POSDIFF_ENTRY_ADDED);
    ck_assert_uint_eq(posdiff_comparison_passage_count(c, (size_t)sv), 1);
    posdiff_comparison_free(c);
    free(a);
    free(b);
}
END_TEST

static Suite *blame_suite(void)
{
    Suite *s = suite_create("blame");
    TCase *core = tcase_create("core"), *edges = tcase_create("edges");
    TCase *cmp = tcase_create("compare");

    tcase_add_unchecked_fixture(core, setup, teardown);
    tcase_add_test(core, test_blame_origins);
    tcase_add_test(core, test_blame_runs_cover_text);
    tcase_add_unchecked_fixture(edges, setup, teardown);
    tcase_add_test(edges, test_blame_not_restated_lately);
    tcase_add_test(edges, test_blame_never_stated);
    tcase_add_test(edges, test_blame_bad_position);
    tcase_add_unchecked_fixture(cmp, setup, teardown);
    tcase_add_test(cmp, test_compare_document_moves);
    tcase_add_test(cmp, test_compare_document_identical);
    tcase_add_test(cmp, test_compare_catalog_dropped_position);
    suite_add_tcase(s, core);
    suite_add_tcase(s, edges);
    suite_add_tcase(s, cmp);
    return s;
}

TU_MAIN(blame_suite)
