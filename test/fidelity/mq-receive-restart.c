/* A handler interrupts mq_receive() on an empty POSIX queue. With SA_RESTART it goes on after
 * the handler and returns the message sent later. */
#include "harness.h"
#include <fcntl.h>
#include <mqueue.h>

static char name[64];

static void on_usr1(int sig)
{
    (void)sig;
    say("usr1");
}

static int process_a(void)
{
    char buf[8192 + 1];
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_usr1;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    if (sigaction(SIGUSR1, &sa, NULL) == -1)
        die("sigaction");
    mqd_t q = mq_open(name, O_RDONLY);
    if (q == (mqd_t)-1)
        die("mq_open");
    wait_for_start();
    say("waiting");
    ssize_t n = mq_receive(q, buf, 8192, NULL);
    if (n == -1)
        die("mq_receive");
    buf[n] = '\0';
    say("got %s", buf);
    return 0;
}

static int process_b(pid_t a)
{
    mqd_t q = mq_open(name, O_WRONLY);
    if (q == (mqd_t)-1)
        die("mq_open");
    wait_for_start();
    usleep(200000);
    kill(a, SIGUSR1);
    usleep(200000);
    say("sending");
    usleep(100000);
    if (mq_send(q, "hello", 5, 0) == -1)
        die("mq_send");
    return 0;
}

int main(void)
{
    struct mq_attr attr = { .mq_maxmsg = 10, .mq_msgsize = 8192 };

    begin();
    snprintf(name, sizeof name, "/fid-%d-q", (int)getpid());
    mqd_t q = mq_open(name, O_CREAT | O_EXCL | O_RDWR, 0600, &attr);
    if (q == (mqd_t)-1)
        die("mq_open");
    mq_close(q);

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
    mq_unlink(name);
    return 0;
}
