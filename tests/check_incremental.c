/*
 * check_incremental.c - what keeps `posdiff add` + `posdiff build` of one
 * statement cheap on a large corpus, and that none of it changes a
 * result.
 *
 * tcases:
 * - corpus_cache (lib/corpus/corpus_cache.c): an open served from the
 *   cache gives the very statements, order, warnings and errors a parse
 *   gives, with the cache whole, stale, torn, corrupt, or the manifest
 *   grown by lines the cache does not know (a new statement, a section
 *   it would merge, keys of its last section, many statements); the
 *   cache is read (a crafted one shows), written by posdiff_corpus_keep
 *   and by add (for the manifest it writes).
 * - caches (lib/rawhash.c, lib/resume.c, lib/chain.c): corrupt, torn or
 *   edited records are not used, the history is still the clean build's;
 *   the raw-hash and chain caches grow by appending.
 * - add (lib/corpus/corpus_edit.c): posdiff_corpus_add refuses a
 *   duplicate, before and after a build, and caches its new manifest.
 * - sums (lib/cachesum.h): any one-byte change changes the sums.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdarg.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "util/cachesum.h"
#include "check_util.h"
#include "corpus/corpus_cache.h"

/* ---- helpers ------------------------------------------------------------ */

__attribute__((format(printf, 1, 2)))
static char *xprintf(const char *fmt, ...)
{
    va_list ap;
    char *p = NULL;

    va_start(ap, fmt);
    ck_assert(vasprintf(&p, fmt, ap) > 0);
    va_end(ap);
    return p;
}

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

static void write_bytes(const char *path, const char *data, size_t len)
{
    FILE *f = fopen(path, "wb");

    ck_assert_msg(f != NULL, "cannot write %s", path);
    ck_assert_uint_eq(fwrite(data, 1, len, f), len);
    fclose(f);
}

static void append_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "ab");

    ck_assert_msg(f != NULL, "cannot append to %s", path);
    fputs(text, f);
    fclose(f);
}

/* A copy of the shipped corpus with its .posdiff directory (no history). */
static char *shipped_copy(void)
{
    char tmpl[] = "/tmp/posdiff-incr-XXXXXX", *dir = mkdtemp(tmpl);

    ck_assert(dir != NULL);
    sh("cp -r '%s/statements' '%s/statements.conf' '%s/positions.conf' '%s/' && mkdir '%s/.posdiff'",
       tu_src("corpus"), tu_src("corpus"), tu_src("corpus"), dir, dir);
    return strdup(dir);
}

static void rm_rf(char *dir)
{
    sh("rm -rf '%s'", dir);
    free(dir);
}

static char *cache_file(const char *dir)
{
    return xprintf("%s/.posdiff/corpus-cache", dir);
}

static char *conf_file(const char *dir)
{
    return xprintf("%s/statements.conf", dir);
}

static int exists(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0;
}

static ino_t inode_of(const char *path)
{
    struct stat sb;

    ck_assert_int_eq(stat(path, &sb), 0);
    return sb.st_ino;
}

/* What an open gives, as text: the statements in corpus order with every
 * field, the warnings; or the error code and message. */
static char *snapshot(const char *dir, unsigned flags, int keep)
{
    posdiff_corpus *c = NULL;
    char *out = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&out, &n);
    int rc = posdiff_corpus_open_ext(&c, dir, flags);

    ck_assert(f != NULL);
    if (rc < 0) {
        fprintf(f, "error %d: %s\n", rc, posdiff_error_last());
    } else {
        for (size_t i = 0; i < posdiff_corpus_count(c); i++) {
            const posdiff_statement *st = posdiff_corpus_statement(c, i);
            fprintf(f, "%zu|%s|%s|%s|%s|%s|%s|%s|%zu", st->manifest_index, st->id, st->file,
                    st->date, st->title ? st->title : "(null)", st->venue ? st->venue : "(null)",
                    st->speaker ? st->speaker : "(null)", st->source ? st->source : "(null)",
                    st->strip_count);
            for (size_t k = 0; k < st->strip_count; k++)
                fprintf(f, "|%s", st->strip[k]);
            fputc('\n', f);
        }
        for (size_t i = 0; i < posdiff_corpus_warning_count(c); i++)
            fprintf(f, "warning: %s\n", posdiff_corpus_warning(c, i));
        if (keep)
            posdiff_corpus_keep(c);
        posdiff_corpus_free(c);
    }
    fclose(f);
    return out;
}

