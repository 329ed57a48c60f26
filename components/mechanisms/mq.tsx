// Message queues: whole messages queued in the kernel, boundaries kept.
import type { MechanismId } from '@/lib/mechanisms';
import { Facts, Meter, Waiting } from './common';
import { formatBytes } from '@/lib/format';
import { QueueIcon } from './icons';
import type { DetailProps, MechanismView } from './types';

function QueueDetail({ chan }: DetailProps) {
  const o = chan.object;
  if (!o) return <Waiting />;
  const n = o.messages ?? 0;
  // mq-posix reports its capacity in messages, mq-sysv in bytes
  const byMessages = chan.mechanism === 'mq-posix';
  return (
    <div>
      <div className="mq-slots" aria-label={`${n} messages queued`}>
        {Array.from({ length: Math.min(n, 16) }, (_, i) => (
          <span key={i} className="mq-slot">✉</span>
        ))}
        {n > 16 ? <span className="muted">+{n - 16}</span> : null}
        {n === 0 ? <span className="muted small">queue empty</span> : null}
      </div>
      {byMessages ? (
        <Meter value={n} max={o.capacity ?? 10} label={`${n} of ${o.capacity ?? 10} messages`} />
      ) : (
        <Meter value={o.bytes ?? 0} max={o.capacity ?? 16384} label={`${formatBytes(o.bytes ?? 0)} of ${formatBytes(o.capacity ?? 16384)}`} />
      )}
      <Facts rows={[['sent', String(chan.fwd + chan.back)]]} />
    </div>
  );
}

const make = (id: MechanismId, short: string): MechanismView => ({
  id,
  short,
  color: 'var(--m-mq)',
  Icon: QueueIcon,
  packet: 'message',
  edgeState: (c) => (c.object?.messages === undefined ? null : `${c.object.messages} msg${c.object.messages === 1 ? '' : 's'} queued`),
  Detail: QueueDetail,
});

export const mqSysvView = make('mq-sysv', 'SysV queue');
export const mqPosixView = make('mq-posix', 'POSIX queue');
