'use client';
// Pop-up menus: a channel's mechanism (after drawing an edge, or from its label), a process's
// menu (signals while it runs; rename and delete otherwise), an object's menu (link and unlink
// processes), and the mechanism of a new object.

import { useEffect, useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import { MECHANISMS, MECHANISM_IDS, symmetric, type Family, type MechanismId } from '@/lib/mechanisms';
import { endOf } from '@/lib/scenario';
import { UI_SIGNALS } from '@/lib/protocol';
import { MECHANISM_VIEWS } from '../mechanisms/registry';
import { useEditor } from '../store/editor';
import { useLayout } from '../store/layout';
import { useRun } from '../store/run';
import { useUi } from '../store/ui';

const FAMILY_NAMES: Record<Family, string> = {
  stream: 'Byte streams',
  datagram: 'Datagrams',
  message: 'Message queues',
  signal: 'Signals',
  file: 'Files',
  semaphore: 'Semaphores',
  shm: 'Shared memory',
};
const FAMILY_ORDER: Family[] = ['stream', 'datagram', 'message', 'shm', 'semaphore', 'signal', 'file'];

export const SIGNAL_HINTS: Record<(typeof UI_SIGNALS)[number], string> = {
  SIGINT: 'interrupt, as Ctrl-C does',
  SIGTERM: 'please terminate',
  SIGKILL: 'kill now; cannot be caught',
  SIGUSR1: 'user signal 1',
  SIGUSR2: 'user signal 2',
  SIGSTOP: 'freeze; cannot be caught',
  SIGCONT: 'continue after SIGSTOP',
};

function Popup({ x, y, label, testId, children }: { x: number; y: number; label: string; testId: string; children: ReactNode }) {
  const ref = useRef<HTMLDivElement>(null);
  const [pos, setPos] = useState({ left: x, top: y });
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const r = el.getBoundingClientRect();
    setPos({ left: Math.max(8, Math.min(x, window.innerWidth - r.width - 8)), top: Math.max(8, Math.min(y, window.innerHeight - r.height - 8)) });
    (el.querySelector('[data-current="true"]') as HTMLElement | null ?? (el.querySelector('button:not([disabled])') as HTMLElement | null))?.focus();
  }, [x, y]);
  useEffect(() => {
    const close = (e: Event) => {
      if (ref.current && e.target instanceof Node && ref.current.contains(e.target)) return;
      useUi.getState().set({ menu: null });
    };
    const key = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        e.stopPropagation();
        useUi.getState().set({ menu: null });
        return;
      }
      if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
      e.preventDefault();
      const items = [...(ref.current?.querySelectorAll<HTMLButtonElement>('button:not([disabled])') ?? [])];
      const i = items.indexOf(document.activeElement as HTMLButtonElement);
      items[(i + (e.key === 'ArrowDown' ? 1 : items.length - 1)) % items.length]?.focus();
    };
    window.addEventListener('pointerdown', close, true);
    window.addEventListener('keydown', key, true);
    window.addEventListener('resize', close);
    return () => {
      window.removeEventListener('pointerdown', close, true);
      window.removeEventListener('keydown', key, true);
      window.removeEventListener('resize', close);
    };
  }, []);
  return (
    <div ref={ref} className="popup" role="menu" aria-label={label} data-testid={testId} style={pos}>
      {children}
    </div>
  );
}

function MechanismMenu({ channel, x, y }: { channel: string; x: number; y: number }) {
  const current = useEditor((s) => s.scenario.channels.find((c) => c.id === channel)?.mechanism);
  if (!current) return null;
  const pick = (m: MechanismId) => {
    useEditor.getState().setMechanism(channel, m);
    useUi.getState().set({ menu: null });
  };
  return (
    <Popup x={x} y={y} label="Mechanism of the channel" testId="mechanism-menu">
      <div className="popup-title">Mechanism of {channel}</div>
      <MechanismGrid current={current} pick={pick} />
    </Popup>
  );
}