/* The same open with the cache moved away (a parse), the cache put back. */
static char *parsed_snapshot(const char *dir)
{
    char *cf = cache_file(dir), *aside = xprintf("%s.aside", cf), *s;
    int had = exists(cf);

    if (had)
        ck_assert_int_eq(rename(cf, aside), 0);
    s = snapshot(dir, 0, 0);
    ck_assert(!exists(cf)); /* an open does not write it */
    if (had)
        ck_assert_int_eq(rename(aside, cf), 0);
    free(cf);
    free(aside);
    return s;
}

/* The open with the cache as it is equals a parse of the same manifest. */
static void assert_same_as_parse(const char *dir, const char *what)
{
    char *parsed = parsed_snapshot(dir), *cached = snapshot(dir, 0, 0);

    ck_assert_msg(!strcmp(parsed, cached), "%s:\nparsed:\n%s\ncached:\n%s", what, parsed, cached);
    free(parsed);
    free(cached);
}

/* Open and keep: the cache of the manifest as it is now. */
static void keep_cache(const char *dir)
{
    char *cf = cache_file(dir);

    unlink(cf);
    free(snapshot(dir, 0, 1));
    ck_assert_msg(exists(cf), "posdiff_corpus_keep wrote no cache");
    free(cf);
}

/* ---- corpus cache ------------------------------------------------------ */

START_TEST(test_corpus_cache_written_by_keep_only)
{
    char *dir = shipped_copy(), *cf = cache_file(dir), *s;

    s = snapshot(dir, 0, 0);
    ck_assert(!exists(cf));
    free(s);
    keep_cache(dir);
    assert_same_as_parse(dir, "whole");
    /* no .posdiff directory: nothing written */
    sh("rm -rf '%s/.posdiff'", dir);
    free(snapshot(dir, 0, 1));
    ck_assert(!exists(cf));
    free(cf);
    rm_rf(dir);
}
END_TEST

/* The cache is what an open reads: a cache saved with other titles (and
 * valid sums) shows them; the same cache with one byte changed does not. */
START_TEST(test_corpus_cache_is_read)
{
    char *dir = shipped_copy(), *cf = cache_file(dir), *conf = conf_file(dir), *text, *s, *c;
    posdiff_corpus *corpus = NULL;
    posdiff_statement st[16];
    size_t len, n, clen;

    ck_assert_int_eq(posdiff_corpus_open(&corpus, dir), 0);
    n = posdiff_corpus_count(corpus);
    ck_assert(n <= 16);
    for (size_t i = 0; i < n; i++) {
        st[i] = *posdiff_corpus_statement(corpus, i);
        st[i].title = "Crafted";
    }
    text = tu_read_file(conf, &len);
    corpus_cache_save(dir, len, cachesum64(text, len), (corpus_conf_key){0, 0, 0, 0}, st, n);
    posdiff_corpus_free(corpus);
    s = snapshot(dir, 0, 0);
    ck_assert_msg(strstr(s, "|Crafted|") != NULL, "%s", s);
    free(s);
    /* one byte of the crafted cache changed: its sum fails, a parse */
    c = tu_read_file(cf, &clen);
    c[clen - 20] ^= 1;
    write_bytes(cf, c, clen);
    s = snapshot(dir, 0, 0);
    ck_assert_msg(strstr(s, "|Crafted|") == NULL, "%s", s);
    free(s);
    assert_same_as_parse(dir, "corrupt cache");
    free(c);
    free(text);
    free(cf);
    free(conf);
    rm_rf(dir);
}
END_TEST

