// Walking a program's statements: every statement, nested ones included, and the channel a
// statement acts on.

import type { Program, Stmt } from './ast';

/** The statement lists nested in s. */
export function children(s: Stmt): Stmt[][] {
  switch (s.kind) {
    case 'repeat':
    case 'forever':
    case 'while':
    case 'whileRecv':
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

/** The channel id a statement acts on (after the checker resolved it). */
export function channelOf(s: Stmt): string | undefined {
  if (s.kind === 'whileRecv') return s.recv.channel.id;
  return 'channel' in s ? s.channel.id : undefined;
}

/** Program line -> the channel id its statement acts on. */
export function lineChannels(p: Program): Map<number, string> {
  const out = new Map<number, string>();
  walkProgram(p, (s) => {
    const c = channelOf(s);
    if (c) out.set(s.pos.line, c);
  });
  return out;
}
