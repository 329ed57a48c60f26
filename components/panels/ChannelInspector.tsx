'use client';
// The selected channel: its mechanism (a menu with icon and name), label, options, and what
// each end may do with it; during a run, its kernel object live.
import { useEffect, useState } from 'react';
import { MECHANISMS, SIGNALS, symmetric, type End, type OptionInfo } from '@/lib/mechanisms';
import { edgeEnds, endOf, type Channel } from '@/lib/scenario';
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
  if (o.kind === 'bool') {
    return (
      <label className="check">
        <input type="checkbox" checked={value === 1} disabled={locked} data-testid={`option-${o.key}`} onChange={(e) => useEditor.getState().setOption(channel.id, o.key, e.target.checked ? 1 : 0)} />
        <span>{o.label}</span>
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

/** Who is linked at which end, what each may do; link, unlink, and how it is drawn. */
function Links({ channel, name, locked }: { channel: Channel; name: (id: string) => string; locked: boolean }) {
  const processes = useEditor((s) => s.scenario.processes);
  const info = MECHANISMS[channel.mechanism];
  const alike = symmetric(channel.mechanism);
  const ed = useEditor.getState();
  const unlinked = processes.filter((p) => !endOf(channel, p.id));
  const asEdge = edgeEnds(channel);
  // an edge joins one process at each end; anything else is an object of its own
  const canBeEdge = channel.links.length === 2 && channel.links[0].end !== channel.links[1].end;
  return (
    <div className="ends" data-testid="channel-links">
      {channel.links.length === 0 ? <p className="muted small">No process is linked yet: drag from a process&apos;s dot to the object, or pick one below.</p> : null}
      {channel.links.map((l) => (
        <div key={l.process} className="end-row" data-testid={`link-${l.process}`}>
          <b>{name(l.process)}</b>
          {alike ? null : (
            <select aria-label={`${name(l.process)}'s end`} value={l.end} disabled={locked || !!asEdge} onChange={(e) => ed.link(channel.id, l.process, e.target.value as End)}>
              <option value="from">sends</option>
              <option value="to">receives</option>
            </select>
          )}
          <span className="muted">may</span> <span>{info.verbs[l.end].join(', ')}</span>
          {asEdge ? null : (
            <button className="btn ghost small icon" disabled={locked} aria-label={`Unlink ${name(l.process)}`} title={`Unlink ${name(l.process)}`} onClick={() => ed.unlink(channel.id, l.process)}>
              ✕
            </button>
          )}
        </div>
      ))}
      {unlinked.length && !asEdge ? (
        <select
          className="link-add"
          aria-label="Link a process"
          data-testid="link-add"
          disabled={locked}
          value=""
          onChange={(e) => {
            const [proc, end] = e.target.value.split(' ');
            if (proc) ed.link(channel.id, proc, end as End);
          }}
        >
          <option value="">Link a process…</option>
          {unlinked.flatMap((p) =>
            alike
              ? [<option key={p.id} value={`${p.id} from`}>{p.name}</option>]
              : [
                  <option key={`${p.id}-f`} value={`${p.id} from`}>{p.name}: sends</option>,
                  <option key={`${p.id}-t`} value={`${p.id} to`}>{p.name}: receives</option>,
                ],
          )}
        </select>
      ) : null}
      {canBeEdge ? (
        <label className="check">
          <input type="checkbox" checked={!asEdge} disabled={locked} data-testid="drawn-as-object" onChange={(e) => ed.setDrawnAsObject(channel.id, e.target.checked)} />
          Draw as an object of its own (to link more processes)
        </label>
      ) : null}
    </div>
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
      <Links channel={channel} name={name} locked={locked} />
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
