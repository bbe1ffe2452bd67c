/*
 * check_align.c - following positions across statements (align.h):
 * hand-written series covering every status, thresholds, render/load,
 * and a synthetic labelled set (gen_series.c) measuring link precision
 * and recall.
 */
#include "check_util.h"

#include <posdiff/align.h>

#include "align/align_int.h" /* align_state_encode / decode */
#include "gen_series.h"
#include "align/lineage.h" /* align_tracker_tune */

#define NPOS 2
enum { DS = 0, BD = 1 };

static posdiff_catalog *cat;
static posdiff_tracker *trk;

static void setup(void)
{
    static const char *ds[] = {"data security"};
    static const char *bd[] = {"backdoor"};
    static const posdiff_position p[NPOS] = {
        {"data-security", "Data security", ds, 1},
        {"backdoors", "Backdoors", bd, 1}};

    ck_assert_int_eq(posdiff_catalog_new(&cat, p, NPOS), 0);
    ck_assert_int_eq(posdiff_tracker_new(&trk, cat, NULL), 0);
}

static void teardown(void)
{
    posdiff_tracker_free(trk);
    posdiff_catalog_free(cat);
    trk = NULL;
    cat = NULL;
}

/* Step trk with a NULL-terminated list of sentences (lines 1, 2, ...). */
static posdiff_step *step_with(posdiff_tracker *t, const char *id,
                               const char *const *lines)
{
    posdiff_sentence s[32];
    posdiff_step *st = NULL;
    size_t n = 0;

    for (; lines[n]; n++)
        s[n] = (posdiff_sentence){lines[n], strlen(lines[n]), n + 1, 0};
    ck_assert_msg(posdiff_tracker_step(&st, t, id, s, n) == 0, "%s",
                  posdiff_error_last());
    return st;
}

static posdiff_step *step(const char *id, const char *const *lines)
{
    return step_with(trk, id, lines);
}

static const posdiff_passage *pass(const posdiff_step *s, size_t i, size_t k)
{
    const posdiff_passage *p = posdiff_step_passage(s, i, k);
    ck_assert_ptr_nonnull(p);
    return p;
}

static void assert_text(const char *p, size_t n, const char *want)
{
    ck_assert_msg(p && n == strlen(want) && memcmp(p, want, n) == 0,
                  "got \"%.*s\", want \"%s\"", (int)n, p ? p : "", want);
}

/* Ops as "=equal|-deleted|+inserted" (equal shown on the new side). */
static char *ops_string(const posdiff_passage *p)
{
    static char out[4096];
    size_t at = 0;

    for (size_t k = 0; k < p->op_count; k++) {
        const posdiff_op *o = &p->ops[k];
        const char *src = o->kind == POSDIFF_OP_DELETE ? p->prev_text : p->text;
        size_t st = o->kind == POSDIFF_OP_DELETE ? o->old_start : o->new_start;
        size_t n = o->kind == POSDIFF_OP_DELETE ? o->old_len : o->new_len;
        at += (size_t)snprintf(out + at, sizeof(out) - at, "%s%c%.*s",
                               k ? "|" : "", "=-+"[o->kind], (int)n, src + st);
    }
    out[at] = '\0';
    return out;
}

/* The ops rebuild both texts byte for byte. */
static void assert_ops_tile(const posdiff_passage *p)
{
    size_t o = 0, n = 0;

    for (size_t k = 0; k < p->op_count; k++) {
        const posdiff_op *op = &p->ops[k];
        if (op->kind != POSDIFF_OP_INSERT) {
            ck_assert_uint_eq(op->old_start, o);
            o += op->old_len;
        }
        if (op->kind != POSDIFF_OP_DELETE) {
            ck_assert_uint_eq(op->new_start, n);
            n += op->new_len;
        }
    }
    ck_assert_uint_eq(o, p->prev_len);
    ck_assert_uint_eq(n, p->len);
}

/* ---- statuses ---- */

START_TEST(test_align_added_unchanged)
{
    const char *s1[] = {"Mr. Chair,", "Data security matters to every State.",
                        "Thank you.", NULL};
    posdiff_step *a = step("s1", s1), *b;
    const posdiff_passage *p = pass(a, DS, 0);

    ck_assert_int_eq(posdiff_step_status(a, DS), POSDIFF_ENTRY_ADDED);
    ck_assert_int_eq(posdiff_step_status(a, BD), POSDIFF_ENTRY_NOT_RESTATED);
    ck_assert_uint_eq(posdiff_step_passage_count(a, DS), 1);
    ck_assert_uint_eq(posdiff_step_passage_count(a, BD), 0);
    ck_assert_int_eq(p->status, POSDIFF_PASSAGE_ADDED);
    ck_assert_int_eq(p->link, POSDIFF_LINK_NONE);
    ck_assert_ptr_null(p->prev_statement);
    ck_assert_ptr_null(p->prev_text);
    ck_assert_uint_eq(p->line, 2);
    ck_assert_str_eq(ops_string(p), "+Data security matters to every State.");
    b = step("s2", s1);
    p = pass(b, DS, 0);
    ck_assert_int_eq(posdiff_step_status(b, DS), POSDIFF_ENTRY_UNCHANGED);
    ck_assert_int_eq(p->status, POSDIFF_PASSAGE_UNCHANGED);
    ck_assert_int_eq(p->link, POSDIFF_LINK_ONE);
    ck_assert_str_eq(p->prev_statement, "s1");
    ck_assert_double_eq(p->similarity, 1.0);
    assert_text(p->prev_text, p->prev_len, "Data security matters to every State.");
    ck_assert_str_eq(ops_string(p), "=Data security matters to every State.");
    ck_assert_uint_eq(posdiff_step_dropped_count(b, DS), 0);
    posdiff_step_free(a);
    /* b's records outlive the next step */
    posdiff_step_free(step("s3", s1));
    ck_assert_str_eq(pass(b, DS, 0)->prev_statement, "s1");
    posdiff_step_free(b);
}
END_TEST

START_TEST(test_align_changed_ops)
{
    const char *s1[] = {"States should oppose threats to data security.", NULL};
    const char *s2[] = {"States should firmly oppose risks to data security.",
                        NULL};
    posdiff_step *a = step("s1", s1), *b = step("s2", s2);
    const posdiff_passage *p = pass(b, DS, 0);

    ck_assert_int_eq(posdiff_step_status(b, DS), POSDIFF_ENTRY_CHANGED);
    ck_assert_int_eq(p->status, POSDIFF_PASSAGE_CHANGED);
    ck_assert_int_eq(p->link, POSDIFF_LINK_ONE);
    ck_assert_double_eq_tol(p->similarity, 2.0 * 4 / 11, 1e-9);
    /* tokdiff's semantic cleanup folds the lone equal "oppose" */
    ck_assert_str_eq(ops_string(p), "=States should |-oppose threats |"
                                    "+firmly oppose risks |=to data security.");
    assert_ops_tile(p);
    posdiff_step_free(a);
    posdiff_step_free(b);
}
END_TEST

