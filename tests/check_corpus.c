/*
 * check_corpus.c - manifest reading and validation, dates and ids,
 * corpus order, init and add (atomic, nothing changed on error), the
 * manifests' syntax as git reads it, and add as libgit2 writes.
 */
#include "check_util.h"

#include <sys/stat.h>
#include <unistd.h>

#include <git2.h>

#include "corpus/manifest.h"

static char tmp_root[256];

static void make_tmp(void)
{
    snprintf(tmp_root, sizeof(tmp_root), "/tmp/posdiff-corpus-XXXXXX");
    ck_assert(mkdtemp(tmp_root) != NULL);
}

static void rm_tmp(void)
{
    char cmd[512];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp_root);
    ck_assert_int_eq(system(cmd), 0);
}

static void write_at(const char *rel, const char *text)
{
    char path[512];
    FILE *f;

    snprintf(path, sizeof(path), "%s/%s", tmp_root, rel);
    ck_assert((f = fopen(path, "wb")) != NULL);
    fputs(text, f);
    fclose(f);
}

/* A fingerprint of every file under the corpus (names and contents). */
static char *snapshot(void)
{
    char cmd[512], *out = malloc(1 << 16);
    size_t n;
    FILE *p;

    snprintf(cmd, sizeof(cmd),
             "cd '%s' && find . -path ./.posdiff -prune -o -type f -print | sort | xargs sha1sum", tmp_root);
    ck_assert((p = popen(cmd, "r")) != NULL);
    n = fread(out, 1, (1 << 16) - 1, p);
    out[n] = '\0';
    pclose(p);
    return out;
}

static const struct {
    const char *date;
    int ok;
} dates[] = {
    {"2021", 1}, {"2021-12", 1}, {"2021-12-14", 1}, {"2020-02-29", 1},
    {"2021-02-29", 0}, {"2021-13-40", 0}, {"2021-00", 0}, {"2021-04-31", 0},
    {"1969-12-31", 0}, {"10000", 0}, {"21-12-14", 0}, {"2021/12/14", 0},
    {"", 0}, {"2021-1-1", 0}, {"9999-12-31", 1}, {"1970-01-01", 1},
};

START_TEST(test_corpus_dates)
{
    int rc = posdiff_date_parse(NULL, NULL, NULL, dates[_i].date);
    ck_assert_msg((rc == 0) == dates[_i].ok, "date '%s'", dates[_i].date);
    if (!dates[_i].ok)
        ck_assert_int_eq(rc, POSDIFF_EINVALID);
}
END_TEST

static const struct {
    const char *id;
    int ok;
} ids[] = {
    {"2021-12-14-oewg", 1}, {"a", 1}, {"oewg-2.1", 1}, {"Upper", 0},
    {"has space", 0}, {"a/b", 0}, {"..", 0}, {"a..b", 0}, {"-lead", 0},
    {".hidden", 0}, {"", 0}, {"trailing.", 0},
};

START_TEST(test_corpus_ids)
{
    ck_assert_msg(posdiff_id_valid(ids[_i].id) == ids[_i].ok, "id '%s'", ids[_i].id);
}
END_TEST

START_TEST(test_corpus_shipped_order)
{
    static const char *const expect[] = {
        "2019-09-oewg-general-debate", "2019-09-oewg-submission",
        "2020-10-30-first-committee", "2021-12-14-oewg", "2025-02-oewg-10"};
    posdiff_corpus *c = NULL;

    ck_assert_msg(posdiff_corpus_open(&c, tu_src("corpus")) == 0, "%s", posdiff_error_last());
    ck_assert_uint_eq(posdiff_corpus_count(c), 5);
    for (size_t i = 0; i < 5; i++)
        ck_assert_str_eq(posdiff_corpus_statement(c, i)->id, expect[i]);
    ck_assert_uint_eq(posdiff_corpus_statement(c, 2)->strip_count, 5);
    ck_assert_uint_ge(posdiff_catalog_count(posdiff_corpus_catalog(c)), 6);
    ck_assert_int_ge(posdiff_catalog_find(posdiff_corpus_catalog(c), "data-security"), 0);
    ck_assert_uint_eq(posdiff_corpus_warning_count(c), 0);
    posdiff_corpus_free(c);
}
END_TEST

