/*
 * check_normalize.c - posdiff_normalize() and posdiff_doc_sentences().
 *
 * Runs on the five shipped statements (corpus/statements/, with the
 * strip globs of corpus/statements.conf for the 2020 web page) and on
 * small inline inputs: cmark round trip, idempotence, one sentence per
 * line, recovered structure, repairs (also of web and PDF defects, and
 * the changes they record), preserved word sequence, errors.
 */
#include <cmark.h>

#include "check_util.h"
#include "util/utf8.h"

static const char *const strip_2020[] = {
    "Home Meetings & Statements *", "Home > *",
    "[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]",
    "Suggest to a friend", "Print"};

static const char *const statements[] = {
    "2019-09-oewg-general-debate", "2019-09-oewg-submission",
    "2020-10-30-first-committee", "2021-12-14-oewg", "2025-02-oewg-10"};

#define N_STATEMENTS 5

static posdiff_normalized *norm_buf(const char *raw, size_t len,
                                    const char *path, int with_meta)
{
    static const posdiff_meta meta = {"an-id", "2020-10-30", "A -- title\nhere",
                                      "OEWG", NULL, "seed"};
    posdiff_normalize_options o = POSDIFF_NORMALIZE_OPTIONS_INIT;
    posdiff_normalized *n = NULL;
    int err;

    o.path = path;
    if (path && strstr(path, "2020-10-30")) {
        o.strip = strip_2020;
        o.strip_count = 5;
    }
    o.meta = with_meta ? &meta : NULL;
    err = posdiff_normalize(&n, raw, len, &o);
    ck_assert_msg(err == 0, "normalize %s: %d %s", path ? path : "-", err,
                  posdiff_error_last());
    return n;
}

static char *raw_of(int i, size_t *len)
{
    char rel[256];

    snprintf(rel, sizeof(rel), "corpus/statements/%s.txt", statements[i]);
    return tu_read_file(tu_src(rel), len);
}

static posdiff_normalized *norm_statement(int i, int with_meta)
{
    size_t len;
    char *raw = raw_of(i, &len);
    char path[256];
    posdiff_normalized *n;

    snprintf(path, sizeof(path), "%s.txt", statements[i]);
    n = norm_buf(raw, len, path, with_meta);
    free(raw);
    return n;
}

static const char *body_of(const posdiff_normalized *n)
{
    return posdiff_normalized_text(n, NULL) + posdiff_normalized_body_offset(n);
}

/* Is @p line (without "\n") a whole line of @p text? */
static int has_line(const char *text, const char *line)
{
    size_t n = strlen(line);
    const char *p = text;

    while ((p = strstr(p, line)) != NULL) {
        if ((p == text || p[-1] == '\n') && (p[n] == '\n' || p[n] == '\0'))
            return 1;
        p++;
    }
    return 0;
}

/* ---- core: round trip, idempotence ---------------------------------- */

START_TEST(test_normalize_cmark_round_trip)
{
    posdiff_normalized *n = norm_statement(_i, 1);
    size_t len;
    const char *md = posdiff_normalized_text(n, &len);
    cmark_node *doc = cmark_parse_document(md, len, CMARK_OPT_DEFAULT);
    char *again = cmark_render_commonmark(doc, CMARK_OPT_DEFAULT, 0);

    ck_assert_msg(strcmp(md, again) == 0, "%s: not a cmark fixed point",
                  statements[_i]);
    ck_assert(strncmp(md, "<!-- posdiff\nid: an-id\ndate: 2020-10-30\n"
                          "title: A - - title here\nvenue: OEWG\nsource: seed\n-->\n\n",
                      posdiff_normalized_body_offset(n)) == 0);
    cmark_get_default_mem_allocator()->free(again);
    cmark_node_free(doc);
    posdiff_normalized_free(n);
}
END_TEST

START_TEST(test_normalize_idempotent)
{
    posdiff_normalized *n = norm_statement(_i, 1), *n2, *n3;
    size_t len;
    const char *md = posdiff_normalized_text(n, &len);
    const char *body = body_of(n);

    n2 = norm_buf(md, len, "again.md", 0);
    ck_assert_msg(strcmp(body, body_of(n2)) == 0, "%s: normalize(output) differs",
                  statements[_i]);
    n3 = norm_buf(body, strlen(body), "body.md", 0);
    ck_assert_str_eq(body, body_of(n3));
    posdiff_normalized_free(n3);
    posdiff_normalized_free(n2);
    posdiff_normalized_free(n);
}
END_TEST

