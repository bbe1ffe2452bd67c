/*
 * check_hostile.c - hostile text at the library level: every kind of
 * invalid UTF-8, NUL, empty and blank input fail with the exact code and
 * a "PATH:LINE:COL" message; odd but valid text (a 5 MiB line, a million
 * one-word sentences, no punctuation, CRLF/CR/BOM, Chinese, right-to-left,
 * combining marks, invisible and non-breaking spaces, Markdown and HTML
 * syntax) normalizes to the expected text and structure.
 *
 * Decisions tested here (see lib/mdrender.c and lib/blocks.c):
 *  - `#hashtag`, `>`, `|`, backtick fences and `1986. It was` inside a
 *    paragraph stay paragraph text: the output's cmark AST has no
 *    heading, quote, table, code or list for them, and every word is kept;
 *  - `# Title` and `- item` at a block start ARE structure;
 *  - HTML tags and comments are text (escaped `\<b\>`): never an HTML
 *    node, so no HTML block can swallow the sentences after one;
 *    entities are decoded as CommonMark reads them (`&amp;` is `&`).
 *
 * Every test also checks that a corpus and its built history, set up
 * once, keep every byte: the text stages touch no file.
 */
#include <cmark.h>
#include <unistd.h>

#include "check_util.h"

static char corpus_dir[64];
static char *fingerprint_before;

/* sha1 of every file of the corpus, history included. */
static char *fingerprint(void)
{
    char cmd[256], *out = malloc(1 << 20);
    size_t n;
    FILE *p;

    snprintf(cmd, sizeof(cmd), "cd '%s' && find . -type f | sort | xargs sha1sum", corpus_dir);
    ck_assert((p = popen(cmd, "r")) != NULL);
    n = fread(out, 1, (1 << 20) - 1, p);
    out[n] = '\0';
    pclose(p);
    return out;
}

/* A copy of the shipped corpus with its history built (once per run). */
static void corpus_setup(void)
{
    posdiff_build_result r;
    posdiff_corpus *c = NULL;
    char cmd[8448];

    snprintf(corpus_dir, sizeof(corpus_dir), "/tmp/posdiff-hostile-XXXXXX");
    ck_assert(mkdtemp(corpus_dir) != NULL);
    snprintf(cmd, sizeof(cmd), "cp -r '%s'/. '%s' && rm -rf '%s/.posdiff'",
             tu_src("corpus"), corpus_dir, corpus_dir);
    ck_assert_int_eq(system(cmd), 0);
    ck_assert_msg(posdiff_corpus_open(&c, corpus_dir) == 0, "%s", posdiff_error_last());
    ck_assert_msg(posdiff_history_build(&r, c, NULL) == 0, "%s", posdiff_error_last());
    posdiff_corpus_free(c);
    fingerprint_before = fingerprint();
}

static void corpus_teardown(void)
{
    char cmd[128];

    free(fingerprint_before);
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", corpus_dir);
    if (system(cmd) != 0)
        fprintf(stderr, "cannot remove %s\n", corpus_dir);
}

static void assert_corpus_unchanged(void)
{
    char *now = fingerprint();
    ck_assert_msg(strcmp(now, fingerprint_before) == 0, "corpus or history bytes changed");
    free(now);
}

static int normalize_buf(posdiff_normalized **n, const char *raw, size_t len)
{
    posdiff_normalize_options o = POSDIFF_NORMALIZE_OPTIONS_INIT;

    o.path = "hostile.txt";
    return posdiff_normalize(n, raw, len, &o);
}

static posdiff_normalized *must_normalize(const char *raw, size_t len)
{
    posdiff_normalized *n = NULL;
    int rc = normalize_buf(&n, raw, len);

    ck_assert_msg(rc == 0, "normalize: %d %s", rc, posdiff_error_last());
    return n;
}

/* ---- errors: invalid UTF-8, NUL, empty -------------------------------- */

typedef struct {
    const char *name;
    const char *raw;
    size_t len; /* 0 = strlen */
    int code;
    const char *msg; /* substring of the error message */
} bad_case;