/* Torn, emptied, foreign or stale caches: the open is a parse's. */
START_TEST(test_corpus_cache_damaged)
{
    char *dir = shipped_copy(), *cf = cache_file(dir), *conf = conf_file(dir), *c, *text;
    size_t clen, len;

    keep_cache(dir);
    c = tu_read_file(cf, &clen);
    for (size_t cut = 0; cut < clen; cut += clen / 7 + 1) {
        write_bytes(cf, c, cut);
        assert_same_as_parse(dir, "torn cache");
    }
    for (size_t at = 0; at < clen; at += clen / 11 + 1) {
        c[at] ^= 0x20;
        write_bytes(cf, c, clen);
        assert_same_as_parse(dir, "changed cache byte");
        c[at] ^= 0x20;
    }
    write_bytes(cf, "nonsense\n", 9);
    assert_same_as_parse(dir, "garbage cache");
    /* the manifest edited inside what the cache covers, or cut short */
    write_bytes(cf, c, clen);
    text = tu_read_file(conf, &len);
    {
        char *t = strstr(text, "title = ");
        ck_assert(t != NULL);
        t[8] = t[8] == 'X' ? 'Y' : 'X';
        write_bytes(conf, text, len);
        assert_same_as_parse(dir, "manifest edited");
        write_bytes(conf, text, len / 2);
        assert_same_as_parse(dir, "manifest cut");
    }
    free(text);
    free(c);
    free(cf);
    free(conf);
    rm_rf(dir);
}
END_TEST

/* Lines after the cached manifest: the cache is not used, the result is
 * a parse's. */
START_TEST(test_corpus_cache_tail)
{
    static const char *const tails[] = {
        /* a new statement (what add appends) */
        "[statement \"zz-new\"]\n\tfile = statements/t1.txt\n\tdate = 2026\n",
        /* a new statement naming another's file: an error */
        "[statement \"zz-dup\"]\n\tfile = statements/2019-09-oewg-submission.txt\n\tdate = 2026\n",
        /* a section of a cached id: merged into it by a parse */
        "[statement \"2021-12-14-oewg\"]\n\tstrip = Suggest to a friend\n",
        "[statement \"2021-12-14-oewg\"]\n\tdate = 2022\n",
        /* keys of the cached manifest's last section */
        "\tstrip = Print\n",
        /* an unknown key: a warning */
        "[statement \"zz-warn\"]\n\tfile = statements/t2.txt\n\tdate = 2026\n\tcolour = red\n",
        /* quotes and a comment, and bad syntax */
        "[statement \"zz-q\"]\n\tfile = \"statements/t3.txt\" ; c\n\tdate = 2026\n",
        "[statement \"zz-bad\"\n",
        /* an invalid entry, an equal date, an earlier date, two at once */
        "[statement \"zz-nodate\"]\n\tfile = statements/t4.txt\n",
        "[statement \"zz-same-day\"]\n\tfile = statements/t5.txt\n\tdate = 2021-12-14\n",
        "[statement \"zz-early\"]\n\tfile = statements/t6.txt\n\tdate = 2019\n",
        ("[statement \"zz-b\"]\n\tfile = statements/t7.txt\n\tdate = 2020\n"
         "[statement \"zz-a\"]\n\tfile = statements/t8.txt\n\tdate = 2019-09\n"),
    };
    char *dir = shipped_copy(), *conf = conf_file(dir), *orig;
    size_t len;

    sh("cd '%s/statements' && for i in 1 2 3 4 5 6 7 8 9 10 11 12; do printf 'Text %%s.\\n' $i > t$i.txt; done",
       dir);
    orig = tu_read_file(conf, &len);
    for (size_t i = 0; i < sizeof(tails) / sizeof(*tails); i++) {
        write_bytes(conf, orig, len);
        keep_cache(dir);
        append_text(conf, tails[i]);
        assert_same_as_parse(dir, tails[i]);
    }
    /* many new statements at once: more than the tail the cache takes */
    write_bytes(conf, orig, len);
    keep_cache(dir);
    for (int k = 1; k <= 12; k++) {
        char *sec = xprintf("[statement \"zz-%02d\"]\n\tfile = statements/t%d.txt\n\tdate = 20%02d\n",
                            k, k, 30 - k);
        append_text(conf, sec);
        free(sec);
        assert_same_as_parse(dir, "growing tail");
    }
    free(orig);
    free(conf);
    rm_rf(dir);
}
END_TEST

