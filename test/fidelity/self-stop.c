/* a sends itself SIGSTOP: kill() returns only once a is continued, by b's SIGCONT. */
#include "harness.h"

static int process_a(void)
{
    wait_for_start();
    say("stopping myself");
    kill(getpid(), SIGSTOP);
    say("continued");
    return 0;
}

static int process_b(pid_t a)
{
    wait_for_start();
    usleep(400000);
    say("continuing a");
    usleep(100000);
    kill(a, SIGCONT);
    return 0;
}

int main(void)
{
    begin();
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
    return report();
}
