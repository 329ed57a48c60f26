// The socket.io layer: one session per browser tab, its runs, their frames, its commands.
// A tab is known by the random `client` token it sends in the handshake (kept in the tab's
// sessionStorage), so a tab that comes back (a reconnection, a reload) finds its session
// again and is sent the picture of its run so far (server/replay.ts); in class mode a new
// tab of the same joined identity takes over a session whose tab is gone. A tab's absence
// does not end its runs: they go on to their own wall limit, and its live room tells the
// followers the presenter is away. Only a session left alone for `awayMs` (minutes) has its
// runs stopped and its room ended.
// A tab may also share itself live (follow mode, server/follow.ts): followers receive its
// scenario, selection and run frames, read-only.
// The token only finds a tab's runs again: what a client may hold and send (runs, rooms,
// connections, events a second) is counted on who it is, as the edge knows it (its joined
// identity, its address: server/quota.ts, server/ratelimit.ts), never on the token.
// Quotas and the line of runs waiting for a slot are kept in memory, or in Redis when several
// servers share a class (server/bookkeeping.ts); rate limits are each server's.

import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Server, Socket } from 'socket.io';
import type { Frame } from '../lib/events';
import type { ClientToServer, ControlReply, FollowCreateReply, FollowJoinReply, ServerToClient, StartOptions, StartReply } from '../lib/protocol';
import { UI_SIGNALS } from '../lib/protocol';
import { scenarioMaxSize, sizeOver, type Limits } from '../lib/scenario';
import { validateScenario } from '../lib/validate';
import { memoryBookkeeping, type Bookkeeping } from './bookkeeping';
import { clientAddress } from './edge/identity';
import { FollowRooms, cleanUpdate, type FollowRoom, type InterServer } from './follow';
import { RunClock } from './estimate';
import type { Line } from './line';
import { quotasFromEnv, type Holder, type QuotaBook, type QuotaConfig, type Taken } from './quota';
import { RateLimiter, waitMessage, type Rate } from './ratelimit';
import { RunReplay } from './replay';
import { Instance } from './run/instance';
import { Run } from './run/run';

type IoSocket = Socket<ClientToServer, ServerToClient>;

export interface SocketLayerOptions {
  limits: Limits;
  /** How long a session waits for its tab to come back before its runs are stopped and its live room ends. */
  awayMs: number;
  log?: (msg: string) => void;
  /** How a run starts (Run.start); the soak wraps it to follow the runs it starts through a tab. */
  startRun?: typeof Run.start;
  /** Who a connection is (the edge's answer: server/edge/identity.ts); by default a client known by its address alone. */
  who?: (req: IncomingMessage) => Who;
  /** Runs, rooms and connections per identity and address (quotasFromEnv's defaults when not given). */
  quotas?: QuotaConfig;
  /** Events a second per socket, and per identity and address (all of their sockets together). */
  rates?: { socket: Rate; holder: Rate };
  /** Where quotas and the line are kept (memoryBookkeeping when not given). */
  bookkeeping?: Bookkeeping;
}

/** A connection's sender: its quota holder, and whether it may share live. */
export interface Who extends Holder {
  presenter: boolean;
}

const openWho = (req: IncomingMessage): Who => ({ identity: null, ip: clientAddress(req), presenter: true });

/** A page sends a few events a second (run, controls, the presenter's view as it changes); bursts of a few dozen. */
const RATES = { socket: { burst: 40, perSecond: 20 }, holder: { burst: 100, perSecond: 50 } };

/** What an event costs in tokens: a scenario to check costs more than a command. */
const COST: Record<string, number> = { 'run:start': 5, 'follow:create': 5, 'follow:update': 2, 'follow:join': 2 };

const TOKEN = /^[A-Za-z0-9_-]{8,64}$/;
const MAX_SPS = 1000;

interface Session {
  token: string;
  /** The joined identity that owns it (null outside class mode): another identity never takes it over. */
  identity: string | null;
  socket: IoSocket | null;
  runs: Map<string, Run>;
  /** Starts accepted but not yet resolved: they count against the per-tab limit. */
  starting: number;
  /** Runs while no tab holds the session; when it fires, the session's runs are stopped. */
  awayTimer: NodeJS.Timeout | null;
  /**
   * The latest run's picture, while it goes on, while the tab is away (a tab that comes back
   * is drawn from it) and while the tab is shared live (for followers).
   */
  replay: RunReplay | null;
  /** The live room while this tab shares itself. */
  follow: FollowRoom | null;
}