/* ---- one sentence per line ------------------------------------------ */

typedef struct {
    const char *in;
    const char *want; /* the whole body */
} line_case;

static const line_case line_cases[] = {
    {"Thank you, Mr. Chair. We begin now.", "Thank you, Mr. Chair.\nWe begin now.\n"},
    {"The U.N. Charter applies. It is clear.", "The U.N. Charter applies.\nIt is clear.\n"},
    {"Resolution No. 5 was adopted. It passed.", "Resolution No. 5 was adopted.\nIt passed.\n"},
    {"Growth was 3.5 percent this year. Next year more.", "Growth was 3.5 percent this year.\nNext year more.\n"},
    {"1. First item here. Second sentence.\n2. Another item.",
     "1.  First item here.\n    Second sentence.\n2.  Another item.\n"},
    {"Intro text.\n\n- One item. Two sentences.\n\n- Next item.",
     "Intro text.\n\n  - One item.\n    Two sentences.\n  - Next item.\n"},
    {"We act, e.g. Now. Done here.", "We act, e.g. Now.\nDone here.\n"},
    {"He said \"stop.\" Then he left.", "He said \"stop.\"\nThen he left.\n"},
    {"Costs rose *a lot.* Then fell.", "Costs rose *a lot.*\nThen fell.\n"},
};

START_TEST(test_normalize_sentence_lines)
{
    const line_case *c = &line_cases[_i];
    posdiff_normalized *n = norm_buf(c->in, strlen(c->in), "case.txt", 0);

    ck_assert_str_eq(body_of(n), c->want);
    posdiff_normalized_free(n);
}
END_TEST

/* ---- structure ------------------------------------------------------ */

START_TEST(test_normalize_submission_structure)
{
    posdiff_normalized *n = norm_statement(1, 0);
    const char *b = body_of(n);
    static const char *const want[] = {
        "# China's Submissions to the Open-ended Working Group on Developments in the Field of Information and Telecommunications in the Context of International Security",
        "## I. Existing and Potential Threats",
        "## II. Norms, Rules and Principles for the Responsible Behavior of States",
        "## III. Application of International Law",
        "## IV. Confidence Building Measures",
        "## V. Capacity Building Measures",
        "## VII. Regular Institutional Dialogue",
        "### ii) State sovereignty in cyberspace",
        "### iii) Critical infrastructure protection",
        "### iv) Data security",
        "### v) Supply chain security",
        "### vi) Counter-terrorism",
        "### vii) Norms, rules and principles regarding emerging technologies",
        "  - Surging cyber attacks and cyber crimes, as well as cyber terrorism as a global menace, pose grave threats to security and stability of states.",
        "  - The widening digital divide among countries and regions.",
        "  - States should participate in the management and distribution of international Internet resources on equal footings.",
    };
    size_t i;

    for (i = 0; i < sizeof(want) / sizeof(want[0]); i++)
        ck_assert_msg(has_line(b, want[i]), "missing line: %s", want[i]);
    ck_assert(strstr(b, "\n### i) States should pledge not to use ICTs") != NULL);
    ck_assert(strstr(b, "--") == NULL || strstr(b, "\n--") == NULL);
    ck_assert(strstr(b, "\n\n  - Certain state") == NULL); /* one tight list */
    ck_assert(has_line(b, "  - Certain state politicizes technology and cybersecurity issues and willfully suppresses other states' ICT enterprises, jeopardizing global development and cooperation."));
    posdiff_normalized_free(n);
}
END_TEST

