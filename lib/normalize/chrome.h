/*
 * chrome.h - internal: drop the page chrome of web pages and PDFs.
 */
#ifndef POSDIFF_CHROME_H
#define POSDIFF_CHROME_H

#include "textclean.h"

/** Drop navigation lines before the first line of text, recording each. */
int chrome_navigation(tc_lines *l, tc_removals *r);

/** Drop running page footers and page numbers, recording each. */
int chrome_footers(tc_lines *l, tc_removals *r);

/** 1 if s starts with a lowercase letter (Unicode category Ll). */
int chrome_starts_lower(const char *s, size_t len);

/** 1 if s ends with . ! ? : before any closing quotes and brackets. */
int chrome_ends_sentence(const char *s, size_t len);

#endif
