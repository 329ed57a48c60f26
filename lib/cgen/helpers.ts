// Helper C functions and scratch variables that the generator and more than one mechanism use.
// A mechanism's own ones live in its module. Ranks fix their order in the file (see CHelper,
// Scratch): gaps leave room for those of the mechanisms. Isomorphic: no Node, no DOM.

import type { CHelper, Scratch } from './mechanisms/types';

export const FD: Scratch = { rank: 10, decl: ['int fd;'] };
export const NBYTES: Scratch = { rank: 50, decl: ['ssize_t nbytes;'] };
export const LEN: Scratch = { rank: 60, decl: ['int len;'] };
export const MASK: Scratch = { rank: 70, decl: ['sigset_t mask;'] };
export const STATUS: Scratch = { rank: 75, decl: ['int status;'] };

export const SLEEP_MS: CHelper = {
  rank: 10,
  lines: [
    '/* Sleeps ms milliseconds. nanosleep(2) stops early when a signal handler runs: sleep the rest. */',
    'static void sleep_ms(long ms)',
    '{',
    '    struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };',
    '    while (nanosleep(&ts, &ts) == -1 && errno == EINTR) {}',
    '}',
  ],
};

export const CATCH_SIGNAL: CHelper = {
  rank: 20,
  lines: [
    '/* Installs handler for sig with sigaction(2). flags SA_RESTART: a read(), write(), accept()... that the',
    ' * handler interrupted goes on afterwards; 0: it fails with EINTR (sem_wait(), msgrcv(), pause()... always do). */',
    'static void catch_signal(int sig, void (*handler)(int), int flags)',
    '{',
    '    struct sigaction sa;',
    '    memset(&sa, 0, sizeof sa);',
    '    sa.sa_handler = handler;',
    '    sigemptyset(&sa.sa_mask);',
    '    sa.sa_flags = flags;',
    '    if (sigaction(sig, &sa, NULL) == -1) die("sigaction");',
    '}',
  ],
};

export const TO_NUMBER: CHelper = {
  rank: 60,
  lines: [
    '/* Text used as a number, as the playground does: "42" is 42, "" is 0, anything else is an error. */',
    'static long to_number(const char *text)',
    '{',
    '    char *end;',
    '    long n;',
    '    errno = 0;',
    '    n = strtol(text, &end, 10);',
    '    while (*end == \' \' || *end == \'\\t\' || *end == \'\\n\')',
    '        end++;',
    '    if (errno != 0 || *end != \'\\0\') {',
    '        fprintf(stderr, "\\"%s\\" is not a number\\n", text);',
    '        exit(1);',
    '    }',
    '    return n;',
    '}',
  ],
};

/** check_length(), with the playground's limit on one message. */
export function checkLength(messageBytes: number): CHelper {
  return {
    rank: 70,
    lines: [
      `#define MESSAGE_MAX ${messageBytes}   /* the playground's limit on one message */`,
      '',
      '/* A message built while the program runs may be longer than the limit: then the process stops,',
      ' * naming the line (write(2) and _exit(2): safe in a signal handler too). */',
      'static void check_length(long len, int line, const char *what)',
      '{',
      '    char text[160];',
      '    int n;',
      '    if (len <= MESSAGE_MAX) return;',
      '    n = snprintf(text, sizeof text, "line %d: %s: message of %ld bytes is over the limit of %d\\n", line, what, len, MESSAGE_MAX);',
      '    if (write(STDERR_FILENO, text, n) == -1) {}',
      '    _exit(1);',
      '}',
    ],
  };
}

/** A line of standard input, as fgets(3) reads one: stdio's buffering written out with read(2). */
export const READ_LINE: CHelper = {
  rank: 15,
  lines: [
    '/* One line of standard input, as fgets(3) reads it, without its newline. As stdio does, read(2)',
    ' * fills a buffer and what follows the line waits there for the next call. A line longer than',
    ' * size - 1 bytes comes in pieces. Returns the bytes it took, the newline included: 0 at end of file. */',
    'static char stdin_buf[1024];',
    'static size_t stdin_have;',
    '',
    'static ssize_t read_line(char *line, size_t size)',
    '{',
    '    size_t take, len;',
    '    for (;;) {',
    "        char *nl = memchr(stdin_buf, '\\n', stdin_have);",
    '        ssize_t n;',
    '        if (nl) {',
    '            len = (size_t)(nl - stdin_buf);',
    '            take = len + 1;',
    '            break;',
    '        }',
    '        if (stdin_have >= size - 1 || stdin_have == sizeof stdin_buf) {',
    '            take = len = stdin_have;',
    '            break;',
    '        }',
    '        n = read(STDIN_FILENO, stdin_buf + stdin_have, sizeof stdin_buf - stdin_have);',
    '        if (n == -1) return -1;',
    '        if (n == 0) {   /* end of file: the last line may have no newline */',
    '            take = len = stdin_have;',
    '            break;',
    '        }',
    '        stdin_have += (size_t)n;',
    '    }',
    '    if (len > size - 1) take = len = size - 1;   /* the rest of the line comes next time */',
    '    memcpy(line, stdin_buf, len);',
    "    line[len] = '\\0';",
    '    stdin_have -= take;',
    '    memmove(stdin_buf, stdin_buf + take, stdin_have);',
    '    return (ssize_t)take;',
    '}',
  ],
};
