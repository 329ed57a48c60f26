/* A handler interrupts read() on an empty pipe. With SA_RESTART the read goes on after the
 * handler (it does not fail with EINTR) and returns the data written later. */
#include "harness.h"

static int fds[2];

static void on_usr1(int sig)
{
    (void)sig;
    say("usr1");
}

static int process_a(void)
{
    char buf[1025];
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_usr1;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    if (sigaction(SIGUSR1, &sa, NULL) == -1)
        die("sigaction");
    close(fds[1]);
    wait_for_start();
    say("waiting");
    ssize_t n = read(fds[0], buf, 1024);
    if (n == -1)
        die("read");
    buf[n] = '\0';
    say("read %s", buf);
    return 0;
}

static int process_b(pid_t a)
{
    close(fds[0]);
    wait_for_start();
    usleep(200000);
    kill(a, SIGUSR1);
    usleep(200000);
    say("writing");
    usleep(100000);
    if (write(fds[1], "hello", 5) == -1)
        die("write");
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
        exit(process_b(a));
    }
    child(b, "b");
    close(fds[0]);
    close(fds[1]);
    start_all();
    return report();
}