/* Bad manifests: each must fail with the code and name the entry. */
static const struct {
    const char *name, *manifest, *expect_in_msg;
    int code;
} bad[] = {
    {"missing-date", "[statement \"a\"]\n\tfile = statements/a.txt\n", "no 'date'", POSDIFF_EINVALID},
    {"impossible-date", "[statement \"a\"]\n\tfile = statements/a.txt\n\tdate = 2021-13-40\n", "does not exist", POSDIFF_EINVALID},
    {"early-date", "[statement \"a\"]\n\tfile = statements/a.txt\n\tdate = 1969\n", "1970", POSDIFF_EINVALID},
    {"uppercase-id", "[statement \"A\"]\n\tfile = statements/a.txt\n\tdate = 2021\n", "invalid id", POSDIFF_EINVALID},
    {"space-id", "[statement \"a b\"]\n\tfile = statements/a.txt\n\tdate = 2021\n", "invalid id", POSDIFF_EINVALID},
    {"dotdot-path", "[statement \"a\"]\n\tfile = ../x.txt\n\tdate = 2021\n", "leaves the corpus", POSDIFF_EINVALID},
    {"absolute-path", "[statement \"a\"]\n\tfile = /etc/passwd\n\tdate = 2021\n", "leaves the corpus", POSDIFF_EINVALID},
    {"symlink-out", "[statement \"a\"]\n\tfile = statements/link.txt\n\tdate = 2021\n", "symlink", POSDIFF_EINVALID},
    {"symlink-inside", "[statement \"a\"]\n\tfile = statements/in.txt\n\tdate = 2021\n", "symlink", POSDIFF_EINVALID},
    {"not-in-statements", "[statement \"a\"]\n\tfile = statements.conf\n\tdate = 2021\n", "live in statements/", POSDIFF_EINVALID},
    {"hidden-file", "[statement \"a\"]\n\tfile = statements/.a.txt\n\tdate = 2021\n", "live in statements/", POSDIFF_EINVALID},
    {"git-config", "[statement \"a\"]\n\tfile = .git/config\n\tdate = 2021\n", "live in statements/", POSDIFF_EINVALID},
    {"missing-file", "[statement \"a\"]\n\tfile = statements/none.txt\n\tdate = 2021\n", "missing", POSDIFF_ENOTFOUND},
    {"directory", "[statement \"a\"]\n\tfile = statements/dir\n\tdate = 2021\n", "not a regular file", POSDIFF_EINVALID},
    {"duplicate-id", "[statement \"a\"]\n\tfile = statements/a.txt\n\tdate = 2021\n[statement \"a\"]\n\tfile = statements/b.txt\n\tdate = 2022\n", "given 2 times", POSDIFF_EINVALID},
    {"same-file", "[statement \"a\"]\n\tfile = statements/a.txt\n\tdate = 2021\n[statement \"b\"]\n\tfile = statements/a.txt\n\tdate = 2022\n", "same file", POSDIFF_EINVALID},
    {"bad-syntax", "[statement \"a\"\n\tfile = x\n", "git-config syntax", POSDIFF_EGIT},
};

START_TEST(test_corpus_bad_manifest)
{
    posdiff_corpus *c = NULL;
    char path[512];
    int rc;

    make_tmp();
    snprintf(path, sizeof(path), "%s/statements", tmp_root);
    mkdir(path, 0755);
    snprintf(path, sizeof(path), "%s/statements/dir", tmp_root);
    mkdir(path, 0755);
    snprintf(path, sizeof(path), "%s/statements/link.txt", tmp_root);
    ck_assert_int_eq(symlink("/etc/hostname", path), 0);
    snprintf(path, sizeof(path), "%s/statements/in.txt", tmp_root);
    ck_assert_int_eq(symlink("a.txt", path), 0);
    snprintf(path, sizeof(path), "%s/.git", tmp_root);
    mkdir(path, 0755);
    write_at(".git/config", "[core]\n\tbare = false\n");
    write_at("statements/.a.txt", "Text a.\n");
    write_at("statements/a.txt", "Text a.\n");
    write_at("statements/b.txt", "Text b.\n");
    write_at("statements.conf", bad[_i].manifest);
    rc = posdiff_corpus_open(&c, tmp_root);
    ck_assert_msg(rc == bad[_i].code, "%s: rc %d: %s", bad[_i].name, rc, posdiff_error_last());
    ck_assert_msg(strstr(posdiff_error_last(), bad[_i].expect_in_msg) != NULL, "%s: %s",
                  bad[_i].name, posdiff_error_last());
    ck_assert(strstr(posdiff_error_last(), "statements.conf") != NULL);
    ck_assert(c == NULL);
    rm_tmp();
}
END_TEST

/*
 * A link swapped in after the open checked the file (issue 17 #6): the
 * file itself (_i == 0) or its folder (_i == 1) now leads out of the
 * corpus; reading and normalizing refuse it rather than follow it.
 */
