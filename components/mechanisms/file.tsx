// A regular file with fcntl locks: who holds the lock, who waits, what the file says.
import { Facts, Waiting } from './common';
import { formatBytes } from '@/lib/format';
import { FileIcon } from './icons';
import type { DetailProps, MechanismView } from './types';

function FileDetail({ chan, name }: DetailProps) {
  const o = chan.object;
  if (!o) return <Waiting />;
  return (
    <div>
      <Facts
        rows={[
          ['size', formatBytes(o.bytes ?? 0)],
          ['lock', o.holder ? `${o.lockType ?? 'write'} lock held by ${name(o.holder)}` : 'free'],
          ['waiting', o.waiters?.length ? o.waiters.map(name).join(', ') : 'nobody'],
        ]}
      />
      {o.text ? <pre className="file-tail" data-testid={`file-text-${chan.id}`}>{o.text}</pre> : null}
    </div>
  );
}

export const fileView: MechanismView = {
  id: 'file',
  short: 'File + lock',
  color: 'var(--m-file)',
  Icon: FileIcon,
  wide: true,
  packet: 'write',
  edgeState: (c, name) => {
    const o = c.object;
    if (!o) return null;
    if (o.holder) return `🔒 ${name(o.holder)}`;
    return `${formatBytes(o.bytes ?? 0)} · unlocked`;
  },
  Detail: FileDetail,
};