/**
 * A handler for an acknowledged event, from the network: socket.io passes the acknowledgement
 * last whatever came before it, and a client may send none (its reply then goes nowhere).
 */
function acked<Req, Rep>(f: (req: Req | undefined, reply: (r: Rep) => void) => void): (...args: unknown[]) => void {
  return (...args) => {
    const reply = ackOf<Rep>(args);
    f((reply && args.length === 1 ? undefined : args[0]) as Req | undefined, reply ?? (() => {}));
  };
}

/** The acknowledgement of an event's arguments, when the client asked for one. */
function ackOf<Rep>(args: unknown[]): ((r: Rep) => void) | null {
  const last = args.at(-1);
  return typeof last === 'function' ? (last as (r: Rep) => void) : null;
}

/** Characters one stdin command may carry (a typed line). */
const MAX_TYPED = 4096;

export class SocketLayer {
  private sessions = new Map<string, Session>();
  readonly follow: FollowRooms;
  readonly quotas: QuotaBook;
  /** Starts waiting for a run slot (of this server, or of its machine's pool: server/line.ts). */
  readonly line: Line;
  /** How long runs last, for the line's estimates. */
  private clock = new RunClock();
  /** Who each connection is, and its connection quota, as admitted before it connected. */
  private admitted = new WeakMap<IoSocket, { who: Who; connection: Taken }>();
  private socketRate: RateLimiter;
  private holderRate: RateLimiter;

  constructor(
    io: Server<ClientToServer, ServerToClient, InterServer>,
    private opts: SocketLayerOptions,
  ) {
    this.follow = new FollowRooms(io);
    const books = opts.bookkeeping ?? memoryBookkeeping;
    this.quotas = books.quotas(opts.quotas ?? quotasFromEnv(opts.limits.runsPerClient, {}));
    const rates = opts.rates ?? RATES;
    this.socketRate = new RateLimiter(rates.socket);
    this.holderRate = new RateLimiter(rates.holder);
    this.line = books.line(opts.limits.runsTotal, this.clock);
    // the connection quota is taken before the connection is made: a count kept in Redis takes a
    // moment, and a client's first events must find its handlers in place
    io.use((socket, next) => void this.admit(socket).then(() => next(), (e: Error) => next(e)));
    io.on('connection', (socket) => this.connected(socket));
  }

  private async admit(socket: IoSocket): Promise<void> {
    const who = (this.opts.who ?? openWho)(socket.request);
    const connection = await this.quotas.take('connections', who);
    // gone while it was counted: it never connects, so it gives its quota back now
    if (connection.ok && socket.conn.readyState !== 'open') connection.release();
    this.admitted.set(socket, { who, connection });
  }

  /** 0 when `socket` (and who sends through it) may spend `cost` now, else the ms to wait. */
  private wait(socket: IoSocket, who: Who, cost: number): number {
    const keys = [`socket ${socket.id}`, ...(who.identity !== null ? [`id ${who.identity}`] : []), ...(who.ip !== null ? [`ip ${who.ip}`] : [])];
    // checked on every key before any is spent: a refusal costs nothing
    const waits = keys.map((k, i) => (i === 0 ? this.socketRate : this.holderRate).wait(k, cost));
    const longest = Math.max(...waits);
    if (longest) return longest;
    keys.forEach((k, i) => (i === 0 ? this.socketRate : this.holderRate).take(k, cost));
    return 0;
  }

  /** Runs going on for all tabs. */
  get runCount(): number {
    let n = 0;
    for (const s of this.sessions.values()) n += s.runs.size;
    return n;
  }

