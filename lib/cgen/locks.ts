// Whether a process holds a channel's lock (a file's fcntl lock, taken by `lock`, given back by
// `unlock`) at each send and recv: then they do not take it again. Where paths with and without
// it join, or a handler may change it, only the run knows: a flag tracks it. Isomorphic: no Node, no DOM.

import type { Program, Stmt } from '../lang/ast';
import { channelOf, walk } from '../lang/walk';

export type LockState = 'held' | 'free' | 'unknown';

export interface Locks {
  /** Per statement, the state of each lockable channel when it runs. */
  at: Map<Stmt, Map<string, LockState>>;
  /** Channels some send or recv finds in a state known only at run time. */
  dynamic: Set<string>;
}

/** The lock states of a program's channels that can be locked (ids). */
export function analyseLocks(prog: Program, lockable: string[]): Locks {
  const at = new Map<Stmt, Map<string, LockState>>();
  const dynamic = new Set<string>();
  if (!lockable.length) return { at, dynamic };
  type St = Map<string, LockState>;
  const merge = (...ss: St[]): St => {
    const out: St = new Map();
    for (const f of lockable) {
      const vals = new Set(ss.map((s) => s.get(f) ?? 'free'));
      out.set(f, vals.size === 1 ? [...vals][0] : 'unknown');
    }
    return out;
  };
  const same = (a: St, b: St) => lockable.every((f) => a.get(f) === b.get(f));
  const record = (s: Stmt, st: St) => {
    const prev = at.get(s);
    at.set(s, prev ? merge(prev, st) : new Map(st));
  };
  const loop = (body: Stmt[], entry: St, head?: Stmt): St => {
    for (let k = 0; k < 4; k++) {
      const breaks: St[] = [];
      if (head) record(head, entry);
      const end = block(body, entry, breaks);
      if (same(merge(entry, end), entry)) return merge(entry, end, ...breaks);
      entry = merge(entry, end);
    }
    return merge(entry);
  };
  const block = (list: Stmt[], st: St, breaks: St[]): St => {
    for (const s of list) {
      record(s, st);
      const c = channelOf(s);
      switch (s.kind) {
        case 'lock':
          if (c) st = new Map(st).set(c, 'held');
          break;
        case 'unlock':
          if (c) st = new Map(st).set(c, 'free');
          break;
        case 'repeat':
        case 'forever':
        case 'while':
          st = loop(s.body, st);
          break;
        case 'whileRecv':
          st = loop(s.body, st, s);
          break;
        case 'if':
          st = merge(block(s.then, st, breaks), s.else ? block(s.else, st, breaks) : st);
          break;
        case 'break':
          breaks.push(st);
          break;
      }
    }
    return st;
  };
  const start: St = new Map(lockable.map((f) => [f, 'free']));
  block(prog.body, start, []);
  const unknown: St = new Map(lockable.map((f) => [f, 'unknown']));
  for (const h of prog.handlers) block(h.body, unknown, []);
  // a handler that locks or unlocks makes the state anywhere unknown
  for (const h of prog.handlers) walk(h.body, (s) => (s.kind === 'lock' || s.kind === 'unlock') && dynamic.add(s.channel.id!));
  for (const [s, st] of at) {
    const c = channelOf(s);
    if (c && lockable.includes(c) && (s.kind === 'send' || s.kind === 'recv' || s.kind === 'whileRecv') && st.get(c) === 'unknown') dynamic.add(c);
  }
  return { at, dynamic };
}