START_TEST(test_align_moved_dropped)
{
    const char *s1[] = {"Alpha: data security needs rules for clouds.",
                        "Beta: data security needs trust between nations.",
                        "Gamma: data security needs care for persons.",
                        "Delta: data security needs open markets.", NULL};
    const char *s2[] = {"Gamma: data security needs care for persons.",
                        "Alpha: data security needs rules for clouds.",
                        "Beta: data security needs trust between nations.",
                        NULL};
    posdiff_step *a = step("s1", s1), *b = step("s2", s2);
    const posdiff_dropped *d;
    char *md;
    size_t len;

    ck_assert_int_eq(posdiff_step_status(b, DS), POSDIFF_ENTRY_CHANGED);
    ck_assert_int_eq(pass(b, DS, 0)->status, POSDIFF_PASSAGE_MOVED);
    ck_assert_int_eq(pass(b, DS, 1)->status, POSDIFF_PASSAGE_UNCHANGED);
    ck_assert_int_eq(pass(b, DS, 2)->status, POSDIFF_PASSAGE_UNCHANGED);
    ck_assert_str_eq(ops_string(pass(b, DS, 0)),
                     "=Gamma: data security needs care for persons.");
    ck_assert_uint_eq(posdiff_step_dropped_count(b, DS), 1);
    d = posdiff_step_dropped(b, DS, 0);
    ck_assert_str_eq(d->statement, "s1");
    assert_text(d->text, d->len, "Delta: data security needs open markets.");
    ck_assert_ptr_null(posdiff_step_dropped(b, DS, 1));
    /* the file holds s2's passages in s2's order */
    ck_assert_int_eq(posdiff_tracker_render(&md, &len, trk, DS), 0);
    ck_assert_str_eq(md, "<!-- data-security: s2 -->\n"
                         "Gamma: data security needs care for persons.\n"
                         "Alpha: data security needs rules for clouds.\n"
                         "Beta: data security needs trust between nations.\n");
    free(md);
    posdiff_step_free(a);
    posdiff_step_free(b);
}
END_TEST

/* Statement 3 aligns with statement 1 when statement 2 was silent. */
START_TEST(test_align_most_recent_stating)
{
    const char *s1[] = {"China proposed the Global Initiative on Data Security.",
                        NULL};
    const char *s2[] = {"We oppose backdoors in products.", NULL};
    const char *s3[] = {"China proposed the Global Initiative on Data Security "
                        "last year.", "No backdoors, please.", NULL};
    posdiff_step *a = step("s1", s1), *b = step("s2", s2), *c = step("s3", s3);
    const posdiff_passage *p;

    ck_assert_int_eq(posdiff_step_status(b, DS), POSDIFF_ENTRY_NOT_RESTATED);
    ck_assert_uint_eq(posdiff_step_passage_count(b, DS), 0);
    ck_assert_uint_eq(posdiff_step_dropped_count(b, DS), 0);
    ck_assert_int_eq(posdiff_step_status(b, BD), POSDIFF_ENTRY_ADDED);
    p = pass(c, DS, 0);
    ck_assert_int_eq(posdiff_step_status(c, DS), POSDIFF_ENTRY_CHANGED);
    ck_assert_str_eq(p->prev_statement, "s1");
    ck_assert_int_eq(p->status, POSDIFF_PASSAGE_CHANGED);
    /* EQUAL ops are byte-identical on both sides: the space goes with
     * the insertion */
    ck_assert_str_eq(ops_string(p), "=China proposed the Global Initiative on "
                                    "Data Security|+ last year|=.");
    /* backdoors: reworded below the link bar (Dice 2/6) but above the
     * descent bar: it descends, nothing is dropped */
    ck_assert_int_eq(posdiff_step_status(c, BD), POSDIFF_ENTRY_CHANGED);
    p = pass(c, BD, 0);
    ck_assert_int_eq(p->status, POSDIFF_PASSAGE_CHANGED);
    ck_assert_int_eq(p->link, POSDIFF_LINK_ONE);
    ck_assert_str_eq(p->prev_statement, "s2");
    ck_assert_double_eq_tol(p->similarity, 2.0 / 6, 1e-9);
    ck_assert_uint_eq(posdiff_step_dropped_count(c, BD), 0);
    posdiff_step_free(a);
    posdiff_step_free(b);
    posdiff_step_free(c);
}
END_TEST

#define LONG_DS "Data security matters to all States, and no State should " \
                "store the records of other nations in its own territory " \
                "without their consent."
#define PART1 "Data security matters to all States."
#define PART2 "No State should store the records of other nations in its " \
              "own territory without their consent."

START_TEST(test_align_split)
{
    const char *s1[] = {"Intro.", LONG_DS, NULL};
    const char *s2[] = {PART1, PART2, NULL};
    posdiff_step *a = step("s1", s1), *c;

    posdiff_step_free(a);
    c = step("s2", s2);
    ck_assert_uint_eq(posdiff_step_passage_count(c, DS), 2);
    for (size_t k = 0; k < 2; k++) {
        const posdiff_passage *p = pass(c, DS, k);
        ck_assert_int_eq(p->link, POSDIFF_LINK_SPLIT);
        ck_assert_int_eq(p->status, POSDIFF_PASSAGE_CHANGED);
        assert_text(p->prev_text, p->prev_len, LONG_DS);
        assert_ops_tile(p);
    }
    ck_assert_uint_eq(posdiff_step_dropped_count(c, DS), 0);
    posdiff_step_free(c);
}
END_TEST

START_TEST(test_align_merge)
{
    const char *s1[] = {PART1, "Unrelated words here.", PART2, NULL};
    const char *s2[] = {LONG_DS, NULL};
    posdiff_step *a = step("s1", s1), *b;
    const posdiff_passage *p;

    /* PART2 has no phrase: it is not a passage of s1 yet */
    ck_assert_uint_eq(posdiff_step_passage_count(a, DS), 1);
    posdiff_step_free(a);
    a = step("s2", (const char *[]){PART1, PART2 " Data security too.", NULL});
    ck_assert_uint_eq(posdiff_step_passage_count(a, DS), 2);
    posdiff_step_free(a);
    b = step("s3", s2);
    p = pass(b, DS, 0);
    ck_assert_int_eq(p->link, POSDIFF_LINK_MERGE);
    ck_assert_int_eq(p->status, POSDIFF_PASSAGE_CHANGED);
    assert_text(p->prev_text, p->prev_len,
                PART1 " " PART2 " Data security too.");
    assert_ops_tile(p);
    ck_assert_uint_eq(posdiff_step_dropped_count(b, DS), 0);
    posdiff_step_free(b);
}
END_TEST

/* A sentence in two positions; a restated sentence without the phrase. */
START_TEST(test_align_two_positions_and_join)
{
    const char *s1[] = {"No backdoors in products, for the sake of data "
                        "security.",
                        "Data security requires that States never keep data "
                        "of other countries abroad.", NULL};
    const char *s2[] = {"No backdoors in products, for the sake of data "
                        "security.",
                        "It requires that States never keep data of other "
                        "countries abroad.",
                        "States never take a holiday abroad.", NULL};
    posdiff_step *a = step("s1", s1), *b;

    ck_assert_uint_eq(posdiff_step_passage_count(a, DS), 2);
    ck_assert_uint_eq(posdiff_step_passage_count(a, BD), 1);
    b = step("s2", s2);
    ck_assert_uint_eq(posdiff_step_passage_count(b, DS), 2);
    ck_assert_int_eq(pass(b, DS, 0)->status, POSDIFF_PASSAGE_UNCHANGED);
    ck_assert_int_eq(pass(b, DS, 1)->status, POSDIFF_PASSAGE_CHANGED);
    ck_assert_uint_eq(pass(b, DS, 1)->line, 2);
    ck_assert_int_eq(posdiff_step_status(b, BD), POSDIFF_ENTRY_UNCHANGED);
    posdiff_step_free(a);
    posdiff_step_free(b);
}
END_TEST

/* ---- render / load ---- */

static char *render(posdiff_tracker *t, size_t i)
{
    char *md = NULL;
    size_t len = 0;

    ck_assert_int_eq(posdiff_tracker_render(&md, &len, t, i), 0);
    ck_assert_uint_eq(len, strlen(md));
    return md;
}

