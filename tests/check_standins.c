/*
 * check_standins.c - the program's stand-ins for libraries it links
 * without using them (cli/nogss.c, cli/nossh.c, cli/stem_english.c; see
 * cli/meson.build).  Built only when the program uses them.
 *
 * tcases:
 *   stem  stem_english.c against libstemmer.so itself (dlopen'ed, so
 *         both live in one process): the same stem, byte for byte, for
 *         every word of the shipped corpus's statements and a table of
 *         edge cases (empty, short, exceptional, non-ASCII, over-long);
 *         only "english" in UTF-8 is offered.
 *   gss   every GSSAPI call fails as "unavailable" (GSS_ERROR is true)
 *         and clears its outputs; the release calls succeed.
 *   ssh   libssh2_init succeeds (git_libgit2_init calls it), no session
 *         can be made, and the error says why.
 *   tls   (when the program has notls.c; built then with static
 *         libgit2) its global init succeeds; no TLS stream can be made
 *         or wrapped, nor CA locations set (also through
 *         git_libgit2_opts), and libgit2's last error says why; an
 *         https:// remote fails so to connect, before any network use;
 *         local repositories work.
 *
 * Exit 77 (skipped) when libstemmer.so is not installed.
 */
#define _XOPEN_SOURCE 700 /* mkdtemp, nftw */
#include <check.h>
#include <dirent.h>
#include <dlfcn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libssh2.h>
#include <libstemmer.h>
#ifdef STANDINS_NOTLS
#include <ftw.h>
#include <git2.h>
#include <git2/sys/stream.h>
#endif

/* ---- stem ---- */

typedef struct {
    struct sb_stemmer *(*new_)(const char *, const char *);
    void (*delete_)(struct sb_stemmer *);
    const sb_symbol *(*stem)(struct sb_stemmer *, const sb_symbol *, int);
    int (*length)(struct sb_stemmer *);
} stem_api;

static stem_api lib; /* libstemmer.so's own functions */
static void *lib_handle;

static int load_libstemmer(void)
{
    static const char *const names[] = {"libstemmer.so.0d", "libstemmer.so.0",
                                        "libstemmer.so.2", "libstemmer.so"};

    for (size_t i = 0; i < sizeof(names) / sizeof(*names) && !lib_handle; i++)
        lib_handle = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
    if (!lib_handle)
        return -1;
    lib.new_ = (struct sb_stemmer * (*)(const char *, const char *))
        dlsym(lib_handle, "sb_stemmer_new");
    lib.delete_ = (void (*)(struct sb_stemmer *))dlsym(lib_handle, "sb_stemmer_delete");
    lib.stem = (const sb_symbol *(*)(struct sb_stemmer *, const sb_symbol *, int))
        dlsym(lib_handle, "sb_stemmer_stem");
    lib.length = (int (*)(struct sb_stemmer *))dlsym(lib_handle, "sb_stemmer_length");
    return lib.new_ && lib.delete_ && lib.stem && lib.length ? 0 : -1;
}

typedef struct {
    struct sb_stemmer *ours, *theirs;
    size_t compared;
} stem_pair;

static void same_stem(stem_pair *p, const char *w, size_t n)
{
    const sb_symbol *a = sb_stemmer_stem(p->ours, (const sb_symbol *)w, (int)n);
    int alen = sb_stemmer_length(p->ours);
    char mine[1024];
    const sb_symbol *b;

    ck_assert(a != NULL);
    ck_assert_int_lt(alen, (int)sizeof(mine));
    memcpy(mine, a, (size_t)alen + 1); /* the next call may reuse the buffer */
    b = lib.stem(p->theirs, (const sb_symbol *)w, (int)n);
    ck_assert(b != NULL);
    ck_assert_msg(alen == lib.length(p->theirs) && memcmp(mine, b, (size_t)alen + 1) == 0,
                  "\"%.*s\": stem_english.c \"%s\", libstemmer \"%s\"", (int)n, w, mine,
                  (const char *)b);
    p->compared++;
}

/* Lower-cased ASCII words (letters, digits, inner apostrophes) and
 * every run of non-ASCII bytes with them, as passages.c hands them. */
