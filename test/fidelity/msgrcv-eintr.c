/* A handler interrupts msgrcv() on an empty SysV queue. msgrcv is one of the calls that are never
 * restarted, SA_RESTART or not (signal(7)): it fails with EINTR after the handler. A program that
 * treats a failed call as fatal, as this one does, ends there: "msgrcv: Interrupted system call",
 * exit status 1. */
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
    struct message msg;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_usr1;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    if (sigaction(SIGUSR1, &sa, NULL) == -1)
        die("sigaction");
    wait_for_start();
    say("waiting");
    ssize_t n = msgrcv(msqid, &msg, sizeof msg.mtext, 1, MSG_NOERROR);
    if (n == -1)
        die("msgrcv");
    msg.mtext[n] = '\0';
    say("got %s", msg.mtext);
    return 0;
}

static int process_b(pid_t a)
{
    struct message msg = { .mtype = 1 };
    wait_for_start();
    usleep(200000);
    kill(a, SIGUSR1);
    usleep(200000);
    say("sending");
    usleep(100000);
    memcpy(msg.mtext, "hello", 5);
    if (msgsnd(msqid, &msg, 5, 0) == -1)
        die("msgsnd");
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