START_TEST(test_align_render_load)
{
    const char *s1[] = {"Data security,\nwrapped.", "More data security.",
                        NULL};
    /* the second: 18 content words, 2 shared: Dice <= 4/20 < 0.22 */
    const char *s2[] = {"More data security!",
                        "Fresh new words on data security arrive today from "
                        "far distant places, carried by quick brown foxes "
                        "over lazy sleeping dogs.", NULL};
    posdiff_tracker *t2 = NULL;
    posdiff_step *a, *b, *c;
    char *md, *md2;

    md = render(trk, BD);
    ck_assert_str_eq(md, "<!-- backdoors: (none) -->\n");
    free(md);
    posdiff_step_free(step("s1", s1));
    md = render(trk, DS);
    ck_assert_str_eq(md, "<!-- data-security: s1 -->\n"
                         "Data security, wrapped.\nMore data security.\n");
    ck_assert_int_eq(posdiff_tracker_new(&t2, cat, NULL), 0);
    for (size_t i = 0; i < NPOS; i++) {
        md2 = render(trk, i);
        ck_assert_int_eq(posdiff_tracker_load(t2, i, md2, strlen(md2)), 0);
        free(md2);
        md2 = render(t2, i);
        free(md);
        md = render(trk, i);
        ck_assert_str_eq(md, md2);
        free(md2);
    }
    free(md);
    /* the loaded tracker continues exactly like the original */
    a = step_with(trk, "s2", s2);
    b = step_with(t2, "s2", s2);
    for (size_t k = 0; k < 2; k++) {
        ck_assert_int_eq(pass(a, DS, k)->status, pass(b, DS, k)->status);
        ck_assert_str_eq(pass(a, DS, k)->prev_statement ? "y" : "n",
                         pass(b, DS, k)->prev_statement ? "y" : "n");
    }
    ck_assert_int_eq(pass(a, DS, 0)->status, POSDIFF_PASSAGE_CHANGED);
    ck_assert_int_eq(pass(a, DS, 1)->status, POSDIFF_PASSAGE_ADDED);
    ck_assert_uint_eq(posdiff_step_dropped_count(b, DS), 1);
    /* loading "(none)" forgets the position */
    ck_assert_int_eq(posdiff_tracker_load(t2, DS, "<!-- data-security: (none) -->\n",
                                          31), 0);
    c = step_with(t2, "s3", s2);
    ck_assert_int_eq(posdiff_step_status(c, DS), POSDIFF_ENTRY_ADDED);
    posdiff_step_free(a);
    posdiff_step_free(b);
    posdiff_step_free(c);
    posdiff_tracker_free(t2);
}
END_TEST

static const char *const bad_md[] = {
    "",
    "no header\n",
    "<!-- backdoors: s1 -->\nx\n",          /* another position */
    "<!-- data-security: s1 -->\n",         /* stated, no passage */
    "<!-- data-security: (none) -->\nx\n",  /* passages, no statement */
    "<!-- data-security: S1 -->\nx\n",      /* invalid statement id */
    "<!-- data-security: s1 --> \nx\n",
    "<!-- data-security: \xff -->\nx\n",    /* not UTF-8 */
};

START_TEST(test_align_load_rejects)
{
    const char *md = bad_md[_i];
    char *before = render(trk, DS), *after;

    ck_assert_int_lt(posdiff_tracker_load(trk, DS, md, strlen(md)), 0);
    ck_assert_str_ne(posdiff_error_last(), "");
    after = render(trk, DS);
    ck_assert_str_eq(before, after);
    free(before);
    free(after);
}
END_TEST

START_TEST(test_align_load_lenient)
{
    const char *md = "<!-- data-security: s9 -->\r\nA data security.\r\n\nB\n";
    char *out;

    ck_assert_int_eq(posdiff_tracker_load(trk, DS, md, strlen(md)), 0);
    out = render(trk, DS);
    ck_assert_str_eq(out, "<!-- data-security: s9 -->\nA data security.\nB\n");
    free(out);
}
END_TEST

/* ---- thresholds ---- */

/* "data security" + 49 words, of which the first k are shared with the
 * old passage: Dice = 2(2+k)/102. */
static char *shared_text(int k, char tag)
{
    char *s = malloc(1024);
    size_t at = (size_t)sprintf(s, "data security");

    for (int i = 0; i < 49; i++)
        at += (size_t)sprintf(s + at, " %cq%dz", i < k ? 'x' : tag, i);
    return s;
}

static const struct {
    int shared;
    double link;      /* option; 0 = default */
    int linked;
} link_cases[] = {
    {24, 0, 1},   /* 52/102 = 0.5098 >= 0.5 */
    {23, 0, 0},   /* 50/102 = 0.4902 < 0.5 */
    {23, 0.49, 1},
    {24, 0.51, 0},
    {49, 0, 1},
};

START_TEST(test_align_link_threshold)
{
    posdiff_align_options o = POSDIFF_ALIGN_OPTIONS_INIT;
    posdiff_tracker *t = NULL;
    char *old = shared_text(0, 'x'), *nw = shared_text(link_cases[_i].shared, 'y');
    const char *s1[] = {old, NULL}, *s2[] = {nw, NULL};
    posdiff_step *a, *b;
    const posdiff_passage *p;

    o.link_threshold = link_cases[_i].link;
    ck_assert_int_eq(posdiff_tracker_new(&t, cat, &o), 0);
    /* the link bar alone: a passage below it would descend otherwise */
    ck_assert_int_eq(align_tracker_tune(t, -1, 1), 0);
    a = step_with(t, "s1", s1);
    b = step_with(t, "s2", s2);
    p = pass(b, DS, 0);
    ck_assert_int_eq(p->link != POSDIFF_LINK_NONE, link_cases[_i].linked);
    ck_assert_uint_eq(posdiff_step_dropped_count(b, DS),
                      link_cases[_i].linked ? 0 : 1);
    if (p->link)
        ck_assert_double_eq_tol(p->similarity,
                                2.0 * (2 + link_cases[_i].shared) / 102, 1e-9);
    posdiff_step_free(a);
    posdiff_step_free(b);
    posdiff_tracker_free(t);
    free(old);
    free(nw);
}
END_TEST

/* A sentence without the phrase joins at Dice >= 0.6 (default). */
START_TEST(test_align_join_threshold)
{
    char *old = shared_text(0, 'x');
    char *above = strdup(strstr(old, "xq0z")), *below;
    const char *s1[] = {old, NULL};
    posdiff_step *a = step("s1", s1), *b;

    /* above: the 49 x words alone: 98/100 */
    b = step("s2", (const char *[]){above, NULL});
    ck_assert_uint_eq(posdiff_step_passage_count(b, DS), 1);
    posdiff_step_free(b);
    posdiff_step_free(step("s3", s1));
    /* 30 shared of 49 + 19 others: 60/100 = 0.6 joins; 29: 0.58 not */
    below = shared_text(30, 'y');
    b = step("s4", (const char *[]){below + strlen("data security "), NULL});
    ck_assert_uint_eq(posdiff_step_passage_count(b, DS), 1);
    posdiff_step_free(b);
    posdiff_step_free(step("s5", s1));
    free(below);
    below = shared_text(29, 'y');
    b = step("s6", (const char *[]){below + strlen("data security "), NULL});
    ck_assert_uint_eq(posdiff_step_passage_count(b, DS), 0);
    ck_assert_int_eq(posdiff_step_status(b, DS), POSDIFF_ENTRY_NOT_RESTATED);
    posdiff_step_free(b);
    posdiff_step_free(a);
    free(below);
    free(above);
    free(old);
}
END_TEST

/* ---- descent, fan-out, dormant threads ---- */

/* "data security" + 49 words; the first k shared with shared_text(0):
 * Dice 2(2+k)/102.  k = 10: 0.2353 descends; k = 9: 0.2157 does not. */
