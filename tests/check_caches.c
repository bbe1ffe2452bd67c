/*
 * check_caches.c - the caches a build keeps beside the history.
 *
 * The step log (lib/steplog.c): readers of the history get the very
 * steps a replay of the aligner gives, whether the log is complete,
 * missing, torn, corrupt or rebuilt incrementally; and they do read it
 * (a record with a valid CRC is what they show).
 * The chain cache (lib/chain.c): incremental builds give the history a
 * clean build gives, with the cache, without it, with garbage in it; and
 * the build does read it.
 */
#define _GNU_SOURCE /* memmem */
#include <stdint.h>
#include <sys/stat.h>
#include <unistd.h>
#include <libdeflate.h>

#include "check_util.h"
#include "posdiff/history.h"

#define NSHIPPED 5

static char *tmp_corpus(void)
{
    char tmpl[] = "/tmp/posdiff-steplog-XXXXXX", cmd[9000];
    char *dir = mkdtemp(tmpl);

    ck_assert(dir != NULL);
    snprintf(cmd, sizeof(cmd), "cp -r '%s/statements' '%s/positions.conf' '%s/'",
             tu_src("corpus"), tu_src("corpus"), dir);
    ck_assert_int_eq(system(cmd), 0);
    return strdup(dir);
}

/* statements.conf with the first @p n statements of the shipped corpus. */
static void write_manifest(const char *dir, size_t n)
{
    char *conf = tu_read_file(tu_src("corpus/statements.conf"), NULL), *cut = conf, path[4200];
    FILE *f;

    for (size_t i = 0; i <= n && cut; i++)
        cut = strstr(cut + 1, "\n[statement ");
    if (cut)
        cut[1] = '\0';
    snprintf(path, sizeof(path), "%s/statements.conf", dir);
    ck_assert((f = fopen(path, "w")) != NULL);
    fputs(conf, f);
    fclose(f);
    free(conf);
}

static posdiff_build_result build(const char *dir)
{
    posdiff_corpus *c = NULL;
    posdiff_build_result r;

    ck_assert_msg(posdiff_corpus_open(&c, dir) == 0, "%s", posdiff_error_last());
    ck_assert_msg(posdiff_history_build(&r, c, NULL) == 0, "%s", posdiff_error_last());
    posdiff_corpus_free(c);
    return r;
}

static char *repo_file(const char *dir, const char *name)
{
    char *p = malloc(strlen(dir) + strlen(name) + 64);
    sprintf(p, "%s/.posdiff/history.git/%s", dir, name);
    return p;
}

static char *steps_path(const char *dir)
{
    return repo_file(dir, "posdiff-steps");
}

typedef struct {
    char *ptr;
    size_t len;
    FILE *f;
    size_t npos;
} dump;

static int on_step(const posdiff_history_entry *e, size_t index, const posdiff_step *s,
                   void *payload)
{
    dump *d = payload;

    fprintf(d->f, "#%zu %s %s\n", index, e->commit, e->id);
    for (size_t i = 0; i < d->npos; i++) {
        size_t np = posdiff_step_passage_count(s, i), nd = posdiff_step_dropped_count(s, i);
        fprintf(d->f, " p%zu %s\n", i, posdiff_entry_status_name(posdiff_step_status(s, i)));
        for (size_t k = 0; k < np; k++) {
            const posdiff_passage *p = posdiff_step_passage(s, i, k);
            fprintf(d->f, "  %zu %s %d %.17g [%.*s] <%s> [%.*s]", p->line,
                    posdiff_passage_status_name(p->status), (int)p->link, p->similarity,
                    (int)p->len, p->text, p->prev_statement ? p->prev_statement : "-",
                    (int)p->prev_len, p->prev_text ? p->prev_text : "");
            for (size_t o = 0; o < p->op_count; o++)
                fprintf(d->f, " %d:%zu+%zu/%zu+%zu", (int)p->ops[o].kind, p->ops[o].old_start,
                        p->ops[o].old_len, p->ops[o].new_start, p->ops[o].new_len);
            fputc('\n', d->f);
        }
        for (size_t k = 0; k < nd; k++) {
            const posdiff_dropped *x = posdiff_step_dropped(s, i, k);
            fprintf(d->f, "  dropped <%s> [%.*s]\n", x->statement, (int)x->len, x->text);
        }
    }
    return 0;
}

