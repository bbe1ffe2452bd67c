/*
 * normalize.c - raw statement bytes to normalized CommonMark.
 *
 * Drives the stages: size and UTF-8 checks, clean lines and strip rules
 * (textclean.c), page chrome (chrome.c), repairs (hyphen.c, repair.c),
 * blocks (blocks.c) and the rendering one sentence per line
 * (mdrender.c).  The first run records what it removed and what it
 * changed, by raw line (--explain).  The body is then run through the
 * stages again, without rules, until it no longer changes (at most
 * SETTLE_PASSES; a text that does not settle is POSDIFF_ELIMIT), so the
 * result is a fixed point: normalizing it again gives it back.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "blocks.h"
#include "chrome.h"
#include "util/errors.h"
#include "util/fileio.h"
#include "mdrender.h"
#include "posdiff/normalize.h"
#include "repair.h"
#include "textclean.h"
#include "util/utf8.h"

struct posdiff_normalized {
    char *text;      /* normalized Markdown, NUL-terminated */
    size_t len;      /* bytes in text */
    size_t body;     /* offset of the body (after the front matter) */
    tc_removals rem; /* what rules removed, in raw line order */
    tc_removals chg; /* what cleaning and repairs changed (posdiff_change) */
};

static int check_input(const char *raw, size_t len,
                       const posdiff_normalize_options *o, const char *path)
{
    size_t max = o && o->max_bytes ? o->max_bytes : POSDIFF_MAX_STATEMENT_BYTES;

    if (o && o->version != POSDIFF_NORMALIZE_OPTIONS_VERSION)
        return error_set(POSDIFF_EINVALID, "%s: normalize options version %u is not %u; rebuild against this posdiff",
                         path, o->version, POSDIFF_NORMALIZE_OPTIONS_VERSION);
    if (len > max)
        return error_set(POSDIFF_ELIMIT, "%s: file is %zu bytes, over the limit of %zu bytes; split the statement or raise the limit",
                         path, len, max);
    return utf8_validate(raw, len, path);
}

static int empty_error(const char *path)
{
    return error_set(POSDIFF_EEMPTY, "%s: statement is empty or white space only; add its text or remove the entry",
                     path);
}

/* Clean, strip and drop the page chrome: the lines the repairs read. */
static int clean(tc_lines *l, tc_removals *rem, tc_removals *chg, const char *raw,
                 size_t len, const posdiff_normalize_options *o)
{
    int err;

    if ((err = textclean_split(l, raw, len)) < 0 ||
        (err = textclean_notes(l, raw, len, chg)) < 0 ||
        (err = textclean_front_matter(l, raw, rem)) < 0)
        return err;
    if (o && o->strip_count > 0 &&
        (err = textclean_strip(l, raw, o->strip, o->strip_count, rem)) < 0)
        return err;
    if ((err = chrome_navigation(l, rem)) < 0 || (err = chrome_footers(l, rem)) < 0)
        return err;
    if (textclean_is_empty(l))
        return empty_error(o && o->path ? o->path : "<input>");
    return 0;
}

/* Clean and repair: the lines blocks_build() reads.  @p chg is NULL
 * when the changes are not wanted (the settling passes). */
static int prepare(tc_lines *l, int *mode, tc_removals *rem, tc_removals *chg,
                   const char *raw, size_t len, const posdiff_normalize_options *o)
{
    int err;

    if ((err = clean(l, rem, chg, raw, len, o)) < 0 ||
        (err = repair_hyphens(l, chg)) < 0 || (err = repair_spaces(l, chg)) < 0)
        return err;
    *mode = blocks_line_mode(l);
    if ((err = repair_joins(l, *mode, chg)) < 0)
        return err;
    return repair_quotes(l, *mode, chg);
}

#define SETTLE_PASSES 32

/*
 * The stages up to the intermediate Markdown (mdrender_intermediate):
 * *out gets the removals, *md the Markdown (malloc'ed), for
 * mdrender_markdown() to render.
 */
