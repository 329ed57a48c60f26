/* A standard signal sent three times to a stopped process is pending once: when the process is
 * continued, its handler runs once, and pause() returns. */
#include "harness.h"

static void on_usr1(int sig)
{
    (void)sig;
    say("usr1");
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
    say("ready");
    pause();
    say("woke");
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
    start_all();

    usleep(300000);   /* the server waits for a's "ready" */
    server_kill(a, SIGSTOP);
    wait_stopped(a);
    server_kill(a, SIGUSR1);
    server_kill(a, SIGUSR1);
    server_kill(a, SIGUSR1);
    server_kill(a, SIGCONT);
    return report();
}