  private connected(socket: IoSocket): void {
    const { who, connection } = this.admitted.get(socket)!;
    if (!connection.ok) {
      socket.emit('limit', { message: connection.message });
      socket.disconnect(true);
      return;
    }
    socket.on('disconnect', connection.release);
    const asked = (socket.handshake.auth as { client?: unknown } | undefined)?.client;
    let token = typeof asked === 'string' && TOKEN.test(asked) ? asked : randomBytes(12).toString('base64url');
    let session = this.sessions.get(token);
    if (session?.socket?.connected || (session && session.identity !== who.identity)) {
      // a duplicated tab sends its original's token (or someone else's): give it a session of its own
      token = randomBytes(12).toString('base64url');
      session = undefined;
    }
    session ??= this.orphanOf(who, token);
    if (!session) {
      session = { token, identity: who.identity, socket: null, runs: new Map(), starting: 0, awayTimer: null, replay: null, follow: null };
      this.sessions.set(token, session);
    }
    const s = session;
    if (s.awayTimer) clearTimeout(s.awayTimer);
    s.awayTimer = null;
    s.socket = socket;
    // the whole picture, not the frames missed: a reloaded page has nothing to add them to
    const snapshot = s.replay?.snapshot() ?? null;
    socket.emit('session', { runs: [...s.runs.keys()], server: Instance.get().id, snapshot, sharing: s.follow !== null });
    this.dropReplayIfIdle(s);
    if (s.follow) this.follow.presenterState(s.follow, socket);

    /** `handler` for `event`, behind the rate limits: a refusal is the event's answer, or a `limit` message. */
    const on = (event: keyof ClientToServer, handler: (...args: unknown[]) => void) => {
      socket.on(event, (...args: unknown[]) => {
        const wait = this.wait(socket, who, COST[event] ?? 1);
        if (!wait) return handler(...args);
        const message = waitMessage(wait);
        const reply = ackOf<unknown>(args);
        if (!reply) socket.emit('limit', { message });
        else reply(event === 'run:start' ? { ok: false, errors: [{ place: '(server)', message }] } : { ok: false, message });
      });
    };
    on('run:start', acked((req, reply) => void this.start(s, who, req, reply)));
    on('run:leave', acked((_req, reply) => {
      this.line.leave(s, 'you left the line');
      reply({ ok: true });
    }));
    on('run:control', acked((cmd, reply) => this.control(s, cmd, reply)));
    on('follow:create', acked((req, reply) => void this.followCreate(s, socket, who, req, reply)));
    on('follow:update', (update) => {
      if (s.socket !== socket || !s.follow) return;
      this.follow.update(s.follow, cleanUpdate(update, this.opts.limits));
    });
    on('follow:stop', acked((_req, reply) => {
      if (s.follow && s.socket === socket) this.follow.end(s.follow);
      s.follow = null;
      this.dropReplayIfIdle(s);
      reply({ ok: true });
    }));
    on('follow:join', (...args: unknown[]) => {
      // joining is only for a client that takes the answer (the presenter's picture so far)
      const reply = ackOf<FollowJoinReply>(args);
      void this.follow.join(socket, (args[0] as { token?: unknown } | undefined)?.token).then((r) => reply?.(r));
    });
    on('follow:leave', () => this.follow.leaveAll(socket));
    socket.on('disconnect', () => {
      this.follow.leaveAll(socket);
      if (s.socket !== socket) return;
      // a place in line is kept by a tab that is there to take its turn
      this.line.leave(s, 'the tab went away');
      s.socket = null;
      if (s.follow) this.follow.presenterState(s.follow, null);
      // kept even with no run: a run may end while the tab is away, and a tab that comes back shows how
      s.awayTimer = setTimeout(() => this.abandon(s), this.opts.awayMs);
      s.awayTimer.unref(); // minutes: it must not keep a closing process alive
    });
  }

  /**
   * In class mode, a new tab of a joined identity takes over the newest of its sessions whose
   * tab is gone and that still has something to show (a run, a live room), under the new
   * tab's token. Outside class mode there is no identity to go by: only the tab's own token
   * (a reload, a reconnection, a duplicated tab) finds a session.
   */
  private orphanOf(who: Who, token: string): Session | undefined {
    if (who.identity === null) return undefined;
    let found: Session | undefined;
    for (const s of this.sessions.values()) {
      if (s.identity === who.identity && !s.socket && (s.runs.size || s.follow || s.starting)) found = s;
    }
    if (!found) return undefined;
    this.sessions.delete(found.token);
    found.token = token;
    this.sessions.set(token, found);
    return found;
  }