/** The kernel objects that can be drawn on their own: everything but a signal, which is a process's. */
const OBJECT_MECHANISMS = MECHANISM_IDS.filter((m) => m !== 'signal');

function AddObjectMenu({ x, y }: { x: number; y: number }) {
  const pick = (m: MechanismId) => {
    useEditor.getState().addObject(m);
    useUi.getState().set({ menu: null });
    useUi.getState().fit();
  };
  return (
    <Popup x={x} y={y} label="Add a kernel object" testId="add-object-menu">
      <div className="popup-title">A kernel object that any number of processes share</div>
      <MechanismGrid pick={pick} only={OBJECT_MECHANISMS} />
    </Popup>
  );
}

function ObjectMenu({ id, x, y }: { id: string; x: number; y: number }) {
  const channel = useEditor((s) => s.scenario.channels.find((c) => c.id === id));
  const processes = useEditor((s) => s.scenario.processes);
  const locked = useEditor((s) => s.locked);
  if (!channel) return null;
  const close = () => useUi.getState().set({ menu: null });
  const two = symmetric(channel.mechanism) ? null : (['from', 'to'] as const);
  return (
    <Popup x={x} y={y} label={`Menu of ${channel.label ?? id}`} testId="object-menu">
      <div className="popup-title">{channel.label ?? id}</div>
      {/* linking without a mouse: the same as dragging between the process and the object */}
      {processes.map((p) => {
        const end = endOf(channel, p.id);
        if (end) {
          return (
            <button key={p.id} role="menuitem" className="menu-item" disabled={locked} data-testid={`menu-unlink-${p.id}`} onClick={() => (useEditor.getState().unlink(id, p.id), close())}>
              Unlink <b>{p.name}</b>
              <span className="muted">{two ? (end === 'from' ? 'sends' : 'receives') : 'uses it'}</span>
            </button>
          );
        }
        return (two ?? (['from'] as const)).map((e) => (
          <button key={`${p.id}-${e}`} role="menuitem" className="menu-item" disabled={locked} data-testid={`menu-link-${p.id}${two ? `-${e}` : ''}`} onClick={() => (useEditor.getState().link(id, p.id, e), close())}>
            Link <b>{p.name}</b>
            <span className="muted">{two ? (e === 'from' ? 'to send' : 'to receive') : 'to use it'}</span>
          </button>
        ));
      })}
      <div className="menu-sep" />
      <button
        role="menuitem"
        className="menu-item danger"
        disabled={locked}
        onClick={() => {
          useEditor.getState().deleteItems([], [id]);
          close();
        }}
      >
        Delete <kbd>Del</kbd>
      </button>
    </Popup>
  );
}

function MechanismGrid({ current, pick, only }: { current?: MechanismId; pick: (m: MechanismId) => void; only?: readonly MechanismId[] }) {
  return (
      <div className="mech-grid">
        {FAMILY_ORDER.map((f) => (
          <div key={f} className="mech-family">
            <div className="mech-family-name">{FAMILY_NAMES[f]}</div>
            {(only ?? MECHANISM_IDS).filter((m) => MECHANISMS[m].family === f).map((m) => {
              const { Icon, color } = MECHANISM_VIEWS[m];
              return (
              <button
                key={m}
                role="menuitemradio"
                aria-checked={m === current}
                data-current={m === current}
                data-testid={`mech-${m}`}
                className={`mech-item ${m === current ? 'current' : ''}`}
                onClick={() => pick(m)}
                title={MECHANISMS[m].summary}
                style={{ ['--m' as string]: color }}
              >
                <span className="mech-icon">
                  <Icon size={16} />
                </span>
                <span className="mech-name">{MECHANISMS[m].name}</span>
              </button>
              );
            })}
          </div>
        ))}
      </div>
  );
}

