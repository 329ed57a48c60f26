/* The receiver of a signal channel catches the channel's signal and counts it. Here that signal
 * is SIGSTOP, which no process can catch: sigaction(2) fails with EINVAL, and a, which stops on a
 * failed call, ends with status 1 ("sigaction: Invalid argument"). b's kill() later finds a gone:
 * ESRCH, status 1. */
#include "harness.h"

static volatile sig_atomic_t got;

static void on_stop(int sig)
{
    (void)sig;
    got++;
}

static int process_a(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    if (sigaction(SIGSTOP, &sa, NULL) == -1)
        die("sigaction");
    wait_for_start();
    say("waiting");
    while (got == 0)
        pause();
    say("got it");
    return 0;
}

static int process_b(pid_t a)
{
    wait_for_start();
    usleep(200000);
    if (kill(a, SIGSTOP) == -1)
        die("kill");
    say("sent");
    return 0;
}

int main(void)
{
    begin();
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
        exit(process_b(a));
    }
    child(b, "b");
    start_all();
    return report();
}
