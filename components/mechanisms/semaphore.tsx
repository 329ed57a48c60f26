// Semaphores: a counter in the kernel (named) or in shared memory (unnamed); waiters sleep at 0.
import type { MechanismId } from '@/lib/mechanisms';
import { Facts, Waiting } from './common';
import { SemaphoreIcon } from './icons';
import type { DetailProps, MechanismView } from './types';

function SemaphoreDetail({ chan, name }: DetailProps) {
  const o = chan.object;
  if (!o || o.value === undefined) return <Waiting />;
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
      <Facts rows={[['waiting', o.waiters?.length ? o.waiters.map(name).join(', ') : 'nobody'], ['posts', String(chan.fwd + chan.back)]]} />
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
