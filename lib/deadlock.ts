// Deadlock detection over the live state of a run: when every live process is blocked and no
// wake-up can come, find a cycle in the wait-for graph (locks, semaphores, pipes, FIFOs,
// queues, sockets, signals). Isomorphic: pure data in, data out.
//
// Inputs come from the event stream (lib/events.ts): the latest 'state' event of each
// process, and the latest 'object' event of each channel.
//
// The rules, conservative by design (a false "deadlock!" in front of a class is worse than
// a missed one), so null whenever anything could still move:
//
// 1. Live = not 'exited' or 'killed'. Unless every live process is 'blocked', null:
//    a running, sleeping, starting, paused (by the debugger) or stopped (SIGSTOP: SIGCONT
//    may come from outside) process may still post, send, signal or exit.
// 2. For each blocked process P, its wakers: who could end its wait (see `waitOf`). A waker
//    that is gone may have woken P by going (a pipe writer's exit is EOF for the reader, a
//    lock holder's exit frees the lock, a reader's exit is EPIPE for a blocked writer, a
//    listener's exit is ECONNREFUSED for connect): then null. Other exits wake nobody: a
//    FIFO open(), an accept(), a queue receive or send, a recvfrom, a sem_wait, a file
//    recv and a signal wait whose other end is gone wait for ever. A sample that says P is
//    not really stuck (semaphore value > 0, bytes in a pipe P reads, messages in a queue P
//    receives from, a signal pending): null. A wait we cannot reason about (no channel, an
//    unknown channel, a call we do not know, shared memory): null.
// 3. Otherwise no process can ever run again. Edges P -> Q for each live waker Q; the
//    shortest cycle (first in process order on ties) is reported, with kind 'cycle'.
// 4. Every process stuck but no cycle (a chain ending at a process whose only wakers are
//    gone without waking it, e.g. a reader on a message queue whose sender exited, or a
//    lone process in pause()): all live processes are reported, with kind 'stuck' and an
//    explanation naming what each waits for.
//
// Processes that are channel ends but absent from `procs` are taken as gone (exited): pass
// every process of the run, including the exited ones, for the best wording.

import type { ObjectState, ProcState } from './events';
import { MECHANISMS, symmetric, type MechanismId } from './mechanisms';
import { endOf, members, procsAt, type Link } from './scenario';

export interface LiveProc {
  id: string;
  /** Shown in explanations instead of the id when given. */
  name?: string;
  state: ProcState;
  call?: string;
  channel?: string;
}

export interface LiveChannel {
  id: string;
  mechanism: MechanismId;
  /** The processes linked to it, each at its end. */
  links: readonly Link[];
  /** Latest object event's state. */
  state?: ObjectState;
  /** Shown in explanations instead of the id when given. */
  label?: string;
  /**
   * Semaphores: the channel's `initial` option, for the wording only. 0 reads as a signal
   * ("which only p2 can post"); 1 or more, or unknown, as a lock ("held by p2").
   */
  initial?: number;
}

export type Deadlock = {
  /** A cycle in order (procs[i] waits for procs[i+1], the last for the first); for 'stuck', every live process. */
  procs: string[];
  /** The channel each of procs waits on, in the same order; a pause() without a channel adds none. */
  channels: string[];
  /** One line, plain English: "p1 waits for lockB held by p2; p2 waits for lockA held by p1". */
  explanation: string;
  /** 'cycle': a wait-for cycle. 'stuck': all blocked for good, but no cycle (see the rules above). */
  kind: 'cycle' | 'stuck';
};

/** What a blocked process waits for. */
interface Wait {
  proc: LiveProc;
  channel?: LiveChannel;
  /** Live processes that could wake it. */
  wakers: string[];
  /** Wakers that are gone (and whose going did not wake it). */
  gone: string[];
  /** Words for "P waits ... WHO ..."; WHO is '' when nobody at all could wake P (a lone pause()). */
  say: (p: string, who: string) => string;
}

const isLive = (p: LiveProc) => p.state !== 'exited' && p.state !== 'killed';