START_TEST(test_normalize_titles_and_salutations)
{
    posdiff_normalized *gd = norm_statement(0, 0), *s21 = norm_statement(3, 0);
    posdiff_normalized *s20 = norm_statement(2, 0), *s25 = norm_statement(4, 0);

    ck_assert(strncmp(body_of(gd), "# Statement of Counselor Wang Lei, Head of Chinese Delegation at the General Debate in the First Session of UN OEWG\n", 112) == 0);
    ck_assert(has_line(body_of(gd), "Dear colleagues,"));
    ck_assert(has_line(body_of(gd), "Mr. President, colleagues,"));
    ck_assert(strstr(body_of(gd), "# Dear") == NULL);
    ck_assert(has_line(body_of(s21), "# Statement by Counsellor Wu Jianjian, Head of the Chinese Delegation at the General Exchange of Views of the First Substantive Session of the Open-ended Working Group on Security of and in the Use of Information and Communications Technologies"));
    ck_assert(strstr(body_of(s21), "**") == NULL);
    ck_assert(has_line(body_of(s21), "Mr. Chairman, colleagues,"));
    ck_assert(has_line(body_of(s20), "# Statement of the Chinese Delegation at the Thematic Discussion on Information Security at the First Committee of the 75th Session of the UN General Assembly"));
    ck_assert(has_line(body_of(s20), "Mr. Chair,"));
    ck_assert(strncmp(body_of(s25), "Mr. Chair,\n\n", 12) == 0); /* no title */
    ck_assert(has_line(body_of(s25), "## I. Existing and Potential Threats"));
    ck_assert(has_line(body_of(s25), "## VI. Regular Institutional Dialogue"));
    posdiff_normalized_free(gd);
    posdiff_normalized_free(s21);
    posdiff_normalized_free(s20);
    posdiff_normalized_free(s25);
}
END_TEST

/* A statement flattened to one line, without final punctuation, is not
 * a title: the title rule takes one sentence of at most 50 words. */
START_TEST(test_normalize_flattened_not_title)
{
    static const char flat[] =
        "States should protect data security. States should not install backdoors in "
        "products and services. The UN should remain the main platform for rules in cyberspace";
    static const char long_para[] =
        "Statement on the many and varied questions of security in the use of information "
        "and communications technologies that the working group has discussed over its "
        "sessions and the proposals that delegations made about them in the course of the "
        "discussions held in New York and online during the year, together with the "
        "replies of the chair and the secretariat to each of them";
    posdiff_normalized *n = NULL;
    size_t len;

    ck_assert_int_eq(posdiff_normalize(&n, flat, strlen(flat), NULL), 0);
    ck_assert_msg(strstr(posdiff_normalized_text(n, &len), "# ") == NULL, "%s",
                  posdiff_normalized_text(n, &len));
    posdiff_normalized_free(n);
    ck_assert_int_eq(posdiff_normalize(&n, long_para, strlen(long_para), NULL), 0);
    ck_assert(strstr(posdiff_normalized_text(n, &len), "# ") == NULL);
    posdiff_normalized_free(n);
}
END_TEST

/* ---- repairs -------------------------------------------------------- */

START_TEST(test_normalize_repairs)
{
    posdiff_normalized *sub = norm_statement(1, 0), *gd = norm_statement(0, 0);
    posdiff_normalized *s21 = norm_statement(3, 0), *s25 = norm_statement(4, 0);
    const char *b25 = body_of(s25);

    ck_assert(has_line(body_of(sub), "  - Fake news and the leak and abuse of personal data aggravate trust deficit."));
    ck_assert(strstr(body_of(sub), "should enrich and elaborate on the specification of the principle") != NULL);
    ck_assert(strstr(body_of(sub), "cooperation partners and users would be noticed") != NULL);
    ck_assert(strstr(body_of(gd), "forging military alliance and introducing rules of engagement") != NULL);
    ck_assert(strstr(body_of(gd), "development, it is crucial") != NULL);
    ck_assert(strstr(body_of(s21), "and the General Assembly has adopted") != NULL);
    ck_assert(strstr(body_of(s21), "pledge to abide by them, which is crucial") != NULL);
    ck_assert(strstr(body_of(s21), "China calls upon relevant countries") != NULL);
    ck_assert(strstr(b25, "international community.\nThe UN ICT security process") != NULL);
    ck_assert(strstr(b25, "crossroads, facing") != NULL);
    ck_assert(strstr(b25, "supply chain security, and") != NULL);
    ck_assert(strstr(b25, "community.The") == NULL);
    ck_assert(strstr(b25, "Mr.Chair") == NULL);
    posdiff_normalized_free(sub);
    posdiff_normalized_free(gd);
    posdiff_normalized_free(s21);
    posdiff_normalized_free(s25);
}
END_TEST

