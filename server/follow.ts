// Follow mode: a presenter's tab shared live and read-only. The presenter asks for a room
// and gets an unguessable token (128 random bits, never its session token) and a short code
// to read out or scan from a projector (6 characters, short-lived: it works only while the
// room does, and guesses go through the socket's rate limits); whoever opens /follow/TOKEN
// or /f/CODE joins the room's socket.io room and receives the presenter's scenario,
// selection and the frames of every run the presenter's tab starts. A late joiner gets the
// current run at once, rebuilt from a bounded replay (server/replay.ts).
//
// Followers get the run thinned (server/feed.ts: at most 10 frames a second, the latest state,
// the trace only while the presenter shows it), broadcast once for all. A follower whose
// connection cannot keep up (frames wait unsent in its socket) gets none until it has
// drained, then the picture as it is now: it skips ahead instead of falling further behind.
//
// With several servers (server/cluster.ts) a room lives on its presenter's server; a follower
// that lands on another asks the others for it, joins its socket.io room there (broadcasts
// reach it through Redis) and then asks for the picture so far, so that no frame falls between
// the two: the picture says from which frame on it holds (`since`), and the page keeps only the
// frames from there (components/run/connection.ts).
//
// Followers get no control: run commands are looked up among the runs of the sender's own
// session (server/socket.ts), and only the presenter's socket may update the room.

import { randomBytes } from 'node:crypto';
import type { Server, Socket } from 'socket.io';
import { z } from 'zod';
import type { Frame } from '../lib/events';
import { FOLLOW_CODE, FOLLOW_TOKEN, type ClientToServer, type FollowJoinReply, type FollowPresenterState, type FollowView, type ServerToClient } from '../lib/protocol';
import { checkScenarioShape, scenarioMaxSize, sizeOver, type Limits, type Scenario } from '../lib/scenario';
import { FollowerFeed } from './feed';
import type { RunReplay } from './replay';

/** What servers ask each other (server/cluster.ts): a room by token or code, and followers coming and going on another server. */
export interface InterServer {
  'follow:find': (key: string, reply: (room: RemoteRoom | null) => void) => void;
  /** The picture of a room for a follower on the asking server, counted from then on (so that no frame falls between the two). */
  'follow:attach': (token: string, reply: (room: RemoteRoom | null) => void) => void;
  'follow:followers': (token: string, delta: number) => void;
}

/** A room as another server gives it to a follower's server. */
type RemoteRoom = Extract<FollowJoinReply, { ok: true }> & { token: string };

type IoServer = Server<ClientToServer, ServerToClient, InterServer>;
type IoSocket = Socket<ClientToServer, ServerToClient>;

/** Followers a room may have (a class, a lecture hall); more are refused with a message. */
export const MAX_FOLLOWERS = 500;
/** Rooms at once on this server. */
const MAX_ROOMS = 200;

export interface FollowRoom {
  token: string;
  /** The short code of the same room (FOLLOW_CODE). */
  code: string;
  /** The presenter's socket while connected. */
  presenter: IoSocket | null;
  scenario: Scenario | null;
  view: FollowView;
  replay: RunReplay | null;
  followers: Set<string>;
  /** Followers on other servers. */
  remoteFollowers: number;
  /** Followers whose connection fell behind: no frames until they drain. */
  behind: Set<string>;
  feed: FollowerFeed;
  /** Checks on the followers behind while no frame goes (a run that ended, a quiet one). */
  behindTimer: NodeJS.Timeout | null;
  /** Gives the presenter's room quota back when the room ends. */
  release: () => void;
}

/** Packets waiting unsent in a follower's socket that make it "behind" (at 10 frames a second, most of a second). */
const BEHIND_PACKETS = 8;
const BEHIND_CHECK_MS = 250;

/** Packets engine.io holds for a socket because its connection is not ready for more (private in its types, stable in its code). */
const unsent = (socket: IoSocket): number => (socket.conn as unknown as { writeBuffer: unknown[] }).writeBuffer.length;

/** A short code's letters: no 0/O, 1/I/L, read out loud or copied from a projector without doubt. */
const CODE_LETTERS = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

function shortCode(): string {
  return Array.from(randomBytes(6), (b) => CODE_LETTERS[b % CODE_LETTERS.length]).join('');
}

const ENDED: FollowJoinReply = { ok: false, message: 'This live session has ended, or the link is not complete.' };

const EMPTY_VIEW: FollowView = { selection: { nodes: [], edges: [] } };

const Id = z.string().max(64);
const Word = z.string().regex(/^[a-z-]{1,16}$/);

/** A view from the network: the known fields, of the known types, bounded; any other field is dropped. */
export const FollowViewSchema = z.object({
  selection: z.object({ nodes: z.array(Id).max(64), edges: z.array(Id).max(64) }),
  dockTab: Word.optional(),
  inspectorTab: Word.optional(),
  sps: z.number().finite().min(0).optional(),
  trace: z.boolean().optional(),
});

/**
 * What a presenter sends (follow:create, follow:update). The scenario is checked apart
 * (size first, then its schema, which drops unknown fields too): a bad view does not cost a
 * good scenario, nor the other way round.
 */