/* The raw files are still checked on every open served by the cache. */
START_TEST(test_corpus_cache_files_still_checked)
{
    char *dir = shipped_copy(), *gone = xprintf("%s/statements/2020-10-30-first-committee.txt", dir);
    char *s;

    keep_cache(dir);
    ck_assert_int_eq(unlink(gone), 0);
    assert_same_as_parse(dir, "a raw file deleted");
    s = snapshot(dir, 0, 0);
    ck_assert_msg(strstr(s, "is missing") != NULL, "%s", s);
    free(s);
    /* without a stat the entry is taken as it is */
    s = snapshot(dir, POSDIFF_CORPUS_OPEN_NO_STAT, 0);
    ck_assert_msg(strncmp(s, "error", 5) != 0, "%s", s);
    free(s);
    free(gone);
    rm_rf(dir);
}
END_TEST

/* ---- the caches beside the history ------------------------------------- */

static posdiff_build_result build(const char *dir)
{
    posdiff_corpus *c = NULL;
    posdiff_build_result r;

    ck_assert_msg(posdiff_corpus_open(&c, dir) == 0, "%s", posdiff_error_last());
    ck_assert_msg(posdiff_history_build(&r, c, NULL) == 0, "%s", posdiff_error_last());
    posdiff_corpus_keep(c);
    posdiff_corpus_free(c);
    return r;
}

static char *repo_file(const char *dir, const char *name)
{
    return xprintf("%s/.posdiff/history.git/%s", dir, name);
}

/* statements.conf with the first @p n statements of the shipped corpus. */
static void shipped_manifest(const char *dir, size_t n)
{
    char *text = tu_read_file(tu_src("corpus/statements.conf"), NULL), *cut = text;
    char *conf = conf_file(dir);

    for (size_t i = 0; i <= n && cut; i++)
        cut = strstr(cut + 1, "\n[statement ");
    if (cut)
        cut[1] = '\0';
    write_bytes(conf, text, strlen(text));
    free(conf);
    free(text);
}

/* The head of a clean build of the shipped corpus; its step log
 * (the aligner's steps: lib/steplog.c) in *steps when not NULL. */
static char *clean_head(char **steps, size_t *len)
{
    char *dir = shipped_copy(), *head = strdup(build(dir).head), *p;

    if (steps) {
        p = repo_file(dir, "posdiff-steps");
        *steps = tu_read_file(p, len);
        free(p);
    }
    rm_rf(dir);
    return head;
}

START_TEST(test_rawhash_damaged_lines)
{
    char *head = clean_head(NULL, NULL), *dir = shipped_copy(), *rh = repo_file(dir, "posdiff-rawhash");
    char *text, *line;
    posdiff_build_result r;
    size_t len;

    sleep(3); /* the raw files old enough to be cached */
    shipped_manifest(dir, 4);
    build(dir);
    text = tu_read_file(rh, &len);
    ck_assert_msg(!strncmp(text, "posdiff-rawhash 2\n", 18), "%s", text);
    /* a blob id digit changed in the second line: the sum fails, the file
     * is hashed again, nothing is rebuilt wrongly */
    line = strchr(text, '\n') + 1;
    line = strchr(line, '\n') + 1;
    line[9] = line[9] == 'a' ? 'b' : 'a';
    write_bytes(rh, text, len);
    r = build(dir);
    ck_assert_uint_eq(r.kept, 4);
    ck_assert_uint_eq(r.appended + r.rewritten, 0);
    /* a torn cache, then the fifth statement */
    write_bytes(rh, text, len / 2);
    shipped_manifest(dir, 5);
    r = build(dir);
    ck_assert_uint_eq(r.kept, 4);
    ck_assert_str_eq(r.head, head);
    free(text);
    text = tu_read_file(rh, &len); /* rewritten whole and valid */
    {
        size_t lines = 0;
        for (size_t i = 0; i < len; i++)
            lines += text[i] == '\n';
        ck_assert_uint_eq(lines, 1 + 5);
    }
    free(text);
    free(rh);
    free(head);
    rm_rf(dir);
}
END_TEST

