'use client';
// Every channel's kernel object, live: buffers, values, queues, locks, memory bytes.
import { MECHANISMS } from '@/lib/mechanisms';
import type { Channel } from '@/lib/scenario';
import { linkSummary } from '../run/describe';
import { MECHANISM_VIEWS } from '../mechanisms/registry';
import { useEditor } from '../store/editor';
import { useRun } from '../store/run';

export function ChannelLiveCard({ channel, compact }: { channel: Channel; compact?: boolean }) {
  const live = useRun((s) => s.chans[channel.id]);
  const status = useRun((s) => s.status);
  const processes = useEditor((s) => s.scenario.processes);
  const view = MECHANISM_VIEWS[channel.mechanism];
  const info = MECHANISMS[channel.mechanism];
  const name = (id: string) => processes.find((p) => p.id === id)?.name ?? id;
  return (
    <section className={`obj-card ${view.wide && !compact ? 'wide' : ''}`} style={{ ['--m' as string]: view.color }} data-testid={`object-${channel.id}`}>
      {compact ? null : (
        <header className="obj-head" onClick={() => useEditor.getState().select({ nodes: [], edges: [channel.id] })}>
          <span className="obj-icon">
            <view.Icon size={16} />
          </span>
          <b>{channel.label ?? channel.id}</b>
          <span className="muted">{info.name}</span>
          <span className="obj-ends">
            {linkSummary(channel, name)}
          </span>
        </header>
      )}
      {live && status !== 'idle' ? <view.Detail chan={live} name={name} /> : <p className="muted small">Run the scenario to watch this {info.name} live.</p>}
    </section>
  );
}

export function ObjectsPane() {
  const channels = useEditor((s) => s.scenario.channels);
  return (
    <div className="objects-pane" data-testid="objects-pane">
      {channels.length === 0 ? <p className="muted pad">No channels yet: drag from a process&apos;s right dot to another process.</p> : channels.map((c) => <ChannelLiveCard key={c.id} channel={c} />)}
    </div>
  );
}
