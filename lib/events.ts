// The event stream of a run: what the CLI prints with --json and what the browser receives.
// One JSON object per event; `t` is ms since the run started (monotonic clock).

import type { MechanismId } from './mechanisms';
import type { Link } from './scenario';

export type ProcState = 'starting' | 'running' | 'sleeping' | 'blocked' | 'paused' | 'stopped' | 'exited' | 'killed';

/** Live state of a channel's kernel object; which fields are present depends on the mechanism. */
export interface ObjectState {
  /** Bytes buffered (pipe, FIFO, socket receive queue, queue bytes, file size). */
  bytes?: number;
  /** Capacity in bytes (pipe buffer size, queue limit). */
  capacity?: number;
  /** Semaphore value. */
  value?: number;
  /** Processes (ids) known to wait on the object. */
  waiters?: string[];
  /** Messages queued. */
  messages?: number;
  /** Process (id) holding the file lock, and its type. */
  holder?: string | null;
  lockType?: 'read' | 'write' | null;
  /** Shared memory: size and the bytes that changed since the previous sample. */
  size?: number;
  /** Changed ranges: offset and the new bytes as hex. The first sample carries the used prefix. */
  changes?: { offset: number; hex: string }[];
  /** Stream sockets: listening, connected, closed; address or path. */
  conn?: string;
  address?: string;
  /** A listening socket: connections its server has accepted so far, and those still open in it. */
  accepted?: number;
  connections?: number;
  /** Ends still open (pipe, FIFO). */
  readers?: number;
  writers?: number;
  /** File: the last bytes of its contents, as text. */
  text?: string;
  /** Signal channel, from the receiver's /proc/PID/status: pending, blocked and caught signal names. */
  pending?: string[];
  blocked?: string[];
  caught?: string[];
}

export interface ProcInfo {
  id: string;
  name: string;
  pid: number;
}

export interface ChannelInfo {
  id: string;
  label: string;
  mechanism: MechanismId;
  /** The processes linked to it, each at its end. */
  links: Link[];
}

export interface ProcOutcome {
  id: string;
  name: string;
  /** `exited 0`, `killed by SIGTERM` */
  outcome: string;
  code: number | null;
  signal: string | null;
  ms: number;
}

export interface ChannelCounts {
  id: string;
  sends: number;
  recvs: number;
  bytes: number;
}

export type EndReason = 'finished' | 'stopped' | 'timeout' | 'disconnected' | 'error';

type At = { t: number };
type OfProc = At & { proc: string };

export type RunEvent =
  /** isolation: the run's own IPC and network namespaces, or run-id naming alone (see RunNamespace). */
  | (At & { type: 'run'; runId: string; isolation: 'namespaces' | 'naming'; processes: ProcInfo[]; channels: ChannelInfo[] })
  /** `watching`: the channels a process blocked in poll() watches. */
  | (OfProc & { type: 'state'; state: ProcState; call?: string; channel?: string; watching?: string[] })
  /** poll() returned: the channels it found ready (the ends the process holds), in its order. */
  | (OfProc & { type: 'ready'; channels: string[] })
  /** A call of the process failed (a `try` call goes on; another one ends it): the latest, and how many so far. */
  | (OfProc & { type: 'failed'; call: string; errno: string; line: number; count: number })
  | (OfProc & { type: 'line'; line: number })
  | (OfProc & { type: 'syscall'; name: string; args: string; ret: string; errno: string | null; ms: number; channel?: string })
  | (OfProc & { type: 'stdout' | 'stderr'; text: string })
  | (At & { type: 'signal'; signal: string; from: string | null; to: string; phase: 'sent' | 'delivered' | 'handled' | 'ignored' })
  | (At & { type: 'object'; channel: string; mechanism: MechanismId; state: ObjectState })
  /** Coalesced per-call activity at full speed with trace off. */
  | (OfProc & {
      type: 'counters';
      statements: number;
      /** The line being run at the time of the sample. */
      line: number;
      syscalls: Record<string, number>;
      sends: number;
      recvs: number;
      bytes: number;
      /** channel id -> [sends, recvs, bytes] of this process */
      channels?: Record<string, [number, number, number]>;
    })
  | (At & { type: 'control'; action: 'pause' | 'resume' | 'step' | 'speed'; proc?: string; sps?: number })
  | (OfProc & { type: 'exit'; code: number | null; signal: string | null })
  /** A process forked a child (`proc`), which is a process of the run from now on, drawn beside its parent. */
  | (OfProc & { type: 'fork'; parent: string; name: string; pid: number })
  /** A forked child that had ended was waited for (waitpid) by `by`: it is gone (until then it is a zombie). */
  | (OfProc & { type: 'reaped'; by: string })
  | (At & { type: 'notice'; proc?: string; message: string })
  | (At & { type: 'end'; reason: EndReason; processes: ProcOutcome[]; channels: ChannelCounts[]; leftovers: string[]; ms: number });

export type RunEventType = RunEvent['type'];

/** A batch of events, as sent to a browser at most about 30 times a second. */
export interface Frame {
  runId: string;
  seq: number;
  events: RunEvent[];
}
