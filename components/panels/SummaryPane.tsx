'use client';
// When a run ends: how each process ended and when, what went through each channel, and
// whether anything was left behind on the host (there should be nothing).
import { MECHANISMS } from '@/lib/mechanisms';
import { clock } from '../run/describe';
import { MECHANISM_VIEWS } from '../mechanisms/registry';
import { formatBytes } from '@/lib/format';
import { useRun } from '../store/run';

const REASONS: Record<string, string> = {
  finished: 'every process ended',
  stopped: 'stopped',
  timeout: 'time limit reached',
  disconnected: 'the connection was lost',
  error: 'the run failed',
};

export function SummaryPane() {
  const end = useRun((s) => s.end);
  const chans = useRun((s) => s.chans);
  const notices = useRun((s) => s.notices);
  const isolation = useRun((s) => s.isolation);
  if (!end) return <p className="muted pad">The summary of a run shows here when it ends: exit codes, durations, what went through each channel.</p>;
  return (
    <div className="summary" data-testid="summary">
      <p className="summary-head">
        <b>Run {REASONS[end.reason] === 'every process ended' ? 'finished' : 'ended'}</b>: {REASONS[end.reason] ?? end.reason}, after {clock(end.ms)}.
        {end.leftovers.length === 0 ? (
          <span className="ok" data-testid="leftovers">
            {' '}✓ Nothing left behind on the host.
          </span>
        ) : (
          <span className="bad" data-testid="leftovers">
            {' '}Left behind: {end.leftovers.join(', ')}
          </span>
        )}
        {isolation ? (
          <span className="muted" data-testid="isolation">
            {' '}
            {isolation === 'namespaces'
              ? 'The run had its own IPC and network namespaces: no other run could see its objects or ports.'
              : 'The run was isolated by the names of its objects (this server may not create namespaces).'}
          </span>
        ) : null}
      </p>
      <table className="summary-table">
        <thead>
          <tr>
            <th>process</th>
            <th>outcome</th>
            <th>ended at</th>
          </tr>
        </thead>
        <tbody>
          {end.processes.map((p) => (
            <tr key={p.id} className={p.code === 0 ? 'ok' : 'bad'}>
              <td>{p.name}</td>
              <td data-testid={`outcome-${p.id}`}>{p.outcome}</td>
              <td>{(p.ms / 1000).toFixed(3)} s</td>
            </tr>
          ))}
        </tbody>
      </table>
      {end.channels.length ? (
        <table className="summary-table">
          <thead>
            <tr>
              <th>channel</th>
              <th>sends</th>
              <th>receives</th>
              <th>bytes</th>
            </tr>
          </thead>
          <tbody>
            {end.channels.map((c) => {
              const ch = chans[c.id];
              const view = ch ? MECHANISM_VIEWS[ch.mechanism] : null;
              return (
                <tr key={c.id} data-testid={`summary-channel-${c.id}`}>
                  <td>
                    {view ? (
                      <span className="summary-mech" style={{ color: view.color }}>
                        <view.Icon size={14} />
                      </span>
                    ) : null}{' '}
                    {ch?.label ?? c.id} <span className="muted">{ch ? MECHANISMS[ch.mechanism].name : ''}</span>
                  </td>
                  <td>{c.sends.toLocaleString('en')}</td>
                  <td>{c.recvs.toLocaleString('en')}</td>
                  <td>{formatBytes(c.bytes)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      ) : null}
      {notices.length ? (
        <ul className="summary-notices">
          {notices.map((n) => (
            <li key={n.seq}>{n.message}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
