/* a opens a FIFO to read: open() blocks until a writer opens it. b's SIGUSR1 runs a's handler;
 * with SA_RESTART the open goes on, until b opens the FIFO and writes. */
#include "harness.h"
#include <fcntl.h>
#include <sys/stat.h>

#define FIFO "./fifo"   /* in the current directory */

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
    wait_for_start();
    say("waiting");
    int fd = open(FIFO, O_RDONLY);
    if (fd == -1)
        die("open");
    ssize_t n = read(fd, buf, 1024);
    if (n == -1)
        die("read");
    buf[n] = '\0';
    say("got %s", buf);
    return 0;
}

static int process_b(pid_t a)
{
    wait_for_start();
    usleep(200000);
    kill(a, SIGUSR1);
    usleep(200000);
    say("opening");
    usleep(100000);
    int fd = open(FIFO, O_WRONLY);
    if (fd == -1)
        die("open");
    if (write(fd, "hello", 5) == -1)
        die("write");
    return 0;
}

int main(void)
{
    begin();
    if (mkfifo(FIFO, 0600) == -1)
        die("mkfifo");
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
    report();
    unlink(FIFO);
    return 0;
}