START_TEST(test_corpus_read_refuses_swapped_link)
{
    posdiff_normalized *n = NULL;
    posdiff_corpus *c = NULL;
    char path[512], out[512];
    size_t len = 0;
    char *raw = NULL;

    make_tmp();
    posdiff_corpus_init(tmp_root);
    write_at("statements/a.txt", "Text a.\n");
    write_at("statements.conf", "[statement \"a\"]\n\tfile = statements/a.txt\n\tdate = 2021\n");
    ck_assert_int_eq(posdiff_corpus_open(&c, tmp_root), 0);
    snprintf(out, sizeof(out), "%s/out", tmp_root); /* beside the statements */
    ck_assert_int_eq(mkdir(out, 0755), 0);
    write_at("out/a.txt", "Secret outside text.\n");
    snprintf(path, sizeof(path), "%s/statements%s", tmp_root, _i ? "" : "/a.txt");
    if (_i) { /* the folder: moved aside, a link to out/ in its place */
        snprintf(out, sizeof(out), "%s/statements.real", tmp_root);
        ck_assert_int_eq(rename(path, out), 0);
        ck_assert_int_eq(symlink("out", path), 0);
    } else {
        ck_assert_int_eq(unlink(path), 0);
        ck_assert_int_eq(symlink("../out/a.txt", path), 0);
    }
    ck_assert_int_eq(posdiff_corpus_read(&raw, &len, c, posdiff_corpus_statement(c, 0)), POSDIFF_EINVALID);
    ck_assert_msg(strstr(posdiff_error_last(), "symlink"), "%s", posdiff_error_last());
    ck_assert_int_eq(posdiff_corpus_normalize(&n, c, posdiff_corpus_statement(c, 0)), POSDIFF_EINVALID);
    ck_assert(raw == NULL && n == NULL);
    posdiff_corpus_free(c);
    rm_tmp();
}
END_TEST

START_TEST(test_corpus_unknown_key_warns)
{
    posdiff_corpus *c = NULL;

    make_tmp();
    posdiff_corpus_init(tmp_root);
    write_at("statements/a.txt", "Text a.\n");
    write_at("statements.conf", "[statement \"a\"]\n\tfile = statements/a.txt\n\tdate = 2021\n\tcolour = red\n");
    ck_assert_int_eq(posdiff_corpus_open(&c, tmp_root), 0);
    ck_assert_uint_eq(posdiff_corpus_warning_count(c), 1);
    ck_assert(strstr(posdiff_corpus_warning(c, 0), "colour") != NULL);
    posdiff_corpus_free(c);
    rm_tmp();
}
END_TEST

START_TEST(test_corpus_init_and_add)
{
    posdiff_add_options o = POSDIFF_ADD_OPTIONS_INIT;
    posdiff_corpus *c = NULL;
    char *id = NULL, src[512];

    make_tmp();
    ck_assert_int_eq(posdiff_corpus_init(tmp_root), 0);
    ck_assert_int_eq(posdiff_corpus_init(tmp_root), POSDIFF_EEXISTS);
    snprintf(src, sizeof(src), "%s/new.txt", tmp_root);
    write_at("new.txt", "Mr. Chair,\n\nData security matters. We say so.\n");
    o.date = "2022-03";
    o.title = "A title; with # and \"quotes\"";
    o.venue = "OEWG";
    ck_assert_msg(posdiff_corpus_add(&id, tmp_root, src, &o) == 0, "%s", posdiff_error_last());
    ck_assert_str_eq(id, "2022-03-new");
    free(id);
    ck_assert_int_eq(posdiff_corpus_open(&c, tmp_root), 0);
    ck_assert_uint_eq(posdiff_corpus_count(c), 1);
    ck_assert_str_eq(posdiff_corpus_statement(c, 0)->file, "statements/2022-03-new.txt");
    ck_assert_str_eq(posdiff_corpus_statement(c, 0)->title, o.title);
    posdiff_corpus_free(c);
    rm_tmp();
}
END_TEST

/* Each bad add fails with the code and leaves every corpus byte as it was. */
static const struct {
    const char *name, *text, *date, *id;
    int code;
} bad_adds[] = {
    {"invalid-utf8", "Bad \xff byte.\n", "2022", NULL, POSDIFF_EUTF8},
    {"nul", "Bad\0", "2022", NULL, POSDIFF_EUTF8},
    {"empty", "", "2022", NULL, POSDIFF_EEMPTY},
    {"blank", " \n\t\n", "2022", NULL, POSDIFF_EEMPTY},
    {"bad-date", "Fine text.\n", "2021-13-40", NULL, POSDIFF_EINVALID},
    {"no-date", "Fine text.\n", NULL, NULL, POSDIFF_EINVALID},
    {"bad-id", "Fine text.\n", "2022", "../x", POSDIFF_EINVALID},
    {"duplicate-id", "Fine text.\n", "2022", "first", POSDIFF_EEXISTS},
    {"duplicate-content", "First statement.\n", "2022", NULL, POSDIFF_EEXISTS},
};

