/*
 * check_catalog.c - the catalog of positions and phrase matching.
 */
#include "check_util.h"

#include <posdiff/catalog.h>

typedef struct {
    const char *phrase;
    const char *sentence;
    int match;
} match_case;

static const match_case cases[] = {
    /* plain, case */
    {"data security", "Data Security is a prominent issue.", 1},
    {"data security", "DATA SECURITY matters.", 1},
    {"data security", "Security of data matters.", 0},
    /* function words in a phrase are dropped: store..data */
    {"store the data", "not to store data generated overseas", 1},
    {"store the data", "companies to store the data generated", 1},
    {"store the data", "data stored in the cloud", 0},
    {"data storage", "issues like data storage, cross-border data flow", 1},
    /* stems: plurals, verb forms */
    {"backdoor", "should not install backdoors in their products", 1},
    {"backdoor", "a back door", 0},
    {"legally binding", "a legally-binding instrument", 1},
    {"legal instrument", "new legal instruments", 1},
    {"militarization", "the militarisation of cyberspace", 0},
    {"store data", "States stored the data", 1},
    {"arms race", "an arms-race in cyberspace", 1},
    /* hyphen variants, both ways */
    {"single-track", "a single track process", 1},
    {"single-track", "a single-track process", 1},
    {"single track", "a single-track process", 1},
    {"single-track", "a single\xE2\x80\x91track process", 1},
    {"cross-border data flow", "cross border data flows", 1},
    {"single-track", "a track for singles", 0},
    /* gaps: at most 2 words between consecutive phrase words */
    {"data security", "data and its security", 1},
    {"data security", "data and network security", 1},
    {"data security", "data, ICT and network security", 0},
    {"data security", "data and all its network security", 0},
    {"data security", "data x y z security", 0},
    {"permanent mechanism", "a permanent, inclusive and open mechanism", 0},
    {"permanent mechanism", "a permanent inclusive mechanism", 1},
    /* order matters */
    {"data security", "security of the data", 0},
    /* repeated words, later start succeeds */
    {"data security", "data a b c data security", 1},
    {"x y x", "x y q x", 1},
    {"x y x", "x y q r s x", 0},
    /* unicode case folding */
    {"sovereignty", "SOVEREIGNTY in cyberspace", 1},
    {"\xC3\xA9tat", "\xC3\x89TAT souverain", 1},
    /* apostrophes */
    {"china", "China's position", 1},
    {"china", "China\xE2\x80\x99s position", 1},
    /* non-matches */
    {"data security", "", 0},
    {"data security", "...", 0},
    {"battlefield", "the field of battle", 0},
};

START_TEST(test_catalog_matches_table)
{
    const match_case *c = &cases[_i];
    const char *m[1] = {c->phrase};
    posdiff_position p = {"p", "P", m, 1, NULL, 0, NULL, 0, NULL, 0};
    posdiff_catalog *cat = NULL;

    ck_assert_int_eq(posdiff_catalog_new(&cat, &p, 1), 0);
    ck_assert_msg(posdiff_catalog_matches(cat, 0, c->sentence,
                                          strlen(c->sentence)) == c->match,
                  "phrase \"%s\" in \"%s\": expected %d", c->phrase,
                  c->sentence, c->match);
    posdiff_catalog_free(cat);
}
END_TEST

/* Not NUL-terminated input: only len bytes are read. */
START_TEST(test_catalog_matches_len)
{
    const char *m[] = {"data security"};
    posdiff_position p = {"p", NULL, m, 1, NULL, 0, NULL, 0, NULL, 0};
    posdiff_catalog *cat = NULL;
    const char *s = "data securityXYZ";

    ck_assert_int_eq(posdiff_catalog_new(&cat, &p, 1), 0);
    ck_assert_str_eq(posdiff_catalog_position(cat, 0)->title, "");
    ck_assert_int_eq(posdiff_catalog_matches(cat, 0, s, 13), 1);
    ck_assert_int_eq(posdiff_catalog_matches(cat, 0, s, 16), 0);
    ck_assert_int_eq(posdiff_catalog_matches(cat, 0, s, 4), 0);
    ck_assert_int_eq(posdiff_catalog_matches(cat, 1, s, 13), 0);
    posdiff_catalog_free(cat);
}
END_TEST

START_TEST(test_catalog_copies_and_finds)
{
    char id[] = "data-security", phrase[] = "data security";
    const char *m[] = {phrase, "store the data"};
    const char *m2[] = {"backdoor"};
    posdiff_position p[2] = {{id, "Data security", m, 2, NULL, 0, NULL, 0, NULL, 0},
                             {"backdoors", "Backdoors", m2, 1, NULL, 0, NULL, 0, NULL, 0}};
    posdiff_catalog *cat = NULL;
    const posdiff_position *q;

    ck_assert_int_eq(posdiff_catalog_new(&cat, p, 2), 0);
    id[0] = 'X';
    phrase[0] = 'X';
    ck_assert_uint_eq(posdiff_catalog_count(cat), 2);
    q = posdiff_catalog_position(cat, 0);
    ck_assert_str_eq(q->id, "data-security");
    ck_assert_str_eq(q->match[0], "data security");
    ck_assert_uint_eq(q->match_count, 2);
    ck_assert_int_eq(posdiff_catalog_find(cat, "backdoors"), 1);
    ck_assert_int_eq(posdiff_catalog_find(cat, "nope"), -1);
    ck_assert_ptr_null(posdiff_catalog_position(cat, 2));
    ck_assert_int_eq(posdiff_catalog_matches(cat, 0, "our data security", 17), 1);
    ck_assert_int_eq(posdiff_catalog_matches(cat, 1, "our data security", 17), 0);
    ck_assert_int_eq(posdiff_catalog_matches(cat, 1, "no backdoors", 12), 1);
    posdiff_catalog_free(cat);
}
END_TEST

