/* a and b take turns through two pipes, each printing before it passes the turn: the lines are
 * printed in a strict order, ping 1, pong 1, ping 2..., and come out so on a shared stdout (a
 * terminal, or here the test's pipe). */
#include "harness.h"

static int p[2], q[2];   /* p: a -> b, q: b -> a */

static int process_a(void)
{
    char c;
    close(p[0]);
    close(q[1]);
    wait_for_start();
    for (int i = 1; i <= 5; i++) {
        say("ping %d", i);
        if (write(p[1], "x", 1) == -1)
            die("write");
        if (read(q[0], &c, 1) == -1)
            die("read");
    }
    return 0;
}

static int process_b(void)
{
    char c;
    close(p[1]);
    close(q[0]);
    wait_for_start();
    for (int i = 1; i <= 5; i++) {
        if (read(p[0], &c, 1) == -1)
            die("read");
        say("pong %d", i);
        if (write(q[1], "y", 1) == -1)
            die("write");
    }
    return 0;
}

int main(void)
{
    begin();
    if (pipe(p) == -1 || pipe(q) == -1)
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
    close(p[0]);
    close(p[1]);
    close(q[0]);
    close(q[1]);
    start_all();
    return report();
}