START_TEST(test_normalize_repair_spacing_cases)
{
    const char *in = "Growth of 3.5 and 1,000 units at the U.N. in 73/27. See www.fmprc.gov.cn and e.g. this.";
    posdiff_normalized *n = norm_buf(in, strlen(in), "c.txt", 0);

    ck_assert(strstr(body_of(n), "3.5 and 1,000 units at the U.N. in 73/27.") != NULL);
    ck_assert(strstr(body_of(n), "www.fmprc.gov.cn and e.g. this.") != NULL);
    posdiff_normalized_free(n);
}
END_TEST

START_TEST(test_normalize_strip_2020)
{
    posdiff_normalized *n = norm_statement(2, 0);
    const char *b = body_of(n);
    static const struct {
        size_t line;
        const char *prefix;
    } want[] = {{1, "Home Meetings & Statements"}, {2, "Home > China & UN >"},
                {5, "2020-10-30 06:47"}, {35, "Suggest to a friend"},
                {36, "Print"}};
    size_t i;

    ck_assert_uint_eq(posdiff_normalized_removal_count(n), 5);
    for (i = 0; i < 5; i++) {
        const posdiff_removal *r = posdiff_normalized_removal(n, i);
        ck_assert_uint_eq(r->line, want[i].line);
        ck_assert(strncmp(r->text, want[i].prefix, strlen(want[i].prefix)) == 0);
        ck_assert(strncmp(r->rule, "strip: ", 7) == 0);
    }
    ck_assert_uint_eq(posdiff_normalized_removal(n, 4)->column, 4);
    ck_assert(strstr(b, "Meetings & Statements") == NULL);
    ck_assert(strstr(b, "Home") == NULL);
    ck_assert(strstr(b, "06:47") == NULL);
    ck_assert(strstr(b, "Suggest to a friend") == NULL);
    ck_assert(strstr(b, "Print") == NULL);
    posdiff_normalized_free(n);
}
END_TEST

/* ---- word sequence -------------------------------------------------- */

typedef struct {
    char **w;
    size_t n, cap;
} words;

/* Append the words (runs of letters/digits) of s[0..len) to @p v. */
static void add_words(words *v, const char *s, size_t len)
{
    size_t i = 0, start = 0, n;
    int32_t c;
    int in = 0;

    while (i <= len) {
        n = i < len ? utf8_decode(s + i, len - i, &c) : 1;
        int alnum = i < len && utf8_is_alnum(c);
        if (alnum && !in)
            start = i;
        if (!alnum && in) {
            if (v->n == v->cap) {
                v->cap = v->cap ? v->cap * 2 : 256;
                v->w = realloc(v->w, v->cap * sizeof(char *));
            }
            v->w[v->n++] = strndup(s + start, i - start);
        }
        in = alnum;
        i += n;
    }
}

static void free_words(words *v)
{
    size_t i;

    for (i = 0; i < v->n; i++)
        free(v->w[i]);
    free(v->w);
}

START_TEST(test_normalize_word_sequence)
{
    posdiff_normalized *n = norm_statement(_i, 1);
    size_t len, i, j = 0, k, out = 0;
    char *raw = raw_of(_i, &len);
    words rw = {0}, rm = {0}, bw = {0};
    const char *body = body_of(n);

    add_words(&rw, raw, len);
    for (i = 0; i < posdiff_normalized_removal_count(n); i++) {
        const char *t = posdiff_normalized_removal(n, i)->text;
        add_words(&rm, t, strlen(t));
    }
    add_words(&bw, body, strlen(body));
    /* raw minus the removed words, in order, compacted into rw */
    for (i = 0; i < rw.n; i++) {
        if (j < rm.n && strcmp(rw.w[i], rm.w[j]) == 0) {
            j++;
            free(rw.w[i]);
            continue;
        }
        rw.w[out++] = rw.w[i];
    }
    rw.n = out;
    ck_assert_uint_eq(j, rm.n);
    for (k = 0; k < rw.n && k < bw.n; k++)
        ck_assert_msg(strcmp(rw.w[k], bw.w[k]) == 0, "%s: word %zu: raw '%s', body '%s'",
                      statements[_i], k, rw.w[k], bw.w[k]);
    ck_assert_uint_eq(rw.n, bw.n);
    free_words(&rw);
    free_words(&rm);
    free_words(&bw);
    free(raw);
    posdiff_normalized_free(n);
}
END_TEST

