/*
 * check_reference.c - the history posdiff_history_build writes, against
 * one written through libgit2's public API only.
 *
 * The reference writer takes from the library only what is not object
 * writing: normalizing a statement, its sentences, stepping the aligner,
 * rendering positions files, the commit identity, message and input
 * hash (commitmsg.h).  Every object goes through libgit2: blobs into an
 * object database (in memory, git_mempack), trees with git_treebuilder
 * (statements/<year>/, statements/, positions/, the root), commits with
 * git_commit_create_from_ids.  Every commit id of the reference must be
 * the built history's, on the shipped corpus and on 1 000 generated
 * statements (tests/bench/gen_corpus.py, deterministic).  And the
 * comparison can fail: with one byte of one message flipped the
 * reference differs from that commit on.
 */
#define _GNU_SOURCE
#include <stdarg.h>

#include <git2.h>
#include <git2/sys/commit.h>
#include <git2/sys/mempack.h>

#include "check_util.h"
#include "history/commitmsg.h"
#include "util/buf.h"

#define NO_PERTURB ((size_t)-1)

/* ---- helpers ------------------------------------------------------------ */

__attribute__((format(printf, 1, 2)))
static void sh(const char *fmt, ...)
{
    va_list ap;
    char *cmd = NULL;

    va_start(ap, fmt);
    ck_assert(vasprintf(&cmd, fmt, ap) > 0);
    va_end(ap);
    ck_assert_msg(system(cmd) == 0, "%s", cmd);
    free(cmd);
}

static char *temp_dir(void)
{
    char tmpl[] = "/tmp/posdiff-ref-XXXXXX";

    ck_assert(mkdtemp(tmpl) != NULL);
    return strdup(tmpl);
}

/* A copy of the shipped corpus, without history, in a new directory. */
static char *shipped_corpus(void)
{
    char *dir = temp_dir();

    sh("cp -r '%s/statements' '%s/statements.conf' '%s/positions.conf' '%s/'",
       tu_src("corpus"), tu_src("corpus"), tu_src("corpus"), dir);
    return dir;
}

/* @p n statements from the benchmarks' generator, in <@p dir>/c. */
static char *generated_corpus(const char *dir, int n)
{
    char *c = NULL;

    ck_assert(asprintf(&c, "%s/c", dir) > 0);
    sh("python3 '%s' --n %d --out '%s' > /dev/null", tu_src("tests/bench/gen_corpus.py"), n, c);
    return c;
}

/* The built history's commits, oldest first (first parents of main). */
static git_oid *built_commits(const char *corpus_dir, size_t n)
{
    char *path = NULL;
    git_repository *repo;
    git_revwalk *walk;
    git_oid *ids = calloc(n + 1, sizeof(*ids)), id;
    size_t k = 0;

    ck_assert(asprintf(&path, "%s/.posdiff/history.git", corpus_dir) > 0);
    ck_assert_int_eq(git_repository_open(&repo, path), 0);
    ck_assert_int_eq(git_revwalk_new(&walk, repo), 0);
    git_revwalk_sorting(walk, GIT_SORT_TOPOLOGICAL | GIT_SORT_REVERSE);
    git_revwalk_simplify_first_parent(walk);
    ck_assert_int_eq(git_revwalk_push_ref(walk, "refs/heads/main"), 0);
    while (git_revwalk_next(&id, walk) == 0) {
        ck_assert_uint_lt(k, n);
        git_oid_cpy(&ids[k++], &id);
    }
    ck_assert_uint_eq(k, n);
    git_revwalk_free(walk);
    git_repository_free(repo);
    free(path);
    return ids;
}

/* ---- the reference writer -------------------------------------------------- */

typedef struct {
    const posdiff_corpus *c;
    git_repository *repo;
    git_odb *odb;
    posdiff_tracker *tracker;
    char catalog[COMMITMSG_HEX + 1];
    char year[5];           /* of the last statement */
    git_treebuilder *years; /* statements/<year>/ */
    git_treebuilder *stmts; /* statements/ */
    git_treebuilder *pos;   /* positions/ */
    int has_pos;            /* positions/ has an entry */
    git_oid head;
} ref_writer;

static void insert(git_treebuilder *tb, const char *name, const git_oid *id, int tree)
{
    ck_assert_int_eq(git_treebuilder_insert(NULL, tb, name, id, tree ? GIT_FILEMODE_TREE
                                                                      : GIT_FILEMODE_BLOB), 0);
}

