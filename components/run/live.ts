// The browser's picture of a run, built from the event stream (lib/events.ts) by apply.ts.
import type { EndReason, ObjectState, ProcOutcome, ChannelCounts, ProcState } from '@/lib/events';
import type { MechanismId } from '@/lib/mechanisms';
import type { Link } from '@/lib/scenario';

export type RunStatus = 'idle' | 'starting' | 'running' | 'ended';

export interface SignalMark {
  signal: string;
  phase: 'sent' | 'delivered' | 'handled' | 'ignored';
  /** Who sent it: a process id, or null when it came from the browser (the node's menu). */
  from: string | null;
  seq: number;
}

export interface ProcLive {
  id: string;
  name: string;
  pid: number | null;
  state: ProcState;
  /** While blocked: the call (`read`) and the channel id it waits on. */
  call?: string;
  channel?: string;
  /** The statement being run (1-based), 0 before the first. */
  line: number;
  statements: number;
  syscalls: number;
  outcome?: string;
  code?: number | null;
  signal?: string | null;
  /** The latest signal event about this process, for the node's flash. */
  lastSignal?: SignalMark;
  /** Its latest failed call (errno by name) and how many failed so far. */
  failed?: { call: string; errno: string; line: number; count: number };
  /** Its output reached the server's limit: what it prints from then on is not shown. */
  capped?: boolean;
  /** Blocked in poll(): the channels it watches. */
  watching?: string[];
  /** The channels its latest poll() found ready (seq: which poll, for the edges' flash). */
  ready?: { channels: string[]; seq: number };
  /** A forked child: the process that forked it (it is drawn beside it, and prints to its terminal). */
  parent?: string;
  /** A forked child that ended and was waited for, by this process: gone (until then a zombie). */
  reapedBy?: string;
}

/** The drawn process whose terminal a process prints to: itself, or the one it was forked from. */
export function terminalOf(procs: Record<string, ProcLive>, id: string): string {
  let p = procs[id];
  for (let hops = 0; p?.parent && hops < 64; hops++) {
    id = p.parent;
    p = procs[id];
  }
  return id;
}

export interface ShmView {
  bytes: Uint8Array;
  /** Offsets changed by the latest sample that changed anything. */
  changed: Set<number>;
  /** Bumped on every change: the grid re-renders on it (bytes are mutated in place). */
  version: number;
}

export interface ChanLive {
  id: string;
  label: string;
  mechanism: MechanismId;
  /** The processes linked to it, each at its end. */
  links: Link[];
  object: ObjectState | null;
  shm: ShmView | null;
  /** Sends seen from the `from` end and from the `to` end so far: packets animate on changes. */
  fwd: number;
  back: number;
  /** Sends and receives seen from each process: an object's links animate on changes. */
  sentBy: Record<string, number>;
  recvdBy: Record<string, number>;
  sends: number;
  recvs: number;
  bytes: number;
}

export interface TraceEntry {
  seq: number;
  t: number;
  proc: string;
  name: string;
  args: string;
  ret: string;
  errno: string | null;
  ms: number;
  channel?: string;
}

export interface Notice {
  seq: number;
  t: number;
  proc?: string;
  message: string;
}

/** A signal between two processes with no signal channel drawn: shown as a bolt flying across. */
export interface SignalArc {
  seq: number;
  from: string;
  to: string;
  signal: string;
}

export interface EndSummary {
  reason: EndReason;
  ms: number;
  processes: ProcOutcome[];
  channels: ChannelCounts[];
  leftovers: string[];
}

export interface RunLive {
  status: RunStatus;
  runId: string | null;
  /** How the server isolated the run: its own IPC and network namespaces, or naming alone. */
  isolation: 'namespaces' | 'naming' | null;
  /** performance.now() at the run's t=0 (from the first event), for the elapsed clock. */
  clockZero: number | null;
  /** Run time (ms, the run's own clock) of the latest event seen. */
  lastT: number;
  paused: boolean;
  procs: Record<string, ProcLive>;
  chans: Record<string, ChanLive>;
  /** The syscall trace, newest last; bounded. */
  calls: TraceEntry[];
  notices: Notice[];
  /** Trace events the server left out because they came too fast to show (counters stay exact). */
  dropped: number;
  arcs: SignalArc[];
  end: EndSummary | null;
  seq: number;
}

export const IDLE: RunLive = {
  status: 'idle',
  runId: null,
  isolation: null,
  clockZero: null,
  lastT: 0,
  paused: false,
  procs: {},
  chans: {},
  calls: [],
  notices: [],
  dropped: 0,
  arcs: [],
  end: null,
  seq: 0,
};

export const FINAL_STATES: ReadonlySet<ProcState> = new Set(['exited', 'killed']);
