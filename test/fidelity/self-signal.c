/* A process that signals itself: if the signal is not blocked, it is delivered before kill()
 * returns (POSIX), so a's handler runs before its next line. k has no handler for SIGTERM: it
 * dies in its kill() and never prints its next line. */
#include "harness.h"

static void on_usr1(int sig)
{
    (void)sig;
    say("handler");
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
    say("before");
    kill(getpid(), SIGUSR1);
    say("after");
    return 0;
}

static int process_k(void)
{
    wait_for_start();
    say("before");
    kill(getpid(), SIGTERM);
    say("not reached");
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
    pid_t k = fork();
    if (k == -1)
        die("fork");
    if (k == 0) {
        me = "k";
        exit(process_k());
    }
    child(k, "k");
    start_all();
    return report();
}
