/*
 * normalize.c - raw statement bytes to normalized CommonMark.
 *
 * Drives the stages in order: size and UTF-8 checks at the door, clean
 * lines (textclean.c), front matter of an already normalized input and
 * manifest strip rules (textclean.c, each removal recorded), repairs
 * (repair.c), block structure (blocks.c) and the cmark rendering with
 * one sentence per line (mdrender.c).
 *
 * Settling.  The stages are heuristics (page-break joins, missing
 * spaces, title and list detection) and their interplay can make a
 * second run change what the first produced (the fuzzer finds such
 * inputs).  So the body of the first result is run through the same
 * stages again, without rules, until it no longer changes (at most
 * SETTLE_PASSES more runs).  A body that came out of this loop is a
 * fixed point: normalizing it again gives it back, which is the
 * idempotence contract, by construction rather than case by case.
 * Removals are those of the first run (later runs apply no rules).
 */
#include <stdlib.h>
#include <string.h>

#include "blocks.h"
#include "errors.h"
#include "mdrender.h"
#include "posdiff/normalize.h"
#include "repair.h"
#include "textclean.h"
#include "utf8.h"

struct posdiff_normalized {
    char *text;      /* normalized Markdown, NUL-terminated */
    size_t len;      /* bytes in text */
    size_t body;     /* offset of the body (after the front matter) */
    tc_removals rem; /* what rules removed, in input order */
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

/* Clean, strip and repair: the lines blocks_build() reads. */
static int prepare(tc_lines *l, int *mode, tc_removals *rem, const char *raw,
                   size_t len, const posdiff_normalize_options *o)
{
    int err;

    if ((err = textclean_split(l, raw, len)) < 0 ||
        (err = textclean_front_matter(l, raw, rem)) < 0)
        return err;
    if (o && o->strip_count > 0 &&
        (err = textclean_strip(l, raw, o->strip, o->strip_count, rem)) < 0)
        return err;
    if (textclean_is_empty(l))
        return empty_error(o && o->path ? o->path : "<input>");
    if ((err = repair_spaces(l)) < 0)
        return err;
    *mode = blocks_line_mode(l);
    return repair_joins(l, *mode);
}

#define SETTLE_PASSES 3

static int normalize_once(posdiff_normalized **out, const char *raw, size_t len,
                          const posdiff_normalize_options *opts)
{
    const char *path = opts && opts->path ? opts->path : "<input>";
    posdiff_normalized *n = NULL;
    tc_lines lines = {NULL, 0, 0};
    block_list blocks = {NULL, 0, 0};
    int err, mode = 0;

    *out = NULL;
    if ((err = check_input(raw, len, opts, path)) < 0)
        return err;
    if (!(n = calloc(1, sizeof(*n))))
        return error_oom();
    if ((err = prepare(&lines, &mode, &n->rem, raw, len, opts)) < 0 ||
        (err = blocks_build(&blocks, &lines, mode)) < 0)
        goto done;
    if (blocks.n == 0) {
        err = empty_error(path);
        goto done;
    }
    err = mdrender(&n->text, &n->len, &n->body, &blocks,
                   opts ? opts->meta : NULL);
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

/* Run the body through the stages until it is a fixed point. */
static int settle(posdiff_normalized *n, const posdiff_normalize_options *opts)
{
    posdiff_normalize_options o = POSDIFF_NORMALIZE_OPTIONS_INIT;

    o.path = opts ? opts->path : NULL;
    o.max_bytes = (size_t)-1; /* the first run checked the size */
    for (int pass = 0; pass < SETTLE_PASSES; pass++) {
        const char *body = n->text + n->body;
        size_t blen = n->len - n->body;
        posdiff_normalized *m = NULL;
        int err, same;

        if (normalize_once(&m, body, blen, &o) < 0) {
            posdiff_error_clear(); /* keep the first result */
            return 0;
        }
        same = m->len == blen && !memcmp(m->text, body, blen);
        err = same ? 0 : replace_body(n, m->text, m->len);
        posdiff_normalized_free(m);
        if (same || err < 0)
            return err;
    }
    return 0;
}

int posdiff_normalize(posdiff_normalized **out, const char *raw, size_t len,
                      const posdiff_normalize_options *opts)
{
    int err = normalize_once(out, raw, len, opts);

    if (err == 0 && (err = settle(*out, opts)) < 0) {
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

void posdiff_normalized_free(posdiff_normalized *n)
{
    if (!n)
        return;
    free(n->text);
    tc_removals_free(&n->rem);
    free(n);
}