static int normalize_md(posdiff_normalized **out, char **md, size_t *mdlen,
                        const char *raw, size_t len,
                        const posdiff_normalize_options *opts, int changes)
{
    const char *path = opts && opts->path ? opts->path : "<input>";
    posdiff_normalized *n = NULL;
    tc_lines lines = {NULL, 0, 0};
    block_list blocks = {NULL, 0, 0};
    int err, mode = 0;

    *out = NULL;
    *md = NULL;
    if ((err = check_input(raw, len, opts, path)) < 0)
        return err;
    if (!(n = calloc(1, sizeof(*n))))
        return error_oom();
    if ((err = prepare(&lines, &mode, &n->rem, changes ? &n->chg : NULL, raw, len,
                       opts)) < 0 ||
        (err = blocks_build(&blocks, &lines, mode)) < 0)
        goto done;
    tc_removals_sort(&n->rem);
    tc_removals_sort(&n->chg);
    if (blocks.n == 0) {
        err = empty_error(path);
        goto done;
    }
    err = mdrender_intermediate(md, mdlen, &blocks);
done:
    tc_lines_free(&lines);
    blocks_free(&blocks);
    if (err < 0)
        posdiff_normalized_free(n);
    else
        *out = n;
    return err;
}

/* Replace the body of @p n (keeping its front matter) by @p body. */
static int replace_body(posdiff_normalized *n, const char *body, size_t blen)
{
    char *t = malloc(n->body + blen + 1);

    if (!t)
        return error_oom();
    memcpy(t, n->text, n->body);
    memcpy(t + n->body, body, blen);
    t[n->body + blen] = '\0';
    free(n->text);
    n->text = t;
    n->len = n->body + blen;
    return 0;
}

/*
 * One settling pass: is the body of @p n a fixed point (*same), else
 * the next body into @p n.  @p md is the intermediate Markdown the body
 * was rendered from; on return it is that of the new body.
 *
 * The body is the rendering of *md (mdrender_markdown is a function of
 * the Markdown alone, and the front matter of the first run does not
 * change how cmark renders the blocks after it: an HTML block leaves
 * the renderer at the start of a line, as at the start of a document),
 * so when this pass builds the same Markdown, its rendering is the body
 * again: the fixed point is known without running cmark.  That is the
 * common case, and it saves the parse and the rendering of this pass.
 */
static int settle_pass(posdiff_normalized *n, char **md, size_t *mdlen,
                       const posdiff_normalize_options *o, int *same)
{
    const char *body = n->text + n->body;
    size_t blen = n->len - n->body, mlen = 0, off = 0, len2 = 0;
    posdiff_normalized *m = NULL;
    char *md2 = NULL, *text = NULL;
    int err = 0;

    *same = 1;
    err = normalize_md(&m, &md2, &len2, body, blen, o, 0);
    if (err == POSDIFF_EEMPTY)
        goto done; /* only markup was left ("# #" is an empty heading): empty */
    if (err < 0) {
        err = 0;
        goto failed;
    }
    if (len2 == *mdlen && !memcmp(md2, *md, len2))
        goto done; /* same Markdown: same body */
    if (mdrender_markdown(&text, &mlen, &off, md2, len2, NULL) < 0)
        goto failed;
    *same = mlen == blen && !memcmp(text, body, blen);
    if ((err = *same ? 0 : replace_body(n, text, mlen)) == 0) {
        free(*md);
        *md = md2;
        *mdlen = len2;
        md2 = NULL;
    }
    goto done;
failed:
    posdiff_error_clear(); /* keep the result so far */
done:
    posdiff_normalized_free(m);
    free(md2);
    free(text);
    return err;
}

/* Run the body through the stages until it is a fixed point. */
static int settle(posdiff_normalized *n, char **md, size_t *mdlen,
                  const posdiff_normalize_options *opts)
{
    posdiff_normalize_options o = POSDIFF_NORMALIZE_OPTIONS_INIT;
    int err = 0, same = 0;

    o.path = opts ? opts->path : NULL;
    o.max_bytes = (size_t)-1; /* the first run checked the size */
    for (int pass = 0; pass < SETTLE_PASSES && !same && err == 0; pass++)
        err = settle_pass(n, md, mdlen, &o, &same);
    if (err == 0 && !same)
        err = error_set(POSDIFF_ELIMIT, "%s: the text does not settle into stable Markdown "
                        "(still changing after %d runs; long runs of Markdown punctuation "
                        "such as ***** do that); remove or shorten them",
                        o.path ? o.path : "input", SETTLE_PASSES);
    return err;
}

