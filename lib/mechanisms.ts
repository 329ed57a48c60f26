// What each mechanism is, as the editor, the checker and the docs need to know it.
// Isomorphic: no Node, no DOM. The server side of each mechanism lives in server/mechanisms/.

export const MECHANISM_IDS = [
  'pipe', 'fifo', 'signal', 'file',
  'sem-named', 'sem-unnamed',
  'shm-posix', 'shm-sysv', 'shm-file', 'shm-anon',
  'mq-sysv', 'mq-posix',
  'tcp', 'udp', 'unix-stream', 'unix-dgram',
  'socketpair',
] as const;
export type MechanismId = (typeof MECHANISM_IDS)[number];

/** Verbs of the program language that act on a channel. */
export type Verb = 'send' | 'recv' | 'close' | 'write' | 'read' | 'lock' | 'unlock' | 'wait' | 'post' | 'trywait';
export type End = 'from' | 'to';

export type Family = 'stream' | 'datagram' | 'message' | 'signal' | 'file' | 'semaphore' | 'shm';

export interface OptionInfo {
  key: string;
  label: string;
  /** bool: 0 or 1, shown as a checkbox. */
  kind: 'int' | 'signal' | 'bool';
  default: number | string;
  min?: number;
  max?: number;
}

export interface MechanismInfo {
  id: MechanismId;
  name: string;
  /** Short glyph shown on edges and in menus. */
  icon: string;
  family: Family;
  summary: string;
  /** Verbs each end of the channel may use. */
  verbs: Record<End, readonly Verb[]>;
  options: readonly OptionInfo[];
  /** Each end is a file descriptor: poll(2) watches it and `nonblocking` sets O_NONBLOCK on it. */
  fd?: true;
  /**
   * Ends that take one process at most (any other end takes any number): a signal goes to one
   * receiver; a datagram socket is bound by one; a stream socket has one listening server.
   */
  oneAt?: readonly End[];
  /** A stream socket whose `to` end listens: `accept` takes each client's connection (any number connect at `from`). */
  accepts?: true;
  /** A Unix stream socket: `sendfd` / `recvfd` pass descriptors over it (SCM_RIGHTS). */
  passesFds?: true;
}

/** Both ends may do the same (a semaphore, a segment, a queue, a file): its links are all alike. */
export function symmetric(m: MechanismId): boolean {
  const v = MECHANISMS[m].verbs;
  return v.from.length === v.to.length && v.from.every((x) => v.to.includes(x));
}

export const SIGNALS = [
  'SIGHUP', 'SIGINT', 'SIGQUIT', 'SIGKILL', 'SIGUSR1', 'SIGUSR2', 'SIGPIPE', 'SIGALRM', 'SIGTERM',
  'SIGCHLD', 'SIGCONT', 'SIGSTOP', 'SIGTSTP', 'SIGWINCH',
] as const;
export type SignalName = (typeof SIGNALS)[number];
/** Signals a program may install a handler for (`on SIG { }`): not KILL or STOP, as in C. */
export const CATCHABLE_SIGNALS: readonly SignalName[] = SIGNALS.filter((s) => s !== 'SIGKILL' && s !== 'SIGSTOP');

const STREAM_ONE_WAY = { from: ['send', 'close'], to: ['recv', 'close'] } as const;
const STREAM_TWO_WAY = { from: ['send', 'recv', 'close'], to: ['send', 'recv', 'close'] } as const;
const SEM = { from: ['wait', 'post', 'trywait', 'send', 'recv'], to: ['wait', 'post', 'trywait', 'send', 'recv'] } as const;
const SHM = { from: ['write', 'read'], to: ['write', 'read'] } as const;
const MQ = { from: ['send', 'recv'], to: ['send', 'recv'] } as const;
const SHM_SIZE: OptionInfo = { key: 'size', label: 'size (bytes)', kind: 'int', default: 4096, min: 16, max: 1 << 20 };
const SEM_INIT: OptionInfo = { key: 'initial', label: 'initial value', kind: 'int', default: 0, min: 0, max: 1000 };