/* ---- sentences of a normalized document ----------------------------- */

static int has_bytes(const char *s, size_t n, const char *w, size_t wn)
{
    size_t i;

    for (i = 0; i + wn <= n; i++)
        if (memcmp(s + i, w, wn) == 0)
            return 1;
    return 0;
}

START_TEST(test_normalize_doc_sentences)
{
    posdiff_normalized *n = norm_statement(2, 1);
    size_t len, count, i, found = 0;
    const char *md = posdiff_normalized_text(n, &len);
    posdiff_sentence *s;
    static const char want[] = "States should not request domestic companies to store the data generated and obtained overseas in their own territory.";

    ck_assert_int_eq(posdiff_doc_sentences(&s, &count, md, len), 0);
    ck_assert_uint_gt(count, 10);
    ck_assert(strncmp(s[0].text, "Statement of the Chinese Delegation", 35) == 0);
    ck_assert_uint_eq(s[0].line, 9); /* after 7 lines of front matter + blank */
    ck_assert(strncmp(s[1].text, "Mr. Chair,", s[1].len) == 0);
    for (i = 0; i < count; i++) {
        ck_assert(memchr(s[i].text, '\n', s[i].len) == NULL);
        ck_assert(s[i].text[0] != ' ' && s[i].text[0] != '#');
        /* in the raw text the clause is an item of an enumeration
         * ("called for the following: ...; ...;"): a unit of its own */
        if (has_bytes(s[i].text, s[i].len, want, strlen(want) - 1)) {
            found++;
            ck_assert_uint_eq(s[i].len, strlen(want) - 1);
            ck_assert_uint_eq(s[i].line, 18);
        }
    }
    ck_assert_uint_eq(found, 1);
    free(s);
    posdiff_normalized_free(n);
}
END_TEST

START_TEST(test_normalize_doc_sentences_markers)
{
    const char *md = "# Title here\n\n## I. Section\n\n  - Item one.\n    Item two.\n\n1. Ordered.\n";
    posdiff_sentence *s;
    size_t n;

    ck_assert_int_eq(posdiff_doc_sentences(&s, &n, md, strlen(md)), 0);
    ck_assert_uint_eq(n, 5);
    ck_assert(s[0].len == 10 && memcmp(s[0].text, "Title here", 10) == 0);
    ck_assert(s[1].len == 10 && memcmp(s[1].text, "I. Section", 10) == 0);
    ck_assert(s[2].len == 9 && memcmp(s[2].text, "Item one.", 9) == 0 && s[2].line == 5);
    ck_assert(s[3].len == 9 && memcmp(s[3].text, "Item two.", 9) == 0 && s[3].line == 6);
    ck_assert(s[4].len == 8 && memcmp(s[4].text, "Ordered.", 8) == 0 && s[4].line == 8);
    free(s);
}
END_TEST

/* Golden fixture: tests/fixtures/normalize/structure.{txt,md}. */
START_TEST(test_normalize_fixture_structure)
{
    size_t len;
    char *raw = tu_read_file(tu_src("tests/fixtures/normalize/structure.txt"), &len);
    char *want = tu_read_file(tu_src("tests/fixtures/normalize/structure.md"), NULL);
    posdiff_normalized *n = norm_buf(raw, len, "structure.txt", 0), *n2;

    ck_assert_str_eq(body_of(n), want);
    n2 = norm_buf(want, strlen(want), "structure.md", 0);
    ck_assert_str_eq(body_of(n2), want);
    posdiff_normalized_free(n2);
    posdiff_normalized_free(n);
    free(want);
    free(raw);
}
END_TEST

/* ---- errors and input forms ----------------------------------------- */

static int norm_err(const char *raw, size_t len, size_t max,
                    const char *const *strip, size_t nstrip)
{
    posdiff_normalize_options o = POSDIFF_NORMALIZE_OPTIONS_INIT;
    posdiff_normalized *n = (posdiff_normalized *)1;
    int err;

    o.path = "x.txt";
    o.max_bytes = max;
    o.strip = strip;
    o.strip_count = nstrip;
    err = posdiff_normalize(&n, raw, len, &o);
    ck_assert(n == NULL);
    return err;
}