int posdiff_normalize(posdiff_normalized **out, const char *raw, size_t len,
                      const posdiff_normalize_options *opts)
{
    char *md = NULL;
    size_t mdlen = 0;
    int err = normalize_md(out, &md, &mdlen, raw, len, opts, 1);

    if (err == 0)
        err = mdrender_markdown(&(*out)->text, &(*out)->len, &(*out)->body,
                                md, mdlen, opts ? opts->meta : NULL);
    if (err == 0)
        err = settle(*out, &md, &mdlen, opts);
    free(md);
    if (err < 0) {
        posdiff_normalized_free(*out);
        *out = NULL;
    }
    return err;
}

const char *posdiff_normalized_text(const posdiff_normalized *n, size_t *len)
{
    if (len)
        *len = n ? n->len : 0;
    return n && n->text ? n->text : "";
}

size_t posdiff_normalized_body_offset(const posdiff_normalized *n)
{
    return n ? n->body : 0;
}

size_t posdiff_normalized_removal_count(const posdiff_normalized *n)
{
    return n ? n->rem.n : 0;
}

const posdiff_removal *posdiff_normalized_removal(const posdiff_normalized *n,
                                                  size_t i)
{
    return n && i < n->rem.n ? &n->rem.v[i] : NULL;
}

size_t posdiff_normalized_change_count(const posdiff_normalized *n)
{
    return n ? n->chg.n : 0;
}

const posdiff_change *posdiff_normalized_change(const posdiff_normalized *n, size_t i)
{
    return n && i < n->chg.n ? &n->chg.v[i] : NULL;
}

void posdiff_normalized_free(posdiff_normalized *n)
{
    if (!n)
        return;
    free(n->text);
    tc_removals_free(&n->rem);
    tc_removals_free(&n->chg);
    free(n);
}

/* Where the body of @p text starts: after a posdiff front matter
 * ("<!-- posdiff\n" ... "\n-->\n" and blank lines), else 0. */
static size_t front_matter_end(const char *text, size_t len)
{
    static const char open[] = "<!-- posdiff\n";
    const char *p;

    if (len < sizeof(open) - 1 || memcmp(text, open, sizeof(open) - 1) ||
        !(p = strstr(text, "\n-->\n")))
        return 0;
    for (p += 5; *p == '\n'; p++)
        ;
    return (size_t)(p - text);
}

/* Is @p text normalized text: its body (after the front matter, if any)
 * a fixed point of posdiff_normalize?  Sets no error. */
static int is_normalized(const char *text, size_t len, const char *path)
{
    posdiff_normalize_options o = POSDIFF_NORMALIZE_OPTIONS_INIT;
    posdiff_normalized *n = NULL;
    size_t body = front_matter_end(text, len), nlen = 0;
    const char *t;
    int same;

    o.path = path;
    o.max_bytes = (size_t)-1; /* the caller bounded the size */
    if (posdiff_normalize(&n, text + body, len - body, &o) < 0) {
        posdiff_error_clear();
        return 0;
    }
    t = posdiff_normalized_text(n, &nlen);
    same = nlen == len - body && memcmp(t, text + body, nlen) == 0;
    posdiff_normalized_free(n);
    return same;
}

int posdiff_read_statement(char **out, size_t *len, const char *path)
{
    size_t max = max_bytes_env(POSDIFF_MAX_STATEMENT_BYTES), cap;
    int err;

    *out = NULL;
    *len = 0;
    if (max == 0)
        return error_set(POSDIFF_EINVALID, "POSDIFF_MAX_BYTES=%s: not a size; give bytes, "
                         "or a number with K, M or G", getenv("POSDIFF_MAX_BYTES"));
    /* normalized text may be over the raw limit (escapes, NFC): it is
     * read up to what the normalizer can make of max raw bytes */
    cap = max <= (SIZE_MAX - POSDIFF_FRONT_MATTER_ALLOWANCE) / POSDIFF_NORMALIZED_GROWTH
              ? max * POSDIFF_NORMALIZED_GROWTH + POSDIFF_FRONT_MATTER_ALLOWANCE
              : SIZE_MAX;
    if ((err = read_file_capped(out, len, path, cap, max)) < 0 || *len <= max ||
        is_normalized(*out, *len, path))
        return err;
    err = error_set(POSDIFF_ELIMIT, "%s: file is %zu bytes, over the limit of %zu bytes; split the statement or raise POSDIFF_MAX_BYTES",
                    path, *len, max);
    free(*out);
    *out = NULL;
    *len = 0;
    return err;
}
