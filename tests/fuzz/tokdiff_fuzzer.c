/*
 * tokdiff_fuzzer.c - fuzz the word diff (posdiff_tokdiff) of two texts
 * cut from one input at the first 0xFF byte (else at the half).
 *
 * Checks the contract of tokdiff.h and tokdiff.c: the ops are in order
 * and contiguous, no two adjacent ops have the same kind, EQUAL ranges
 * hold the same bytes on both sides, and the
 * ops concatenate back to both inputs exactly - with and without
 * semantic cleanup, and with a tiny cost budget (the coarse fallback).
 */
#include "fuzz_util.h"

#include "util/utf8.h"

/* Equal but for white space (utf8_is_space code points)? */
static int same_but_space(const char *a, size_t alen, const char *b, size_t blen)
{
    size_t i = 0, k = 0;
    int32_t ca, cb;

    for (;;) {
        size_t na = 0, nb = 0;
        while (i < alen && (na = utf8_decode(a + i, alen - i, &ca)) && utf8_is_space(ca))
            i += na;
        while (k < blen && (nb = utf8_decode(b + k, blen - k, &cb)) && utf8_is_space(cb))
            k += nb;
        if (i == alen || k == blen)
            return i == alen && k == blen;
        if (na != nb || memcmp(a + i, b + k, na) != 0)
            return 0;
        i += na;
        k += nb;
    }
}

static void check_ops(const char *a, size_t alen, const char *b, size_t blen,
                      const posdiff_op *ops, size_t n)
{
    size_t ai = 0, bi = 0;

    for (size_t i = 0; i < n; i++) {
        const posdiff_op *o = &ops[i];
        FUZZ_CHECK(o->kind == POSDIFF_OP_EQUAL || o->kind == POSDIFF_OP_DELETE ||
                   o->kind == POSDIFF_OP_INSERT);
        FUZZ_CHECK(o->old_start == ai && o->new_start == bi);
        FUZZ_CHECK(i == 0 || ops[i - 1].kind != o->kind);
        if (o->kind == POSDIFF_OP_EQUAL) {
            /* tokdiff.h: "EQUAL covers the same bytes in old and new" */
            FUZZ_CHECK(o->old_len == o->new_len &&
                       memcmp(a + o->old_start, b + o->new_start, o->old_len) == 0);
            FUZZ_CHECK(same_but_space(a + o->old_start, o->old_len,
                                      b + o->new_start, o->new_len));
        }
        FUZZ_CHECK(o->kind != POSDIFF_OP_DELETE || o->new_len == 0);
        FUZZ_CHECK(o->kind != POSDIFF_OP_INSERT || o->old_len == 0);
        ai += o->old_len;
        bi += o->new_len;
        FUZZ_CHECK(ai <= alen && bi <= blen);
    }
    FUZZ_CHECK(ai == alen && bi == blen);
}

static void diff_with(const char *a, size_t alen, const char *b, size_t blen,
                      int cleanup, size_t max_cost)
{
    posdiff_tokdiff_options o = POSDIFF_TOKDIFF_OPTIONS_INIT;
    posdiff_op *ops = NULL;
    size_t n = 0;

    o.semantic_cleanup = cleanup;
    o.max_cost = max_cost;
    if (posdiff_tokdiff(&ops, &n, a, alen, b, blen, &o) == 0)
        check_ops(a, alen, b, blen, ops, n);
    free(ops);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *a, *b;
    size_t alen, blen;

    fuzz_init_once();
    fuzz_split(data, size, &a, &alen, &b, &blen);
    diff_with(a, alen, b, blen, 1, 0);
    diff_with(a, alen, b, blen, 0, 0);
    diff_with(a, alen, b, blen, 1, 3);
    return 0;
}
