/* r closes the read ends of two pipes. w1 writes to one: with no handler, SIGPIPE kills it in
 * write(). w2 has a SIGPIPE handler: it runs, write() fails with EPIPE, and w2 goes on. (What a
 * program does with that EPIPE is its own choice; the playground's send goes on after it, as its
 * documentation says of on SIGPIPE, so this one does too.) */
#include "harness.h"

static int p1[2], p2[2];

static void on_pipe(int sig)
{
    (void)sig;
    say("caught SIGPIPE");
}

static int process_r(void)
{
    close(p1[1]);
    close(p2[1]);
    close(p1[0]);
    close(p2[0]);
    wait_for_start();
    say("closed");
    return 0;
}

static int process_w1(void)
{
    close(p1[0]);
    close(p2[0]);
    close(p2[1]);
    wait_for_start();
    usleep(200000);
    if (write(p1[1], "x", 1) == -1)
        die("write");
    say("not reached");
    return 0;
}

static int process_w2(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_pipe;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    if (sigaction(SIGPIPE, &sa, NULL) == -1)
        die("sigaction");
    close(p2[0]);
    close(p1[0]);
    close(p1[1]);
    wait_for_start();
    usleep(200000);
    if (write(p2[1], "x", 1) == -1 && errno != EPIPE)
        die("write");
    say("still here");
    return 0;
}

int main(void)
{
    begin();
    if (pipe(p1) == -1 || pipe(p2) == -1)
        die("pipe");
    pid_t r = fork();
    if (r == -1)
        die("fork");
    if (r == 0) {
        me = "r";
        exit(process_r());
    }
    child(r, "r");
    pid_t w1 = fork();
    if (w1 == -1)
        die("fork");
    if (w1 == 0) {
        me = "w1";
        exit(process_w1());
    }
    child(w1, "w1");
    pid_t w2 = fork();
    if (w2 == -1)
        die("fork");
    if (w2 == 0) {
        me = "w2";
        exit(process_w2());
    }
    child(w2, "w2");
    close(p1[0]);
    close(p1[1]);
    close(p2[0]);
    close(p2[1]);
    start_all();
    return report();
}