/* statements/ with @p st's normalized text added: its id into @p out. */
static void put_statement(ref_writer *w, const posdiff_statement *st, const char *text,
                          size_t len, git_oid *out)
{
    char name[512];
    git_oid blob, year;

    ck_assert_int_eq(git_odb_write(&blob, w->odb, text, len, GIT_OBJECT_BLOB), 0);
    if (strncmp(st->date, w->year, 4) != 0) { /* a new year: a new tree */
        memcpy(w->year, st->date, 4);
        git_treebuilder_free(w->years);
        ck_assert_int_eq(git_treebuilder_new(&w->years, w->repo, NULL), 0);
    }
    snprintf(name, sizeof(name), "%s.md", st->id);
    insert(w->years, name, &blob, 0);
    ck_assert_int_eq(git_treebuilder_write(&year, w->years), 0);
    insert(w->stmts, w->year, &year, 1);
    ck_assert_int_eq(git_treebuilder_write(out, w->stmts), 0);
}

/* positions/<id>.md of each position @p step restates. */
static void put_positions(ref_writer *w, const posdiff_step *step)
{
    const posdiff_catalog *cat = posdiff_corpus_catalog(w->c);

    for (size_t i = 0; cat && i < posdiff_catalog_count(cat); i++) {
        char *md = NULL, name[256];
        size_t len;
        git_oid blob;
        if (posdiff_step_status(step, i) == POSDIFF_ENTRY_NOT_RESTATED)
            continue;
        ck_assert_int_eq(posdiff_tracker_render(&md, &len, w->tracker, i), 0);
        ck_assert_int_eq(git_odb_write(&blob, w->odb, md, len, GIT_OBJECT_BLOB), 0);
        snprintf(name, sizeof(name), "%s.md", posdiff_catalog_position(cat, i)->id);
        insert(w->pos, name, &blob, 0);
        w->has_pos = 1;
        free(md);
    }
}

/* The root tree: positions/ (once it has an entry) and statements/. */
static void put_root(ref_writer *w, const git_oid *stmts, git_oid *out)
{
    git_treebuilder *root;
    git_oid pos;

    ck_assert_int_eq(git_treebuilder_new(&root, w->repo, NULL), 0);
    if (w->has_pos) {
        ck_assert_int_eq(git_treebuilder_write(&pos, w->pos), 0);
        insert(root, "positions", &pos, 1);
    }
    insert(root, "statements", stmts, 1);
    ck_assert_int_eq(git_treebuilder_write(out, root), 0);
    git_treebuilder_free(root);
}

/* The commit of statement @p i on tree @p root (@p perturb: flip a byte). */
static void put_commit(ref_writer *w, size_t i, const git_oid *root, int perturb)
{
    const posdiff_statement *st = posdiff_corpus_statement(w->c, i);
    char input[COMMITMSG_HEX + 1];
    git_signature *sig = NULL;
    git_oid parent = w->head;
    const git_oid *parents[1] = {&parent};
    buf msg = BUF_INIT;

    ck_assert_int_eq(commitmsg_input_hash(input, w->c, st, w->catalog), 0);
    ck_assert_int_eq(commitmsg_build(&msg, st, input), 0);
    ck_assert_int_eq(commitmsg_signature(&sig, st), 0);
    if (perturb)
        msg.ptr[0] ^= 1;
    ck_assert_int_eq(git_commit_create_from_ids(&w->head, w->repo, NULL, sig, sig, NULL,
                                                msg.ptr, root, i > 0, parents), 0);
    git_signature_free(sig);
    buf_free(&msg);
}

/* Statement @p i's commit. */
static void write_one(ref_writer *w, size_t i, int perturb)
{
    const posdiff_statement *st = posdiff_corpus_statement(w->c, i);
    posdiff_normalized *norm = NULL;
    posdiff_sentence *sent = NULL;
    posdiff_step *step = NULL;
    const char *text;
    size_t len, nsent;
    git_oid stmts, root;

    ck_assert_int_eq(posdiff_corpus_normalize(&norm, w->c, st), 0);
    text = posdiff_normalized_text(norm, &len);
    put_statement(w, st, text, len, &stmts);
    ck_assert_int_eq(posdiff_doc_sentences(&sent, &nsent, text, len), 0);
    ck_assert_int_eq(posdiff_tracker_step(&step, w->tracker, st->id, sent, nsent), 0);
    put_positions(w, step);
    put_root(w, &stmts, &root);
    put_commit(w, i, &root, perturb);
    posdiff_step_free(step);
    free(sent);
    posdiff_normalized_free(norm);
}

