/*
 * posdiff/segment.h - sentence segmentation of plain text.
 *
 * A boundary is placed after . ! ? (and any closing quotes/brackets)
 * followed by whitespace and a sentence start, except after known
 * abbreviations (Mr. Mrs. Ms. Dr. No. U.N. U.S. e.g. i.e. vs. St. Art.
 * para. Jan. ... Dec.), single-letter initials, and leading item numbers
 * (I. iv) (a) 1.).  Decimals such as 3.5 never split (no space).
 */
#ifndef POSDIFF_SEGMENT_H
#define POSDIFF_SEGMENT_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A half-open byte range [start, end) in the text given. */
typedef struct {
    size_t start;
    size_t end;
} posdiff_span;

/**
 * Split @p text into sentences.  Spans exclude surrounding whitespace;
 * together with whitespace they cover the text in order.
 *
 * @param out    receives a malloc'ed array; free with free()
 * @param count  receives the number of spans
 * @return 0 or POSDIFF_ENOMEM
 */
POSDIFF_EXTERN int posdiff_segment(posdiff_span **out, size_t *count, const char *text,
                    size_t len);

#ifdef __cplusplus
}
#endif
#endif
