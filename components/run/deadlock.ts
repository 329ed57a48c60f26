// The page's deadlock check: the live picture of the run (run/live.ts) put in the terms of
// lib/deadlock.ts, which decides, conservatively, whether nothing can ever move again.
import { findDeadlock, type Deadlock, type LiveChannel, type LiveProc } from '@/lib/deadlock';
import type { Scenario } from '@/lib/scenario';
import type { RunLive } from './live';

export function detectDeadlock(live: Pick<RunLive, 'status' | 'procs' | 'chans'>, scenario: Scenario): Deadlock | null {
  if (live.status !== 'running') return null;
  const procs: LiveProc[] = Object.values(live.procs).map((p) => ({ id: p.id, name: p.name, state: p.state, call: p.call, channel: p.channel }));
  if (procs.length === 0) return null;
  const channels: LiveChannel[] = Object.values(live.chans).map((c) => {
    const initial = scenario.channels.find((x) => x.id === c.id)?.options?.initial;
    return {
      id: c.id,
      mechanism: c.mechanism,
      links: c.links,
      label: c.label,
      state: c.object ?? undefined,
      initial: typeof initial === 'number' ? initial : undefined,
    };
  });
  return findDeadlock(procs, channels);
}

/** Same deadlock, same key: the banner does not flicker as samples come in. */
export const deadlockKey = (d: Deadlock) => `${d.kind}:${d.procs.join(',')}:${d.channels.join(',')}`;
