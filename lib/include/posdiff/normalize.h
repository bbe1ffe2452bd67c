/*
 * posdiff/normalize.h - raw statement text to normalized CommonMark.
 *
 * Pipeline (lib/normalize.c drives it):
 *   validate UTF-8, NUL, size, emptiness      (lib/utf8.c)
 *   BOM, CRLF/CR -> LF, NFC, noise spaces       (lib/textclean.c)
 *   strip rules (manifest `strip` globs)        (lib/textclean.c)
 *   page chrome: navigation lines, footers      (lib/chrome.c)
 *   repairs: hyphenation, page-break joins,
 *            missing spaces, quote spaces       (lib/repair.c)
 *   block structure: title, headings, lists     (lib/blocks.c)
 *   cmark AST, one sentence per line, render    (lib/mdrender.c, segment.c)
 *
 * Output: a front matter HTML comment block with the manifest fields,
 * then the body.  The whole output round-trips through cmark
 * (parse + cmark_render_commonmark(CMARK_OPT_DEFAULT, width 0)).
 */
#ifndef POSDIFF_NORMALIZE_H
#define POSDIFF_NORMALIZE_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Default size limit of a raw statement, in bytes (16 MiB). */
#define POSDIFF_MAX_STATEMENT_BYTES (16u * 1024u * 1024u)

/**
 * Normalized text is at most this many times the raw bytes it comes from,
 * plus its front matter (at most POSDIFF_FRONT_MATTER_ALLOWANCE bytes):
 * composing to NFC makes at most 3 bytes of 1 (U+1D160 is 12 bytes of
 * 4), a CommonMark escape 2 of 1 (`*` is `\*`), a space restored at a
 * quote 2 of 1; none applies twice to a byte.  The raw size limit
 * applies to raw text only; posdiff_read_statement reads a file up to
 * this multiple of it and takes one over the limit only when it is
 * normalized text, so posdiff's own output is never refused for its size.
 */
#define POSDIFF_NORMALIZED_GROWTH 4u
/** Bytes allowed for the front matter above the growth bound. */
#define POSDIFF_FRONT_MATTER_ALLOWANCE (64u * 1024u)

/** Front matter fields; any may be NULL (then omitted). */
typedef struct {
    const char *id;
    const char *date;
    const char *title;
    const char *venue;
    const char *speaker;
    const char *source;
} posdiff_meta;

typedef struct {
    unsigned int version;          /**< POSDIFF_NORMALIZE_OPTIONS_VERSION */
    const char *path;              /**< file name used in error messages */
    size_t max_bytes;              /**< 0 = POSDIFF_MAX_STATEMENT_BYTES */
    const char *const *strip;      /**< boilerplate line globs (fnmatch) */
    size_t strip_count;
    const posdiff_meta *meta;      /**< NULL = no front matter */
} posdiff_normalize_options;

#define POSDIFF_NORMALIZE_OPTIONS_VERSION 1
#define POSDIFF_NORMALIZE_OPTIONS_INIT {POSDIFF_NORMALIZE_OPTIONS_VERSION, NULL, 0, NULL, 0, NULL}

/** One piece of raw text that a rule removed (for --explain). */
typedef struct {
    size_t line;      /**< 1-based line in the raw input */
    size_t column;    /**< 1-based column (bytes) in that line */
    const char *text; /**< the removed text, NUL-terminated */
    const char *rule; /**< which rule: "strip: <glob>", "front-matter",
                           "navigation", "page-footer", "page-number" */
} posdiff_removal;

/**
 * One clean-up or repair the normalizer made without removing text (for
 * --explain): the same record as a removal, but @c text says what was
 * done ("byte order mark removed", "\"battle-\" + \"field\" joined as
 * \"battlefield\"") and @c rule is one of "bom", "crlf", "zero-width",
 * "nbsp", "curly-quotes", "hyphenation", "page-break", "missing-space",
 * "quote-space".  @c column is 0 when the change is of the whole line.
 */
typedef posdiff_removal posdiff_change;

typedef struct posdiff_normalized posdiff_normalized;

/**
 * Normalize one raw statement.
 *
 * @param out   receives a new result; free with posdiff_normalized_free()
 * @param raw   raw bytes (need not be NUL-terminated)
 * @param len   their length
 * @param opts  NULL for defaults
 * @return 0, POSDIFF_EUTF8 (invalid UTF-8 or NUL; message names line:col),
 *         POSDIFF_EEMPTY, POSDIFF_ELIMIT, POSDIFF_ENOMEM
 */
POSDIFF_EXTERN int posdiff_normalize(posdiff_normalized **out, const char *raw, size_t len,
                      const posdiff_normalize_options *opts);

/**
 * Read a statement's raw file: a regular file (a FIFO or a device is
 * refused, without blocking) of at most POSDIFF_MAX_BYTES bytes (the
 * environment variable: a number, or with a K, M or G suffix; default
 * POSDIFF_MAX_STATEMENT_BYTES).  A larger file, up to
 * POSDIFF_NORMALIZED_GROWTH times the limit (plus a front matter), is
 * taken when it is normalized text (its body normalizes to itself), as
 * posdiff's output of a statement under the limit is; this costs one
 * normalization of it.
 * @param out  malloc'ed, NUL-terminated
 * @return 0, POSDIFF_ENOTFOUND, POSDIFF_EINVALID (not a regular file, or
 *         POSDIFF_MAX_BYTES is no size), POSDIFF_ELIMIT, POSDIFF_EIO
 */
POSDIFF_EXTERN int posdiff_read_statement(char **out, size_t *len, const char *path);

/** The normalized Markdown (NUL-terminated; owned by @p n). */
POSDIFF_EXTERN const char *posdiff_normalized_text(const posdiff_normalized *n, size_t *len);
/** Byte offset in the text where the body starts (after the front matter). */
POSDIFF_EXTERN size_t posdiff_normalized_body_offset(const posdiff_normalized *n);
POSDIFF_EXTERN size_t posdiff_normalized_removal_count(const posdiff_normalized *n);
/** The i-th removal, in raw line order (owned by @p n). */
POSDIFF_EXTERN const posdiff_removal *posdiff_normalized_removal(const posdiff_normalized *n,
                                                  size_t i);
/** Number of changes (clean-ups and repairs), in raw line order. */
POSDIFF_EXTERN size_t posdiff_normalized_change_count(const posdiff_normalized *n);
/** The i-th change (owned by @p n), or NULL. */
POSDIFF_EXTERN const posdiff_change *posdiff_normalized_change(const posdiff_normalized *n,
                                                               size_t i);
POSDIFF_EXTERN void posdiff_normalized_free(posdiff_normalized *n);

#ifdef __cplusplus
}
#endif
#endif
