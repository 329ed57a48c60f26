'use client';
// The syscall trace, strace-like: `[proc] name(args) = result ERRNO <duration>`, filterable
// by process. Only the visible rows are rendered, so thousands of entries stay cheap.
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { channelLabel } from '../run/describe';
import { useEditor } from '../store/editor';
import { useRun } from '../store/run';

const ROW = 20;
const OVERSCAN = 10;
/** Nobody reads a scrolling trace at 30 frames a second: redraw it at most this often. */
const REDRAW_MS = 150;

/** The value, updated at most every `ms` (the last update always lands). */
function useThrottled<T>(value: T, ms: number): T {
  const [shown, setShown] = useState(value);
  const last = useRef(0);
  useEffect(() => {
    const wait = last.current + ms - performance.now();
    if (wait <= 0) {
      last.current = performance.now();
      setShown(value);
      return;
    }
    const t = setTimeout(() => {
      last.current = performance.now();
      setShown(value);
    }, wait);
    return () => clearTimeout(t);
  }, [value, ms]);
  return shown;
}

export function TracePane() {
  const calls = useThrottled(useRun((s) => s.calls), REDRAW_MS);
  const dropped = useRun((s) => s.dropped);
  const traceOn = useRun((s) => s.trace);
  const status = useRun((s) => s.status);
  const processes = useEditor((s) => s.scenario.processes);
  const channels = useEditor((s) => s.scenario.channels);
  const [filter, setFilter] = useState('');
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(200);
  const box = useRef<HTMLDivElement>(null);
  const stick = useRef(true);

  const shown = filter ? calls.filter((c) => c.proc === filter) : calls;
  const name = (id: string) => processes.find((p) => p.id === id)?.name ?? id;
  const label = (id: string) => channelLabel(channels, id);

  useLayoutEffect(() => {
    const el = box.current;
    if (!el) return;
    setHeight(el.clientHeight);
    // follow the newest call unless the user scrolled up to read
    if (stick.current) el.scrollTop = el.scrollHeight;
  }, [shown.length]);

  const first = Math.max(0, Math.floor(scrollTop / ROW) - OVERSCAN);
  const last = Math.min(shown.length, Math.ceil((scrollTop + height) / ROW) + OVERSCAN);
  const rows = shown.slice(first, last);

  return (
    <div className="trace-pane">
      <div className="pane-bar">
        <label className="toggle" title="Report every system call (slower at full speed)">
          <input type="checkbox" checked={traceOn} data-testid="trace-toggle-pane" onChange={(e) => useRun.getState().setTrace(e.target.checked)} />
          trace syscalls
        </label>
        <select value={filter} onChange={(e) => setFilter(e.target.value)} data-testid="trace-filter" aria-label="Show the calls of">
          <option value="">all processes</option>
          {processes.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </select>
        <span className="muted small" data-testid="trace-count">
          {shown.length} calls{dropped ? ` · ${dropped.toLocaleString('en')} more not shown (too fast; counts stay exact)` : ''}
        </span>
      </div>
      <div
        className="trace-list"
        ref={box}
        data-testid="trace-list"
        onScroll={(e) => {
          const el = e.currentTarget;
          setScrollTop(el.scrollTop);
          stick.current = el.scrollTop + el.clientHeight >= el.scrollHeight - ROW;
        }}
      >
        {shown.length === 0 ? (
          <p className="muted pad">
            {traceOn ? (status === 'running' ? 'Waiting for system calls…' : 'Run the scenario to see every system call here.') : 'Turn on “trace syscalls” to see every call the processes make, with its result and how long it took.'}
          </p>
        ) : (
          <div style={{ height: shown.length * ROW, position: 'relative' }}>
            {rows.map((c, i) => (
              <div key={c.seq} className={`trace-row ${c.errno ? 'err' : ''}`} style={{ top: (first + i) * ROW }} data-testid="trace-row">
                <span className="trace-t">{(c.t / 1000).toFixed(3)}</span>
                <span className="trace-proc">{name(c.proc)}</span>
                <span className="trace-call">
                  <b>{c.name}</b>({c.args}) = {c.ret}
                  {c.errno ? <span className="trace-errno"> {c.errno}</span> : null}
                  {/* the channel of the statement that made the call: strace shows the address, people read the name */}
                  {c.channel ? <span className="trace-chan" data-testid="trace-chan"> · {label(c.channel)}</span> : null}
                </span>
                <span className="trace-ms">{c.ms < 1 ? `${(c.ms * 1000).toFixed(0)} µs` : `${c.ms.toFixed(1)} ms`}</span>
              </div>
            ))}
          </div>
        )}
      </div>
    </div>
  );
}
