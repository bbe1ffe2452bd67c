/*
 * tokenize.h - internal: split text into word and punctuation tokens.
 *
 * A word is a run of letters, marks and digits; an apostrophe, hyphen,
 * period or comma between two alphanumerics stays inside the word
 * ("don't", "cross-border", "3.5", "1,000", "U.N" + "." handled as
 * word "U.N" then "."?  no: "U.N." -> word "U.N" and punct ".").
 * Every other non-space character is a one-character punctuation token.
 * The whitespace after a token is attached to it (ws_len), and leading
 * whitespace of the text is attached to a zero-length first token only
 * if present (kind TOKEN_SPACE), so tokens always tile the text.
 */
#ifndef POSDIFF_TOKENIZE_H
#define POSDIFF_TOKENIZE_H

#include <stddef.h>
#include <stdint.h>

typedef enum { TOKEN_WORD = 0, TOKEN_PUNCT = 1, TOKEN_SPACE = 2 } token_kind;

typedef struct {
    size_t start;   /* byte offset of the token in the text */
    uint32_t len;   /* bytes of the token itself */
    uint32_t ws_len;/* bytes of whitespace following it */
    token_kind kind;
    uint32_t hash;  /* FNV-1a of the token bytes (not the whitespace) */
} token;

/**
 * Tokenize @p s.  @p out receives a malloc'ed array (free with free()).
 * Returns 0 or POSDIFF_ENOMEM.
 */
int tokenize(token **out, size_t *count, const char *s, size_t len);

/**
 * The word tokens of @p s one at a time, exactly those tokenize() gives
 * kind TOKEN_WORD, without allocating.  Start with *pos = 0; each call
 * returns 1 and sets the word's @p start and @p wlen, or 0 at the end.
 */
int tokenize_next_word(const char *s, size_t len, size_t *pos, size_t *start,
                       size_t *wlen);

/**
 * 1 if the word s[0..n) is an English function word ("the", "of", "and";
 * ASCII case ignored): words that say little about what a sentence
 * says.  The aligner leaves them out of a passage's features; the word
 * diff may fold an equality made only of them into the change.
 */
int token_is_function_word(const char *s, size_t n);

#endif