START_TEST(test_corpus_add_rejects_untouched)
{
    posdiff_add_options o = POSDIFF_ADD_OPTIONS_INIT;
    char src[512], *before, *after;
    size_t len = bad_adds[_i].name[0] == 'n' && bad_adds[_i].name[1] == 'u' ? 4 : strlen(bad_adds[_i].text);
    FILE *f;
    int rc;

    make_tmp();
    ck_assert_int_eq(posdiff_corpus_init(tmp_root), 0);
    write_at("statements/first.txt", "First statement.\n");
    write_at("statements.conf", "[statement \"first\"]\n\tfile = statements/first.txt\n\tdate = 2020\n");
    snprintf(src, sizeof(src), "%s/incoming.txt", tmp_root);
    ck_assert((f = fopen(src, "wb")) != NULL);
    fwrite(bad_adds[_i].text, 1, len, f);
    fclose(f);
    before = snapshot();
    o.date = bad_adds[_i].date;
    o.id = bad_adds[_i].id;
    rc = posdiff_corpus_add(NULL, tmp_root, src, &o);
    ck_assert_msg(rc == bad_adds[_i].code, "%s: rc %d: %s", bad_adds[_i].name, rc, posdiff_error_last());
    after = snapshot();
    ck_assert_str_eq(before, after);
    free(before);
    free(after);
    rm_tmp();
}
END_TEST

/*
 * posdiff_add_options version 2 lends an open corpus: it is used only
 * while statements.conf holds the bytes it was opened from.  Here a
 * second add changes the manifest behind the lent corpus, so the third
 * add must see the id it added (and reject it); version 1 options,
 * which have no corpus field, still add.
 */
typedef struct {
    unsigned int version;
    const char *date, *id, *title, *venue, *speaker, *source;
} add_options_v1;

START_TEST(test_corpus_add_reuses_open_corpus)
{
    posdiff_add_options o = POSDIFF_ADD_OPTIONS_INIT;
    add_options_v1 v1 = {1, "2019", "old-style", NULL, NULL, NULL, NULL};
    posdiff_corpus *c = NULL, *after = NULL;
    char src[512];

    make_tmp();
    ck_assert_int_eq(posdiff_corpus_init(tmp_root), 0);
    write_at("statements/first.txt", "First statement.\n");
    write_at("statements.conf", "[statement \"first\"]\n\tfile = statements/first.txt\n\tdate = 2020\n");
    ck_assert_int_eq(posdiff_corpus_open(&c, tmp_root), 0);
    snprintf(src, sizeof(src), "%s/a.txt", tmp_root);
    write_at("a.txt", "Statement a.\n");
    o.date = "2021";
    o.id = "a";
    o.corpus = c;
    ck_assert_msg(posdiff_corpus_add(NULL, tmp_root, src, &o) == 0, "%s", posdiff_error_last());
    write_at("a.txt", "Statement a, again.\n");
    ck_assert_int_eq(posdiff_corpus_add(NULL, tmp_root, src, &o), POSDIFF_EEXISTS);
    ck_assert(strstr(posdiff_error_last(), "--id 'a'") != NULL);
    write_at("a.txt", "First statement.\n");
    o.id = "b";
    ck_assert_int_eq(posdiff_corpus_add(NULL, tmp_root, src, &o), POSDIFF_EEXISTS);
    write_at("a.txt", "Old style.\n");
    ck_assert_msg(posdiff_corpus_add(NULL, tmp_root, src, (const posdiff_add_options *)(const void *)&v1) == 0,
                  "%s", posdiff_error_last());
    o.version = POSDIFF_ADD_OPTIONS_VERSION + 1;
    ck_assert_int_eq(posdiff_corpus_add(NULL, tmp_root, src, &o), POSDIFF_EINVALID);
    ck_assert_int_eq(posdiff_corpus_open(&after, tmp_root), 0);
    ck_assert_uint_eq(posdiff_corpus_count(after), 3);
    ck_assert_str_eq(posdiff_corpus_statement(after, 0)->id, "old-style");
    ck_assert_str_eq(posdiff_corpus_statement(after, 2)->id, "a");
    posdiff_corpus_free(after);
    posdiff_corpus_free(c);
    rm_tmp();
}
END_TEST

START_TEST(test_corpus_discover)
{
    char *dir = NULL, sub[512];

    make_tmp();
    posdiff_corpus_init(tmp_root);
    snprintf(sub, sizeof(sub), "%s/statements", tmp_root);
    ck_assert_int_eq(posdiff_corpus_discover(&dir, sub), 0);
    ck_assert(strstr(dir, "posdiff-corpus-") != NULL);
    free(dir);
    ck_assert_int_eq(posdiff_corpus_discover(&dir, "/"), POSDIFF_ENOTFOUND);
    rm_tmp();
}
END_TEST

/*
 * Manifest order as libgit2's iterator gives it: sections in order of
 * first appearance, a statement's keys gathered wherever they stand
 * (multi-valued keys in file order), equal dates in manifest order; a
 * position's section given twice is an error.
 */
