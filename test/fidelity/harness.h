/*
 * harness.h: the glue every fidelity program shares, and nothing else. It installs no handler,
 * blocks no signal and sets no flag: how a process behaves is all in its own .c file. It only
 * labels what the processes print and how they end, so that test/fidelity.test.ts can compare
 * it with the playground's run of NAME.json:
 *
 *   say("got %s", m)   one line "[a] got hi\n" on stdout in one write(2), whole even when
 *                      processes write at once (as the playground's `print` in a handler:
 *                      snprintf into a buffer, then write);
 *   die("msgrcv")      perror and exit(1), as the playground's C does on a failed call;
 *   begin()            main() first: it puts itself in a process group of its own, as a shell
 *                      with job control does with each command it starts (the test can kill
 *                      the group if a case hangs), and makes the start line;
 *   wait_for_start()   each child, once its handlers are installed and its ends open: waits
 *                      until every process is ready, so that all start together, as the
 *                      playground's processes do (none is signalled before its handler is in);
 *   start_all()        main(), after the last fork(): the children start;
 *   child(pid, "a")    main() remembers the name of a child it forked;
 *   server_kill(a, SIG) main() says "[server] kill a SIGSTOP" and sends it with kill(2);
 *   wait_stopped(a)    main() waits (up to 1.5 s) until child a is stopped, with
 *                      waitpid(WUNTRACED), and says so: "[server] a stopped";
 *   report()           main() waits for every child and prints "a: exited 0" or
 *                      "a: killed by SIGTERM", as `npm run scenario` prints the playground's.
 *
 * main() plays the part of the playground's server: what the test does to a run from outside
 * (Run.signal), main() does with kill(2), and says "[server] ..." as the test logs it.
 */
#ifndef FIDELITY_HARNESS_H
#define FIDELITY_HARNESS_H

#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* each program uses some of these, not all */
#define HARNESS static __attribute__((unused))

/* This process's name in its lines: main() is the server; each child sets its own after fork(). */
static const char *me = "server";

HARNESS void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
HARNESS void say(const char *fmt, ...)
{
    char line[512];
    int saved_errno = errno;
    int n = snprintf(line, sizeof line, "[%s] ", me);
    va_list ap;
    va_start(ap, fmt);
    n += vsnprintf(line + n, sizeof line - n - 1, fmt, ap);
    va_end(ap);
    if (n > (int)sizeof line - 1)
        n = (int)sizeof line - 1;
    line[n++] = '\n';
    if (write(STDOUT_FILENO, line, (size_t)n) == -1)
        _exit(1);
    errno = saved_errno;
}

HARNESS void die(const char *what)
{
    perror(what);
    exit(1);
}

/* The start line: each child reads it until end of file, which comes once main() and every
 * child have closed its write end. */
static int start_line[2];

HARNESS void begin(void)
{
    if (setpgid(0, 0) == -1)
        die("setpgid");
    if (pipe(start_line) == -1)
        die("pipe");
}

HARNESS void wait_for_start(void)
{
    char c;
    close(start_line[1]);
    if (read(start_line[0], &c, 1) == -1)
        die("read start_line");
    close(start_line[0]);
}

HARNESS void start_all(void)
{
    close(start_line[0]);
    close(start_line[1]);
}

static struct {
    const char *name;
    pid_t pid;
    int status;
    int done;
} kids[16];
static int nkids;

HARNESS void child(pid_t pid, const char *name)
{
    kids[nkids].name = name;
    kids[nkids].pid = pid;
    nkids++;
}

HARNESS const char *signal_name(int sig)
{
    static char other[16];
    switch (sig) {
    case SIGHUP: return "SIGHUP";
    case SIGINT: return "SIGINT";
    case SIGQUIT: return "SIGQUIT";
    case SIGKILL: return "SIGKILL";
    case SIGUSR1: return "SIGUSR1";
    case SIGUSR2: return "SIGUSR2";
    case SIGPIPE: return "SIGPIPE";
    case SIGALRM: return "SIGALRM";
    case SIGTERM: return "SIGTERM";
    case SIGCHLD: return "SIGCHLD";
    case SIGCONT: return "SIGCONT";
    case SIGSTOP: return "SIGSTOP";
    case SIGTSTP: return "SIGTSTP";
    case SIGWINCH: return "SIGWINCH";
    }
    snprintf(other, sizeof other, "signal %d", sig);
    return other;
}

HARNESS int kid_of(pid_t pid)
{
    for (int i = 0; i < nkids; i++)
        if (kids[i].pid == pid)
            return i;
    return -1;
}

HARNESS void server_kill(pid_t pid, int sig)
{
    say("kill %s %s", kids[kid_of(pid)].name, signal_name(sig));
    if (kill(pid, sig) == -1)
        die("kill");
}

HARNESS void wait_stopped(pid_t pid)
{
    int k = kid_of(pid), st;
    for (int waited = 0; waited < 1500; waited += 5) {
        pid_t r = waitpid(pid, &st, WUNTRACED | WNOHANG);
        if (r == -1)
            die("waitpid");
        if (r == pid && WIFSTOPPED(st)) {
            say("%s stopped", kids[k].name);
            return;
        }
        if (r == pid) {   /* it ended instead: keep its status for report() */
            kids[k].status = st;
            kids[k].done = 1;
            break;
        }
        struct timespec ts = { 0, 5000000 };
        nanosleep(&ts, NULL);
    }
    say("%s did not stop", kids[k].name);
}

HARNESS int report(void)
{
    for (int i = 0; i < nkids; i++) {
        while (!kids[i].done) {
            if (waitpid(kids[i].pid, &kids[i].status, 0) == kids[i].pid)
                kids[i].done = 1;
            else if (errno != EINTR)
                die("waitpid");
        }
    }
    for (int i = 0; i < nkids; i++) {
        int st = kids[i].status;
        if (WIFEXITED(st))
            printf("%s: exited %d\n", kids[i].name, WEXITSTATUS(st));
        else
            printf("%s: killed by %s\n", kids[i].name, signal_name(WTERMSIG(st)));
    }
    return 0;
}

#endif
