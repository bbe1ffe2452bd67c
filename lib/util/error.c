/*
 * error.c - the thread's last error, and library init.
 *
 * The message lives in a thread-local fixed buffer: setting an error
 * never allocates, so it works when memory ran out.
 *
 * posdiff_init() initialises libgit2 (which, built with TLS, loads the
 * CA bundle: 2-4 ms; the posdiff program links a stand-in for that part,
 * cli/notls.c); only what reaches libgit2 needs it, so a program calls
 * it when it is about to use one of those parts (the manifest's libgit2
 * roads call it themselves).  Calls nest: each posdiff_init() is
 * balanced by one posdiff_shutdown(), and a posdiff_shutdown() without
 * one is a no-op.  They may come from several threads (a lock guards
 * the count).
 */
#include "errors.h"

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <git2.h>

static _Thread_local char last_msg[1024];
static _Thread_local int last_code;
static int init_count; /* posdiff_init() calls not yet shut down */
static pthread_mutex_t init_lock = PTHREAD_MUTEX_INITIALIZER; /* guards init_count */

POSDIFF_PRINTF(3, 0)
static int set_v(int code, const char *suffix, const char *fmt, va_list ap)
{
    int n = vsnprintf(last_msg, sizeof(last_msg), fmt, ap);
    if (n < 0)
        n = 0;
    if (suffix && (size_t)n < sizeof(last_msg))
        snprintf(last_msg + n, sizeof(last_msg) - (size_t)n, "%s", suffix);
    last_code = code;
    return code;
}

int error_set(int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    set_v(code, NULL, fmt, ap);
    va_end(ap);
    return code;
}

int error_wrap(int code, const char *fmt, ...)
{
    char old[sizeof(last_msg)], prefix[sizeof(last_msg)];
    va_list ap;

    memcpy(old, last_msg, sizeof(old));
    va_start(ap, fmt);
    vsnprintf(prefix, sizeof(prefix), fmt, ap);
    va_end(ap);
    return error_set(code, "%s: %s", prefix, old);
}

int error_git(const char *fmt, ...)
{
    char suffix[512];
    const git_error *e = git_error_last();
    va_list ap;

    snprintf(suffix, sizeof(suffix), ": %s", e && e->message ? e->message : "libgit2 error");
    va_start(ap, fmt);
    set_v(POSDIFF_EGIT, suffix, fmt, ap);
    va_end(ap);
    return POSDIFF_EGIT;
}

int error_io(const char *fmt, ...)
{
    char suffix[256];
    va_list ap;

    snprintf(suffix, sizeof(suffix), ": %s", strerror(errno));
    va_start(ap, fmt);
    set_v(POSDIFF_EIO, suffix, fmt, ap);
    va_end(ap);
    return POSDIFF_EIO;
}

int error_oom(void)
{
    return error_set(POSDIFF_ENOMEM, "out of memory");
}

const char *posdiff_error_last(void)
{
    return last_msg;
}

int posdiff_error_code_last(void)
{
    return last_code;
}

void posdiff_error_clear(void)
{
    last_msg[0] = '\0';
    last_code = 0;
}

const char *posdiff_version(void)
{
    return POSDIFF_VERSION;
}

static int init_libgit2(void)
{
    if (git_libgit2_init() < 0)
        return error_git("cannot initialise libgit2");
    /* Reproducibility: never read the user's or system git config. */
    git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, GIT_CONFIG_LEVEL_SYSTEM, "");
    git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, GIT_CONFIG_LEVEL_XDG, "");
    git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, GIT_CONFIG_LEVEL_GLOBAL, "");
    git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, GIT_CONFIG_LEVEL_PROGRAMDATA, "");
    /* Durability: packs, indexes and refs reach the disk before the ref
     * moves, so a power cut cannot leave a ref to missing objects. */
    git_libgit2_opts(GIT_OPT_ENABLE_FSYNC_GITDIR, 1);
    /* Bounded memory: a walk over a long history touches the whole pack;
     * libgit2 maps it in 1 GiB windows and keeps them, and every page
     * read stays resident (log at 10 000 statements: 134 MiB).  Small
     * windows under a mapped limit let it unmap as it goes (60 MiB, as
     * fast). */
    git_libgit2_opts(GIT_OPT_SET_MWINDOW_SIZE, (size_t)8 << 20);
    git_libgit2_opts(GIT_OPT_SET_MWINDOW_MAPPED_LIMIT, (size_t)32 << 20);
    /* The same for commits: posdiff reads each once (the chain, its
     * index), and libgit2's object cache would keep them all, about 1 KB
     * each (a first build at 100 000 statements: 303 -> 208 MiB). */
    git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, GIT_OBJECT_COMMIT, (size_t)0);
    return 0;
}

int posdiff_init(void)
{
    int error = 0;

    pthread_mutex_lock(&init_lock);
    if (init_count > 0 || (error = init_libgit2()) == 0)
        init_count++;
    pthread_mutex_unlock(&init_lock);
    return error;
}

void posdiff_shutdown(void)
{
    pthread_mutex_lock(&init_lock);
    if (init_count > 0 && --init_count == 0)
        git_libgit2_shutdown();
    pthread_mutex_unlock(&init_lock);
}