START_TEST(test_normalize_errors)
{
    static const char *const all[] = {"*"};

    ck_assert_int_eq(norm_err("ab\ncd\nabcd\xff", 11, 0, NULL, 0), POSDIFF_EUTF8);
    ck_assert(strncmp(posdiff_error_last(), "x.txt:3:5: ", 11) == 0);
    ck_assert_int_eq(norm_err("ab\xC3\xA9\xC3(", 7, 0, NULL, 0), POSDIFF_EUTF8);
    ck_assert(strncmp(posdiff_error_last(), "x.txt:1:4: ", 11) == 0);
    ck_assert_int_eq(norm_err("a\nb\0c", 5, 0, NULL, 0), POSDIFF_EUTF8);
    ck_assert(strncmp(posdiff_error_last(), "x.txt:2:2: ", 11) == 0);
    ck_assert_int_eq(norm_err("", 0, 0, NULL, 0), POSDIFF_EEMPTY);
    ck_assert_str_eq(posdiff_error_last(), "x.txt: statement is empty or white space only; add its text or remove the entry");
    ck_assert_int_eq(norm_err(" \n\t\r\n\xC2\xA0\xE2\x80\x8B\n", 10, 0, NULL, 0), POSDIFF_EEMPTY);
    ck_assert_int_eq(norm_err("Some text.\n", 11, 0, all, 1), POSDIFF_EEMPTY);
    ck_assert_int_eq(norm_err("01234567890", 11, 10, NULL, 0), POSDIFF_ELIMIT);
    ck_assert(strncmp(posdiff_error_last(), "x.txt: file is 11 bytes, over the limit of 10 bytes; ", 53) == 0);
}
END_TEST

START_TEST(test_normalize_line_ends_and_bom)
{
    static const char *const forms[] = {
        "The Title of This Statement\n\nFirst one. Second one\n\nstarts low.\n",
        "The Title of This Statement\r\n\r\nFirst one. Second one\r\n\r\nstarts low.\r\n",
        "The Title of This Statement\r\rFirst one. Second one\r\rstarts low.",
        "\xEF\xBB\xBFThe Title of This Statement\n\nFirst one. Second one\n\nstarts low.\n",
        "\xEF\xBB\xBFThe Title of\xC2\xA0This  Statement \r\n\r\n\tFirst one.\xE2\x80\x8B Second one\n \nstarts low.",
    };
    posdiff_normalized *ref = norm_buf(forms[0], strlen(forms[0]), "a.txt", 0);
    size_t i;

    ck_assert_str_eq(body_of(ref), "# The Title of This Statement\n\nFirst one.\nSecond one starts low.\n");
    for (i = 1; i < sizeof(forms) / sizeof(forms[0]); i++) {
        posdiff_normalized *n = norm_buf(forms[i], strlen(forms[i]), "b.txt", 0);
        ck_assert_msg(strcmp(body_of(ref), body_of(n)) == 0, "form %zu: %s", i, body_of(n));
        posdiff_normalized_free(n);
    }
    posdiff_normalized_free(ref);
}
END_TEST

START_TEST(test_normalize_noise)
{
    const char *in = "\xE2\x80\x9CQuoted\xE2\x80\x9D and \xE2\x80\x98single\xE2\x80\x99 with\xE2\x80\xAFnarrow\xE2\x80\x87" "figure.";
    posdiff_normalized *n = norm_buf(in, strlen(in), "q.txt", 0);

    ck_assert_str_eq(body_of(n), "\"Quoted\" and 'single' with narrow figure.\n");
    posdiff_normalized_free(n);
}
END_TEST

/* Web and PDF defects (issue 20, item 3): raw text -> body. */
typedef struct {
    const char *raw;
    const char *body;
} pdfweb_case;

