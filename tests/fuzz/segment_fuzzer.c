/*
 * segment_fuzzer.c - fuzz sentence segmentation (posdiff_segment) and
 * the units of a normalized statement (posdiff_doc_sentences).
 *
 * Both take text that was validated at the door, so invalid UTF-8
 * inputs are skipped.  Checks: spans are non-empty, in order, within
 * the text, start and end on non-space bytes, and only white space lies
 * between them; units point into the text given, on increasing lines.
 */
#include "fuzz_util.h"

#include "util/utf8.h"

static int is_ascii_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
           c == '\v';
}

static void check_spans(const char *t, size_t len, const posdiff_span *s,
                        size_t n)
{
    size_t prev = 0;

    for (size_t i = 0; i < n; i++) {
        FUZZ_CHECK(s[i].start < s[i].end);
        FUZZ_CHECK(s[i].start >= prev);
        FUZZ_CHECK(s[i].end <= len);
        FUZZ_CHECK(!is_ascii_space(t[s[i].start]));
        FUZZ_CHECK(!is_ascii_space(t[s[i].end - 1]));
        for (size_t k = prev; k < s[i].start; k++)
            FUZZ_CHECK(is_ascii_space(t[k]));
        prev = s[i].end;
    }
    for (size_t k = prev; k < len; k++)
        FUZZ_CHECK(is_ascii_space(t[k]));
}

static void check_units(const char *t, size_t len, const posdiff_sentence *u,
                        size_t n)
{
    for (size_t i = 0; i < n; i++) {
        FUZZ_CHECK(u[i].text >= t && u[i].text + u[i].len <= t + len);
        FUZZ_CHECK(u[i].line >= 1);
        FUZZ_CHECK(i == 0 || u[i].line >= u[i - 1].line);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *t = (const char *)data;
    posdiff_span *spans = NULL;
    posdiff_sentence *units = NULL;
    size_t n = 0;

    fuzz_init_once();
    if (utf8_validate(t, size, NULL) != 0)
        return 0;
    if (posdiff_segment(&spans, &n, t, size) == 0)
        check_spans(t, size, spans, n);
    free(spans);
    n = 0;
    if (posdiff_doc_sentences(&units, &n, t, size) == 0)
        check_units(t, size, units, n);
    free(units);
    return 0;
}
