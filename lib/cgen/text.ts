// C spelling: identifiers that cannot clash, string literals, comments.
// Isomorphic: no Node, no DOM.

const C_KEYWORDS = [
  'auto', 'break', 'case', 'char', 'const', 'continue', 'default', 'do', 'double', 'else', 'enum', 'extern', 'float', 'for',
  'goto', 'if', 'inline', 'int', 'long', 'register', 'restrict', 'return', 'short', 'signed', 'sizeof', 'static', 'struct',
  'switch', 'typedef', 'union', 'unsigned', 'void', 'volatile', 'while', 'bool', 'true', 'false', 'asm', 'typeof',
  '_Bool', '_Complex', '_Imaginary', '_Alignas', '_Alignof', '_Atomic', '_Generic', '_Noreturn', '_Static_assert', '_Thread_local',
];

/** Names of the C library and of the headers we include that a generated name must not shadow. */
const LIBC = [
  'main', 'errno', 'stdin', 'stdout', 'stderr', 'printf', 'fprintf', 'snprintf', 'sprintf', 'perror', 'puts', 'fflush', 'setvbuf',
  'exit', '_exit', 'abort', 'atexit', 'getenv', 'strtol', 'atoi', 'atol', 'free', 'malloc', 'memcpy', 'memset', 'memcmp', 'strcmp',
  'strlen', 'strcpy', 'strncpy', 'strerror', 'strsignal', 'sigabbrev_np', 'index', 'rindex', 'random', 'time', 'clock', 'signal',
  'raise', 'kill', 'pause', 'alarm', 'sleep', 'usleep', 'nanosleep', 'sigaction', 'sigemptyset', 'sigaddset', 'sigfillset',
  'sigprocmask', 'sigsuspend', 'sigset_t', 'sig_atomic_t', 'pid_t', 'ssize_t', 'size_t', 'off_t', 'socklen_t', 'key_t', 'mqd_t',
  'sem_t', 'getpid', 'getppid', 'fork', 'wait', 'waitpid', 'pipe', 'pipe2', 'read', 'write', 'pread', 'pwrite', 'open', 'close',
  'lseek', 'fstat', 'stat', 'unlink', 'rmdir', 'mkdir', 'mkdtemp', 'mkfifo', 'fcntl', 'flock', 'ftruncate', 'dup', 'dup2',
  'mmap', 'munmap', 'shm_open', 'shm_unlink', 'shmget', 'shmat', 'shmdt', 'shmctl', 'msgget', 'msgsnd', 'msgrcv', 'msgctl',
  'mq_open', 'mq_close', 'mq_send', 'mq_receive', 'mq_unlink', 'mq_attr', 'sem_open', 'sem_close', 'sem_unlink', 'sem_init',
  'sem_destroy', 'sem_wait', 'sem_post', 'sem_trywait', 'sem_getvalue', 'socket', 'bind', 'listen', 'accept', 'connect', 'send',
  'recv', 'sendto', 'recvfrom', 'getsockname', 'htons', 'htonl', 'ntohs', 'ntohl', 'sockaddr', 'sockaddr_in', 'sockaddr_un',
  'timespec', 'flock', 'msqid_ds', 'shmid_ds', 'poll', 'select', 'environ', 'optarg', 'optind', 'daemon', 'link', 'sync',
  'access', 'chdir', 'nice', 'brk', 'sbrk', 'utime', 'times', 'wait3', 'wait4', 'killpg', 'truncate', 'remove', 'rename',
  'tmpfile', 'exp', 'log', 'div', 'ldiv', 'abs', 'labs', 'bsearch', 'qsort', 'rand', 'srand', 'system', 'select', 'shutdown',
];

