// The checker: does a parsed program make sense for its scenario? Channels and processes
// exist, the process is an end of each channel it uses, each verb suits the channel's
// mechanism and end, signals exist, variables are set before they are used.
// Resolves names in place: fills ChannelRef.id and ProcessRef.id.

import { STDIN_CHANNEL, literalInt, type ChannelRef, type Expr, type Handler, type LangError, type Pos, type Program, type RecvStmt, type Stmt } from './ast';
import { CATCHABLE_SIGNALS, MECHANISMS, SIGNALS, optionsWithDefaults, symmetric, type End, type MechanismId, type Verb } from '../mechanisms';
import { endOf, members, procsAt, type Link } from '../scenario';
import { didYouMean } from './parser';
import { ERRNO_VARIABLE, isErrnoName } from './errors';
import { tries } from './walk';
import { socketChecker } from './sockets';

export interface CheckContext {
  /** Id of the process whose program this is. */
  self: string;
  processes: { id: string; name: string }[];
  channels: { id: string; label?: string; mechanism: MechanismId; links: Link[]; options?: Record<string, number | string> }[];
  /** Limit for string literals sent (default 65536). */
  messageBytes?: number;
}

type Channel = CheckContext['channels'][number];

/** Variables every program has. Read-only. */
export const BUILTIN_VARIABLES: readonly string[] = ['pid'];


/** The verb a student probably meant on another kind of channel. */
const ANALOGUE: Partial<Record<Verb, Verb[]>> = {
  send: ['write', 'post'],
  recv: ['read', 'wait'],
  write: ['send'],
  read: ['recv'],
  post: ['send'],
  wait: ['recv'],
  trywait: ['recv'],
  lock: [],
  unlock: [],
  close: [],
};

const utf8Length = (s: string) => new TextEncoder().encode(s).length;

/** The text of a string literal without `{}` interpolation; undefined for anything else. */
function literalText(e: Expr | undefined): string | undefined {
  if (!e || e.kind !== 'str' || e.parts.length !== 1 || typeof e.parts[0] !== 'string') return undefined;
  return e.parts[0];
}

