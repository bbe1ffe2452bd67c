/*
 * pager.c - page output on a terminal, as git does: POSDIFF_PAGER, PAGER
 * or less (LESS=FRX unless set) runs as a child reading our stdout
 * through a pipe, never when stdout is not a terminal or with --no-pager.
 * At exit the output is checked and the pager waited for.  A reader that
 * quits early ends us with SIGPIPE, quietly, as git; with a pager a fatal
 * signal first waits for it, then is re-raised.
 *
 * A pager that cannot run is an error (exit 2), as in git.  A command of
 * one word is exec'd directly, with a close-on-exec pipe that reports a
 * failed exec before any output is written: the output then goes to the
 * terminal, not lost.  A command for the shell (spaces, quotes, pipes)
 * cannot report so; its shell's 126 or 127 is reported at exit.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"

static pid_t pager_pid = -1;
static int pager_failed;       /* it could not run: exit 2 at the end */
static char pager_lost[512];   /* the error for a shell pager that could not run */
static size_t pager_lost_len;
static const int fatal_signals[] = {SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGQUIT};

static const char *pager_command(void)
{
    const char *p = getenv("POSDIFF_PAGER");

    if (!p)
        p = getenv("PAGER");
    if (!p)
        p = "less";
    if (!*p || !strcmp(p, "cat"))
        return NULL;
    return p;
}

/* At exit: flush and close the output.  A write error (full disk, file
 * size limit) fails even a finished command (exit 2): a short output must
 * not pass for a whole one.  With a pager: close our end and wait for it. */
static void finish_output(void)
{
    int failed = fflush(stdout) != 0 || ferror(stdout);

    failed |= fclose(stdout) != 0;
    if (pager_pid > 0) {
        int status = 0;
        close(STDOUT_FILENO);
        while (waitpid(pager_pid, &status, 0) < 0 && errno == EINTR)
            ;
        pager_pid = -1;
        if (WIFEXITED(status) && (WEXITSTATUS(status) == 126 || WEXITSTATUS(status) == 127)) {
            fputs(pager_lost, stderr);
            _exit(CLI_ERROR);
        }
        return;
    }
    if (pager_failed && !failed)
        _exit(CLI_ERROR); /* reported when it failed; the output is whole */
    if (failed) {
        fprintf(stderr, "posdiff: error: cannot write the output: %s; nothing after the "
                        "last full line can be trusted\n", strerror(errno));
        _exit(CLI_ERROR);
    }
}

void cli_output_init(void)
{
    signal(SIGPIPE, SIG_DFL); /* a closed pager or `| head` ends us quietly */
    signal(SIGXFSZ, SIG_IGN); /* over a file size limit: a write error, reported */
    atexit(finish_output);
}

/* Async-signal-safe: close our end, wait for the pager, die of signo;
 * a pager whose shell could not run it (126, 127) is an error instead. */
static void wait_for_pager_signal(int signo)
{
    int status = 0;

    close(STDOUT_FILENO);
    if (pager_pid > 0)
        while (waitpid(pager_pid, &status, 0) < 0 && errno == EINTR)
            ;
    if (pager_pid > 0 && signo == SIGPIPE && WIFEXITED(status) &&
        (WEXITSTATUS(status) == 126 || WEXITSTATUS(status) == 127)) {
        if (write(STDERR_FILENO, pager_lost, pager_lost_len) < 0)
            _exit(CLI_ERROR);
        _exit(CLI_ERROR);
    }
    signal(signo, SIG_DFL);
    raise(signo);
}

static void catch_fatal_signals(void)
{
    for (size_t i = 0; i < sizeof(fatal_signals) / sizeof(*fatal_signals); i++)
        signal(fatal_signals[i], wait_for_pager_signal);
}

int cli_color_enabled(const cli_ctx *ctx)
{
    const char *nc = getenv("NO_COLOR"), *term = getenv("TERM");

    if (ctx->color && !strcmp(ctx->color, "always"))
        return 1;
    if (ctx->color && !strcmp(ctx->color, "never"))
        return 0;
    if (nc && *nc)
        return 0;
    /* decided on the terminal: it stays on once stdout is the pager's pipe */
    return (pager_pid > 0 || isatty(STDOUT_FILENO)) && !(term && !strcmp(term, "dumb"));
}

/* In the child: run @p cmd reading @p in; report a failed exec of a
 * one-word command on @p err (close-on-exec) as its errno. */
static void run_pager(const char *cmd, int in, int err)
{
    dup2(in, STDIN_FILENO);
    close(in);
    setenv("LESS", getenv("LESS") ? getenv("LESS") : "FRX", 1);
    setenv("LV", getenv("LV") ? getenv("LV") : "-c", 1);
    if (!cmd[strcspn(cmd, "|&;<>()$`\\\"' \t\n*?[#~=%")]) {
        int e;
        execlp(cmd, cmd, (char *)NULL);
        e = errno;
        if (write(err, &e, sizeof(e)) < 0)
            _exit(127);
        _exit(127);
    }
    execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
    _exit(127);
}

void cli_pager_start(const cli_ctx *ctx)
{
    const char *cmd = pager_command();
    int fd[2], ep[2], e = 0;

    if (ctx->no_pager || !cmd || !isatty(STDOUT_FILENO) || pipe(fd) < 0)
        return;
    if (pipe(ep) < 0 || fcntl(ep[1], F_SETFD, FD_CLOEXEC) < 0) {
        close(fd[0]);
        close(fd[1]);
        return;
    }
    fflush(stdout);
    if ((pager_pid = fork()) < 0) {
        close(fd[0]);
        close(fd[1]);
        close(ep[0]);
        close(ep[1]);
        return;
    }
    if (pager_pid == 0) {
        close(fd[1]);
        close(ep[0]);
        run_pager(cmd, fd[0], ep[1]);
    }
    close(fd[0]);
    close(ep[1]);
    if (read(ep[0], &e, sizeof(e)) == (ssize_t)sizeof(e)) { /* the exec failed */
        close(ep[0]);
        close(fd[1]);
        while (waitpid(pager_pid, NULL, 0) < 0 && errno == EINTR)
            ;
        pager_pid = -1;
        pager_failed = 1;
        fprintf(stderr, "posdiff: error: cannot run the pager '%s': %s; fix POSDIFF_PAGER or "
                        "PAGER, or use --no-pager (the output follows unpaged)\n", cmd, strerror(e));
        return;
    }
    close(ep[0]);
    snprintf(pager_lost, sizeof(pager_lost), "posdiff: error: the pager '%.200s' could not run "
             "(its shell failed), so the output was lost; fix POSDIFF_PAGER or PAGER, or use "
             "--no-pager\n", cmd);
    pager_lost_len = strlen(pager_lost);
    dup2(fd[1], STDOUT_FILENO);
    close(fd[1]);
    catch_fatal_signals();
}