START_TEST(test_corpus_manifest_order)
{
    static const char *const expect[] = {"b", "a", "c.1", "d"};
    posdiff_corpus *c = NULL;
    const posdiff_statement *b;
    const posdiff_catalog *cat;

    make_tmp();
    ck_assert_int_eq(posdiff_corpus_init(tmp_root), 0);
    write_at("statements/a.txt", "Text a.\n");
    write_at("statements/b.txt", "Text b.\n");
    write_at("statements/c.txt", "Text c.\n");
    write_at("statements/d.txt", "Text d.\n");
    write_at("statements.conf",
             "[statement \"b\"]\n\tfile = statements/b.txt\n\tstrip = one\n"
             "[statement \"a\"]\n\tfile = statements/a.txt\n\tdate = 2021-05\n"
             "[Statement \"c.1\"]\n\tFILE = statements/c.txt\n\tdate = 2021-05\n"
             "[statement \"b\"]\n\tdate = 2021-05\n\tstrip = two\n"
             "[statement \"d\"]\n\tfile = statements/d.txt\n\tdate = 2021-05-01\n");
    /* a catalog's section given twice is an error, naming both lines */
    write_at("positions.conf", "[position \"p\"]\n\tmatch = x\n\ttitle = P\n"
                               "[position \"q\"]\n\tmatch = y\n[Position \"p\"]\n\tmatch = z\n");
    ck_assert_int_eq(posdiff_corpus_open(&c, tmp_root), POSDIFF_EINVALID);
    ck_assert_msg(strstr(posdiff_error_last(), "positions.conf:6: [position \"p\"] again (first "
                                               "at line 1); merge the two sections into one"),
                  "%s", posdiff_error_last());
    write_at("positions.conf", "[position \"p\"]\n\tmatch = x\n\ttitle = P\n"
                               "[position \"q\"]\n\tmatch = y\n");
    ck_assert_msg(posdiff_corpus_open(&c, tmp_root) == 0, "%s", posdiff_error_last());
    ck_assert_uint_eq(posdiff_corpus_count(c), 4);
    for (size_t i = 0; i < 4; i++)
        ck_assert_str_eq(posdiff_corpus_statement(c, i)->id, expect[i]);
    b = posdiff_corpus_find(c, "b");
    ck_assert_uint_eq(b->manifest_index, 0);
    ck_assert_uint_eq(b->strip_count, 2);
    ck_assert_str_eq(b->strip[0], "one");
    ck_assert_str_eq(b->strip[1], "two");
    cat = posdiff_corpus_catalog(c);
    ck_assert_uint_eq(posdiff_catalog_count(cat), 2);
    ck_assert_int_eq(posdiff_catalog_find(cat, "p"), 0);
    ck_assert_int_eq(posdiff_catalog_find(cat, "q"), 1);
    posdiff_corpus_free(c);
    rm_tmp();
}
END_TEST

/*
 * A file git refuses is refused at the line git names (git 2.39's
 * `git config -f FILE --list`, whose numbers these are; the end of the
 * file counts as a line end); what git accepts, the check accepts.
 */
static const struct {
    const char *text;
    int line; /* 0: git accepts it */
} git_lines[] = {
    {"[statement \"x\"\n\tfile = a\n", 2},
    {"\n\n\n[statement \"a\"\n", 5},
    {"[statement \"a\"", 2},
    {"[statement \"a\"]\n\ttitle = \"unclosed\n\tdate = 1\n", 2},
    {"[statement \"a\"]\n\ttitle = \"x", 2},
    {"[statement \"a\"]\n# c\n; d\n\n\n\ttitle = \"a\\\n", 7},
    {"[statement \"a\"]\n\ttitle = ok\n\tv = \\\n\n[bad\n", 5},
    {"[statement \"a\"]\n\ttitle = a\\q\n", 2},
    {"[statement \"a\"]\n\t1file = x\n", 2},
    {"[statement \"a\"]\n\t-x = 1\n", 2},
    {"[statement \"a\"]\n\tfi_le = x\n", 2},
    {"[statement \"q\"]\n\tti tle = x\n", 2},
    {"[statement \"q\"]\n\t= value\n", 2},
    {"file statements/x.txt\n", 1},
    {"[s \"a\"]\n\tk\v= 1\n", 2},
    {"[s \"a\"]\n\f k = 1\n", 2},
    {"[\x01\x02]\n", 1},
    {"[]\n", 1},
    {"[s \"a]\n", 1},
    {"[s \"a\"]]\n", 1},
    {"\xef\xbb[s \"a\"]\n", 1},
    {"[s \"a\"]\n\tk = 1\n\xef\xbb\xbf\n", 3},
    {"[statement \"a\"]\r\n\ttitle = x\r\n\tq\r\n[\r\n", 4},
    {"[statement \"a\"]\n\tk = \"a\"b\"c\n", 2},
    {"", 0},
    {"\xef\xbb\xbf[s \"a\"]\n\tk = v\n", 0},
    {"[statement \"a\"]\n\ttitle = a\\\n", 0},
    {"[statement \"a\"]\n\ttitle = a\\\n\tb\n", 0},
    {"[s \"a\"] ; \"x\"\n\tk = v\n", 0},
    {"[s \"a\"] k = v\n", 0},
    {"[s.a \"b\"]\n\tk = \"v\" # \"\n", 0},
    {"[s \"a\\\"b\"]\n\tk\t=\t\"a;b\" ; \"c\n\tflag\n", 0},
    {"[s \"a\"]\r\tk = 1\r", 0},
};