function NodeMenu({ id, x, y }: { id: string; x: number; y: number }) {
  const proc = useEditor((s) => s.scenario.processes.find((p) => p.id === id));
  const locked = useEditor((s) => s.locked);
  const live = useRun((s) => s.procs[id]);
  const status = useRun((s) => s.status);
  const all = useEditor((s) => s.scenario.processes);
  const others = all.filter((p) => p.id !== id);
  if (!proc) return null;
  const close = () => useUi.getState().set({ menu: null });
  const showC = (
    <button
      role="menuitem"
      className="menu-item"
      data-testid="menu-show-c"
      onClick={() => {
        useEditor.getState().select({ nodes: [id], edges: [] });
        useUi.getState().set({ menu: null, inspectorTab: 'c' });
      }}
    >
      Show the C <span className="muted">the real calls</span>
    </button>
  );
  const alive = status === 'running' && live && !live.outcome && live.pid;
  if (alive) {
    return (
      <Popup x={x} y={y} label={`Send a signal to ${proc.name}`} testId="node-menu">
        <div className="popup-title">
          kill(<b>{live.pid}</b>, …) — {proc.name}
        </div>
        {UI_SIGNALS.map((sig) => (
          <button
            key={sig}
            role="menuitem"
            className={`menu-item sig-${sig}`}
            data-testid={`signal-${sig}`}
            onClick={() => {
              useRun.getState().signal(id, sig);
              close();
            }}
          >
            <b>{sig}</b>
            <span className="muted">{SIGNAL_HINTS[sig]}</span>
          </button>
        ))}
        <div className="menu-sep" />
        {showC}
      </Popup>
    );
  }
  return (
    <Popup x={x} y={y} label={`Menu of ${proc.name}`} testId="node-menu">
      <div className="popup-title">{proc.name}</div>
      <button role="menuitem" className="menu-item" disabled={locked} onClick={() => useUi.getState().set({ menu: null, renaming: id })}>
        Rename <kbd>F2</kbd>
      </button>
      <button
        role="menuitem"
        className="menu-item"
        onClick={() => {
          useEditor.getState().select({ nodes: [id], edges: [] });
          useUi.getState().set({ menu: null, inspectorTab: 'program' });
          if (useLayout.getState().narrow) useLayout.getState().set({ drawer: true });
        }}
      >
        Edit program
      </button>
      {showC}
      {others.length ? <div className="menu-sep" /> : null}
      {/* drawing a channel without a mouse: the same as dragging to that process's left dot */}
      {others.map((o) => (
        <button
          key={o.id}
          role="menuitem"
          className="menu-item"
          disabled={locked}
          data-testid={`menu-connect-${o.id}`}
          onClick={() => {
            const channel = useEditor.getState().connect(id, o.id);
            useUi.getState().set({ menu: channel ? { kind: 'mechanism', channel, x, y } : null });
          }}
        >
          Connect to <b>{o.name}</b>
          <span className="muted">a new channel</span>
        </button>
      ))}
      <button
        role="menuitem"
        className="menu-item danger"
        disabled={locked}
        onClick={() => {
          useEditor.getState().deleteItems([id], []);
          close();
        }}
      >
        Delete <kbd>Del</kbd>
      </button>
    </Popup>
  );
}

export function Menus() {
  const menu = useUi((s) => s.menu);
  if (!menu) return null;
  switch (menu.kind) {
    case 'mechanism':
      return <MechanismMenu key={`m-${menu.channel}-${menu.x}-${menu.y}`} {...menu} />;
    case 'object':
      return <ObjectMenu key={`o-${menu.id}-${menu.x}-${menu.y}`} {...menu} />;
    case 'add-object':
      return <AddObjectMenu key={`a-${menu.x}-${menu.y}`} {...menu} />;
    case 'node':
      return <NodeMenu key={`n-${menu.id}-${menu.x}-${menu.y}`} {...menu} />;
  }
}
