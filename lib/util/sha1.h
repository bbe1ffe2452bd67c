/*
 * sha1.h - SHA-1 of byte strings and git object ids (internal; see sha1.c).
 */
#ifndef POSDIFF_SHA1_H
#define POSDIFF_SHA1_H

#include <stddef.h>

#include <openssl/sha.h>

typedef SHA_CTX sha1_ctx;

void sha1_init(sha1_ctx *c);
void sha1_update(sha1_ctx *c, const void *data, size_t len);
void sha1_final(unsigned char out[20], sha1_ctx *c);

/** The id git gives object "<type> <len>\0" + data (type "blob", "tree", ...). */
void sha1_object_id(unsigned char out[20], const char *type, const void *data, size_t len);

#define SHA1_IDS_MAX 4

/**
 * The ids of @p n (at most SHA1_IDS_MAX) objects of type @p type at
 * once (sha1x2.c: SHA-1 streams interleaved; four: ~2.6x the throughput
 * of four in a row), into out[0..n).
 */
void sha1_object_ids(unsigned char (*out)[20], const char *type, const void *const *data,
                     const size_t *len, size_t n);
/** The same for two. */
void sha1_object_id2(unsigned char out1[20], unsigned char out2[20], const char *type,
                     const void *d1, size_t n1, const void *d2, size_t n2);

#endif
