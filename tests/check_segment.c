/*
 * check_segment.c - sentence segmentation (posdiff_segment).
 *
 * Table-driven: each case is a text and its sentences joined by '|'.
 */
#include "check_util.h"

typedef struct {
    const char *text;
    const char *want; /* sentences separated by '|' */
} seg_case;

static const seg_case cases[] = {
    {"One. Two.", "One.|Two."},
    {"Thank you, Mr. Chair. We begin.", "Thank you, Mr. Chair.|We begin."},
    {"Mrs. Smith and Dr. Jones met Ms. Lee.", "Mrs. Smith and Dr. Jones met Ms. Lee."},
    {"The U.N. Charter applies. It is clear.", "The U.N. Charter applies.|It is clear."},
    {"See e.g. Article 2 and i.e. This.", "See e.g. Article 2 and i.e. This."},
    {"Ambassador Jurg L. Lauber spoke. Then we.", "Ambassador Jurg L. Lauber spoke.|Then we."},
    {"Growth was 3.5 percent. Next year 1,000 more.", "Growth was 3.5 percent.|Next year 1,000 more."},
    {"Resolution No. 5 was adopted. It passed.", "Resolution No. 5 was adopted.|It passed."},
    {"He said \"stop.\" Then left.", "He said \"stop.\"|Then left."},
    {"It ended (finally.) Next one.", "It ended (finally.)|Next one."},
    {"Data, cloud, etc. Then more.", "Data, cloud, etc.|Then more."},
    {"Data, cloud, etc. and more.", "Data, cloud, etc. and more."},
    {"Wait... Then go.", "Wait...|Then go."},
    {"Wait\xE2\x80\xA6 Then go.", "Wait\xE2\x80\xA6|Then go."},
    {"Why? Because! Yes.", "Why?|Because!|Yes."},
    {"Is it? maybe not.", "Is it? maybe not."},
    {"\xE4\xB8\xAD\xE5\x9B\xBD\xE3\x80\x82\xE4\xB8\x96\xE7\x95\x8C\xE3\x80\x82",
     "\xE4\xB8\xAD\xE5\x9B\xBD\xE3\x80\x82|\xE4\xB8\x96\xE7\x95\x8C\xE3\x80\x82"},
    {"I. Existing and Potential Threats", "I. Existing and Potential Threats"},
    {"IV. Confidence Building. Trust matters.", "IV. Confidence Building.|Trust matters."},
    {"iv) Data security. States act.", "iv) Data security.|States act."},
    {"(a) States should act. They will.", "(a) States should act.|They will."},
    {"1. First item here. Second.", "1. First item here.|Second."},
    {"We met in 2019. The year after.", "We met in 2019.|The year after."},
    {"Visit www.fmprc.gov.cn for more. Done.", "Visit www.fmprc.gov.cn for more.|Done."},
    {"Resolution 73/27 passed. Good.", "Resolution 73/27 passed.|Good."},
    {"  Leading and trailing space.  ", "Leading and trailing space."},
    {"No terminator at all", "No terminator at all"},
    {"", ""},
    {"Line one.\nLine two.", "Line one.|Line two."},
    {"He said: \"Yes.\" \"No,\" she said.", "He said: \"Yes.\"|\"No,\" she said."},
};

static void check_case(const seg_case *c)
{
    posdiff_span *sp = NULL;
    size_t n = 0, i, off = 0;
    char got[512];

    ck_assert_int_eq(posdiff_segment(&sp, &n, c->text, strlen(c->text)), 0);
    got[0] = '\0';
    for (i = 0; i < n; i++) {
        ck_assert_uint_le(sp[i].start, sp[i].end);
        ck_assert_uint_ge(sp[i].start, off);
        off = sp[i].end;
        if (i)
            strcat(got, "|");
        strncat(got, c->text + sp[i].start, sp[i].end - sp[i].start);
    }
    free(sp);
    ck_assert_msg(strcmp(got, c->want) == 0, "segment(\"%s\"): got \"%s\", want \"%s\"",
                  c->text, got, c->want);
}

START_TEST(test_segment_cases)
{
    check_case(&cases[_i]);
}
END_TEST

/* Spans never include white space and cover all non-space bytes. */
START_TEST(test_segment_cover)
{
    const char *t = " Ab bb. Cc dd? Ee ff!  Gg \"hh.\" Ii jj";
    posdiff_span *sp;
    size_t n, i, k, covered = 0, nonspace = 0;

    ck_assert_int_eq(posdiff_segment(&sp, &n, t, strlen(t)), 0);
    ck_assert_uint_eq(n, 5);
    for (i = 0; i < n; i++) {
        ck_assert(t[sp[i].start] != ' ' && t[sp[i].end - 1] != ' ');
        for (k = sp[i].start; k < sp[i].end; k++)
            covered += t[k] != ' ';
    }
    for (k = 0; t[k]; k++)
        nonspace += t[k] != ' ';
    ck_assert_uint_eq(covered, nonspace);
    free(sp);
}
END_TEST

static Suite *segment_suite(void)
{
    Suite *s = suite_create("segment");
    TCase *tc = tcase_create("core");

    tcase_add_loop_test(tc, test_segment_cases, 0,
                        (int)(sizeof(cases) / sizeof(cases[0])));
    tcase_add_test(tc, test_segment_cover);
    suite_add_tcase(s, tc);
    return s;
}

TU_MAIN(segment_suite)
