/*
 * fuzz_util.h - helpers shared by the libFuzzer targets: one-time
 * library init, splitting one input into two texts, copying an input
 * into a NUL-terminated string, and a check that aborts (so both
 * libFuzzer and the replay driver report it as a crash).
 */
#ifndef POSDIFF_FUZZ_UTIL_H
#define POSDIFF_FUZZ_UTIL_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <posdiff/posdiff.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Abort with a message when an invariant of the API does not hold. */
#define FUZZ_CHECK(cond)                                                   \
    do {                                                                   \
        if (!(cond)) {                                                     \
            fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__,     \
                    __LINE__, #cond);                                      \
            abort();                                                       \
        }                                                                  \
    } while (0)

/* posdiff_init() once per process (libgit2 needs it for the corpus). */
static inline void fuzz_init_once(void)
{
    static int done;
    if (!done) {
        posdiff_init();
        done = 1;
    }
}

/*
 * Two texts from one input: split at the first 0xFF byte (never valid
 * UTF-8, so a natural separator), else at the half.
 */
static inline void fuzz_split(const uint8_t *data, size_t size,
                              const char **a, size_t *alen,
                              const char **b, size_t *blen)
{
    const uint8_t *sep = memchr(data, 0xFF, size);
    size_t cut = sep ? (size_t)(sep - data) : size / 2;

    *a = (const char *)data;
    *alen = cut;
    *b = (const char *)data + cut + (sep ? 1 : 0);
    *blen = size - cut - (sep ? 1 : 0);
}

/* malloc'ed NUL-terminated copy of data[0..size) (NULL on OOM). */
static inline char *fuzz_strndup(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (s) {
        memcpy(s, data, size);
        s[size] = '\0';
    }
    return s;
}

#endif
