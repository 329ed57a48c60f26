// The page's deadlock check: the live picture of the run (run/live.ts) put in the terms of
// lib/deadlock.ts, which decides, conservatively, whether nothing can ever move again.
import { findDeadlock, type Deadlock, type LiveChannel, type LiveProc } from '@/lib/deadlock';
import type { Scenario } from '@/lib/scenario';
import { terminalOf, type RunLive } from './live';

export function detectDeadlock(live: Pick<RunLive, 'status' | 'procs' | 'chans'>, scenario: Scenario): Deadlock | null {
  if (live.status !== 'running') return null;
  const procs: LiveProc[] = Object.values(live.procs).map((p) => ({ id: p.id, name: p.name, state: p.state, call: p.call, channel: p.channel }));
  if (procs.length === 0) return null;
  // a forked child holds what its drawn ancestor holds (fork copies every descriptor): it can wake the same waiters
  const forked = Object.values(live.procs).filter((p) => p.parent);
  const channels: LiveChannel[] = Object.values(live.chans).map((c) => {
    const initial = scenario.channels.find((x) => x.id === c.id)?.options?.initial;
    const inherited = forked.flatMap((f) => c.links.filter((l) => l.process === terminalOf(live.procs, f.id)).map((l) => ({ ...l, process: f.id })));
    return {
      id: c.id,
      mechanism: c.mechanism,
      links: [...c.links, ...inherited],
      label: c.label,
      state: c.object ?? undefined,
      initial: typeof initial === 'number' ? initial : undefined,
    };
  });
  return findDeadlock(procs, channels);
}

/** Same deadlock, same key: the banner does not flicker as samples come in. */
export const deadlockKey = (d: Deadlock) => `${d.kind}:${d.procs.join(',')}:${d.channels.join(',')}`;
