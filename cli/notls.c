/*
 * notls.c - "TLS unavailable": the functions of libgit2's mbedTLS stream
 * (src/libgit2/streams/mbedtls.c) that the rest of libgit2.a calls,
 * answered without mbedTLS.  Linked into the posdiff program only when
 * it links libgit2 statically (cli/meson.build, -Dstatic_deps), where
 * these definitions keep the linker from taking that object, and with
 * it mbedTLS's TLS and X.509 code.
 *
 * Why.  git_libgit2_init calls git_mbedtls_stream_global_init, which
 * seeds a CTR-DRBG from the system's entropy and parses the whole CA
 * bundle (/etc/ssl/certs/ca-certificates.crt: base64 and X.509 of about
 * 140 certificates): 3.4 ms of CPU in every process that opens a corpus
 * or a history (a program calling only git_libgit2_init: 3.9 ms, 0.5 ms
 * without), more than the rest of `posdiff add` on the benchmark
 * machine.  posdiff never talks to a remote (it reads and writes local
 * repositories only), so no TLS stream is ever made.  Here the global
 * init succeeds and does nothing; were a stream ever asked for (an
 * https:// remote), or the CA locations set (git_libgit2_opts with
 * GIT_OPT_SET_SSL_CERT_LOCATIONS), the call fails with a libgit2 error:
 * "TLS is not available in posdiff (no remotes)".
 *
 * These are libgit2-internal symbols, named and declared as in libgit2
 * 1.5.1's src/libgit2/streams/mbedtls.h (Debian's libgit2.a, built with
 * GIT_MBEDTLS); cli/meson.build links this file only after a program
 * using it links, initialises libgit2, creates a repository and gets
 * this error back from git_libgit2_opts.
 */
#include <stddef.h>

#include <git2.h>
#include <git2/sys/stream.h>

static const char no_tls_message[] = "TLS is not available in posdiff (no remotes)";

int git_mbedtls_stream_global_init(void);
int git_mbedtls__set_cert_location(const char *file, const char *path);
int git_mbedtls_stream_new(git_stream **out, const char *host, const char *port);
int git_mbedtls_stream_wrap(git_stream **out, git_stream *in, const char *host);

static int no_tls(git_stream **out)
{
    if (out)
        *out = NULL;
    git_error_set_str(GIT_ERROR_SSL, no_tls_message);
    return -1;
}

/* git_libgit2_init: nothing to set up, no shutdown to register. */
int git_mbedtls_stream_global_init(void)
{
    return 0;
}

int git_mbedtls__set_cert_location(const char *file, const char *path)
{
    return no_tls(NULL);
}

int git_mbedtls_stream_new(git_stream **out, const char *host, const char *port)
{
    return no_tls(out);
}

/* `in` stays the caller's: libgit2's HTTP client closes and frees it. */
int git_mbedtls_stream_wrap(git_stream **out, git_stream *in, const char *host)
{
    return no_tls(out);
}
