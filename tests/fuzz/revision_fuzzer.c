/*
 * revision_fuzzer.c - fuzz the parsing of revision and date arguments:
 * posdiff_date_parse(), posdiff_id_valid() and, when the library has
 * it, posdiff_history_resolve() against a tiny history (three
 * statements) built once in LLVMFuzzerInitialize in a temporary
 * directory, removed at exit.
 *
 * Checks: a date that parses is in range and prints back to the same
 * string in its own precision; a valid id matches the id grammar
 * [a-z0-9][a-z0-9.-]* with no ".." and no trailing '.'; a revision
 * that resolves names a commit of the history.
 */
#include "fuzz_util.h"

#include <ctype.h>
#include <sys/stat.h>
#include <unistd.h>

#ifdef POSDIFF_HAVE_RESOLVE
static char dir[64];
static posdiff_corpus *corpus;
static posdiff_history *hist;

static void write_at(const char *rel, const char *text)
{
    char path[256];
    FILE *f;

    snprintf(path, sizeof(path), "%s/%s", dir, rel);
    if (!(f = fopen(path, "wb")))
        abort();
    fputs(text, f);
    fclose(f);
}

static void cleanup(void)
{
    char cmd[128];

    posdiff_history_free(hist);
    posdiff_corpus_free(corpus);
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "revision_fuzzer: could not remove %s\n", dir);
}

static void build_history(void)
{
    posdiff_build_result r;

    snprintf(dir, sizeof(dir), "/tmp/posdiff-fuzz-rev-XXXXXX");
    if (!mkdtemp(dir) || posdiff_corpus_init(dir) != 0)
        abort();
    atexit(cleanup);
    write_at("statements/a.txt", "Data security matters. We say so.\n");
    write_at("statements/b.txt", "Data security matters a lot. We say so again.\n");
    write_at("statements/c.txt", "Backdoors are bad. Data security matters.\n");
    write_at("statements.conf",
             "[statement \"first\"]\n\tfile = statements/a.txt\n\tdate = 2019-09\n"
             "[statement \"second\"]\n\tfile = statements/b.txt\n\tdate = 2020-10-30\n"
             "[statement \"third.1\"]\n\tfile = statements/c.txt\n\tdate = 2021\n");
    if (posdiff_corpus_open(&corpus, dir) != 0 ||
        posdiff_history_build(&r, corpus, NULL) != 0 ||
        posdiff_history_open(&hist, corpus, NULL) != 0) {
        fprintf(stderr, "revision_fuzzer: setup: %s\n", posdiff_error_last());
        abort();
    }
}
#endif

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    fuzz_init_once();
#ifdef POSDIFF_HAVE_RESOLVE
    build_history();
#endif
    return 0;
}

static void check_date(const char *s)
{
    int y = 0, m = 0, d = 0;
    char back[16];

    if (posdiff_date_parse(&y, &m, &d, s) != 0) {
        FUZZ_CHECK(posdiff_error_code_last() == POSDIFF_EINVALID);
        return;
    }
    FUZZ_CHECK(y >= 1970 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 && d <= 31);
    if (strlen(s) == 4)
        snprintf(back, sizeof(back), "%04d", y);
    else if (strlen(s) == 7)
        snprintf(back, sizeof(back), "%04d-%02d", y, m);
    else
        snprintf(back, sizeof(back), "%04d-%02d-%02d", y, m, d);
    FUZZ_CHECK(strcmp(back, s) == 0);
}

static void check_id(const char *s)
{
    size_t n = strlen(s);

    if (!posdiff_id_valid(s))
        return;
    FUZZ_CHECK(n > 0 && !strstr(s, "..") && s[n - 1] != '.');
    FUZZ_CHECK(islower((unsigned char)s[0]) || isdigit((unsigned char)s[0]));
    for (size_t i = 0; i < n; i++)
        FUZZ_CHECK(islower((unsigned char)s[i]) || isdigit((unsigned char)s[i]) ||
                   s[i] == '.' || s[i] == '-');
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = fuzz_strndup(data, size);

    if (!s)
        return 0;
    check_date(s);
    check_id(s);
#ifdef POSDIFF_HAVE_RESOLVE
    {
        size_t index = 0;
        if (posdiff_history_resolve(&index, hist, s) == 0)
            FUZZ_CHECK(index < posdiff_history_count(hist));
    }
#endif
    free(s);
    return 0;
}
