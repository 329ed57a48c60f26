/* A signal with no handler takes its default action, which for these ends the process: k sends
 * SIGPIPE (with kill: no pipe is involved), SIGALRM, SIGUSR1, SIGUSR2, SIGTERM, SIGHUP, SIGINT,
 * SIGQUIT and SIGKILL to nine processes that sleep. */
#include "harness.h"

static const struct {
    const char *name;
    int sig;
} victims[] = {
    { "v_pipe", SIGPIPE }, { "v_alrm", SIGALRM }, { "v_usr1", SIGUSR1 }, { "v_usr2", SIGUSR2 }, { "v_term", SIGTERM },
    { "v_hup", SIGHUP },   { "v_int", SIGINT },   { "v_quit", SIGQUIT }, { "v_kill", SIGKILL },
};
#define NVICTIMS (int)(sizeof victims / sizeof victims[0])

static int victim(void)
{
    wait_for_start();
    say("ready");
    usleep(1500000);
    say("survived");
    return 0;
}

static int killer(const pid_t pids[])
{
    wait_for_start();
    usleep(200000);
    for (int i = 0; i < NVICTIMS; i++)
        kill(pids[i], victims[i].sig);
    return 0;
}

int main(void)
{
    pid_t pids[NVICTIMS];

    begin();
    for (int i = 0; i < NVICTIMS; i++) {
        pids[i] = fork();
        if (pids[i] == -1)
            die("fork");
        if (pids[i] == 0) {
            me = victims[i].name;
            exit(victim());
        }
        child(pids[i], victims[i].name);
    }
    pid_t k = fork();
    if (k == -1)
        die("fork");
    if (k == 0) {
        me = "k";
        exit(killer(pids));
    }
    child(k, "k");
    start_all();
    return report();
}
