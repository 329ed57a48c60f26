/* A handler interrupts sem_wait() on a named semaphore (a) and on an unnamed one in shared
 * memory (c). With SA_RESTART the wait goes on after the handler, until b posts. */
#include "harness.h"
#include <fcntl.h>
#include <semaphore.h>
#include <sys/mman.h>

static char name[64];      /* the named semaphore */
static sem_t *unnamed;     /* the unnamed one, in a MAP_SHARED page both children inherit */

static void on_usr1(int sig)
{
    (void)sig;
    say("usr1");
}

static void catch_usr1(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_usr1;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    if (sigaction(SIGUSR1, &sa, NULL) == -1)
        die("sigaction");
}

static int process_a(void)
{
    catch_usr1();
    sem_t *s = sem_open(name, 0);
    if (s == SEM_FAILED)
        die("sem_open");
    wait_for_start();
    say("waiting");
    if (sem_wait(s) == -1)
        die("sem_wait");
    say("took s1");
    return 0;
}

static int process_c(void)
{
    catch_usr1();
    wait_for_start();
    say("waiting");
    if (sem_wait(unnamed) == -1)
        die("sem_wait");
    say("took s2");
    return 0;
}

static int process_b(pid_t a, pid_t c)
{
    sem_t *s = sem_open(name, 0);
    if (s == SEM_FAILED)
        die("sem_open");
    wait_for_start();
    usleep(200000);
    kill(a, SIGUSR1);
    kill(c, SIGUSR1);
    usleep(200000);
    say("posting");
    usleep(100000);
    if (sem_post(s) == -1 || sem_post(unnamed) == -1)
        die("sem_post");
    return 0;
}

int main(void)
{
    begin();
    snprintf(name, sizeof name, "/fid-%d-s1", (int)getpid());
    sem_t *s = sem_open(name, O_CREAT | O_EXCL, 0600, 0);
    if (s == SEM_FAILED)
        die("sem_open");
    sem_close(s);
    unnamed = mmap(NULL, sizeof *unnamed, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (unnamed == MAP_FAILED)
        die("mmap");
    if (sem_init(unnamed, 1, 0) == -1)
        die("sem_init");

    pid_t a = fork();
    if (a == -1)
        die("fork");
    if (a == 0) {
        me = "a";
        exit(process_a());
    }
    child(a, "a");
    pid_t c = fork();
    if (c == -1)
        die("fork");
    if (c == 0) {
        me = "c";
        exit(process_c());
    }
    child(c, "c");
    pid_t b = fork();
    if (b == -1)
        die("fork");
    if (b == 0) {
        me = "b";
        exit(process_b(a, c));
    }
    child(b, "b");
    start_all();
    report();
    sem_unlink(name);
    return 0;
}
