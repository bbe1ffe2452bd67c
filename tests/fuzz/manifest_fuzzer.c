/*
 * manifest_fuzzer.c - fuzz manifest parsing and validation
 * (posdiff_corpus_open) through libgit2's config parser.
 *
 * LLVMFuzzerInitialize makes a temporary corpus directory once: a
 * statements/ folder holding small files under the shipped statements'
 * names and a.txt/b.txt, a sub-directory and a symlink leaving the
 * corpus, plus a default positions.conf.  Each input is written as
 * statements.conf; if it holds a 0xFF byte, the bytes after it become
 * positions.conf instead of the default (so the catalog reader is
 * fuzzed too).  Checks: success gives valid ids and dates in corpus
 * order and every statement reads; failure gives a message naming a
 * manifest file.  The directory is removed at exit.
 */
#include "fuzz_util.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[64];

static const char default_positions[] =
    "[position \"data-security\"]\n\ttitle = Data security\n\tmatch = data security\n"
    "[position \"backdoors\"]\n\ttitle = Backdoors\n\tmatch = backdoor\n";

static void write_file(const char *rel, const void *p, size_t n)
{
    char path[256];
    int fd;

    snprintf(path, sizeof(path), "%s/%s", dir, rel);
    if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644)) < 0)
        abort();
    if (n > 0 && write(fd, p, n) != (ssize_t)n)
        abort();
    close(fd);
}

static void cleanup(void)
{
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "manifest_fuzzer: could not remove %s\n", dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    static const char *const names[] = {
        "2019-09-oewg-general-debate", "2019-09-oewg-submission",
        "2020-10-30-first-committee", "2021-12-14-oewg", "2025-02-oewg-10",
        "a", "b"};
    char path[256];

    fuzz_init_once();
    snprintf(dir, sizeof(dir), "/tmp/posdiff-fuzz-manifest-XXXXXX");
    if (!mkdtemp(dir))
        abort();
    atexit(cleanup);
    snprintf(path, sizeof(path), "%s/statements", dir);
    mkdir(path, 0755);
    snprintf(path, sizeof(path), "%s/statements/dir", dir);
    mkdir(path, 0755);
    snprintf(path, sizeof(path), "%s/statements/link.txt", dir);
    if (symlink("/etc/hostname", path) != 0)
        abort();
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        char rel[128], text[128];
        int n = snprintf(text, sizeof(text), "Statement %s. Data security matters.\n", names[i]);
        snprintf(rel, sizeof(rel), "statements/%s.txt", names[i]);
        write_file(rel, text, (size_t)n);
    }
    return 0;
}

static void check_corpus(const posdiff_corpus *c)
{
    long prev = -1;

    for (size_t i = 0; i < posdiff_corpus_count(c); i++) {
        const posdiff_statement *st = posdiff_corpus_statement(c, i);
        char *raw = NULL;
        size_t len = 0;

        FUZZ_CHECK(posdiff_id_valid(st->id));
        int y, m, d;
        FUZZ_CHECK(posdiff_date_parse(&y, &m, &d, st->date) == 0);
        FUZZ_CHECK(posdiff_corpus_find(c, st->id) == st);
        FUZZ_CHECK((long)y * 10000 + m * 100 + d >= prev); /* corpus order */
        prev = (long)y * 10000 + m * 100 + d;
        if (posdiff_corpus_read(&raw, &len, c, st) == 0)
            FUZZ_CHECK(raw != NULL && raw[len] == '\0');
        free(raw);
    }
    for (size_t i = 0; i < posdiff_corpus_warning_count(c); i++)
        FUZZ_CHECK(posdiff_corpus_warning(c, i) != NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *sep = memchr(data, 0xFF, size);
    size_t mlen = sep ? (size_t)(sep - data) : size;
    posdiff_corpus *c = NULL;
    int rc;

    write_file("statements.conf", data, mlen);
    if (sep)
        write_file("positions.conf", sep + 1, size - mlen - 1);
    else
        write_file("positions.conf", default_positions, sizeof(default_positions) - 1);
    rc = posdiff_corpus_open(&c, dir);
    if (rc == 0) {
        check_corpus(c);
    } else {
        const char *msg = posdiff_error_last();
        FUZZ_CHECK(c == NULL);
        FUZZ_CHECK(msg[0] != '\0');
    }
    posdiff_corpus_free(c);
    return 0;
}