static const pdfweb_case pdfweb_cases[] = {
    {"The battle-\nfield of ideas is here\n\nWe reject the author-\nity of few.\n",
     "# The battlefield of ideas is here\n\nWe reject the authority of few.\n"},
    {"Title of the statement here\n\nThe cross-border flow and the cross-\nborder data.\n",
     "# Title of the statement here\n\nThe cross-border flow and the cross-border data.\n"},
    {"Title of the statement here\n\nWe back pre-\nand post-war aid.\n",
     "# Title of the statement here\n\nWe back pre- and post-war aid.\n"},
    {"Title of the statement here\n\nStates should\nPage 3 of 12\nrefrain from it.\n",
     "# Title of the statement here\n\nStates should refrain from it.\n"},
    {"Title of the statement here\n\nStates should protect the\n\nA/AC.301/2026/CRP.5 Page 2 of 2\n\ndata of all.\n",
     "# Title of the statement here\n\nStates should protect the data of all.\n"},
    {"Title of the statement here\n\nOur future depends on the\n7\nchoices we make.\n\nWe count.\n\n12\n\nIt is so.\n",
     "# Title of the statement here\n\nOur future depends on the choices we make.\n\nWe count.\n\n12\n\nIt is so.\n"},
    {"Title of the statement here\n\nWe act\n- 4 -\nnow.\n",
     "# Title of the statement here\n\nWe act now.\n"},
    {"Home > News > Statements\n\nStatement at the working group\n\nWe agree.\n",
     "# Statement at the working group\n\nWe agree.\n"},
    {"Skip to main content\nHome | About | Contact\n\nStatement at the working group\n\nWe agree.\n",
     "# Statement at the working group\n\nWe agree.\n"},
    {"Title of the statement here\n\nThe idea of\"finding it\" and the \"shared\"future.\nThe word\"alone stays.\n",
     "# Title of the statement here\n\nThe idea of \"finding it\" and the \"shared\" future.\nThe word\"alone stays.\n"},
    {"Title of the statement here\n\nSee Home > News > Statements for more.\n",
     "# Title of the statement here\n\nSee Home \\> News \\> Statements for more.\n"},
};

START_TEST(test_normalize_pdfweb_repairs)
{
    const pdfweb_case *c = &pdfweb_cases[_i];
    posdiff_normalized *n = norm_buf(c->raw, strlen(c->raw), "p.txt", 0);
    posdiff_normalized *again;
    size_t len;
    const char *text = posdiff_normalized_text(n, &len);

    ck_assert_str_eq(body_of(n), c->body);
    again = norm_buf(text, len, "p.md", 0); /* a fixed point */
    ck_assert_str_eq(body_of(again), c->body);
    posdiff_normalized_free(again);
    posdiff_normalized_free(n);
}
END_TEST

/* Is there a change with @p rule at raw @p line? */
static int has_change(const posdiff_normalized *n, const char *rule, size_t line)
{
    for (size_t i = 0; i < posdiff_normalized_change_count(n); i++) {
        const posdiff_change *c = posdiff_normalized_change(n, i);
        if (!strcmp(c->rule, rule) && c->line == line)
            return 1;
    }
    return 0;
}

START_TEST(test_normalize_changes)
{
    const char *in = "\xEF\xBB\xBFHome > News\r\n\r\nThe battle-\r\nfield is\xC2\xA0here\r\n\r\n"
                     "We say\xE2\x80\x8B \xE2\x80\x9Cyes\xE2\x80\x9D and of\"it\".\r\n\r\n"
                     "We act\r\n\r\nPage 2 of 3\r\n\r\nnow.The end.\r\n";
    posdiff_normalized *n = norm_buf(in, strlen(in), "c.txt", 0);
    const posdiff_removal *r;

    ck_assert(has_change(n, "bom", 1));
    ck_assert(has_change(n, "crlf", 1));
    ck_assert(has_change(n, "hyphenation", 3));
    ck_assert(has_change(n, "nbsp", 4));
    ck_assert(has_change(n, "zero-width", 6));
    ck_assert(has_change(n, "curly-quotes", 6));
    ck_assert(has_change(n, "quote-space", 6));
    ck_assert(has_change(n, "page-break", 8));
    ck_assert(has_change(n, "missing-space", 12));
    ck_assert_uint_eq(posdiff_normalized_removal_count(n), 2);
    r = posdiff_normalized_removal(n, 0);
    ck_assert_str_eq(r->rule, "navigation");
    ck_assert_uint_eq(r->line, 1);
    r = posdiff_normalized_removal(n, 1);
    ck_assert_str_eq(r->rule, "page-footer");
    ck_assert_uint_eq(r->line, 10);
    ck_assert_ptr_null(posdiff_normalized_change(n, posdiff_normalized_change_count(n)));
    posdiff_normalized_free(n);
}
END_TEST

