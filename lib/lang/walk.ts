// Walking a program's statements: every statement, nested ones included, the channel a
// statement acts on, the expressions it holds and the variables it reads and sets.

import { STDIN_CHANNEL, type Expr, type Program, type Stmt } from './ast';
import { isErrnoName } from './errors';

/** The statement lists nested in s. */
export function children(s: Stmt): Stmt[][] {
  switch (s.kind) {
    case 'repeat':
    case 'forever':
    case 'while':
    case 'whileRecv':
    case 'fork':
      return [s.body];
    case 'if':
      return s.else ? [s.then, s.else] : [s.then];
    default:
      return [];
  }
}

export function walk(list: Stmt[], f: (s: Stmt) => void): void {
  for (const s of list) {
    f(s);
    for (const b of children(s)) walk(b, f);
  }
}

/** Every statement of a program, its handlers' too. */
export function walkProgram(p: Program, f: (s: Stmt) => void): void {
  walk(p.body, f);
  for (const h of p.handlers) walk(h.body, f);
}

/** Whether a program forks (it then needs pages for its children: runtime/ipcpg.c). */
export function forks(p: Program): boolean {
  let found = false;
  walkProgram(p, (s) => {
    if (s.kind === 'fork') found = true;
  });
  return found;
}

/** The channel id a statement acts on (after the checker resolved it). */
export function channelOf(s: Stmt): string | undefined {
  if (s.kind === 'whileRecv') return s.recv.channel.id;
  return 'channel' in s ? s.channel.id : undefined;
}

/** Every channel id a statement acts on: poll watches several. */
export function channelsOf(s: Stmt): string[] {
  if (s.kind === 'poll') return s.channels.flatMap((c) => (c.id ? [c.id] : []));
  if (s.kind === 'sendfd') return [s.channel.id, s.fd.id].filter((c): c is string => !!c);
  const c = channelOf(s);
  return c ? [c] : [];
}

/** Lines that write stdout (print) or read stdin (recv stdin), which a pipe joined as a shell's | carries. */
export function stdioLines(p: Program, which: 'out' | 'in'): number[] {
  const out: number[] = [];
  walkProgram(p, (s) => {
    if (which === 'out' && s.kind === 'print') out.push(s.pos.line);
    if (which === 'in' && channelOf(s) === STDIN_CHANNEL) out.push(s.pos.line);
  });
  return out;
}

/** Program line of each poll -> the channel ids it watches. */
export function pollLines(p: Program): Map<number, string[]> {
  const out = new Map<number, string[]>();
  walkProgram(p, (s) => {
    if (s.kind === 'poll') out.set(s.pos.line, channelsOf(s));
  });
  return out;
}

/** Program line -> the channel id its statement acts on (a connection's: the channel it came through). */
export function lineChannels(p: Program): Map<number, string> {
  const out = new Map<number, string>();
  walkProgram(p, (s) => {
    const ref = s.kind === 'whileRecv' ? s.recv.channel : 'channel' in s ? s.channel : undefined;
    const c = ref?.via ?? channelOf(s);
    if (c) out.set(s.pos.line, c);
  });
  return out;
}

/** The expressions a statement holds itself (not those of nested statements); undefined for omitted ones. */
export function exprsOf(s: Stmt): (Expr | undefined)[] {
  switch (s.kind) {
    case 'print':
      return [s.value];
    case 'send':
      return [s.data, s.mtype, s.priority];
    case 'recv':
      return [s.size, s.mtype];
    case 'whileRecv':
      return [s.recv.size, s.recv.mtype];
    case 'write':
      return [s.data, s.offset];
    case 'read':
      return [s.length, s.offset];
    case 'sleep':
      return [s.ms];
    case 'alarm':
      return [s.seconds];
    case 'poll':
      return [s.timeout];
    case 'waitpid':
      return [s.pid];
    case 'set':
      return [s.value];
    case 'repeat':
      return [s.count];
    case 'while':
    case 'if':
      return [s.cond];
    case 'exit':
      return [s.code];
    default:
      return [];
  }
}

/** The variable a statement gives a value, if any. */
export function assigned(s: Stmt): string | undefined {
  switch (s.kind) {
    case 'set':
      return s.name;
    case 'recv':
      return s.into;
    case 'whileRecv':
      return s.recv.into;
    case 'read':
    case 'trywait':
    case 'poll':
    case 'accept':
    case 'recvfd':
      return s.into;
    case 'fork':
    case 'waitpid':
      return s.into;
    case 'repeat':
      return s.counter;
    default:
      return undefined;
  }
}

/** Written `try ...`: the statement sets errno. */
export function tries(s: Stmt): boolean {
  return 'try' in s && s.try === true;
}

/** Names of the variables an expression reads (errno names such as EAGAIN are constants, not variables). */
export function varsOf(e: Expr | undefined, out: Set<string> = new Set()): Set<string> {
  if (!e) return out;
  switch (e.kind) {
    case 'var':
      if (!isErrnoName(e.name)) out.add(e.name);
      break;
    case 'str':
      for (const p of e.parts) if (typeof p !== 'string') varsOf(p, out);
      break;
    case 'unary':
      varsOf(e.arg, out);
      break;
    case 'binary':
      varsOf(e.left, out);
      varsOf(e.right, out);
      break;
  }
  return out;
}