/* A repository on an object database in memory. */
static git_repository *memory_repo(git_odb **odb)
{
    git_odb_backend *mempack;
    git_repository *repo;

    ck_assert_int_eq(git_odb_new(odb), 0);
    ck_assert_int_eq(git_mempack_new(&mempack), 0);
    ck_assert_int_eq(git_odb_add_backend(*odb, mempack, 999), 0);
    ck_assert_int_eq(git_repository_wrap_odb(&repo, *odb), 0);
    return repo;
}

/* The reference history of corpus @p c: its commit ids, oldest first
 * (statement @p perturb's message with a byte flipped). */
static git_oid *reference_commits(const posdiff_corpus *c, size_t perturb)
{
    size_t n = posdiff_corpus_count(c);
    git_oid *ids = calloc(n + 1, sizeof(*ids));
    ref_writer w = {c, NULL, NULL, NULL, "", "", NULL, NULL, NULL, 0, {{0}}};

    w.repo = memory_repo(&w.odb);
    ck_assert_int_eq(commitmsg_catalog_hash(w.catalog, posdiff_corpus_catalog(c)), 0);
    ck_assert_int_eq(posdiff_tracker_new(&w.tracker, posdiff_corpus_catalog(c), NULL), 0);
    ck_assert_int_eq(git_treebuilder_new(&w.stmts, w.repo, NULL), 0);
    ck_assert_int_eq(git_treebuilder_new(&w.pos, w.repo, NULL), 0);
    for (size_t i = 0; i < n; i++) {
        write_one(&w, i, i == perturb);
        git_oid_cpy(&ids[i], &w.head);
    }
    git_treebuilder_free(w.years);
    git_treebuilder_free(w.stmts);
    git_treebuilder_free(w.pos);
    posdiff_tracker_free(w.tracker);
    git_repository_free(w.repo);
    git_odb_free(w.odb);
    return ids;
}

/* ---- tests -------------------------------------------------------------------- */

/*
 * Build corpus @p dir, write its reference history (perturbed at
 * statement @p perturb), and compare them commit by commit: the number
 * of equal commits before the first that differs is returned (n if all
 * are equal), and every commit after it must differ too.
 */
static size_t compare(const char *dir, size_t perturb)
{
    posdiff_build_options opts = POSDIFF_BUILD_OPTIONS_INIT;
    posdiff_build_result res;
    posdiff_corpus *c = NULL;
    git_oid *built, *ref;
    size_t n, same = 0;

    ck_assert_int_eq(posdiff_corpus_open(&c, dir), 0);
    n = posdiff_corpus_count(c);
    ck_assert_uint_gt(n, 0);
    ck_assert_int_eq(posdiff_history_build(&res, c, &opts), 0);
    built = built_commits(dir, n);
    ref = reference_commits(c, perturb);
    while (same < n && git_oid_equal(&built[same], &ref[same]))
        same++;
    for (size_t i = same; i < n; i++)
        ck_assert_msg(!git_oid_equal(&built[i], &ref[i]), "commit %zu equal after a difference", i);
    free(built);
    free(ref);
    posdiff_corpus_free(c);
    return same;
}

START_TEST(test_reference_shipped_corpus)
{
    char *dir = shipped_corpus();
    size_t same = compare(dir, NO_PERTURB);
    posdiff_corpus *c = NULL;

    ck_assert_int_eq(posdiff_corpus_open(&c, dir), 0);
    ck_assert_uint_eq(same, posdiff_corpus_count(c));
    posdiff_corpus_free(c);
    sh("rm -rf '%s'", dir);
    free(dir);
}
END_TEST

START_TEST(test_reference_generated_1000)
{
    char *dir = temp_dir(), *c = generated_corpus(dir, 1000);

    ck_assert_uint_eq(compare(c, NO_PERTURB), 1000);
    sh("rm -rf '%s'", dir);
    free(c);
    free(dir);
}
END_TEST

/* One byte flipped in statement 2's message (of 5): commits 0 and 1
 * agree, and the comparison finds the difference at commit 2. */
START_TEST(test_reference_can_fail)
{
    char *dir = shipped_corpus();

    ck_assert_uint_eq(compare(dir, 2), 2);
    sh("rm -rf '%s'", dir);
    free(dir);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("reference");
    TCase *tc = tcase_create("core");

    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, test_reference_shipped_corpus);
    tcase_add_test(tc, test_reference_can_fail);
    tcase_add_test(tc, test_reference_generated_1000);
    suite_add_tcase(s, tc);
    return s;
}

TU_MAIN(suite)
