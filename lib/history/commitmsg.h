/*
 * commitmsg.h - internal: what a history commit says about its statement.
 *
 * The identity (author = committer), the date, the message with its
 * trailers, and the Posdiff-Input hash that lets an incremental build
 * recognise a commit whose inputs did not change.
 */
#ifndef POSDIFF_COMMITMSG_H
#define POSDIFF_COMMITMSG_H

#include <git2.h>

#include "util/buf.h"
#include "posdiff/corpus.h"

/** Hex length of a Posdiff-Input hash (a SHA-1). */
#define COMMITMSG_HEX 40

/**
 * Author and committer of @p st's commit: the speaker (else the venue,
 * else "posdiff"), sanitized for git; the email is a slug of that name
 * at statements.invalid; the time is the statement date, 00:00 UTC.
 * @param out  free with git_signature_free()
 */
int commitmsg_signature(git_signature **out, const posdiff_statement *st);

/** The message: title (or id), blank line, trailers (appends to @p out). */
int commitmsg_build(buf *out, const posdiff_statement *st, const char *input_hex);

/**
 * Read the Statement-Id and Posdiff-Input trailers of @p message.
 * @param id  malloc'ed, or NULL when the message has none
 * @param input  the hash, or "" when absent or malformed
 */
int commitmsg_parse(char **id, char input[COMMITMSG_HEX + 1], const char *message);

/** Hash of a catalog's canonical serialization (ids, titles, phrases). */
int commitmsg_catalog_hash(char out[COMMITMSG_HEX + 1], const posdiff_catalog *cat);

/** The git blob id (hex) of @p st's raw file, as `git hash-object` gives. */
int commitmsg_raw_hex(char out[GIT_OID_HEXSZ + 1], const posdiff_corpus *c,
                      const posdiff_statement *st);
/**
 * The Posdiff-Input hash of @p st: posdiff version, every manifest field
 * (strip rules included), the raw file's bytes and @p catalog_hex.
 */
int commitmsg_input_hash(char out[COMMITMSG_HEX + 1], const posdiff_corpus *c,
                         const posdiff_statement *st, const char *catalog_hex);
/** The same, given the hex blob id of the raw file (rawhash.c). */
int commitmsg_input_hash_raw(char out[COMMITMSG_HEX + 1],
                             const posdiff_statement *st, const char *raw_hex,
                             const char *catalog_hex);

#endif
