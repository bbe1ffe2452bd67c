/*
 * lock.c - advisory locks: flock(LOCK_EX|LOCK_NB) polled until a deadline.
 */
#include "lock.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

#include "errors.h"

static long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int lock_acquire(file_lock *l, const char *path, int timeout_ms,
                 const char *what)
{
    long deadline;
    int fd;

    if (timeout_ms <= 0) {
        const char *env = getenv("POSDIFF_LOCK_TIMEOUT_MS");
        timeout_ms = env ? atoi(env) : 30000;
        if (timeout_ms <= 0)
            timeout_ms = 1;
    }
    fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0)
        return error_io("%s: cannot open lock file", path);
    deadline = now_ms() + timeout_ms;
    while (flock(fd, LOCK_EX | LOCK_NB) < 0) {
        if (errno != EWOULDBLOCK && errno != EINTR) {
            close(fd);
            return error_io("%s: cannot lock", path);
        }
        if (now_ms() >= deadline) {
            close(fd);
            return error_set(POSDIFF_ELOCKED,
                             "%s: another posdiff is updating the %s (waited %d ms); "
                             "wait for it to finish and run the command again",
                             path, what, timeout_ms);
        }
        usleep(20000);
    }
    l->fd = fd;
    return 0;
}

void lock_release(file_lock *l)
{
    if (l->fd >= 0) {
        flock(l->fd, LOCK_UN);
        close(l->fd);
        l->fd = -1;
    }
}
