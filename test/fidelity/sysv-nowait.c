/* IPC_NOWAIT on a SysV queue: msgrcv(2) of an empty queue fails with ENOMSG; msgsnd(2) to a full
 * one (two messages of 8192 bytes fill msgmnb, 16384 by default) fails with EAGAIN. After b has
 * taken one message, a's next msgsnd fits. */
#include "harness.h"
#include <sys/ipc.h>
#include <sys/msg.h>

struct message {
    long mtype;
    char mtext[8192];
};

static int msqid;
static pid_t pid_b;

static void on_usr1(int sig)
{
    (void)sig;
}

static int process_a(void)
{
    static struct message msg = { .mtype = 1 };
    int n = 0, err;
    wait_for_start();
    if (msgrcv(msqid, &msg, sizeof msg.mtext, 1, MSG_NOERROR | IPC_NOWAIT) == -1 && errno == ENOMSG)
        say("empty: ENOMSG");
    memset(msg.mtext, 'x', sizeof msg.mtext);
    msg.mtype = 1;
    for (;;) {
        if (msgsnd(msqid, &msg, sizeof msg.mtext, IPC_NOWAIT) == -1 && errno == EAGAIN)
            break;
        n++;
    }
    say("full after %d: EAGAIN", n);
    if (kill(pid_b, SIGUSR1) == -1)
        die("kill");
    usleep(300000);
    err = msgsnd(msqid, &msg, sizeof msg.mtext, IPC_NOWAIT) == -1 ? errno : 0;
    say("then errno %d", err);
    return 0;
}

static int process_b(void)
{
    static struct message msg;
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
    wait_for_start();
    sigsuspend(&none);   /* until a's SIGUSR1 */
    if (msgrcv(msqid, &msg, sizeof msg.mtext, 1, MSG_NOERROR) == -1)
        die("msgrcv");
    say("took one");
    return 0;
}

int main(void)
{
    int status;
    begin();
    msqid = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
    if (msqid == -1)
        die("msgget");
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
    start_all();
    status = report();
    msgctl(msqid, IPC_RMID, NULL);
    return status;
}
