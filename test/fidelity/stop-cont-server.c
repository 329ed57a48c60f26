/* The server stops a (SIGSTOP) while it waits in read(); b writes meanwhile; a stopped process
 * runs nothing, so a prints what it read only after the server's SIGCONT. */
#include "harness.h"

static int fds[2];

static int process_a(void)
{
    char buf[1025];
    close(fds[1]);
    wait_for_start();
    say("ready");
    ssize_t n = read(fds[0], buf, 1024);
    if (n == -1)
        die("read");
    buf[n] = '\0';
    say("got %s", buf);
    return 0;
}

static int process_b(void)
{
    close(fds[0]);
    wait_for_start();
    usleep(600000);
    if (write(fds[1], "x", 1) == -1)
        die("write");
    say("sent");
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

    usleep(100000);   /* the server waits for a's "ready" */
    server_kill(a, SIGSTOP);
    wait_stopped(a);
    usleep(900000);
    server_kill(a, SIGCONT);
    return report();
}
