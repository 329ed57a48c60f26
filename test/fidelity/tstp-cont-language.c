/* b sends a SIGTSTP, which stops it (default action), and later SIGCONT, which continues it and
 * runs a's SIGCONT handler. a was stopped in its sleep: the handler interrupts nanosleep, which
 * sleeps the rest of its time afterwards. */
#include "harness.h"

static void sleep_ms(long ms)
{
    struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
    while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
        ;
}

static void on_cont(int sig)
{
    (void)sig;
    say("continued");
}

static int process_a(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_cont;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    if (sigaction(SIGCONT, &sa, NULL) == -1)
        die("sigaction");
    wait_for_start();
    say("ready");
    sleep_ms(300);
    say("after sleep");
    return 0;
}

static int process_b(pid_t a)
{
    wait_for_start();
    usleep(100000);
    kill(a, SIGTSTP);
    usleep(600000);
    say("continuing a");
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
