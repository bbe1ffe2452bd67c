/*
 * nossh.c - "SSH unavailable": the libssh2 calls libgit2.a makes,
 * answered without libssh2.  Linked into the posdiff program only when
 * it links libgit2 statically (cli/meson.build, -Dstatic_deps), where
 * these definitions keep the linker from taking libssh2.a's objects.
 *
 * Why.  libgit2.a's ssh:// transport references 37 libssh2 functions;
 * libssh2.a in turn pulls most of libcrypto.a (its BIGNUM, EC, DSA, RSA,
 * EVP and provider code): 3.3 MB of code and 350 KB of pointer tables
 * that the dynamic loader relocates (a page fault per page) at every
 * start, 0.4 ms of each `posdiff diff` on the benchmark machine.
 * posdiff never talks to a remote (it reads and writes local
 * repositories only), so no SSH call is ever made but libssh2_init,
 * which git_libgit2_init calls and which succeeds here.  Were a session
 * ever opened, it fails the way libssh2 fails to allocate one: libgit2
 * reports "failed to initialize SSH session"; every other call fails too.
 *
 * Prototypes: <libssh2.h>, installed with libssh2.a (libssh2-1-dev).
 */
#include <string.h>

#include <libssh2.h>

#define UNAVAILABLE LIBSSH2_ERROR_METHOD_NOT_SUPPORTED

static const char message[] = "SSH is not available in posdiff (no remotes)";

int libssh2_init(int flags)
{
    return 0;
}

void libssh2_exit(void)
{
}

LIBSSH2_SESSION *libssh2_session_init_ex(LIBSSH2_ALLOC_FUNC((*my_alloc)),
                                         LIBSSH2_FREE_FUNC((*my_free)),
                                         LIBSSH2_REALLOC_FUNC((*my_realloc)),
                                         void *abstract)
{
    return NULL;
}

int libssh2_session_last_error(LIBSSH2_SESSION *session, char **errmsg,
                               int *errmsg_len, int want_buf)
{
    if (errmsg) /* want_buf: the caller owns (frees) a copy, as with libssh2 */
        *errmsg = want_buf ? strdup(message) : (char *)message;
    if (errmsg_len)
        *errmsg_len = (int)sizeof(message) - 1;
    return UNAVAILABLE;
}

/* ---- never reached without a session: each fails ---- */

void **libssh2_session_abstract(LIBSSH2_SESSION *session)
{
    return NULL;
}

int libssh2_session_free(LIBSSH2_SESSION *session)
{
    return 0;
}

int libssh2_session_disconnect_ex(LIBSSH2_SESSION *session, int reason,
                                  const char *description, const char *lang)
{
    return UNAVAILABLE;
}

int libssh2_session_handshake(LIBSSH2_SESSION *session, libssh2_socket_t sock)
{
    return UNAVAILABLE;
}

const char *libssh2_session_hostkey(LIBSSH2_SESSION *session, size_t *len, int *type)
{
    if (len)
        *len = 0;
    return NULL;
}

int libssh2_session_method_pref(LIBSSH2_SESSION *session, int method_type,
                                const char *prefs)
{
    return UNAVAILABLE;
}

void libssh2_session_set_blocking(LIBSSH2_SESSION *session, int blocking)
{
}

const char *libssh2_hostkey_hash(LIBSSH2_SESSION *session, int hash_type)
{
    return NULL;
}

int libssh2_userauth_authenticated(LIBSSH2_SESSION *session)
{
    return 0;
}

char *libssh2_userauth_list(LIBSSH2_SESSION *session, const char *username,
                            unsigned int username_len)
{
    return NULL;
}

int libssh2_userauth_password_ex(LIBSSH2_SESSION *session, const char *username,
                                 unsigned int username_len, const char *password,
                                 unsigned int password_len,
                                 LIBSSH2_PASSWD_CHANGEREQ_FUNC((*passwd_change_cb)))
{
    return UNAVAILABLE;
}

