/* a sets O_NONBLOCK on its read end of the pipe and reads it empty: read(2) fails with EAGAIN.
 * It signals b (SIGUSR1, which b waits for with the signal blocked and sigsuspend), b writes
 * "hi" and closes; a reads "hi", then 0 bytes: end of file, which is no error (errno stays 0). */
#include "harness.h"
#include <fcntl.h>

static int fds[2];
static pid_t pid_b;

static void on_usr1(int sig)
{
    (void)sig;
}

static int process_a(void)
{
    char m[1025];
    ssize_t n;
    int err;
    close(fds[1]);
    wait_for_start();
    if (fcntl(fds[0], F_SETFL, fcntl(fds[0], F_GETFL) | O_NONBLOCK) == -1)
        die("fcntl");
    n = read(fds[0], m, 1024);
    if (n == -1 && errno == EAGAIN)
        say("empty: EAGAIN");
    if (kill(pid_b, SIGUSR1) == -1)
        die("kill");
    usleep(300000);
    for (int i = 0; i < 2; i++) {
        err = 0;
        n = read(fds[0], m, 1024);
        if (n == -1) {
            err = errno;
            n = 0;
        }
        m[n] = '\0';
        say("errno %d, got '%s'", err, m);
    }
    return 0;
}

static int process_b(void)
{
    sigset_t usr1, none;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_usr1;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    sigemptyset(&usr1);
    sigaddset(&usr1, SIGUSR1);
    sigemptyset(&none);
    if (sigprocmask(SIG_BLOCK, &usr1, NULL) == -1 || sigaction(SIGUSR1, &sa, NULL) == -1)
        die("sigaction");
    close(fds[0]);
    wait_for_start();
    sigsuspend(&none);   /* until a's SIGUSR1 */
    if (write(fds[1], "hi", 2) == -1)
        die("write");
    close(fds[1]);
    say("wrote");
    return 0;
}

int main(void)
{
    begin();
    if (pipe(fds) == -1)
        die("pipe");
    /* b first, so that a knows its PID */
    pid_b = fork();
    if (pid_b == -1)
        die("fork");
    if (pid_b == 0) {
        me = "b";
        exit(process_b());
    }
    child(pid_b, "b");
    pid_t a = fork();
    if (a == -1)
        die("fork");
    if (a == 0) {
        me = "a";
        exit(process_a());
    }
    child(a, "a");
    close(fds[0]);
    close(fds[1]);
    start_all();
    return report();
}