START_TEST(test_align_descent_threshold)
{
    static const struct { int shared, linked; } c[] = {{10, 1}, {9, 0}};
    char *old = shared_text(0, 'x'), *nw = shared_text(c[_i].shared, 'y');
    posdiff_step *a = step("s1", (const char *[]){old, NULL});
    posdiff_step *b = step("s2", (const char *[]){nw, NULL});
    const posdiff_passage *p = pass(b, DS, 0);

    ck_assert_int_eq(p->link != POSDIFF_LINK_NONE, c[_i].linked);
    ck_assert_uint_eq(posdiff_step_dropped_count(b, DS), !c[_i].linked);
    if (c[_i].linked) {
        ck_assert_int_eq(p->status, POSDIFF_PASSAGE_CHANGED);
        ck_assert_str_eq(p->prev_statement, "s1");
        ck_assert_double_eq_tol(p->similarity, 2.0 * (2 + c[_i].shared) / 102,
                                1e-9);
        assert_ops_tile(p);
    } else {
        ck_assert_int_eq(p->status, POSDIFF_PASSAGE_ADDED);
    }
    posdiff_step_free(a);
    posdiff_step_free(b);
    free(old);
    free(nw);
}
END_TEST

/* One old passage, two successors: the restatement (1:1) and a weak
 * rewrite (descent); neither is moved, nothing is dropped. */
START_TEST(test_align_descent_fanout)
{
    char *old = shared_text(0, 'x'), *weak = shared_text(12, 'y');
    const char *other = "Backdoors and data security in a short line.";
    posdiff_step *a = step("s1", (const char *[]){old, other, NULL});
    posdiff_step *b = step("s2", (const char *[]){weak, old, other, NULL});
    char *md;
    size_t len;

    ck_assert_uint_eq(posdiff_step_passage_count(b, DS), 3);
    ck_assert_int_eq(pass(b, DS, 0)->status, POSDIFF_PASSAGE_CHANGED);
    assert_text(pass(b, DS, 0)->prev_text, pass(b, DS, 0)->prev_len, old);
    ck_assert_double_eq_tol(pass(b, DS, 0)->similarity, 28.0 / 102, 1e-9);
    ck_assert_int_eq(pass(b, DS, 1)->status, POSDIFF_PASSAGE_UNCHANGED);
    assert_text(pass(b, DS, 1)->prev_text, pass(b, DS, 1)->prev_len, old);
    ck_assert_int_eq(pass(b, DS, 2)->status, POSDIFF_PASSAGE_UNCHANGED);
    ck_assert_uint_eq(posdiff_step_dropped_count(b, DS), 0);
    ck_assert_int_eq(posdiff_step_status(b, DS), POSDIFF_ENTRY_CHANGED);
    /* successors of one passage keep statement order, at its line */
    ck_assert_int_eq(posdiff_tracker_render(&md, &len, trk, DS), 0);
    ck_assert_ptr_nonnull(strstr(md, weak));
    ck_assert(strstr(md, weak) < strstr(md, old));
    ck_assert(strstr(md, old) < strstr(md, other));
    free(md);
    posdiff_step_free(a);
    posdiff_step_free(b);
    free(old);
    free(weak);
}
END_TEST

#define KEEP_DS "Data security matters to every State."
#define STORE_2020 "States should not request domestic companies to store " \
                   "the data generated and obtained overseas in their own " \
                   "territory, for data security"
#define STORE_2025 "States should not request domestic companies to store " \
                   "data generated and obtained overseas in their own " \
                   "territory, for data security"

/* The case: stated, not restated, restated again (reworded). */
START_TEST(test_align_revival)
{
    posdiff_step *a = step("s1", (const char *[]){KEEP_DS, STORE_2020, NULL});
    posdiff_step *b = step("s2", (const char *[]){KEEP_DS, NULL});
    posdiff_step *c = step("s3", (const char *[]){STORE_2025, KEEP_DS, NULL});
    posdiff_step *d;
    const posdiff_passage *p = pass(c, DS, 0);

    ck_assert_uint_eq(posdiff_step_dropped_count(b, DS), 1);
    ck_assert_int_eq(p->status, POSDIFF_PASSAGE_CHANGED); /* never moved */
    ck_assert_int_eq(p->link, POSDIFF_LINK_ONE);
    ck_assert_str_eq(p->prev_statement, "s1");
    assert_text(p->prev_text, p->prev_len, STORE_2020);
    ck_assert_str_eq(ops_string(p), "=States should not request domestic "
                     "companies to store |-the |=data generated and obtained "
                     "overseas in their own territory, for data security");
    ck_assert_int_eq(pass(c, DS, 1)->status, POSDIFF_PASSAGE_UNCHANGED);
    ck_assert_uint_eq(posdiff_step_dropped_count(c, DS), 0);
    ck_assert_int_eq(posdiff_step_status(c, DS), POSDIFF_ENTRY_CHANGED);
    /* it left the dormant set and is active again: s4 restating s3 in
     * s3's order is unchanged */
    d = step("s4", (const char *[]){STORE_2025, KEEP_DS, NULL});
    ck_assert_str_eq(pass(d, DS, 0)->prev_statement, "s3");
    ck_assert_int_eq(posdiff_step_status(d, DS), POSDIFF_ENTRY_UNCHANGED);
    /* c's records outlive the threads they were copied from */
    posdiff_step_free(a);
    posdiff_step_free(b);
    posdiff_step_free(d);
    assert_text(p->prev_text, p->prev_len, STORE_2020);
    posdiff_step_free(c);
}
END_TEST

/* Restated word for word after a silence: UNCHANGED passage, CHANGED
 * entry (something came back). */
START_TEST(test_align_revival_unchanged)
{
    posdiff_step *a = step("s1", (const char *[]){KEEP_DS, STORE_2020, NULL});
    posdiff_step *b = step("s2", (const char *[]){KEEP_DS, NULL});
    posdiff_step *c = step("s3", (const char *[]){KEEP_DS, STORE_2020, NULL});

    ck_assert_int_eq(pass(c, DS, 1)->status, POSDIFF_PASSAGE_UNCHANGED);
    ck_assert_str_eq(pass(c, DS, 1)->prev_statement, "s1");
    ck_assert_double_eq(pass(c, DS, 1)->similarity, 1.0);
    ck_assert_int_eq(posdiff_step_status(c, DS), POSDIFF_ENTRY_CHANGED);
    posdiff_step_free(a);
    posdiff_step_free(b);
    posdiff_step_free(c);
}
END_TEST

/* Revival bar = link bar: Dice 0.5098 revives, 0.4902 does not (and,
 * KEEP_DS being far, the passage is added). */
START_TEST(test_align_revival_threshold)
{
    static const struct { int shared, revived; } c[] = {{24, 1}, {23, 0}};
    char *old = shared_text(0, 'x'), *nw = shared_text(c[_i].shared, 'y');
    posdiff_step *a = step("s1", (const char *[]){KEEP_DS, old, NULL});
    posdiff_step *b = step("s2", (const char *[]){KEEP_DS, NULL});
    posdiff_step *d = step("s3", (const char *[]){KEEP_DS, nw, NULL});
    const posdiff_passage *p = pass(d, DS, 1);

    if (c[_i].revived) {
        ck_assert_str_eq(p->prev_statement, "s1");
        ck_assert_int_eq(p->status, POSDIFF_PASSAGE_CHANGED);
    } else {
        ck_assert_int_eq(p->status, POSDIFF_PASSAGE_ADDED);
    }
    posdiff_step_free(a);
    posdiff_step_free(b);
    posdiff_step_free(d);
    free(old);
    free(nw);
}
END_TEST

/* "data security" + n words "<tag>q<i>z" for i in [from, from + n). */
static char *words_text(char tag, int from, int n)
{
    char *s = malloc(1024);
    size_t at = (size_t)sprintf(s, "data security");

    for (int i = from; i < from + n; i++)
        at += (size_t)sprintf(s + at, " %cq%dz", tag, i);
    return s;
}

/* Two dormant threads can take the passage: the one of the most recent
 * statement wins, even when the older one is more similar. */
