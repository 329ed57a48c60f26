/* SIGCHLD, SIGWINCH and SIGCONT (sent to a process that is not stopped) are ignored by default:
 * the process does not die, its sleep is not cut short, its msgrcv() does not fail with EINTR,
 * and its pause() does not return (it does for the SIGUSR1 sent after them). */
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

static int process_s(void)
{
    wait_for_start();
    say("ready");
    usleep(500000);
    say("survived");
    return 0;
}

static int process_m(void)
{
    struct message msg;
    wait_for_start();
    say("waiting");
    ssize_t n = msgrcv(msqid, &msg, sizeof msg.mtext, 1, MSG_NOERROR);
    if (n == -1)
        die("msgrcv");
    msg.mtext[n] = '\0';
    say("got %s", msg.mtext);
    return 0;
}

static int process_p(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_usr1;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    if (sigaction(SIGUSR1, &sa, NULL) == -1)
        die("sigaction");
    wait_for_start();
    say("pausing");
    pause();
    say("woke");
    return 0;
}

static int process_k(pid_t s, pid_t m, pid_t p)
{
    const pid_t to[] = { s, m, p };
    struct message msg = { .mtype = 1 };
    wait_for_start();
    usleep(200000);
    for (int i = 0; i < 3; i++) {
        kill(to[i], SIGCHLD);
        kill(to[i], SIGWINCH);
        kill(to[i], SIGCONT);
    }
    usleep(200000);
    say("now the message and SIGUSR1");
    usleep(100000);
    memcpy(msg.mtext, "hello", 5);
    if (msgsnd(msqid, &msg, 5, 0) == -1)
        die("msgsnd");
    kill(p, SIGUSR1);
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

    pid_t s = fork();
    if (s == -1)
        die("fork");
    if (s == 0) {
        me = "s";
        exit(process_s());
    }
    child(s, "s");
    pid_t m = fork();
    if (m == -1)
        die("fork");
    if (m == 0) {
        me = "m";
        exit(process_m());
    }
    child(m, "m");
    pid_t p = fork();
    if (p == -1)
        die("fork");
    if (p == 0) {
        me = "p";
        exit(process_p());
    }
    child(p, "p");
    pid_t k = fork();
    if (k == -1)
        die("fork");
    if (k == 0) {
        me = "k";
        exit(process_k(s, m, p));
    }
    child(k, "k");
    start_all();
    report();
    msgctl(msqid, IPC_RMID, NULL);
    return 0;
}
