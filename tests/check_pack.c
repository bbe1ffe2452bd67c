/*
 * check_pack.c - the object writer (lib/history/pack): trees edited in
 * place, deltas, and packs that libgit2 reads back.
 *
 * Trees: after random insertions and replacements a tree's id is the one
 * libgit2's treebuilder gives the same entries (git's order: trees sort
 * as if their names ended in '/'; a name is unique whatever its mode).
 * Deltas: applied with an independent applier of git's delta format,
 * every delta rebuilds its target.  Packs: a series of year trees (full
 * and delta) and of text versions (line deltas), written and committed,
 * reads back through libgit2 object by object.
 */
#include <git2.h>

#include "check_util.h"
#include "history/pack/pack_int.h"

static unsigned long rng = 12345;

static unsigned rnd(unsigned n)
{
    rng = rng * 6364136223846793005ul + 1442695040888963407ul;
    return (unsigned)((rng >> 33) % n);
}

static void rand_id(git_oid *id)
{
    for (int k = 0; k < 20; k++)
        id->id[k] = (unsigned char)rnd(256); /* NULs and spaces included */
}

static void rand_name(char *name, size_t cap)
{
    static const char alpha[] = "ab-.z09";
    size_t n = 1 + rnd(6);

    for (size_t k = 0; k < n && k + 1 < cap; k++) /* never "." or ".." */
        name[k] = alpha[k == 0 ? rnd(3) : rnd(sizeof(alpha) - 1)];
    name[n] = '\0';
}

/* Apply git delta @p d (len @p dn) to @p base; the result in @p out. */
static int delta_apply(buf *out, const char *base, size_t bn, const char *d, size_t dn)
{
    const unsigned char *p = (const unsigned char *)d, *end = p + dn;
    size_t src = 0, dst = 0;
    int shift;

    for (shift = 0; p < end; shift += 7) { /* source size */
        src |= (size_t)(*p & 0x7f) << shift;
        if (!(*p++ & 0x80))
            break;
    }
    for (shift = 0; p < end; shift += 7) { /* result size */
        dst |= (size_t)(*p & 0x7f) << shift;
        if (!(*p++ & 0x80))
            break;
    }
    if (src != bn)
        return -1;
    buf_clear(out);
    while (p < end) {
        unsigned char op = *p++;
        if (op & 0x80) {
            size_t off = 0, n = 0;
            for (int i = 0; i < 4; i++)
                if (op & (1 << i))
                    off |= (size_t)*p++ << (8 * i);
            for (int i = 0; i < 3; i++)
                if (op & (0x10 << i))
                    n |= (size_t)*p++ << (8 * i);
            if (n == 0)
                n = 0x10000;
            if (off + n > bn)
                return -1;
            buf_put(out, base + off, n);
        } else if (op) {
            if (p + op > end)
                return -1;
            buf_put(out, (const char *)p, op);
            p += op;
        } else
            return -1;
    }
    return out->len == dst ? 0 : -1;
}

static git_repository *temp_repo(char *tmpl)
{
    git_repository *repo;

    ck_assert(mkdtemp(tmpl) != NULL);
    git_libgit2_opts(GIT_OPT_ENABLE_STRICT_OBJECT_CREATION, 0); /* ids of nothing */
    ck_assert_int_eq(git_repository_init(&repo, tmpl, 1), 0);
    return repo;
}

static void remove_dir(const char *dir)
{
    char cmd[256];

    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    ck_assert_int_eq(system(cmd), 0);
}

/* The id of @p t as prepared (in full or as a delta). */
static git_oid tree_id(pack_tree *t, pack_deflater *z)
{
    pack_object *o = NULL;
    git_oid id;

    ck_assert_int_eq(pack_tree_prepare(&o, t, z), 0);
    git_oid_cpy(&id, pack_object_id(o));
    pack_object_free(o);
    return id;
}

/* Set @p name in both trees; their ids must agree. */
static void set_both(pack_tree *t, git_treebuilder *tb, pack_deflater *z, const char *name,
                     int is_tree, const git_oid *id)
{
    git_oid want, got;

    ck_assert_int_eq(pack_tree_set(t, name, is_tree, id), 0);
    ck_assert_int_eq(git_treebuilder_insert(NULL, tb, name, id, is_tree ? GIT_FILEMODE_TREE
                                                                        : GIT_FILEMODE_BLOB), 0);
    ck_assert_int_eq(git_treebuilder_write(&want, tb), 0);
    got = tree_id(t, z);
    ck_assert(git_oid_equal(&got, &want));
}

