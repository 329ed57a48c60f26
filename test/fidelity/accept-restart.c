/* a listens on a Unix stream socket and waits in accept(); b's SIGUSR1 runs a's handler; with
 * SA_RESTART accept goes on until b connects, then a reads what b sends. */
#include "harness.h"
#include <sys/socket.h>
#include <sys/un.h>

#define SOCK_PATH "./sock"   /* in the current directory */

static void on_usr1(int sig)
{
    (void)sig;
    say("usr1");
}

static int process_a(int listener)
{
    char buf[1025];
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_usr1;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    if (sigaction(SIGUSR1, &sa, NULL) == -1)
        die("sigaction");
    wait_for_start();
    say("waiting");
    int fd = accept(listener, NULL, NULL);
    if (fd == -1)
        die("accept");
    ssize_t n = recv(fd, buf, 1024, 0);
    if (n == -1)
        die("recv");
    buf[n] = '\0';
    say("got %s", buf);
    return 0;
}

static int process_b(pid_t a, const struct sockaddr_un *addr)
{
    wait_for_start();
    usleep(200000);
    kill(a, SIGUSR1);
    usleep(200000);
    say("connecting");
    usleep(100000);
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    if (fd == -1)
        die("socket");
    if (connect(fd, (const struct sockaddr *)addr, sizeof *addr) == -1)
        die("connect");
    if (send(fd, "hello", 5, 0) == -1)
        die("send");
    return 0;
}

int main(void)
{
    struct sockaddr_un addr = { .sun_family = AF_UNIX, .sun_path = SOCK_PATH };

    begin();
    /* the listening socket is made before fork(), as the playground's server makes it before the start */
    int listener = socket(AF_UNIX, SOCK_STREAM, 0);
    if (listener == -1)
        die("socket");
    if (bind(listener, (struct sockaddr *)&addr, sizeof addr) == -1)
        die("bind");
    if (listen(listener, 8) == -1)
        die("listen");

    pid_t a = fork();
    if (a == -1)
        die("fork");
    if (a == 0) {
        me = "a";
        exit(process_a(listener));
    }
    child(a, "a");
    pid_t b = fork();
    if (b == -1)
        die("fork");
    if (b == 0) {
        me = "b";
        close(listener);
        exit(process_b(a, &addr));
    }
    child(b, "b");
    close(listener);
    start_all();
    report();
    unlink(SOCK_PATH);
    return 0;
}