/* The shipped catalog's data-security position catches both wordings. */
START_TEST(test_catalog_shipped_phrases)
{
    const char *m[] = {"data security", "store the data", "data storage",
                       "cross-border data flow", "cross border data flow"};
    posdiff_position p = {"data-security", "Data security", m, 5, NULL, 0, NULL, 0, NULL, 0};
    posdiff_catalog *cat = NULL;
    const char *s2020 = "States should not request domestic companies to "
                        "store the data generated and obtained overseas";
    const char *s2025 = "issues like data storage, cross-border data flow "
                        "and AI-related data could be topics";

    ck_assert_int_eq(posdiff_catalog_new(&cat, &p, 1), 0);
    ck_assert_int_eq(posdiff_catalog_matches(cat, 0, s2020, strlen(s2020)), 1);
    ck_assert_int_eq(posdiff_catalog_matches(cat, 0, s2025, strlen(s2025)), 1);
    posdiff_catalog_free(cat);
}
END_TEST

typedef struct {
    const char *id;
    const char *phrase; /* NULL: no phrase */
} bad_case;

static const bad_case bad[] = {
    {"Data", "x"}, {"-data", "x"}, {"", "x"}, {"a/b", "x"},
    {"a..b", "x"}, {"ok", NULL},   {"ok", "..."}, {"ok", ""},
    {"ok", "a"},   {"ok", "of the"}, /* function words only: every sentence */
};

START_TEST(test_catalog_rejects)
{
    const char *m[1] = {bad[_i].phrase};
    posdiff_position p = {bad[_i].id, "T", m, bad[_i].phrase ? 1 : 0, NULL, 0, NULL, 0, NULL, 0};
    posdiff_catalog *cat = (posdiff_catalog *)&p;

    ck_assert_int_eq(posdiff_catalog_new(&cat, &p, 1), POSDIFF_EINVALID);
    ck_assert_ptr_null(cat);
    ck_assert_str_ne(posdiff_error_last(), "");
}
END_TEST

START_TEST(test_catalog_rejects_duplicate)
{
    const char *m[] = {"x"};
    posdiff_position p[2] = {{"a", "A", m, 1, NULL, 0, NULL, 0, NULL, 0}, {"a", "B", m, 1, NULL, 0, NULL, 0, NULL, 0}};
    posdiff_catalog *cat = NULL;

    ck_assert_int_eq(posdiff_catalog_new(&cat, p, 2), POSDIFF_EINVALID);
    ck_assert_ptr_null(cat);
    ck_assert_int_eq(posdiff_catalog_new(&cat, NULL, 0), 0);
    ck_assert_uint_eq(posdiff_catalog_count(cat), 0);
    posdiff_catalog_free(cat);
    posdiff_catalog_free(NULL);
}
END_TEST

/* Cost: a long sentence is matched in linear-ish time. */
START_TEST(test_catalog_long_sentence)
{
    const char *m[] = {"data x security"};
    posdiff_position p = {"p", "P", m, 1, NULL, 0, NULL, 0, NULL, 0};
    posdiff_catalog *cat = NULL;
    size_t n = 200000, len = 0;
    char *s = malloc(n * 5 + 32);

    ck_assert_ptr_nonnull(s);
    for (size_t i = 0; i < n; i++) {
        memcpy(s + len, "data ", 5);
        len += 5;
    }
    ck_assert_int_eq(posdiff_catalog_new(&cat, &p, 1), 0);
    ck_assert_int_eq(posdiff_catalog_matches(cat, 0, s, len), 0);
    memcpy(s + len, "x y security", 12);
    ck_assert_int_eq(posdiff_catalog_matches(cat, 0, s, len + 12), 1);
    posdiff_catalog_free(cat);
    free(s);
}
END_TEST

static Suite *catalog_suite(void)
{
    Suite *s = suite_create("catalog");
    TCase *core = tcase_create("core");
    TCase *errors = tcase_create("errors");
    TCase *limits = tcase_create("limits");
    int ncases = (int)(sizeof(cases) / sizeof(*cases));
    int nbad = (int)(sizeof(bad) / sizeof(*bad));

    tcase_add_loop_test(core, test_catalog_matches_table, 0, ncases);
    tcase_add_test(core, test_catalog_matches_len);
    tcase_add_test(core, test_catalog_copies_and_finds);
    tcase_add_test(core, test_catalog_shipped_phrases);
    tcase_add_loop_test(errors, test_catalog_rejects, 0, nbad);
    tcase_add_test(errors, test_catalog_rejects_duplicate);
    tcase_add_test(limits, test_catalog_long_sentence);
    suite_add_tcase(s, core);
    suite_add_tcase(s, errors);
    suite_add_tcase(s, limits);
    return s;
}

TU_MAIN(catalog_suite)
