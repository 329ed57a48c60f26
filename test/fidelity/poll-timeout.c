/* poll(2) on the read ends of two pipes: with a 200 ms timeout and nothing written, it returns 0;
 * then it waits until a writes (POLLIN on a's pipe). Once a has closed, its pipe is ready too
 * (POLLHUP: read gives end of file). w closes that end and sets its fd to -1, which poll skips,
 * and waits for b. */
#include "harness.h"
#include <poll.h>

static int p[2], q[2];

static const char *first_ready(struct pollfd *fds, int timeout)
{
    if (poll(fds, 2, timeout) == -1)
        die("poll");
    return fds[0].revents ? "p" : fds[1].revents ? "q" : "";
}

static int process_w(void)
{
    char m[1025];
    ssize_t n;
    const char *r;
    close(p[1]);
    close(q[1]);
    wait_for_start();
    struct pollfd fds[2] = { { p[0], POLLIN, 0 }, { q[0], POLLIN, 0 } };
    say("1: '%s'", first_ready(fds, 200));
    r = first_ready(fds, -1);
    if ((n = read(p[0], m, 1024)) == -1)
        die("read");
    m[n] = '\0';
    say("2: %s %s", r, m);
    usleep(100000);
    r = first_ready(fds, -1);
    if ((n = read(p[0], m, 1024)) == -1)
        die("read");
    m[n] = '\0';
    say("3: %s '%s'", r, m);
    close(p[0]);
    fds[0].fd = -1;
    r = first_ready(fds, -1);
    if ((n = read(q[0], m, 1024)) == -1)
        die("read");
    m[n] = '\0';
    say("4: %s %s", r, m);
    return 0;
}

static int process_a(void)
{
    close(p[0]);
    close(q[0]);
    close(q[1]);
    wait_for_start();
    usleep(700000);
    if (write(p[1], "from a", 6) == -1)
        die("write");
    close(p[1]);
    return 0;
}

static int process_b(void)
{
    close(q[0]);
    close(p[0]);
    close(p[1]);
    wait_for_start();
    usleep(1500000);
    if (write(q[1], "from b", 6) == -1)
        die("write");
    return 0;
}

int main(void)
{
    int (*const body[3])(void) = { process_a, process_b, process_w };
    const char *const names[3] = { "a", "b", "w" };
    begin();
    if (pipe(p) == -1 || pipe(q) == -1)
        die("pipe");
    for (int i = 0; i < 3; i++) {
        pid_t pid = fork();
        if (pid == -1)
            die("fork");
        if (pid == 0) {
            me = names[i];
            exit(body[i]());
        }
        child(pid, names[i]);
    }
    close(p[0]);
    close(p[1]);
    close(q[0]);
    close(q[1]);
    start_all();
    return report();
}
