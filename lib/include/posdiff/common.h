/*
 * posdiff/common.h - error codes, library init, version.
 *
 * Every fallible function returns 0 on success or a negative
 * POSDIFF_E* code; the message is set once, where the failure happens,
 * and read with posdiff_error_last().  Messages follow the CLI contract
 * "FILE[:LINE:COL]: what is wrong; what to do".
 */
#ifndef POSDIFF_COMMON_H
#define POSDIFF_COMMON_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define POSDIFF_VERSION "0.1.0"

/* Marks the library's API: only these functions are exported from
 * libposdiff.so (it is built with hidden visibility). */
#if defined(__GNUC__)
#define POSDIFF_EXTERN __attribute__((visibility("default")))
#else
#define POSDIFF_EXTERN
#endif

typedef enum {
    POSDIFF_OK = 0,
    POSDIFF_ERROR = -1,     /**< generic failure */
    POSDIFF_ENOMEM = -2,    /**< out of memory */
    POSDIFF_ENOTFOUND = -3, /**< statement, position, file or revision missing */
    POSDIFF_EINVALID = -4,  /**< invalid input: manifest, date, id, argument */
    POSDIFF_EUTF8 = -5,     /**< input is not valid UTF-8 (or holds NUL) */
    POSDIFF_EGIT = -6,      /**< a libgit2 call failed; its message is kept */
    POSDIFF_EIO = -7,       /**< read/write/rename failed */
    POSDIFF_ELOCKED = -8,   /**< another posdiff holds the lock */
    POSDIFF_EEXISTS = -9,   /**< id, content or corpus already exists */
    POSDIFF_ELIMIT = -10,   /**< input over a configured size limit */
    POSDIFF_EEMPTY = -11    /**< input is empty or whitespace only */
} posdiff_error_code;

/**
 * Initialise libgit2 (and set its options: no user or system git
 * config, fsync of the history).  Call it before any function that
 * reaches libgit2: opening a corpus or reading its manifests (libgit2's
 * config parser), the history (posdiff_history_*, check, blame) and
 * posdiff_unified_diff().  Normalizing, segmenting, the word diff and
 * posdiff_compare() need no init, so a program that only compares
 * files can skip its cost (libgit2 loads the TLS CA bundle).  Calls
 * nest, like git_libgit2_init(): each successful call is balanced by
 * one posdiff_shutdown().  Not thread-safe: call it from one thread.
 * Returns 0 or POSDIFF_EGIT.
 */
POSDIFF_EXTERN int posdiff_init(void);
/** Release what posdiff_init() took. */
POSDIFF_EXTERN void posdiff_shutdown(void);

/** The message of the last error on this thread ("" if none). */
POSDIFF_EXTERN const char *posdiff_error_last(void);
/** The code of the last error on this thread (0 if none). */
POSDIFF_EXTERN int posdiff_error_code_last(void);
/** Forget the last error. */
POSDIFF_EXTERN void posdiff_error_clear(void);

/** Version string of the library ("0.1.0"). */
POSDIFF_EXTERN const char *posdiff_version(void);

/** Validate a date string (YYYY, YYYY-MM or YYYY-MM-DD); fills the
 *  first day for partial dates.  Returns 0 or POSDIFF_EINVALID. */
POSDIFF_EXTERN int posdiff_date_parse(int *year, int *month, int *day, const char *s);
/** 1 if @p id is a valid statement or position id ([a-z0-9][a-z0-9.-]*, no "..",
 *  at most 128 bytes), else 0. */
POSDIFF_EXTERN int posdiff_id_valid(const char *id);

#ifdef __cplusplus
}
#endif
#endif
