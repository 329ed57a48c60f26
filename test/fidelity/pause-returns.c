/* pause() sleeps until a signal handler has run, then returns (-1, EINTR). The handler is
 * installed with signal(), which in glibc is sigaction with SA_RESTART: pause is never restarted. */
#include "harness.h"

static void on_usr2(int sig)
{
    (void)sig;
    say("usr2");
}

static int process_a(void)
{
    if (signal(SIGUSR2, on_usr2) == SIG_ERR)
        die("signal");
    wait_for_start();
    say("before");
    pause();
    say("after");
    return 0;
}

static int process_b(pid_t a)
{
    wait_for_start();
    usleep(200000);
    say("sending");
    usleep(100000);
    kill(a, SIGUSR2);
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
