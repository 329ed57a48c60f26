/* stream pipe|unix SIZE COUNT: a writer child write(2)s COUNT messages of SIZE bytes into a
 * pipe or an AF_UNIX stream socketpair, a reader child read(2)s with a 64 KiB buffer until
 * EOF. Prints "<bytes> <ms>": from before the first fork to both children reaped. */
#include "common.h"
#include <sys/socket.h>

int main(int argc, char **argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: stream pipe|unix SIZE COUNT\n");
    return 2;
  }
  int unix_ = strcmp(argv[1], "unix") == 0;
  size_t size = (size_t)atol(argv[2]);
  long count = atol(argv[3]);
  int fds[2]; /* fds[0] read end, fds[1] write end */
  if (unix_ ? socketpair(AF_UNIX, SOCK_STREAM, 0, fds) : pipe(fds)) die("pipe/socketpair");
  char *msg = malloc(size);
  memset(msg, 'x', size);
  double t0 = now_ms();
  pid_t w = fork();
  if (w < 0) die("fork");
  if (w == 0) {
    close(fds[0]);
    for (long i = 0; i < count; i++) write_all(fds[1], msg, size);
    close(fds[1]);
    _exit(0);
  }
  pid_t r = fork();
  if (r < 0) die("fork");
  if (r == 0) {
    close(fds[1]);
    static char buf[65536];
    long long total = 0;
    for (;;) {
      ssize_t n = read(fds[0], buf, sizeof buf);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) die("read");
      if (n == 0) break;
      total += n;
    }
    _exit(total == (long long)size * count ? 0 : 3);
  }
  close(fds[0]);
  close(fds[1]);
  wait_children(2);
  printf("%lld %.4f\n", (long long)size * count, now_ms() - t0);
  return 0;
}
