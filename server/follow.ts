// Follow mode: a presenter's tab shared live and read-only. The presenter asks for a room
// and gets an unguessable token (128 random bits, never its session token); whoever opens
// /follow/TOKEN joins the room's socket.io room and receives the presenter's scenario,
// selection and the frames of every run the presenter's tab starts. A late joiner gets the
// current run at once, rebuilt from a bounded replay (server/replay.ts).
//
// Followers get no control: run commands are looked up among the runs of the sender's own
// session (server/socket.ts), and only the presenter's socket may update the room.

import { randomBytes } from 'node:crypto';
import type { Server, Socket } from 'socket.io';
import type { Frame } from '../lib/events';
import { FOLLOW_TOKEN, type ClientToServer, type FollowJoinReply, type FollowPresenterState, type FollowView, type ServerToClient } from '../lib/protocol';
import { checkScenarioShape, type Limits } from '../lib/scenario';
import type { RunReplay } from './replay';

type IoServer = Server<ClientToServer, ServerToClient>;
type IoSocket = Socket<ClientToServer, ServerToClient>;

/** Followers a room may have (a class, a lecture hall); more are refused with a message. */
export const MAX_FOLLOWERS = 500;
/** Rooms at once on this server. */
const MAX_ROOMS = 200;

export interface FollowRoom {
  token: string;
  /** The presenter's socket while connected. */
  presenter: IoSocket | null;
  scenario: unknown;
  view: FollowView;
  replay: RunReplay | null;
  followers: Set<string>;
}

const EMPTY_VIEW: FollowView = { selection: { nodes: [], edges: [] } };

/** A view from the network: only the known fields, of the known types, bounded. */
export function cleanView(raw: unknown): FollowView | null {
  if (!raw || typeof raw !== 'object') return null;
  const v = raw as Record<string, unknown>;
  const sel = (v.selection && typeof v.selection === 'object' ? v.selection : {}) as Record<string, unknown>;
  const ids = (x: unknown) => (Array.isArray(x) ? x.filter((i): i is string => typeof i === 'string' && i.length <= 64).slice(0, 64) : []);
  const word = (x: unknown) => (typeof x === 'string' && /^[a-z-]{1,16}$/.test(x) ? x : undefined);
  const out: FollowView = { selection: { nodes: ids(sel.nodes), edges: ids(sel.edges) } };
  const dockTab = word(v.dockTab);
  const inspectorTab = word(v.inspectorTab);
  if (dockTab) out.dockTab = dockTab;
  if (inspectorTab) out.inspectorTab = inspectorTab;
  if (typeof v.sps === 'number' && Number.isFinite(v.sps) && v.sps >= 0) out.sps = v.sps;
  if (typeof v.trace === 'boolean') out.trace = v.trace;
  return out;
}

export class FollowRooms {
  private rooms = new Map<string, FollowRoom>();

  constructor(
    private io: IoServer,
    private limits: Limits,
  ) {}

  get size(): number {
    return this.rooms.size;
  }

  private roomName(r: FollowRoom): string {
    return `follow:${r.token}`;
  }

  /** A scenario from the presenter, kept only if its shape is one (the follower checks it again). */
  private scenarioOk(s: unknown): boolean {
    return !!checkScenarioShape(s, this.limits).scenario;
  }

  create(presenter: IoSocket, scenario: unknown, view: unknown, replay: RunReplay | null): FollowRoom | null {
    if (this.rooms.size >= MAX_ROOMS) return null;
    const token = randomBytes(16).toString('base64url');
    const room: FollowRoom = {
      token,
      presenter,
      scenario: this.scenarioOk(scenario) ? scenario : null,
      view: cleanView(view) ?? EMPTY_VIEW,
      replay,
      followers: new Set(),
    };
    this.rooms.set(token, room);
    return room;
  }

  update(room: FollowRoom, update: { scenario?: unknown; view?: unknown }): void {
    if (update.scenario !== undefined && this.scenarioOk(update.scenario)) {
      room.scenario = update.scenario;
      this.io.to(this.roomName(room)).emit('follow:scenario', update.scenario);
    }
    const view = update.view !== undefined ? cleanView(update.view) : null;
    if (view) {
      room.view = view;
      this.io.to(this.roomName(room)).emit('follow:view', view);
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

  join(socket: IoSocket, token: unknown): FollowJoinReply {
    const room = typeof token === 'string' && FOLLOW_TOKEN.test(token) ? this.rooms.get(token) : undefined;
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
    const name = this.roomName(room);
    this.io.to(name).emit('follow:status', { presenter: 'ended' });
    this.io.in(name).socketsLeave(name);
    room.followers.clear();
    room.replay = null;
  }
}