/* A build after statements were added appends to the raw-hash and chain
 * caches instead of rewriting them. */
START_TEST(test_caches_grow_by_appending)
{
    char *dir = shipped_copy(), *rh = repo_file(dir, "posdiff-rawhash");
    char *ch = repo_file(dir, "posdiff-chain"), *ra, *rb, *ca, *cb;
    size_t rla, rlb, cla, clb;
    ino_t ri, ci;

    sleep(3); /* the raw files old enough to be cached */
    shipped_manifest(dir, 3);
    build(dir);
    shipped_manifest(dir, 4);
    build(dir);
    build(dir); /* reads the commit the last build appended: caches it */
    ra = tu_read_file(rh, &rla);
    ca = tu_read_file(ch, &cla);
    ri = inode_of(rh); /* a rewrite renames a new file over it */
    ci = inode_of(ch);
    shipped_manifest(dir, 5);
    build(dir);
    build(dir);
    rb = tu_read_file(rh, &rlb);
    cb = tu_read_file(ch, &clb);
    ck_assert_uint_gt(rlb, rla);
    ck_assert_msg(!memcmp(ra, rb, rla), "the raw-hash cache was not appended to");
    ck_assert_uint_gt(clb, cla);
    ck_assert_msg(!memcmp(ca, cb, cla), "the chain cache was not appended to");
    ck_assert_msg(inode_of(rh) == ri && inode_of(ch) == ci, "a cache was rewritten, not appended to");
    free(ra);
    free(rb);
    free(ca);
    free(cb);
    free(rh);
    free(ch);
    rm_rf(dir);
}
END_TEST

/* A tracker cache of the format before the binary one (2: the text of
 * posdiff_tracker_save) for commit @p hex, whole and with a good sum,
 * holding a state the old reader would take: the corpus's positions,
 * never stated. */
static char *old_format_cache(const char *dir, const char *hex, size_t *len)
{
    posdiff_corpus *c = NULL;
    posdiff_tracker *t = NULL;
    char *state = NULL, *out, sum[CACHESUM_HEX + 1] = {0};
    size_t n = 0;

    ck_assert_int_eq(posdiff_corpus_open(&c, dir), 0);
    ck_assert_int_eq(posdiff_tracker_new(&t, posdiff_corpus_catalog(c), NULL), 0);
    ck_assert_int_eq(posdiff_tracker_save(&state, &n, t), 0);
    cachesum_hex(sum, cachesum(state, n));
    out = xprintf("posdiff-tracker-cache 3 %.40s %s\n%s", hex, sum, state);
    *len = strlen(out);
    free(state);
    posdiff_tracker_free(t);
    posdiff_corpus_free(c);
    return out;
}

/* The tracker cache with one byte of its state changed (sum fails), cut
 * short, of another posdiff version, or of the older text format: the
 * build replays and writes the clean build's commit. */