export function check(program: Program, ctx: CheckContext): LangError[] {
  const errors: LangError[] = [];
  const err = (pos: Pos, message: string) => errors.push({ line: pos.line, col: pos.col, message });
  const messageBytes = ctx.messageBytes ?? 65536;
  const procName = (id: string) => ctx.processes.find((p) => p.id === id)?.name ?? id;
  const selfName = procName(ctx.self);
  /** `a`, `a and b`, `a, b and c`, `nobody` */
  const namesOf = (ids: string[]) => {
    const n = ids.map(procName);
    return n.length === 0 ? 'nobody' : n.length === 1 ? n[0] : `${n.slice(0, -1).join(', ')} and ${n[n.length - 1]}`;
  };

  // ---- names ---------------------------------------------------------------------------

  function findChannel(ref: ChannelRef): Channel | undefined {
    const c = ctx.channels.find((x) => x.id === ref.name) ?? ctx.channels.find((x) => x.label === ref.name);
    if (c) {
      ref.id = c.id;
      return c;
    }
    const notOne = sockets.notAChannel(ref);
    if (notOne) {
      err(ref.pos, notOne);
      return undefined;
    }
    const names = ctx.channels.map((x) => (x.label && x.label !== x.id ? `${x.label} (${x.id})` : x.id));
    const maybe = didYouMean(ref.name, ctx.channels.flatMap((x) => (x.label ? [x.id, x.label] : [x.id])));
    err(
      ref.pos,
      `unknown channel '${ref.name}'` +
        (maybe ? `: did you mean ${maybe}?` : '') +
        (names.length ? ` (channels: ${names.join(', ')})` : ' (this scenario has no channels: draw one first)'),
    );
    return undefined;
  }

  /** `stdin` names the process's fd 0, unless a channel of the scenario is named so. */
  const stdinIsFree = !ctx.channels.some((x) => x.id === 'stdin' || x.label === 'stdin');
  const namesStdin = (ref: ChannelRef) => stdinIsFree && ref.name === 'stdin';

  /** The channel and this process's end of it, or undefined after reporting why not. */
  function useChannel(ref: ChannelRef): { c: Channel; end: End } | undefined {
    if (sockets.notHere(ref)) return undefined;
    if (namesStdin(ref)) {
      err(ref.pos, 'stdin (fd 0) is only for recv: recv stdin as line, or while recv stdin as line { }');
      return undefined;
    }
    const c = findChannel(ref);
    if (!c) return undefined;
    const end = endOf(c, ctx.self);
    if (!end) {
      const who = members(c);
      err(ref.pos, `process '${selfName}' is not linked to channel '${ref.name}' (${who.length ? `it joins ${namesOf(who)}` : 'nothing is linked to it yet'}): draw a link from ${selfName} to it`);
      return undefined;
    }
    if (c.options?.stdio === 1) {
      // a shell's |: the pipe is fd 1 or fd 0, not a channel the program names
      err(ref.pos, end === 'from' ? `pipe '${ref.name}' is ${selfName}'s standard output: print writes to it` : `pipe '${ref.name}' is ${selfName}'s standard input: read it with recv stdin as line`);
      return undefined;
    }
    return { c, end };
  }

  /** Checks that `verb` is allowed on the channel at this process's end. */
  function verbOn(verb: Verb, ref: ChannelRef, pos: Pos): { c: Channel; end: End } | undefined {
    if (sockets.verb(verb, ref, pos)) return undefined;
    const u = useChannel(ref);
    if (!u) return undefined;
    const { c, end } = u;
    const info = MECHANISMS[c.mechanism];
    const mine = info.verbs[end];
    if (mine.includes(verb)) return u;
    const other: End = end === 'from' ? 'to' : 'from';
    if (!symmetric(c.mechanism) && info.verbs[other].includes(verb)) {
      err(
        pos,
        `${c.mechanism} '${ref.name}' carries data from ${namesOf(procsAt(c, 'from'))} to ${namesOf(procsAt(c, 'to'))}: ${selfName} cannot ${verb} on it` +
          ` (${selfName} may ${mine.join(' / ')})`,
      );
      return undefined;
    }
    const analogues = (ANALOGUE[verb] ?? []).filter((v) => mine.includes(v));
    const suggest = [...analogues, ...mine.filter((v) => !analogues.includes(v))];
    err(pos, `${verb} is not valid on ${c.mechanism} channel '${ref.name}' (use ${suggest.join(' / ')})`);
    return undefined;
  }

  // ---- variables -----------------------------------------------------------------------

  const defined = new Set<string>(BUILTIN_VARIABLES);

  function define(name: string, pos: Pos) {
    if (BUILTIN_VARIABLES.includes(name)) {
      err(pos, `'${name}' is built in (this process's PID) and cannot be changed: choose another name`);
      return;
    }
    if (name === ERRNO_VARIABLE) {
      err(pos, `'errno' is set by the calls written with try (0, or why the call failed): choose another name`);
      return;
    }
    if (isErrnoName(name)) {
      err(pos, `'${name}' is an error number (as errno.h defines it) and cannot be changed: choose another name`);
      return;
    }
    defined.add(name);
  }

  const channelNames = new Set(ctx.channels.flatMap((x) => (x.label ? [x.id, x.label] : [x.id])));
  const sockets = socketChecker(program, { err, useChannel, channelNames, defined, define, selfName });

  function expr(e: Expr | undefined) {
    if (!e) return;
    switch (e.kind) {
      case 'num':
        return;
      case 'str':
        for (const p of e.parts) if (typeof p !== 'string') expr(p);
        return;
      case 'var':
        if (isErrnoName(e.name)) return;
        if (e.name === ERRNO_VARIABLE && !defined.has(e.name)) {
          err(e.pos, `errno is set by a call written with try, e.g. try recv c1 as msg; none comes before this line`);
          return;
        }
        if (!defined.has(e.name)) {
          const maybe = didYouMean(e.name, defined);
          err(e.pos, `unknown variable '${e.name}'` + (maybe ? ` (did you mean ${maybe}?)` : ': give it a value first with set, or recv ... as ' + e.name));
        }
        return;
      case 'unary':
        expr(e.arg);
        return;
      case 'binary':
        expr(e.left);
        expr(e.right);
        return;
    }
  }

  // ---- statements ----------------------------------------------------------------------

  function recv(s: RecvStmt, inWhile: boolean) {
    expr(s.size);
    expr(s.mtype);
    if (namesStdin(s.channel)) {
      s.channel.id = STDIN_CHANNEL;
      if (s.mtype) err(s.mtype.pos, 'type is only for mq-sysv channels; stdin is a byte stream (read(2) on fd 0)');
      if (s.nowait || s.noerror) err(s.pos, `${s.nowait ? 'nowait' : 'noerror'} is only for mq-sysv channels; stdin is a byte stream (read(2) on fd 0)`);
      const size = literalInt(s.size);
      if (size !== undefined && size < 1) err(s.size!.pos, 'recv size must be at least 1 byte');
      if (s.into !== undefined) define(s.into, s.pos);
      return;
    }
    const u = verbOn('recv', s.channel, s.pos);
    if (u) {
      const { c } = u;
      const fam = MECHANISMS[c.mechanism].family;
      if (fam === 'signal' || fam === 'semaphore') {
        const what = fam === 'signal' ? 'waits for a signal' : 'waits on the semaphore (sem_wait)';
        if (s.size) err(s.size.pos, `recv on ${c.mechanism} channel '${s.channel.name}' ${what} and takes no size`);
        if (inWhile) err(s.pos, `while recv needs a channel that carries data; ${c.mechanism} channel '${s.channel.name}' carries none (use forever { recv ${s.channel.name} ... })`);
        else if (s.into !== undefined) err(s.pos, `recv on ${c.mechanism} channel '${s.channel.name}' ${what} and gives no data: drop 'as ${s.into}'`);
      }
      if (s.mtype && c.mechanism !== 'mq-sysv') err(s.mtype.pos, `type is only for mq-sysv channels (msgrcv's msgtyp); '${s.channel.name}' is ${c.mechanism}`);
      if (s.nowait) nowaitOn(c, s.channel.name, s.pos);
      if (s.size && c.mechanism === 'mq-posix') {
        err(s.size.pos, `recv on mq-posix channel '${s.channel.name}' takes no size: mq_receive(3) always needs room for a whole message (the option msgsize)`);
      }
      const size = literalInt(s.size);
      if (size !== undefined && size < 1) err(s.size!.pos, 'recv size must be at least 1 byte');
      if (s.noerror && c.mechanism !== 'mq-sysv') err(s.pos, `noerror is MSG_NOERROR, for mq-sysv channels only; '${s.channel.name}' is ${c.mechanism}`);
      else if (s.noerror && !s.size) err(s.pos, `noerror cuts a message longer than the size given: write one, e.g. recv ${s.channel.name} 16 noerror as m`);
    }
    if (s.into !== undefined) define(s.into, s.pos);
  }

  /** `nowait` is IPC_NOWAIT, a flag of msgsnd / msgrcv only; other channels have their own way not to wait. */
  function nowaitOn(c: Channel, name: string, pos: Pos) {
    if (c.mechanism === 'mq-sysv') return;
    const fam = MECHANISMS[c.mechanism].family;
    const instead = MECHANISMS[c.mechanism].fd
      ? `write nonblocking ${name} once (O_NONBLOCK), then every call on it fails with EAGAIN rather than wait`
      : fam === 'semaphore'
        ? `use trywait ${name} (sem_trywait)`
        : `${c.mechanism} has no non-blocking mode here`;
    err(pos, `nowait is IPC_NOWAIT, for mq-sysv channels only: ${instead}`);
  }

  /** Offsets and lengths known from literals must fit in the shared memory. */
  function shmFits(c: Channel, ref: ChannelRef, offset: Expr | undefined, len: number | undefined, lenPos: Pos, what: string) {
    const size = Number(optionsWithDefaults(c.mechanism, c.options).size);
    const off = offset ? literalInt(offset) : 0;
    if (off === undefined) return;
    if (off < 0 || off >= size) {
      err(offset!.pos, `offset ${off} is outside ${c.mechanism} channel '${ref.name}' (${size} bytes: offsets 0 to ${size - 1})`);
    } else if (len !== undefined && off + len > size) {
      err(lenPos, `${what} ${len} bytes at offset ${off} goes past the end of ${c.mechanism} channel '${ref.name}' (${size} bytes)`);
    }
  }

  function stmts(list: Stmt[], loops: number) {
    for (const s of list) stmt(s, loops);
  }

  function stmt(s: Stmt, loops: number) {
    sockets.assigns(s);
    check1(s, loops);
    if (tries(s)) defined.add(ERRNO_VARIABLE);
  }

  function check1(s: Stmt, loops: number) {
    switch (s.kind) {
      case 'print':
        expr(s.value);
        return;
      case 'send': {
        expr(s.data);
        expr(s.mtype);
        expr(s.priority);
        const u = verbOn('send', s.channel, s.pos);
        if (!u) return;
        const { c } = u;
        const fam = MECHANISMS[c.mechanism].family;
        if (fam === 'signal' || fam === 'semaphore') {
          if (s.data) {
            const what = fam === 'signal' ? `sends the signal ${optionsWithDefaults(c.mechanism, c.options).signal} with kill(2)` : 'posts the semaphore (sem_post)';
            err(s.data.pos, `send on ${c.mechanism} channel '${s.channel.name}' takes no data: it ${what}`);
          }
        } else if (!s.data) {
          err(s.pos, `send on ${c.mechanism} channel '${s.channel.name}' needs data, e.g. send ${s.channel.name} "hello"`);
        }
        if (s.mtype && c.mechanism !== 'mq-sysv') err(s.mtype.pos, `type is only for mq-sysv channels (msgsnd's mtype); '${s.channel.name}' is ${c.mechanism}`);
        if (s.nowait) nowaitOn(c, s.channel.name, s.pos);
        if (s.priority && c.mechanism !== 'mq-posix') err(s.priority.pos, `priority is only for mq-posix channels (mq_send's priority); '${s.channel.name}' is ${c.mechanism}`);
        const t = literalInt(s.mtype);
        if (t !== undefined && t < 1) err(s.mtype!.pos, 'the message type (mtype) must be 1 or more, as msgsnd(2) requires');
        const p = literalInt(s.priority);
        if (p !== undefined && (p < 0 || p > 32767)) err(s.priority!.pos, 'priority must be from 0 to 32767');
        const text = literalText(s.data);
        if (text !== undefined) {
          const n = utf8Length(text);
          if (n > messageBytes) err(s.data!.pos, `this message is ${n} bytes, over the limit of ${messageBytes} bytes a message`);
          else if (c.mechanism === 'mq-posix') {
            const max = Number(optionsWithDefaults(c.mechanism, c.options).msgsize);
            if (n > max) err(s.data!.pos, `this message is ${n} bytes, over the queue's message size of ${max} (option msgsize)`);
          }
        }
        return;
      }
      case 'recv':
        recv(s, false);
        return;
      case 'write': {
        expr(s.data);
        expr(s.offset);
        const u = verbOn('write', s.channel, s.pos);
        if (!u) return;
        const text = literalText(s.data);
        shmFits(u.c, s.channel, s.offset, text === undefined ? undefined : utf8Length(text), s.data.pos, 'writing');
        return;
      }
      case 'read': {
        expr(s.length);
        expr(s.offset);
        const u = verbOn('read', s.channel, s.pos);
        if (u) {
          const len = literalInt(s.length);
          if (len !== undefined && len < 1) err(s.length.pos, 'read length must be at least 1 byte');
          shmFits(u.c, s.channel, s.offset, len !== undefined && len > 0 ? len : undefined, s.length.pos, 'reading');
        }
        define(s.into, s.pos);
        return;
      }
      case 'close':
      case 'lock':
      case 'unlock':
      case 'wait':
      case 'post':
        verbOn(s.kind, s.channel, s.pos);
        return;
      case 'trywait':
        verbOn('trywait', s.channel, s.pos);
        define(s.into, s.pos);
        return;
      case 'signal': {
        const p = ctx.processes.find((x) => x.id === s.target.name) ?? ctx.processes.find((x) => x.name === s.target.name);
        if (p) s.target.id = p.id;
        else {
          const names = ctx.processes.map((x) => (x.name !== x.id ? `${x.name} (${x.id})` : x.id));
          const maybe = didYouMean(s.target.name, ctx.processes.flatMap((x) => [x.id, x.name]));
          err(s.target.pos, `unknown process '${s.target.name}'` + (maybe ? `: did you mean ${maybe}?` : '') + ` (processes: ${names.join(', ')})`);
        }
        if (!(SIGNALS as readonly string[]).includes(s.signal)) unknownSignal(s.signal, s.pos);
        return;
      }
      case 'poll': {
        expr(s.timeout);
        const seen = new Set<string>();
        for (const ref of s.channels) {
          if (sockets.connection(ref)) continue;
          const u = useChannel(ref);
          if (!u) continue;
          if (seen.has(u.c.id)) err(ref.pos, `channel '${ref.name}' is already in this poll`);
          seen.add(u.c.id);
          if (!MECHANISMS[u.c.mechanism].fd) err(ref.pos, `poll(2) watches descriptors; ${u.c.mechanism} channel '${ref.name}' has none (poll works on pipe, fifo, sockets and mq-posix)`);
        }
        if (s.channels.length > 6) err(s.channels[6].pos, 'poll watches at most 6 channels here');
        const t = literalInt(s.timeout);
        if (t !== undefined && t < -1) err(s.timeout!.pos, 'poll timeout is milliseconds: 0 or more (-1, or no timeout: wait as long as it takes)');
        define(s.into, s.pos);
        return;
      }
      case 'nonblocking': {
        const u = useChannel(s.channel);
        if (u && !MECHANISMS[u.c.mechanism].fd) {
          const fam = MECHANISMS[u.c.mechanism].family;
          err(
            s.pos,
            `nonblocking sets O_NONBLOCK on a descriptor; ${u.c.mechanism} channel '${s.channel.name}' has none to set` +
              (u.c.mechanism === 'mq-sysv' ? ` (write send/recv ... nowait: IPC_NOWAIT)` : fam === 'semaphore' ? ` (use trywait ${s.channel.name})` : ''),
          );
        }
        return;
      }
      case 'pause':
      case 'suspend':
        return;
      case 'alarm': {
        expr(s.seconds);
        const n = literalInt(s.seconds);
        if (n !== undefined && (n < 0 || n > 3600)) err(s.seconds.pos, 'alarm takes seconds, from 0 (cancel) to 3600');
        return;
      }
      case 'block':
      case 'unblock':
        if (!(SIGNALS as readonly string[]).includes(s.signal)) unknownSignal(s.signal, s.pos);
        else if (!(CATCHABLE_SIGNALS as readonly string[]).includes(s.signal)) err(s.pos, `${s.signal} cannot be blocked, as in C (sigprocmask(2) ignores SIGKILL and SIGSTOP)`);
        return;
      case 'sleep': {
        expr(s.ms);
        const ms = literalInt(s.ms);
        if (ms !== undefined && ms < 0) err(s.ms.pos, 'sleep takes milliseconds, 0 or more');
        return;
      }
      case 'set':
        expr(s.value);
        define(s.name, s.pos);
        return;
      case 'repeat': {
        expr(s.count);
        define(s.counter, s.pos);
        stmts(s.body, loops + 1);
        return;
      }
      case 'forever':
        stmts(s.body, loops + 1);
        return;
      case 'fork':
        if (inHandler) err(s.pos, 'fork in a signal handler: write it in the main program (the child would start inside the handler)');
        if (s.into) define(s.into, s.pos);
        stmts(s.body, loops);
        return;
      case 'waitpid':
        expr(s.pid);
        if (s.into) define(s.into, s.pos);
        return;
      case 'while':
        expr(s.cond);
        stmts(s.body, loops + 1);
        return;
      case 'whileRecv':
        recv(s.recv, true);
        stmts(s.body, loops + 1);
        return;
      case 'if':
        expr(s.cond);
        stmts(s.then, loops);
        if (s.else) stmts(s.else, loops);
        return;
      case 'break':
        if (loops === 0) err(s.pos, 'break is only allowed inside repeat, forever or while');
        return;
      case 'exit': {
        expr(s.code);
        const code = literalInt(s.code);
        if (code !== undefined && (code < 0 || code > 255)) err(s.code!.pos, `exit code must be from 0 to 255 (got ${code})`);
        return;
      }
      case 'accept':
      case 'sendfd':
      case 'recvfd':
        sockets.stmt(s);
        return;
    }
  }

  function unknownSignal(sig: string, pos: Pos) {
    const maybe = didYouMean(sig, SIGNALS);
    err(pos, `unknown signal '${sig}'` + (maybe ? `: did you mean ${maybe}?` : '') + ` (signals: ${SIGNALS.join(', ')})`);
  }

  let inHandler = false;
  const handled = new Map<string, Handler>();
  function handler(h: Handler) {
    if (!(SIGNALS as readonly string[]).includes(h.signal)) unknownSignal(h.signal, h.pos);
    else if (!(CATCHABLE_SIGNALS as readonly string[]).includes(h.signal)) err(h.pos, `${h.signal} cannot be caught, as in C (sigaction(2) refuses SIGKILL and SIGSTOP)`);
    else {
      const prev = handled.get(h.signal);
      if (prev) err(h.pos, `a handler for ${h.signal} is already installed at line ${prev.pos.line}: one handler per signal`);
      else handled.set(h.signal, h);
    }
    // A handler runs between statements of the main program, not inside its loops.
    inHandler = true;
    stmts(h.body, 0);
    inHandler = false;
  }

  // Source order, so that "set before use" means earlier in the text.
  const items: ({ at: Pos; s: Stmt } | { at: Pos; h: Handler })[] = [
    ...program.body.map((s) => ({ at: s.pos, s })),
    ...program.handlers.map((h) => ({ at: h.pos, h })),
  ];
  items.sort((a, b) => a.at.line - b.at.line || a.at.col - b.at.col);
  for (const it of items) {
    if ('s' in it) stmt(it.s, 0);
    else handler(it.h);
  }

  errors.sort((a, b) => a.line - b.line || a.col - b.col);
  return errors;
}
