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
import { useNotify } from '../store/notify';
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
export type Incoming = { kind: 'frame'; frame: Frame } | { kind: 'session'; runs: string[]; server: string; snapshot: Frame | null } | { kind: 'reset'; snapshot: Frame | null };

/** Follow mode's messages, handled by components/follow. */
export interface FollowHandlers {
  connected?(): void;
  count?(followers: number): void;
  scenario?(scenario: unknown): void;
  view?(view: FollowView): void;
  status?(presenter: FollowPresenterState): void;
  /** On (re)connection: whether this tab's session shares itself live (a tab that took it over shares again). */
  sharing?(on: boolean): void;
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
/** While joining a live session: its frames, kept until the picture they follow has come. */
let held: Frame[] | null = null;

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

/**
 * In class mode a connection is refused until the browser has joined (server/edge/gate.ts);
 * a tab whose identity is no longer taken (it expired, the server restarted with a new key)
 * learns it here and is sent to /join, which brings it back to this page.
 */
async function joinIfAsked(): Promise<void> {
  try {
    const r = await fetch(window.location.pathname, { method: 'HEAD', redirect: 'manual', cache: 'no-store' });
    if (r.status === 401 || r.type === 'opaqueredirect') window.location.assign(`/join?next=${encodeURIComponent(window.location.pathname + window.location.search)}`);
  } catch {
    // the server is away: the connection keeps retrying
  }
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
  socket.on('connect_error', (e) => {
    useConnection.setState({ state: 'disconnected', lastError: e.message });
    void joinIfAsked();
  });
  // a rate limit or quota refused something that has no answer of its own
  socket.on('limit', (info) => useNotify.getState().toast({ text: info.message, tone: 'error', kind: 'limit' }));
  socket.on('run:frame', (frame) => (held ? held.push(frame) : enqueue({ kind: 'frame', frame })));
  socket.on('session', (info) => {
    enqueue({ kind: 'session', runs: info.runs, server: info.server, snapshot: info.snapshot });
    follow.sharing?.(info.sharing);
  });
  socket.on('follow:count', (info) => follow.count?.(info.followers));
  socket.on('follow:scenario', (s) => follow.scenario?.(s));
  socket.on('follow:view', (v) => follow.view?.(v));
  socket.on('follow:status', (info) => follow.status?.(info.presenter));
  socket.on('follow:reset', (snapshot) => enqueue({ kind: 'reset', snapshot }));
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
    // frames may come before the answer (the room lives on another server): kept, and those
    // the picture does not hold already (from `since` on) applied after it
    held = [];
    s.timeout(10_000).emit('follow:join', { token }, (err: Error | null, r: FollowJoinReply) => {
      const frames = held ?? [];
      held = null;
      if (err) return resolve({ ok: false, message: 'the server did not answer' });
      if (r.ok) {
        enqueue({ kind: 'reset', snapshot: r.snapshot });
        for (const frame of frames) if (frame.seq >= r.since) enqueue({ kind: 'frame', frame });
      }
      resolve(r);
    });
  });
}

/**
 * Starts a run. When every run slot of the server is busy the start waits in line: `onPlace`
 * hears its place as the line moves, and the answer comes when the run starts (or is refused).
 * The server must answer within 20 s, or say the start is in line; in line there is no limit.
 */
export function startRun(scenario: unknown, options: StartOptions, onPlace: (place: number, etaMs: number | null) => void): Promise<StartReply> {
  const refused = (message: string): StartReply => ({ ok: false, errors: [{ place: '(server)', message }] });
  if (!socket?.connected) return Promise.resolve(refused('not connected to the server: wait for the connection to come back'));
  const s = socket;
  return new Promise((resolve) => {
    let timer: ReturnType<typeof setTimeout> | null = setTimeout(() => finish(refused('the server did not answer the start request in time')), 20_000);
    const place = (info: { place: number; etaMs: number | null }) => {
      if (timer) clearTimeout(timer);
      timer = null;
      onPlace(info.place, typeof info.etaMs === 'number' ? info.etaMs : null);
    };
    const gone = () => finish(refused('the connection to the server was lost before the run started'));
    const finish = (r: StartReply) => {
      if (timer) clearTimeout(timer);
      s.off('run:queue', place);
      s.off('disconnect', gone);
      resolve(r);
    };
    s.on('run:queue', place);
    s.on('disconnect', gone);
    s.emit('run:start', { scenario, options }, finish);
  });
}

/** Leaves the line of runs waiting for a slot (the waiting start is then answered: not started). */
export function leaveLine(): void {
  if (socket?.connected) socket.emit('run:leave', () => {});
}

export async function sendControl(cmd: ControlCommand): Promise<ControlReply> {
  if (!socket?.connected) return { ok: false, message: 'not connected' };
  try {
    return await socket.timeout(5000).emitWithAck('run:control', cmd);
  } catch {
    return { ok: false, message: 'the server did not answer' };
  }
}
