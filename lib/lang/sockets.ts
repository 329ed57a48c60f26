// Connections: descriptors that are values of the program, as accept(2) and recvmsg(2) with
// SCM_RIGHTS give them. `accept srv as conn` binds `conn`; recv, send, close and while recv take
// a connection where they take a channel. A name bound so is a connection in the whole program
// (as a C variable has one type); its refs get an id of its own (connectionId), and `via`, the
// channel it came through, for the trace and the counts. The checker's part is here too.

import type { ChannelRef, DescriptorStmt, Pos, Program, Stmt } from './ast';
import { MECHANISMS, type End, type MechanismId, type Verb } from '../mechanisms';
import { assigned, walkProgram } from './walk';

/** 'socket': only accept binds it, so recv(2) / send(2); 'any': a descriptor passed by recvfd, so read(2) / write(2). */
export type ConnectionKind = 'socket' | 'any';

const PREFIX: Record<ConnectionKind, string> = { socket: '@sock:', any: '@fd:' };

export const connectionId = (name: string, kind: ConnectionKind): string => PREFIX[kind] + name;

/** The connection an id names, or undefined for a channel's id. */
export function connectionOf(id: string | undefined): { name: string; kind: ConnectionKind } | undefined {
  for (const kind of ['socket', 'any'] as const) if (id?.startsWith(PREFIX[kind])) return { name: id.slice(PREFIX[kind].length), kind };
  return undefined;
}

/** What a program may do with a connection. */
export const CONNECTION_VERBS: readonly Verb[] = ['send', 'recv', 'close'];

interface Binding {
  kind: ConnectionKind;
  /** The first statement that binds it, in source order. */
  at: Extract<DescriptorStmt, { into: string }>;
}

/** The connections a program binds (accept, recvfd), by name. */
function bindings(program: Program): Map<string, Binding> {
  const out = new Map<string, Binding>();
  const binders: Extract<DescriptorStmt, { into: string }>[] = [];
  walkProgram(program, (s) => {
    if (s.kind === 'accept' || s.kind === 'recvfd') binders.push(s);
  });
  binders.sort((a, b) => a.pos.line - b.pos.line || a.pos.col - b.pos.col);
  for (const s of binders) {
    const b = out.get(s.into);
    if (!b) out.set(s.into, { kind: s.kind === 'accept' ? 'socket' : 'any', at: s });
    else if (s.kind === 'recvfd') b.kind = 'any';
  }
  return out;
}

/** What the checker lends the socket checks. */
export interface SocketCheckEnv {
  err(pos: Pos, message: string): void;
  /** The channel and this process's end of it, or undefined after reporting why not. */
  useChannel(ref: ChannelRef): { c: { id: string; mechanism: MechanismId }; end: End } | undefined;
  /** Names of the scenario's channels (ids and labels). */
  channelNames: ReadonlySet<string>;
  /** Variables defined so far. */
  defined: ReadonlySet<string>;
  /** Defines a variable, refusing a built-in name (the connection's name becomes one: its value is the descriptor). */
  define(name: string, pos: Pos): void;
  selfName: string;
}

export function socketChecker(program: Program, env: SocketCheckEnv) {
  const conns = bindings(program);
  const { err } = env;

  /** Fills the ref of a connection; false for any other name. */
  function resolve(ref: ChannelRef): boolean {
    const b = conns.get(ref.name);
    if (!b || env.channelNames.has(ref.name)) return false;
    ref.id = connectionId(ref.name, b.kind);
    ref.via = b.at.channel.id;
    if (!env.defined.has(ref.name)) err(ref.pos, `connection '${ref.name}' is used before ${b.at.kind} gives it a value (line ${b.at.pos.line})`);
    return true;
  }

  /** A channel of a mechanism with `has`, at this process's end `end` if given; reports why not. */
  function channelWith(ref: ChannelRef, has: 'accepts' | 'passesFds', what: string): { id: string; mechanism: MechanismId; end: End } | undefined {
    const u = env.useChannel(ref);
    if (!u) return undefined;
    if (!MECHANISMS[u.c.mechanism][has]) {
      const which = (Object.keys(MECHANISMS) as MechanismId[]).filter((m) => MECHANISMS[m][has]).join(', ');
      err(ref.pos, `${what} (${which}); '${ref.name}' is ${u.c.mechanism}`);
      return undefined;
    }
    return { ...u.c, end: u.end };
  }

  function bind(s: Extract<DescriptorStmt, { into: string }>): void {
    // (a name given another kind of value elsewhere: assigns() says so there)
    if (env.channelNames.has(s.into)) err(s.pos, `'${s.into}' names a channel: give the connection another name`);
    env.define(s.into, s.pos);
  }

  return {
    /** A name that may be a connection where one goes as a channel does (poll): true when it is one. */
    connection: resolve,

    /** A verb on a name that may be a connection: true when it is one (its errors reported). */
    verb(verb: Verb, ref: ChannelRef, pos: Pos): boolean {
      if (!resolve(ref)) return false;
      if (!CONNECTION_VERBS.includes(verb)) err(pos, `${verb} is not valid on connection '${ref.name}' (use ${CONNECTION_VERBS.join(' / ')})`);
      return true;
    },

    /** A connection where only a channel goes (poll, nonblocking, accept...): true when it is one, reported. */
    notHere(ref: ChannelRef): boolean {
      if (!resolve(ref)) return false;
      err(ref.pos, `a channel goes here; '${ref.name}' is a connection (${CONNECTION_VERBS.join(', ')} and poll take it; sendfd passes it)`);
      return true;
    },

    /** A name that is a variable, where a channel or a connection goes: why it cannot be used. */
    notAChannel(ref: ChannelRef): string | undefined {
      return env.defined.has(ref.name) && !conns.has(ref.name) ? `'${ref.name}' is a variable, not a channel or a connection` : undefined;
    },

    /** set / recv ... as NAME (any statement that gives a name a value but accept and recvfd) where NAME is a connection. */
    assigns(s: Stmt): void {
      const name = s.kind === 'accept' || s.kind === 'recvfd' ? undefined : assigned(s);
      if (name !== undefined && conns.has(name)) err(s.pos, `'${name}' is a connection (${conns.get(name)!.at.kind} at line ${conns.get(name)!.at.pos.line}): it cannot be given another kind of value`);
    },

    stmt(s: DescriptorStmt): void {
      switch (s.kind) {
        case 'accept': {
          const c = channelWith(s.channel, 'accepts', 'accept takes connections on a listening stream socket');
          if (c && c.end !== 'to') {
            err(s.channel.pos, `${env.selfName} connects to '${s.channel.name}' (its listening end is the process linked at 'to'): only that process accepts; send or recv on ${s.channel.name} connects`);
          }
          bind(s);
          return;
        }
        case 'recvfd':
          channelWith(s.channel, 'passesFds', 'recvfd takes a descriptor over a Unix stream socket');
          bind(s);
          return;
        case 'sendfd': {
          channelWith(s.channel, 'passesFds', 'sendfd passes a descriptor over a Unix stream socket');
          if (resolve(s.fd)) return;
          const u = env.useChannel(s.fd);
          if (u && !MECHANISMS[u.c.mechanism].fd) err(s.fd.pos, `${u.c.mechanism} channel '${s.fd.name}' has no descriptor to pass (pipes, FIFOs, sockets and mq-posix have)`);
          return;
        }
      }
    },
  };
}