START_TEST(test_corpus_manifest_git_lines)
{
    const char *text = git_lines[_i].text, *why = NULL;
    posdiff_corpus *c = NULL;
    char want[64];
    int line = 0, rc = gitconfig_check(text, strlen(text), &line, &why);

    ck_assert_msg(rc == (git_lines[_i].line ? GITCONFIG_SYNTAX : 0), "case %d: rc %d", _i, rc);
    if (!git_lines[_i].line)
        return;
    ck_assert_msg(line == git_lines[_i].line, "case %d: line %d, git says %d", _i, line,
                  git_lines[_i].line);
    make_tmp();
    write_at("statements.conf", text);
    ck_assert_int_eq(posdiff_corpus_open(&c, tmp_root), POSDIFF_EGIT);
    snprintf(want, sizeof(want), "statements.conf:%d: not valid git-config syntax", line);
    ck_assert_msg(strstr(posdiff_error_last(), want) != NULL, "%s", posdiff_error_last());
    rm_tmp();
}
END_TEST

/* Pieces start at real headers only: not at a '[' in a value, a
 * comment or a continued line. */
START_TEST(test_corpus_manifest_cuts)
{
    static const char text[] = "[s \"a\"]\n\tk = [x]\n# [c]\n\tv = a\\\n[y]\n"
                               "  [s \"b\"]\n\tk = 1\n[s \"c\"] k = [z]\n";
    size_t *cut = NULL, n = 0;

    ck_assert_int_eq(gitconfig_cuts(text, strlen(text), 1, &cut, &n), 0);
    ck_assert_uint_eq(n, 2);
    ck_assert_str_eq(text + cut[0], "[s \"b\"]\n\tk = 1\n[s \"c\"] k = [z]\n");
    ck_assert_str_eq(text + cut[1], "[s \"c\"] k = [z]\n");
    free(cut);
    ck_assert_int_eq(gitconfig_cuts(text, strlen(text), 1000, &cut, &n), 0);
    ck_assert_uint_eq(n, 0);
    free(cut);
}
END_TEST

/* A manifest over a MiB is read in pieces (manifest.c): the same
 * entries, a section reopened in a later piece merged in order, and no
 * temporary file left behind. */
START_TEST(test_corpus_manifest_pieces)
{
    char tmpdir[300], name[64], cmd[400];
    posdiff_corpus *c = NULL;
    const posdiff_statement *a;
    buf conf = BUF_INIT;
    FILE *p;

    make_tmp();
    ck_assert_int_eq(posdiff_corpus_init(tmp_root), 0);
    snprintf(tmpdir, sizeof(tmpdir), "%s/tmp", tmp_root);
    ck_assert_int_eq(mkdir(tmpdir, 0700), 0);
    setenv("TMPDIR", tmpdir, 1);
    for (int i = 0; i < 40; i++) {
        snprintf(name, sizeof(name), "statements/s%02d.txt", i);
        write_at(name, "A sentence.\n");
        buf_printf(&conf, "[statement \"s%02d\"]\n\tfile = %s\n\tdate = 2021-%02d\n"
                   "\ttitle = [T%d] a\\\n[not a header]\n\tstrip = first %d\n",
                   i, name, i % 12 + 1, i, i);
        for (int k = 0; k < 800; k++)
            buf_puts(&conf, "# [padding] a comment line of the manifest\n");
    }
    buf_puts(&conf, "[statement \"s00\"]\n\tstrip = last\n");
    ck_assert_uint_gt(conf.len, (size_t)1 << 20);
    write_at("statements.conf", conf.ptr);
    ck_assert_msg(posdiff_corpus_open(&c, tmp_root) == 0, "%s", posdiff_error_last());
    unsetenv("TMPDIR");
    ck_assert_uint_eq(posdiff_corpus_count(c), 40);
    a = posdiff_corpus_find(c, "s00");
    ck_assert_uint_eq(a->strip_count, 2);
    ck_assert_str_eq(a->strip[0], "first 0");
    ck_assert_str_eq(a->strip[1], "last");
    ck_assert_str_eq(posdiff_corpus_find(c, "s39")->title, "[T39] a[not a header]");
    snprintf(cmd, sizeof(cmd), "ls -A '%s' | wc -l", tmpdir);
    ck_assert((p = popen(cmd, "r")) != NULL);
    ck_assert_int_eq(fgetc(p), '0');
    pclose(p);
    posdiff_corpus_free(c);
    buf_free(&conf);
    rm_tmp();
}
END_TEST

