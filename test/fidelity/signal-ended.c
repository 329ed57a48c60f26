/* a prints and ends; main() reaps it. b's kill() 600 ms later finds no such process: -1 ESRCH,
 * and b, which stops on a failed call, ends with status 1 ("kill: No such process"). */
#include "harness.h"

static int process_b(pid_t a)
{
    wait_for_start();
    usleep(600000);
    if (kill(a, SIGUSR1) == -1)
        die("kill");
    say("not reached");
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
        wait_for_start();
        say("bye");
        exit(0);
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
    return report();   /* waits for a first: a is reaped as soon as it ends */
}
