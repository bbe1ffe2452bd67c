/*
 * align_fuzzer.c - fuzz the alignment of two statements.
 *
 * The input is cut in two at the first 0xFF byte (else at the half);
 * each half is normalized (inputs that do not normalize are skipped:
 * the door rejects them before alignment), cut into units with
 * posdiff_doc_sentences(), and fed in turn to a tracker over a small
 * catalog of three positions.  Checks: every passage and dropped
 * passage points at sane text, ops rebuild the passage text, each
 * position's rendered state loads back into a fresh tracker and
 * renders identically.
 */
#include "fuzz_util.h"

static posdiff_catalog *cat;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    static const char *ds[] = {"data security", "cross-border data flow"};
    static const char *st[] = {"single-track", "permanent mechanism"};
    static const char *bd[] = {"backdoor"};
    static const posdiff_position p[] = {
        {"data-security", "Data security", ds, 2, NULL, 0, NULL, 0, NULL, 0},
        {"single-track", "Single track", st, 2, NULL, 0, NULL, 0, NULL, 0},
        {"backdoors", "Backdoors", bd, 1, NULL, 0, NULL, 0, NULL, 0}};

    fuzz_init_once();
    if (posdiff_catalog_new(&cat, p, 3) != 0)
        abort();
    return 0;
}

static void check_passage(const posdiff_passage *p)
{
    size_t at = 0;

    FUZZ_CHECK(p->text != NULL && p->len > 0);
    FUZZ_CHECK(p->similarity >= 0.0 && p->similarity <= 1.0);
    FUZZ_CHECK(p->op_count == 0 || p->ops != NULL);
    for (size_t k = 0; k < p->op_count; k++) {
        const posdiff_op *o = &p->ops[k];
        if (o->kind == POSDIFF_OP_DELETE)
            continue;
        FUZZ_CHECK(o->new_start == at);
        at += o->new_len;
    }
    FUZZ_CHECK(p->op_count == 0 || at == p->len);
    FUZZ_CHECK(p->link == POSDIFF_LINK_NONE || p->prev_text != NULL);
}

static void check_step(const posdiff_step *s)
{
    for (size_t i = 0; i < posdiff_catalog_count(cat); i++) {
        const char *name = posdiff_entry_status_name(posdiff_step_status(s, i));
        FUZZ_CHECK(name != NULL);
        for (size_t k = 0; k < posdiff_step_passage_count(s, i); k++)
            check_passage(posdiff_step_passage(s, i, k));
        for (size_t k = 0; k < posdiff_step_dropped_count(s, i); k++) {
            const posdiff_dropped *d = posdiff_step_dropped(s, i, k);
            FUZZ_CHECK(d->statement != NULL && d->text != NULL);
        }
    }
}

/* Each position's state renders, loads into a new tracker, renders the same. */
static void check_roundtrip(const posdiff_tracker *t)
{
    posdiff_tracker *t2 = NULL;

    if (posdiff_tracker_new(&t2, cat, NULL) != 0)
        return;
    for (size_t i = 0; i < posdiff_catalog_count(cat); i++) {
        char *md = NULL, *md2 = NULL;
        size_t len = 0, len2 = 0;
        if (posdiff_tracker_render(&md, &len, t, i) == 0 &&
            posdiff_tracker_load(t2, i, md, len) == 0 &&
            posdiff_tracker_render(&md2, &len2, t2, i) == 0) {
            if (len != len2 || memcmp(md, md2, len) != 0) {
                fprintf(stderr, "render/load/render differs:\n%s\n---\n%s\n", md, md2);
                abort();
            }
        }
        free(md);
        free(md2);
    }
    posdiff_tracker_free(t2);
}

static int step_text(posdiff_tracker *t, const char *id, const char *raw,
                     size_t len)
{
    posdiff_normalized *n = NULL;
    posdiff_sentence *u = NULL;
    posdiff_step *s = NULL;
    size_t ulen, count = 0;
    const char *md;

    if (posdiff_normalize(&n, raw, len, NULL) != 0)
        return -1;
    md = posdiff_normalized_text(n, &ulen);
    if (posdiff_doc_sentences(&u, &count, md, ulen) == 0 &&
        posdiff_tracker_step(&s, t, id, u, count) == 0)
        check_step(s);
    posdiff_step_free(s);
    free(u);
    posdiff_normalized_free(n);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    posdiff_tracker *t = NULL;
    const char *a, *b;
    size_t alen, blen;

    fuzz_split(data, size, &a, &alen, &b, &blen);
    if (posdiff_tracker_new(&t, cat, NULL) != 0)
        return 0;
    if (step_text(t, "first", a, alen) == 0 && step_text(t, "second", b, blen) == 0)
        check_roundtrip(t);
    posdiff_tracker_free(t);
    return 0;
}
