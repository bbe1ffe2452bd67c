/*
 * compare_fuzzer.c - fuzz `posdiff diff --no-index`: posdiff_compare()
 * without a catalog, on two normalized texts, at a bounded cost.
 *
 * The input's first byte picks how often each text is repeated (1, 16,
 * 256 or 4096 times, up to 512 KiB; without newlines in the input, one
 * huge paragraph or heading, the case that was quadratic); the rest is
 * cut in two at the first 0xFF byte.  Both are normalized (inputs that
 * do not normalize are skipped).  Checks: ops tile every passage, a
 * linked passage names its predecessor, and one comparison takes at
 * most COMPARE_SECONDS, instrumented: a quadratic cost shows there
 * (run.sh also gives each input a timeout).
 */
#include "fuzz_util.h"

#include <time.h>

#define COMPARE_SECONDS 15.0 /* linear: ~3 s at 512 KiB under ASan and libFuzzer */
#define REPEAT_MAX (1u << 19)

/* @p s repeated up to @p times times, at most REPEAT_MAX bytes. */
static char *repeat(const char *s, size_t len, size_t times, size_t *out_len)
{
    size_t n = len && times > REPEAT_MAX / len ? REPEAT_MAX / len : times;
    char *r = malloc(len * n + 1);

    if (!r)
        return NULL;
    for (size_t k = 0; k < n; k++)
        memcpy(r + k * len, s, len);
    *out_len = len * n;
    r[*out_len] = '\0';
    return r;
}

static posdiff_normalized *normalized(const char *raw, size_t len, size_t times)
{
    posdiff_normalized *n = NULL;
    size_t rlen = 0;
    char *r = repeat(raw, len, times, &rlen);

    if (r && posdiff_normalize(&n, r, rlen, NULL) != 0)
        n = NULL;
    free(r);
    return n;
}

static void check_passage(const posdiff_passage *p)
{
    size_t at = 0;

    FUZZ_CHECK(p->text != NULL);
    FUZZ_CHECK(p->similarity >= 0.0 && p->similarity <= 1.0);
    for (size_t k = 0; k < p->op_count; k++) {
        if (p->ops[k].kind == POSDIFF_OP_DELETE)
            continue;
        FUZZ_CHECK(p->ops[k].new_start == at);
        at += p->ops[k].new_len;
    }
    FUZZ_CHECK(p->op_count == 0 || at == p->len);
    FUZZ_CHECK(p->link == POSDIFF_LINK_NONE || p->prev_text != NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const size_t times[] = {1, 16, 256, 4096};
    posdiff_normalized *na = NULL, *nb = NULL;
    posdiff_comparison *c = NULL;
    posdiff_doc_text ta = {NULL, NULL, 0}, tb = {NULL, NULL, 0};
    const char *a, *b;
    size_t alen, blen, r;
    struct timespec t0, t1;

    if (size < 1)
        return 0;
    r = times[data[0] & 3];
    fuzz_split(data + 1, size - 1, &a, &alen, &b, &blen);
    if (!(na = normalized(a, alen, r)) || !(nb = normalized(b, blen, r)))
        goto done;
    ta.md = posdiff_normalized_text(na, &ta.len);
    tb.md = posdiff_normalized_text(nb, &tb.len);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    if (posdiff_compare(&c, NULL, &ta, &tb, NULL) != 0)
        goto done;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if ((double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9 > COMPARE_SECONDS) {
        fprintf(stderr, "compare of %zu and %zu bytes took over %.0f s\n",
                ta.len, tb.len, COMPARE_SECONDS);
        abort();
    }
    FUZZ_CHECK(posdiff_comparison_count(c) == 1);
    for (size_t k = 0; k < posdiff_comparison_passage_count(c, 0); k++)
        check_passage(posdiff_comparison_passage(c, 0, k));
    for (size_t k = 0; k < posdiff_comparison_dropped_count(c, 0); k++)
        FUZZ_CHECK(posdiff_comparison_dropped(c, 0, k)->text != NULL);
done:
    posdiff_comparison_free(c);
    posdiff_normalized_free(na);
    posdiff_normalized_free(nb);
    return 0;
}