int libssh2_userauth_keyboard_interactive_ex(
    LIBSSH2_SESSION *session, const char *username, unsigned int username_len,
    LIBSSH2_USERAUTH_KBDINT_RESPONSE_FUNC((*response_callback)))
{
    return UNAVAILABLE;
}

int libssh2_userauth_publickey(LIBSSH2_SESSION *session, const char *username,
                               const unsigned char *pubkeydata, size_t pubkeydata_len,
                               LIBSSH2_USERAUTH_PUBLICKEY_SIGN_FUNC((*sign_callback)),
                               void **abstract)
{
    return UNAVAILABLE;
}

int libssh2_userauth_publickey_fromfile_ex(LIBSSH2_SESSION *session,
                                           const char *username,
                                           unsigned int username_len,
                                           const char *publickey,
                                           const char *privatekey,
                                           const char *passphrase)
{
    return UNAVAILABLE;
}

int libssh2_userauth_publickey_frommemory(LIBSSH2_SESSION *session,
                                          const char *username, size_t username_len,
                                          const char *publickeyfiledata,
                                          size_t publickeyfiledata_len,
                                          const char *privatekeyfiledata,
                                          size_t privatekeyfiledata_len,
                                          const char *passphrase)
{
    return UNAVAILABLE;
}

LIBSSH2_AGENT *libssh2_agent_init(LIBSSH2_SESSION *session)
{
    return NULL;
}

int libssh2_agent_connect(LIBSSH2_AGENT *agent)
{
    return UNAVAILABLE;
}

int libssh2_agent_list_identities(LIBSSH2_AGENT *agent)
{
    return UNAVAILABLE;
}

int libssh2_agent_get_identity(LIBSSH2_AGENT *agent,
                               struct libssh2_agent_publickey **store,
                               struct libssh2_agent_publickey *prev)
{
    return UNAVAILABLE;
}

int libssh2_agent_userauth(LIBSSH2_AGENT *agent, const char *username,
                           struct libssh2_agent_publickey *identity)
{
    return UNAVAILABLE;
}

int libssh2_agent_disconnect(LIBSSH2_AGENT *agent)
{
    return 0;
}

void libssh2_agent_free(LIBSSH2_AGENT *agent)
{
}

LIBSSH2_KNOWNHOSTS *libssh2_knownhost_init(LIBSSH2_SESSION *session)
{
    return NULL;
}

int libssh2_knownhost_readfile(LIBSSH2_KNOWNHOSTS *hosts, const char *filename, int type)
{
    return UNAVAILABLE;
}

int libssh2_knownhost_checkp(LIBSSH2_KNOWNHOSTS *hosts, const char *host, int port,
                             const char *key, size_t keylen, int typemask,
                             struct libssh2_knownhost **knownhost)
{
    return LIBSSH2_KNOWNHOST_CHECK_FAILURE;
}

void libssh2_knownhost_free(LIBSSH2_KNOWNHOSTS *hosts)
{
}

LIBSSH2_CHANNEL *libssh2_channel_open_ex(LIBSSH2_SESSION *session,
                                         const char *channel_type,
                                         unsigned int channel_type_len,
                                         unsigned int window_size,
                                         unsigned int packet_size,
                                         const char *message_, unsigned int message_len)
{
    return NULL;
}

int libssh2_channel_process_startup(LIBSSH2_CHANNEL *channel, const char *request,
                                    unsigned int request_len, const char *msg,
                                    unsigned int msg_len)
{
    return UNAVAILABLE;
}

ssize_t libssh2_channel_read_ex(LIBSSH2_CHANNEL *channel, int stream_id, char *buf,
                                size_t buflen)
{
    return UNAVAILABLE;
}

ssize_t libssh2_channel_write_ex(LIBSSH2_CHANNEL *channel, int stream_id,
                                 const char *buf, size_t buflen)
{
    return UNAVAILABLE;
}

void libssh2_channel_set_blocking(LIBSSH2_CHANNEL *channel, int blocking)
{
}

int libssh2_channel_close(LIBSSH2_CHANNEL *channel)
{
    return UNAVAILABLE;
}

int libssh2_channel_free(LIBSSH2_CHANNEL *channel)
{
    return 0;
}
