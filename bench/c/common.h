/* Shared helpers for the C comparison programs of `npm run bench`. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static inline double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static inline void die(const char *what) {
  perror(what);
  exit(1);
}

/* write(2) all of buf, as the engine's writeFully does (partial writes are real). */
static inline void write_all(int fd, const char *buf, size_t len) {
  size_t off = 0;
  while (off < len) {
    ssize_t n = write(fd, buf + off, len - off);
    if (n < 0) {
      if (errno == EINTR) continue;
      die("write");
    }
    off += (size_t)n;
  }
}

/* Waits for every child; fails if one did not exit 0. */
static inline void wait_children(int n) {
  for (int i = 0; i < n; i++) {
    int st;
    if (wait(&st) < 0) die("wait");
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
      fprintf(stderr, "child failed (status 0x%x)\n", st);
      exit(1);
    }
  }
}
