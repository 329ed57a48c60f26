/* Two different signals pending at once are both delivered. b stops a first, so both are pending
 * when a continues: the kernel sets up a frame for SIGUSR1 (the lower number) and then, since
 * SIGUSR2 is not blocked in that handler, one for SIGUSR2 on top of it: SIGUSR2's handler runs
 * first. Then pause() returns. */
#include "harness.h"

static void on_signal(int sig)
{
    say(sig == SIGUSR1 ? "usr1" : "usr2");
}

static int process_a(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    if (sigaction(SIGUSR1, &sa, NULL) == -1 || sigaction(SIGUSR2, &sa, NULL) == -1)
        die("sigaction");
    wait_for_start();
    say("ready");
    pause();
    say("after pause");
    return 0;
}

static int process_b(pid_t a)
{
    wait_for_start();
    usleep(100000);
    kill(a, SIGSTOP);
    usleep(100000);
    kill(a, SIGUSR1);
    kill(a, SIGUSR2);
    say("sent both");
    usleep(100000);
    kill(a, SIGCONT);
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
