/*
 * check_history.c - the history repository (posdiff_history_build).
 *
 * Every test builds into temporary directories: small corpora written
 * here (statements.conf, positions.conf, a few .txt files) and a copy of
 * the shipped corpus.  The histories are checked with the real git
 * program (run through popen): log order and dates, fsck --strict,
 * tree contents, trailers, parents.
 *
 * tcases: core (layout, contents, identities), incremental (append,
 * insert, change, no-op, truncate), safety (fault injection, lock,
 * reproducibility), errors.
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "check_util.h"
#include "util/lock.h"

#define MAX_ST 16

/* A statement of a test corpus. */
typedef struct {
    const char *id, *date, *text;
    const char *title, *speaker; /* NULL: default / omitted */
} tst;

/* ---- helpers ------------------------------------------------------------ */

static char *tmp_dir(void)
{
    char tmpl[] = "/tmp/posdiff-hist-XXXXXX";
    char *d = mkdtemp(tmpl);

    ck_assert_msg(d != NULL, "mkdtemp failed");
    return strdup(d);
}

static char *path_join(const char *a, const char *b)
{
    char *p = NULL;
    ck_assert(asprintf(&p, "%s/%s", a, b) > 0);
    return p;
}

static void write_file(const char *dir, const char *rel, const char *text)
{
    char *p = path_join(dir, rel);
    FILE *f;

    f = fopen(p, "wb");
    ck_assert_msg(f != NULL, "cannot write %s", p);
    fputs(text, f);
    fclose(f);
    free(p);
}

