/* b holds a write lock on a file (fcntl F_SETLK); a waits for it with F_SETLKW. b's SIGUSR1 runs
 * a's handler; with SA_RESTART the wait goes on until b unlocks. */
#include "harness.h"
#include <fcntl.h>

#define FILE_NAME "./file"   /* in the current directory */

static void lock(int fd, short type)
{
    struct flock fl;
    memset(&fl, 0, sizeof fl);
    fl.l_type = type;
    fl.l_whence = SEEK_SET;   /* start 0, length 0: the whole file */
    if (fcntl(fd, F_SETLKW, &fl) == -1)
        die("fcntl");
}

static void on_usr1(int sig)
{
    (void)sig;
    say("usr1");
}

static int process_a(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_usr1;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    if (sigaction(SIGUSR1, &sa, NULL) == -1)
        die("sigaction");
    int fd = open(FILE_NAME, O_RDWR);
    if (fd == -1)
        die("open");
    wait_for_start();
    usleep(100000);
    say("locking");
    lock(fd, F_WRLCK);
    say("locked");
    lock(fd, F_UNLCK);
    return 0;
}

static int process_b(pid_t a)
{
    int fd = open(FILE_NAME, O_RDWR);
    if (fd == -1)
        die("open");
    wait_for_start();
    lock(fd, F_WRLCK);
    usleep(200000);
    kill(a, SIGUSR1);
    usleep(200000);
    say("unlocking");
    usleep(100000);
    lock(fd, F_UNLCK);
    return 0;
}

int main(void)
{
    begin();
    int fd = open(FILE_NAME, O_CREAT | O_EXCL | O_RDWR, 0600);
    if (fd == -1)
        die("open");
    close(fd);
    pid_t a = fork();   /* a asks for the lock 100 ms in, when b holds it */
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
    unlink(FILE_NAME);
    return 0;
}
