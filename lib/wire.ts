// The wire between the server and a run process: the control page each process shares with
// the server (runtime/ipcpg.h is the C side; test/wire.test.ts compiles it and compares every
// offset), and the numbers of the calls the runtime reports (runtime/calls.h).

export const PAGE = {
  magic: 0x50435049,
  version: 1,
  maxProcs: 64,
  maxChans: 32,
  maxLines: 4096,
  ringSlots: 2048,
  preview: 48,
  maxCgroups: 4,
  cgroupPath: 256,
  ringOffset: 24576,
  bytes: 24576 + 2048 * 128,
} as const;

/** Byte offsets of the control page's fields. */
export const CTL = {
  magic: 0, version: 4, gate: 8, tokens: 12, slow: 16, trace: 20, state: 24, call: 28, line: 32, callLine: 36,
  handlers: 40, lastFd: 44, stmts: 48, wseq: 56, rseq: 64, dropped: 72, tStart: 80, pids: 88, calls: 344, chan: 856, chanFd: 1624,
  lineChan: 1752, uid: 5848, gid: 5852, ncg: 5856, cgroupProcs: 5864, errors: 6888, lastErr: 6892, lastErrLine: 6896, lastErrCall: 6900,
  accepted: 6904, connsClosed: 7032, pid: 7160, parent: 7164, slot: 7168, npool: 7172,
  lineHits: 8192,
} as const;

/** Byte offsets inside one 128-byte ring record. */
export const REC = {
  size: 128, commit: 0, kind: 4, call: 6, line: 8, err: 12, ret: 16, a: 24, t: 56, dur: 64, dlen: 72, dfull: 76, data: 80,
} as const;

export const GATE = { free: 0, paused: 1, slow: 2 } as const;
export const PSTATE = { starting: 0, ready: 1, running: 2, inCall: 3, paused: 4 } as const;
export const RECKIND = { syscall: 1, line: 2, signal: 3, handlerEnd: 4 } as const;

/** The calls, in runtime/calls.h's order: a record's call number indexes this list. */
export const CALLS = [
  'none', 'read', 'write', 'pread', 'send', 'recv', 'sendto', 'recvfrom',
  'accept', 'connect', 'socket', 'open', 'close', 'lseek', 'fstat', 'fcntl',
  'msgsnd', 'msgrcv', 'mq_send', 'mq_receive', 'mq_open',
  'sem_wait', 'sem_post', 'sem_trywait', 'sem_open',
  'kill', 'pause', 'sigsuspend', 'sigprocmask', 'nanosleep', 'sigaction',
  'shmat', 'mmap', 'shm_open',
  'alarm', 'mq_setattr', 'poll',
  'sendmsg', 'recvmsg', 'fork', 'waitpid',
] as const;
export type CallName = (typeof CALLS)[number];

/** Functions the program's object is linked with --wrap for: every call but the placeholder, and fflush. */
export const WRAPPED = [...CALLS.filter((c) => c !== 'none'), 'fflush'] as const;

/** Arguments of the hosted binary: argv[1..5], then key=value per channel object. */
export interface HostedArgs {
  index: number;
  /** The run's id, so that the crash sweep and the tests know its processes by their command line. */
  runId: string;
  ctlFd: number;
  startRead: number;
  startWrite: number;
  values: Record<string, string | number>;
}

export function hostedArgv(a: HostedArgs): string[] {
  return [String(a.index), String(a.ctlFd), String(a.startRead), String(a.startWrite), a.runId, ...Object.entries(a.values).map(([k, v]) => `${k}=${v}`)];
}