START_TEST(test_tracker_cache_damaged)
{
    size_t stlen;
    char *steps, *head = clean_head(&steps, &stlen), *dir = shipped_copy();
    char *tc = repo_file(dir, "posdiff-tracker"), *sp = repo_file(dir, "posdiff-steps");
    const char magic[] = "posdiff-tracker-cache 4 " POSDIFF_VERSION " ";
    char *text, *nl, *got;
    posdiff_build_result r;
    size_t len, slen;

    shipped_manifest(dir, 3);
    build(dir);
    for (int pass = 0; pass < 4; pass++) {
        shipped_manifest(dir, 4);
        build(dir); /* appends the fourth: the tracker cache is at it */
        text = tu_read_file(tc, &len);
        ck_assert_int_eq(memcmp(text, magic, sizeof(magic) - 1), 0);
        nl = memchr(text, '\n', len);
        ck_assert(nl != NULL && (size_t)(nl - text) + 1 < len);
        if (pass == 0) { /* a byte of the state: the sum fails */
            size_t at = (size_t)(nl - text) + 1 + (len - (size_t)(nl - text) - 1) / 2;
            text[at] ^= 0x20;
            write_bytes(tc, text, len);
        } else if (pass == 1) {
            write_bytes(tc, text, len - 10);
        } else if (pass == 2) { /* another posdiff's: the sum still holds */
            text[sizeof(magic) - 2 - 1] ^= 1; /* the version's last character */
            write_bytes(tc, text, len);
        } else {
            char *old = old_format_cache(dir, text + sizeof(magic) - 1, &slen);
            write_bytes(tc, old, slen);
            free(old);
        }
        free(text);
        shipped_manifest(dir, 5);
        r = build(dir);
        ck_assert_uint_eq(r.kept, 4);
        ck_assert_str_eq(r.head, head);
        /* the steps too (they hold the earlier passages' text) */
        got = tu_read_file(sp, &slen);
        ck_assert_msg(slen == stlen && !memcmp(got, steps, slen),
                      "pass %d: the step log differs from a clean build's", pass);
        free(got);
        sh("git --git-dir='%s/.posdiff/history.git' update-ref refs/heads/main HEAD~2", dir);
    }
    free(steps);
    free(sp);
    free(tc);
    free(head);
    rm_rf(dir);
}
END_TEST

/* ---- add ---------------------------------------------------------------- */

static int add(const char *dir, const char *file, const char *id)
{
    posdiff_add_options o = POSDIFF_ADD_OPTIONS_INIT;

    o.date = "2026";
    o.id = id;
    return posdiff_corpus_add(NULL, dir, file, &o);
}

START_TEST(test_add_duplicates)
{
    char *dir = shipped_copy(), *copy = xprintf("%s.dup.txt", dir), *rh;

    /* no history */
    sh("cp '%s/statements/2020-10-30-first-committee.txt' '%s'", dir, copy);
    ck_assert_int_eq(add(dir, copy, "dup-1"), POSDIFF_EEXISTS);
    ck_assert_msg(strstr(posdiff_error_last(), "same content as statement \"2020-10-30-first-committee\""),
                  "%s", posdiff_error_last());
    /* after a build */
    sleep(3);
    build(dir);
    rh = repo_file(dir, "posdiff-rawhash");
    ck_assert(exists(rh));
    free(rh);
    ck_assert_int_eq(add(dir, copy, "dup-2"), POSDIFF_EEXISTS);
    ck_assert_msg(strstr(posdiff_error_last(), "same content as statement \"2020-10-30-first-committee\""),
                  "%s", posdiff_error_last());
    /* a statement added since the build */
    sh("printf 'A brand new statement.\\n' > '%s'", copy);
    ck_assert_int_eq(add(dir, copy, "fresh"), 0);
    ck_assert_int_eq(add(dir, copy, "fresh-again"), POSDIFF_EEXISTS);
    ck_assert_msg(strstr(posdiff_error_last(), "same content as statement \"fresh\""), "%s",
                  posdiff_error_last());
    /* a different text of a known file's size is new */
    sh("cp '%s/statements/2020-10-30-first-committee.txt' '%s' && printf x | dd of='%s' bs=1 seek=10 conv=notrunc 2>/dev/null",
       dir, copy, copy);
    ck_assert_int_eq(add(dir, copy, "near"), 0);
    unlink(copy);
    free(copy);
    rm_rf(dir);
}
END_TEST

