/*
 * errors.h - internal: setting the thread's last error.
 */
#ifndef POSDIFF_ERRORS_H
#define POSDIFF_ERRORS_H

#include "posdiff/common.h"

#if defined(__GNUC__)
#define POSDIFF_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define POSDIFF_PRINTF(a, b)
#endif

/** Set the last error; returns @p code so callers can `return error_set(...)`. */
int error_set(int code, const char *fmt, ...) POSDIFF_PRINTF(2, 3);
/** Set POSDIFF_EGIT with libgit2's last message appended after @p fmt. */
int error_git(const char *fmt, ...) POSDIFF_PRINTF(1, 2);
/** Set POSDIFF_EIO with strerror(errno) appended. */
int error_io(const char *fmt, ...) POSDIFF_PRINTF(1, 2);
/** Prefix the current message: "<fmt...>: <old message>"; keeps @p code. */
int error_wrap(int code, const char *fmt, ...) POSDIFF_PRINTF(2, 3);
/** Set POSDIFF_ENOMEM. */
int error_oom(void);

#endif