/* The steps [@p from, @p to) of the history of @p dir, as text, through
 * posdiff_changelog_walk_range (the step log read from its end); @p
 * replay forces the aligner. */
static char *walk_range_with(const char *dir, int replay, size_t from, size_t to)
{
    posdiff_align_options opts = POSDIFF_ALIGN_OPTIONS_INIT;
    posdiff_corpus *c = NULL;
    posdiff_history *h = NULL;
    dump d = {NULL, 0, NULL, 0};

    ck_assert(posdiff_corpus_open(&c, dir) == 0);
    d.npos = posdiff_catalog_count(posdiff_corpus_catalog(c));
    ck_assert_msg(posdiff_history_open(&h, c, NULL) == 0, "%s", posdiff_error_last());
    d.f = open_memstream(&d.ptr, &d.len);
    ck_assert_msg(posdiff_changelog_walk_range(h, posdiff_corpus_catalog(c), replay ? &opts : NULL,
                                               from, to, on_step, &d) == 0,
                  "%s", posdiff_error_last());
    fclose(d.f);
    posdiff_history_free(h);
    posdiff_corpus_free(c);
    return d.ptr;
}

/* Every step of the history of @p dir, as text; @p replay forces the aligner. */
static char *walk(const char *dir, int replay)
{
    return walk_range_with(dir, replay, 0, SIZE_MAX);
}

static void rm_rf(char *dir)
{
    char cmd[4200];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    ck_assert_int_eq(system(cmd), 0);
    free(dir);
}

static void write_all(const char *path, const char *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    ck_assert(f != NULL);
    ck_assert_uint_eq(fwrite(data, 1, len, f), len);
    fclose(f);
}

static uint32_t le32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Offset of record @p k's head in the log @p data. */
static size_t record_at(const char *data, size_t len, size_t k)
{
    size_t off = (size_t)(strchr(data, '\n') - data) + 1;

    for (size_t i = 0; i < k; i++) {
        ck_assert(off + 32 <= len);
        off += 32 + le32((const unsigned char *)data + off + 20) + 4; /* head, payload, tail */
    }
    return off;
}

static void put32(unsigned char *c, uint32_t v)
{
    c[0] = (unsigned char)v, c[1] = (unsigned char)(v >> 8);
    c[2] = (unsigned char)(v >> 16), c[3] = (unsigned char)(v >> 24);
}

/* The log @p data with record [r, end) replaced by one whose payload is
 * the old one with @p from changed to @p to; the CRC mended when @p crc
 * (else left as the old record's).  Malloc'ed, length in *out_len. */
static char *tamper(const char *data, size_t len, size_t r, size_t end, const char *from,
                    const char *to, int crc, size_t *out_len)
{
    size_t clen = end - r - 36, rlen = le32((const unsigned char *)data + r + 28), got;
    char *raw = malloc(rlen), *hit, *out = malloc(len + 4096);
    struct libdeflate_decompressor *d = libdeflate_alloc_decompressor();
    struct libdeflate_compressor *z = libdeflate_alloc_compressor(1);
    size_t n;

    ck_assert_int_eq(libdeflate_deflate_decompress(d, data + r + 32, clen, raw, rlen, &got),
                     LIBDEFLATE_SUCCESS);
    ck_assert_ptr_nonnull(hit = memmem(raw, rlen, from, strlen(from)));
    memcpy(hit, to, strlen(to));
    memcpy(out, data, r + 32);
    n = libdeflate_deflate_compress(z, raw, rlen, out + r + 32, len + 4096 - r - 36);
    ck_assert_uint_gt(n, 0);
    put32((unsigned char *)out + r + 20, (uint32_t)n);
    if (crc)
        put32((unsigned char *)out + r + 24, (uint32_t)libdeflate_crc32(0, out + r + 32, n));
    put32((unsigned char *)out + r + 32 + n, (uint32_t)n);
    memcpy(out + r + 36 + n, data + end, len - end);
    *out_len = len - (end - r) + 36 + n;
    libdeflate_free_decompressor(d);
    libdeflate_free_compressor(z);
    free(raw);
    return out;
}

static char *walk_range(const char *dir, size_t from, size_t to)
{
    return walk_range_with(dir, 0, from, to);
}