START_TEST(test_align_revival_most_recent)
{
    char *A = words_text('a', 0, 20), *B = words_text('b', 0, 20);
    char *N = words_text('a', 0, 16), *n2 = words_text('b', 0, 12);
    posdiff_step *s[4];
    const posdiff_passage *p;

    N = realloc(N, strlen(N) + strlen(n2) + 2);
    strcat(strcat(N, " "), n2 + strlen("data security "));
    s[0] = step("s1", (const char *[]){A, KEEP_DS, NULL});
    s[1] = step("s2", (const char *[]){B, KEEP_DS, NULL});   /* A dropped */
    s[2] = step("s3", (const char *[]){KEEP_DS, NULL});      /* B dropped */
    ck_assert_int_eq(pass(s[1], DS, 0)->status, POSDIFF_PASSAGE_ADDED);
    s[3] = step("s4", (const char *[]){KEEP_DS, N, NULL});
    p = pass(s[3], DS, 1);
    ck_assert_str_eq(p->prev_statement, "s2");             /* 28/52 to B */
    assert_text(p->prev_text, p->prev_len, B);              /* not 36/52 to A */
    ck_assert_double_eq_tol(p->similarity, 28.0 / 52, 1e-9);
    for (int k = 0; k < 4; k++)
        posdiff_step_free(s[k]);
    free(A), free(B), free(N), free(n2);
}
END_TEST

static void step_free_n(posdiff_tracker *t, const char *id, char **lines,
                        size_t n)
{
    posdiff_sentence *v = calloc(n, sizeof(*v));
    posdiff_step *st = NULL;

    for (size_t k = 0; k < n; k++)
        v[k] = (posdiff_sentence){lines[k], strlen(lines[k]), k + 1, 0};
    ck_assert_int_eq(posdiff_tracker_step(&st, t, id, v, n), 0);
    posdiff_step_free(st);
    free(v);
}

/* At most 256 dormant threads per position: the most recently stated
 * (here: the first 256 lines of the one statement that dropped 300). */
START_TEST(test_align_dormant_bound)
{
    char *lines[300], *md;
    size_t len;
    posdiff_step *c;

    for (int k = 0; k < 300; k++)
        lines[k] = words_text((char)('a' + k % 26), k * 20, 20);
    step_free_n(trk, "s1", lines, 300);
    posdiff_step_free(step("s2", (const char *[]){KEEP_DS, NULL}));
    ck_assert_int_eq(posdiff_tracker_save(&md, &len, trk), 0);
    ck_assert_ptr_nonnull(strstr(md, "\ndormant 256\n"));
    free(md);
    c = step("s3", (const char *[]){KEEP_DS, lines[0], lines[299], NULL});
    ck_assert_str_eq(pass(c, DS, 1)->prev_statement, "s1");
    ck_assert_int_eq(pass(c, DS, 2)->status, POSDIFF_PASSAGE_ADDED);
    posdiff_step_free(c);
    for (int k = 0; k < 300; k++)
        free(lines[k]);
}
END_TEST

/* positions/<id>.md holds the active passages only: loading it forgets
 * the dormant threads (save/restore keeps them). */
START_TEST(test_align_load_forgets_dormant)
{
    posdiff_tracker *t2 = NULL;
    posdiff_step *c;
    char *md = NULL;

    posdiff_step_free(step("s1", (const char *[]){KEEP_DS, STORE_2020, NULL}));
    posdiff_step_free(step("s2", (const char *[]){KEEP_DS, NULL}));
    ck_assert_int_eq(posdiff_tracker_new(&t2, cat, NULL), 0);
    for (size_t i = 0; i < NPOS; i++) {
        md = render(trk, i);
        ck_assert_int_eq(posdiff_tracker_load(t2, i, md, strlen(md)), 0);
        free(md);
    }
    /* not revived: it descends from KEEP_DS (Dice 6/19) */
    c = step_with(t2, "s3", (const char *[]){KEEP_DS, STORE_2025, NULL});
    ck_assert_str_eq(pass(c, DS, 1)->prev_statement, "s2");
    assert_text(pass(c, DS, 1)->prev_text, pass(c, DS, 1)->prev_len, KEEP_DS);
    posdiff_step_free(c);
    /* the same through the original tracker's dormant set */
    ck_assert_int_eq(posdiff_tracker_load(trk, DS, "<!-- data-security: s2 -->\n"
                                          KEEP_DS "\n", 28 + strlen(KEEP_DS)), 0);
    c = step("s3", (const char *[]){KEEP_DS, STORE_2025, NULL});
    ck_assert_str_eq(pass(c, DS, 1)->prev_statement, "s2");
    posdiff_step_free(c);
    posdiff_tracker_free(t2);
}
END_TEST

/* ---- save / restore ---- */

static char *save(const posdiff_tracker *t, size_t *len)
{
    char *out = NULL;
    size_t n = 0;

    ck_assert_msg(posdiff_tracker_save(&out, &n, t) == 0, "%s",
                  posdiff_error_last());
    ck_assert_uint_eq(n, strlen(out));
    if (len)
        *len = n;
    return out;
}

static void assert_same_passage(const posdiff_passage *x,
                                const posdiff_passage *y)
{
    ck_assert_int_eq(x->status, y->status);
    ck_assert_int_eq(x->link, y->link);
    ck_assert_uint_eq(x->line, y->line);
    ck_assert_double_eq(x->similarity, y->similarity);
    ck_assert_str_eq(x->prev_statement ? x->prev_statement : "-",
                     y->prev_statement ? y->prev_statement : "-");
    ck_assert_uint_eq(x->prev_len, y->prev_len);
    if (x->prev_len)
        ck_assert_int_eq(memcmp(x->prev_text, y->prev_text, x->prev_len), 0);
    ck_assert_str_eq(ops_string(x), ops_string(y));
}

static void assert_same_step(const posdiff_step *x, const posdiff_step *y,
                             size_t npos)
{
    for (size_t i = 0; i < npos; i++) {
        ck_assert_int_eq(posdiff_step_status(x, i), posdiff_step_status(y, i));
        ck_assert_uint_eq(posdiff_step_passage_count(x, i),
                          posdiff_step_passage_count(y, i));
        for (size_t k = 0; k < posdiff_step_passage_count(x, i); k++)
            assert_same_passage(posdiff_step_passage(x, i, k),
                                posdiff_step_passage(y, i, k));
        ck_assert_uint_eq(posdiff_step_dropped_count(x, i),
                          posdiff_step_dropped_count(y, i));
        for (size_t k = 0; k < posdiff_step_dropped_count(x, i); k++) {
            const posdiff_dropped *dx = posdiff_step_dropped(x, i, k);
            const posdiff_dropped *dy = posdiff_step_dropped(y, i, k);
            ck_assert_str_eq(dx->statement, dy->statement);
            ck_assert_uint_eq(dx->len, dy->len);
            ck_assert_int_eq(memcmp(dx->text, dy->text, dx->len), 0);
        }
    }
}

static posdiff_step *step_gen(posdiff_tracker *t, const gen_stmt *st, size_t k)
{
    posdiff_sentence *sv = calloc(st->n + 1, sizeof(*sv));
    posdiff_step *r = NULL;
    char sid[32];

    for (size_t i = 0; i < st->n; i++)
        sv[i] = (posdiff_sentence){st->s[i].text, strlen(st->s[i].text), i + 1, 0};
    snprintf(sid, sizeof(sid), "s%zu", k);
    ck_assert_int_eq(posdiff_tracker_step(&r, t, sid, sv, st->n), 0);
    free(sv);
    return r;
}

/* The binary state of @p t (align_state_bin.c). */
static buf encode(const posdiff_tracker *t)
{
    buf b = BUF_INIT;

    ck_assert_msg(align_state_encode(&b, t) == 0, "%s", posdiff_error_last());
    return b;
}

/* Step part of a generated series, save, restore into a new tracker
 * (from the text and from the binary state), step the rest in all:
 * identical results and identical saves; the binary restore is the
 * very tracker, so even its binary state (features included) is. */
