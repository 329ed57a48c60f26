/* msgrcv(2) with msgsz smaller than the message: E2BIG, and the message stays in the queue;
 * with MSG_NOERROR the first msgsz bytes come out and the rest is dropped. A negative msgtyp
 * takes the first message of the lowest type up to its absolute value. */
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

static void put(long type, const char *text)
{
    static struct message msg;
    msg.mtype = type;
    memcpy(msg.mtext, text, strlen(text));
    if (msgsnd(msqid, &msg, strlen(text), 0) == -1)
        die("msgsnd");
}

static int process_a(void)
{
    wait_for_start();
    put(3, "hello world");
    put(2, "two");
    put(1, "one");
    if (kill(pid_b, SIGUSR1) == -1)
        die("kill");
    return 0;
}

static void take(long type, size_t size, int flags, const char *label)
{
    static struct message msg;
    char m[8193];
    ssize_t n = msgrcv(msqid, &msg, size, type, flags);
    if (n == -1)
        die("msgrcv");
    memcpy(m, msg.mtext, (size_t)n);
    m[n] = '\0';
    say("%s: %s", label, m);
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
    if (msgrcv(msqid, &msg, 4, 3, 0) == -1 && errno == E2BIG)
        say("E2BIG, m=''");
    take(3, 4, MSG_NOERROR, "noerror");
    take(-2, sizeof msg.mtext, MSG_NOERROR, "type -2");
    take(-2, sizeof msg.mtext, MSG_NOERROR, "type -2");
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
