// SIGKILL for a set of processes known only by PID (a cgroup's member list), without ever
// hitting a process that merely inherited a recycled PID.
//
// Why pidfds: between reading a PID from cgroup.procs and signalling it, the process may
// exit and its PID go to someone else. A pidfd names one process for good, so: list, open a
// pidfd per PID, list again, and signal through the pidfd only the PIDs still listed. A PID
// listed after its pidfd was opened belongs either to the process the pidfd names or to
// another member (recycled inside the set), so the signal cannot leave the set.
// Where pidfds are missing (glibc < 2.36, kernel < 5.3) it falls back to kill(2) after the
// second listing, which narrows the window without closing it.

import { SyscallError, signum, sys } from '../../native/index';

const SIGKILL = signum('SIGKILL');

/** Whether a PID may be signalled at all: never 0, -1 (process groups, everyone), 1, or us. */
export function signallable(pid: number): boolean {
  return Number.isInteger(pid) && pid > 1 && pid !== process.pid;
}

/** SIGKILLs every process that `list()` names (read twice, see above). Returns how many were signalled. */
export function killListed(list: () => number[]): number {
  const first = list().filter(signallable);
  if (first.length === 0) return 0;
  const fds = new Map<number, number>();
  let noPidfd = false;
  try {
    for (const pid of first) {
      try {
        const fd = sys.pidfdOpen(pid);
        if (fd === null) {
          noPidfd = true;
          break;
        }
        fds.set(pid, fd);
      } catch (e) {
        if (!(e instanceof SyscallError && e.code === 'ESRCH')) throw e; // already gone: nothing to do
      }
    }
    const still = new Set(list());
    let n = 0;
    if (noPidfd) {
      for (const pid of first) {
        if (!still.has(pid) || !signallable(pid)) continue; // checked right before each kill
        try {
          sys.kill(pid, SIGKILL);
          n++;
        } catch (e) {
          if (!(e instanceof SyscallError && e.code === 'ESRCH')) throw e;
        }
      }
      return n;
    }
    for (const [pid, fd] of fds) if (still.has(pid) && sys.pidfdSignal(fd, SIGKILL)) n++;
    return n;
  } finally {
    for (const fd of fds.values()) sys.close(fd);
  }
}