static void save_restore_series(const gen_pool *pool, unsigned seed)
{
    const char *m[GEN_MAX_POS][1];
    posdiff_position pos[GEN_MAX_POS];
    char ids[GEN_MAX_POS][16], *x, *y;
    posdiff_catalog *c = NULL;
    posdiff_tracker *t1 = NULL, *t2 = NULL, *t3 = NULL;
    gen_series gs;
    size_t half, n;
    buf b1, b3;

    ck_assert_int_eq(gen_series_make(&gs, pool, seed), 0);
    for (int p = 0; p < gs.npos; p++) {
        snprintf(ids[p], sizeof(ids[p]), "p%d", p);
        m[p][0] = gs.anchor[p];
        pos[p] = (posdiff_position){ids[p], ids[p], m[p], 1};
    }
    ck_assert_int_eq(posdiff_catalog_new(&c, pos, (size_t)gs.npos), 0);
    ck_assert_int_eq(posdiff_tracker_new(&t1, c, NULL), 0);
    ck_assert_int_eq(posdiff_tracker_new(&t2, c, NULL), 0);
    half = seed % gs.nstmt;
    for (size_t k = 0; k < half; k++)
        posdiff_step_free(step_gen(t1, &gs.stmt[k], k));
    x = save(t1, &n);
    ck_assert_int_eq(posdiff_tracker_restore(t2, x, n), 0);
    ck_assert_int_eq(posdiff_tracker_new(&t3, c, NULL), 0);
    b1 = encode(t1);
    ck_assert_int_eq(align_state_decode(t3, b1.ptr, b1.len), 0);
    buf_free(&b1);
    for (size_t k = half; k < gs.nstmt; k++) {
        posdiff_step *r1 = step_gen(t1, &gs.stmt[k], k);
        posdiff_step *r2 = step_gen(t2, &gs.stmt[k], k);
        posdiff_step *r3 = step_gen(t3, &gs.stmt[k], k);
        assert_same_step(r1, r2, (size_t)gs.npos);
        assert_same_step(r1, r3, (size_t)gs.npos);
        posdiff_step_free(r1);
        posdiff_step_free(r2);
        posdiff_step_free(r3);
    }
    free(x);
    x = save(t1, NULL);
    y = save(t2, NULL);
    ck_assert_str_eq(x, y);
    free(y);
    y = save(t3, NULL);
    ck_assert_str_eq(x, y);
    free(x);
    free(y);
    b1 = encode(t1);
    b3 = encode(t3);
    ck_assert_msg(b1.len == b3.len && !memcmp(b1.ptr, b3.ptr, b1.len),
                  "seed %u: the binary states differ", seed);
    buf_free(&b1);
    buf_free(&b3);
    posdiff_tracker_free(t1);
    posdiff_tracker_free(t2);
    posdiff_tracker_free(t3);
    posdiff_catalog_free(c);
    gen_series_free(&gs);
}

START_TEST(test_align_save_restore)
{
    gen_pool pool;

    ck_assert_int_eq(gen_pool_load(&pool, tu_src("corpus/statements")), 0);
    for (unsigned seed = 1; seed <= 40; seed++)
        save_restore_series(&pool, seed);
    gen_pool_free(&pool);
}
END_TEST

/* The documented format, on a small state. */
START_TEST(test_align_save_format)
{
    char *x;

    posdiff_step_free(step("s1", (const char *[]){KEEP_DS, "No backdoor.", NULL}));
    posdiff_step_free(step("s2", (const char *[]){"Data security.",
        "Backdoors: never, none, nowhere, nobody, nothing, neither, nor.",
        NULL}));
    x = save(trk, NULL);
    ck_assert_str_eq(x, "posdiff-tracker 1\n"
                        "vocabulary 14\n4 data\n5 secur\n6 matter\n5 everi\n"
                        "5 state\n2 no\n8 backdoor\n5 never\n4 none\n"
                        "6 nowher\n6 nobodi\n4 noth\n7 neither\n3 nor\n"
                        "positions 2\n"
                        "position 13 data-security\nstated 2 s2\n"
                        "active 1\n14 Data security.\n"
                        "dormant 0\n"
                        "position 9 backdoors\nstated 2 s2\n"
                        "active 1\n63 Backdoors: never, none, nowhere, nobody, "
                        "nothing, neither, nor.\n"
                        "dormant 1\n2 s1 12 No backdoor.\n"
                        "end\n");
    free(x);
}
END_TEST

/* Every damaged state is refused and leaves the tracker as it was. */
START_TEST(test_align_restore_rejects)
{
    static const char *const bad[] = {
        "", "posdiff-tracker 2\n", "posdiff-tracker 1\nvocabulary 1\n4 data\n",
        "posdiff-tracker 1\nvocabulary 2\n4 data\n4 data\npositions 0\nend\n",
        "posdiff-tracker 1\nvocabulary 0\npositions 1\nend\n",
        "posdiff-tracker 1\nvocabulary 0\npositions 2\n"
        "position 9 backdoors\n",
    };
    posdiff_tracker *t2 = NULL;
    char *good, *before, *after;
    size_t len;

    posdiff_step_free(step("s1", (const char *[]){KEEP_DS, STORE_2020, NULL}));
    posdiff_step_free(step("s2", (const char *[]){KEEP_DS, "No backdoor.", NULL}));
    good = save(trk, &len);
    ck_assert_int_eq(posdiff_tracker_new(&t2, cat, NULL), 0);
    posdiff_step_free(step_with(t2, "z9", (const char *[]){"Data security.", NULL}));
    before = save(t2, NULL);
    for (size_t n = 0; n < len; n++) /* every truncation */
        ck_assert_int_lt(posdiff_tracker_restore(t2, good, n), 0);
    for (size_t k = 0; k < sizeof(bad) / sizeof(*bad); k++)
        ck_assert_int_lt(posdiff_tracker_restore(t2, bad[k], strlen(bad[k])), 0);
    good[len - 1] = 'x';
    ck_assert_int_lt(posdiff_tracker_restore(t2, good, len), 0);
    good[len - 1] = '\n';
    ck_assert_str_ne(posdiff_error_last(), "");
    after = save(t2, NULL);
    ck_assert_str_eq(before, after);
    free(after);
    /* and the undamaged one is taken */
    ck_assert_int_eq(posdiff_tracker_restore(t2, good, len), 0);
    after = save(t2, NULL);
    ck_assert_str_eq(good, after);
    free(after);
    free(before);
    free(good);
    posdiff_tracker_free(t2);
}
END_TEST

static uint32_t trk_words(const posdiff_tracker *t)
{
    return (uint32_t)t->dict.n;
}

/* The binary state: every truncation, a byte past the end, another
 * byte order or version, a word id out of range, a repeated word are
 * refused and leave the tracker as it was; the good one is taken. */
