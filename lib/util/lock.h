/*
 * lock.h - internal: advisory file locks with flock(2).
 *
 * The kernel drops the lock when the holder dies, so a killed posdiff
 * never leaves a stale lock behind (unlike O_EXCL lock files).
 */
#ifndef POSDIFF_LOCK_H
#define POSDIFF_LOCK_H

typedef struct {
    int fd; /* -1 when not held */
} file_lock;

#define FILE_LOCK_INIT {-1}

/**
 * Take an exclusive lock on @p path (created if missing), waiting up to
 * @p timeout_ms (<= 0: 30000).  @p what names the resource in the error.
 * Returns 0 or POSDIFF_ELOCKED / POSDIFF_EIO.
 */
int lock_acquire(file_lock *l, const char *path, int timeout_ms,
                 const char *what);
void lock_release(file_lock *l);

#endif