START_TEST(test_pack_tree_order_matches_libgit2)
{
    char tmpl[] = "/tmp/posdiff-pack-XXXXXX", name[16];
    git_repository *repo = temp_repo(tmpl);
    pack_deflater *z = pack_deflater_new();
    pack_tree *t, *parsed;
    git_treebuilder *tb;
    git_odb_object *obj;
    git_odb *odb;
    git_oid id, want;

    ck_assert_int_eq(pack_tree_new(&t, NULL, 0), 0);
    ck_assert_int_eq(git_treebuilder_new(&tb, repo, NULL), 0);
    for (int k = 0; k < 600; k++) {
        rand_name(name, sizeof(name));
        rand_id(&id);
        set_both(t, tb, z, name, rnd(4) == 0, &id);
    }
    /* a tree read back parses to the same tree */
    ck_assert_int_eq(git_treebuilder_write(&want, tb), 0);
    ck_assert_int_eq(git_repository_odb(&odb, repo), 0);
    ck_assert_int_eq(git_odb_read(&obj, odb, &want), 0);
    ck_assert_int_eq(pack_tree_new(&parsed, git_odb_object_data(obj), git_odb_object_size(obj)), 0);
    id = tree_id(parsed, z);
    ck_assert(git_oid_equal(&id, &want));
    git_odb_object_free(obj);
    pack_tree_free(parsed);
    pack_tree_free(t);
    git_treebuilder_free(tb);
    /* "a" as a tree sorts after "a-b" ('/' > '-'); as a blob, before it;
     * a name is unique whatever its mode */
    ck_assert_int_eq(pack_tree_new(&t, NULL, 0), 0);
    ck_assert_int_eq(git_treebuilder_new(&tb, repo, NULL), 0);
    rand_id(&id);
    set_both(t, tb, z, "a-b", 0, &id);
    set_both(t, tb, z, "a", 1, &id);
    ck_assert_uint_eq(git_treebuilder_entrycount(tb), 2);
    set_both(t, tb, z, "a", 0, &id);
    ck_assert_uint_eq(git_treebuilder_entrycount(tb), 2);
    pack_tree_free(t);
    git_treebuilder_free(tb);
    git_odb_free(odb);
    pack_deflater_free(z);
    git_repository_free(repo);
    remove_dir(tmpl);
}
END_TEST

START_TEST(test_pack_tree_parse_rejects_damage)
{
    pack_tree *t = NULL;
    const char bad[] = "100644 name-without-id";

    ck_assert_int_lt(pack_tree_new(&t, bad, sizeof(bad) - 1), 0);
    ck_assert(strstr(posdiff_error_last(), "damaged") != NULL);
    ck_assert(t == NULL);
}
END_TEST

/* Prepare @p t, check its id against @p tb's, write it; its object. */
static pack_object *put_checked(pack_writer *pw, pack_tree *t, git_treebuilder *tb,
                                pack_deflater *z)
{
    pack_object *o = NULL;
    git_oid want, got;

    ck_assert_int_eq(pack_tree_prepare(&o, t, z), 0);
    ck_assert_int_eq(git_treebuilder_write(&want, tb), 0);
    ck_assert(git_oid_equal(&o->id, &want));
    ck_assert_int_eq(pack_put_object(pw, &got, o), 0);
    return o;
}

/* Object @p id reads back from @p odb, with that id. */
static void reads_back(git_odb *odb, const git_oid *id)
{
    git_odb_object *obj;
    git_oid again;

    ck_assert_int_eq(git_odb_read(&obj, odb, id), 0);
    ck_assert_int_eq(git_odb_hash(&again, git_odb_object_data(obj), git_odb_object_size(obj),
                                  git_odb_object_type(obj)), 0);
    ck_assert(git_oid_equal(&again, id));
    git_odb_object_free(obj);
}

enum { NAMES = 450 };

/* Base: random entries (a key: big enough for deltas); cur: base with
 * random changes, insertions and replacements by the other kind (a
 * deletion and an insertion); libgit2 reads cur back from the pack. */
