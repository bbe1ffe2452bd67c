/*
 * check_utf8.c - UTF-8 validation at the door: every kind of bad
 * sequence is rejected with the line and column of its first byte.
 */
#include "check_util.h"

#include "util/utf8.h"

static const struct {
    const char *name, *text;
    size_t len;
    const char *where; /* expected "LINE:COL:" in the message, NULL = valid */
} cases[] = {
    {"ascii", "hello\nworld", 11, NULL},
    {"two-byte", "caf\xc3\xa9", 5, NULL},
    {"cjk", "\xe4\xb8\xad\xe6\x96\x87", 6, NULL},
    {"four-byte", "\xf0\x9f\x98\x80", 4, NULL},
    {"max-code-point", "\xf4\x8f\xbf\xbf", 4, NULL},
    {"lone-continuation", "ab\x80", 3, "1:3:"},
    {"truncated-2", "x\n\xc3", 3, "2:1:"},
    {"truncated-3", "ok\nok\nab\xe4\xb8", 10, "3:3:"},
    {"overlong-2", "\xc0\xaf", 2, "1:1:"},
    {"overlong-3", "\xe0\x80\xaf", 3, "1:1:"},
    {"surrogate", "a\xed\xa0\x80", 4, "1:2:"},
    {"over-10ffff", "\xf4\x90\x80\x80", 4, "1:1:"},
    {"f5-byte", "\xf5\x80\x80\x80", 4, "1:1:"},
    {"nul", "ab\0cd", 5, "1:3:"},
    {"column-counts-chars", "\xc3\xa9\xc3\xa9\xff", 5, "1:3:"},
};

START_TEST(test_utf8_validate_table)
{
    int rc = utf8_validate(cases[_i].text, cases[_i].len, "x.txt");

    if (!cases[_i].where) {
        ck_assert_msg(rc == 0, "%s: %s", cases[_i].name, posdiff_error_last());
        return;
    }
    ck_assert_int_eq(rc, POSDIFF_EUTF8);
    ck_assert_msg(strstr(posdiff_error_last(), cases[_i].where) != NULL,
                  "%s: '%s' lacks %s", cases[_i].name, posdiff_error_last(), cases[_i].where);
    ck_assert(strncmp(posdiff_error_last(), "x.txt:", 6) == 0);
}
END_TEST

START_TEST(test_utf8_classes)
{
    ck_assert(utf8_is_alnum('a') && utf8_is_alnum('7'));
    ck_assert(utf8_is_alnum(0x4E2D));  /* CJK ideograph */
    ck_assert(utf8_is_alnum(0x0301));  /* combining acute */
    ck_assert(!utf8_is_alnum('.'));
    ck_assert(utf8_is_space(0x00A0));  /* NBSP */
    ck_assert(!utf8_is_space(0x200B)); /* ZWSP is a format char, not Zs */
}
END_TEST

static Suite *utf8_suite(void)
{
    Suite *s = suite_create("utf8");
    TCase *tc = tcase_create("core");

    tcase_add_loop_test(tc, test_utf8_validate_table, 0, sizeof(cases) / sizeof(cases[0]));
    tcase_add_test(tc, test_utf8_classes);
    suite_add_tcase(s, tc);
    return s;
}

TU_MAIN(utf8_suite)
