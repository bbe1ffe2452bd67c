/*
 * check_gittree.c - git objects as the build writes them: tree bodies
 * edited in place (lib/gittree.c), the statements/ trees prepared ahead
 * (lib/stmttree.c) and line deltas (lib/gitdelta.c).
 *
 * Bodies: after random insertions and replacements, a body equals what
 * libgit2's treebuilder writes for the same entries (git's order,
 * trees sorting as if their names ended in '/'), and its id is the one
 * libgit2 computes.  Deltas: applied with an independent applier of
 * git's delta format, every delta turns its base into the current tree
 * (or text), for random inserts, replacements and deletions.
 */
#include <git2.h>

#include "check_util.h"
#include "history/pack/gitdelta.h"
#include "history/pack/gittree.h"
#include "history/pack/stmttree.h"

static unsigned long rng = 12345;

static unsigned rnd(unsigned n)
{
    rng = rng * 6364136223846793005ul + 1442695040888963407ul;
    return (unsigned)((rng >> 33) % n);
}

static void rand_id(unsigned char id[20])
{
    for (int k = 0; k < 20; k++)
        id[k] = (unsigned char)rnd(256); /* NULs and spaces included */
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

/* The body libgit2 writes for the entries of @p t (in @p repo). */
static void check_against_libgit2(git_repository *repo, const gittree *t)
{
    git_treebuilder *tb;
    git_oid id, mine;
    git_odb *odb;
    git_odb_object *obj;

    ck_assert_int_eq(git_treebuilder_new(&tb, repo, NULL), 0);
    for (size_t k = 0; k < t->n; k++) {
        const char *e = t->body.ptr + t->at[k], *name = strchr(e, ' ') + 1;
        git_oid eid;
        memcpy(eid.id, name + strlen(name) + 1, 20);
        ck_assert_int_eq(git_treebuilder_insert(NULL, tb, name, &eid,
                                                e[0] == '4' ? GIT_FILEMODE_TREE
                                                            : GIT_FILEMODE_BLOB), 0);
    }
    ck_assert_int_eq(git_treebuilder_write(&id, tb), 0);
    ck_assert_int_eq(git_repository_odb(&odb, repo), 0);
    ck_assert_int_eq(git_odb_read(&obj, odb, &id), 0);
    ck_assert_uint_eq(git_odb_object_size(obj), t->body.len);
    ck_assert(memcmp(git_odb_object_data(obj), t->body.ptr, t->body.len) == 0);
    ck_assert_int_eq(git_odb_hash(&mine, t->body.ptr, t->body.len, GIT_OBJECT_TREE), 0);
    ck_assert(git_oid_equal(&mine, &id));
    git_odb_object_free(obj);
    git_odb_free(odb);
    git_treebuilder_free(tb);
}

START_TEST(test_gittree_order_matches_libgit2)
{
    char tmpl[] = "/tmp/posdiff-gittree-XXXXXX", name[16];
    git_repository *repo;
    gittree t = GITTREE_INIT, parsed = GITTREE_INIT;
    unsigned char id[20];

    ck_assert(mkdtemp(tmpl) != NULL);
    git_libgit2_init();
    git_libgit2_opts(GIT_OPT_ENABLE_STRICT_OBJECT_CREATION, 0); /* ids of nothing */
    ck_assert_int_eq(git_repository_init(&repo, tmpl, 1), 0);
    for (int round = 0; round < 30; round++) {
        for (int k = 0; k < 20; k++) {
            rand_name(name, sizeof(name));
            rand_id(id);
            ck_assert_int_eq(gittree_set(&t, name, rnd(4) ? "100644" : "40000", id, NULL), 0);
        }
        check_against_libgit2(repo, &t);
        ck_assert_int_eq(gittree_parse(&parsed, t.body.ptr, t.body.len), 0);
        ck_assert_uint_eq(parsed.n, t.n);
        for (size_t k = 0; k < t.n; k++)
            ck_assert_uint_eq(parsed.at[k], t.at[k]);
    }
    /* "a" as a tree sorts after "a-b" ('/' > '-'); as a blob, before it;
     * a name is unique whatever its mode */
    gittree_free(&t);
    rand_id(id);
    ck_assert_int_eq(gittree_set(&t, "a-b", "100644", id, NULL), 0);
    ck_assert_int_eq(gittree_set(&t, "a", "40000", id, NULL), 0);
    ck_assert_uint_eq(t.n, 2);
    ck_assert_str_eq(t.body.ptr + t.at[0], "100644 a-b");
    ck_assert_str_eq(t.body.ptr + t.at[1], "40000 a");
    check_against_libgit2(repo, &t);
    ck_assert_int_eq(gittree_set(&t, "a", "100644", id, NULL), 0);
    ck_assert_uint_eq(t.n, 2);
    ck_assert_str_eq(t.body.ptr + t.at[0], "100644 a");
    ck_assert_str_eq(t.body.ptr + t.at[1], "100644 a-b");
    check_against_libgit2(repo, &t);
    gittree_free(&t);
    gittree_free(&parsed);
    git_repository_free(repo);
    git_libgit2_shutdown();
}
END_TEST

START_TEST(test_gittree_parse_rejects_damage)
{
    gittree t = GITTREE_INIT;
    const char bad[] = "100644 name-without-id";

    ck_assert_int_lt(gittree_parse(&t, bad, sizeof(bad) - 1), 0);
    ck_assert(strstr(posdiff_error_last(), "damaged") != NULL);
    gittree_free(&t);
}
END_TEST

/* Base: n random entries; cur: base with random deletions, changes and
 * insertions (@p edits of them); the delta must rebuild cur. */
START_TEST(test_gittree_delta_rebuilds)
{
    char name[16];
    unsigned char id[20];

    for (int round = 0; round < 300; round++) {
        gittree base = GITTREE_INIT, cur = GITTREE_INIT;
        buf d = BUF_INIT, out = BUF_INIT;
        size_t n = rnd(round < 10 ? 3 : 400), edits = rnd(12);

        for (size_t k = 0; k < n; k++) {
            rand_name(name, sizeof(name));
            rand_id(id);
            ck_assert_int_eq(gittree_set(&base, name, rnd(5) ? "100644" : "40000", id, NULL), 0);
        }
        /* deletions: copy base without some entries (by re-setting the rest) */
        for (size_t k = 0; k < base.n; k++) {
            const char *e = base.body.ptr + base.at[k], *nm = strchr(e, ' ') + 1;
            char mode[8];
            if (edits && rnd(40) == 0)
                continue;
            memcpy(mode, e, (size_t)(nm - 1 - e));
            mode[nm - 1 - e] = '\0';
            ck_assert_int_eq(gittree_set(&cur, nm, mode, (const unsigned char *)nm +
                                                         strlen(nm) + 1, NULL), 0);
        }
        for (size_t k = 0; k < edits; k++) {
            if (cur.n && rnd(2)) { /* change an id */
                const char *e = cur.body.ptr + cur.at[rnd((unsigned)cur.n)];
                const char *nm = strchr(e, ' ') + 1;
                char copy[16], mode[8];
                snprintf(copy, sizeof(copy), "%s", nm);
                memcpy(mode, e, (size_t)(nm - 1 - e));
                mode[nm - 1 - e] = '\0';
                rand_id(id);
                ck_assert_int_eq(gittree_set(&cur, copy, mode, id, NULL), 0);
            } else {
                rand_name(name, sizeof(name));
                rand_id(id);
                ck_assert_int_eq(gittree_set(&cur, name, "100644", id, NULL), 0);
            }
        }
        ck_assert_int_eq(gittree_delta(&d, &base, &cur, 0), 0);
        ck_assert_int_eq(delta_apply(&out, base.body.ptr ? base.body.ptr : "", base.body.len,
                                     d.ptr, d.len), 0);
        ck_assert_uint_eq(out.len, cur.body.len);
        ck_assert(cur.body.len == 0 || memcmp(out.ptr, cur.body.ptr, out.len) == 0);
        if (edits == 0 && n > 20)
            ck_assert_uint_lt(d.len, 16); /* one copy op */
        buf_free(&d);
        buf_free(&out);
        gittree_free(&base);
        gittree_free(&cur);
    }
}
END_TEST

/* Appends after a copy: the offset gittree_set reports is a prefix both
 * share, and a delta that skips it rebuilds the tree as well. */
START_TEST(test_gittree_delta_known_prefix)
{
    char name[16];
    unsigned char id[20];

    for (int round = 0; round < 200; round++) {
        gittree base = GITTREE_INIT, cur = GITTREE_INIT;
        buf d = BUF_INIT, out = BUF_INIT;
        size_t same = (size_t)-1, where;

        for (unsigned k = 0, n = rnd(300); k < n; k++) {
            rand_name(name, sizeof(name));
            rand_id(id);
            ck_assert_int_eq(gittree_set(&base, name, "100644", id, NULL), 0);
        }
        ck_assert_int_eq(gittree_copy(&cur, &base), 0);
        for (unsigned k = 0, n = rnd(8); k < n; k++) {
            rand_name(name, sizeof(name));
            rand_id(id);
            ck_assert_int_eq(gittree_set(&cur, name, rnd(3) ? "100644" : "40000", id, &where), 0);
            same = where < same ? where : same;
        }
        if (same == (size_t)-1)
            same = cur.body.len;
        ck_assert(same <= base.body.len && same <= cur.body.len);
        ck_assert(same == 0 || memcmp(base.body.ptr, cur.body.ptr, same) == 0);
        ck_assert_int_eq(gittree_delta(&d, &base, &cur, same), 0);
        ck_assert_int_eq(delta_apply(&out, base.body.ptr ? base.body.ptr : "", base.body.len,
                                     d.ptr, d.len), 0);
        ck_assert_uint_eq(out.len, cur.body.len);
        ck_assert(cur.body.len == 0 || memcmp(out.ptr, cur.body.ptr, out.len) == 0);
        buf_free(&d);
        buf_free(&out);
        gittree_free(&base);
        gittree_free(&cur);
    }
}
END_TEST

/* A long series of statements over three years: every prepared tree
 * gets the id of its year's body, and is either a full object or a
 * delta against the last full one of that year. */
START_TEST(test_stmttree_series)
{
    enum { N = 1000 };
    stmttree t = STMTTREE_INIT;
    packwrite_prepared p = PACKWRITE_PREPARED_INIT;
    packwrite_deflater *z = packwrite_deflater_new();
    gittree shadow = GITTREE_INIT;
    git_oid key_id = {{0}}, blob, want;
    size_t fulls = 0, deltas = 0;
    char id[32], year[8];

    ck_assert(z != NULL);
    ck_assert_int_eq(stmttree_start(&t, NULL, NULL, 0), 0);
    for (int i = 0; i < N; i++) {
        snprintf(year, sizeof(year), "%d", 2000 + i / 400);
        if (i % 400 == 0) /* a new year: a new tree */
            gittree_free(&shadow);
        /* every 7th statement sorts first */
        snprintf(id, sizeof(id), "%s-s%05d", i % 7 == 3 ? "0000" : year, i);
        rand_id(blob.id);
        ck_assert_int_eq(stmttree_add(&p, &t, z, year, id, &blob), 0);
        snprintf(id + strlen(id), 4, ".md");
        ck_assert_int_eq(gittree_set(&shadow, id, "100644", blob.id, NULL), 0);
        ck_assert_int_eq(git_odb_hash(&want, shadow.body.ptr, shadow.body.len, GIT_OBJECT_TREE), 0);
        ck_assert(git_oid_equal(&p.id, &want));
        if (p.delta_len) {
            ck_assert(git_oid_equal(&p.base, &key_id));
            ck_assert(!p.keep);
            deltas++;
        } else {
            fulls++;
            if (p.keep)
                git_oid_cpy(&key_id, &p.id);
        }
    }
    ck_assert_uint_gt(deltas, 650); /* trees under 4 KiB (87 entries) are full */
    ck_assert_uint_gt(fulls, 3 * 87);
    /* statements come in date order: an earlier year is refused */
    rand_id(blob.id);
    ck_assert_int_lt(stmttree_add(&p, &t, z, "2001", "2001-x", &blob), 0);
    stmttree_free(&t);
    gittree_free(&shadow);
    buf_free(&p.packed);
    packwrite_deflater_free(z);
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

static Suite *suite(void)
{
    Suite *s = suite_create("gittree");
    TCase *tc = tcase_create("core");

    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_gittree_order_matches_libgit2);
    tcase_add_test(tc, test_gittree_parse_rejects_damage);
    tcase_add_test(tc, test_gittree_delta_rebuilds);
    tcase_add_test(tc, test_gittree_delta_known_prefix);
    tcase_add_test(tc, test_stmttree_series);
    tcase_add_test(tc, test_gitdelta_lines_rebuild);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
