// Sockets: TCP and Unix stream (connect/accept, then a byte stream), UDP and Unix datagram.
import type { MechanismId } from '@/lib/mechanisms';
import { procsAt } from '@/lib/scenario';
import { Facts, Waiting } from './common';
import { formatBytes } from '@/lib/format';
import { endState } from './stream';
import { TcpIcon, UdpIcon, UnixDgramIcon, UnixStreamIcon } from './icons';
import type { DetailProps, MechanismView, PacketStyle } from './types';

function SocketDetail({ chan, name }: DetailProps) {
  const o = chan.object;
  if (!o) return <Waiting />;
  const rows: [string, string][] = [];
  if (o.conn) rows.push(['connection', o.conn]);
  if (o.address) rows.push(['address', o.address]);
  if (o.accepted !== undefined) rows.push(['connections accepted', String(o.accepted)], ['of them open in the server', String(o.connections ?? 0)]);
  rows.push(['receive queue', formatBytes(o.bytes ?? 0)]);
  const at = (end: 'from' | 'to') => procsAt(chan, end).map(name).join(', ') || 'nobody';
  rows.push([`sends by ${at('from')}`, String(chan.fwd)]);
  if (chan.back) rows.push([`sends by ${at('to')}`, String(chan.back)]);
  return <Facts rows={rows} />;
}

const edgeState: MechanismView['edgeState'] = (c) => {
  const o = c.object;
  if (!o) return null;
  const parts: string[] = [];
  if (o.conn) parts.push(o.conn);
  if (o.accepted !== undefined) parts.push(`${o.accepted} accepted, ${o.connections ?? 0} open`);
  if (o.bytes) parts.push(`${formatBytes(o.bytes)} queued`);
  return parts.join(' · ') || null;
};

const make = (id: MechanismId, short: string, color: string, Icon: MechanismView['Icon'], packet: PacketStyle): MechanismView => ({ id, short, color, Icon, packet, edgeState, endState, Detail: SocketDetail });

export const tcpView = make('tcp', 'TCP', 'var(--m-net)', TcpIcon, 'byte');
export const unixStreamView = make('unix-stream', 'Unix stream', 'var(--m-net)', UnixStreamIcon, 'byte');
export const udpView = make('udp', 'UDP', 'var(--m-dgram)', UdpIcon, 'message');
export const socketpairView = make('socketpair', 'Socket pair', 'var(--m-net)', UnixStreamIcon, 'byte');
export const unixDgramView = make('unix-dgram', 'Unix dgram', 'var(--m-dgram)', UnixDgramIcon, 'message');
