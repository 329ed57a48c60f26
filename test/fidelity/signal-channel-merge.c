/* A signal channel: b sends SIGUSR1, a counts deliveries in its handler and waits for one with
 * sigsuspend (SIGUSR1 blocked while it looks at the count, so none is lost in between). Three
 * SIGUSR1 sent while a is stopped are one delivery: a's second wait lasts until b's last send. */
#include "harness.h"

static volatile sig_atomic_t got;   /* deliveries not yet waited for */

static void on_usr1(int sig)
{
    (void)sig;
    got++;
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
    sa.sa_handler = on_usr1;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    if (sigaction(SIGUSR1, &sa, NULL) == -1)
        die("sigaction");
    wait_for_start();
    say("waiting");
    wait_usr1();
    say("got 1");
    wait_usr1();
    say("got 2");
    return 0;
}

static int process_b(pid_t a)
{
    wait_for_start();
    usleep(100000);
    kill(a, SIGSTOP);
    usleep(200000);
    kill(a, SIGUSR1);
    kill(a, SIGUSR1);
    kill(a, SIGUSR1);
    kill(a, SIGCONT);
    usleep(400000);
    say("sending again");
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