START_TEST(test_pack_tree_delta_rebuilds)
{
    char tmpl[] = "/tmp/posdiff-pack-XXXXXX", names[NAMES][16];
    git_repository *repo = temp_repo(tmpl);
    pack_deflater *z = pack_deflater_new();
    static git_oid ids[200];
    size_t deltas = 0, written;
    pack_writer *pw = NULL;
    git_odb *odb;
    git_oid id;

    ck_assert_int_eq(pack_writer_new(&pw, repo, 0), 0);
    for (int round = 0; round < 200; round++) {
        unsigned n = 200 + rnd(NAMES - 200), edits = rnd(12);
        int kind[NAMES];
        pack_tree *t = NULL;
        git_treebuilder *tb = NULL;
        pack_object *o;

        ck_assert_int_eq(pack_tree_new(&t, NULL, 0), 0);
        ck_assert_int_eq(git_treebuilder_new(&tb, repo, NULL), 0);
        for (unsigned k = 0; k < n + edits; k++) { /* the base, then the edits */
            unsigned e = k < n || rnd(2) ? k % NAMES : rnd(n); /* new, else an old name */
            if (e == k % NAMES)
                rand_name(names[e], sizeof(names[e])), kind[e] = rnd(5) == 0;
            else if (rnd(2))
                kind[e] = !kind[e]; /* replaced by the other kind */
            rand_id(&id);
            ck_assert_int_eq(pack_tree_set(t, names[e], kind[e], &id), 0);
            ck_assert_int_eq(git_treebuilder_insert(NULL, tb, names[e], &id, kind[e] ?
                                                    GIT_FILEMODE_TREE : GIT_FILEMODE_BLOB), 0);
            if (k + 1 == n) { /* the base: the key */
                o = put_checked(pw, t, tb, z);
                ck_assert(o->keep && !o->delta_len);
                pack_object_free(o);
            }
        }
        o = put_checked(pw, t, tb, z);
        if (edits == 0)
            ck_assert(o->delta_len > 0 && o->delta_len < 16); /* one copy op */
        deltas += o->delta_len > 0;
        git_oid_cpy(&ids[round], &o->id);
        pack_object_free(o);
        pack_tree_free(t);
        git_treebuilder_free(tb);
    }
    ck_assert_uint_gt(deltas, 190);
    ck_assert_int_eq(pack_writer_commit(pw, &written), 0);
    pack_writer_free(pw);
    ck_assert_int_eq(git_repository_odb(&odb, repo), 0);
    for (int round = 0; round < 200; round++)
        reads_back(odb, &ids[round]);
    git_odb_free(odb);
    pack_deflater_free(z);
    git_repository_free(repo);
    remove_dir(tmpl);
}
END_TEST

/* Line deltas rebuild the new text from the old one: random texts of
 * random lines, edited by replacing, dropping, adding and moving lines
 * (also without a final newline, and empty). */
START_TEST(test_gitdelta_lines_rebuild)
{
    static const char *words[] = {"data", "security", "mechanism", "single-track",
                                  "binding", "we", "oppose", "support", ""};

    for (int round = 0; round < 400; round++) {
        buf a = BUF_INIT, b = BUF_INIT, d = BUF_INIT, out = BUF_INIT;
        unsigned n = rnd(round < 20 ? 3 : 40);

        for (unsigned k = 0; k < n; k++) {
            for (unsigned w = 0, nw = rnd(6); w < nw; w++)
                buf_printf(&a, "%s ", words[rnd(9)]);
            if (k + 1 < n || rnd(2))
                buf_putc(&a, '\n');
        }
        /* b: a's lines, some replaced/dropped/duplicated, some new */
        for (const char *p = a.ptr ? a.ptr : "", *e = p + a.len; p < e;) {
            const char *nl = memchr(p, '\n', (size_t)(e - p));
            size_t len = nl ? (size_t)(nl - p) + 1 : (size_t)(e - p);
            unsigned r = rnd(10);
            if (r == 0)
                buf_printf(&b, "new line %u\n", rnd(5));
            else if (r != 1)
                buf_put(&b, p, len);
            if (r == 2)
                buf_put(&b, p, len);
            p += len;
        }
        ck_assert_int_eq(gitdelta_lines(&d, a.ptr ? a.ptr : "", a.len, b.ptr ? b.ptr : "",
                                        b.len), 0);
        ck_assert_int_eq(delta_apply(&out, a.ptr ? a.ptr : "", a.len, d.ptr, d.len), 0);
        ck_assert_uint_eq(out.len, b.len);
        ck_assert(b.len == 0 || memcmp(out.ptr, b.ptr, b.len) == 0);
        buf_free(&a);
        buf_free(&b);
        buf_free(&d);
        buf_free(&out);
    }
}
END_TEST