static const bad_case bad[] = {
    {"truncated-2", "Caf\xC3", 0, POSDIFF_EUTF8, "hostile.txt:1:4: invalid UTF-8 byte 0xC3"},
    {"truncated-2-mid", "ab\xC3 cd", 0, POSDIFF_EUTF8, "hostile.txt:1:3: invalid UTF-8 byte 0xC3"},
    {"truncated-3", "x\n\xE2\x82", 0, POSDIFF_EUTF8, "hostile.txt:2:1: invalid UTF-8 byte 0xE2"},
    {"truncated-4", "\xF0\x9F\x98 end", 0, POSDIFF_EUTF8, "hostile.txt:1:1: invalid UTF-8 byte 0xF0"},
    {"lone-continuation", "a\x80z", 0, POSDIFF_EUTF8, "hostile.txt:1:2: invalid UTF-8 byte 0x80"},
    {"overlong-2", "/\xC0\xAF", 0, POSDIFF_EUTF8, "hostile.txt:1:2: invalid UTF-8 byte 0xC0"},
    {"overlong-2-c1", "\xC1\xBF", 0, POSDIFF_EUTF8, "hostile.txt:1:1: invalid UTF-8 byte 0xC1"},
    {"overlong-3", "\xE0\x80\xAF", 0, POSDIFF_EUTF8, "hostile.txt:1:1: invalid UTF-8 byte 0xE0"},
    {"overlong-4", "\xF0\x80\x80\xAF", 0, POSDIFF_EUTF8, "hostile.txt:1:1: invalid UTF-8 byte 0xF0"},
    {"surrogate-high", "s \xED\xA0\x80", 0, POSDIFF_EUTF8, "hostile.txt:1:3: invalid UTF-8 byte 0xED"},
    {"surrogate-low", "\xED\xBF\xBF", 0, POSDIFF_EUTF8, "hostile.txt:1:1: invalid UTF-8 byte 0xED"},
    {"over-10ffff", "\xF4\x90\x80\x80", 0, POSDIFF_EUTF8, "hostile.txt:1:1: invalid UTF-8 byte 0xF4"},
    {"f5-lead", "\xF5\x80\x80\x80", 0, POSDIFF_EUTF8, "hostile.txt:1:1: invalid UTF-8 byte 0xF5"},
    {"ff-byte", "ok\n\nthen \xFF", 0, POSDIFF_EUTF8, "hostile.txt:3:6: invalid UTF-8 byte 0xFF"},
    {"latin1", "caf\xE9 au lait", 0, POSDIFF_EUTF8, "hostile.txt:1:4: invalid UTF-8 byte 0xE9"},
    {"column-counts-chars", "\xC3\xA9\xC3\xA9\x80", 0, POSDIFF_EUTF8, "hostile.txt:1:3: invalid UTF-8 byte 0x80"},
    {"nul", "Nul\0here.", 9, POSDIFF_EUTF8, "hostile.txt:1:4: NUL byte"},
    {"nul-first", "\0", 1, POSDIFF_EUTF8, "hostile.txt:1:1: NUL byte"},
    {"empty", "", 0, POSDIFF_EEMPTY, "hostile.txt: statement is empty or white space only"},
    {"whitespace-only", " \t\n\r\n \f\v\n", 0, POSDIFF_EEMPTY, "empty or white space only"},
    {"invisible-only", "\xEF\xBB\xBF\xE2\x80\x8B\xC2\xA0\xE2\x80\x83\n", 0, POSDIFF_EEMPTY, "empty or white space only"},
};

START_TEST(test_hostile_bad_text)
{
    const bad_case *b = &bad[_i];
    posdiff_normalized *n = NULL;
    size_t len = b->len ? b->len : strlen(b->raw);
    int rc = normalize_buf(&n, b->raw, len);

    ck_assert_msg(rc == b->code, "%s: rc %d, want %d (%s)", b->name, rc, b->code,
                  posdiff_error_last());
    ck_assert_msg(strstr(posdiff_error_last(), b->msg) != NULL, "%s: message '%s' lacks '%s'",
                  b->name, posdiff_error_last(), b->msg);
    ck_assert(n == NULL);
    assert_corpus_unchanged();
}
END_TEST

/* ---- the output's structure and text ------------------------------------ */

enum {
    ALLOW_PARA = 1, ALLOW_HEADING = 2, ALLOW_LIST = 4, ALLOW_EMPH = 8
};

/* Fail if the body holds a node kind not allowed; returns its plain text
 * (text literals, soft breaks as spaces, blocks separated by " | "). */