  private async followCreate(s: Session, socket: IoSocket, who: Who, req: unknown, reply: (r: FollowCreateReply) => void): Promise<void> {
    const gone = () => reply({ ok: false, message: 'this tab is not connected' });
    if (s.socket !== socket) return gone();
    if (!who.presenter) return reply({ ok: false, message: 'only the presenter may share live: join with the presenter code' });
    const first = cleanUpdate(req, this.opts.limits);
    if (!s.follow) {
      const room = await this.quotas.take('rooms', who);
      if (!room.ok) return reply({ ok: false, message: room.message });
      // while it was counted the tab may have gone, or another create of this tab made the room
      if (s.socket !== socket || s.follow) room.release();
      else {
        s.follow = this.follow.create(socket, first, s.replay, room.release);
        if (!s.follow) {
          room.release();
          return reply({ ok: false, message: 'too many live sessions on this server right now; try again later' });
        }
        this.opts.log?.(`a tab shares itself live (${this.follow.size} live session(s))`);
      }
      if (s.socket !== socket) return gone();
    } else {
      // already shared (a reload of the presenter's tab): the same link keeps working
      this.follow.update(s.follow, first);
    }
    reply({ ok: true, token: s.follow!.token, code: s.follow!.code, followers: s.follow!.followers.size });
  }

  /** Without followers, an ended run's picture is kept only until its tab has seen it. */
  private dropReplayIfIdle(s: Session): void {
    if (!s.follow && s.socket && s.replay?.ended) s.replay = null;
  }

  private deliver(s: Session, f: Frame): void {
    const run = f.events.find((e) => e.type === 'run');
    if (run?.type === 'run') s.replay = new RunReplay(f.runId, run);
    s.replay?.push(f);
    if (s.follow) this.follow.frame(s.follow, s.replay, f);
    this.dropReplayIfIdle(s);
    // a tab away gets the picture (the replay) when it comes back
    if (s.socket?.connected) s.socket.emit('run:frame', f);
  }

  private async start(s: Session, who: Who, raw: unknown, reply: (r: StartReply) => void): Promise<void> {
    const refuse = (message: string) => reply({ ok: false, errors: [{ place: '(server)', message }] });
    if (!raw || typeof raw !== 'object') return refuse('malformed start request');
    const req = raw as { scenario: unknown; options?: unknown };
    // before anything looks into it: checking a scenario costs time in proportion to its size
    const max = scenarioMaxSize(this.opts.limits);
    if (sizeOver(req.scenario, max)) return refuse(`this scenario is too big (more than ${Math.round(max / 1024)} KiB)`);
    const o = (req.options && typeof req.options === 'object' ? req.options : {}) as StartOptions;
    if (s.runs.size + s.starting >= this.opts.limits.runsPerClient) {
      return refuse(`this tab already has ${s.runs.size + s.starting} runs going (the limit is ${this.opts.limits.runsPerClient}); stop one first`);
    }
    // counted as starting from here: the per-tab limit holds while the quota is counted
    s.starting++;
    // a run waiting in line holds its place in the quotas too: nobody lines up ten
    const quota = await this.quotas.take('runs', who);
    if (!quota.ok) {
      s.starting--;
      this.maybeForget(s);
      return refuse(quota.message);
    }
    // errors are told now, not after a wait in line; and a place in line is for a tab that is there
    const v = validateScenario(req.scenario, this.opts.limits);
    if (!v.ok || !s.socket) {
      s.starting--;
      quota.release();
      this.maybeForget(s);
      return v.ok ? refuse('the tab went away') : reply(v);
    }
    this.line.join({
      owner: s,
      place: 0,
      told: (place, etaMs) => s.socket?.emit('run:queue', { place, etaMs }),
      go: (free) =>
        void this.launch(s, req.scenario, o, () => {
          quota.release();
          free();
        }, reply),
      left: (message) => {
        s.starting--;
        quota.release();
        refuse(message);
        this.maybeForget(s);
      },
    });
  }