/* The lines of the full walk @p all from step "#from " to before "#to ". */
static char *slice(const char *all, size_t from, size_t to)
{
    char a[32], b[32];
    const char *p, *q;

    snprintf(a, sizeof(a), "#%zu ", from);
    snprintf(b, sizeof(b), "\n#%zu ", to);
    p = strstr(all, a);
    ck_assert_ptr_nonnull(p);
    q = strstr(p, b);
    return strndup(p, q ? (size_t)(q - p) + 1 : strlen(p));
}

/* Every range read from the log's end is that slice of a full walk: with
 * the log, without it (replayed), and with a damaged record in it. */
START_TEST(test_steplog_ranges)
{
    char *dir = tmp_corpus(), *path = steps_path(dir), *all, *data;
    size_t len;

    write_manifest(dir, NSHIPPED);
    build(dir);
    all = walk(dir, 1);
    for (int pass = 0; pass < 3; pass++) {
        if (pass == 1) { /* a record in the middle damaged: its CRC fails */
            data = tu_read_file(path, &len);
            data[record_at(data, len, 2) + 40] ^= 0x55;
            write_all(path, data, len);
            free(data);
        }
        if (pass == 2)
            unlink(path);
        for (size_t from = 0; from < NSHIPPED; from++)
            for (size_t to = from + 1; to <= NSHIPPED; to++) {
                char *got = walk_range(dir, from, to), *want = slice(all, from, to);
                ck_assert_msg(!strcmp(got, want), "pass %d [%zu, %zu)", pass, from, to);
                free(got);
                free(want);
            }
    }
    free(all);
    free(path);
    rm_rf(dir);
}
END_TEST

/* Entries and names read through posdiff-index as the build left it, as
 * a reader brings an older one forward, and with none or a damaged one. */
static char *names(const char *dir)
{
    static const char *const try[] = {"HEAD", "HEAD~1", "2019", "2019-09", "2021-12-14", "2025",
                                      "2030", "nope", "2020-10-30-first-committee~1"};
    posdiff_corpus *c = NULL;
    posdiff_history *h = NULL;
    char *out = NULL;
    size_t len = 0, at;
    FILE *f = open_memstream(&out, &len);

    ck_assert(posdiff_corpus_open(&c, dir) == 0);
    ck_assert_msg(posdiff_history_open(&h, c, NULL) == 0, "%s", posdiff_error_last());
    for (size_t i = 0; i < posdiff_history_count(h); i++) {
        const posdiff_history_entry *e = posdiff_history_entry_at(h, i);
        fprintf(f, "%zu %s %s %s [%s] %s\n", i, e->commit, e->id, e->date, e->title,
                e->venue ? e->venue : "-");
        ck_assert(posdiff_history_find(&at, h, e->id) && at == i);
    }
    for (size_t k = 0; k < sizeof(try) / sizeof(*try); k++) {
        int rc = posdiff_history_resolve(&at, h, try[k]);
        fprintf(f, "%s -> %d %zu %s\n", try[k], rc, rc == 0 ? at : 0,
                rc == 0 ? "" : posdiff_error_last());
    }
    fclose(f);
    posdiff_history_free(h);
    posdiff_corpus_free(c);
    return out;
}

START_TEST(test_history_index)
{
    char *dir = tmp_corpus(), *index = repo_file(dir, "posdiff-index"), *old, *want, *got;
    size_t len;

    write_manifest(dir, 2);
    build(dir);
    old = tu_read_file(index, &len);
    write_manifest(dir, NSHIPPED);
    build(dir);
    want = names(dir);
    /* what the shipped statements' dates give, by hand */
    ck_assert_ptr_nonnull(strstr(want, "\nHEAD~1 -> 0 3 \n"));
    ck_assert_ptr_nonnull(strstr(want, "\n2019 -> -4 0 date '2019' matches several statements"));
    ck_assert_ptr_nonnull(strstr(want, "\n2019-09 -> -4 0 date '2019-09' matches several"));
    ck_assert_ptr_nonnull(strstr(want, "\n2021-12-14 -> 0 3 \n"));
    ck_assert_ptr_nonnull(strstr(want, "\n2025 -> 0 4 \n"));
    ck_assert_ptr_nonnull(strstr(want, "\n2030 -> -3 0 no statement dated 2030"));
    write_all(index, old, len); /* the 2-statement index: brought forward */
    got = names(dir);
    ck_assert_str_eq(got, want);
    free(got);
    unlink(index); /* none: a walk of the chain */
    got = names(dir);
    ck_assert_str_eq(got, want);
    free(got);
    write_all(index, "posdiff-index 1\ngarbage", 23); /* damaged */
    got = names(dir);
    ck_assert_str_eq(got, want);
    free(got);
    free(old);
    free(want);
    free(index);
    rm_rf(dir);
}
END_TEST

