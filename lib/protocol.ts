// The socket.io protocol between the browser and the server: event names and payloads.
// Isomorphic (types only): server/socket.ts implements it, components/run/connection.ts uses it.

import type { Frame } from './events';
import type { MechanismId } from './mechanisms';
import type { Link, PlaceError } from './scenario';

export interface StartOptions {
  trace?: boolean;
  /** Statements per second per process; 0 = full speed. */
  sps?: number;
  /** Start paused at the first statement (step mode). */
  paused?: boolean;
}

export type StartReply = { ok: true; runId: string } | { ok: false; errors: PlaceError[] };

export type ControlCommand =
  | { runId: string; action: 'pause' | 'resume' | 'step'; proc?: string }
  | { runId: string; action: 'speed'; sps: number }
  | { runId: string; action: 'trace'; on: boolean }
  | { runId: string; action: 'signal'; proc: string; signal: string }
  | { runId: string; action: 'stop' }
  /** Typed into a process's terminal: text to its fd 0, or Ctrl-D (end of file). */
  | { runId: string; action: 'stdin'; proc: string; text: string }
  | { runId: string; action: 'stdin-eof'; proc: string };

export type ControlReply = { ok: true } | { ok: false; message: string };

/** Signals the browser may send to a running process from its node's menu. */
export const UI_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGKILL', 'SIGUSR1', 'SIGUSR2', 'SIGSTOP', 'SIGCONT'] as const;

// ---- follow mode: a presenter's tab shared live, read-only, with an unguessable token ----

/** What a follower mirrors of the presenter's view besides the scenario and the run. */
export interface FollowView {
  selection: { nodes: string[]; edges: string[] };
  /** The dock tab shown (objects, trace, summary, problems). */
  dockTab?: string;
  /** The side panel's tab for a selected process: its program or its C. */
  inspectorTab?: string;
  /** The presenter's speed (statements per second, 0 = full) and trace setting. */
  sps?: number;
  trace?: boolean;
}

export type FollowPresenterState = 'here' | 'away' | 'ended';

export type FollowCreateReply = { ok: true; token: string; code: string; followers: number } | { ok: false; message: string };

export type FollowJoinReply =
  | {
      ok: true;
      scenario: unknown;
      view: FollowView;
      /** The presenter's latest run rebuilt as one frame (null before the first run). */
      snapshot: Frame | null;
      presenter: FollowPresenterState;
      /** The seq of the room's first frame after the snapshot: earlier ones are in it. */
      since: number;
    }
  | { ok: false; message: string };

/** Follow tokens: 128 random bits, base64url. Never the session token. */
export const FOLLOW_TOKEN = /^[A-Za-z0-9_-]{20,64}$/;
/** A live session's short code (/f/CODE), 6 letters and digits, any case. */
export const FOLLOW_CODE = /^[A-Za-z0-9]{6}$/;

export interface ServerToClient {
  'run:frame': (frame: Frame) => void;
  /**
   * On (re)connection: this tab's runs still going, which server process answers (it changes
   * on a restart), the picture of its latest run so far (drawn from nothing, as a reloaded
   * page has nothing to add missed frames to; null when there is none to show), and whether
   * the session shares itself live (a new tab that took it over shares again).
   */
  session: (info: { runs: string[]; server: string; snapshot: Frame | null; sharing: boolean }) => void;
  /** To a presenter: how many follow its tab now. */
  'follow:count': (info: { followers: number }) => void;
  /** To followers: the presenter's scenario changed. */
  'follow:scenario': (scenario: unknown) => void;
  /** To followers: the presenter's selection or panels changed. */
  'follow:view': (view: FollowView) => void;
  /** To a follower: the presenter's run as it is now, drawn from nothing (it fell behind and skips ahead, or the trace is shown and comes whole). */
  'follow:reset': (snapshot: Frame | null) => void;
  /** To followers: the presenter left for a moment, came back, or stopped sharing. */
  'follow:status': (info: { presenter: FollowPresenterState }) => void;
  /** To a tab whose start waits for a run slot: its place in line (1: next) and about how long it may wait (ms, null when unknown), each time the place changes. */
  'run:queue': (info: { place: number; etaMs: number | null }) => void;
  /** An event without an answer was refused by a rate limit or quota ("too many requests: wait 2 s"). */
  limit: (info: { message: string }) => void;
}

export interface ClientToServer {
  /** Answered when the run starts or is refused; when every slot is busy it waits in line first ('run:queue'). */
  'run:start': (req: { scenario: unknown; options: StartOptions }, reply: (r: StartReply) => void) => void;
  'run:control': (cmd: ControlCommand, reply: (r: ControlReply) => void) => void;
  /** Takes this tab's waiting starts out of the line (their start requests are answered: not started). */
  'run:leave': (reply: (r: { ok: true }) => void) => void;
  /** Starts sharing this tab live (or gives the token it already shares under). */
  'follow:create': (req: { scenario: unknown; view: FollowView }, reply: (r: FollowCreateReply) => void) => void;
  /** The presenter's scenario and/or view changed. */
  'follow:update': (update: { scenario?: unknown; view?: FollowView }) => void;
  /** The presenter stops sharing: followers are told, the token stops working. */
  'follow:stop': (reply: (r: { ok: true }) => void) => void;
  /** Follow the tab shared under `token` (or its short code), read-only. */
  'follow:join': (req: { token: string }, reply: (r: FollowJoinReply) => void) => void;
  'follow:leave': () => void;
}

/** One gallery scenario, as GET /api/examples lists it. */
export interface ExampleEntry {
  slug: string;
  title: string;
  description: string;
  /** The mechanisms its channels use, each once, in order of first use. */
  mechanisms: string[];
  /** Enough of the drawing for a thumbnail. */
  processes: { id: string; name: string; position?: { x: number; y: number } }[];
  channels: { id: string; mechanism: MechanismId; links: Link[]; position?: { x: number; y: number } }[];
}
