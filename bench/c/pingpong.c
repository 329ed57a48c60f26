/* pingpong pipe|unix|mq COUNT [pin]: process A sends "ping" and waits for "pong", COUNT times;
 * process B answers. pipe: two pipes; unix: one AF_UNIX stream socketpair (both ways);
 * mq: two SysV message queues. Prints "<round trips> <ms>": from before the first fork to
 * both children reaped. With "pin", both processes run on CPU 0 (sched_setaffinity): no
 * cross-CPU wake-up, the kernel's best case for a blocking hand-off. */
#include "common.h"
#include <sched.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/socket.h>

struct msg {
  long mtype;
  char text[65536];
};

static int mode; /* 0 pipe, 1 unix, 2 mq */
static int wfd[2], rfd[2]; /* per side: fd to write, fd to read (A = 0, B = 1) */
static int q[2];           /* mq: q[0] A->B, q[1] B->A */

static void put(int side, const char *s) {
  if (mode == 2) {
    static struct msg m;
    m.mtype = 1;
    memcpy(m.text, s, 4);
    while (msgsnd(q[side], &m, 4, 0) < 0)
      if (errno != EINTR) die("msgsnd");
  } else {
    write_all(wfd[side], s, 4);
  }
}

static void get(int side) {
  if (mode == 2) {
    static struct msg m;
    while (msgrcv(q[1 - side], &m, sizeof m.text, 1, 0) < 0)
      if (errno != EINTR) die("msgrcv");
  } else {
    /* the engine's recv: one read(2) of up to 1024 bytes; a 4-byte reply arrives whole */
    char buf[1024];
    size_t got = 0;
    while (got < 4) {
      ssize_t n = read(rfd[side], buf, sizeof buf);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) die("read");
      got += (size_t)n;
    }
  }
}

int main(int argc, char **argv) {
  if (argc != 3 && !(argc == 4 && strcmp(argv[3], "pin") == 0)) {
    fprintf(stderr, "usage: pingpong pipe|unix|mq COUNT [pin]\n");
    return 2;
  }
  if (argc == 4) {
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(0, &set);
    if (sched_setaffinity(0, sizeof set, &set)) die("sched_setaffinity");
  }
  mode = strcmp(argv[1], "unix") == 0 ? 1 : strcmp(argv[1], "mq") == 0 ? 2 : 0;
  long count = atol(argv[2]);
  if (mode == 0) {
    int ab[2], ba[2];
    if (pipe(ab) || pipe(ba)) die("pipe");
    wfd[0] = ab[1], rfd[1] = ab[0], wfd[1] = ba[1], rfd[0] = ba[0];
  } else if (mode == 1) {
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv)) die("socketpair");
    wfd[0] = rfd[0] = sv[0];
    wfd[1] = rfd[1] = sv[1];
  } else {
    q[0] = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
    q[1] = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
    if (q[0] < 0 || q[1] < 0) die("msgget");
  }
  double t0 = now_ms();
  for (int side = 0; side < 2; side++) {
    pid_t pid = fork();
    if (pid < 0) die("fork");
    if (pid == 0) {
      for (long i = 0; i < count; i++) {
        if (side == 0) {
          put(0, "ping");
          get(0);
        } else {
          get(1);
          put(1, "pong");
        }
      }
      _exit(0);
    }
  }
  wait_children(2);
  double ms = now_ms() - t0;
  if (mode == 2) {
    msgctl(q[0], IPC_RMID, NULL);
    msgctl(q[1], IPC_RMID, NULL);
  }
  printf("%ld %.4f\n", count, ms);
  return 0;
}