const FollowUpdateSchema = z.object({ scenario: z.unknown().optional(), view: z.unknown().optional() });

export interface FollowUpdate {
  scenario?: Scenario;
  view?: FollowView;
}

/** A presenter's update from the network, cut to what followers may get: unknown, oversized or malformed parts are left out. */
export function cleanUpdate(raw: unknown, limits: Limits): FollowUpdate {
  const u = FollowUpdateSchema.safeParse(raw);
  if (!u.success) return {};
  const out: FollowUpdate = {};
  const view = FollowViewSchema.safeParse(u.data.view);
  if (view.success) out.view = view.data;
  if (u.data.scenario !== undefined && !sizeOver(u.data.scenario, scenarioMaxSize(limits))) {
    const { scenario } = checkScenarioShape(u.data.scenario, limits);
    if (scenario) out.scenario = scenario;
  }
  return out;
}

export class FollowRooms {
  private rooms = new Map<string, FollowRoom>();
  /** Short code → token. */
  private codes = new Map<string, string>();

  /** Rooms this server's sockets follow on other servers, by socket. */
  private remote = new Map<string, string>();
  /** Whether other servers share this one's rooms (set by server/cluster.ts's caller). */
  clustered = false;

  constructor(private io: IoServer) {
    io.on('follow:find', (key, reply) => {
      const room = this.find(key);
      reply(room ? { ...this.picture(room), token: room.token } : null);
    });
    io.on('follow:attach', (token, reply) => {
      const room = typeof token === 'string' ? this.rooms.get(token) : undefined;
      if (!room) return reply(null);
      room.remoteFollowers++;
      this.count(room);
      reply({ ...this.picture(room), token: room.token });
    });
    io.on('follow:followers', (token, delta) => {
      const room = this.rooms.get(token);
      if (!room || (delta !== 1 && delta !== -1)) return;
      room.remoteFollowers = Math.max(0, room.remoteFollowers + delta);
      this.count(room);
    });
  }

  /** What a follower gets on joining: the room now, and the first frame that comes after it. */
  private picture(room: FollowRoom): Extract<FollowJoinReply, { ok: true }> {
    // what waits in the feed is in the snapshot: it goes to the others first, not twice to this one
    room.feed.flush();
    const presenter: FollowPresenterState = room.presenter?.connected ? 'here' : 'away';
    return { ok: true, scenario: room.scenario, view: room.view, snapshot: room.replay?.snapshot() ?? null, presenter, since: room.feed.nextSeq };
  }

  get size(): number {
    return this.rooms.size;
  }

  private roomName(r: FollowRoom): string {
    return `follow:${r.token}`;
  }

  /** A room for `presenter`, starting from `first` (cleaned by cleanUpdate); null when the server has as many as it takes. */
  create(presenter: IoSocket, first: FollowUpdate, replay: RunReplay | null, release: () => void): FollowRoom | null {
    if (this.rooms.size >= MAX_ROOMS) return null;
    const token = randomBytes(16).toString('base64url');
    let code = shortCode();
    while (this.codes.has(code)) code = shortCode();
    this.codes.set(code, token);
    const room: FollowRoom = {
      token,
      code,
      presenter,
      scenario: first.scenario ?? null,
      view: first.view ?? EMPTY_VIEW,
      replay,
      followers: new Set(),
      remoteFollowers: 0,
      behind: new Set(),
      feed: new FollowerFeed(
        (f) => this.broadcast(room, f),
        () => room.view.dockTab === 'trace',
      ),
      behindTimer: null,
      release,
    };
    this.rooms.set(token, room);
    return room;
  }

  private behindName(r: FollowRoom): string {
    return `follow-behind:${r.token}`;
  }

  /** A thinned frame to every follower that keeps up; those that cannot are set aside first, those that drained catch up after. */
  private broadcast(room: FollowRoom, f: Frame): void {
    for (const id of room.followers) {
      const socket = this.io.sockets.sockets.get(id);
      if (!socket || room.behind.has(id) || unsent(socket) < BEHIND_PACKETS) continue;
      room.behind.add(id);
      void socket.join(this.behindName(room));
    }
    this.io.to(this.roomName(room)).except(this.behindName(room)).emit('run:frame', f);
    this.catchUp(room);
  }

  /** Followers set aside that have drained get the picture as it is now (it holds every frame they missed). */
  private catchUp(room: FollowRoom): void {
    if (room.behindTimer) clearTimeout(room.behindTimer);
    room.behindTimer = null;
    let snapshot: Frame | null | undefined;
    for (const id of room.behind) {
      const socket = this.io.sockets.sockets.get(id);
      if (socket && unsent(socket) > 0) continue;
      room.behind.delete(id);
      if (!socket) continue;
      void socket.leave(this.behindName(room));
      snapshot ??= room.replay?.snapshot() ?? null;
      socket.emit('follow:reset', snapshot);
    }
    // frames waiting in the feed are in the replay already: catch up after they go, not before
    if (room.behind.size) room.behindTimer = setTimeout(() => (room.feed.idle ? this.catchUp(room) : undefined), BEHIND_CHECK_MS);
  }

