/*
 * normalize_fuzzer.c - fuzz posdiff_normalize() on raw statement bytes.
 *
 * Checks, beyond "no crash, no leak, no UB": a success yields valid
 * UTF-8 text with the body offset inside it; a failure carries one of
 * the documented codes and a message; and the body contract of
 * normalize.h holds - normalizing the output again must succeed (it is
 * not empty) and be a fixed point (idempotence); a title made from
 * plain text holds at most 50 words (the title rule is bounded).  The
 * first input byte picks whether manifest fields and a strip rule are
 * passed.
 */
#include "fuzz_util.h"

#include "util/utf8.h"

static const char *const strip_rules[] = {"Print", "Home > *"};

static void check_result(const posdiff_normalized *n)
{
    size_t len, body;
    const char *text = posdiff_normalized_text(n, &len);

    body = posdiff_normalized_body_offset(n);
    FUZZ_CHECK(body <= len);
    FUZZ_CHECK(strlen(text) == len);
    FUZZ_CHECK(utf8_validate(text, len, NULL) == 0);
    for (size_t i = 0; i < posdiff_normalized_removal_count(n); i++)
        FUZZ_CHECK(posdiff_normalized_removal(n, i)->text != NULL);
}

/* Input without heading or emphasis syntax: a '#' line of the body is
 * the title rule's, and holds at most 50 words (blocks.c). */
static void check_title(const uint8_t *data, size_t size, const posdiff_normalized *n)
{
    size_t len, body = posdiff_normalized_body_offset(n);
    const char *text = posdiff_normalized_text(n, &len), *line, *end;

    for (size_t i = 0; i < size; i++)
        if (data[i] && strchr("#*=-_<", data[i]))
            return;
    for (line = text + body; line < text + len; line = end + 1) {
        size_t words = 0;

        if (!(end = memchr(line, '\n', (size_t)(text + len - line))))
            end = text + len;
        if (end - line < 2 || line[0] != '#' || line[1] != ' ')
            continue;
        for (const char *p = line + 2; p < end; p++)
            words += *p != ' ' && p[-1] == ' ';
        if (words > 50) {
            fprintf(stderr, "a title of %zu words:\n%.*s\n", words, (int)(end - line), line);
            abort();
        }
    }
}

/* normalize(body) == body: the output is a fixed point. */
static void check_idempotent(const posdiff_normalized *n)
{
    posdiff_normalized *again = NULL;
    size_t len, len2, body = posdiff_normalized_body_offset(n);
    const char *text = posdiff_normalized_text(n, &len);
    int rc = posdiff_normalize(&again, text + body, len - body, NULL);

    if (rc == POSDIFF_ELIMIT)
        return;
    if (rc != 0) {
        fprintf(stderr, "renormalizing failed: %s\n", posdiff_error_last());
        abort();
    }
    const char *text2 = posdiff_normalized_text(again, &len2);
    if (len2 != len - body || memcmp(text2, text + body, len2) != 0) {
        fprintf(stderr, "not idempotent:\n--- once\n%.*s\n--- twice\n%s\n",
                (int)(len - body), text + body, text2);
        abort();
    }
    posdiff_normalized_free(again);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    posdiff_normalize_options o = POSDIFF_NORMALIZE_OPTIONS_INIT;
    posdiff_meta meta = {"fuzz-id", "2021-12-14", "A title", "OEWG", NULL, NULL};
    posdiff_normalized *n = NULL;
    int rc;

    fuzz_init_once();
    o.path = "fuzz.txt";
    if (size > 0 && data[0] == '\x01') {
        o.meta = &meta;
        o.strip = strip_rules;
        o.strip_count = 2;
    }
    rc = posdiff_normalize(&n, (const char *)data, size, &o);
    if (rc == 0) {
        check_result(n);
        check_title(data, size, n);
        if (getenv("POSDIFF_FUZZ_NO_IDEMPOTENCE") == NULL)
            check_idempotent(n);
    } else {
        FUZZ_CHECK(n == NULL);
        FUZZ_CHECK(rc == POSDIFF_EUTF8 || rc == POSDIFF_EEMPTY ||
                   rc == POSDIFF_ELIMIT || rc == POSDIFF_ENOMEM);
        FUZZ_CHECK(posdiff_error_last()[0] != '\0');
    }
    posdiff_normalized_free(n);
    return 0;
}
