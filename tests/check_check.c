/*
 * check_check.c - posdiff check's engine: posdiff_history_status,
 * posdiff_check_run (findings and their raw lines), the source map
 * (check_srcmap.c) and the finding kind names.
 *
 * Corpora are made in temporary directories with the public API
 * (posdiff_corpus_init / posdiff_corpus_add) plus a positions.conf
 * written here.
 *
 * tcases: status (missing, up to date, behind, diverged), run
 * (changes, invalid, warnings, new ids), srcmap (table-driven), names.
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <unistd.h>

#include "check/check_int.h"
#include "check_util.h"

static const char positions_conf[] =
    "[position \"data-security\"]\n\ttitle = Data security\n\tmatch = data "
    "security\n"
    "[position \"ghost\"]\n\ttitle = Never said\n\tmatch = zebra crossing\n";

static const char *const texts[] = {
    "Mr. Chair,\n\nStates should protect data security through global "
    "rules.\n\n"
    "Peace matters to everyone.\n",
    "Mr. Chair,\n\nStates should protect data security through binding global "
    "rules.\n\n"
    "Peace matters to everyone.\n",
};

static char *write_tmp(const char *dir, const char *name, const char *text)
{
    char *p = NULL;
    FILE *f;

    ck_assert(asprintf(&p, "%s/%s", dir, name) > 0);
    ck_assert((f = fopen(p, "wb")) != NULL);
    fputs(text, f);
    fclose(f);
    return p;
}

static void add(const char *dir, const char *text, const char *date,
                const char *id)
{
    posdiff_add_options o = POSDIFF_ADD_OPTIONS_INIT;
    char *p = write_tmp("/tmp", "posdiff-check-input.txt", text);

    o.date = date;
    o.id = id;
    ck_assert_msg(posdiff_corpus_add(NULL, dir, p, &o) == 0, "%s",
                  posdiff_error_last());
    unlink(p);
    free(p);
}

/* A corpus of two statements (texts[0], texts[1]); returns its dir. */
static char *make_corpus(void)
{
    char tmpl[] = "/tmp/posdiff-check-XXXXXX", *dir;

    ck_assert(mkdtemp(tmpl) != NULL);
    dir = strdup(tmpl);
    ck_assert_int_eq(posdiff_corpus_init(dir), 0);
    free(write_tmp(dir, "positions.conf", positions_conf));
    add(dir, texts[0], "2020-01-01", "a");
    add(dir, texts[1], "2021-01-01", "b");
    return dir;
}

static void rm_rf(char *dir)
{
    char *cmd = NULL;

    ck_assert(asprintf(&cmd, "rm -rf '%s'", dir) > 0);
    ck_assert_int_eq(system(cmd), 0);
    free(cmd);
    free(dir);
}

static posdiff_corpus *open_corpus(const char *dir)
{
    posdiff_corpus *c = NULL;

    ck_assert_msg(posdiff_corpus_open(&c, dir) == 0, "%s",
                  posdiff_error_last());
    return c;
}

static const posdiff_finding *find(const posdiff_check *k,
                                   posdiff_finding_kind kind, const char *rule)
{
    for (size_t i = 0; i < posdiff_check_count(k); i++) {
        const posdiff_finding *f = posdiff_check_finding(k, i);
        if (f->kind == kind && (!rule || (f->rule && !strcmp(f->rule, rule))))
            return f;
    }
    return NULL;
}

static posdiff_check *run_check(const posdiff_corpus *c, int build)
{
    posdiff_check_options o = POSDIFF_CHECK_OPTIONS_INIT;
    posdiff_check *k = NULL;

    o.build = build;
    ck_assert_msg(posdiff_check_run(&k, c, &o) == 0, "%s",
                  posdiff_error_last());
    return k;
}

/* ---- status ------------------------------------------------------------- */

START_TEST(test_check_history_status)
{
    char *dir = make_corpus();
    posdiff_corpus *c = open_corpus(dir);
    posdiff_history_status_result s;
    posdiff_build_result br;

    ck_assert_int_eq(posdiff_history_status(&s, c, NULL), 0);
    ck_assert_int_eq(s.state, POSDIFF_HISTORY_MISSING);
    ck_assert_uint_eq(s.statements, 2);
    ck_assert_int_eq(posdiff_history_build(&br, c, NULL), 0);
    ck_assert_int_eq(posdiff_history_status(&s, c, NULL), 0);
    ck_assert_int_eq(s.state, POSDIFF_HISTORY_UP_TO_DATE);
    ck_assert_uint_eq(s.matching, 2);
    ck_assert_uint_eq(s.commits, 2);
    posdiff_corpus_free(c);

    add(dir, "Mr. Chair,\nData security again, now in 2022.\n", "2022-01-01",
        "c");
    c = open_corpus(dir);
    ck_assert_int_eq(posdiff_history_status(&s, c, NULL), 0);
    ck_assert_int_eq(s.state, POSDIFF_HISTORY_BEHIND);
    ck_assert_uint_eq(s.matching, 2);
    posdiff_corpus_free(c);

    free(write_tmp(dir, "statements/a.txt",
                   "Mr. Chair,\nA changed first statement.\n"));
    c = open_corpus(dir);
    ck_assert_int_eq(posdiff_history_status(&s, c, NULL), 0);
    ck_assert_int_eq(s.state, POSDIFF_HISTORY_DIVERGED);
    ck_assert_uint_eq(s.matching, 0);
    ck_assert_str_eq(posdiff_history_state_name(s.state), "diverged");
    ck_assert_int_eq(posdiff_history_build(&br, c, NULL), 0);
    ck_assert_int_eq(posdiff_history_status(&s, c, NULL), 0);
    ck_assert_int_eq(s.state, POSDIFF_HISTORY_UP_TO_DATE);
    posdiff_corpus_free(c);
    rm_rf(dir);
}
END_TEST

