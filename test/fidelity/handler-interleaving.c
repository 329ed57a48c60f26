/* a prints a line every 400 ms; b's SIGUSR1 at 600 ms runs a's handler, whose line comes between
 * "main 2" and "main 3". The handler is installed with signal() (glibc: sigaction with
 * SA_RESTART); the sleep sleeps its full time around it. */
#include "harness.h"

static void sleep_ms(long ms)
{
    struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
    while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
        ;
}

static void on_usr1(int sig)
{
    (void)sig;
    say("handler");
}

static int process_a(void)
{
    if (signal(SIGUSR1, on_usr1) == SIG_ERR)
        die("signal");
    wait_for_start();
    for (int i = 1; i <= 3; i++) {
        say("main %d", i);
        sleep_ms(400);
    }
    return 0;
}

static int process_b(pid_t a)
{
    wait_for_start();
    usleep(500000);
    say("signalling");
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