static char *ast_check(const char *md, size_t len, int allow, const char *name)
{
    cmark_node *doc = cmark_parse_document(md, len, CMARK_OPT_DEFAULT);
    cmark_iter *it = cmark_iter_new(doc);
    cmark_event_type ev;
    size_t cap = len * 2 + 64, at = 0;
    char *text = malloc(cap);

    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *nd = cmark_iter_get_node(it);
        cmark_node_type t = cmark_node_get_type(nd);
        const char *lit;
        int ok;

        if (ev != CMARK_EVENT_ENTER)
            continue;
        switch (t) {
        case CMARK_NODE_DOCUMENT: case CMARK_NODE_TEXT: case CMARK_NODE_SOFTBREAK:
            ok = 1; break;
        case CMARK_NODE_PARAGRAPH: ok = 1; break;
        case CMARK_NODE_HEADING: ok = allow & ALLOW_HEADING; break;
        case CMARK_NODE_LIST: case CMARK_NODE_ITEM: ok = allow & ALLOW_LIST; break;
        case CMARK_NODE_EMPH: case CMARK_NODE_STRONG: ok = allow & ALLOW_EMPH; break;
        default: ok = 0;
        }
        ck_assert_msg(ok, "%s: output has a %s node:\n%s", name, cmark_node_get_type_string(nd), md);
        if ((t == CMARK_NODE_PARAGRAPH || t == CMARK_NODE_HEADING) && at > 0) {
            memcpy(text + at, " | ", 3);
            at += 3;
        }
        lit = t == CMARK_NODE_TEXT ? cmark_node_get_literal(nd) : t == CMARK_NODE_SOFTBREAK ? " " : "";
        ck_assert(at + strlen(lit) < cap);
        memcpy(text + at, lit, strlen(lit));
        at += strlen(lit);
    }
    text[at] = '\0';
    cmark_iter_free(it);
    cmark_node_free(doc);
    return text;
}

typedef struct {
    const char *name;
    const char *raw;
    int allow;        /* node kinds allowed besides paragraphs and text */
    const char *text; /* the output's plain text, blocks joined by " | " */
} text_case;

static const text_case texts[] = {
    /* Markdown-significant characters that are not structure here */
    {"hashtag-line", "We start.\n#hashtag at a line start.", 0,
     "We start. #hashtag at a line start."},
    {"hashtag-block", "#hashtag opens a paragraph.", 0, "#hashtag opens a paragraph."},
    {"quote-mark", "Intro line.\n> not a quote, just a sign.", 0, "Intro line. > not a quote, just a sign."},
    {"quote-block", "Intro.\n\n> a quoted line.", 0, "Intro. | > a quoted line."},
    {"table-pipes", "Intro.\n\n| a | b |\n|---|---|\n| c | d |", 0, "Intro. | | a | b | |---|---| | c | d |"},
    {"backtick-fence", "Intro.\n\n```\nnot code\n```", 0, "Intro. | ``` not code ```"},
    {"tilde-fence", "Intro.\n\n~~~\nnot code\n~~~", 0, "Intro. | ~~~ not code ~~~"},
    {"inline-backticks", "A `span` and ``two`` stay text.", 0, "A `span` and ``two`` stay text."},
    {"year-in-paragraph", "It began in\n1986. It was a year of change.", 0,
     "It began in 1986. It was a year of change."},
    {"year-paren", "The count was\n2001) and more.", 0, "The count was 2001) and more."},
    {"setext-underline", "A line\n===\nand more.", 0, "A line === and more."},
    {"indented-code", "Intro.\n\n    four spaces in.", 0, "Intro. | four spaces in."},
    {"thematic-break", "Intro.\n\n***\n\nAfter.", 0, "Intro. | *** | After."},
    /* real structure */
    {"atx-title", "# Title\n\nBody text here.", ALLOW_HEADING, "Title | Body text here."},
    {"dash-item", "Intro.\n\n- item one\n- item two", ALLOW_LIST, "Intro. | item one | item two"},
    {"ordered-1-interrupts", "Intro:\n1. first\n2. second", ALLOW_LIST, "Intro: | first | second"},
    /* HTML: text, never an HTML node */
    {"html-inline", "We <b>stress</b> this.", 0, "We <b>stress</b> this."},
    {"html-block-div", "Intro.\n\n<div>\nInside the div.\n</div>\nAfter it.", 0,
     "Intro. | <div> Inside the div. </div> After it."},
    {"html-sentence-start", "First one. </p> Second one.", 0, "First one. </p> Second one."},
    {"html-comment", "Intro.\n\n<!-- a comment -->\nVisible.", 0, "Intro. | <!-- a comment --> Visible."},
    {"html-script", "Run <script>alert(1)</script> now.", 0, "Run <script>alert(1)</script> now."},
    {"html-entities", "Fish &amp; chips &lt;b&gt; &#169; &copy; &bogus; here.", 0,
     "Fish & chips <b> \xC2\xA9 \xC2\xA9 &bogus; here."},
    {"autolink", "See <https://example.org> now.", 0, "See <https://example.org> now."},
    /* scripts and invisible characters */
    {"chinese-english", "中国支持数据安全。We agree. 我们同意！", 0,
     "中国支持数据安全。 We agree. 我们同意！"},
    {"cjk-stop-abbrev", "Yes\xEF\xBC\x9FMr. Chair, we agree.", 0, "Yes\xEF\xBC\x9F Mr. Chair, we agree."},
    {"right-to-left", "\xD8\xA7\xD9\x84\xD8\xB3\xD9\x84\xD8\xA7\xD9\x85 \xD8\xB9\xD9\x84\xD9\x8A\xD9\x83\xD9\x85. \xE2\x80\x8FShalom \xD7\xA9\xD7\x9C\xD7\x95\xD7\x9D.", 0,
     "\xD8\xA7\xD9\x84\xD8\xB3\xD9\x84\xD8\xA7\xD9\x85 \xD8\xB9\xD9\x84\xD9\x8A\xD9\x83\xD9\x85. \xE2\x80\x8FShalom \xD7\xA9\xD7\x9C\xD7\x95\xD7\x9D."},
    {"zero-width", "da\xE2\x80\x8Bta sec\xE2\x81\xA0urity\xEF\xBB\xBF matters.", 0, "data security matters."},
    {"noncharacters", "A \xEF\xBF\xBF B\xEF\xBF\xBE.", 0, "A B."}, /* cmark would write 0xFF */
    {"controls", "Bell\x07 esc\x1b del\x7f c1\xC2\x85 end.\x0c", 0, "Bell esc del c1 end."},
    {"nbsp-and-thin", "data\xC2\xA0security\xE2\x80\x89matters\xE2\x80\x83now.", 0, "data security matters now."},
    {"crlf", "Mr. Chair,\r\n\r\nWe act. We speak.\r\n", 0, "Mr. Chair, | We act. We speak."},
    {"lone-cr", "Mr. Chair,\r\rWe act. We speak.\r", 0, "Mr. Chair, | We act. We speak."},
    {"bom", "\xEF\xBB\xBFMr. Chair,\n\nWe act.", 0, "Mr. Chair, | We act."},
    /* the first block without final punctuation is the title (blocks.c) */
    {"no-punctuation", "words without any end\nand more words\nstill none", ALLOW_HEADING,
     "words without any end and more words still none"},
};

