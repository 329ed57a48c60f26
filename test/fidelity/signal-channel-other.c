/* a waits for SIGUSR1 (a signal channel: counted by its handler, waited for with sigsuspend).
 * b first sends SIGUSR2, which a also handles: sigsuspend returns after that handler, the count
 * of SIGUSR1 is still 0, and a waits again, until b's SIGUSR1. */
#include "harness.h"

static volatile sig_atomic_t got;   /* SIGUSR1 deliveries not yet waited for */

static void on_usr1(int sig)
{
    (void)sig;
    got++;
}

static void on_usr2(int sig)
{
    (void)sig;
    say("usr2");
}

static void wait_usr1(void)
{
    sigset_t block, old;
    sigemptyset(&block);
    sigaddset(&block, SIGUSR1);
    sigprocmask(SIG_BLOCK, &block, &old);
    while (got == 0)
        sigsuspend(&old);
    got--;
    sigprocmask(SIG_SETMASK, &old, NULL);
}

static int process_a(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    sa.sa_handler = on_usr1;
    if (sigaction(SIGUSR1, &sa, NULL) == -1)
        die("sigaction");
    sa.sa_handler = on_usr2;
    if (sigaction(SIGUSR2, &sa, NULL) == -1)
        die("sigaction");
    wait_for_start();
    say("waiting");
    wait_usr1();
    say("got sig");
    return 0;
}

static int process_b(pid_t a)
{
    wait_for_start();
    usleep(200000);
    kill(a, SIGUSR2);
    usleep(200000);
    say("sending");
    usleep(100000);
    kill(a, SIGUSR1);
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