static void stem_text(stem_pair *p, const char *s, size_t len)
{
    char w[256];
    size_t n = 0;

    for (size_t i = 0; i <= len; i++) {
        unsigned char c = i < len ? (unsigned char)s[i] : ' ';
        int in = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                 (c >= '0' && c <= '9') || c >= 0x80 || (c == '\'' && n > 0);
        if (in && n < sizeof(w) - 1) {
            w[n++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
            continue;
        }
        if (n)
            same_stem(p, w, n);
        n = 0;
    }
}

static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    long n;

    ck_assert_msg(f != NULL, "cannot open %s", path);
    if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
        (buf = malloc((size_t)n + 1)))
        *len = fread(buf, 1, (size_t)n, f);
    fclose(f);
    ck_assert(buf != NULL);
    return buf;
}

START_TEST(test_standins_stem_corpus)
{
    const char *root = getenv("POSDIFF_SOURCE_ROOT");
    char dir[4096], path[8192];
    stem_pair p = {sb_stemmer_new("english", NULL), lib.new_("english", NULL), 0};
    struct dirent *de;
    DIR *d;

    ck_assert(p.ours && p.theirs);
    snprintf(dir, sizeof(dir), "%s/corpus/statements", root ? root : ".");
    ck_assert_msg((d = opendir(dir)) != NULL, "cannot list %s", dir);
    while ((de = readdir(d))) {
        size_t len = 0;
        char *text;
        if (de->d_name[0] == '.')
            continue;
        snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
        text = read_all(path, &len);
        stem_text(&p, text, len);
        free(text);
    }
    closedir(d);
    ck_assert_uint_gt(p.compared, 5000); /* the corpus was read (8 000 words) */
    sb_stemmer_delete(p.ours);
    lib.delete_(p.theirs);
}
END_TEST

static const char *const edge_words[] = {
    "", "a", "y", "ys", "'s", "s'", "sky", "skies", "dying", "news", "generously",
    "consistency", "yesterday", "cyberspace's", "ict-enabled", "caf\xc3\xa9",
    "na\xc3\xafve", "\xe4\xb8\xad\xe6\x96\x87", "r\xc3\xa9sum\xc3\xa9s", "1,000",
    "informationization", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
    "ational",
};

START_TEST(test_standins_stem_edges)
{
    stem_pair p = {sb_stemmer_new("english", NULL), lib.new_("english", NULL), 0};

    ck_assert(p.ours && p.theirs);
    same_stem(&p, edge_words[_i], strlen(edge_words[_i]));
    sb_stemmer_delete(p.ours);
    lib.delete_(p.theirs);
}
END_TEST

START_TEST(test_standins_stem_only_english)
{
    struct sb_stemmer *s;

    ck_assert((s = sb_stemmer_new("english", "UTF_8")) != NULL);
    sb_stemmer_delete(s);
    ck_assert((s = sb_stemmer_new("en", NULL)) != NULL);
    sb_stemmer_delete(s);
    ck_assert(sb_stemmer_new("french", NULL) == NULL);
    ck_assert(sb_stemmer_new("english", "ISO_8859_1") == NULL);
    ck_assert_str_eq(sb_stemmer_list()[0], "english");
    ck_assert(sb_stemmer_list()[1] == NULL);
    sb_stemmer_delete(NULL);
}
END_TEST

/* ---- gss (declarations as in nogss.c) ---- */

typedef uint32_t OM_uint32;
typedef struct {
    size_t length;
    void *value;
} gss_buffer_desc;
typedef struct {
    OM_uint32 length;
    void *elements;
} gss_OID_desc;
#define GSS_ERROR(x) ((x) & ((0377u << 24) | (0377u << 16)))

extern gss_OID_desc *GSS_C_NT_HOSTBASED_SERVICE;
OM_uint32 gss_indicate_mechs(OM_uint32 *minor, void **mech_set);
OM_uint32 gss_import_name(OM_uint32 *minor, gss_buffer_desc *name,
                          gss_OID_desc *type, void **out);
