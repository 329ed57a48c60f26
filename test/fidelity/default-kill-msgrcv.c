/* SIGTERM with no handler kills a process blocked in msgrcv(), whether it has handlers for other
 * signals (m2) or none (m1). */
#include "harness.h"
#include <sys/ipc.h>
#include <sys/msg.h>

struct message {
    long mtype;
    char mtext[8192];
};

static void on_usr2(int sig)
{
    (void)sig;
    say("usr2");
}

static int receive(int msqid)
{
    struct message msg;
    wait_for_start();
    say("waiting");
    ssize_t n = msgrcv(msqid, &msg, sizeof msg.mtext, 1, MSG_NOERROR);
    if (n == -1)
        die("msgrcv");
    say("not reached");
    return 0;
}

int main(void)
{
    begin();
    key_t key1 = ftok(".", 'F'), key2 = ftok(".", 'G');
    if (key1 == -1 || key2 == -1)
        die("ftok");
    int q1 = msgget(key1, IPC_CREAT | IPC_EXCL | 0600);
    int q2 = msgget(key2, IPC_CREAT | IPC_EXCL | 0600);
    if (q1 == -1 || q2 == -1)
        die("msgget");

    pid_t m1 = fork();
    if (m1 == -1)
        die("fork");
    if (m1 == 0) {
        me = "m1";
        exit(receive(q1));
    }
    child(m1, "m1");
    pid_t m2 = fork();
    if (m2 == -1)
        die("fork");
    if (m2 == 0) {
        struct sigaction sa;
        me = "m2";
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_usr2;
        sigemptyset(&sa.sa_mask);
        sa.sa_flags = SA_RESTART;
        if (sigaction(SIGUSR2, &sa, NULL) == -1)
            die("sigaction");
        exit(receive(q2));
    }
    child(m2, "m2");
    pid_t k = fork();
    if (k == -1)
        die("fork");
    if (k == 0) {
        me = "k";
        wait_for_start();
        usleep(200000);
        kill(m1, SIGTERM);
        kill(m2, SIGTERM);
        exit(0);
    }
    child(k, "k");
    start_all();
    report();
    msgctl(q1, IPC_RMID, NULL);
    msgctl(q2, IPC_RMID, NULL);
    return 0;
}
