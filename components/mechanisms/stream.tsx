// Pipes and FIFOs: a byte stream through a kernel buffer (64 KiB on Linux).
import { Facts, Meter, Waiting } from './common';
import { formatBytes } from '@/lib/format';
import { FifoIcon, PipeIcon } from './icons';
import type { DetailProps, MechanismView } from './types';

function StreamDetail({ chan }: DetailProps) {
  const o = chan.object;
  if (!o) return <Waiting />;
  const rows: [string, string][] = [];
  if (o.readers !== undefined) rows.push(['read ends open', String(o.readers)]);
  if (o.writers !== undefined) rows.push(['write ends open', String(o.writers)]);
  rows.push(['sent so far', `${chan.fwd.toLocaleString('en')} write${chan.fwd === 1 ? '' : 's'}`]);
  return (
    <div>
      <Meter value={o.bytes ?? 0} max={o.capacity ?? 65536} label={`${formatBytes(o.bytes ?? 0)} buffered of ${formatBytes(o.capacity ?? 65536)}`} testId={`meter-${chan.id}`} />
      <Facts rows={rows} />
    </div>
  );
}

const edgeState: MechanismView['edgeState'] = (c) => {
  const o = c.object;
  if (!o) return null;
  if (o.bytes === undefined) return o.readers === 0 ? 'not opened yet' : null;
  return `${formatBytes(o.bytes)} / ${formatBytes(o.capacity ?? 65536)}`;
};

/** What went through, from the run's final counts: its buffer is gone with it. */
export const endState: MechanismView['endState'] = (c) => `${formatBytes(c.bytes)} through`;

export const pipeView: MechanismView = { id: 'pipe', short: 'Pipe', color: 'var(--m-stream)', Icon: PipeIcon, packet: 'byte', edgeState, endState, Detail: StreamDetail };
export const fifoView: MechanismView = { id: 'fifo', short: 'FIFO', color: 'var(--m-stream)', Icon: FifoIcon, packet: 'byte', edgeState, endState, Detail: StreamDetail };