START_TEST(test_hostile_text)
{
    const text_case *c = &texts[_i];
    posdiff_normalized *n = must_normalize(c->raw, strlen(c->raw));
    size_t len;
    const char *md = posdiff_normalized_text(n, &len);
    char *plain = ast_check(md, len, c->allow | ALLOW_PARA, c->name);
    posdiff_normalized *again = must_normalize(md, len);

    ck_assert_msg(strcmp(plain, c->text) == 0, "%s: text\n  got  '%s'\n  want '%s'\noutput:\n%s",
                  c->name, plain, c->text, md);
    ck_assert_msg(strcmp(md, posdiff_normalized_text(again, NULL)) == 0,
                  "%s: not idempotent:\n%s\n---\n%s", c->name, md,
                  posdiff_normalized_text(again, NULL));
    free(plain);
    posdiff_normalized_free(again);
    posdiff_normalized_free(n);
    assert_corpus_unchanged();
}
END_TEST

/* ---- equivalent inputs: same output, all-equal token diff ---------------- */

static const struct {
    const char *name, *a, *b;
} same[] = {
    {"nfc-nfd", "Caf\xC3\xA9 na\xC3\xAFve r\xC3\xA9sum\xC3\xA9 \xE1\xBA\xA0.",
     "Cafe\xCC\x81 nai\xCC\x88ve re\xCC\x81sume\xCC\x81 A\xCC\xA3."},
    {"nfc-nfd-hangul", "\xED\x95\x9C\xEA\xB5\xAD.", "\xE1\x84\x92\xE1\x85\xA1\xE1\x86\xAB\xE1\x84\x80\xE1\x85\xAE\xE1\x86\xA8."},
    {"combining-order", "q\xCC\xA3\xCC\x87 here.", "q\xCC\x87\xCC\xA3 here."},
    {"crlf-lf", "Mr. Chair,\r\n\r\nWe act.\r\n", "Mr. Chair,\n\nWe act.\n"},
    {"cr-lf", "One line.\rTwo line.\r", "One line.\nTwo line.\n"},
    {"bom-none", "\xEF\xBB\xBFText here.", "Text here."},
    {"nbsp-space", "data\xC2\xA0security", "data security"},
    {"zero-width-none", "da\xE2\x80\x8Bta", "data"},
    {"curly-straight", "\xE2\x80\x9CQuoted\xE2\x80\x9D and China\xE2\x80\x99s view.", "\"Quoted\" and China's view."},
};