START_TEST(test_steplog_equals_replay)
{
    char *dir = tmp_corpus(), *path = steps_path(dir), *logged, *replayed, *again;
    struct stat st;

    write_manifest(dir, NSHIPPED);
    build(dir);
    ck_assert_int_eq(stat(path, &st), 0);
    logged = walk(dir, 0);
    replayed = walk(dir, 1);
    ck_assert_str_eq(logged, replayed);
    ck_assert_ptr_nonnull(strstr(logged, "#4 "));
    unlink(path);
    again = walk(dir, 0);
    ck_assert_str_eq(again, replayed);
    free(logged);
    free(replayed);
    free(again);
    free(path);
    rm_rf(dir);
}
END_TEST

/* A valid record is what readers show (so they read it); a bad CRC, a
 * torn tail or a wrong commit falls back to the aligner from there. */
START_TEST(test_steplog_read_and_fallback)
{
    char *dir = tmp_corpus(), *path = steps_path(dir), *data, *copy, *ref, *seen, *bad;
    size_t len, r3, r4, blen;

    write_manifest(dir, NSHIPPED);
    build(dir);
    ref = walk(dir, 1);
    data = tu_read_file(path, &len);
    copy = malloc(len);
    r3 = record_at(data, len, 3);
    r4 = record_at(data, len, 4);

    /* tampered text, CRC mended: shown as recorded */
    bad = tamper(data, len, r3, r4, "cyberspace", "CYBERSPACE", 1, &blen);
    write_all(path, bad, blen);
    free(bad);
    seen = walk(dir, 0);
    ck_assert_ptr_nonnull(strstr(seen, "CYBERSPACE"));
    ck_assert_ptr_null(strstr(ref, "CYBERSPACE"));
    free(seen);

    /* the same without the CRC mended: the aligner's result */
    bad = tamper(data, len, r3, r4, "cyberspace", "CYBERSPACE", 0, &blen);
    write_all(path, bad, blen);
    free(bad);
    seen = walk(dir, 0);
    ck_assert_str_eq(seen, ref);
    free(seen);

    /* torn in the middle of record 3, and cut right after its head */
    write_all(path, data, r3 + 40);
    seen = walk(dir, 0);
    ck_assert_str_eq(seen, ref);
    free(seen);
    write_all(path, data, r3 + 32);
    seen = walk(dir, 0);
    ck_assert_str_eq(seen, ref);
    free(seen);

    /* another commit's record at place 1 */
    memcpy(copy, data, len);
    memset(copy + record_at(data, len, 1), 0xab, 20);
    write_all(path, copy, len);
    seen = walk(dir, 0);
    ck_assert_str_eq(seen, ref);
    free(seen);

    /* a header for another version or catalog: ignored */
    memcpy(copy, data, len);
    copy[strlen("posdiff-steps 4 ")] ^= 1;
    write_all(path, copy, len);
    seen = walk(dir, 0);
    ck_assert_str_eq(seen, ref);
    free(seen);

    free(copy);
    free(data);
    free(ref);
    free(path);
    rm_rf(dir);
}
END_TEST

/* Incremental builds leave the very log a clean build writes, also when
 * the log was lost in between (the build replays and records it). */
