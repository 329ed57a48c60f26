/* a waits in read() on a pipe; the server sends SIGTERM, whose handler prints and calls _exit(3)
 * (exit() is not async-signal-safe): a ends with status 3. b writes later to the pipe no one can
 * read any more: write gets EPIPE and SIGPIPE, whose default action kills b. */
#include "harness.h"

static int fds[2];

static void on_term(int sig)
{
    (void)sig;
    say("bye");
    _exit(3);
}

static int process_a(void)
{
    char buf[1025];
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_term;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    if (sigaction(SIGTERM, &sa, NULL) == -1)
        die("sigaction");
    close(fds[1]);
    wait_for_start();
    say("ready");
    ssize_t n = read(fds[0], buf, 1024);
    if (n == -1)
        die("read");
    buf[n] = '\0';
    say("not reached: %s", buf);
    return 0;
}

static int process_b(void)
{
    close(fds[0]);
    wait_for_start();
    usleep(800000);
    if (write(fds[1], "late", 4) == -1)
        die("write");
    say("not reached");
    return 0;
}

int main(void)
{
    begin();
    if (pipe(fds) == -1)
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
        exit(process_b());
    }
    child(b, "b");
    close(fds[0]);
    close(fds[1]);
    start_all();

    usleep(300000);   /* the server waits for a's "ready" */
    server_kill(a, SIGTERM);
    return report();
}
