/*
 * check_util.h - shared helpers for the Check suites.
 */
#ifndef POSDIFF_CHECK_UTIL_H
#define POSDIFF_CHECK_UTIL_H

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <posdiff/posdiff.h>

/* Read a whole file (NUL-terminated, malloc'ed), or fail the test. */
static inline char *tu_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *p;
    long n;

    ck_assert_msg(f != NULL, "cannot open %s", path);
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    p = malloc((size_t)n + 1);
    ck_assert(p != NULL);
    ck_assert_uint_eq(fread(p, 1, (size_t)n, f), (size_t)n);
    p[n] = '\0';
    fclose(f);
    if (len)
        *len = (size_t)n;
    return p;
}

/* Absolute path of a file in the source tree (static buffer). */
static inline const char *tu_src(const char *rel)
{
    static char path[4096];
    const char *root = getenv("POSDIFF_SOURCE_ROOT");
    snprintf(path, sizeof(path), "%s/%s", root ? root : ".", rel);
    return path;
}

/* main() for a suite built by SUITE_FN. */
#define TU_MAIN(SUITE_FN)                                       \
    int main(void)                                              \
    {                                                           \
        SRunner *sr;                                            \
        int failed;                                             \
        posdiff_init();                                         \
        sr = srunner_create(SUITE_FN());                        \
        srunner_run_all(sr, CK_NORMAL);                         \
        failed = srunner_ntests_failed(sr);                     \
        srunner_free(sr);                                       \
        posdiff_shutdown();                                     \
        return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;       \
    }

#endif
