/*
 * check_discover.c - recurring passages no position tracks (discover.h),
 * on hand-written statements: two statements restate an untracked point
 * (undersea cables) and a third does not; a tracked point (data
 * security) is never a candidate; with the position, a restatement the
 * tracker could not join (it comes before the passage) is found, with a
 * phrase the catalog accepts and that catches both.
 */
#include "check_util.h"

#include <posdiff/discover.h>

static const char *const stmts[][5] = {
    {"Undersea cables must be protected from sabotage by every state.",
     "States must protect undersea cables against any sabotage.",
     "We must protect personal information of citizens and ensure the security of their data.",
     "The weather in Geneva was pleasant during the session.", NULL},
    {"All states should ensure data security and protect personal information of citizens.",
     "The secretariat prepared an excellent report on capacity building.",
     "Regional organisations play a useful role in confidence building.", NULL},
    {"Every state must protect undersea cables from sabotage.",
     "Developing countries need help to bridge the digital divide.",
     "States should ensure data security in cross-border flows.", NULL}};

static posdiff_catalog *cat;

static void setup(void)
{
    static const char *ds[] = {"data security"};
    static const posdiff_position p = {"data-security", "Data security", ds, 1, NULL, 0, NULL, 0, NULL, 0};
    ck_assert_int_eq(posdiff_catalog_new(&cat, &p, 1), 0);
}

static void teardown(void)
{
    posdiff_catalog_free(cat);
    cat = NULL;
}

static posdiff_discovery *discover(size_t min, long position)
{
    posdiff_discover_options o = POSDIFF_DISCOVER_OPTIONS_INIT;
    posdiff_discovery *d = NULL;
    static const char *const ids[] = {"s0", "s1", "s2"};

    o.min_statements = min;
    o.position = position;
    ck_assert_int_eq(posdiff_discovery_new(&d, cat, &o), 0);
    for (size_t i = 0; i < 3; i++) {
        posdiff_sentence s[5];
        size_t n = 0;
        for (; stmts[i][n]; n++)
            s[n] = (posdiff_sentence){stmts[i][n], strlen(stmts[i][n]), n + 1, 0};
        ck_assert_int_eq(posdiff_discovery_add(d, ids[i], s, n), 0);
    }
    ck_assert_msg(posdiff_discovery_run(d) == 0, "%s", posdiff_error_last());
    return d;
}

/* Whether phrase @p ph, as a match phrase, catches @p text. */
static int catches(const char *ph, const char *text)
{
    const posdiff_position p = {"x", NULL, &ph, 1, NULL, 0, NULL, 0, NULL, 0};
    posdiff_catalog *c = NULL;
    int hit;

    ck_assert_msg(posdiff_catalog_new(&c, &p, 1) == 0, "phrase '%s' refused: %s", ph,
                  posdiff_error_last());
    hit = posdiff_catalog_matches(c, 0, text, strlen(text));
    posdiff_catalog_free(c);
    return hit;
}

START_TEST(test_discover_groups_untracked)
{
    posdiff_discovery *d = discover(2, -1);
    const posdiff_candidate *c;

    ck_assert_uint_eq(posdiff_discovery_count(d), 1);
    c = posdiff_discovery_at(d, 0);
    ck_assert_uint_eq(c->count, 2); /* one sentence per statement */
    ck_assert_uint_eq(c->sentences[0].statement, 0);
    ck_assert_uint_eq(c->sentences[1].statement, 2);
    ck_assert_ptr_null(c->like);
    for (size_t k = 0; k < c->count; k++)
        ck_assert_ptr_nonnull(strstr(c->sentences[k].text, "ndersea cables"));
    ck_assert_uint_ge(c->phrase_count, 1);
    for (size_t k = 0; k < c->count; k++) {
        int any = 0;
        for (size_t p = 0; p < c->phrase_count; p++)
            any |= catches(c->phrases[p], c->sentences[k].text);
        ck_assert_msg(any, "no phrase catches '%s'", c->sentences[k].text);
    }
    for (size_t i = 0; i < 3; i++)
        for (size_t k = 0; stmts[i][k]; k++)
            if (!strstr(stmts[i][k], "ndersea"))
                ck_assert_msg(!catches(c->phrases[0], stmts[i][k]), "'%s' catches '%s'",
                              c->phrases[0], stmts[i][k]);
    posdiff_discovery_free(d);
}
END_TEST

START_TEST(test_discover_min_statements)
{
    posdiff_discovery *d = discover(3, -1);

    ck_assert_uint_eq(posdiff_discovery_count(d), 0); /* only two state it */
    ck_assert_ptr_null(posdiff_discovery_at(d, 0));
    posdiff_discovery_free(d);
}
END_TEST

START_TEST(test_discover_position)
{
    posdiff_discovery *d = discover(0, 0);
    const posdiff_candidate *c;

    ck_assert_uint_eq(posdiff_discovery_count(d), 1);
    c = posdiff_discovery_at(d, 0);
    ck_assert_uint_eq(c->count, 1);
    ck_assert_str_eq(c->sentences[0].text, stmts[0][2]);
    ck_assert_ptr_nonnull(c->like);
    ck_assert_uint_eq(c->like->statement, 1);
    ck_assert_str_eq(c->like->text, stmts[1][0]);
    ck_assert(c->similarity >= 0.5 && c->similarity <= 1.0);
    ck_assert_uint_eq(c->phrase_count, 1);
    ck_assert(catches(c->phrases[0], stmts[0][2]));
    ck_assert(catches(c->phrases[0], stmts[1][0]));
    posdiff_discovery_free(d);
}
END_TEST

START_TEST(test_discover_errors)
{
    posdiff_discover_options o = POSDIFF_DISCOVER_OPTIONS_INIT;
    posdiff_discovery *d = NULL;

    o.position = 1;
    ck_assert_int_eq(posdiff_discovery_new(&d, cat, &o), POSDIFF_EINVALID);
    ck_assert_ptr_null(d);
    posdiff_discovery_free(NULL);
    ck_assert_int_eq(posdiff_discovery_new(&d, cat, NULL), 0);
    ck_assert_int_eq(posdiff_discovery_run(d), 0); /* nothing fed */
    ck_assert_uint_eq(posdiff_discovery_count(d), 0);
    posdiff_discovery_free(d);
}
END_TEST

static Suite *discover_suite(void)
{
    Suite *s = suite_create("discover");
    TCase *core = tcase_create("core");
    TCase *errors = tcase_create("errors");

    tcase_add_checked_fixture(core, setup, teardown);
    tcase_add_test(core, test_discover_groups_untracked);
    tcase_add_test(core, test_discover_min_statements);
    tcase_add_test(core, test_discover_position);
    tcase_add_checked_fixture(errors, setup, teardown);
    tcase_add_test(errors, test_discover_errors);
    suite_add_tcase(s, core);
    suite_add_tcase(s, errors);
    return s;
}

TU_MAIN(discover_suite)
