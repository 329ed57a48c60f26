'use client';
// The socket.io connection to the server, one per tab. Frames are queued as they arrive
// and applied together once per animation frame (see apply.ts), so a flood of events keeps
// the page responsive. The tab's random token lets it find its runs after a reconnection.

import { io, type Socket } from 'socket.io-client';
import { create } from 'zustand';
import type { Frame } from '@/lib/events';
import type {
  ClientToServer,
  ControlCommand,
  ControlReply,
  FollowCreateReply,
  FollowJoinReply,
  FollowPresenterState,
  FollowView,
  ServerToClient,
  StartOptions,
  StartReply,
} from '@/lib/protocol';
import { readStored, writeStored } from '../scenario/storage';

export type ConnectionState = 'connecting' | 'connected' | 'disconnected';

export const useConnection = create<{ state: ConnectionState; everConnected: boolean; lastError: string | null }>()(() => ({
  state: 'connecting',
  everConnected: false,
  lastError: null,
}));

/**
 * What arrives, in order: run frames, the session's runs after a reconnection, and (when
 * following someone) a reset with the picture of their run so far.
 */
export type Incoming = { kind: 'frame'; frame: Frame } | { kind: 'session'; runs: string[]; server: string } | { kind: 'reset'; snapshot: Frame | null };

/** Follow mode's messages, handled by components/follow. */
export interface FollowHandlers {
  connected?(): void;
  count?(followers: number): void;
  scenario?(scenario: unknown): void;
  view?(view: FollowView): void;
  status?(presenter: FollowPresenterState): void;
}
let follow: FollowHandlers = {};
/** Set before connecting (or while connected: `connected` then runs on the next connection). */
export function setFollowHandlers(h: FollowHandlers): void {
  follow = h;
}
type Sink = (batch: Incoming[]) => void;

let socket: Socket<ServerToClient, ClientToServer> | null = null;
let queue: Incoming[] = [];
let scheduled = false;
let sink: Sink = () => {};

function clientToken(): string {
  const KEY = 'ipcpg.client';
  let t = readStored('session', KEY);
  if (!t || !/^[A-Za-z0-9_-]{8,64}$/.test(t)) {
    const bytes = crypto.getRandomValues(new Uint8Array(12));
    t = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
    writeStored('session', KEY, t);
  }
  return t;
}

function flush(): void {
  scheduled = false;
  if (queue.length === 0) return;
  const batch = queue;
  queue = [];
  sink(batch);
}

function schedule(): void {
  if (scheduled) return;
  scheduled = true;
  // a hidden tab gets no animation frames: fall back to a slow timer so memory stays bounded
  if (document.visibilityState === 'hidden') setTimeout(flush, 250);
  else requestAnimationFrame(flush);
}

function enqueue(item: Incoming): void {
  queue.push(item);
  schedule();
}

/** Connects (once) and sends every batch of incoming frames to `onBatch`. */
export function connect(onBatch: Sink): void {
  sink = onBatch;
  if (socket) return;
  socket = io({ transports: ['websocket', 'polling'], auth: { client: clientToken() }, reconnectionDelayMax: 2000 });
  socket.on('connect', () => {
    useConnection.setState({ state: 'connected', everConnected: true, lastError: null });
    follow.connected?.();
  });
  socket.on('disconnect', () => useConnection.setState({ state: 'disconnected' }));
  socket.on('connect_error', (e) => useConnection.setState({ state: 'disconnected', lastError: e.message }));
  socket.on('run:frame', (frame) => enqueue({ kind: 'frame', frame }));
  socket.on('session', (info) => enqueue({ kind: 'session', runs: info.runs, server: info.server }));
  socket.on('follow:count', (info) => follow.count?.(info.followers));
  socket.on('follow:scenario', (s) => follow.scenario?.(s));
  socket.on('follow:view', (v) => follow.view?.(v));
  socket.on('follow:status', (info) => follow.status?.(info.presenter));
}

export async function followCreate(scenario: unknown, view: FollowView): Promise<FollowCreateReply> {
  if (!socket?.connected) return { ok: false, message: 'not connected to the server' };
  try {
    return await socket.timeout(5000).emitWithAck('follow:create', { scenario, view });
  } catch {
    return { ok: false, message: 'the server did not answer' };
  }
}

export function followUpdate(update: { scenario?: unknown; view?: FollowView }): void {
  if (socket?.connected) socket.emit('follow:update', update);
}

export async function followStop(): Promise<void> {
  if (!socket?.connected) return;
  try {
    await socket.timeout(5000).emitWithAck('follow:stop');
  } catch {
    // the session ends with the tab anyway
  }
}

/** Joins a live session; the picture of its run so far is queued before any later frame. */
export async function followJoin(token: string): Promise<FollowJoinReply> {
  if (!socket?.connected) return { ok: false, message: 'not connected to the server' };
  const s = socket;
  return new Promise((resolve) => {
    // the callback runs as the answer is decoded, before any frame that follows it
    s.timeout(10_000).emit('follow:join', { token }, (err: Error | null, r: FollowJoinReply) => {
      if (err) return resolve({ ok: false, message: 'the server did not answer' });
      if (r.ok) enqueue({ kind: 'reset', snapshot: r.snapshot });
      resolve(r);
    });
  });
}

export async function startRun(scenario: unknown, options: StartOptions): Promise<StartReply> {
  if (!socket?.connected) return { ok: false, errors: [{ place: '(server)', message: 'not connected to the server: wait for the connection to come back' }] };
  try {
    return await socket.timeout(20_000).emitWithAck('run:start', { scenario, options });
  } catch {
    return { ok: false, errors: [{ place: '(server)', message: 'the server did not answer the start request in time' }] };
  }
}

export async function sendControl(cmd: ControlCommand): Promise<ControlReply> {
  if (!socket?.connected) return { ok: false, message: 'not connected' };
  try {
    return await socket.timeout(5000).emitWithAck('run:control', cmd);
  } catch {
    return { ok: false, message: 'the server did not answer' };
  }
}
