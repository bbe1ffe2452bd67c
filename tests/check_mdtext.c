/*
 * check_mdtext.c - lib/mdtext.c writes text nodes itself instead of
 * cmark's CommonMark renderer: its output must be cmark's, byte for
 * byte, on everything (every printable ASCII pair in paragraphs and
 * headings, digits and list-marker characters at line starts, the
 * placeholder character in the input, links, emphasis, code, lists,
 * quotes, entities, and the shipped statements read as Markdown).  This
 * is the guard against a cmark version that escapes differently.
 */
#include <dirent.h>

#include <cmark.h>

#include "check_util.h"
#include "normalize/mdtext.h"

/* cmark's rendering of @p md and mdtext's, compared. */
static void same(const char *md)
{
    cmark_node *a = cmark_parse_document(md, strlen(md), CMARK_OPT_DEFAULT);
    cmark_node *b = cmark_parse_document(md, strlen(md), CMARK_OPT_DEFAULT);
    char *want = cmark_render_commonmark(a, CMARK_OPT_DEFAULT, 0), *got = NULL;
    size_t len = 0;

    ck_assert_int_eq(mdtext_render(&got, &len, b), 0);
    ck_assert_msg(len == strlen(want) && !memcmp(got, want, len),
                  "input [%s]\ncmark  [%s]\nmdtext [%.*s]", md, want, (int)len, got);
    free(want);
    free(got);
    cmark_node_free(a);
    cmark_node_free(b);
}

START_TEST(test_mdtext_ascii_pairs)
{
    char md[64];

    for (int a = 0x20; a < 0x7f; a++)
        for (int b = 0x20; b < 0x7f; b++)
            for (int form = 0; form < 4; form++) {
                static const char *const pre[] = {"x", "# x", "- x", "> x"};
                snprintf(md, sizeof(md), "%s%c%c\n", pre[form], a, b);
                same(md);
            }
}
END_TEST

START_TEST(test_mdtext_line_starts)
{
    static const char *const starts[] = {"1", "12", "1.", "1)", "-", "+", "=", ".", ")", "#",
                                         "*", "_", "`", "~", "<", "&", "!", "[", "\\", " "};
    static const char *const ends[] = {"", "2", ". x", ") y", " - z", "\xc3\xa9", "&amp;", "0."};
    char md[64];

    for (size_t i = 0; i < sizeof(starts) / sizeof(*starts); i++)
        for (size_t j = 0; j < sizeof(ends) / sizeof(*ends); j++) {
            snprintf(md, sizeof(md), "a\n\n%s%s\n", starts[i], ends[j]);
            same(md);
            snprintf(md, sizeof(md), "# %s%s\n\n1. %s%s\n", starts[i], ends[j], starts[i], ends[j]);
            same(md);
        }
}
END_TEST

START_TEST(test_mdtext_structures_and_fallback)
{
    static const char *const docs[] = {
        "",
        "plain text\n",
        "Two\nlines in a paragraph.\n",
        "A [link](http://x.org \"t\") and <http://auto.link> and *em* **strong** `code`.\n",
        "Text with \xee\x80\x80 (the placeholder) in it.\n",
        "Entity &#57344; makes the placeholder.\n",
        "<!-- front matter \xee\x80\x80 -->\n\nBody.\n",
        "&#65535; &#xFFFE; &#0; &#127;\n",
        "Text ending in a digit 7\n\n- item 1\n- item 2.\n\n1. first\n2) second\n",
        "> quote 1.\n> > nested *x* 2\n",
        "```\ncode \xee\x80\x80 *x*\n```\n\n    indented\n",
        "Header\n======\n\nSub\n---\n",
        "a\\\nb  \nc\n",
        "<div>\nhtml \xee\x80\x80\n</div>\n\ntext\n",
        "![img](u) [ref]\n\n[ref]: http://r.org\n",
        "\xe4\xb8\xad\xe6\x96\x87 text \xe2\x80\x94 dash, \xe2\x80\x9cquotes\xe2\x80\x9d 9\n",
        "* * *\n\n1.5 is a number. 2020. New sentence.\n",
    };

    for (size_t i = 0; i < sizeof(docs) / sizeof(*docs); i++)
        same(docs[i]);
}
END_TEST

START_TEST(test_mdtext_shipped_statements)
{
    const char *dir = tu_src("corpus/statements");
    char base[4096], path[8192];
    struct dirent *e;
    DIR *d;
    int n = 0;

    snprintf(base, sizeof(base), "%s", dir);
    ck_assert_ptr_nonnull(d = opendir(base));
    while ((e = readdir(d)) != NULL) {
        char *text;
        if (!strstr(e->d_name, ".txt"))
            continue;
        snprintf(path, sizeof(path), "%s/%s", base, e->d_name);
        text = tu_read_file(path, NULL);
        same(text);
        free(text);
        n++;
    }
    closedir(d);
    ck_assert_int_ge(n, 5);
}
END_TEST

static Suite *mdtext_suite(void)
{
    Suite *s = suite_create("mdtext");
    TCase *tc = tcase_create("same as cmark");

    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_mdtext_ascii_pairs);
    tcase_add_test(tc, test_mdtext_line_starts);
    tcase_add_test(tc, test_mdtext_structures_and_fallback);
    tcase_add_test(tc, test_mdtext_shipped_statements);
    suite_add_tcase(s, tc);
    return s;
}

TU_MAIN(mdtext_suite)