/* ---- run ---------------------------------------------------------------- */

START_TEST(test_check_run_changes)
{
    char *dir = make_corpus();
    posdiff_corpus *c = open_corpus(dir);
    posdiff_check *k = run_check(c, 0);
    const posdiff_finding *f = find(k, POSDIFF_FINDING_CHANGED, NULL);

    ck_assert_uint_eq(posdiff_check_new_count(k), 1);
    ck_assert_str_eq(posdiff_check_new(k, 0)->id, "b");
    ck_assert_ptr_nonnull(f);
    ck_assert_str_eq(f->statement, "b");
    ck_assert_str_eq(f->position, "data-security");
    ck_assert_str_eq(f->file, "statements/b.txt");
    ck_assert_uint_eq(f->line, 3); /* raw line */
    ck_assert_str_eq(f->prev_statement, "a");
    ck_assert_ptr_nonnull(f->ops);
    ck_assert_ptr_null(find(k, POSDIFF_FINDING_INVALID, NULL));
    /* the ghost position matches nothing anywhere */
    f = find(k, POSDIFF_FINDING_WARNING, "no-match");
    ck_assert_ptr_nonnull(f);
    ck_assert_str_eq(f->file, "positions.conf");
    ck_assert_uint_eq(f->line, 4);
    ck_assert_ptr_nonnull(strstr(f->message, "\"ghost\""));
    /* a missing history is not a finding; the status says so */
    ck_assert_int_eq(posdiff_check_history_of(k)->status.state,
                     POSDIFF_HISTORY_MISSING);
    posdiff_check_free(k);
    posdiff_corpus_free(c);
    rm_rf(dir);
}
END_TEST

START_TEST(test_check_run_invalid)
{
    char *dir = make_corpus();
    posdiff_corpus *c;
    posdiff_check *k;
    const posdiff_finding *f;

    free(write_tmp(dir, "statements/a.txt", "Mr. Chair,\nbad \xff byte\n"));
    add(dir, texts[0], "2022-01-01", "c");
    free(write_tmp(dir, "statements/b.txt", texts[0])); /* b == c now */
    c = open_corpus(dir);
    k = run_check(c, 1);
    f = find(k, POSDIFF_FINDING_INVALID, "normalize");
    ck_assert_ptr_nonnull(f);
    ck_assert_str_eq(f->statement, "a");
    ck_assert_uint_eq(f->line, 2); /* the line of the invalid byte */
    f = find(k, POSDIFF_FINDING_INVALID, "duplicate");
    ck_assert_ptr_nonnull(f);
    ck_assert_str_eq(f->statement, "c");
    ck_assert_ptr_nonnull(strstr(f->message, "\"b\""));
    /* --build refused: a statement is invalid */
    ck_assert_ptr_nonnull(find(k, POSDIFF_FINDING_INVALID, "history"));
    ck_assert_int_eq(posdiff_check_history_of(k)->built, 0);
    posdiff_check_free(k);
    posdiff_corpus_free(c);
    rm_rf(dir);
}
END_TEST

START_TEST(test_check_run_new_ids)
{
    char *dir = make_corpus();
    posdiff_corpus *c = open_corpus(dir);
    posdiff_check_options o = POSDIFF_CHECK_OPTIONS_INIT;
    const char *ids[] = {"a"}, *bad[] = {"zz"};
    posdiff_check *k = NULL;

    o.new_ids = ids;
    o.new_count = 1;
    o.history = 0;
    ck_assert_int_eq(posdiff_check_run(&k, c, &o), 0);
    ck_assert_ptr_nonnull(find(k, POSDIFF_FINDING_ADDED, NULL));
    ck_assert_ptr_null(posdiff_check_history_of(k));
    posdiff_check_free(k);
    o.new_count = 0; /* non-NULL ids, none: nothing reported */
    ck_assert_int_eq(posdiff_check_run(&k, c, &o), 0);
    ck_assert_uint_eq(posdiff_check_new_count(k), 0);
    posdiff_check_free(k);
    o.new_ids = bad;
    o.new_count = 1;
    ck_assert_int_eq(posdiff_check_run(&k, c, &o), POSDIFF_ENOTFOUND);
    ck_assert_ptr_nonnull(strstr(posdiff_error_last(), "zz"));
    o.version = 99;
    ck_assert_int_eq(posdiff_check_run(&k, c, &o), POSDIFF_EINVALID);
    posdiff_corpus_free(c);
    rm_rf(dir);
}
END_TEST

