/*
 * check_align.c - following positions across statements (align.h):
 * hand-written series for every status and membership rule, render and
 * load, save and restore, errors, and a synthetic labelled set
 * (gen_series.c) guarding link precision and recall against regressions
 * (the real yardstick is tests/eval/, on real statements).
 */
#include "check_util.h"

#include <posdiff/align.h>

#include "align/candidates.h"
#include "align/featcache.h"
#include "align/weights.h"
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
        {"data-security", "Data security", ds, 1, NULL, 0, NULL, 0, NULL, 0},
        {"backdoors", "Backdoors", bd, 1, NULL, 0, NULL, 0, NULL, 0}};

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

/* Step trk with a NULL-terminated list of sentences (lines 1, 2, ...);
 * a sentence "#N text" is a heading of level N. */
static posdiff_step *step_with(posdiff_tracker *t, const char *id,
                               const char *const *lines)
{
    posdiff_sentence s[32];
    posdiff_step *st = NULL;
    size_t n = 0;

    for (; lines[n]; n++) {
        const char *l = lines[n];
        int h = l[0] == '#' ? l[1] - '0' : 0;
        s[n] = (posdiff_sentence){h ? l + 3 : l, strlen(h ? l + 3 : l), n + 1, h};
    }
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


/* A filler statement: sentences of no position, so that word weights
 * are not those of a handful of sentences. */
static const char *const FILL[] = {
    "The meeting opened in the afternoon with remarks by the chair.",
    "Delegations thanked the secretariat for the preparations.",
    "Several speakers welcomed the progress made since the last session.",
    "The chair invited the delegations to take the floor in turn.",
    "Interpretation was provided in all the official languages.",
    NULL};

static void fill(void)
{
    posdiff_step_free(step("fill", FILL));
}

/* ---- statuses ---- */

#define STORE "States should not request domestic companies to store data security " \
              "records of their citizens on servers located overseas."
#define RULES "Data security needs global rules negotiated among all countries " \
              "through the United Nations."

START_TEST(test_align_added_unchanged)
{
    posdiff_step *a, *b;

    fill();
    a = step("s1", (const char *[]){STORE, "No backdoor is acceptable.", NULL});
    ck_assert_int_eq(posdiff_step_status(a, DS), POSDIFF_ENTRY_ADDED);
    ck_assert_uint_eq(posdiff_step_passage_count(a, DS), 1);
    ck_assert_int_eq(pass(a, DS, 0)->status, POSDIFF_PASSAGE_ADDED);
    ck_assert_ptr_null(pass(a, DS, 0)->prev_text);
    ck_assert_str_eq(ops_string(pass(a, DS, 0)), "+" STORE);
    b = step("s2", (const char *[]){"Unrelated opening words.", STORE,
                                    "No backdoor is acceptable.", NULL});
    ck_assert_int_eq(posdiff_step_status(b, DS), POSDIFF_ENTRY_UNCHANGED);
    ck_assert_int_eq(pass(b, DS, 0)->status, POSDIFF_PASSAGE_UNCHANGED);
    ck_assert_uint_eq(pass(b, DS, 0)->line, 2);
    ck_assert_str_eq(pass(b, DS, 0)->prev_statement, "s1");
    ck_assert_double_eq(pass(b, DS, 0)->similarity, 1.0);
    ck_assert_uint_eq(pass(b, DS, 0)->source_count, 1);
    ck_assert_int_eq(posdiff_step_status(b, BD), POSDIFF_ENTRY_UNCHANGED);
    posdiff_step_free(a);
    posdiff_step_free(b);
}
END_TEST

START_TEST(test_align_changed_ops)
{
    const char *nw = "States should never request domestic companies to store data security "
                     "records of their citizens on servers located overseas.";
    posdiff_step *b;

    fill();
    posdiff_step_free(step("s1", (const char *[]){STORE, NULL}));
    b = step("s2", (const char *[]){nw, NULL});
    ck_assert_int_eq(posdiff_step_status(b, DS), POSDIFF_ENTRY_CHANGED);
    ck_assert_int_eq(pass(b, DS, 0)->status, POSDIFF_PASSAGE_CHANGED);
    ck_assert_int_eq(pass(b, DS, 0)->link, POSDIFF_LINK_ONE);
    ck_assert_msg(pass(b, DS, 0)->similarity >= 0.5, "%f", pass(b, DS, 0)->similarity);
    ck_assert_str_eq(ops_string(pass(b, DS, 0)),
                     "=States should |-not |+never |=request domestic companies to store "
                     "data security records of their citizens on servers located overseas.");
    assert_ops_tile(pass(b, DS, 0));
    posdiff_step_free(b);
}
END_TEST

/* The same point in new words: a weak link, `restated`, with a word diff
 * (the shared words stay equal). */
START_TEST(test_align_restated)
{
    const char *nw = "For data security, every country wants global rules it accepts.";
    const posdiff_passage *q;
    posdiff_step *b;

    fill();
    posdiff_step_free(step("s1", (const char *[]){RULES, STORE, NULL}));
    b = step("s2", (const char *[]){nw, STORE, NULL});
    q = pass(b, DS, 0);
    ck_assert_msg(q->status == POSDIFF_PASSAGE_RESTATED, "status %d sim %f", q->status,
                  q->similarity);
    ck_assert_msg(q->similarity >= 0.15 && q->similarity < 0.5, "%f", q->similarity);
    assert_text(q->prev_text, q->prev_len, RULES);
    assert_ops_tile(q);
    ck_assert_ptr_nonnull(strstr(ops_string(q), "|=security"));
    ck_assert_ptr_nonnull(strstr(ops_string(q), "|=global rules "));
    ck_assert_int_eq(posdiff_step_status(b, DS), POSDIFF_ENTRY_CHANGED);
    posdiff_step_free(b);
}
END_TEST

/* Below the weak bar: added, and the old passage dropped. */
START_TEST(test_align_added_and_dropped)
{
    const char *nw = "Data security matters for hospitals, banks, railways, ports and "
                     "power grids alike, whoever operates them.";
    posdiff_step *b;

    fill();
    posdiff_step_free(step("s1", (const char *[]){STORE, NULL}));
    b = step("s2", (const char *[]){nw, NULL});
    ck_assert_msg(pass(b, DS, 0)->status == POSDIFF_PASSAGE_ADDED, "sim %f",
                  pass(b, DS, 0)->similarity);
    ck_assert_uint_eq(posdiff_step_dropped_count(b, DS), 1);
    assert_text(posdiff_step_dropped(b, DS, 0)->text, posdiff_step_dropped(b, DS, 0)->len,
                STORE);
    ck_assert_str_eq(posdiff_step_dropped(b, DS, 0)->statement, "s1");
    posdiff_step_free(b);
}
END_TEST

START_TEST(test_align_moved)
{
    posdiff_step *b;

    fill();
    posdiff_step_free(step("s1", (const char *[]){STORE, RULES, NULL}));
    b = step("s2", (const char *[]){RULES, STORE, NULL});
    ck_assert_int_eq(pass(b, DS, 0)->status + pass(b, DS, 1)->status,
                     POSDIFF_PASSAGE_UNCHANGED + POSDIFF_PASSAGE_MOVED);
    ck_assert_int_eq(posdiff_step_status(b, DS), POSDIFF_ENTRY_CHANGED);
    posdiff_step_free(b);
}
END_TEST

/* A passage not restated goes dormant; a later close restatement revives
 * it (its statement named), even after a statement that skipped it. */
START_TEST(test_align_revival)
{
    posdiff_step *b, *c;

    fill();
    posdiff_step_free(step("s1", (const char *[]){STORE, RULES, NULL}));
    b = step("s2", (const char *[]){RULES, NULL});
    ck_assert_uint_eq(posdiff_step_dropped_count(b, DS), 1);
    c = step("s3", (const char *[]){RULES, STORE, NULL});
    ck_assert_int_eq(pass(c, DS, 1)->status, POSDIFF_PASSAGE_UNCHANGED);
    ck_assert_int_eq(pass(c, DS, 1)->revived, 1);
    ck_assert_str_eq(pass(c, DS, 1)->prev_statement, "s1");
    ck_assert_int_eq(pass(c, DS, 0)->revived, 0);
    ck_assert_str_eq(pass(c, DS, 0)->prev_statement, "s2");
    ck_assert_int_eq(posdiff_step_status(c, DS), POSDIFF_ENTRY_CHANGED);
    posdiff_step_free(b);
    posdiff_step_free(c);
}
END_TEST

/* A weak link leaves the earlier wording free: restated word for word
 * later, it is found (a revival), not the weak restatement. */
START_TEST(test_align_weak_keeps_wording)
{
    const char *nw = "For data security, every country wants rules it accepts.";
    posdiff_step *c;

    fill();
    posdiff_step_free(step("s1", (const char *[]){RULES, NULL}));
    posdiff_step_free(step("s2", (const char *[]){nw, NULL}));
    c = step("s3", (const char *[]){RULES, NULL});
    ck_assert_int_eq(pass(c, DS, 0)->status, POSDIFF_PASSAGE_UNCHANGED);
    ck_assert_str_eq(pass(c, DS, 0)->prev_statement, "s1");
    ck_assert_int_eq(pass(c, DS, 0)->revived, 1);
    posdiff_step_free(c);
}
END_TEST

START_TEST(test_align_split)
{
    const char *whole = "Data security requires that states protect personal "
                        "information and never store citizens' records abroad.";
    const char *p1 = "Data security requires that states protect personal information.";
    const char *p2 = "Data security means states never store citizens' records abroad.";
    posdiff_step *b;

    fill();
    posdiff_step_free(step("s1", (const char *[]){whole, NULL}));
    b = step("s2", (const char *[]){p1, p2, NULL});
    for (size_t k = 0; k < 2; k++) {
        ck_assert_int_eq(pass(b, DS, k)->link, POSDIFF_LINK_SPLIT);
        assert_text(pass(b, DS, k)->prev_text, pass(b, DS, k)->prev_len, whole);
    }
    ck_assert_uint_eq(posdiff_step_dropped_count(b, DS), 0);
    posdiff_step_free(b);
}
END_TEST

START_TEST(test_align_merge)
{
    const char *o1 = "Data security requires that states protect personal information.";
    const char *o2 = "Data security means states never store citizens' records abroad.";
    const char *whole = "Data security requires that states protect personal "
                        "information and never store citizens' records abroad.";
    const posdiff_passage *q;
    posdiff_step *b;

    fill();
    posdiff_step_free(step("s1", (const char *[]){o1, o2, NULL}));
    b = step("s2", (const char *[]){whole, NULL});
    q = pass(b, DS, 0);
    ck_assert_int_eq(q->link, POSDIFF_LINK_MERGE);
    ck_assert_uint_eq(q->source_count, 2);
    assert_text(q->sources[0].text, q->sources[0].len, q->prev_text);
    ck_assert_str_eq(q->sources[1].statement, "s1");
    ck_assert_uint_eq(posdiff_step_dropped_count(b, DS), 0);
    posdiff_step_free(b);
}
END_TEST

/* ---- membership ---- */

/* A sentence without the phrase joins when it restates a passage closely;
 * a loosely related one does not. */
START_TEST(test_align_join)
{
    const char *close = "States should not request domestic companies to store records overseas.";
    const char *loose = "Companies keep many records.";
    posdiff_step *b;

    fill();
    posdiff_step_free(step("s1", (const char *[]){STORE, NULL}));
    b = step("s2", (const char *[]){close, loose, NULL});
    ck_assert_uint_eq(posdiff_step_passage_count(b, DS), 1);
    ck_assert_uint_eq(pass(b, DS, 0)->line, 1);
    ck_assert_int_eq(pass(b, DS, 0)->status, POSDIFF_PASSAGE_CHANGED);
    posdiff_step_free(b);
}
END_TEST

/* exclude: a match inside an excluded phrase does not count; example: a
 * sentence close to an example joins without a phrase. */
START_TEST(test_align_exclude_example)
{
    static const char *m[] = {"permanent mechanism"}, *x[] = {"future permanent mechanism"};
    static const char *ex[] = {"There should be one single process at the UN, open to every country."};
    static const posdiff_position p = {"single-track", "Single track", m, 1, x, 1, ex, 1, NULL, 0};
    posdiff_catalog *c = NULL;
    posdiff_tracker *t = NULL;
    posdiff_step *s;

    ck_assert_int_eq(posdiff_catalog_new(&c, &p, 1), 0);
    ck_assert_int_eq(posdiff_catalog_matches(c, 0, "A permanent mechanism, now.", 27), 1);
    ck_assert_int_eq(posdiff_catalog_matches(c, 0, "The future permanent mechanism meets.", 37), 0);
    ck_assert_int_eq(posdiff_catalog_matches(c, 0, "The future permanent mechanism "
                                                "must be a permanent mechanism.", 61), 1);
    ck_assert_int_eq(posdiff_tracker_new(&t, c, NULL), 0);
    posdiff_step_free(step_with(t, "fill", FILL));
    s = step_with(t, "s1", (const char *[]){
        "The future permanent mechanism meets twice a year.",
        "There should be one single process at the UN, open to all countries.",
        "Lunch was served.", NULL});
    ck_assert_uint_eq(posdiff_step_passage_count(s, 0), 1);
    ck_assert_uint_eq(pass(s, 0, 0)->line, 2);
    posdiff_step_free(s);
    posdiff_tracker_free(t);
    posdiff_catalog_free(c);
}
END_TEST

/* A matching section heading anchors its section (deeper headings
 * included) up to the next heading of its level; the title anchors
 * nothing; a heading is never a passage itself. */
START_TEST(test_align_sections)
{
    posdiff_step *s;

    fill();
    s = step("s1", (const char *[]){
        "#1 Statement on data security",
        "The delegation thanks the chair.",
        "#2 II. Data security",
        "States should cooperate.",
        "#3 a) Details",
        "Exchanges are useful.",
        "#2 III. Other matters",
        "Capacity building helps.", NULL});
    ck_assert_uint_eq(posdiff_step_passage_count(s, DS), 2);
    ck_assert_uint_eq(pass(s, DS, 0)->line, 4);
    ck_assert_uint_eq(pass(s, DS, 1)->line, 6);
    posdiff_step_free(s);
}
END_TEST

/* A lead-in ending in ':' that matches no phrase is a label; a clause
 * unit continuing its line in lower case belongs to its sentence. */
START_TEST(test_align_labels_fragments)
{
    posdiff_sentence v[] = {
        {"#2 Data security", 0, 1, 2},
        {"China proposes as follows:", 0, 2, 0},
        {"States should protect data.", 0, 3, 0},
        {"To meet needs we discuss the principles of", 0, 4, 0},
        {"Data security first", 0, 4, 0},
        {"in an attempt to reach data security together.", 0, 4, 0},
        {"On data security, we propose:", 0, 5, 0}};
    posdiff_step *s = NULL;

    fill();
    v[0].text += 3;
    for (size_t k = 0; k < 7; k++)
        v[k].len = strlen(v[k].text);
    ck_assert_int_eq(posdiff_tracker_step(&s, trk, "s1", v, 7), 0);
    ck_assert_uint_eq(posdiff_step_passage_count(s, DS), 4);
    ck_assert_uint_eq(pass(s, DS, 0)->line, 3);
    assert_text(pass(s, DS, 2)->text, pass(s, DS, 2)->len, "Data security first");
    assert_text(pass(s, DS, 3)->text, pass(s, DS, 3)->len, "On data security, we propose:");
    posdiff_step_free(s);
}
END_TEST

/* Word weights count the sentences seen so far: a word most sentences
 * hold weighs less than a rare one, and sharing it says less. */
START_TEST(test_align_weights)
{
    weights w = WEIGHTS_INIT;
    uint32_t common[] = {1, 2}, rare[] = {1, 3}, three[] = {1, 2, 3}, two[] = {2, 3};
    feat fc = {common, 2}, fr = {rare, 2}, f3 = {three, 3}, f2 = {two, 2};
    double m3, mc, mr;

    for (int k = 0; k < 6; k++)
        ck_assert_int_eq(weights_add(&w, &fc), 0); /* 1 and 2 everywhere */
    ck_assert_int_eq(weights_add(&w, &fr), 0);
    ck_assert_int_eq(weights_ready(&w), 0);
    ck_assert_uint_eq(w.n, 7);
    ck_assert(weight_of(&w, 3) > weight_of(&w, 2));
    ck_assert(weight_of(&w, 9) > weight_of(&w, 3)); /* never seen */
    m3 = feat_mass(&w, &f3), mc = feat_mass(&w, &fc), mr = feat_mass(&w, &fr);
    ck_assert(similarity_of(feat_shared(&w, &f3, &fr), m3, mr) >
              similarity_of(feat_shared(&w, &f3, &fc), m3, mc));
    ck_assert_double_eq(similarity_of(feat_shared(&w, &f3, &f3), m3, m3), 1.0);
    ck_assert_double_eq(feat_shared(&w, &fc, &f2), weight_of(&w, 2));
    weights_sub(&w, &fr);
    ck_assert_int_eq(weights_ready(&w), 0);
    ck_assert_uint_eq(w.n, 6);
    ck_assert_uint_eq(w.df[3], 0);
    weights_free(&w);
}
END_TEST

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
    posdiff_tracker *t2 = NULL;
    posdiff_step *a, *b;
    char *md, *md2;

    md = render(trk, BD);
    ck_assert_str_eq(md, "<!-- backdoors: (none) -->\n");
    free(md);
    posdiff_step_free(step("s1", (const char *[]){"Data security,\nwrapped in layers of keys.", STORE, NULL}));
    md = render(trk, DS);
    ck_assert_str_eq(md, "<!-- data-security: s1 -->\nData security, wrapped in layers of keys.\n" STORE "\n");
    ck_assert_int_eq(posdiff_tracker_new(&t2, cat, NULL), 0);
    ck_assert_int_eq(posdiff_tracker_load(t2, DS, md, strlen(md)), 0);
    md2 = render(t2, DS);
    ck_assert_str_eq(md, md2);
    free(md);
    free(md2);
    a = step_with(trk, "s2", (const char *[]){STORE, NULL});
    b = step_with(t2, "s2", (const char *[]){STORE, NULL});
    ck_assert_int_eq(pass(a, DS, 0)->status, POSDIFF_PASSAGE_UNCHANGED);
    ck_assert_int_eq(pass(b, DS, 0)->status, POSDIFF_PASSAGE_UNCHANGED);
    ck_assert_uint_eq(posdiff_step_dropped_count(b, DS), 1);
    posdiff_step_free(a);
    posdiff_step_free(b);
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
    ck_assert_int_eq(x->revived, y->revived);
    ck_assert_uint_eq(x->source_count, y->source_count);
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


/* Step part of a generated series, save, restore into a new tracker,
 * step the rest in both: identical results and identical saves. */
static void save_restore_series(const gen_pool *pool, unsigned seed)
{
    const char *m[GEN_MAX_POS][1];
    posdiff_position pos[GEN_MAX_POS];
    char ids[GEN_MAX_POS][16], *x, *y;
    posdiff_catalog *c = NULL;
    posdiff_tracker *t1 = NULL, *t2 = NULL;
    gen_series gs;
    size_t half, n;

    ck_assert_int_eq(gen_series_make(&gs, pool, seed), 0);
    for (int p = 0; p < gs.npos; p++) {
        snprintf(ids[p], sizeof(ids[p]), "p%d", p);
        m[p][0] = gs.anchor[p];
        pos[p] = (posdiff_position){ids[p], ids[p], m[p], 1, NULL, 0, NULL, 0, NULL, 0};
    }
    ck_assert_int_eq(posdiff_catalog_new(&c, pos, (size_t)gs.npos), 0);
    ck_assert_int_eq(posdiff_tracker_new(&t1, c, NULL), 0);
    ck_assert_int_eq(posdiff_tracker_new(&t2, c, NULL), 0);
    half = seed % gs.nstmt;
    for (size_t k = 0; k < half; k++)
        posdiff_step_free(step_gen(t1, &gs.stmt[k], k));
    x = save(t1, &n);
    ck_assert_int_eq(posdiff_tracker_restore(t2, x, n), 0);
    for (size_t k = half; k < gs.nstmt; k++) {
        posdiff_step *r1 = step_gen(t1, &gs.stmt[k], k);
        posdiff_step *r2 = step_gen(t2, &gs.stmt[k], k);
        assert_same_step(r1, r2, (size_t)gs.npos);
        posdiff_step_free(r1);
        posdiff_step_free(r2);
    }
    free(x);
    x = save(t1, NULL);
    y = save(t2, NULL);
    ck_assert_str_eq(x, y);
    free(x);
    free(y);
    posdiff_tracker_free(t1);
    posdiff_tracker_free(t2);
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

    posdiff_step_free(step("s1", (const char *[]){"Data security matters.", "No backdoor.", NULL}));
    posdiff_step_free(step("s2", (const char *[]){"Data security.", "Backdoors harm users.", NULL}));
    x = save(trk, NULL);
    ck_assert_str_eq(x, "posdiff-tracker 2\n"
                        "sentences 4\n"
                        "vocabulary 6\n2 4 data\n2 5 secur\n1 6 matter\n2 8 backdoor\n"
                        "1 4 harm\n1 4 user\n"
                        "positions 2\n"
                        "position 13 data-security\nstated 2 s2\n"
                        "active 1\n14 Data security.\n"
                        "dormant 0\n"
                        "position 9 backdoors\nstated 2 s2\n"
                        "active 1\n21 Backdoors harm users.\n"
                        "dormant 1\n2 s1 12 No backdoor.\n"
                        "end\n");
    free(x);
}
END_TEST

/* Every damaged state is refused and leaves the tracker as it was. */
START_TEST(test_align_restore_rejects)
{
    static const char *const bad[] = {
        "", "posdiff-tracker 1\n", "posdiff-tracker 2\nsentences 1\nvocabulary 1\n1 4 data\n",
        "posdiff-tracker 2\nsentences 1\nvocabulary 2\n1 4 data\n1 4 data\npositions 0\nend\n",
        "posdiff-tracker 2\nsentences 1\nvocabulary 1\n2 4 data\npositions 0\nend\n",
        "posdiff-tracker 2\nsentences 0\nvocabulary 0\npositions 1\nend\n",
        "posdiff-tracker 2\nsentences 0\nvocabulary 0\npositions 2\nposition 9 backdoors\n",
    };
    posdiff_tracker *t2 = NULL;
    char *good, *before, *after;
    size_t len;

    posdiff_step_free(step("s1", (const char *[]){STORE, RULES, NULL}));
    posdiff_step_free(step("s2", (const char *[]){RULES, "No backdoor.", NULL}));
    good = save(trk, &len);
    ck_assert_int_eq(posdiff_tracker_new(&t2, cat, NULL), 0);
    posdiff_step_free(step_with(t2, "z9", (const char *[]){"Data security.", NULL}));
    before = save(t2, NULL);
    for (size_t n = 0; n < len; n++) /* every truncation */
        ck_assert_int_lt(posdiff_tracker_restore(t2, good, n), 0);
    for (size_t k = 0; k < sizeof(bad) / sizeof(*bad); k++)
        ck_assert_msg(posdiff_tracker_restore(t2, bad[k], strlen(bad[k])) < 0, "bad %zu", k);
    good[len - 1] = 'x';
    ck_assert_int_lt(posdiff_tracker_restore(t2, good, len), 0);
    good[len - 1] = '\n';
    ck_assert_str_ne(posdiff_error_last(), "");
    after = save(t2, NULL);
    ck_assert_str_eq(before, after);
    free(after);
    ck_assert_int_eq(posdiff_tracker_restore(t2, good, len), 0);
    after = save(t2, NULL);
    ck_assert_str_eq(good, after);
    free(after);
    free(before);
    free(good);
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
    ck_assert_str_eq(posdiff_passage_status_name(POSDIFF_PASSAGE_RESTATED), "restated");
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
    if (g->kind == GEN_MERGE) /* the main predecessor is one of the two */
        return q->source_count == 2 && strcmp(q->prev_statement, sid) == 0 &&
               q->prev_len < strlen(g->prev) && strstr(g->prev, q->prev_text);
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

static void run_series(scores *sc, const gen_series *gs, const posdiff_align_options *o)
{
    const char *m[GEN_MAX_POS][1];
    posdiff_position pos[GEN_MAX_POS];
    char ids[GEN_MAX_POS][16], sid[32];
    posdiff_catalog *c = NULL;
    posdiff_tracker *t;

    for (int p = 0; p < gs->npos; p++) {
        snprintf(ids[p], sizeof(ids[p]), "p%d", p);
        m[p][0] = gs->anchor[p];
        pos[p] = (posdiff_position){ids[p], ids[p], m[p], 1, NULL, 0, NULL, 0, NULL, 0};
    }
    ck_assert_int_eq(posdiff_catalog_new(&c, pos, (size_t)gs->npos), 0);
    ck_assert_int_eq(posdiff_tracker_new(&t, c, o), 0);
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

static void evaluate(const gen_pool *pool, const posdiff_align_options *o, scores *sc)
{
    memset(sc, 0, sizeof(*sc));
    for (unsigned seed = 1; seed <= NSERIES; seed++) {
        gen_series gs;
        ck_assert_int_eq(gen_series_make(&gs, pool, seed), 0);
        run_series(sc, &gs, o);
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

/* With POSDIFF_ALIGN_TUNE set: the synthetic scores around the defaults. */
static void sweep(const gen_pool *pool)
{
    posdiff_align_options o = POSDIFF_ALIGN_OPTIONS_INIT;
    scores sc;

    for (int l = 10; l <= 25; l += 5)
        for (int s = 4; s <= 6; s++) {
            o.link_threshold = l / 100.0;
            o.strong_threshold = s / 10.0;
            evaluate(pool, &o, &sc);
            printf("weak %.2f strong %.1f: precision %.4f recall %.4f\n",
                   o.link_threshold, o.strong_threshold, precision(&sc.all), recall(&sc.all));
        }
}

/* NSERIES generated series: link precision and recall >= 0.95 overall
 * and for the phenomena the tracker is built to find. */
START_TEST(test_align_synthetic)
{
    /* per-kind floors: regression guards set under the measured values
     * (0.97-1.00; added passages 0.94: a new sentence sharing a telling
     * word with an earlier one is taken for a weak restatement) */
    static const struct { gen_kind k; double min; } must[] = {
        {GEN_SAME, 0.97}, {GEN_REWORD, 0.97}, {GEN_HEAVY, 0.97},
        {GEN_REWRITE, 0.97}, {GEN_FANOUT, 0.96}, {GEN_REVIVED, 0.97},
        {GEN_SPLIT, 0.97}, {GEN_MERGE, 0.95}, {GEN_ADDED, 0.92}};
    gen_pool pool;
    scores sc;

    ck_assert_int_eq(gen_pool_load(&pool, tu_src("corpus/statements")), 0);
    evaluate(&pool, NULL, &sc);
    printf("align synthetic: %zu pool sentences, %d series: "
           "precision %.4f recall %.4f\n", pool.n, NSERIES,
           precision(&sc.all), recall(&sc.all));
    print_kinds(&sc);
    if (getenv("POSDIFF_ALIGN_TUNE"))
        sweep(&pool);
    ck_assert_msg(precision(&sc.all) >= 0.97 && recall(&sc.all) >= 0.97,
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

/* ---- limits: a candidate query's cost is bounded ---------------------- */

#define NCOPY 5000

/* NCOPY items sharing words 1 and 2 (lists over any budget), each with
 * a word of its own (100 + i): a long statement's near copies. */
START_TEST(test_align_candidates_bounded)
{
    static uint32_t ids[NCOPY][3];
    const feat *items[NCOPY];
    feat f[NCOPY], common = {(uint32_t[]){1, 2}, 2}, own = {(uint32_t[]){1, 2, 107}, 3};
    weights w = WEIGHTS_INIT;
    cand_index x;
    cand_answer a;

    for (size_t i = 0; i < NCOPY; i++) {
        ids[i][0] = 1, ids[i][1] = 2, ids[i][2] = (uint32_t)(100 + i);
        f[i] = (feat){ids[i], 3};
        items[i] = &f[i];
        ck_assert_int_eq(weights_add(&w, &f[i]), 0);
    }
    ck_assert_int_eq(weights_ready(&w), 0);
    ck_assert_int_eq(cand_index_build(&x, items, NCOPY), 0);
    /* its own word is rarest: counted first, the copy found, exactly scored */
    ck_assert_int_eq(cand_query(&a, &x, &w, &own, CAND_LINEAGE_BUDGET, 7), 0);
    ck_assert(a.n >= 1 && a.item[0] == 7);
    /* only the long lists: a few postings near the place named */
    ck_assert_int_eq(cand_query(&a, &x, &w, &common, CAND_LINEAGE_BUDGET, 2500), 0);
    ck_assert(!a.exact && a.n >= 1 && a.n <= CAND_INEXACT_MAX);
    for (size_t k = 0; k < a.n; k++)
        ck_assert(a.item[k] + CAND_LIST_CAP >= 2500 && a.item[k] <= 2500 + CAND_LIST_CAP);
    /* ... or evenly spaced ones */
    ck_assert_int_eq(cand_query(&a, &x, &w, &common, CAND_JOIN_BUDGET, CAND_NEAR_NONE), 0);
    ck_assert(!a.exact && a.n >= 1 && a.n <= CAND_INEXACT_MAX);
    /* within the budget, every posting counts: exact */
    ck_assert_int_eq(cand_query(&a, &x, &w, &own, 2 * NCOPY + 1, CAND_NEAR_NONE), 0);
    ck_assert(a.exact && a.n == CAND_MAX && a.item[0] == 7 && a.item[1] == 0);
    cand_index_free(&x);
    weights_free(&w);
}
END_TEST

/* The feature cache stays bounded; an entry used at every turn stays,
 * one not used for two generations goes; what it lends is what was put. */
START_TEST(test_align_featcache_generations)
{
    feat_cache c = FEAT_CACHE_INIT;
    const uint32_t *cid;
    uint32_t id[2];
    char text[32];
    size_t cn;
    feat f;

    for (uint32_t i = 0; i < 200000; i++) {
        int n = snprintf(text, sizeof(text), "sentence %u", i);
        id[0] = i;
        id[1] = i + 1;
        f = (feat){id, 1};
        feat_cache_put(&c, text, (size_t)n, &f, id + 1, 1);
        if (i % 1000 == 999) {
            feat_cache_turn(&c);
            ck_assert(feat_cache_lend(&c, "sentence 5", 10, &f, &cid, &cn));
            ck_assert_uint_eq(f.n, 1);
            ck_assert_uint_eq(f.ids[0], 5);
            ck_assert_uint_eq(cn, 1);
            ck_assert_uint_eq(cid[0], 6);
        }
    }
    ck_assert_uint_le(c.map[0].n + c.map[1].n, (size_t)1 << 17);
    ck_assert(!feat_cache_lend(&c, "sentence 6", 10, &f, &cid, &cn));
    ck_assert(feat_cache_lend(&c, "sentence 199999", 15, &f, &cid, &cn));
    ck_assert_uint_eq(f.ids[0], 199999);
    feat_cache_free(&c);
}
END_TEST

static Suite *align_suite(void)
{
    Suite *s = suite_create("align");
    TCase *core = tcase_create("core");
    TCase *members = tcase_create("members");
    TCase *state = tcase_create("state");
    TCase *errors = tcase_create("errors");
    TCase *synthetic = tcase_create("synthetic");
    TCase *limits = tcase_create("limits");
    int nbad = (int)(sizeof(bad_md) / sizeof(*bad_md));

    tcase_add_checked_fixture(core, setup, teardown);
    tcase_add_test(core, test_align_added_unchanged);
    tcase_add_test(core, test_align_changed_ops);
    tcase_add_test(core, test_align_restated);
    tcase_add_test(core, test_align_added_and_dropped);
    tcase_add_test(core, test_align_moved);
    tcase_add_test(core, test_align_revival);
    tcase_add_test(core, test_align_weak_keeps_wording);
    tcase_add_test(core, test_align_split);
    tcase_add_test(core, test_align_merge);
    tcase_add_test(core, test_align_weights);
    tcase_add_test(core, test_align_featcache_generations);
    tcase_add_checked_fixture(members, setup, teardown);
    tcase_add_test(members, test_align_join);
    tcase_add_test(members, test_align_exclude_example);
    tcase_add_test(members, test_align_sections);
    tcase_add_test(members, test_align_labels_fragments);
    tcase_add_checked_fixture(state, setup, teardown);
    tcase_add_test(state, test_align_render_load);
    tcase_add_test(state, test_align_save_format);
    tcase_add_test(state, test_align_restore_rejects);
    tcase_add_loop_test(state, test_align_load_rejects, 0, nbad);
    tcase_add_test(state, test_align_load_lenient);
    tcase_add_checked_fixture(errors, setup, teardown);
    tcase_add_test(errors, test_align_errors);
    tcase_add_test(synthetic, test_align_save_restore);
    tcase_add_test(synthetic, test_align_synthetic);
    tcase_set_timeout(synthetic, 240);
    suite_add_tcase(s, core);
    suite_add_tcase(s, members);
    suite_add_tcase(s, state);
    suite_add_tcase(s, errors);
    tcase_add_test(limits, test_align_candidates_bounded);
    suite_add_tcase(s, synthetic);
    suite_add_tcase(s, limits);
    return s;
}

TU_MAIN(align_suite)