START_TEST(test_align_bin_rejects)
{
    posdiff_tracker *t2 = NULL;
    char *before, *after;
    buf good, bad = BUF_INIT;
    uint32_t nw;

    posdiff_step_free(step("s1", (const char *[]){KEEP_DS, STORE_2020, NULL}));
    posdiff_step_free(step("s2", (const char *[]){KEEP_DS, "No backdoor.", NULL}));
    good = encode(trk);
    ck_assert_int_eq(posdiff_tracker_new(&t2, cat, NULL), 0);
    posdiff_step_free(step_with(t2, "z9", (const char *[]){"Data security.", NULL}));
    before = save(t2, NULL);
    for (size_t n = 0; n < good.len; n++) /* every truncation */
        ck_assert_int_lt(align_state_decode(t2, good.ptr, n), 0);
    buf_put(&bad, good.ptr, good.len);
    buf_putc(&bad, '\0');
    ck_assert_int_lt(align_state_decode(t2, bad.ptr, bad.len), 0);
    for (size_t at = 0; at < 8; at++) { /* byte order mark, version */
        bad.ptr[at] ^= 0x40;
        ck_assert_int_lt(align_state_decode(t2, bad.ptr, good.len), 0);
        bad.ptr[at] ^= 0x40;
    }
    /* the words (after BOM, version, positions, count, bytes): "data"
     * twice; then a feature naming a word past the last (the last id of
     * the last passage, "No backdoor.", before "dormant 0" and the end) */
    ck_assert_int_eq(memcmp(bad.ptr + 20, "data\0secur\0", 11), 0);
    memcpy(bad.ptr + 25, "data\0", 5);
    ck_assert_int_lt(align_state_decode(t2, bad.ptr, good.len), 0);
    memcpy(bad.ptr + 25, "secur", 5);
    ck_assert_int_eq(align_state_decode(t2, bad.ptr, good.len), 0); /* as it was */
    ck_assert_int_eq(posdiff_tracker_restore(t2, before, strlen(before)), 0);
    memcpy(&nw, bad.ptr + 12, 4);
    ck_assert_uint_eq(nw, trk_words(trk));
    memcpy(bad.ptr + good.len - 12, &nw, 4);
    ck_assert_int_eq(align_state_decode(t2, bad.ptr, good.len), 0); /* the last word: fine */
    ck_assert_int_eq(posdiff_tracker_restore(t2, before, strlen(before)), 0);
    nw++;
    memcpy(bad.ptr + good.len - 12, &nw, 4);
    ck_assert_int_lt(align_state_decode(t2, bad.ptr, good.len), 0);
    ck_assert_str_ne(posdiff_error_last(), "");
    after = save(t2, NULL);
    ck_assert_str_eq(before, after);
    free(after);
    /* and the undamaged one is taken */
    ck_assert_int_eq(align_state_decode(t2, good.ptr, good.len), 0);
    after = save(t2, NULL);
    free(before);
    before = save(trk, NULL);
    ck_assert_str_eq(before, after);
    free(after);
    free(before);
    buf_free(&good);
    buf_free(&bad);
    posdiff_tracker_free(t2);
}
END_TEST

/* ---- errors ---- */

START_TEST(test_align_errors)
{
    posdiff_align_options o = POSDIFF_ALIGN_OPTIONS_INIT;
    posdiff_tracker *t = NULL;
    posdiff_step *s = (posdiff_step *)&o;
    posdiff_sentence bad = {NULL, 3, 1, 0};
    char *md;
    size_t len;

    o.version = 99;
    ck_assert_int_eq(posdiff_tracker_new(&t, cat, &o), POSDIFF_EINVALID);
    o = (posdiff_align_options)POSDIFF_ALIGN_OPTIONS_INIT;
    o.link_threshold = 1.5;
    ck_assert_int_eq(posdiff_tracker_new(&t, cat, &o), POSDIFF_EINVALID);
    ck_assert_ptr_null(t);
    ck_assert_int_eq(posdiff_tracker_step(&s, trk, "Bad Id", NULL, 0),
                     POSDIFF_EINVALID);
    ck_assert_ptr_null(s);
    ck_assert_int_eq(posdiff_tracker_step(&s, trk, "s1", &bad, 1),
                     POSDIFF_EINVALID);
    ck_assert_int_eq(posdiff_tracker_render(&md, &len, trk, NPOS),
                     POSDIFF_EINVALID);
    ck_assert_int_eq(posdiff_step_status(NULL, 0), POSDIFF_ENTRY_NOT_RESTATED);
    ck_assert_ptr_null(posdiff_step_passage(NULL, 0, 0));
    ck_assert_str_eq(posdiff_entry_status_name(POSDIFF_ENTRY_NOT_RESTATED),
                     "not-restated");
    ck_assert_str_eq(posdiff_passage_status_name(POSDIFF_PASSAGE_MOVED), "moved");
    posdiff_tracker_free(NULL);
    posdiff_step_free(NULL);
    /* an empty statement restates nothing */
    s = NULL;
    ck_assert_int_eq(posdiff_tracker_step(&s, trk, "s1", NULL, 0), 0);
    ck_assert_int_eq(posdiff_step_status(s, DS), POSDIFF_ENTRY_NOT_RESTATED);
    posdiff_step_free(s);
}
END_TEST

/* ---- synthetic labelled series ---- */

typedef struct {
    size_t pred, truth, correct; /* predicted passages, true ones, right */
} score;

/* Overall and per phenomenon (the kind of the sentence a predicted
 * passage stands on; noise sentences count against precision only). */
typedef struct {
    score all, kind[GEN_KINDS];
} scores;

/* Is predicted passage q (of position p) the true one, with the true
 * predecessor and its statement?  Sentences are identified by line. */
static int right_link(const gen_stmt *st, int p, const posdiff_passage *q)
{
    const gen_sent *g = &st->s[q->line - 1];
    char sid[32];

    if (g->pos != p)
        return 0;
    if (!g->prev || !q->prev_text)
        return !g->prev && !q->prev_text;
    snprintf(sid, sizeof(sid), "s%d", g->prev_stmt);
    return q->prev_len == strlen(g->prev) &&
           memcmp(q->prev_text, g->prev, q->prev_len) == 0 &&
           strcmp(q->prev_statement, sid) == 0;
}

static void score_add(scores *sc, gen_kind k, size_t pred, size_t truth,
                      size_t correct)
{
    score *v[2] = {&sc->all, &sc->kind[k]};

    for (int i = 0; i < 2; i++) {
        v[i]->pred += pred;
        v[i]->truth += truth;
        v[i]->correct += correct;
    }
}

static void score_step(scores *sc, const gen_stmt *st, const posdiff_step *r,
                       int npos)
{
    for (int p = 0; p < npos; p++) {
        for (size_t k = 0; k < posdiff_step_passage_count(r, (size_t)p); k++) {
            const posdiff_passage *q = posdiff_step_passage(r, (size_t)p, k);
            int ok = right_link(st, p, q);
            if (!ok && getenv("POSDIFF_ALIGN_DEBUG")) {
                const gen_sent *g = &st->s[q->line - 1];
                printf("MISS %s pos %d/%d: \"%.60s\"\n  got  %s \"%.60s\" %.2f\n  want s%d \"%.60s\"\n",
                       gen_kind_name(g->kind), p, g->pos, g->text,
                       q->prev_statement ? q->prev_statement : "-",
                       q->prev_text ? q->prev_text : "", q->similarity,
                       g->prev_stmt, g->prev ? g->prev : "");
            }
            score_add(sc, st->s[q->line - 1].kind, 1, 0, (size_t)ok);
        }
    }
    for (size_t k = 0; k < st->n; k++)
        if (st->s[k].pos >= 0)
            score_add(sc, st->s[k].kind, 0, 1, 0);
}

static posdiff_tracker *new_tracker(const posdiff_catalog *c,
                                    const posdiff_align_options *o,
                                    const double *tune)
{
    posdiff_tracker *t = NULL;

    ck_assert_int_eq(posdiff_tracker_new(&t, c, o), 0);
    if (tune)
        ck_assert_int_eq(align_tracker_tune(t, tune[0], tune[1] != 0), 0);
    return t;
}

static void run_series(scores *sc, const gen_series *gs,
                       const posdiff_align_options *o, const double *tune)
{
    const char *m[GEN_MAX_POS][1];
    posdiff_position pos[GEN_MAX_POS];
    char ids[GEN_MAX_POS][16], sid[32];
    posdiff_catalog *c = NULL;
    posdiff_tracker *t;

    for (int p = 0; p < gs->npos; p++) {
        snprintf(ids[p], sizeof(ids[p]), "p%d", p);
        m[p][0] = gs->anchor[p];
        pos[p] = (posdiff_position){ids[p], ids[p], m[p], 1};
    }
    ck_assert_int_eq(posdiff_catalog_new(&c, pos, (size_t)gs->npos), 0);
    t = new_tracker(c, o, tune);
    for (size_t k = 0; k < gs->nstmt; k++) {
        const gen_stmt *st = &gs->stmt[k];
        posdiff_sentence *sv = calloc(st->n + 1, sizeof(*sv));
        posdiff_step *r = NULL;
        for (size_t i = 0; i < st->n; i++)
            sv[i] = (posdiff_sentence){st->s[i].text, strlen(st->s[i].text), i + 1, 0};
        snprintf(sid, sizeof(sid), "s%zu", k);
        ck_assert_int_eq(posdiff_tracker_step(&r, t, sid, sv, st->n), 0);
        score_step(sc, st, r, gs->npos);
        posdiff_step_free(r);
        free(sv);
    }
    posdiff_tracker_free(t);
    posdiff_catalog_free(c);
}

