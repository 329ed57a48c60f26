/* SIGUSR2's handler says it has started (on the ack pipe) and sleeps; b's SIGUSR1 comes during
 * it and, not being blocked there (sa_mask is empty: only SIGUSR2 itself is), its handler runs
 * inside SIGUSR2's. Then SIGUSR2's handler sleeps the rest of its time, and pause() returns once
 * it has returned. */
#include "harness.h"

static void sleep_ms(long ms)
{
    struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
    while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
        ;
}

static int ack[2];   /* a -> b: "my SIGUSR2 handler has started" */

static void on_usr2(int sig)
{
    (void)sig;
    say("in usr2");
    if (write(ack[1], "x", 1) == -1)
        _exit(1);
    sleep_ms(400);
    say("out usr2");
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
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    sa.sa_handler = on_usr2;
    if (sigaction(SIGUSR2, &sa, NULL) == -1)
        die("sigaction");
    sa.sa_handler = on_usr1;
    if (sigaction(SIGUSR1, &sa, NULL) == -1)
        die("sigaction");
    close(ack[0]);
    wait_for_start();
    say("ready");
    pause();
    say("after pause");
    return 0;
}

static int process_b(pid_t a)
{
    char c;
    close(ack[1]);
    wait_for_start();
    usleep(100000);
    kill(a, SIGUSR2);
    if (read(ack[0], &c, 1) == -1)
        die("read");
    usleep(100000);
    say("sending usr1");
    usleep(100000);
    kill(a, SIGUSR1);
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