/** Finds a deadlock among the live processes, or null when something could still move. */
export function findDeadlock(procs: LiveProc[], channels: LiveChannel[]): Deadlock | null {
  const live = procs.filter(isLive);
  if (live.length === 0) return null;
  if (live.some((p) => p.state !== 'blocked')) return null;

  const byId = new Map(procs.map((p) => [p.id, p]));
  const liveIds = new Set(live.map((p) => p.id));
  const chans = new Map(channels.map((c) => [c.id, c]));
  const procName = (id: string) => byId.get(id)?.name || id;

  const waits = new Map<string, Wait>();
  for (const p of live) {
    const w = waitOf(p, chans, live);
    if (!w) return null;
    const wakers = [...new Set(w.wakers)].filter((q) => q !== p.id);
    const alive = wakers.filter((q) => liveIds.has(q));
    const gone = wakers.filter((q) => !liveIds.has(q));
    if (gone.length && w.exitWakes) return null; // the end going away wakes it (EOF, EPIPE, lock freed)
    waits.set(p.id, { proc: p, channel: w.channel, wakers: alive, gone, say: w.say });
  }

  const chanOf = (id: string) => waits.get(id)?.channel?.id;
  const cycle = shortestCycle(live.map((p) => p.id), (id) => waits.get(id)!.wakers);
  if (cycle) {
    const shared = oneSemaphore(cycle, waits, live, procName);
    if (shared) return { procs: shared.procs, channels: shared.procs.map(chanOf).filter((c): c is string => c !== undefined), explanation: shared.explanation, kind: 'cycle' };
    const parts = cycle.map((id, i) => waits.get(id)!.say(procName(id), procName(cycle[(i + 1) % cycle.length])));
    return {
      procs: cycle,
      channels: cycle.map(chanOf).filter((c): c is string => c !== undefined),
      explanation: parts.join('; '),
      kind: 'cycle',
    };
  }

  const or = (ids: string[]) => ids.map(procName).join(' or ');
  const goneWord = (id: string) => {
    const s = byId.get(id)?.state;
    return `${procName(id)} (${s === 'killed' ? 'killed' : s === 'exited' ? 'exited' : 'gone'})`;
  };
  const parts = live.map((p) => {
    const w = waits.get(p.id)!;
    if (w.wakers.length) return w.say(procName(p.id), or(w.wakers));
    if (w.gone.length) return w.say(procName(p.id), w.gone.map(goneWord).join(' or '));
    return w.say(procName(p.id), '');
  });
  return {
    procs: live.map((p) => p.id),
    channels: live.map((p) => chanOf(p.id)).filter((c): c is string => c !== undefined),
    explanation: `every process is blocked for good: ${parts.join('; ')}`,
    kind: 'stuck',
  };
}

/**
 * Every process of the cycle waits on one and the same semaphore: it is no lock-order cycle
 * but a semaphore at 0 that only its waiters could post. Says so, naming every process that
 * waits on it (an object shared by many can have more waiters than the cycle), and that it
 * started at 0.
 */
function oneSemaphore(cycle: string[], waits: Map<string, Wait>, live: LiveProc[], procName: (id: string) => string): { procs: string[]; explanation: string } | null {
  const c = waits.get(cycle[0])?.channel;
  if (!c || MECHANISMS[c.mechanism].family !== 'semaphore' || !cycle.every((id) => waits.get(id)?.channel?.id === c.id)) return null;
  const procs = live.filter((p) => waits.get(p.id)?.channel?.id === c.id).map((p) => p.id);
  const who = procs.map(procName);
  const all = who.length === 2 ? `both ${who.join(' and ')}` : `all of ${who.slice(0, -1).join(', ')} and ${who[who.length - 1]}`;
  const start = c.initial === 0 ? ', where it started' : '';
  return { procs, explanation: `${all} wait on semaphore ${c.label ?? c.id}, which is at 0${start}: only they could post it, so nobody will` };
}

/**
 * Who could wake p, by mechanism and call, and whether a waker's exit wakes it. Null when p
 * is not really stuck or when we cannot tell.
 */
