/* a installs its SIGALRM handler without SA_RESTART: alarm(1) interrupts read(2) of an empty pipe,
 * which fails with EINTR. a then blocks SIGUSR1 and sends it to itself: it stays pending until
 * sigsuspend() with an empty mask lets it in (the handler runs, sigsuspend returns -1 EINTR).
 * b writes 1.8 s after the start; a, back to a plain read, gets it. */
#include "harness.h"

static int fds[2];

static void on_alrm(int sig)
{
    (void)sig;
    say("alarm");
}

static void on_usr1(int sig)
{
    (void)sig;
    say("usr1");
}

static void catch(int sig, void (*h)(int), int flags)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = h;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = flags;
    if (sigaction(sig, &sa, NULL) == -1)
        die("sigaction");
}

static int process_a(void)
{
    char m[1025];
    sigset_t mask;
    ssize_t n;
    catch(SIGALRM, on_alrm, 0);
    catch(SIGUSR1, on_usr1, SA_RESTART);
    close(fds[1]);
    wait_for_start();
    alarm(1);
    n = read(fds[0], m, 1024);
    if (n == -1 && errno == EINTR)
        say("read: EINTR");
    sigemptyset(&mask);
    sigaddset(&mask, SIGUSR1);
    if (sigprocmask(SIG_BLOCK, &mask, NULL) == -1)
        die("sigprocmask");
    if (kill(getpid(), SIGUSR1) == -1)
        die("kill");
    say("pending");
    sigemptyset(&mask);
    sigsuspend(&mask);
    say("after suspend");
    sigaddset(&mask, SIGUSR1);
    if (sigprocmask(SIG_UNBLOCK, &mask, NULL) == -1)
        die("sigprocmask");
    n = read(fds[0], m, 1024);
    if (n == -1)
        die("read");
    m[n] = '\0';
    say("got %s", m);
    return 0;
}

static int process_b(void)
{
    close(fds[0]);
    wait_for_start();
    usleep(1800000);
    if (write(fds[1], "late", 4) == -1)
        die("write");
    return 0;
}

int main(void)
{
    begin();
    if (pipe(fds) == -1)
        die("pipe");
    pid_t a = fork();
    if (a == -1)
        die("fork");
    if (a == 0) {
        me = "a";
        exit(process_a());
    }
    child(a, "a");
    pid_t b = fork();
    if (b == -1)
        die("fork");
    if (b == 0) {
        me = "b";
        exit(process_b());
    }
    child(b, "b");
    close(fds[0]);
    close(fds[1]);
    start_all();
    return report();
}
