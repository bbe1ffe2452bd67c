/*
 * sha1.c - SHA-1 with OpenSSL's low-level functions.
 *
 * Why not libgit2 (git_odb_hash): its SHA-1 detects collisions
 * (SHA1DC), several times slower, and a build hashes every tree of a
 * long history (gigabytes at 10 000 statements).  The ids are the same.
 * Why not EVP: a context allocation and a provider lookup per object,
 * and a static link pulls in the whole provider machinery; SHA1_Update
 * uses the same SHA-NI / AVX2 code.  The low-level functions are
 * deprecated in OpenSSL 3 but kept, and this is their intended use.
 */
#define OPENSSL_SUPPRESS_DEPRECATED 1
#include "sha1.h"

#include <stdio.h>

void sha1_init(sha1_ctx *c)
{
    SHA1_Init(c);
}

void sha1_update(sha1_ctx *c, const void *data, size_t len)
{
    if (len)
        SHA1_Update(c, data, len);
}

void sha1_final(unsigned char out[20], sha1_ctx *c)
{
    SHA1_Final(out, c);
}

void sha1_object_id(unsigned char out[20], const char *type, const void *data, size_t len)
{
    char head[64];
    int n = snprintf(head, sizeof(head), "%s %zu", type, len);
    sha1_ctx c;

    sha1_init(&c);
    sha1_update(&c, head, (size_t)n + 1);
    sha1_update(&c, data, len);
    sha1_final(out, &c);
}