export const MECHANISMS: Record<MechanismId, MechanismInfo> = {
  pipe: {
    id: 'pipe', name: 'Pipe', icon: '│', family: 'stream', summary: 'pipe(2): one-way byte stream made by the parent, ends inherited', verbs: STREAM_ONE_WAY, fd: true,
    // a shell's |: the writer's fd 1 and the reader's fd 0 (dup2), so print writes it and recv stdin reads it
    options: [{ key: 'stdio', label: "the writer's stdout to the reader's stdin (a shell's |)", kind: 'bool', default: 0, min: 0, max: 1 }],
  },
  fifo: { id: 'fifo', name: 'FIFO', icon: '⇶', family: 'stream', summary: 'mkfifo(3): a named pipe in the run directory; open blocks until both sides open', verbs: STREAM_ONE_WAY, options: [], fd: true },
  signal: {
    id: 'signal', name: 'Signal', icon: '⚡', family: 'signal', summary: 'kill(2): send = kill the receiver with the signal; recv = wait for it',
    verbs: { from: ['send'], to: ['recv'] },
    options: [{ key: 'signal', label: 'signal', kind: 'signal', default: 'SIGUSR1' }],
    oneAt: ['to'],
  },
  file: {
    id: 'file', name: 'File + fcntl lock', icon: '🗎', family: 'file', summary: 'a regular file; send = lock, append, unlock; recv = read the bytes added since ("" at the end)',
    verbs: { from: ['send', 'recv', 'lock', 'unlock'], to: ['send', 'recv', 'lock', 'unlock'] }, options: [],
  },
  'sem-named': { id: 'sem-named', name: 'Named semaphore', icon: '🚦', family: 'semaphore', summary: 'sem_open(3): a POSIX named semaphore', verbs: SEM, options: [SEM_INIT] },
  'sem-unnamed': { id: 'sem-unnamed', name: 'Unnamed semaphore', icon: '🚥', family: 'semaphore', summary: 'sem_init(3) with pshared=1 inside shared memory', verbs: SEM, options: [SEM_INIT] },
  'shm-posix': { id: 'shm-posix', name: 'POSIX shared memory', icon: '▦', family: 'shm', summary: 'shm_open(3) + mmap(2)', verbs: SHM, options: [SHM_SIZE] },
  'shm-sysv': { id: 'shm-sysv', name: 'SysV shared memory', icon: '▤', family: 'shm', summary: 'shmget(2) + shmat(2)', verbs: SHM, options: [SHM_SIZE] },
  'shm-file': { id: 'shm-file', name: 'File-backed mmap', icon: '▥', family: 'shm', summary: 'mmap(2) of a regular file, MAP_SHARED', verbs: SHM, options: [SHM_SIZE] },
  'shm-anon': { id: 'shm-anon', name: 'Anonymous shared memory', icon: '▧', family: 'shm', summary: 'memfd_create(2), inherited, mapped MAP_SHARED', verbs: SHM, options: [SHM_SIZE] },
  'mq-sysv': {
    id: 'mq-sysv', name: 'SysV message queue', icon: '✉', family: 'message', summary: 'msgget(2), msgsnd(2), msgrcv(2) with an mtype', verbs: MQ,
    options: [{ key: 'mtype', label: 'mtype', kind: 'int', default: 1, min: 1, max: 1_000_000 }],
  },
  'mq-posix': {
    id: 'mq-posix', name: 'POSIX message queue', icon: '📨', family: 'message', summary: 'mq_open(3), mq_send(3), mq_receive(3)', verbs: MQ,
    options: [
      { key: 'maxmsg', label: 'max messages', kind: 'int', default: 10, min: 1, max: 64 },
      { key: 'msgsize', label: 'max message size', kind: 'int', default: 8192, min: 16, max: 65536 },
    ],
    fd: true,
  },
  tcp: {
    id: 'tcp', name: 'TCP', icon: '⇄', family: 'stream', summary: 'socket(AF_INET, SOCK_STREAM) on 127.0.0.1: each from connects, to listens and accepts', verbs: STREAM_TWO_WAY, options: [], fd: true,
    oneAt: ['to'], accepts: true,
  },
  udp: { id: 'udp', name: 'UDP', icon: '⇢', family: 'datagram', summary: 'socket(AF_INET, SOCK_DGRAM) on 127.0.0.1: to binds, from sends datagrams', verbs: STREAM_ONE_WAY, options: [], fd: true, oneAt: ['to'] },
  'unix-stream': {
    id: 'unix-stream', name: 'Unix stream socket', icon: '⇆', family: 'stream', summary: 'socket(AF_UNIX, SOCK_STREAM), path in the run directory: each from connects, to listens and accepts',
    verbs: STREAM_TWO_WAY, options: [], fd: true, oneAt: ['to'], accepts: true, passesFds: true,
  },
  'unix-dgram': { id: 'unix-dgram', name: 'Unix datagram socket', icon: '⇉', family: 'datagram', summary: 'socket(AF_UNIX, SOCK_DGRAM), path in the run directory', verbs: STREAM_ONE_WAY, options: [], fd: true, oneAt: ['to'] },
  socketpair: {
    id: 'socketpair', name: 'Socket pair', icon: '⇋', family: 'stream', summary: 'socketpair(AF_UNIX, SOCK_STREAM): two connected ends made by the parent, inherited; both send and recv',
    verbs: STREAM_TWO_WAY, options: [], fd: true, oneAt: ['from', 'to'], passesFds: true,
  },
};

/** The options of a channel with defaults filled in. */
export function optionsWithDefaults(mechanism: MechanismId, options: Record<string, unknown> = {}): Record<string, number | string> {
  const out: Record<string, number | string> = {};
  for (const o of MECHANISMS[mechanism].options) {
    const v = options[o.key];
    out[o.key] = typeof v === 'number' || typeof v === 'string' ? v : o.default;
  }
  return out;
}
