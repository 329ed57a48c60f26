// The socket.io protocol between the browser and the server: event names and payloads.
// Isomorphic (types only): server/socket.ts implements it, components/run/connection.ts uses it.

import type { Frame } from './events';
import type { PlaceError } from './scenario';

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
  | { runId: string; action: 'stop' };

export type ControlReply = { ok: true } | { ok: false; message: string };

/** Signals the browser may send to a running process from its node's menu. */
export const UI_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGKILL', 'SIGUSR1', 'SIGUSR2', 'SIGSTOP', 'SIGCONT'] as const;

export interface ServerToClient {
  'run:frame': (frame: Frame) => void;
  /** Sent on every (re)connection, after any frames missed while away: the tab's runs still going. */
  session: (info: { runs: string[] }) => void;
}

export interface ClientToServer {
  'run:start': (req: { scenario: unknown; options: StartOptions }, reply: (r: StartReply) => void) => void;
  'run:control': (cmd: ControlCommand, reply: (r: ControlReply) => void) => void;
}
