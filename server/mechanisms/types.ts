// The contract of a mechanism's server module: one file per mechanism, registered in
// registry.ts. The server makes the kernel object before the processes exist (as the C's
// create_objects() does before fork()), inspects it while they run, and destroys it after.
// The processes' side is the compiled C (lib/cgen): its hosted main() takes `args` and `fds`.

import type { ChannelInfo, ObjectState } from '../../lib/events';
import type { MechanismId } from '../../lib/mechanisms';

/** A channel as the server sees it: its place in the scenario and its options with defaults. */
export interface RunChannel extends ChannelInfo {
  index: number;
  options: Record<string, number | string>;
}

/** What the verify step checks and the crash sweep removes; recorded before the object exists. */
export type JournalEntry =
  | { kind: 'sem'; name: string }
  | { kind: 'shm'; name: string }
  | { kind: 'mq'; name: string }
  | { kind: 'msg'; id: number }
  | { kind: 'shmid'; id: number }
  | { kind: 'pid'; pid: number; runId: string }
  /** The run has its own IPC namespace: its SysV objects and queues die with it. */
  | { kind: 'ns' };

export interface CreateContext {
  channel: RunChannel;
  /** The run's private directory; FIFOs, files and socket paths go here. */
  runDir: string;
  /** A POSIX object name made from the run id and the channel's index, never from user text. */
  objectName: string;
  journal(entry: JournalEntry): void;
  /**
   * The run's uid/gid, or null: its processes drop to it at the start, once they have opened
   * their objects. An object they use by id afterwards (a SysV queue) must be theirs.
   */
  owner: { uid: number; gid: number } | null;
}

export interface Created<H = unknown> {
  /** Values the processes' main() takes (paths, names, ids, ports), by key. */
  args: Record<string, string | number>;
  /**
   * Server fds the processes inherit, by key (their numbers in the child become args too).
   * 'all': every process, as fork() gives a parent's pipes and sockets to every child (each closes
   * what it does not use); 'ends': the channel's two processes only.
   */
  fds?: {
    pass: 'all' | 'ends';
    byKey: Record<string, number>;
    /** The key of the fd each end reads or writes, for the live view (fds a process opens itself it reports). */
    endKey?: { from?: string; to?: string };
  };
  /** Server-private state for inspect and destroy. */
  handle: H;
}

export interface InspectContext {
  /** The process id (scenario id) of a PID of this run, or null. */
  procOfPid(pid: number): string | null;
  /**
   * Runs fn on a copy (pidfd_getfd) of the fd that the process at `role` holds of this channel,
   * closed right after; null when it holds none. Used for FIONREAD on pipes and sockets.
   */
  withFd<T>(role: 'from' | 'to', fn: (fd: number) => T): T | null;
  /** PID of the process at an end, or 0 once it has ended. */
  pidOf(role: 'from' | 'to'): number;
  /** A listening socket's connections, from its server's control page: accepted so far, and still open there. */
  connections(): { accepted: number; open: number } | null;
}

export interface Mechanism<H = unknown> {
  id: MechanismId;
  create(ctx: CreateContext): Created<H>;
  /** Live state sampled by the server; must not change the object's semantics. */
  inspect?(handle: H, ctx: InspectContext): ObjectState | null;
  /** Removes the kernel object. Idempotent; errors of already-gone objects are ignored. */
  destroy(handle: H): void;
}