START_TEST(test_steplog_incremental)
{
    char *a = tmp_corpus(), *b = tmp_corpus(), *pa = steps_path(a), *pb = steps_path(b);
    char *clean, *inc;
    size_t lc, li;

    write_manifest(a, NSHIPPED);
    build(a);
    clean = tu_read_file(pa, &lc);

    write_manifest(b, 2);
    build(b);
    write_manifest(b, 3);
    build(b);
    write_manifest(b, NSHIPPED);
    build(b);
    inc = tu_read_file(pb, &li);
    ck_assert_uint_eq(li, lc);
    ck_assert(memcmp(inc, clean, lc) == 0);
    free(inc);

    write_manifest(b, 4);
    build(b); /* drops the last commit */
    unlink(pb);
    write_manifest(b, NSHIPPED);
    build(b); /* keeps 4, no log: replays them */
    inc = tu_read_file(pb, &li);
    ck_assert_uint_eq(li, lc);
    ck_assert(memcmp(inc, clean, lc) == 0);
    free(inc);

    /* a torn log (in a record's head, in its payload): the kept prefix
     * it still holds is kept, the rest redone */
    for (size_t cut = 10; cut <= 40; cut += 30) {
        write_all(pb, clean, record_at(clean, lc, 2) + cut);
        write_manifest(b, 4);
        build(b);
        write_manifest(b, NSHIPPED);
        build(b);
        inc = tu_read_file(pb, &li);
        ck_assert_uint_eq(li, lc);
        ck_assert(memcmp(inc, clean, lc) == 0);
        free(inc);
    }

    free(clean);
    free(pa);
    free(pb);
    rm_rf(a);
    rm_rf(b);
}
END_TEST

/* ---- the chain cache ---------------------------------------------------- */

static size_t lines(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += *s == '\n';
    return n;
}

START_TEST(test_chain_cache)
{
    char *a = tmp_corpus(), *b = tmp_corpus(), *pc = repo_file(b, "posdiff-chain"), *text;
    posdiff_build_result clean, r;

    write_manifest(a, NSHIPPED);
    clean = build(a);

    /* written by each build for the chain it started from; appending
     * and rewinding */
    write_manifest(b, 2);
    build(b);
    write_manifest(b, 3);
    r = build(b);
    ck_assert_uint_eq(r.kept, 2);
    text = tu_read_file(pc, NULL);
    ck_assert_uint_eq(lines(text), 1 + 2);
    ck_assert(!strncmp(text, "posdiff-chain 1\n", 16));
    free(text);
    write_manifest(b, 2);
    build(b); /* back to 2 commits: the cache may list more */
    write_manifest(b, NSHIPPED);
    r = build(b);
    ck_assert_uint_eq(r.kept, 2);
    ck_assert_str_eq(r.head, clean.head);
    r = build(b); /* a no-op, caching the whole chain */
    ck_assert_uint_eq(r.kept, NSHIPPED);
    text = tu_read_file(pc, NULL);
    ck_assert_uint_eq(lines(text), 1 + NSHIPPED);
    free(text);

    /* read: a cached input hash that no longer matches makes the build
     * redo that commit (the same commit again: it is reproducible) */
    text = tu_read_file(pc, NULL);
    {
        char *last = text + strlen(text) - 1;
        while (last > text && last[-1] != '\n')
            last--;
        last[41] = last[41] == '0' ? '1' : '0'; /* first digit of the input hash */
        write_all(pc, text, strlen(text));
    }
    free(text);
    r = build(b);
    ck_assert_uint_eq(r.kept, NSHIPPED - 1);
    ck_assert_uint_eq(r.rewritten, 1);
    ck_assert_str_eq(r.head, clean.head);

    /* garbage or no cache: read from the commits, and rewritten */
    write_all(pc, "posdiff-chain 1\nnonsense\n", 25);
    r = build(b);
    ck_assert_uint_eq(r.kept, NSHIPPED);
    ck_assert_str_eq(r.head, clean.head);
    unlink(pc);
    write_manifest(b, NSHIPPED - 1);
    r = build(b);
    write_manifest(b, NSHIPPED);
    r = build(b);
    ck_assert_uint_eq(r.kept, NSHIPPED - 1);
    ck_assert_str_eq(r.head, clean.head);
    text = tu_read_file(pc, NULL); /* cached by the rewinding build */
    ck_assert_uint_eq(lines(text), 1 + NSHIPPED);
    free(text);

    free(pc);
    rm_rf(a);
    rm_rf(b);
}
END_TEST

static Suite *caches_suite(void)
{
    Suite *s = suite_create("caches");
    TCase *tc = tcase_create("steplog"), *ch = tcase_create("chain");

    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_steplog_equals_replay);
    tcase_add_test(tc, test_steplog_ranges);
    tcase_add_test(tc, test_history_index);
    tcase_add_test(tc, test_steplog_read_and_fallback);
    tcase_add_test(tc, test_steplog_incremental);
    tcase_set_timeout(ch, 120);
    tcase_add_test(ch, test_chain_cache);
    suite_add_tcase(s, tc);
    suite_add_tcase(s, ch);
    return s;
}

TU_MAIN(caches_suite)
