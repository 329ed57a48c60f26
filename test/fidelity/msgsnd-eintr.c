/* a fills a SysV queue (two messages of 8192 bytes fill msgmnb, 16384 by default) and blocks in
 * msgsnd() with a third; b's SIGUSR1 runs a's handler. msgsnd is never restarted, SA_RESTART or
 * not (signal(7)): it fails with EINTR, and this program, which stops on a failed call, ends
 * there: "msgsnd: Interrupted system call", exit status 1. */
#include "harness.h"
#include <sys/ipc.h>
#include <sys/msg.h>

struct message {
    long mtype;
    char mtext[8192];
};

static int msqid;

static void on_usr1(int sig)
{
    (void)sig;
    say("usr1");
}

static int process_a(void)
{
    static struct message msg = { .mtype = 1 };
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_usr1;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    if (sigaction(SIGUSR1, &sa, NULL) == -1)
        die("sigaction");
    wait_for_start();
    memset(msg.mtext, 'x', sizeof msg.mtext);
    if (msgsnd(msqid, &msg, sizeof msg.mtext, 0) == -1 || msgsnd(msqid, &msg, sizeof msg.mtext, 0) == -1)
        die("msgsnd");
    say("queue full");
    if (msgsnd(msqid, &msg, sizeof msg.mtext, 0) == -1)
        die("msgsnd");
    say("sent 3");
    return 0;
}

static int process_b(pid_t a)
{
    static struct message msg;
    wait_for_start();
    usleep(200000);
    kill(a, SIGUSR1);
    usleep(200000);
    say("receiving");
    if (msgrcv(msqid, &msg, sizeof msg.mtext, 1, MSG_NOERROR) == -1)
        die("msgrcv");
    return 0;
}

int main(void)
{
    begin();
    key_t key = ftok(".", 'F');
    if (key == -1)
        die("ftok");
    msqid = msgget(key, IPC_CREAT | IPC_EXCL | 0600);
    if (msqid == -1)
        die("msgget");

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
    msgctl(msqid, IPC_RMID, NULL);
    return 0;
}