/* [include] and [includeIf] are refused in both files, naming the line,
 * and the file they name is never read. */
START_TEST(test_corpus_manifest_include_refused)
{
    posdiff_corpus *c = NULL;

    make_tmp();
    ck_assert_int_eq(posdiff_corpus_init(tmp_root), 0);
    write_at("statements/a.txt", "Text a.\n");
    write_at("outside.conf", "[statement \"x\"\n"); /* bad: an error if it were read */
    write_at("statements.conf", "[statement \"a\"]\n\tfile = statements/a.txt\n\tdate = 2021\n"
                                "[include]\n\tpath = outside.conf\n");
    ck_assert_int_eq(posdiff_corpus_open(&c, tmp_root), POSDIFF_EINVALID);
    ck_assert_msg(strstr(posdiff_error_last(), "statements.conf:4: [include]") != NULL, "%s",
                  posdiff_error_last());
    write_at("statements.conf", "[statement \"a\"]\n\tfile = statements/a.txt\n\tdate = 2021\n");
    write_at("positions.conf", "# catalog\n[position \"p\"]\n\tmatch = x\n"
                               "[includeIf \"gitdir:/\"]\n\tpath = outside.conf\n");
    ck_assert_int_eq(posdiff_corpus_open(&c, tmp_root), POSDIFF_EINVALID);
    ck_assert_msg(strstr(posdiff_error_last(), "positions.conf:4: [include]") != NULL, "%s",
                  posdiff_error_last());
    ck_assert(strstr(posdiff_error_last(), "copy those entries") != NULL);
    rm_tmp();
}
END_TEST

static const char *const append_titles[] = {
    NULL, "", "Plain title", " leading space", "trailing space ", "a # hash",
    "a ; semicolon", "\"quoted\" and \\backslash\\", "tab\there\nnewline",
    "caf\xc3\xa9 \xe2\x80\x9cquoted\xe2\x80\x9d", "[statement \"x\"]", "= equals =",
};

/* What git_config_set_string makes of @p path with @p st's fields. */
static void libgit2_append(const char *path, const posdiff_statement *st)
{
    const char *keys[] = {"file", "date", "title", "venue", "source"};
    const char *vals[] = {st->file, st->date, st->title, st->venue, st->source};
    git_config *cfg = NULL;
    char name[256];

    ck_assert_int_eq(git_config_open_ondisk(&cfg, path), 0);
    for (size_t k = 0; k < 5; k++) {
        snprintf(name, sizeof(name), "statement.%s.%s", st->id, keys[k]);
        if (vals[k] && *vals[k])
            ck_assert_int_eq(git_config_set_string(cfg, name, vals[k]), 0);
    }
    git_config_free(cfg);
}

/* posdiff add writes what libgit2's writer writes, and reads it back. */
START_TEST(test_corpus_manifest_append_as_libgit2)
{
    static const char *const bases[] = {
        "", "# header only", "[statement \"a\"]\n\tfile = statements/a.txt\n\tdate = 2020",
        "[statement \"a\"]\n\tfile = statements/a.txt\n\tdate = 2020\n# trailing comment\n\n",
        "[statement \"a\"]\r\n\tfile = statements/a.txt\r\n\tdate = 2020\r\n"};
    posdiff_add_options o = POSDIFF_ADD_OPTIONS_INIT;
    posdiff_statement st = {0};
    posdiff_corpus *c = NULL;
    char src[512], conf[512], ref[512], text[64];

    o.id = st.id = "new";
    o.date = st.date = "2030-01-02";
    st.file = "statements/new.txt";
    o.title = st.title = append_titles[_i];
    o.venue = st.venue = append_titles[(_i + 3) % 12];
    o.source = st.source = append_titles[(_i + 7) % 12];
    for (size_t b = 0; b < sizeof(bases) / sizeof(bases[0]); b++) {
        char *x, *y;
        make_tmp();
        ck_assert_int_eq(posdiff_corpus_init(tmp_root), 0);
        write_at("statements/a.txt", "Text a.\n");
        write_at("statements.conf", bases[b]);
        write_at("ref.conf", bases[b]);
        snprintf(text, sizeof(text), "Statement %zu.\n", b);
        write_at("new.txt", text);
        snprintf(src, sizeof(src), "%s/new.txt", tmp_root);
        snprintf(conf, sizeof(conf), "%s/statements.conf", tmp_root);
        snprintf(ref, sizeof(ref), "%s/ref.conf", tmp_root);
        ck_assert_msg(posdiff_corpus_add(NULL, tmp_root, src, &o) == 0, "%s", posdiff_error_last());
        libgit2_append(ref, &st);
        x = tu_read_file(conf, NULL);
        y = tu_read_file(ref, NULL);
        ck_assert_str_eq(x, y);
        ck_assert_int_eq(posdiff_corpus_open(&c, tmp_root), 0);
        ck_assert_str_eq(posdiff_corpus_find(c, "new")->file, st.file);
        posdiff_corpus_free(c);
        free(x);
        free(y);
        rm_tmp();
    }
}
END_TEST