function waitOf(p: LiveProc, chans: Map<string, LiveChannel>, live: LiveProc[]): (Omit<Wait, 'proc' | 'gone'> & { exitWakes: boolean }) | null {
  const call = p.call ?? '';
  const c = p.channel !== undefined ? chans.get(p.channel) : undefined;

  if (call === 'pause' && p.channel === undefined) {
    // pause(2) with no channel: any live process could signal it; nothing that exits does
    return {
      wakers: live.map((q) => q.id),
      exitWakes: false,
      say: (P, Q) => (Q ? `${P} waits in pause() for a signal from anyone, such as ${Q}` : `${P} waits in pause() for a signal, and no other process is left to send one`),
    };
  }
  if (!c) return null; // blocked on something we do not know
  const info = MECHANISMS[c.mechanism];
  if (!info) return null;
  const C = c.label || c.id;
  const st = c.state ?? {};
  // who could wake p: the processes at the other end (a pipe's reader waits for its writers),
  // or every other process linked to an object that all use alike (a semaphore, a queue)
  const end = endOf(c, p.id);
  const others = (end && !symmetric(c.mechanism) ? procsAt(c, end === 'from' ? 'to' : 'from') : members(c)).filter((q) => q !== p.id);
  const other = (exitWakes: boolean, say: Wait['say']) => ({ channel: c, wakers: others, exitWakes, say });

  switch (info.family) {
    case 'semaphore': {
      if (call !== 'sem_wait') return null;
      if ((st.value ?? 0) > 0) return null; // a post is in: it will get through
      const lock = c.initial === undefined || c.initial > 0;
      return other(false, lock ? (P, Q) => `${P} waits for ${C} held by ${Q}` : (P, Q) => `${P} waits on semaphore ${C}, which only ${Q} can post`);
    }
    case 'file': {
      if (call === 'fcntl') {
        const h = st.holder;
        if (h && h !== p.id) return { channel: c, wakers: [h], exitWakes: true, say: (P, Q) => `${P} waits for the lock on ${C} held by ${Q}` };
        return other(true, (P, Q) => `${P} waits for the lock on ${C} held by ${Q}`);
      }
      // reading a file never waits: at its end it gives no bytes
      return null;
    }
    case 'stream': {
      if (call === 'open') return other(false, (P, Q) => `${P} waits in open() on ${C} for ${Q} to open the other end`);
      if (call === 'accept') return other(false, (P, Q) => `${P} waits in accept() on ${C} for ${Q} to connect`);
      if (call === 'connect') return other(true, (P, Q) => `${P} waits in connect() on ${C} for ${Q}`);
      if (call === 'read' || call === 'recv' || call === 'recvmsg') {
        if ((c.mechanism === 'pipe' || c.mechanism === 'fifo') && (st.bytes ?? 0) > 0) return null; // data is there
        return other(true, (P, Q) => `${P} waits to read from ${C}, which only ${Q} writes to`);
      }
      if (call === 'write' || call === 'send' || call === 'sendmsg') return other(true, (P, Q) => `${P} waits to write to ${C}, full until ${Q} reads`);
      return null;
    }
    case 'message': {
      if (call === 'msgrcv' || call === 'mq_receive') {
        if ((st.messages ?? 0) > 0) return null; // possibly for it (conservative with mq-sysv types)
        return other(false, (P, Q) => `${P} waits for a message on ${C} from ${Q}`);
      }
      if (call === 'msgsnd' || call === 'mq_send') return other(false, (P, Q) => `${P} waits for room in ${C}, full until ${Q} receives`);
      return null;
    }
    case 'datagram': {
      if (call === 'recvfrom') return other(false, (P, Q) => `${P} waits for a datagram on ${C} from ${Q}`);
      if (call === 'sendto') return other(true, (P, Q) => `${P} waits to send on ${C}, full until ${Q} receives`);
      return null;
    }
    case 'signal': {
      if (call !== 'pause') return null;
      if (st.pending?.length) return null; // on its way
      // only the sending end sends this channel's signal
      const from = procsAt(c, 'from').filter((q) => q !== p.id);
      return { channel: c, wakers: from, exitWakes: false, say: (P, Q) => `${P} waits for signal ${C} from ${Q}` };
    }
    default:
      // shared memory never blocks; anything else we cannot reason about
      return null;
  }
}

/** The shortest cycle through the graph, the first in node order on ties; null if none. */
function shortestCycle(nodes: string[], next: (id: string) => string[]): string[] | null {
  let best: string[] | null = null;
  for (const start of nodes) {
    // BFS from start's successors back to start
    const prev = new Map<string, string>();
    const queue: string[] = [];
    for (const q of next(start)) {
      if (q === start || prev.has(q)) continue;
      prev.set(q, start);
      queue.push(q);
    }
    let found = false;
    for (let i = 0; i < queue.length && !found; i++) {
      const u = queue[i];
      for (const v of next(u)) {
        if (v === start) {
          const path = [u];
          for (let x = prev.get(u)!; x !== start; x = prev.get(x)!) path.push(x);
          path.push(start);
          path.reverse();
          if (!best || path.length < best.length) best = path;
          found = true;
          break;
        }
        if (!prev.has(v)) {
          prev.set(v, u);
          queue.push(v);
        }
      }
    }
    if (best && best.length === 2) break; // cannot do better (self-waits are dropped)
  }
  return best;
}