#define NSERIES 400

/* @p tune: NULL, or {descent bar (0 = default, -1 = none), revive}. */
static void evaluate(const gen_pool *pool, const posdiff_align_options *o,
                     const double *tune, scores *sc)
{
    memset(sc, 0, sizeof(*sc));
    for (unsigned seed = 1; seed <= NSERIES; seed++) {
        gen_series gs;
        ck_assert_int_eq(gen_series_make(&gs, pool, seed), 0);
        run_series(sc, &gs, o, tune);
        gen_series_free(&gs);
    }
}

static double precision(const score *s)
{
    return s->pred ? (double)s->correct / (double)s->pred : 1;
}

static double recall(const score *s)
{
    return s->truth ? (double)s->correct / (double)s->truth : 1;
}

static void print_kinds(const scores *sc)
{
    for (int k = 0; k < GEN_KINDS; k++)
        printf("  %-8s true %5zu predicted %5zu  precision %.4f  "
               "recall %.4f\n", gen_kind_name((gen_kind)k), sc->kind[k].truth,
               sc->kind[k].pred,
               precision(&sc->kind[k]), recall(&sc->kind[k]));
}

/* With POSDIFF_ALIGN_TUNE set: how the defaults in align.c were chosen. */
static void sweep(const gen_pool *pool)
{
    posdiff_align_options o = POSDIFF_ALIGN_OPTIONS_INIT;
    scores sc;

    for (int l = 3; l <= 7; l++)
        for (int j = 4; j <= 8; j += 2) {
            o.link_threshold = l / 10.0;
            o.unmatched_threshold = j / 10.0;
            evaluate(pool, &o, NULL, &sc);
            printf("link %.1f join %.1f: precision %.4f recall %.4f\n",
                   o.link_threshold, o.unmatched_threshold,
                   precision(&sc.all), recall(&sc.all));
        }
    static const double bars[] = {-1, 0.15, 0.2, 0.22, 0.24, 0.26, 0.28,
                                  0.3, 0.35, 0.4, 0.5};
    for (size_t d = 0; d < sizeof(bars) / sizeof(*bars); d++) {
        double tune[2] = {bars[d], 1};
        evaluate(pool, NULL, tune, &sc);
        printf("descent %.2f: precision %.4f recall %.4f (rewrite %.4f/%.4f, "
               "added %.4f/%.4f)\n", tune[0], precision(&sc.all),
               recall(&sc.all), precision(&sc.kind[GEN_REWRITE]),
               recall(&sc.kind[GEN_REWRITE]), precision(&sc.kind[GEN_ADDED]),
               recall(&sc.kind[GEN_ADDED]));
        if (getenv("POSDIFF_ALIGN_TUNE")[0] == '2')
            print_kinds(&sc);
    }
    evaluate(pool, NULL, (const double[]){0, 0}, &sc);
    printf("no revival: precision %.4f recall %.4f (revived %.4f/%.4f)\n",
           precision(&sc.all), recall(&sc.all),
           precision(&sc.kind[GEN_REVIVED]), recall(&sc.kind[GEN_REVIVED]));
}

/* NSERIES generated series: link precision and recall >= 0.95 overall
 * and for the phenomena the tracker is built to find. */
START_TEST(test_align_synthetic)
{
    /* per-kind floors (regression guards; align.c explains the values
     * below 0.95: split parts that no phrase anchors, merges of
     * passages that earlier errors put apart, added passages that
     * descend from an unrelated passage sharing ~a fifth of the words) */
    static const struct { gen_kind k; double min; } must[] = {
        {GEN_SAME, 0.95}, {GEN_REWORD, 0.95}, {GEN_HEAVY, 0.95},
        {GEN_REWRITE, 0.95}, {GEN_FANOUT, 0.95}, {GEN_REVIVED, 0.95},
        {GEN_SPLIT, 0.93}, {GEN_MERGE, 0.85}, {GEN_ADDED, 0.90}};
    gen_pool pool;
    scores sc;

    ck_assert_int_eq(gen_pool_load(&pool, tu_src("corpus/statements")), 0);
    evaluate(&pool, NULL, NULL, &sc);
    printf("align synthetic: %zu pool sentences, %d series: "
           "precision %.4f recall %.4f\n", pool.n, NSERIES,
           precision(&sc.all), recall(&sc.all));
    print_kinds(&sc);
    if (getenv("POSDIFF_ALIGN_TUNE"))
        sweep(&pool);
    ck_assert_msg(precision(&sc.all) >= 0.95 && recall(&sc.all) >= 0.95,
                  "precision %.4f recall %.4f", precision(&sc.all),
                  recall(&sc.all));
    for (size_t i = 0; i < sizeof(must) / sizeof(*must); i++) {
        const score *k = &sc.kind[must[i].k];
        ck_assert_msg(precision(k) >= must[i].min && recall(k) >= must[i].min,
                      "%s: %.4f / %.4f", gen_kind_name(must[i].k),
                      precision(k), recall(k));
    }
    gen_pool_free(&pool);
}
END_TEST

static Suite *align_suite(void)
{
    Suite *s = suite_create("align");
    TCase *core = tcase_create("core");
    TCase *errors = tcase_create("errors");
    TCase *thresholds = tcase_create("thresholds");
    TCase *synthetic = tcase_create("synthetic");
    int nbad = (int)(sizeof(bad_md) / sizeof(*bad_md));
    int nlink = (int)(sizeof(link_cases) / sizeof(*link_cases));

    tcase_add_checked_fixture(core, setup, teardown);
    tcase_add_test(core, test_align_added_unchanged);
    tcase_add_test(core, test_align_changed_ops);
    tcase_add_test(core, test_align_moved_dropped);
    tcase_add_test(core, test_align_most_recent_stating);
    tcase_add_test(core, test_align_split);
    tcase_add_test(core, test_align_merge);
    tcase_add_test(core, test_align_two_positions_and_join);
    tcase_add_test(core, test_align_render_load);
    tcase_add_test(core, test_align_descent_fanout);
    tcase_add_test(core, test_align_revival);
    tcase_add_test(core, test_align_revival_unchanged);
    tcase_add_test(core, test_align_revival_most_recent);
    tcase_add_test(core, test_align_dormant_bound);
    tcase_add_test(core, test_align_load_forgets_dormant);
    tcase_add_test(core, test_align_save_format);
    tcase_add_test(core, test_align_restore_rejects);
    tcase_add_test(core, test_align_bin_rejects);
    tcase_add_test(synthetic, test_align_save_restore);
    tcase_add_checked_fixture(errors, setup, teardown);
    tcase_add_loop_test(errors, test_align_load_rejects, 0, nbad);
    tcase_add_test(errors, test_align_load_lenient);
    tcase_add_test(errors, test_align_errors);
    tcase_add_checked_fixture(thresholds, setup, teardown);
    tcase_add_loop_test(thresholds, test_align_link_threshold, 0, nlink);
    tcase_add_test(thresholds, test_align_join_threshold);
    tcase_add_loop_test(thresholds, test_align_descent_threshold, 0, 2);
    tcase_add_loop_test(thresholds, test_align_revival_threshold, 0, 2);
    tcase_add_test(synthetic, test_align_synthetic);
    tcase_set_timeout(synthetic, 240);
    suite_add_tcase(s, core);
    suite_add_tcase(s, errors);
    suite_add_tcase(s, synthetic);
    suite_add_tcase(s, thresholds);
    return s;
}

TU_MAIN(align_suite)