  /** Starts a run that has a slot (at once, or at its turn in the line); `release` gives back its quota and slot. */
  private async launch(s: Session, scenario: unknown, o: StartOptions, release: () => void, reply: (r: StartReply) => void): Promise<void> {
    const refuse = (message: string) => reply({ ok: false, errors: [{ place: '(server)', message }] });
    const sps = typeof o.sps === 'number' && Number.isFinite(o.sps) ? Math.min(MAX_SPS, Math.max(0, o.sps)) : 0;
    let result;
    try {
      result = await (this.opts.startRun ?? Run.start)(scenario, { trace: o.trace === true, sps, paused: o.paused === true, limits: this.opts.limits, stdin: 'typed' }, (f) => this.deliver(s, f));
    } catch (e) {
      release();
      return refuse(`the run could not start: ${(e as Error).message}`);
    } finally {
      s.starting--;
    }
    if (!result.ok) {
      release();
      this.maybeForget(s);
      return reply(result);
    }
    const { run } = result;
    s.runs.set(run.id, run);
    this.clock.start(run.id);
    this.opts.log?.(`run ${run.id} started (${s.runs.size} for this tab)`);
    void run.done.then(() => {
      this.clock.end(run.id);
      s.runs.delete(run.id);
      release();
      this.maybeForget(s);
    });
    // A tab that left while its run was starting: its time away may be over already.
    if (!s.socket && !s.awayTimer) void run.stop('disconnected');
    reply({ ok: true, runId: run.id });
  }

  private control(s: Session, raw: unknown, reply: (r: ControlReply) => void): void {
    // from the network: trust no field's type
    const cmd = (raw && typeof raw === 'object' ? raw : {}) as Partial<Record<string, unknown>>;
    const run = typeof cmd.runId === 'string' ? s.runs.get(cmd.runId) : undefined;
    if (!run || run.ended) return reply({ ok: false, message: 'no such run going on' });
    const proc = typeof cmd.proc === 'string' ? cmd.proc : undefined;
    switch (cmd.action) {
      case 'pause':
        run.pause(proc);
        break;
      case 'resume':
        run.resume(proc);
        break;
      case 'step':
        run.step(proc);
        break;
      case 'speed':
        if (typeof cmd.sps !== 'number' || !Number.isFinite(cmd.sps)) return reply({ ok: false, message: 'speed needs a number' });
        run.speed(Math.min(MAX_SPS, Math.max(0, cmd.sps)));
        break;
      case 'trace':
        run.setTrace(cmd.on === true);
        break;
      case 'signal': {
        const sig = String(cmd.signal);
        if (!(UI_SIGNALS as readonly string[]).includes(sig)) return reply({ ok: false, message: `signal ${sig} is not offered` });
        if (!proc || !run.signal(proc, sig)) return reply({ ok: false, message: `${proc ?? 'that process'} is not running` });
        break;
      }
      case 'stop':
        void run.stop();
        break;
      case 'stdin': {
        // what is typed in a terminal: a line at a time, bounded (a pipe holds 64 KiB)
        if (typeof cmd.text !== 'string' || cmd.text.length > MAX_TYPED) return reply({ ok: false, message: `type at most ${MAX_TYPED} characters at a time` });
        if (!proc || !run.input(proc, cmd.text)) return reply({ ok: false, message: `${proc ?? 'that process'} no longer reads its input` });
        break;
      }
      case 'stdin-eof':
        if (!proc || !run.endInput(proc)) return reply({ ok: false, message: `${proc ?? 'that process'}'s input is already closed` });
        break;
      default:
        return reply({ ok: false, message: 'unknown command' });
    }
    reply({ ok: true });
  }

  /** The tab did not come back in time: stop its runs; the session (and its live room) goes once they end. */
  private abandon(s: Session): void {
    s.awayTimer = null;
    if (s.socket) return;
    this.opts.log?.(`tab gone for ${this.opts.awayMs} ms: stopping ${s.runs.size} run(s)`);
    for (const run of s.runs.values()) void run.stop('disconnected');
    this.maybeForget(s);
  }

  /** A session with no tab, no time away left and nothing running has nothing to keep. */
  private maybeForget(s: Session): void {
    if (!s.socket && !s.awayTimer && s.runs.size === 0 && s.starting === 0) this.forget(s);
  }

  private forget(s: Session): void {
    if (s.awayTimer) clearTimeout(s.awayTimer);
    if (s.follow) this.follow.end(s.follow);
    s.follow = null;
    s.replay = null;
    if (this.sessions.get(s.token) === s) this.sessions.delete(s.token);
  }

  /** Stops every run of every tab and waits for their cleanup (shutdown). */
  async stopAll(): Promise<void> {
    const all: Promise<unknown>[] = [];
    for (const s of this.sessions.values()) {
      if (s.awayTimer) clearTimeout(s.awayTimer);
      for (const run of s.runs.values()) all.push(run.stop('stopped').then(() => run.done));
    }
    await Promise.all(all);
  }
}
