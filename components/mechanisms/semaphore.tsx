// Semaphores: a counter in the kernel (named) or in shared memory (unnamed); waiters sleep at 0.
import type { MechanismId } from '@/lib/mechanisms';
import { useRun } from '../store/run';
import { Facts, Waiting } from './common';
import { SemaphoreIcon } from './icons';
import type { DetailProps, MechanismView } from './types';

function SemaphoreDetail({ chan, name }: DetailProps) {
  const o = chan.object;
  // who is blocked in sem_wait() on it, from the processes' own states (a sample may not say)
  const blocked = useRun((s) =>
    Object.values(s.procs)
      .filter((p) => p.state === 'blocked' && p.channel === chan.id)
      .map((p) => p.id)
      .join(' '),
  );
  if (!o || o.value === undefined) return <Waiting />;
  const waiters = o.waiters?.length ? o.waiters : blocked ? blocked.split(' ') : [];
  const tokens = Math.min(o.value, 12);
  return (
    <div>
      <div className="sem-value" data-testid={`sem-value-${chan.id}`}>
        <span className="sem-number">{o.value}</span>
        <span className="sem-tokens" aria-hidden>
          {Array.from({ length: tokens }, (_, i) => (
            <i key={i} />
          ))}
          {o.value > tokens ? '…' : ''}
        </span>
      </div>
      <Facts rows={[['waiting', waiters.length ? waiters.map(name).join(', ') : 'nobody'], ['posts', String(chan.fwd + chan.back)]]} />
    </div>
  );
}

const make = (id: MechanismId, short: string): MechanismView => ({
  id,
  short,
  color: 'var(--m-sem)',
  Icon: SemaphoreIcon,
  packet: 'token',
  dashed: true,
  edgeState: (c) => (c.object?.value === undefined ? null : `value ${c.object.value}`),
  Detail: SemaphoreDetail,
});

export const semNamedView = make('sem-named', 'Named sem');
export const semUnnamedView = make('sem-unnamed', 'Unnamed sem');
