/* A sleep of 600 ms: nanosleep returns early (EINTR) when a handler runs, with the time left in
 * its second argument; sleeping that again makes the whole 600 ms. a wakes after b's line at
 * 400 ms, not at the signal at 200 ms. */
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
    say("sleeping");
    sleep_ms(600);
    say("awake");
    return 0;
}

static int process_b(pid_t a)
{
    wait_for_start();
    usleep(200000);
    kill(a, SIGUSR1);
    usleep(200000);
    say("b at 400 ms");
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