START_TEST(test_hostile_equivalent)
{
    posdiff_normalized *na = must_normalize(same[_i].a, strlen(same[_i].a));
    posdiff_normalized *nb = must_normalize(same[_i].b, strlen(same[_i].b));
    size_t la, lb, count = 0;
    const char *ta = posdiff_normalized_text(na, &la);
    const char *tb = posdiff_normalized_text(nb, &lb);
    posdiff_op *ops = NULL;

    ck_assert_msg(la == lb && memcmp(ta, tb, la) == 0, "%s: '%s' vs '%s'", same[_i].name, ta, tb);
    ck_assert_int_eq(posdiff_tokdiff(&ops, &count, ta, la, tb, lb, NULL), 0);
    ck_assert_uint_eq(count, 1);
    ck_assert_int_eq(ops[0].kind, POSDIFF_OP_EQUAL);
    free(ops);
    posdiff_normalized_free(na);
    posdiff_normalized_free(nb);
    assert_corpus_unchanged();
}
END_TEST

/* ---- size: a 5 MiB line, a million sentences (hang guards) ---------------- */

START_TEST(test_hostile_5mib_line)
{
    size_t len = 5u << 20, out_len, words = 0;
    char *raw = malloc(len);
    posdiff_normalized *n;
    const char *md;

    for (size_t i = 0; i < len; i++)
        raw[i] = i % 8 == 7 ? ' ' : "abcdefg"[i % 8];
    n = must_normalize(raw, len);
    md = posdiff_normalized_text(n, &out_len);
    for (size_t i = 0; i < out_len; i++)
        words += md[i] == 'a' && (i == 0 || md[i - 1] == ' ' || md[i - 1] == '\n');
    ck_assert_uint_eq(words, len / 8);
    ck_assert(strchr(md, '\n') == md + out_len - 1); /* no sentence end: one line */
    posdiff_normalized_free(n);
    free(raw);
    assert_corpus_unchanged();
}
END_TEST

START_TEST(test_hostile_million_sentences)
{
    size_t count = 1000000, len = count * 4, out_len, lines = 0;
    char *raw = malloc(len);
    posdiff_normalized *n;
    const char *md;

    for (size_t i = 0; i < count; i++)
        memcpy(raw + i * 4, "Go. ", 4);
    n = must_normalize(raw, len);
    md = posdiff_normalized_text(n, &out_len);
    for (size_t i = 0; i < out_len; i++)
        lines += md[i] == '\n';
    ck_assert_uint_eq(lines, count); /* one sentence per line */
    posdiff_normalized_free(n);
    free(raw);
    assert_corpus_unchanged();
}
END_TEST

START_TEST(test_hostile_over_limit)
{
    posdiff_normalize_options o = POSDIFF_NORMALIZE_OPTIONS_INIT;
    posdiff_normalized *n = NULL;

    o.path = "big.txt";
    o.max_bytes = 10;
    ck_assert_int_eq(posdiff_normalize(&n, "Eleven bytes", 12, &o), POSDIFF_ELIMIT);
    ck_assert(strstr(posdiff_error_last(), "big.txt: file is 12 bytes, over the limit of 10 bytes") != NULL);
    ck_assert(n == NULL);
}
END_TEST

static Suite *hostile_suite(void)
{
    Suite *s = suite_create("hostile");
    TCase *errors = tcase_create("errors"), *text = tcase_create("text"),
          *limits = tcase_create("limits");
    TCase *all[] = {errors, text, limits};

    for (size_t i = 0; i < 3; i++) {
        tcase_add_unchecked_fixture(all[i], corpus_setup, corpus_teardown);
        tcase_set_timeout(all[i], 240); /* a hang guard, not a benchmark */
        suite_add_tcase(s, all[i]);
    }
    tcase_add_loop_test(errors, test_hostile_bad_text, 0, sizeof(bad) / sizeof(bad[0]));
    tcase_add_loop_test(text, test_hostile_text, 0, sizeof(texts) / sizeof(texts[0]));
    tcase_add_loop_test(text, test_hostile_equivalent, 0, sizeof(same) / sizeof(same[0]));
    tcase_add_test(limits, test_hostile_5mib_line);
    tcase_add_test(limits, test_hostile_million_sentences);
    tcase_add_test(limits, test_hostile_over_limit);
    return s;
}

TU_MAIN(hostile_suite)
