/*
 * check_align.c - following positions across statements (align.h):
 * hand-written series covering every status, thresholds, render/load,
 * and a synthetic labelled set (gen_series.c) measuring link precision
 * and recall.
 */
#include "check_util.h"

#include <posdiff/align.h>

#include "gen_series.h"

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
        s[n] = (posdiff_sentence){lines[n], strlen(lines[n]), n + 1};
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
    /* the moved passage keeps its line (after Alpha and Beta) */
    ck_assert_int_eq(posdiff_tracker_render(&md, &len, trk, DS), 0);
    ck_assert_str_eq(md, "<!-- data-security: s2 -->\n"
                         "Alpha: data security needs rules for clouds.\n"
                         "Beta: data security needs trust between nations.\n"
                         "Gamma: data security needs care for persons.\n");
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
    ck_assert_str_eq(ops_string(p), "=China proposed the Global Initiative on "
                                    "Data Security |+last year|=.");
    /* backdoors: reworded beyond the link bar -> added + dropped */
    ck_assert_int_eq(posdiff_step_status(c, BD), POSDIFF_ENTRY_CHANGED);
    ck_assert_int_eq(pass(c, BD, 0)->status, POSDIFF_PASSAGE_ADDED);
    ck_assert_uint_eq(posdiff_step_dropped_count(c, BD), 1);
    ck_assert_str_eq(posdiff_step_dropped(c, BD, 0)->statement, "s2");
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
    const char *s2[] = {"More data security!",
                        "Fresh new words on data security today.", NULL};
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

/* ---- errors ---- */

START_TEST(test_align_errors)
{
    posdiff_align_options o = POSDIFF_ALIGN_OPTIONS_INIT;
    posdiff_tracker *t = NULL;
    posdiff_step *s = (posdiff_step *)&o;
    posdiff_sentence bad = {NULL, 3, 1};
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

/* Is predicted passage q (of position p) the true one, with the true
 * predecessor?  Sentences are identified by line. */
static int right_link(const gen_stmt *st, int p, const posdiff_passage *q)
{
    const gen_sent *g = &st->s[q->line - 1];

    if (g->pos != p)
        return 0;
    if (!g->prev || !q->prev_text)
        return !g->prev && !q->prev_text;
    return q->prev_len == strlen(g->prev) &&
           memcmp(q->prev_text, g->prev, q->prev_len) == 0;
}

static void score_step(score *sc, const gen_stmt *st, const posdiff_step *r,
                       int npos)
{
    for (int p = 0; p < npos; p++) {
        for (size_t k = 0; k < posdiff_step_passage_count(r, (size_t)p); k++) {
            sc->pred++;
            sc->correct += (size_t)right_link(st, p,
                                              posdiff_step_passage(r, (size_t)p, k));
        }
    }
    for (size_t k = 0; k < st->n; k++)
        sc->truth += st->s[k].pos >= 0;
}

static void run_series(score *sc, const gen_series *gs,
                       const posdiff_align_options *o)
{
    const char *m[GEN_MAX_POS][1];
    posdiff_position pos[GEN_MAX_POS];
    char ids[GEN_MAX_POS][8], sid[32];
    posdiff_catalog *c = NULL;
    posdiff_tracker *t = NULL;

    for (int p = 0; p < gs->npos; p++) {
        snprintf(ids[p], sizeof(ids[p]), "p%d", p);
        m[p][0] = gs->anchor[p];
        pos[p] = (posdiff_position){ids[p], ids[p], m[p], 1};
    }
    ck_assert_int_eq(posdiff_catalog_new(&c, pos, (size_t)gs->npos), 0);
    ck_assert_int_eq(posdiff_tracker_new(&t, c, o), 0);
    for (size_t k = 0; k < gs->nstmt; k++) {
        const gen_stmt *st = &gs->stmt[k];
        posdiff_sentence *sv = calloc(st->n + 1, sizeof(*sv));
        posdiff_step *r = NULL;
        for (size_t i = 0; i < st->n; i++)
            sv[i] = (posdiff_sentence){st->s[i].text, strlen(st->s[i].text), i + 1};
        snprintf(sid, sizeof(sid), "s%zu", k);
        ck_assert_int_eq(posdiff_tracker_step(&r, t, sid, sv, st->n), 0);
        score_step(sc, st, r, gs->npos);
        posdiff_step_free(r);
        free(sv);
    }
    posdiff_tracker_free(t);
    posdiff_catalog_free(c);
}

static void evaluate(const gen_pool *pool, const posdiff_align_options *o,
                     double *precision, double *recall)
{
    score sc = {0, 0, 0};

    for (unsigned seed = 1; seed <= 200; seed++) {
        gen_series gs;
        ck_assert_int_eq(gen_series_make(&gs, pool, seed), 0);
        run_series(&sc, &gs, o);
        gen_series_free(&gs);
    }
    *precision = sc.pred ? (double)sc.correct / (double)sc.pred : 1;
    *recall = sc.truth ? (double)sc.correct / (double)sc.truth : 1;
}

/* 200 generated series: link precision and recall >= 0.95.  With
 * POSDIFF_ALIGN_TUNE set, also sweep the thresholds (how the defaults
 * in align.c were chosen). */
START_TEST(test_align_synthetic)
{
    posdiff_align_options o = POSDIFF_ALIGN_OPTIONS_INIT;
    gen_pool pool;
    double prec, rec;

    ck_assert_int_eq(gen_pool_load(&pool, tu_src("corpus/statements")), 0);
    evaluate(&pool, &o, &prec, &rec);
    printf("align synthetic: %zu pool sentences, 200 series: "
           "precision %.4f recall %.4f\n", pool.n, prec, rec);
    ck_assert_msg(prec >= 0.95 && rec >= 0.95, "precision %.4f recall %.4f",
                  prec, rec);
    for (int l = 3; getenv("POSDIFF_ALIGN_TUNE") && l <= 7; l++)
        for (int j = 4; j <= 8; j++) {
            o.link_threshold = l / 10.0;
            o.unmatched_threshold = j / 10.0;
            evaluate(&pool, &o, &prec, &rec);
            printf("link %.1f join %.1f: precision %.4f recall %.4f\n",
                   o.link_threshold, o.unmatched_threshold, prec, rec);
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
    tcase_add_checked_fixture(errors, setup, teardown);
    tcase_add_loop_test(errors, test_align_load_rejects, 0, nbad);
    tcase_add_test(errors, test_align_load_lenient);
    tcase_add_test(errors, test_align_errors);
    tcase_add_checked_fixture(thresholds, setup, teardown);
    tcase_add_loop_test(thresholds, test_align_link_threshold, 0, nlink);
    tcase_add_test(thresholds, test_align_join_threshold);
    tcase_add_test(synthetic, test_align_synthetic);
    tcase_set_timeout(synthetic, 240);
    suite_add_tcase(s, core);
    suite_add_tcase(s, errors);
    suite_add_tcase(s, synthetic);
    suite_add_tcase(s, thresholds);
    return s;
}

TU_MAIN(align_suite)