OM_uint32 gss_init_sec_context(OM_uint32 *minor, void *cred, void **ctx,
                               void *target, gss_OID_desc *mech,
                               OM_uint32 req_flags, OM_uint32 time_req,
                               void *bindings, gss_buffer_desc *in,
                               gss_OID_desc **actual_mech, gss_buffer_desc *out,
                               OM_uint32 *ret_flags, OM_uint32 *time_rec);
OM_uint32 gss_display_status(OM_uint32 *minor, OM_uint32 status, int type,
                             gss_OID_desc *mech, OM_uint32 *msg_ctx,
                             gss_buffer_desc *out);
OM_uint32 gss_delete_sec_context(OM_uint32 *minor, void **ctx, gss_buffer_desc *out);
OM_uint32 gss_release_buffer(OM_uint32 *minor, gss_buffer_desc *buf);
OM_uint32 gss_release_name(OM_uint32 *minor, void **name);
OM_uint32 gss_release_oid_set(OM_uint32 *minor, void **set);

START_TEST(test_standins_gss_unavailable)
{
    OM_uint32 minor = 99, ctxm = 0;
    void *set = &minor, *name = &minor, *ctx = &minor;
    gss_buffer_desc in = {4, "host"}, out = {3, "old"};

    ck_assert(GSS_ERROR(gss_indicate_mechs(&minor, &set)));
    ck_assert(set == NULL && minor == 0);
    ck_assert(GSS_C_NT_HOSTBASED_SERVICE != NULL);
    ck_assert(GSS_ERROR(gss_import_name(&minor, &in, GSS_C_NT_HOSTBASED_SERVICE, &name)));
    ck_assert(name == NULL);
    ck_assert(GSS_ERROR(gss_init_sec_context(&minor, NULL, &ctx, NULL, NULL, 0, 0, NULL,
                                             &in, NULL, &out, NULL, NULL)));
    ck_assert(out.length == 0 && out.value == NULL);
    out = (gss_buffer_desc){3, "old"};
    ck_assert(GSS_ERROR(gss_display_status(&minor, 1u << 16, 1, NULL, &ctxm, &out)));
    ck_assert(out.length == 0 && out.value == NULL);
    ck_assert_uint_eq(gss_delete_sec_context(&minor, &ctx, NULL), 0);
    ck_assert(ctx == NULL);
    ck_assert_uint_eq(gss_release_buffer(&minor, &out), 0);
    ck_assert_uint_eq(gss_release_name(&minor, &name), 0);
    ck_assert_uint_eq(gss_release_oid_set(&minor, &set), 0);
}
END_TEST

/* ---- ssh ---- */

START_TEST(test_standins_ssh_unavailable)
{
    char *msg = NULL;
    int len = 0;

    ck_assert_int_eq(libssh2_init(0), 0);
    ck_assert(libssh2_session_init_ex(NULL, NULL, NULL, NULL) == NULL);
    ck_assert_int_lt(libssh2_session_last_error(NULL, &msg, &len, 0), 0);
    ck_assert(msg != NULL && strstr(msg, "SSH is not available") != NULL);
    ck_assert_int_eq(len, (int)strlen(msg));
    ck_assert_int_lt(libssh2_session_last_error(NULL, &msg, NULL, 1), 0);
    ck_assert(msg != NULL && strstr(msg, "SSH is not available") != NULL);
    free(msg); /* want_buf: the caller's copy */
    ck_assert(libssh2_agent_init(NULL) == NULL);
    ck_assert(libssh2_knownhost_init(NULL) == NULL);
    ck_assert(libssh2_channel_open_ex(NULL, "session", 7, 0, 0, NULL, 0) == NULL);
    ck_assert_int_lt(libssh2_session_handshake(NULL, -1), 0);
    libssh2_exit();
}
END_TEST

#ifdef STANDINS_NOTLS
/* ---- tls (declarations as in notls.c: libgit2 1.5.1's) ---- */

int git_mbedtls_stream_global_init(void);
int git_mbedtls__set_cert_location(const char *file, const char *path);
int git_mbedtls_stream_new(git_stream **out, const char *host, const char *port);
int git_mbedtls_stream_wrap(git_stream **out, git_stream *in, const char *host);

#define NO_TLS "TLS is not available in posdiff (no remotes)"

