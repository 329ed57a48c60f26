/* a spins until its handler sets a flag. The flag is volatile sig_atomic_t: without volatile the
 * compiler may read it once, before the loop, and a would spin for ever. */
#include "harness.h"

static volatile sig_atomic_t done = 0;

static void on_usr1(int sig)
{
    (void)sig;
    done = 1;
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
    say("spinning");
    while (done == 0)
        ;
    say("done");
    return 0;
}

static int process_b(pid_t a)
{
    wait_for_start();
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