/** Names the generator itself uses at file scope or in every function. */
const OURS = [
  // file scope
  'die', 'sleep_ms', 'signal_name', 'wait_for_start', 'wait_for_signal', 'catch_signal', 'lock_file', 'file_size', 'to_number', 'check_range',
  'path_in_run_dir', 'create_objects', 'remove_objects', 'stop_all', 'on_stop', 'stop_requested', 'run_dir', 'pid_of',
  'process_name', 'process_main', 'start_pipe', 'NPROC', 'MAX_TEXT', 'MSG_MAX', 'PATH_MAX', 'NULL', 'EOF', 'BUFSIZ',
  // the generator's own locals in process functions and handlers
  'message', 'nbytes', 'len', 'off', 'msg', 'fd', 'discard', 'turn', 'times', 'saved_errno', 'sig',
  'tmp1', 'tmp2', 'tmp3', 'tmp4', 'tmp5', 'tmp6', 'tmp7', 'tmp8', 'tmp9',
];

export const RESERVED: ReadonlySet<string> = new Set([...C_KEYWORDS, ...LIBC, ...OURS]);

/** Upper-case words that libc headers define as macros (E*, SIG*, O_*, ...). */
const MACRO_LIKE = /^(E[A-Z0-9]+|SIG.*|SA_.*|O_.*|S_I.*|F_.*|PROT_.*|MAP_.*|IPC_.*|MSG_.*|AF_.*|PF_.*|SOCK_.*|INADDR_.*|SEEK_.*|EXIT_.*|SHM_.*|SEM_.*|MQ_.*|W[A-Z]+|[A-Z0-9_]*_MAX|[A-Z0-9_]*_MIN|_.*|STD.*|NULL|EOF|BUFSIZ|NPROC|NAME|MAX_TEXT|MSG_MAX|PIPE_BUF|TRUE|FALSE|L_.*|P_.*|R_OK|W_OK|X_OK|F_OK)$/;

/** A scope of C identifiers: each name taken once, clashes get a suffix. */
export class Names {
  private used: Set<string>;
  constructor(parent?: Names) {
    this.used = new Set(parent ? parent.used : RESERVED);
  }
  has(name: string): boolean {
    return this.used.has(name);
  }
  /** `want` if free, else want_2, want_3... */
  take(want: string): string {
    let n = want;
    for (let k = 2; this.used.has(n); k++) n = `${want}_${k}`;
    this.used.add(n);
    return n;
  }
  /** Marks a name as used without checking (a name the enclosing scope already gave). */
  claim(name: string): void {
    this.used.add(name);
  }
}

/** A scenario identifier (letters, digits, _ and -) as a C identifier. */
export function ident(s: string): string {
  const r = s.replace(/[^A-Za-z0-9_]/g, '_');
  return /^[A-Za-z_]/.test(r) ? r : `_${r}`;
}

/** An upper-case enum constant for a process, clear of libc's macros. */
export function enumName(s: string): string {
  const u = ident(s).toUpperCase();
  return MACRO_LIKE.test(u) || RESERVED.has(u) ? `P_${u.replace(/^_+/, '')}` : u;
}

export const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
export const byteLength = (s: string): number => utf8(s).length;

/**
 * A C string literal with exactly these bytes. Printable ASCII stays as it is, text in other
 * scripts stays UTF-8 (readable, and its bytes are the same), control bytes become escapes.
 * With `format`, % is doubled so that the text can be a printf format.
 */
export function cString(s: string, format = false): string {
  let out = '"';
  let prevQ = false;
  for (const ch of s) {
    const code = ch.codePointAt(0)!;
    let piece: string;
    if (ch === '\n') piece = '\\n';
    else if (ch === '\t') piece = '\\t';
    else if (ch === '\r') piece = '\\r';
    else if (ch === '"') piece = '\\"';
    else if (ch === '\\') piece = '\\\\';
    else if (ch === '%' && format) piece = '%%';
    else if (ch === '?' && prevQ) piece = '\\?'; // no trigraphs (??=, ??/...)
    // always three octal digits: an octal escape ends there, so a digit after it stays a digit
    else if (code < 0x20 || code === 0x7f) piece = '\\' + code.toString(8).padStart(3, '0');
    else piece = ch;
    out += piece;
    prevQ = ch === '?';
  }
  return out + '"';
}

/** Program text inside a C block comment: no comment ends or nested starts. */
export function commentSafe(s: string): string {
  return s.replace(/\*\//g, '* /').replace(/\/\*/g, '/ *').replace(/\s+$/, '');
}