START_TEST(test_check_since_rev_without_git)
{
    char *dir = make_corpus();
    posdiff_corpus *c = open_corpus(dir);
    char **ids = NULL, *prefix = NULL;
    size_t n = 0;

    ck_assert_int_eq(posdiff_check_since_rev(&ids, &n, c, "HEAD"),
                     POSDIFF_ENOTFOUND);
    ck_assert_ptr_nonnull(strstr(posdiff_error_last(), "--new"));
    ck_assert_int_eq(posdiff_check_path_prefix(&prefix, c), 0);
    ck_assert_ptr_nonnull(prefix); /* absolute or relative: ends with '/' */
    ck_assert(prefix[0] == '\0' || prefix[strlen(prefix) - 1] == '/');
    free(prefix);
    posdiff_corpus_free(c);
    rm_rf(dir);
}
END_TEST

/* ---- srcmap ------------------------------------------------------------- */

static const struct {
    const char *raw, *md, *passage;
    size_t norm_line, want;
} srcmap_cases[] = {
    /* front matter skipped; a page break joined; CRLF */
    {"Title\r\n\r\nFirst line of\r\ntext. Second one.\r\n",
     "<!-- x -->\n# Title\n\nFirst line of text.\nSecond one.\n", "Second one.",
     5, 4},
    /* a sentence said twice maps to its own occurrence */
    {"We agree.\nOther text.\nWe agree.\n",
     "We agree.\nOther text.\nWe agree.\n", "We agree.", 3, 3},
    /* missing space repaired, curly quotes and no-break spaces */
    {"Intro.\ncommunity.The \xe2\x80\x9cword\xe2\x80\x9d\xc2\xa0here\n",
     "Intro.\ncommunity.\nThe \"word\" here\n", "The \"word\" here", 3, 2},
    /* a renumbered list marker: the line's words after the first */
    {"a) One item\nb) Two item\n", "1. One item\n2. Two item\n", "Two item", 2,
     2},
    /* nothing matches: 0 */
    {"Alpha beta.\n", "Gamma delta.\n", "Gamma delta.", 1, 0},
};

START_TEST(test_check_srcmap_lines)
{
    srcmap m;
    const char *md = srcmap_cases[_i].md;
    size_t body =
        strncmp(md, "<!--", 4) ? 0 : (size_t)(strchr(md, '\n') - md + 1);

    ck_assert_int_eq(srcmap_build(&m, srcmap_cases[_i].raw,
                                  strlen(srcmap_cases[_i].raw), md, strlen(md),
                                  body),
                     0);
    ck_assert_uint_eq(srcmap_line(&m, srcmap_cases[_i].passage,
                                  strlen(srcmap_cases[_i].passage),
                                  srcmap_cases[_i].norm_line),
                      srcmap_cases[_i].want);
    srcmap_free(&m);
}
END_TEST

/* ---- names -------------------------------------------------------------- */

START_TEST(test_check_kind_names)
{
    for (int k = 0; k < POSDIFF_FINDING_KIND_COUNT; k++) {
        const char *name = posdiff_finding_kind_name((posdiff_finding_kind)k);
        ck_assert_int_eq(posdiff_finding_kind_parse(name, strlen(name)), k);
    }
    ck_assert_int_eq(posdiff_finding_kind_parse("not-restated", 12),
                     POSDIFF_FINDING_NOT_RESTATED);
    ck_assert_int_eq(posdiff_finding_kind_parse("dropped,x", 7),
                     POSDIFF_FINDING_DROPPED);
    ck_assert_int_eq(posdiff_finding_kind_parse("drop", 4), -1);
    ck_assert_int_eq(posdiff_finding_kind_parse("", 0), -1);
}
END_TEST

static Suite *check_suite(void)
{
    Suite *s = suite_create("check");
    TCase *status = tcase_create("status"), *run = tcase_create("run");
    TCase *map = tcase_create("srcmap"), *names = tcase_create("names");

    tcase_set_timeout(status, 60);
    tcase_set_timeout(run, 60);
    tcase_add_test(status, test_check_history_status);
    tcase_add_test(run, test_check_run_changes);
    tcase_add_test(run, test_check_run_invalid);
    tcase_add_test(run, test_check_run_new_ids);
    tcase_add_test(run, test_check_since_rev_without_git);
    tcase_add_loop_test(map, test_check_srcmap_lines, 0,
                        (int)(sizeof(srcmap_cases) / sizeof(srcmap_cases[0])));
    tcase_add_test(names, test_check_kind_names);
    suite_add_tcase(s, status);
    suite_add_tcase(s, run);
    suite_add_tcase(s, map);
    suite_add_tcase(s, names);
    return s;
}

TU_MAIN(check_suite)