/* ---- limits: normalized text grows at most POSDIFF_NORMALIZED_GROWTH times ---- */

/* The unit each raw text repeats: what grows most under normalization
 * (NFC expansions, escapes, restored spaces at quotes, list renumbering). */
static const char *const growth_units[] = {
    "\xF0\x9D\x85\xA0",         /* U+1D160: NFC makes 12 bytes of 4 */
    "\xE0\xA5\x98 ",            /* U+0958: a composition exclusion, 6 of 3 */
    "[<`#_*]",                  /* every byte escaped */
    "x[x<x`x_x#",               /* escapes between letters */
    "a\"b\" ",                  /* spaces restored at quotes */
    "1) a\n",                   /* an ordered list renumbered */
    "> a\n",                    /* block quotes */
    "```\n",                    /* fences */
    "- - - a\n",                /* nested lists */
};

START_TEST(test_normalize_growth_bound)
{
    const char *unit = growth_units[_i];
    size_t ulen = strlen(unit), reps = 40000 / ulen, i, len;
    char *raw = malloc(reps * ulen + 16);
    posdiff_normalized *n;

    ck_assert_ptr_nonnull(raw);
    memcpy(raw, "Title\n\n", 7);
    for (i = 0; i < reps; i++)
        memcpy(raw + 7 + i * ulen, unit, ulen);
    len = 7 + reps * ulen;
    n = norm_buf(raw, len, "growth.txt", 0);
    posdiff_normalized_text(n, &i);
    ck_assert_msg(i <= POSDIFF_NORMALIZED_GROWTH * len, "unit %d: %zu bytes of %zu", _i, i, len);
    posdiff_normalized_free(n);
    free(raw);
}
END_TEST

static Suite *normalize_suite(void)
{
    Suite *s = suite_create("normalize");
    TCase *core = tcase_create("core");
    TCase *structure = tcase_create("structure");
    TCase *errors = tcase_create("errors");
    TCase *limits = tcase_create("limits");

    tcase_add_loop_test(core, test_normalize_cmark_round_trip, 0, N_STATEMENTS);
    tcase_add_loop_test(core, test_normalize_idempotent, 0, N_STATEMENTS);
    tcase_add_loop_test(core, test_normalize_word_sequence, 0, N_STATEMENTS);
    tcase_add_loop_test(core, test_normalize_sentence_lines, 0,
                        (int)(sizeof(line_cases) / sizeof(line_cases[0])));
    tcase_add_test(core, test_normalize_doc_sentences);
    tcase_add_test(core, test_normalize_doc_sentences_markers);
    tcase_add_test(structure, test_normalize_submission_structure);
    tcase_add_test(structure, test_normalize_titles_and_salutations);
    tcase_add_test(structure, test_normalize_flattened_not_title);
    tcase_add_test(structure, test_normalize_repairs);
    tcase_add_test(structure, test_normalize_repair_spacing_cases);
    tcase_add_test(structure, test_normalize_strip_2020);
    tcase_add_test(structure, test_normalize_fixture_structure);
    tcase_add_loop_test(structure, test_normalize_pdfweb_repairs, 0,
                        (int)(sizeof(pdfweb_cases) / sizeof(pdfweb_cases[0])));
    tcase_add_test(structure, test_normalize_changes);
    tcase_add_test(errors, test_normalize_errors);
    tcase_add_test(errors, test_normalize_line_ends_and_bom);
    tcase_add_test(errors, test_normalize_noise);
    suite_add_tcase(s, core);
    suite_add_tcase(s, structure);
    tcase_add_loop_test(limits, test_normalize_growth_bound, 0,
                        (int)(sizeof(growth_units) / sizeof(growth_units[0])));
    suite_add_tcase(s, errors);
    suite_add_tcase(s, limits);
    return s;
}

TU_MAIN(normalize_suite)
