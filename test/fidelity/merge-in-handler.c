/* While a handler runs, its own signal is blocked (sigaction adds it to the mask unless
 * SA_NODEFER): three SIGUSR1 sent during the handler are pending once, so the handler runs
 * twice in all. The main program's sleep, interrupted, sleeps the rest of its time. */
#include "harness.h"

/* Sleeps ms milliseconds, all of them: nanosleep stops early when a handler runs, so sleep the rest. */
static void sleep_ms(long ms)
{
    struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
    while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
        ;
}

static void on_usr1(int sig)
{
    (void)sig;
    say("in");
    sleep_ms(300);
    say("out");
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
    say("ready");
    sleep_ms(500);
    say("done");
    return 0;
}

static int process_b(pid_t a)
{
    usleep(100000);
    kill(a, SIGUSR1);
    usleep(100000);
    kill(a, SIGUSR1);
    kill(a, SIGUSR1);
    kill(a, SIGUSR1);
    say("sent 4");
    return 0;
}

int main(void)
{
    own_group();
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
    return report();
}
