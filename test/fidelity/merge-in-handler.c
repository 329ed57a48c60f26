/* While a handler runs, its own signal is blocked (sigaction adds it to the mask unless
 * SA_NODEFER): three SIGUSR1 sent during the handler (b waits until the handler says it has
 * started, on the ack pipe) are pending once, so the handler runs twice in all. The main
 * program's sleep, interrupted, sleeps the rest of its time afterwards. */
#include "harness.h"

/* Sleeps ms milliseconds, all of them: nanosleep stops early when a handler runs, so sleep the rest. */
static void sleep_ms(long ms)
{
    struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
    while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
        ;
}

static int ack[2];   /* a -> b: "my handler has started" */

static void on_usr1(int sig)
{
    (void)sig;
    say("in");
    if (write(ack[1], "x", 1) == -1)
        _exit(1);
    sleep_ms(400);
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
    close(ack[0]);
    wait_for_start();
    say("ready");
    sleep_ms(300);
    say("done");
    return 0;
}

static int process_b(pid_t a)
{
    char c;
    close(ack[1]);
    wait_for_start();
    usleep(100000);
    kill(a, SIGUSR1);
    if (read(ack[0], &c, 1) == -1)
        die("read");
    usleep(100000);
    kill(a, SIGUSR1);   /* three while the handler runs */
    kill(a, SIGUSR1);
    kill(a, SIGUSR1);
    say("sent 4");
    if (read(ack[0], &c, 1) == -1)   /* the second run's ack: the pipe keeps a reader until then */
        die("read");
    return 0;
}

int main(void)
{
    begin();
    if (pipe(ack) == -1)
        die("pipe");
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
    close(ack[0]);
    close(ack[1]);
    start_all();
    return report();
}
