// Words for what a process is doing, as a teacher would say them.
import { STDIN_CHANNEL } from '@/lib/lang/ast';
import { symmetric, type MechanismId } from '@/lib/mechanisms';
import { procsAt, type Link } from '@/lib/scenario';
import type { ProcLive, RunStatus } from './live';

/** How the page names a channel: its label, else its id; `stdin` for a process's fd 0. */
export function channelLabel(channels: readonly { id: string; label?: string }[], id: string): string {
  if (id === STDIN_CHANNEL) return 'stdin';
  const c = channels.find((x) => x.id === id);
  return c?.label || id;
}

/** Who a channel joins: `writer → reader`, `a, b → logger`, or `shared by a, b, c` for an object all use alike. */
export function linkSummary(c: { mechanism: MechanismId; links: readonly Link[] }, name: (id: string) => string): string {
  if (c.links.length === 0) return 'not linked yet';
  if (symmetric(c.mechanism)) return c.links.map((l) => name(l.process)).join(', ');
  const at = (end: 'from' | 'to') => procsAt(c, end).map(name).join(', ') || 'nobody';
  return `${at('from')} → ${at('to')}`;
}

export function describeState(p: ProcLive | undefined, channelName: (id: string) => string, status: RunStatus): string {
  if (!p || status === 'idle') return 'ready';
  if (p.outcome) return p.outcome;
  switch (p.state) {
    case 'starting':
      return 'starting…';
    case 'running':
      return 'running';
    case 'sleeping':
      return 'sleeping';
    case 'blocked':
      if (p.watching?.length) return `blocked in ${p.call ?? 'poll'}() on ${p.watching.map(channelName).join(', ')}`;
      return `blocked in ${p.call ?? 'a call'}()${p.channel ? ` on ${channelName(p.channel)}` : ''}`;
    case 'paused':
      return p.line ? `paused before line ${p.line}` : 'paused';
    case 'stopped':
      return 'stopped (SIGSTOP)';
    case 'exited':
      return 'exited';
    case 'killed':
      return 'killed';
  }
}

/** A forked child's state: a zombie between its end and the waitpid that takes it, then gone. */
export function describeForked(p: ProcLive, parentName: string, channelName: (id: string) => string, status: RunStatus): string {
  if (p.reapedBy) return `${p.outcome ?? 'ended'} · reaped by ${parentName}`;
  if (p.outcome) return `${p.outcome} · zombie`;
  return describeState(p, channelName, status);
}

/** The state word used for styling (`exited` with a non-zero code reads as a failure). */
export function stateClass(p: ProcLive | undefined, status: RunStatus): string {
  if (!p || status === 'idle') return 'idle';
  if (p.state === 'exited' && p.code !== 0 && p.code !== undefined && p.code !== null) return 'failed';
  return p.state;
}

export function lineText(program: string, line: number): string {
  return program.split('\n')[line - 1]?.trim() ?? '';
}

/** mm:ss.t */
export function clock(ms: number): string {
  const s = Math.max(0, ms) / 1000;
  const m = Math.floor(s / 60);
  return `${String(m).padStart(2, '0')}:${(s - m * 60).toFixed(1).padStart(4, '0')}`;
}
