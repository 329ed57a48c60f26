// A run's own IPC and network namespace, where the host allows it (root, or CAP_SYS_ADMIN).
//
// No helper process: the server's main thread unshare(2)s into fresh namespaces, keeps a
// descriptor of each, and setns(2)s back. Later it steps in around the calls that must see the
// run's objects (create, spawn, inspect, destroy, verify): run processes inherit the
// namespaces of the thread that spawns them. When the last one has exited and the descriptors
// are closed, the kernel frees the namespaces, and with the IPC namespace every SysV object
// and POSIX queue still in it: even a server killed with SIGKILL leaves none behind.
//
// Not namespaced: /dev/shm (POSIX shared memory, named semaphores) and the run directory
// (FIFOs, files, Unix socket paths); those stay isolated by run-id naming.

import { C, SyscallError, sys } from '../../native/index';

const KINDS = [
  ['ipc', C.CLONE_NEWIPC],
  ['net', C.CLONE_NEWNET],
] as const;

function openNs(kind: string): number {
  return sys.open(`/proc/thread-self/ns/${kind}`, C.O_RDONLY | C.O_CLOEXEC, 0);
}

/** The server's own namespaces, to come back to: open for the life of the process. */
const home = KINDS.map(([kind]) => openNs(kind));
let unavailable: string | null = null;

export class RunNamespace {
  private constructor(private fds: number[]) {}

  /** Fresh namespaces for one run, or null (with the reason in `whyNot()`) where not allowed. */
  static create(): RunNamespace | null {
    if (unavailable) return null;
    try {
      sys.unshare(C.CLONE_NEWIPC | C.CLONE_NEWNET);
    } catch (e) {
      if (!(e instanceof SyscallError)) throw e;
      unavailable = `unshare: ${e.code}`;
      return null;
    }
    const fds: number[] = [];
    try {
      for (const [kind] of KINDS) fds.push(openNs(kind));
      sys.loopbackUp(); // a new network namespace starts with lo down
      return new RunNamespace(fds);
    } catch (e) {
      for (const fd of fds) sys.close(fd);
      if (!(e instanceof SyscallError)) throw e;
      unavailable = `${e.message}`;
      return null;
    } finally {
      goHome();
    }
  }

  /** Why runs fall back to naming alone (null while namespaces work). */
  static whyNot(): string | null {
    return unavailable;
  }

  /** Runs fn with the calling thread inside this run's namespaces. */
  enter<T>(fn: () => T): T {
    if (this.fds.length === 0) throw new Error('namespace already closed');
    KINDS.forEach(([, type], i) => sys.setns(this.fds[i], type));
    try {
      return fn();
    } finally {
      goHome();
    }
  }

  /** Drops the server's hold; the kernel frees the namespaces once no process is in them. */
  close(): void {
    for (const fd of this.fds) sys.close(fd);
    this.fds = [];
  }
}

function goHome(): void {
  KINDS.forEach(([, type], i) => sys.setns(home[i], type));
}
