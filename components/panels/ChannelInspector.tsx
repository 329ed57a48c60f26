'use client';
// The selected channel: its mechanism (a menu with icon and name), label, options, and what
// each end may do with it; during a run, its kernel object live.
import { useEffect, useState } from 'react';
import { MECHANISMS, SIGNALS, type OptionInfo } from '@/lib/mechanisms';
import type { Channel } from '@/lib/scenario';
import { MECHANISM_VIEWS } from '../mechanisms/registry';
import { useEditor } from '../store/editor';
import { useProblems } from '../store/problems';
import { useUi } from '../store/ui';
import { ChannelLiveCard } from './ObjectsPane';
import { RenameField } from './RenameField';

function OptionField({ channel, o, locked }: { channel: Channel; o: OptionInfo; locked: boolean }) {
  const value = channel.options?.[o.key] ?? o.default;
  const [draft, setDraft] = useState(String(value));
  useEffect(() => setDraft(String(value)), [value]);
  const problem = useProblems((s) => s.byChannel[channel.id]?.find((e) => e.target.kind === 'channel' && e.target.field === `options.${o.key}`));
  if (o.kind === 'signal') {
    return (
      <label className="field">
        <span>{o.label}</span>
        <select value={String(value)} disabled={locked} data-testid={`option-${o.key}`} onChange={(e) => useEditor.getState().setOption(channel.id, o.key, e.target.value)}>
          {SIGNALS.filter((s) => s !== 'SIGKILL' && s !== 'SIGSTOP').map((s) => (
            <option key={s}>{s}</option>
          ))}
        </select>
      </label>
    );
  }
  const commit = () => {
    const n = Number(draft);
    if (draft.trim() !== '' && Number.isInteger(n)) useEditor.getState().setOption(channel.id, o.key, n);
    else setDraft(String(value));
  };
  return (
    <label className="field">
      <span>{o.label}</span>
      <input
        type="number"
        min={o.min}
        max={o.max}
        step={1}
        value={draft}
        disabled={locked}
        data-testid={`option-${o.key}`}
        aria-invalid={!!problem}
        className={problem ? 'invalid' : ''}
        onChange={(e) => setDraft(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => e.key === 'Enter' && commit()}
      />
      <em className={problem ? 'field-error' : 'field-hint'}>{problem ? problem.message : `default ${o.default}, ${o.min}…${o.max}`}</em>
    </label>
  );
}

function LabelField({ channel, locked }: { channel: Channel; locked: boolean }) {
  return (
    <RenameField
      label="label"
      value={channel.label ?? ''}
      placeholder={channel.id}
      locked={locked}
      testId="channel-label"
      commit={(v) => useEditor.getState().setLabel(channel.id, v)}
      hint={`programs name it ${channel.label ? `${channel.label} or ${channel.id}` : channel.id}`}
    />
  );
}

export function ChannelInspector({ id }: { id: string }) {
  const channel = useEditor((s) => s.scenario.channels.find((c) => c.id === id));
  const processes = useEditor((s) => s.scenario.processes);
  const locked = useEditor((s) => s.locked);
  if (!channel) return null;
  const info = MECHANISMS[channel.mechanism];
  const view = MECHANISM_VIEWS[channel.mechanism];
  const name = (pid: string) => processes.find((p) => p.id === pid)?.name ?? pid;
  return (
    <div className="inspector-body">
      <button
        className="mech-picker"
        style={{ ['--m' as string]: view.color }}
        data-testid="mechanism-button"
        disabled={locked}
        onClick={(e) => {
          const r = e.currentTarget.getBoundingClientRect();
          useUi.getState().set({ menu: { kind: 'mechanism', channel: id, x: r.left, y: r.bottom + 4 } });
        }}
      >
        <span className="mech-picker-icon">
          <view.Icon size={26} />
        </span>
        <span>
          <b>{info.name}</b>
          <small>{info.summary}</small>
        </span>
        <span className="mech-picker-caret" aria-hidden>
          ▾
        </span>
      </button>
      <div className="ends">
        <b>{name(channel.from)}</b> <span className="muted">may</span> {info.verbs.from.join(', ')}
        <br />
        <b>{name(channel.to)}</b> <span className="muted">may</span> {info.verbs.to.join(', ')}
      </div>
      <div className="fields">
        <LabelField channel={channel} locked={locked} />
        {info.options.map((o) => (
          <OptionField key={o.key} channel={channel} o={o} locked={locked} />
        ))}
      </div>
      <h3 className="inspector-sub">Live</h3>
      <ChannelLiveCard channel={channel} compact />
      <button className="btn danger small" disabled={locked} onClick={() => useEditor.getState().deleteItems([], [id])}>
        Delete channel
      </button>
    </div>
  );
}