/* add caches the manifest it writes: the next open is the cache's (it
 * describes the whole new file) and equals a parse. */
START_TEST(test_add_keeps_cache)
{
    char *dir = shipped_copy(), *copy = xprintf("%s.new.txt", dir), *cf = cache_file(dir);
    char *conf = conf_file(dir), *s;
    corpus_cache cc;
    size_t len;

    keep_cache(dir);
    sh("printf 'A new statement on data security.\\n' > '%s'", copy);
    ck_assert_msg(add(dir, copy, "zz-added") == 0, "%s", posdiff_error_last());
    free(tu_read_file(conf, &len));
    ck_assert(corpus_cache_open(&cc, dir));
    ck_assert_uint_eq(cc.conf_len, len);
    ck_assert_uint_eq(cc.count, 6);
    corpus_cache_free(&cc);
    assert_same_as_parse(dir, "after add");
    /* an equal date: after the earlier entries of that date */
    sh("printf 'Another one.\\n' > '%s'", copy);
    ck_assert_int_eq(add(dir, copy, "aa-same-day"), 0);
    assert_same_as_parse(dir, "after an add of an equal date");
    s = snapshot(dir, 0, 0);
    ck_assert_msg(strstr(s, "|zz-added|") && strstr(s, "|aa-same-day|") > strstr(s, "|zz-added|"),
                  "%s", s);
    free(s);
    unlink(copy);
    free(copy);
    free(cf);
    free(conf);
    rm_rf(dir);
}
END_TEST

/* ---- sums ---------------------------------------------------------------- */

START_TEST(test_cachesum_one_byte)
{
    unsigned char b[200];
    uint32_t s;
    uint64_t s64;

    for (size_t i = 0; i < sizeof(b); i++)
        b[i] = (unsigned char)(i * 7 + 1);
    for (size_t n = 0; n <= sizeof(b); n += 13) {
        s = cachesum(b, n);
        s64 = cachesum64(b, n);
        ck_assert_uint_ne(s64, cachesum64(b, n + 1)); /* the length counts */
        for (size_t i = 0; i < n; i++)
            for (int bit = 0; bit < 8; bit++) {
                b[i] ^= (unsigned char)(1u << bit);
                ck_assert_uint_ne(cachesum(b, n), s);
                ck_assert(cachesum64(b, n) != s64);
                b[i] ^= (unsigned char)(1u << bit);
            }
    }
}
END_TEST

static Suite *incremental_suite(void)
{
    Suite *s = suite_create("incremental");
    TCase *cc = tcase_create("corpus_cache"), *ca = tcase_create("caches");
    TCase *ad = tcase_create("add"), *su = tcase_create("sums");

    tcase_set_timeout(cc, 120);
    tcase_add_test(cc, test_corpus_cache_written_by_keep_only);
    tcase_add_test(cc, test_corpus_cache_is_read);
    tcase_add_test(cc, test_corpus_cache_damaged);
    tcase_add_test(cc, test_corpus_cache_tail);
    tcase_add_test(cc, test_corpus_cache_files_still_checked);
    tcase_set_timeout(ca, 120);
    tcase_add_test(ca, test_rawhash_damaged_lines);
    tcase_add_test(ca, test_caches_grow_by_appending);
    tcase_add_test(ca, test_tracker_cache_damaged);
    tcase_set_timeout(ad, 60);
    tcase_add_test(ad, test_add_duplicates);
    tcase_add_test(ad, test_add_keeps_cache);
    tcase_add_test(su, test_cachesum_one_byte);
    suite_add_tcase(s, cc);
    suite_add_tcase(s, ca);
    suite_add_tcase(s, ad);
    suite_add_tcase(s, su);
    return s;
}

TU_MAIN(incremental_suite)
