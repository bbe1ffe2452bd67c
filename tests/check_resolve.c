/*
 * check_resolve.c - naming statements (posdiff_history_resolve): ids,
 * dates and date prefixes, ambiguous dates, ids and dates followed by
 * ~N and ^ (the statement N before), git revisions, and the
 * errors for names that match nothing.
 *
 * tcases: core (table of names that resolve), errors (table of names
 * that do not, with the code and a piece of the message).
 */
#include "check_hist_util.h"

static const hu_statement five[] = {
    {"gd-2019", "2019-09", "General debate text.\n"},
    {"sub-2019", "2019-09", "Submission text.\n"},
    {"fc-2020", "2020-10-30", "First committee text.\n"},
    {"oewg-2021", "2021-12-14", "Working group text.\n"},
    {"oewg-2025", "2025-02", "Tenth session text.\n"},
};

static const char positions[] =
    "[position \"p\"]\n\ttitle = P\n\tmatch = text\n";

static hu_env env;

static void setup(void)
{
    hu_open(&env, five, 5, positions);
}

static void teardown(void)
{
    hu_close(&env);
}

static const struct {
    const char *name;
    size_t index;
} good[] = {
    {"gd-2019", 0},    {"oewg-2025", 4},   /* ids */
    {"2020-10-30", 2}, {"2020-10", 2},     {"2020", 2}, /* dates, prefixes */
    {"2021-12", 3},    {"2025-02-20", 4}, /* a day within a month-dated statement */
    {"HEAD", 4},       {"HEAD~1", 3},      {"main~4", 0}, {"HEAD^^", 2},
    {"refs/heads/main~2", 2},
    {"oewg-2025~1", 3}, {"oewg-2025^", 3},     {"oewg-2025~4", 0}, /* ancestry */
    {"oewg-2025~2^", 1}, {"oewg-2021^^", 1},   {"fc-2020~0", 2},
    {"2020~1", 1},      {"2025-02^^^", 1},     {"oewg-2025~", 3},
};

START_TEST(test_resolve_names)
{
    size_t index = 99;
    int rc = posdiff_history_resolve(&index, env.history, good[_i].name);

    ck_assert_msg(rc == 0, "%s: %s", good[_i].name, posdiff_error_last());
    ck_assert_msg(index == good[_i].index, "%s -> %zu, expected %zu",
                  good[_i].name, index, good[_i].index);
}
END_TEST

START_TEST(test_resolve_commit_id)
{
    const posdiff_history_entry *e = posdiff_history_entry_at(env.history, 1);
    char abbrev[13];
    size_t index = 99;

    ck_assert_int_eq(posdiff_history_resolve(&index, env.history, e->commit), 0);
    ck_assert_uint_eq(index, 1);
    snprintf(abbrev, sizeof(abbrev), "%.12s", e->commit);
    ck_assert_int_eq(posdiff_history_resolve(&index, env.history, abbrev), 0);
    ck_assert_uint_eq(index, 1);
}
END_TEST

static const struct {
    const char *name;
    int code;
    const char *message; /* a piece of the message */
} bad[] = {
    {"2019-09", POSDIFF_EINVALID, "gd-2019 (2019-09), sub-2019 (2019-09)"},
    {"2019", POSDIFF_EINVALID, "matches several statements"},
    {"2022", POSDIFF_ENOTFOUND, "no statement dated 2022"},
    {"2021-13", POSDIFF_EINVALID, "does not exist"},
    {"HEAD~5", POSDIFF_ENOTFOUND, "revision 'HEAD~5' does not exist"},
    {"no-such-statement", POSDIFF_ENOTFOUND, "'no-such-statement' is not a statement id"},
    {"refs/heads/nope", POSDIFF_ENOTFOUND, "is not a statement id"},
    {"", POSDIFF_EINVALID, "empty statement name"},
    {"oewg-2025~5", POSDIFF_ENOTFOUND,
     "'oewg-2025~5' goes back past the first statement: oewg-2025 has 4 statements"},
    {"gd-2019^", POSDIFF_ENOTFOUND, "gd-2019 has 0 statements before it"},
    {"2019-09~1", POSDIFF_EINVALID, "matches several statements"},
    {"2022^", POSDIFF_ENOTFOUND, "no statement dated 2022"},
    {"nope~1", POSDIFF_ENOTFOUND, "revision 'nope~1' does not exist"},
};

START_TEST(test_resolve_errors)
{
    size_t index = 99;
    int rc = posdiff_history_resolve(&index, env.history, bad[_i].name);

    ck_assert_msg(rc == bad[_i].code, "%s: %d (%s)", bad[_i].name, rc,
                  posdiff_error_last());
    ck_assert_msg(strstr(posdiff_error_last(), bad[_i].message) != NULL,
                  "%s: message '%s' lacks '%s'", bad[_i].name,
                  posdiff_error_last(), bad[_i].message);
    ck_assert_msg(strchr(posdiff_error_last(), '\n') == NULL, "one line");
}
END_TEST

/* A tree object is a revision but not a commit of the chain. */
START_TEST(test_resolve_not_a_commit)
{
    size_t index;

    ck_assert_int_eq(posdiff_history_resolve(&index, env.history, "HEAD^{tree}"),
                     POSDIFF_ENOTFOUND);
    ck_assert_ptr_nonnull(strstr(posdiff_error_last(), "does not name a commit"));
}
END_TEST

static Suite *resolve_suite(void)
{
    Suite *s = suite_create("resolve");
    TCase *core = tcase_create("core"), *errors = tcase_create("errors");

    tcase_add_unchecked_fixture(core, setup, teardown);
    tcase_add_loop_test(core, test_resolve_names, 0, sizeof(good) / sizeof(good[0]));
    tcase_add_test(core, test_resolve_commit_id);
    tcase_add_unchecked_fixture(errors, setup, teardown);
    tcase_add_loop_test(errors, test_resolve_errors, 0, sizeof(bad) / sizeof(bad[0]));
    tcase_add_test(errors, test_resolve_not_a_commit);
    suite_add_tcase(s, core);
    suite_add_tcase(s, errors);
    return s;
}

TU_MAIN(resolve_suite)