/* Run a shell command; its stdout+stderr (malloc'ed) in *out; exit status. */
__attribute__((format(printf, 2, 3)))
static int run(char **out, const char *fmt, ...)
{
    char *cmd = NULL, chunk[4096];
    size_t len = 0, n;
    char *acc = calloc(1, 1);
    va_list ap;
    FILE *p;
    int st;

    va_start(ap, fmt);
    ck_assert(vasprintf(&cmd, fmt, ap) > 0);
    va_end(ap);
    p = popen(cmd, "r");
    ck_assert_msg(p != NULL, "cannot run %s", cmd);
    while ((n = fread(chunk, 1, sizeof(chunk), p)) > 0) {
        acc = realloc(acc, len + n + 1);
        memcpy(acc + len, chunk, n);
        len += n;
        acc[len] = '\0';
    }
    st = pclose(p);
    free(cmd);
    if (out)
        *out = acc;
    else
        free(acc);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* Output of a git command on @p repo, which must succeed (malloc'ed). */
static char *git(const char *repo, const char *args)
{
    char *out = NULL;
    int st = run(&out, "git --git-dir='%s' %s 2>&1", repo, args);

    ck_assert_msg(st == 0, "git %s failed (%d): %s", args, st, out);
    return out;
}

static void assert_fsck_clean(const char *repo)
{
    char *out = NULL;
    int st = run(&out, "git --git-dir='%s' fsck --strict --no-progress 2>&1", repo);

    ck_assert_msg(st == 0 && out[0] == '\0', "git fsck --strict: %d: %s", st, out);
    free(out);
}

/* Write a corpus of @p n statements (and a small catalog) into @p dir. */
static void make_corpus(const char *dir, const tst *s, size_t n)
{
    char *conf = NULL, *stdir = path_join(dir, "statements");
    size_t len = 0;
    FILE *f = open_memstream(&conf, &len);

    mkdir(stdir, 0755);
    free(stdir);
    for (size_t i = 0; i < n; i++) {
        char rel[256];
        snprintf(rel, sizeof(rel), "statements/%s.txt", s[i].id);
        write_file(dir, rel, s[i].text);
        fprintf(f, "[statement \"%s\"]\n\tfile = %s\n\tdate = %s\n", s[i].id, rel,
                s[i].date);
        fprintf(f, "\ttitle = %s\n\tvenue = Test Venue\n",
                s[i].title ? s[i].title : "A statement");
        if (s[i].speaker)
            fprintf(f, "\tspeaker = %s\n", s[i].speaker);
        fprintf(f, "\tsource = https://example.org/%s\n", s[i].id);
    }
    fclose(f);
    write_file(dir, "statements.conf", conf);
    free(conf);
    write_file(dir, "positions.conf",
               "[position \"data-security\"]\n\ttitle = Data security\n"
               "\tmatch = data security\n"
               "[position \"sovereignty\"]\n\ttitle = Sovereignty\n"
               "\tmatch = sovereignty\n");
}

static int build_opts(posdiff_build_result *res, const char *corpus,
                      const posdiff_build_options *opts)
{
    posdiff_corpus *c = NULL;
    int error;

    error = posdiff_corpus_open(&c, corpus);
    ck_assert_msg(error == 0, "open %s: %s", corpus, posdiff_error_last());
    error = posdiff_history_build(res, c, opts);
    posdiff_corpus_free(c);
    return error;
}

/* Build into <corpus>/.posdiff/history.git; must succeed. */
static void build_ok(posdiff_build_result *res, const char *corpus)
{
    int error = build_opts(res, corpus, NULL);
    ck_assert_msg(error == 0, "build %s: %s", corpus, posdiff_error_last());
}

static char *repo_of(const char *corpus)
{
    return path_join(corpus, ".posdiff/history.git");
}

static void rm_rf(char *dir)
{
    run(NULL, "rm -rf '%s'", dir);
    free(dir);
}

/* Number of lines of @p s. */
static size_t count_lines(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += *s == '\n';
    return n;
}

static const tst three[] = {
    {"b-2020", "2020-03-04", "We support data security.\nAll states are equal.\n", NULL, "Wang Lei"},
    {"a-2021", "2021", "Sovereignty in cyberspace matters.\n", "Second", NULL},
    {"c-2022", "2022-11", "Data security and sovereignty.\nA new line.\n", NULL, "Delegation"},
};

/* ---- core --------------------------------------------------------------- */

START_TEST(test_history_log_order_and_dates)
{
    /* manifest order differs from date order */
    tst s[3] = {three[2], three[0], three[1]};
    char *dir = tmp_dir(), *repo = repo_of(dir), *log, *ts;
    posdiff_build_result res;

    make_corpus(dir, s, 3);
    build_ok(&res, dir);
    ck_assert_uint_eq(res.total, 3);
    ck_assert_uint_eq(res.appended, 3);
    ck_assert_uint_eq(res.kept + res.rewritten, 0);
    ck_assert_str_eq(res.old_head, "");
    ck_assert_uint_eq(strlen(res.head), 40);
    log = git(repo, "log --reverse --format='%ad %s' --date=short");
    ck_assert_str_eq(log, "2020-03-04 A statement\n2021-01-01 Second\n"
                          "2022-11-01 A statement\n");
    ts = git(repo, "log -1 --format='%at %ct %ai' HEAD~2");
    ck_assert_str_eq(ts, "1583280000 1583280000 2020-03-04 00:00:00 +0000\n");
    free(log);
    free(ts);
    log = git(repo, "symbolic-ref HEAD");
    ck_assert_str_eq(log, "refs/heads/main\n");
    free(log);
    free(repo);
    rm_rf(dir);
}
END_TEST

START_TEST(test_history_identity_and_trailers)
{
    static const char msg2[] = "Second\n\nStatement-Id: a-2021\nDate: 2021\n"
                               "Venue: Test Venue\nSource: https://example.org/a-2021\n"
                               "Posdiff-Input: ";
    char *dir = tmp_dir(), *repo = repo_of(dir), *out;
    posdiff_build_result res;

    make_corpus(dir, three, 3);
    build_ok(&res, dir);
    out = git(repo, "log --reverse --format='%an <%ae>|%cn <%ce>'");
    ck_assert_str_eq(out, "Wang Lei <wang-lei@statements.invalid>|Wang Lei <wang-lei@statements.invalid>\n"
                          "Test Venue <test-venue@statements.invalid>|Test Venue <test-venue@statements.invalid>\n"
                          "Delegation <delegation@statements.invalid>|Delegation <delegation@statements.invalid>\n");
    free(out);
    out = git(repo, "log -1 --format=%B HEAD~1");
    ck_assert_msg(strncmp(out, msg2, strlen(msg2)) == 0 && strlen(out) == strlen(msg2) + 42,
                  "message: %s", out);
    free(out);
    out = git(repo, "log -1 --format='%(trailers:key=Statement-Id,valueonly)' HEAD");
    ck_assert_str_eq(out, "c-2022\n\n");
    free(out);
    free(repo);
    rm_rf(dir);
}
END_TEST

START_TEST(test_history_fsck_strict_hostile_names)
{
    tst s[2] = {three[0], three[1]};
    char *dir = tmp_dir(), *repo = repo_of(dir), *out;
    posdiff_build_result res;

    s[0].speaker = "\"Eve <eve@evil> \\nInjected\\tName >\"";
    s[0].title = "\"Title with\\nnewline\"";
    s[1].speaker = "\"<<>>\"";
    make_corpus(dir, s, 2);
    build_ok(&res, dir);
    assert_fsck_clean(repo);
    out = git(repo, "log --reverse --format='%an <%ae>|%s'");
    ck_assert_str_eq(out, "Eve eve@evil Injected Name <eve-eve-evil-injected-name@statements.invalid>|Title with newline\n"
                          "Test Venue <test-venue@statements.invalid>|Second\n");
    free(out);
    free(repo);
    rm_rf(dir);
}
END_TEST

/* statements/<year>/<id>.md of HEAD equals the normalizer's output. */
static void assert_tree_matches_normalize(const char *corpus, const char *repo)
{
    posdiff_corpus *c = NULL;

    ck_assert_int_eq(posdiff_corpus_open(&c, corpus), 0);
    for (size_t i = 0; i < posdiff_corpus_count(c); i++) {
        const posdiff_statement *st = posdiff_corpus_statement(c, i);
        posdiff_normalized *n = NULL;
        char *out = NULL;
        size_t len;
        int rc;

        ck_assert_msg(posdiff_corpus_normalize(&n, c, st) == 0, "%s", posdiff_error_last());
        rc = run(&out, "git --git-dir='%s' show HEAD:statements/%.4s/%s.md", repo, st->date,
                 st->id);
        ck_assert_int_eq(rc, 0);
        ck_assert_str_eq(out, posdiff_normalized_text(n, &len));
        free(out);
        posdiff_normalized_free(n);
    }
    posdiff_corpus_free(c);
}

START_TEST(test_history_tree_contents)
{
    char *dir = tmp_dir(), *repo = repo_of(dir), *out;
    posdiff_build_result res;

    make_corpus(dir, three, 3);
    build_ok(&res, dir);
    assert_tree_matches_normalize(dir, repo);
    out = git(repo, "ls-tree -r --name-only HEAD~2");
    ck_assert_msg(strstr(out, "statements/2020/b-2020.md\n") != NULL, "%s", out);
    ck_assert_msg(strstr(out, "a-2021") == NULL, "%s", out);
    free(out);
    out = git(repo, "ls-tree -r --name-only HEAD");
    ck_assert_msg(strstr(out, "positions/data-security.md\n") &&
                  strstr(out, "positions/sovereignty.md\n"), "positions missing: %s", out);
    free(out);
    /* the first statement states only data-security */
    out = git(repo, "ls-tree -r --name-only HEAD~2 positions");
    ck_assert_str_eq(out, "positions/data-security.md\n");
    free(out);
    /* a statement that does not restate a position leaves its file */
    out = git(repo, "diff --name-only HEAD~2 HEAD~1");
    ck_assert_msg(!strstr(out, "data-security"), "%s", out);
    free(out);
    free(repo);
    rm_rf(dir);
}
END_TEST

START_TEST(test_history_shipped_corpus)
{
    char *dir = tmp_dir(), *corpus = path_join(dir, "corpus"), *repo, *log, *out;
    posdiff_corpus *c = NULL;
    posdiff_build_result res;
    char prev[16] = "";

    ck_assert_int_eq(run(NULL, "cp -r '%s' '%s' && chmod -R u+w '%s'",
                         tu_src("corpus"), corpus, corpus), 0);
    run(NULL, "rm -rf '%s/.posdiff'", corpus);
    repo = repo_of(corpus);
    build_ok(&res, corpus);
    ck_assert_int_eq(posdiff_corpus_open(&c, corpus), 0);
    ck_assert_uint_eq(res.total, posdiff_corpus_count(c));
    log = git(repo, "log --reverse --format='%ad %(trailers:key=Statement-Id,valueonly,separator=)' --date=short");
    ck_assert_uint_eq(count_lines(log), posdiff_corpus_count(c));
    for (char *line = strtok(log, "\n"); line; line = strtok(NULL, "\n")) {
        ck_assert_msg(strcmp(prev, line) <= 0, "not in date order: %s after %s", line, prev);
        snprintf(prev, sizeof(prev), "%.10s", line);
    }
    posdiff_corpus_free(c);
    free(log);
    assert_fsck_clean(repo);
    assert_tree_matches_normalize(corpus, repo);
    out = git(repo, "ls-tree --name-only HEAD positions/");
    ck_assert_msg(strstr(out, "positions/data-security.md"), "%s", out);
    free(out);
    free(corpus);
    free(repo);
    rm_rf(dir);
}
END_TEST

static void count_progress(size_t done, size_t total, void *payload)
{
    size_t *calls = payload;
    ck_assert_uint_eq(done, calls[0] + 1);
    ck_assert_uint_eq(total, 3);
    calls[0]++;
}

START_TEST(test_history_progress_and_repo_path)
{
    char *dir = tmp_dir(), *corpus = path_join(dir, "c"), *repo = path_join(dir, "r/h.git");
    char *def;
    posdiff_build_options opts = POSDIFF_BUILD_OPTIONS_INIT;
    posdiff_build_result res;
    size_t calls = 0;
    struct stat sb;

    mkdir(corpus, 0755);
    make_corpus(corpus, three, 3);
    opts.repo_path = repo;
    opts.progress = count_progress;
    opts.payload = &calls;
    ck_assert_int_eq(build_opts(&res, corpus, &opts), 0);
    ck_assert_uint_eq(calls, 3);
    ck_assert_int_eq(stat(repo, &sb), 0);
    def = repo_of(corpus);
    ck_assert_int_ne(stat(def, &sb), 0); /* nothing at the default path */
    free(def);
    calls = 0;
    ck_assert_int_eq(build_opts(&res, corpus, &opts), 0); /* no-op: still reported */
    ck_assert_uint_eq(calls, 3);
    free(corpus);
    free(repo);
    rm_rf(dir);
}
END_TEST

START_TEST(test_history_default_path)
{
    char *dir = tmp_dir(), *want = repo_of(dir), *p;
    posdiff_corpus *c = NULL;

    make_corpus(dir, three, 1);
    ck_assert_int_eq(posdiff_corpus_open(&c, dir), 0);
    p = posdiff_history_default_path(c);
    ck_assert_ptr_nonnull(p);
    ck_assert_str_eq(p, want);
    free(p);
    free(want);
    posdiff_corpus_free(c);
    rm_rf(dir);
}
END_TEST

/* ---- incremental -------------------------------------------------------- */

START_TEST(test_history_append)
{
    char *dir = tmp_dir(), *repo = repo_of(dir), *out;
    posdiff_build_result r1, r2;

    make_corpus(dir, three, 2);
    build_ok(&r1, dir);
    make_corpus(dir, three, 3);
    build_ok(&r2, dir);
    ck_assert_uint_eq(r2.kept, 2);
    ck_assert_uint_eq(r2.appended, 1);
    ck_assert_uint_eq(r2.rewritten, 0);
    ck_assert_uint_eq(r2.total, 3);
    ck_assert_str_eq(r2.old_head, r1.head);
    out = git(repo, "rev-parse HEAD^");
    ck_assert_int_eq(strncmp(out, r1.head, 40), 0);
    free(out);
    assert_fsck_clean(repo);
    free(repo);
    rm_rf(dir);
}
END_TEST

START_TEST(test_history_insert_earlier)
{
    tst s[4] = {three[0], three[1], three[2],
                {"d-2020-06", "2020-06-01", "Sovereignty first.\n", NULL, NULL}};
    char *dir = tmp_dir(), *repo = repo_of(dir), *before, *after;
    posdiff_build_result r1, r2;

    make_corpus(dir, s, 3);
    build_ok(&r1, dir);
    before = git(repo, "log --reverse --format=%H");
    make_corpus(dir, s, 4);
    build_ok(&r2, dir);
    after = git(repo, "log --reverse --format=%H");
    ck_assert_uint_eq(r2.kept, 1);
    ck_assert_uint_eq(r2.rewritten, 2);
    ck_assert_uint_eq(r2.appended, 1);
    ck_assert_uint_eq(r2.total, 4);
    ck_assert_int_eq(strncmp(before, after, 41), 0);     /* first commit kept */
    ck_assert_int_ne(strncmp(before + 41, after + 41, 40), 0);
    free(before);
    free(after);
    after = git(repo, "log --reverse --format=%ad --date=short");
    ck_assert_str_eq(after, "2020-03-04\n2020-06-01\n2021-01-01\n2022-11-01\n");
    free(after);
    assert_fsck_clean(repo);
    free(repo);
    rm_rf(dir);
}
END_TEST

START_TEST(test_history_change_raw_file)
{
    char *dir = tmp_dir(), *repo = repo_of(dir), *before, *after;
    posdiff_build_result r1, r2;

    make_corpus(dir, three, 3);
    build_ok(&r1, dir);
    before = git(repo, "log --reverse --format=%H");
    write_file(dir, "statements/a-2021.txt", "Sovereignty in cyberspace matters a lot.\n");
    build_ok(&r2, dir);
    after = git(repo, "log --reverse --format=%H");
    ck_assert_uint_eq(r2.kept, 1);
    ck_assert_uint_eq(r2.rewritten, 2);
    ck_assert_uint_eq(r2.appended, 0);
    ck_assert_int_eq(strncmp(before, after, 41), 0);
    ck_assert_int_ne(strncmp(before + 41, after + 41, 40), 0);
    ck_assert_int_ne(strncmp(before + 82, after + 82, 40), 0);
    free(before);
    free(after);
    assert_tree_matches_normalize(dir, repo);
    free(repo);
    rm_rf(dir);
}
END_TEST

/*
 * The raw-file hash cache (<repo>/posdiff-rawhash, lib/rawhash.c) keeps
 * files at least 2 s old; a rewrite of the same size whose only stat
 * change is the mtime (1 ns later) must still be seen.
 */
START_TEST(test_history_rawhash_cache_same_size)
{
    char *dir = tmp_dir(), *repo = repo_of(dir), *p, *cache = NULL;
    posdiff_build_result r1, r2, r3;
    struct stat sb;
    struct timespec ts[2];

    make_corpus(dir, three, 3);
    sleep(3); /* old enough to be cached */
    build_ok(&r1, dir);
    p = path_join(repo, "posdiff-rawhash");
    ck_assert_int_eq(run(&cache, "cat '%s'", p), 0);
    ck_assert_msg(strstr(cache, "/statements/a-2021.txt\n") != NULL, "%s", cache);
    free(p);
    p = path_join(dir, "statements/a-2021.txt");
    ck_assert_int_eq(stat(p, &sb), 0);
    write_file(dir, "statements/a-2021.txt", "Sovereignty in cyberspace matterz.\n");
    ts[0] = sb.st_atim;
    ts[1] = sb.st_mtim;
    ts[1].tv_nsec = (ts[1].tv_nsec + 1) % 1000000000L;
    ck_assert_int_eq(utimensat(AT_FDCWD, p, ts, 0), 0);
    build_ok(&r2, dir);
    ck_assert_uint_eq(r2.kept, 1);
    ck_assert_uint_eq(r2.rewritten, 2);
    build_ok(&r3, dir); /* and nothing else changed */
    ck_assert_uint_eq(r3.kept, 3);
    ck_assert_str_eq(r3.head, r2.head);
    free(cache);
    free(p);
    free(repo);
    rm_rf(dir);
}
END_TEST

START_TEST(test_history_manifest_and_catalog_changes)
{
    char *dir = tmp_dir();
    posdiff_build_result r;
    tst s[3] = {three[0], three[1], three[2]};

    make_corpus(dir, s, 3);
    build_ok(&r, dir);
    s[2].title = "Retitled";               /* a manifest field */
    make_corpus(dir, s, 3);
    build_ok(&r, dir);
    ck_assert_uint_eq(r.kept, 2);
    ck_assert_uint_eq(r.rewritten, 1);
    write_file(dir, "positions.conf",      /* the catalog: everything */
               "[position \"data-security\"]\n\ttitle = Data\n\tmatch = data security\n");
    build_ok(&r, dir);
    ck_assert_uint_eq(r.kept, 0);
    ck_assert_uint_eq(r.rewritten, 3);
    write_file(dir, "positions.conf",      /* an exclude phrase, an example */
               "[position \"data-security\"]\n\ttitle = Data\n\tmatch = data security\n"
               "\texclude = future data security\n");
    build_ok(&r, dir);
    ck_assert_uint_eq(r.rewritten, 3);
    write_file(dir, "positions.conf",
               "[position \"data-security\"]\n\ttitle = Data\n\tmatch = data security\n"
               "\texclude = future data security\n\texample = Data must stay home.\n");
    build_ok(&r, dir);
    ck_assert_uint_eq(r.rewritten, 3);
    build_ok(&r, dir);
    ck_assert_uint_eq(r.kept, 3);
    rm_rf(dir);
}
END_TEST

START_TEST(test_history_noop)
{
    char *dir = tmp_dir(), *repo = repo_of(dir), *packs1, *packs2;
    posdiff_build_result r1, r2;

    make_corpus(dir, three, 3);
    build_ok(&r1, dir);
    run(&packs1, "ls -la '%s/objects' '%s/objects/pack' '%s/refs/heads'", repo, repo, repo);
    build_ok(&r2, dir);
    run(&packs2, "ls -la '%s/objects' '%s/objects/pack' '%s/refs/heads'", repo, repo, repo);
    ck_assert_str_eq(packs1, packs2);
    ck_assert_uint_eq(r2.kept, 3);
    ck_assert_uint_eq(r2.total, 3);
    ck_assert_uint_eq(r2.appended + r2.rewritten, 0);
    ck_assert_str_eq(r2.head, r1.head);
    ck_assert_str_eq(r2.old_head, r1.head);
    free(packs1);
    free(packs2);
    free(repo);
    rm_rf(dir);
}
END_TEST

START_TEST(test_history_one_pack_per_build)
{
    char *dir = tmp_dir(), *repo = repo_of(dir), *out;
    posdiff_build_result r;

    make_corpus(dir, three, 2);
    build_ok(&r, dir);
    make_corpus(dir, three, 3);
    build_ok(&r, dir);
    run(&out, "cd '%s/objects' && find . -type f | grep -v '^./pack/pack-.*\\.\\(pack\\|idx\\)$' ; ls pack/*.pack | wc -l", repo);
    ck_assert_str_eq(out, "2\n"); /* no loose objects, one pack per build */
    free(out);
    /* the second pack holds only the new objects: 1 commit, 4 trees (root,
     * statements/, its year, positions/), 1-3 blobs */
    out = git(repo, "count-objects -v");
    ck_assert_msg(strstr(out, "in-pack: ") != NULL, "%s", out);
    free(out);
    run(&out, "for i in '%s'/objects/pack/*.idx; do git show-index < $i | wc -l; done | sort -n | head -1", repo);
    ck_assert_msg(atoi(out) <= 8, "second pack too big: %s", out);
    free(out);
    free(repo);
    rm_rf(dir);
}
END_TEST

START_TEST(test_history_truncate_and_empty)
{
    char *dir = tmp_dir(), *repo = repo_of(dir), *out;
    posdiff_build_result r1, r2;

    make_corpus(dir, three, 3);
    build_ok(&r1, dir);
    make_corpus(dir, three, 2);   /* last statement removed */
    build_ok(&r2, dir);
    ck_assert_uint_eq(r2.kept, 2);
    ck_assert_uint_eq(r2.total, 2);
    out = git(repo, "rev-parse HEAD");
    ck_assert_int_eq(strncmp(out, r2.head, 40), 0);
    free(out);
    out = git(repo, "rev-list --count HEAD");
    ck_assert_str_eq(out, "2\n");
    free(out);
    make_corpus(dir, three, 0);   /* empty corpus: no branch */
    build_ok(&r2, dir);
    ck_assert_str_eq(r2.head, "");
    ck_assert_uint_eq(r2.total, 0);
    ck_assert_int_ne(run(NULL, "git --git-dir='%s' rev-parse -q --verify refs/heads/main", repo), 0);
    free(repo);
    rm_rf(dir);
}
END_TEST

/* ---- safety ------------------------------------------------------------- */

START_TEST(test_history_reproducible)
{
    char *d1 = tmp_dir(), *d2 = tmp_dir();
    posdiff_build_result r1, r2;

    make_corpus(d1, three, 3);
    make_corpus(d2, three, 3);
    setenv("TZ", "Asia/Shanghai", 1);
    setenv("LANG", "zh_CN.UTF-8", 1);
    tzset();
    build_ok(&r1, d1);
    setenv("TZ", "America/Los_Angeles", 1);
    setenv("LANG", "C", 1);
    tzset();
    build_ok(&r2, d2);
    ck_assert_str_eq(r1.head, r2.head);
    rm_rf(d1);
    rm_rf(d2);
}
END_TEST

/* Fail after k commits of a 2 -> 4 rewrite; the rerun completes it. */
START_TEST(test_history_fault_injection)
{
    tst s[4] = {three[0], three[1], three[2],
                {"d-2020-06", "2020-06-01", "Sovereignty first.\n", NULL, NULL}};
    char *dir = tmp_dir(), *clean = tmp_dir(), *repo = repo_of(dir), *ls1, *ls2, *out;
    posdiff_build_result r1, r2, rc;
    char k[8];
    int error;

    make_corpus(dir, s, 2);
    build_ok(&r1, dir);
    make_corpus(dir, s, 4);  /* kept 1, writes 3 */
    run(&ls1, "ls '%s/objects/pack'", repo);
    snprintf(k, sizeof(k), "%d", _i);
    setenv("POSDIFF_TEST_FAIL_AFTER", k, 1);
    error = build_opts(&r2, dir, NULL);
    ck_assert_int_lt(error, 0);
    ck_assert_msg(strstr(posdiff_error_last(), "POSDIFF_TEST_FAIL_AFTER"), "%s", posdiff_error_last());
    run(&ls2, "ls '%s/objects/pack'", repo);
    ck_assert_str_eq(ls1, ls2);               /* nothing reached the disk */
    out = git(repo, "rev-parse refs/heads/main");
    ck_assert_int_eq(strncmp(out, r1.head, 40), 0);
    assert_fsck_clean(repo);
    unsetenv("POSDIFF_TEST_FAIL_AFTER");
    build_ok(&r2, dir);
    ck_assert_uint_eq(r2.kept, 1);
    make_corpus(clean, s, 4);
    build_ok(&rc, clean);
    ck_assert_str_eq(r2.head, rc.head);
    assert_fsck_clean(repo);
    free(ls1);
    free(ls2);
    free(out);
    free(repo);
    rm_rf(dir);
    rm_rf(clean);
}
END_TEST

/* Rewrites statement 1's raw file after commit 0, once the thread that
 * normalizes ahead has read it (inotify: a read, then the close). */
typedef struct {
    int fd;          /* inotify, watching the raw file */
    const char *dir; /* the corpus */
    int rewritten;
} rewriter;

static void rewrite_once_read(size_t done, size_t total, void *payload)
{
    rewriter *w = payload;
    char ev[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
    struct pollfd p = {w->fd, POLLIN, 0};
    int accessed = 0;
    ssize_t n;

    (void)total;
    while (done == 1 && !w->rewritten && poll(&p, 1, 10000) == 1 &&
           (n = read(w->fd, ev, sizeof(ev))) > 0)
        for (char *e = ev; e < ev + n && !w->rewritten;
             e += sizeof(struct inotify_event) + ((struct inotify_event *)(void *)e)->len) {
            uint32_t mask = ((struct inotify_event *)(void *)e)->mask;
            accessed |= (mask & IN_ACCESS) != 0;
            if (accessed && (mask & IN_CLOSE_NOWRITE)) {
                write_file(w->dir, "statements/a-2021.txt", "Data security, not sovereignty.\n");
                w->rewritten = 1;
            }
        }
}

/*
 * Issue 17 #1: a raw file that changes between the read that normalizes
 * it and the build's commit.  The commit must hold the hash of the bytes
 * it holds the text of, so the next build sees the change and rewrites
 * it (it used to hash the file again: "up to date", with the old text).
 */
START_TEST(test_history_raw_file_changed_mid_build)
{
    char *dir = tmp_dir(), *repo = repo_of(dir), *raw = path_join(dir, "statements/a-2021.txt");
    posdiff_build_options opts = POSDIFF_BUILD_OPTIONS_INIT;
    rewriter w = {inotify_init1(IN_CLOEXEC), dir, 0};
    posdiff_build_result r;
    posdiff_corpus *c = NULL;

    make_corpus(dir, three, 3);
    ck_assert_int_eq(posdiff_corpus_open(&c, dir), 0);
    ck_assert_int_ge(w.fd, 0);
    ck_assert_int_ge(inotify_add_watch(w.fd, raw, IN_ACCESS | IN_CLOSE_NOWRITE), 0);
    opts.progress = rewrite_once_read;
    opts.payload = &w;
    ck_assert_msg(posdiff_history_build(&r, c, &opts) == 0, "%s", posdiff_error_last());
    posdiff_corpus_free(c);
    close(w.fd);
    if (w.rewritten) { /* (one processor: statements are read when taken, no race) */
        build_ok(&r, dir);
        ck_assert_uint_eq(r.kept, 1);
        ck_assert_uint_eq(r.rewritten, 2);
        assert_tree_matches_normalize(dir, repo);
    }
    free(raw);
    free(repo);
    rm_rf(dir);
}
END_TEST

START_TEST(test_history_locked)
{
    char *dir = tmp_dir(), *repo = repo_of(dir), *lockp;
    posdiff_build_options opts = POSDIFF_BUILD_OPTIONS_INIT;
    posdiff_build_result r;
    file_lock l = FILE_LOCK_INIT;

    make_corpus(dir, three, 2);
    build_ok(&r, dir);
    lockp = path_join(repo, "posdiff.lock");
    ck_assert_int_eq(lock_acquire(&l, lockp, 100, "test"), 0);
    make_corpus(dir, three, 3);
    opts.lock_timeout_ms = 50;
    ck_assert_int_eq(build_opts(&r, dir, &opts), POSDIFF_ELOCKED);
    ck_assert_msg(strstr(posdiff_error_last(), "posdiff.lock"), "%s", posdiff_error_last());
    lock_release(&l);
    ck_assert_int_eq(build_opts(&r, dir, &opts), 0);
    ck_assert_uint_eq(r.appended, 1);
    free(lockp);
    free(repo);
    rm_rf(dir);
}
END_TEST

/* ---- errors ------------------------------------------------------------- */

START_TEST(test_history_repo_path_not_a_repo)
{
    char *dir = tmp_dir(), *other = tmp_dir();
    posdiff_build_options opts = POSDIFF_BUILD_OPTIONS_INIT;
    posdiff_build_result r;

    make_corpus(dir, three, 1);
    write_file(other, "precious.txt", "keep me\n");
    opts.repo_path = other;
    ck_assert_int_eq(build_opts(&r, dir, &opts), POSDIFF_EINVALID);
    ck_assert_msg(strstr(posdiff_error_last(), other) &&
                  strstr(posdiff_error_last(), "not a git repository"),
                  "%s", posdiff_error_last());
    rm_rf(dir);
    rm_rf(other);
}
END_TEST

START_TEST(test_history_foreign_commits_refused)
{
    char *dir = tmp_dir(), *repo = repo_of(dir), *out;
    posdiff_build_result r;

    make_corpus(dir, three, 2);
    build_ok(&r, dir);
    /* someone commits by hand on top: the user's, so never dropped */
    ck_assert_int_eq(run(NULL, "cd '%s' && T=$(git --git-dir=. rev-parse HEAD^{tree}) && "
                               "C=$(echo manual | GIT_AUTHOR_NAME=x GIT_AUTHOR_EMAIL=x@y "
                               "GIT_COMMITTER_NAME=x GIT_COMMITTER_EMAIL=x@y "
                               "git --git-dir=. commit-tree $T -p HEAD) && "
                               "git --git-dir=. update-ref refs/heads/main $C", repo), 0);
    make_corpus(dir, three, 3);
    ck_assert_int_eq(build_opts(&r, dir, NULL), POSDIFF_EINVALID);
    ck_assert_msg(strstr(posdiff_error_last(), "that posdiff did not write; move it to "
                                               "another branch, then reset refs/heads/main"),
                  "%s", posdiff_error_last());
    out = git(repo, "log -1 --format=%s");
    ck_assert_msg(strstr(out, "manual"), "%s", out);
    free(out);
    free(repo);
    rm_rf(dir);
}
END_TEST

static Suite *history_suite(void)
{
    Suite *s = suite_create("history");
    TCase *core = tcase_create("core"), *inc = tcase_create("incremental");
    TCase *safety = tcase_create("safety"), *errors = tcase_create("errors");

    tcase_set_timeout(core, 120);
    tcase_add_test(core, test_history_log_order_and_dates);
    tcase_add_test(core, test_history_identity_and_trailers);
    tcase_add_test(core, test_history_fsck_strict_hostile_names);
    tcase_add_test(core, test_history_tree_contents);
    tcase_add_test(core, test_history_shipped_corpus);
    tcase_add_test(core, test_history_progress_and_repo_path);
    tcase_add_test(core, test_history_default_path);
    tcase_set_timeout(inc, 60); /* the rawhash test sleeps 3 s */
    tcase_add_test(inc, test_history_append);
    tcase_add_test(inc, test_history_insert_earlier);
    tcase_add_test(inc, test_history_change_raw_file);
    tcase_add_test(inc, test_history_rawhash_cache_same_size);
    tcase_add_test(inc, test_history_manifest_and_catalog_changes);
    tcase_add_test(inc, test_history_noop);
    tcase_add_test(inc, test_history_one_pack_per_build);
    tcase_add_test(inc, test_history_truncate_and_empty);
    tcase_set_timeout(safety, 120);
    tcase_add_test(safety, test_history_reproducible);
    tcase_add_loop_test(safety, test_history_fault_injection, 0, 4);
    tcase_add_test(safety, test_history_locked);
    tcase_add_test(safety, test_history_raw_file_changed_mid_build);
    tcase_add_test(errors, test_history_repo_path_not_a_repo);
    tcase_add_test(errors, test_history_foreign_commits_refused);
    suite_add_tcase(s, core);
    suite_add_tcase(s, inc);
    suite_add_tcase(s, safety);
    suite_add_tcase(s, errors);
    return s;
}

TU_MAIN(history_suite)