static void tls_setup(void)
{
    ck_assert_int_gt(git_libgit2_init(), 0);
}

static void tls_teardown(void)
{
    git_libgit2_shutdown();
}

static void assert_no_tls(int rc)
{
    const git_error *e = git_error_last();

    ck_assert_int_eq(rc, -1);
    ck_assert(e != NULL);
    ck_assert_int_eq(e->klass, GIT_ERROR_SSL);
    ck_assert_str_eq(e->message, NO_TLS);
    git_error_clear();
}

START_TEST(test_standins_tls_unavailable)
{
    git_stream in = {.version = GIT_STREAM_VERSION}, *out = &in;

    ck_assert_int_eq(git_mbedtls_stream_global_init(), 0);
    assert_no_tls(git_mbedtls_stream_new(&out, "example.org", "443"));
    ck_assert(out == NULL);
    out = &in;
    assert_no_tls(git_mbedtls_stream_wrap(&out, &in, "example.org"));
    ck_assert(out == NULL && in.version == GIT_STREAM_VERSION); /* `in` untouched */
    assert_no_tls(git_mbedtls__set_cert_location("/etc/ssl/certs/ca-certificates.crt", NULL));
    assert_no_tls(git_mbedtls__set_cert_location(NULL, "/etc/ssl/certs"));
    assert_no_tls(git_libgit2_opts(GIT_OPT_SET_SSL_CERT_LOCATIONS, "x", NULL));
}
END_TEST

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    return remove(path);
}

/* An https:// remote gets as far as its TLS stream and no further (a
 * detached one: a repository's would read its config, where libgit2
 * 1.5 leaks pcre2 match data); a local repository is made and read as
 * before. */
START_TEST(test_standins_tls_remote)
{
    char dir[] = "/tmp/check_standins-XXXXXX", path[64];
    git_repository *repo = NULL;
    git_remote *remote = NULL;

    ck_assert_int_eq(git_remote_create_detached(&remote, "https://127.0.0.1:9/none.git"), 0);
    assert_no_tls(git_remote_connect(remote, GIT_DIRECTION_FETCH, NULL, NULL, NULL));
    ck_assert(!git_remote_connected(remote));
    git_remote_free(remote);
    ck_assert(mkdtemp(dir) != NULL);
    snprintf(path, sizeof(path), "%s/local", dir);
    ck_assert_int_eq(git_repository_init(&repo, path, 1), 0);
    ck_assert(git_repository_is_bare(repo) && git_repository_is_empty(repo) == 1);
    git_repository_free(repo);
    ck_assert_int_eq(git_repository_open(&repo, path), 0);
    git_repository_free(repo);
    ck_assert_int_eq(nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS), 0);
}
END_TEST
#endif

static Suite *standins_suite(void)
{
    Suite *s = suite_create("standins");
    TCase *stem = tcase_create("stem"), *gss = tcase_create("gss"), *ssh = tcase_create("ssh");

    tcase_set_timeout(stem, 120);
    tcase_add_test(stem, test_standins_stem_corpus);
    tcase_add_loop_test(stem, test_standins_stem_edges, 0,
                        sizeof(edge_words) / sizeof(*edge_words));
    tcase_add_test(stem, test_standins_stem_only_english);
    tcase_add_test(gss, test_standins_gss_unavailable);
    tcase_add_test(ssh, test_standins_ssh_unavailable);
    suite_add_tcase(s, stem);
    suite_add_tcase(s, gss);
    suite_add_tcase(s, ssh);
#ifdef STANDINS_NOTLS
    TCase *tls = tcase_create("tls");
    tcase_add_checked_fixture(tls, tls_setup, tls_teardown);
    tcase_add_test(tls, test_standins_tls_unavailable);
    tcase_add_test(tls, test_standins_tls_remote);
    suite_add_tcase(s, tls);
#endif
    return s;
}

int main(void)
{
    SRunner *sr;
    int failed;

    if (load_libstemmer() < 0) {
        fprintf(stderr, "check_standins: libstemmer.so not found: skipped\n");
        return 77;
    }
    sr = srunner_create(standins_suite());
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    dlclose(lib_handle);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
