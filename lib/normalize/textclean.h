/*
 * textclean.h - internal: raw bytes to clean lines, strip rules.
 *
 * The normalization stages share a line list: one entry per line of the
 * raw input (blank lines kept as ""), each remembering its raw line and
 * the byte column where its text starts, so removals can be reported
 * against the raw file.
 */
#ifndef POSDIFF_TEXTCLEAN_H
#define POSDIFF_TEXTCLEAN_H

#include <stddef.h>

#include "posdiff/normalize.h"
#include "util/errors.h"

typedef struct {
    char *text;      /* cleaned line, NUL-terminated, malloc'ed */
    size_t len;      /* bytes in text */
    size_t raw_line; /* 1-based line in the raw input */
    size_t raw_col;  /* 1-based byte column of its first non-space char */
    size_t raw_off;  /* byte range of the line in the raw input (no EOL) */
    size_t raw_end;
} tc_line;

typedef struct {
    tc_line *v;
    size_t n, cap;
} tc_lines;

typedef struct {
    posdiff_removal *v; /* text and rule are malloc'ed */
    size_t n, cap;
} tc_removals;

/** Append a line taking ownership of @p text (freed on failure). */
int tc_lines_push(tc_lines *l, char *text, size_t len, size_t raw_line);
/** Replace line @p i's text with a copy of s[0..n). */
int tc_line_set(tc_line *line, const char *s, size_t n);
/** Drop line @p i (frees its text). */
void tc_lines_remove(tc_lines *l, size_t i);
/** Line a := a (its last @p drop bytes cut) + @p sep + b; lines a+1..b go. */
int tc_lines_join(tc_lines *l, size_t a, size_t b, size_t drop, const char *sep);
void tc_lines_free(tc_lines *l);

int tc_removals_add(tc_removals *r, size_t line, size_t col, const char *text,
                    size_t len, const char *rule);
/** Sort by raw line, column, rule and text (a stable report order). */
void tc_removals_sort(tc_removals *r);
void tc_removals_free(tc_removals *r);

/**
 * Record a change (a posdiff_change) at raw @p line, @p col: @p rule and
 * the text printf'ed from @p fmt.  Nothing when @p r is NULL (changes
 * are not wanted).
 */
int tc_note(tc_removals *r, size_t line, size_t col, const char *rule,
            const char *fmt, ...) POSDIFF_PRINTF(5, 6);

/**
 * Split validated UTF-8 into clean lines: BOM dropped, CRLF/CR -> LF,
 * NFC, Zs/tab -> ' ', zero-width chars removed, curly quotes straight,
 * spaces collapsed, lines trimmed.
 */
int textclean_split(tc_lines *out, const char *raw, size_t len);

/**
 * Record in @p changes what textclean_split() cleaned in each raw line:
 * the BOM, zero-width characters, non-breaking spaces, curly quotes
 * (one change per line and kind, with a count), and CRLF or CR line
 * ends (one change for the file, at the first such line).
 */
int textclean_notes(const tc_lines *l, const char *raw, size_t len,
                    tc_removals *changes);

/** Remove line @p i of @p l, recording its text under @p rule. */
int textclean_remove_line(tc_lines *l, size_t i, const char *rule,
                          tc_removals *r);

/** Remove lines matching a glob whole (fnmatch), recording each. */
int textclean_strip(tc_lines *l, const char *raw, const char *const *globs,
                    size_t nglobs, tc_removals *r);

/** Remove a leading "<!-- posdiff ... -->" front matter, recording it. */
int textclean_front_matter(tc_lines *l, const char *raw, tc_removals *r);

/** 1 if no line has text. */
int textclean_is_empty(const tc_lines *l);

#endif