/* add keeps statements.conf's mode, and writes through a symlink to it. */
START_TEST(test_corpus_add_mode_and_symlink)
{
    posdiff_add_options o = POSDIFF_ADD_OPTIONS_INIT;
    char src[512], path[512], real[512], link[512], *text;
    struct stat sb;

    make_tmp();
    ck_assert_int_eq(posdiff_corpus_init(tmp_root), 0);
    snprintf(path, sizeof(path), "%s/statements.conf", tmp_root);
    ck_assert_int_eq(chmod(path, 0640), 0);
    write_at("one.txt", "First statement.\n");
    snprintf(src, sizeof(src), "%s/one.txt", tmp_root);
    o.date = "2021";
    ck_assert_int_eq(posdiff_corpus_add(NULL, tmp_root, src, &o), 0);
    ck_assert_int_eq(stat(path, &sb), 0);
    ck_assert_uint_eq(sb.st_mode & 07777, 0640);
    /* statements.conf -> conf/real.conf */
    snprintf(real, sizeof(real), "%s/conf", tmp_root);
    ck_assert_int_eq(mkdir(real, 0755), 0);
    snprintf(real, sizeof(real), "%s/conf/real.conf", tmp_root);
    ck_assert_int_eq(rename(path, real), 0);
    ck_assert_int_eq(symlink("conf/real.conf", path), 0);
    write_at("two.txt", "Second statement.\n");
    snprintf(src, sizeof(src), "%s/two.txt", tmp_root);
    ck_assert_msg(posdiff_corpus_add(NULL, tmp_root, src, &o) == 0, "%s", posdiff_error_last());
    ck_assert_int_eq(lstat(path, &sb), 0);
    ck_assert(S_ISLNK(sb.st_mode));
    ck_assert_int_eq(readlink(path, link, sizeof(link) - 1), 14);
    ck_assert_int_eq(stat(real, &sb), 0);
    ck_assert_uint_eq(sb.st_mode & 07777, 0640);
    text = tu_read_file(real, NULL);
    ck_assert(strstr(text, "statements/2021-two.txt") != NULL);
    free(text);
    rm_tmp();
}
END_TEST

static Suite *corpus_suite(void)
{
    Suite *s = suite_create("corpus");
    TCase *core = tcase_create("core"), *errors = tcase_create("errors");
    TCase *manifest = tcase_create("manifest");

    tcase_add_loop_test(core, test_corpus_dates, 0, sizeof(dates) / sizeof(dates[0]));
    tcase_add_loop_test(core, test_corpus_ids, 0, sizeof(ids) / sizeof(ids[0]));
    tcase_add_test(core, test_corpus_shipped_order);
    tcase_add_test(core, test_corpus_init_and_add);
    tcase_add_test(core, test_corpus_add_reuses_open_corpus);
    tcase_add_test(core, test_corpus_discover);
    tcase_add_loop_test(errors, test_corpus_bad_manifest, 0, sizeof(bad) / sizeof(bad[0]));
    tcase_add_test(errors, test_corpus_unknown_key_warns);
    tcase_add_loop_test(errors, test_corpus_read_refuses_swapped_link, 0, 2);
    tcase_add_loop_test(errors, test_corpus_add_rejects_untouched, 0, sizeof(bad_adds) / sizeof(bad_adds[0]));
    tcase_add_test(manifest, test_corpus_manifest_order);
    tcase_add_loop_test(manifest, test_corpus_manifest_git_lines, 0,
                        sizeof(git_lines) / sizeof(git_lines[0]));
    tcase_add_test(manifest, test_corpus_manifest_include_refused);
    tcase_add_test(manifest, test_corpus_manifest_cuts);
    tcase_add_test(manifest, test_corpus_manifest_pieces);
    tcase_add_loop_test(manifest, test_corpus_manifest_append_as_libgit2, 0,
                        sizeof(append_titles) / sizeof(append_titles[0]));
    tcase_add_test(manifest, test_corpus_add_mode_and_symlink);
    suite_add_tcase(s, core);
    suite_add_tcase(s, errors);
    suite_add_tcase(s, manifest);
    return s;
}

TU_MAIN(corpus_suite)
