/* a sends itself SIGSTOP: kill() returns only once a is continued, by b's SIGCONT. */
#include "harness.h"

static int process_a(void)
{
    say("stopping myself");
    kill(getpid(), SIGSTOP);
    say("continued");
    return 0;
}

static int process_b(pid_t a)
{
    usleep(400000);
    say("continuing a");
    kill(a, SIGCONT);
    return 0;
}

int main(void)
{
    own_group();
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
    return report();
}
