/* start N REPS: fork() N children that each report, through a pipe, the CLOCK_MONOTONIC time
 * of their first statement; prints per rep the ms from before the first fork to the latest
 * child start (the C counterpart of "run request -> every process at its first statement"). */
#include "common.h"

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: start N REPS\n");
    return 2;
  }
  int n = atoi(argv[1]), reps = atoi(argv[2]);
  for (int r = 0; r < reps; r++) {
    int p[2];
    if (pipe(p) < 0) die("pipe");
    double t0 = now_ms();
    for (int i = 0; i < n; i++) {
      pid_t pid = fork();
      if (pid < 0) die("fork");
      if (pid == 0) {
        double t = now_ms(); /* the child's first statement */
        close(p[0]);
        write_all(p[1], (const char *)&t, sizeof t);
        _exit(0);
      }
    }
    close(p[1]);
    double last = t0, t;
    for (int i = 0; i < n; i++) {
      size_t got = 0;
      while (got < sizeof t) {
        ssize_t k = read(p[0], (char *)&t + got, sizeof t - got);
        if (k <= 0) die("read");
        got += (size_t)k;
      }
      if (t > last) last = t;
    }
    close(p[0]);
    wait_children(n);
    printf("%.4f\n", last - t0);
  }
  return 0;
}
