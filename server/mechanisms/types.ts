// The contract of a mechanism module: one file per mechanism, registered in registry.ts.
// The server half (create, inspect, destroy) runs in the orchestrator; the host half
// (attach and the returned Endpoint) runs inside each process host.

import type { ChannelInfo, ObjectState } from '../../lib/events';
import type { MechanismId } from '../../lib/mechanisms';
import type { HostRuntime } from '../host/runtime';

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
  /** The run's private directory (mode 0700); FIFOs, files and socket paths go here. */
  runDir: string;
  /** A POSIX object name made from the run id and the channel's index, never from user text. */
  objectName: string;
  journal(entry: JournalEntry): void;
}

export interface Created<H = unknown> {
  /** JSON given to each end's host at attach. */
  spec: Record<string, unknown>;
  /** Fds each end inherits through spawn; the orchestrator closes its copies after spawning. */
  fds?: { from?: number[]; to?: number[] };
  /** Server-private state for inspect and destroy. */
  handle: H;
}

export interface AttachContext {
  channel: RunChannel;
  role: 'from' | 'to';
  spec: Record<string, unknown>;
  /** The inherited fds, renumbered as this process sees them. */
  fds: number[];
  rt: HostRuntime;
}

export interface SendOptions {
  mtype?: number;
  priority?: number;
}
export interface RecvOptions {
  size?: number;
  mtype?: number;
  /**
   * false: the program drops the data (`recv c1` with no `as`): only its length and whether it
   * is the end of the stream matter, so an endpoint may return a view of a reused buffer.
   */
  keep?: boolean;
}

/** One process's end of a channel. Blocking methods return promises and report blocked state through rt. */
export interface Endpoint {
  /** Published to the other end before the start (e.g. a bound port). */
  ready?: Record<string, unknown>;
  /** Called once every host is ready, with the other end's `ready` info. */
  start?(peer: Record<string, unknown>): void;
  send?(data: Buffer, o: SendOptions): Promise<void> | void;
  /** Resolves to null at end of stream (EOF, peer closed). */
  recv?(o: RecvOptions): Promise<Buffer | null> | Buffer | null;
  write?(data: Buffer, offset: number): void;
  read?(length: number, offset: number): Buffer;
  lock?(): Promise<void> | void;
  unlock?(): void;
  wait?(): Promise<void> | void;
  post?(): void;
  trywait?(): boolean;
  close?(): void;
  /** Live state seen from this end (fd-based objects the server holds no handle to). */
  probe?(): ObjectState | null;
}

export interface InspectContext {
  /** The process id (scenario id) of a PID of this run, or null. */
  procOfPid(pid: number): string | null;
}

export interface Mechanism<H = unknown> {
  id: MechanismId;
  create(ctx: CreateContext): Created<H>;
  attach(ctx: AttachContext): Promise<Endpoint> | Endpoint;
  /** Live state sampled by the server; must not change the object's semantics. */
  inspect?(handle: H, ctx: InspectContext): ObjectState | null;
  /** Removes the kernel object. Idempotent; errors of already-gone objects are ignored. */
  destroy(handle: H): void;
}
