// Follow mode: a presenter's tab shared live and read-only. The presenter asks for a room
// and gets an unguessable token (128 random bits, never its session token) and a short code
// to read out or scan from a projector (6 characters, short-lived: it works only while the
// room does, and guesses go through the socket's rate limits); whoever opens /follow/TOKEN
// or /f/CODE joins the room's socket.io room and receives the presenter's scenario,
// selection and the frames of every run the presenter's tab starts. A late joiner gets the
// current run at once, rebuilt from a bounded replay (server/replay.ts).
//
// Followers get no control: run commands are looked up among the runs of the sender's own
// session (server/socket.ts), and only the presenter's socket may update the room.

import { randomBytes } from 'node:crypto';
import type { Server, Socket } from 'socket.io';
import { z } from 'zod';
import type { Frame } from '../lib/events';
import { FOLLOW_CODE, FOLLOW_TOKEN, type ClientToServer, type FollowJoinReply, type FollowPresenterState, type FollowView, type ServerToClient } from '../lib/protocol';
import { checkScenarioShape, scenarioMaxSize, sizeOver, type Limits, type Scenario } from '../lib/scenario';
import type { RunReplay } from './replay';

type IoServer = Server<ClientToServer, ServerToClient>;
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
  /** Gives the presenter's room quota back when the room ends. */
  release: () => void;
}

/** A short code's letters: no 0/O, 1/I/L, read out loud or copied from a projector without doubt. */
const CODE_LETTERS = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

function shortCode(): string {
  return Array.from(randomBytes(6), (b) => CODE_LETTERS[b % CODE_LETTERS.length]).join('');
}

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

  constructor(private io: IoServer) {}

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
      release,
    };
    this.rooms.set(token, room);
    return room;
  }

  update(room: FollowRoom, update: FollowUpdate): void {
    if (update.scenario) {
      room.scenario = update.scenario;
      this.io.to(this.roomName(room)).emit('follow:scenario', update.scenario);
    }
    if (update.view) {
      room.view = update.view;
      this.io.to(this.roomName(room)).emit('follow:view', update.view);
    }
  }

  /** A frame of one of the presenter's runs (already in `replay`, the session's latest run): sent to the room. */
  frame(room: FollowRoom, replay: RunReplay | null, f: Frame): void {
    room.replay = replay;
    if (room.followers.size) this.io.to(this.roomName(room)).emit('run:frame', f);
  }

  presenterState(room: FollowRoom, socket: IoSocket | null): void {
    room.presenter = socket;
    this.io.to(this.roomName(room)).emit('follow:status', { presenter: socket ? 'here' : 'away' });
    if (socket) socket.emit('follow:count', { followers: room.followers.size });
  }

  /** The room of a token or of a short code (any case). */
  private find(key: unknown): FollowRoom | undefined {
    if (typeof key !== 'string') return undefined;
    if (FOLLOW_TOKEN.test(key)) return this.rooms.get(key);
    if (!FOLLOW_CODE.test(key)) return undefined;
    const token = this.codes.get(key.toUpperCase());
    return token === undefined ? undefined : this.rooms.get(token);
  }

  join(socket: IoSocket, key: unknown): FollowJoinReply {
    const room = this.find(key);
    if (!room) return { ok: false, message: 'This live session has ended, or the link is not complete.' };
    if (room.presenter === socket) return { ok: false, message: 'This is your own live session: open the link in another browser or window.' };
    if (room.followers.size >= MAX_FOLLOWERS && !room.followers.has(socket.id)) return { ok: false, message: `This live session already has ${MAX_FOLLOWERS} followers.` };
    this.leaveAll(socket);
    room.followers.add(socket.id);
    void socket.join(this.roomName(room));
    this.count(room);
    const presenter: FollowPresenterState = room.presenter?.connected ? 'here' : 'away';
    // synchronous up to here: no frame can slip between the snapshot and the room's next one
    return { ok: true, scenario: room.scenario, view: room.view, snapshot: room.replay?.snapshot() ?? null, presenter };
  }

  /** A socket stops following (it left, or disconnected). */
  leaveAll(socket: IoSocket): void {
    for (const room of this.rooms.values()) {
      if (!room.followers.delete(socket.id)) continue;
      void socket.leave(this.roomName(room));
      this.count(room);
    }
  }

  private count(room: FollowRoom): void {
    room.presenter?.emit('follow:count', { followers: room.followers.size });
  }

  /** The presenter stopped sharing, or its tab is gone for good: followers are told, the token dies. */
  end(room: FollowRoom): void {
    if (this.rooms.get(room.token) !== room) return;
    this.rooms.delete(room.token);
    this.codes.delete(room.code);
    const name = this.roomName(room);
    this.io.to(name).emit('follow:status', { presenter: 'ended' });
    this.io.in(name).socketsLeave(name);
    room.followers.clear();
    room.replay = null;
    room.release();
  }
}