enum { N = 1000 };

/* Statements over three years, as the build's worker adds them: every
 * prepared tree is a full object or a delta against the last full one
 * of its year, and is written.  Returns the trees' ids in *ids. */
static void write_year_trees(pack_writer *pw, git_oid *ids)
{
    pack_deflater *z = pack_deflater_new();
    pack_tree *t = NULL;
    git_oid key_id = {{0}}, blob;
    size_t fulls = 0, deltas = 0;
    char name[32];

    for (int i = 0; i < N; i++) {
        pack_object *o = NULL;
        if (i % 400 == 0) { /* a new year: a new tree */
            pack_tree_free(t);
            ck_assert_int_eq(pack_tree_new(&t, NULL, 0), 0);
        }
        /* every 7th statement sorts first */
        snprintf(name, sizeof(name), "%s-s%05d.md", i % 7 == 3 ? "0000" : "2000", i);
        rand_id(&blob);
        ck_assert_int_eq(pack_tree_set(t, name, 0, &blob), 0);
        ck_assert_int_eq(pack_tree_prepare(&o, t, z), 0);
        if (o->delta_len) {
            ck_assert(git_oid_equal(&o->base, &key_id));
            ck_assert(!o->keep);
            deltas++;
        } else if (fulls++, o->keep)
            git_oid_cpy(&key_id, &o->id);
        ck_assert_int_eq(pack_put_object(pw, &ids[i], o), 0);
        ck_assert(git_oid_equal(&ids[i], &o->id));
        pack_object_free(o);
    }
    ck_assert_uint_gt(deltas, 650); /* trees under 4 KiB (87 entries) are full */
    ck_assert_uint_gt(fulls, 3 * 87);
    pack_tree_free(t);
    pack_deflater_free(z);
}

/* Versions of a text, each a few lines off the one before. */
static void write_texts(pack_writer *pw, git_oid *ids, buf *texts)
{
    pack_text *last = NULL;

    for (int i = 0; i < N; i++) {
        for (int k = 0; k < 60; k++)
            buf_printf(&texts[i], "line %d of the text, version %d\n", k,
                       rnd(8) ? 0 : (int)rnd(1000));
        ck_assert_int_eq(pack_put_text(pw, &ids[i], &last, texts[i].ptr, texts[i].len), 0);
    }
    pack_text_free(last);
}

START_TEST(test_pack_reads_back)
{
    char tmpl[] = "/tmp/posdiff-pack-XXXXXX";
    git_repository *repo = temp_repo(tmpl);
    static git_oid trees[N], blobs[N];
    static buf texts[N];
    pack_writer *pw = NULL;
    git_odb *odb;
    size_t written;

    ck_assert_int_eq(pack_writer_new(&pw, repo, 0), 0);
    write_year_trees(pw, trees);
    write_texts(pw, blobs, texts);
    ck_assert_int_eq(pack_writer_commit(pw, &written), 0);
    ck_assert_uint_ge(written, N + 2);
    pack_writer_free(pw);
    ck_assert_int_eq(git_repository_odb(&odb, repo), 0);
    for (int i = 0; i < N; i++) { /* libgit2 checks each object's hash */
        git_odb_object *obj;
        reads_back(odb, &trees[i]);
        ck_assert_int_eq(git_odb_read(&obj, odb, &blobs[i]), 0);
        ck_assert_uint_eq(git_odb_object_size(obj), texts[i].len);
        ck_assert(memcmp(git_odb_object_data(obj), texts[i].ptr, texts[i].len) == 0);
        git_odb_object_free(obj);
        buf_free(&texts[i]);
    }
    git_odb_free(odb);
    git_repository_free(repo);
    remove_dir(tmpl);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("pack");
    TCase *tc = tcase_create("core");

    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_pack_tree_order_matches_libgit2);
    tcase_add_test(tc, test_pack_tree_parse_rejects_damage);
    tcase_add_test(tc, test_pack_tree_delta_rebuilds);
    tcase_add_test(tc, test_gitdelta_lines_rebuild);
    tcase_add_test(tc, test_pack_reads_back);
    suite_add_tcase(s, tc);
    return s;
}

TU_MAIN(suite)
