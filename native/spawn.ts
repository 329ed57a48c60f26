// Starting a run process with posix_spawn(3) (clone with CLONE_VFORK: no copy of the server's
// page tables, unlike the fork() behind child_process.spawn, which costs tens of ms for a
// server of a few hundred MB), and learning of its end through a pidfd, reaped with waitid(2).

import { koffi, F } from './libc';
import { SyscallError } from './errno';
import { signame } from './constants';

const POSIX_SPAWN_SETPGROUP = 0x02;
const POSIX_SPAWN_SETSIGDEF = 0x04;
const POSIX_SPAWN_SETSIGMASK = 0x08;
const O_RDONLY = 0;
const P_PIDFD = 3;
const WEXITED = 4;
const WNOHANG = 1;
const CLD_EXITED = 1;
/** Child fds are first moved this high, so that moving them into place never clobbers a source. */
const STAGE = 1000;

export interface SpawnSpec {
  path: string;
  /** argv[0] first */
  argv: string[];
  env: string[];
  /** child fd i is the server's fds[i]; -1 for fd 0 means /dev/null */
  fds: number[];
}

/**
 * posix_spawn: every signal at its default action and none blocked (the server ignores SIGPIPE;
 * a C program must not), a process group of its own (in the server's session, so that SIGTSTP
 * stops it as in a shell), and exactly the fds given. Returns the PID.
 */
export function spawnProcess(spec: SpawnSpec): number {
  const fa = Buffer.alloc(256);
  const attr = Buffer.alloc(512);
  const all = Buffer.alloc(128);
  const none = Buffer.alloc(128);
  F.posix_spawn_file_actions_init(fa);
  F.posix_spawnattr_init(attr);
  try {
    spec.fds.forEach((fd, i) => {
      if (fd >= 0) F.posix_spawn_file_actions_adddup2(fa, fd, STAGE + i);
    });
    spec.fds.forEach((fd, i) => {
      if (fd >= 0) {
        F.posix_spawn_file_actions_adddup2(fa, STAGE + i, i);
        F.posix_spawn_file_actions_addclose(fa, STAGE + i);
      } else F.posix_spawn_file_actions_addopen(fa, i, '/dev/null', O_RDONLY, 0);
    });
    F.sigfillset(all);
    F.sigemptyset(none);
    F.posix_spawnattr_setsigdefault(attr, all);
    F.posix_spawnattr_setsigmask(attr, none);
    F.posix_spawnattr_setpgroup(attr, 0);
    F.posix_spawnattr_setflags(attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
    const pid = new Int32Array(1);
    const err = F.posix_spawn(pid, spec.path, fa, attr, [...spec.argv, null], [...spec.env, null]);
    if (err !== 0) throw new SyscallError('posix_spawn', err);
    return pid[0];
  } finally {
    F.posix_spawn_file_actions_destroy(fa);
    F.posix_spawnattr_destroy(attr);
  }
}

export interface ExitStatus {
  code: number | null;
  signal: string | null;
}

/** Reaps the process a pidfd names, if it has ended (waitid(P_PIDFD, WNOHANG)); null if it runs. */
export function reap(pidfd: number): ExitStatus | null {
  const info = Buffer.alloc(128); // siginfo_t
  const r = F.waitid(P_PIDFD, pidfd, info, WEXITED | WNOHANG);
  if (r < 0) throw new SyscallError('waitid', koffi.errno());
  const pid = info.readInt32LE(16);
  if (pid === 0) return null; // WNOHANG: still running
  const code = info.readInt32LE(8);
  const status = info.readInt32LE(24);
  return code === CLD_EXITED ? { code: status, signal: null } : { code: null, signal: signame(status) };
}

/** Calls onEnd once the process behind pidfd has ended (a pidfd turns readable), from the event loop. */
export function onPidfdReadable(pidfd: number, onEnd: () => void): { close(): void } {
  const h = koffi.node.poll(pidfd, { readable: true }, () => {
    h.stop();
    onEnd();
  });
  return { close: () => h.close() };
}