  update(room: FollowRoom, update: FollowUpdate): void {
    if (update.scenario) {
      room.scenario = update.scenario;
      this.io.to(this.roomName(room)).emit('follow:scenario', update.scenario);
    }
    if (update.view) {
      const traceShown = update.view.dockTab === 'trace' && room.view.dockTab !== 'trace';
      room.view = update.view;
      this.io.to(this.roomName(room)).emit('follow:view', update.view);
      if (traceShown && room.replay) {
        // the trace on demand: its tail comes with the picture as it is now
        room.feed.clear();
        this.io.to(this.roomName(room)).emit('follow:reset', room.replay.snapshot());
      }
    }
  }

  /** A frame of one of the presenter's runs (already in `replay`, the session's latest run): to the room, thinned. */
  frame(room: FollowRoom, replay: RunReplay | null, f: Frame): void {
    room.replay = replay;
    if (room.followers.size || room.remoteFollowers) room.feed.push(f);
  }

  presenterState(room: FollowRoom, socket: IoSocket | null): void {
    room.presenter = socket;
    this.io.to(this.roomName(room)).emit('follow:status', { presenter: socket ? 'here' : 'away' });
    if (socket) socket.emit('follow:count', { followers: room.followers.size + room.remoteFollowers });
  }

  /** The room of a token or of a short code (any case). */
  private find(key: unknown): FollowRoom | undefined {
    if (typeof key !== 'string') return undefined;
    if (FOLLOW_TOKEN.test(key)) return this.rooms.get(key);
    if (!FOLLOW_CODE.test(key)) return undefined;
    const token = this.codes.get(key.toUpperCase());
    return token === undefined ? undefined : this.rooms.get(token);
  }

  /** Joins `socket` to the room of `key`, on this server or (clustered) on another. */
  async join(socket: IoSocket, key: unknown): Promise<FollowJoinReply> {
    const room = this.find(key);
    if (!room && this.clustered && typeof key === 'string' && (FOLLOW_TOKEN.test(key) || FOLLOW_CODE.test(key))) return this.joinElsewhere(socket, key);
    return this.joinHere(socket, room);
  }

  private async joinElsewhere(socket: IoSocket, key: string): Promise<FollowJoinReply> {
    const ask = async (what: 'follow:find' | 'follow:attach', k: string) => (await this.io.serverSideEmitWithAck(what, k).catch(() => [] as (RemoteRoom | null)[])).find((r) => r) ?? null;
    const found = await ask('follow:find', key);
    if (!found) return ENDED;
    this.leaveAll(socket);
    // in the room first, then the picture: every frame after the picture reaches this socket
    await socket.join(`follow:${found.token}`);
    const now = await ask('follow:attach', found.token);
    if (!now) {
      void socket.leave(`follow:${found.token}`);
      return ENDED;
    }
    this.remote.set(socket.id, found.token);
    // gone while asking: counted there, so uncounted now
    if (socket.disconnected) this.leaveAll(socket);
    const { token: _token, ...reply } = now;
    return reply;
  }

  private joinHere(socket: IoSocket, room: FollowRoom | undefined): FollowJoinReply {
    if (!room) return ENDED;
    if (room.presenter === socket) return { ok: false, message: 'This is your own live session: open the link in another browser or window.' };
    if (room.followers.size >= MAX_FOLLOWERS && !room.followers.has(socket.id)) return { ok: false, message: `This live session already has ${MAX_FOLLOWERS} followers.` };
    this.leaveAll(socket);
    const picture = this.picture(room);
    room.followers.add(socket.id);
    void socket.join(this.roomName(room));
    this.count(room);
    return picture;
  }

  /** A socket stops following (it left, or disconnected). */
  leaveAll(socket: IoSocket): void {
    const elsewhere = this.remote.get(socket.id);
    if (elsewhere !== undefined) {
      this.remote.delete(socket.id);
      void socket.leave(`follow:${elsewhere}`);
      this.io.serverSideEmit('follow:followers', elsewhere, -1);
    }
    for (const room of this.rooms.values()) {
      if (!room.followers.delete(socket.id)) continue;
      room.behind.delete(socket.id);
      void socket.leave(this.roomName(room));
      void socket.leave(this.behindName(room));
      this.count(room);
    }
  }

  private count(room: FollowRoom): void {
    room.presenter?.emit('follow:count', { followers: room.followers.size + room.remoteFollowers });
  }

  /** The presenter stopped sharing, or its tab is gone for good: followers are told, the token dies. */
  end(room: FollowRoom): void {
    if (this.rooms.get(room.token) !== room) return;
    this.rooms.delete(room.token);
    this.codes.delete(room.code);
    const name = this.roomName(room);
    this.io.to(name).emit('follow:status', { presenter: 'ended' });
    this.io.in(name).socketsLeave(name);
    room.feed.flush();
    this.io.in(this.behindName(room)).socketsLeave(this.behindName(room));
    if (room.behindTimer) clearTimeout(room.behindTimer);
    room.followers.clear();
    room.behind.clear();
    room.replay = null;
    room.release();
  }
}
