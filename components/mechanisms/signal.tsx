// Signals: no object at all, a kill(2) to a PID. The receiver's /proc masks are the state.
import { Facts, Waiting } from './common';
import { SignalIcon } from './icons';
import type { DetailProps, MechanismView } from './types';

const list = (x?: string[]) => (x && x.length ? x.join(' ') : 'none');

function SignalDetail({ chan }: DetailProps) {
  const o = chan.object;
  if (!o) return <Waiting />;
  return (
    <Facts
      rows={[
        ['pending', list(o.pending)],
        ['blocked', list(o.blocked)],
        ['caught', list(o.caught)],
        ['sent', `${chan.fwd} kill(2)`],
      ]}
    />
  );
}

export const signalView: MechanismView = {
  id: 'signal',
  short: 'Signal',
  color: 'var(--m-signal)',
  Icon: SignalIcon,
  packet: 'bolt',
  dashed: true,
  edgeState: (c) => (c.object?.pending?.length ? `pending: ${c.object.pending.join(' ')}` : c.fwd ? `${c.fwd} sent` : null),
  Detail: SignalDetail,
};
