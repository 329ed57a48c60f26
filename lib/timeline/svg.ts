// Draws a timeline model (model.ts) as one standalone SVG document: the same picture in the
// page's Timeline tab, in its SVG and PNG exports, and from the CLI's --timeline. Colours
// are attributes, not CSS, so the file looks the same pasted into slides.

import { formatBytes } from '../format';
import type { MechanismId } from '../mechanisms';
import type { Recording } from '../recording/format';
import { buildTimeline, yAt, type Arrow, type TimelineModel, type TimelineOptions } from './model';
import { drain, due, type Steps } from './steps';

export const GEOMETRY = { left: 70, top: 96, col: 200, lane: 104, bottom: 48, right: 24 };

const FONT = 'system-ui, -apple-system, Segoe UI, Roboto, sans-serif';
const MONO = 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace';
const COLOUR: Record<MechanismId, string> = {
  pipe: '#2563eb', fifo: '#2563eb', 'unix-stream': '#0891b2', tcp: '#0891b2', socketpair: '#0891b2', udp: '#0d9488', 'unix-dgram': '#0d9488',
  'mq-sysv': '#7c3aed', 'mq-posix': '#7c3aed', 'shm-posix': '#db2777', 'shm-sysv': '#db2777', 'shm-file': '#db2777', 'shm-anon': '#db2777',
  'sem-named': '#16a34a', 'sem-unnamed': '#16a34a', signal: '#d97706', file: '#a16207',
};
const SIGNAL = '#dc2626';
const STATE_FILL: Partial<Record<string, string>> = { blocked: '#fed7aa', sleeping: '#e0f2fe', paused: '#ede9fe', stopped: '#e2e8f0' };
const STATE_TEXT: Partial<Record<string, string>> = { blocked: '#9a3412', sleeping: '#075985', paused: '#5b21b6', stopped: '#334155' };

export const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const cut = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
const r1 = (n: number) => Math.round(n * 10) / 10;

export interface Geometry {
  width: number;
  height: number;
  /** Where a process's lifeline is drawn. */
  x: Record<string, number>;
  /** The y of time t on the page (rows start at GEOMETRY.top). */
  y(t: number): number;
}

export function geometryOf(m: TimelineModel): Geometry {
  const x: Record<string, number> = {};
  m.processes.forEach((p, i) => (x[p.id] = GEOMETRY.left + GEOMETRY.col * i + GEOMETRY.col / 2));
  return {
    width: GEOMETRY.left + GEOMETRY.col * Math.max(1, m.processes.length) + GEOMETRY.lane * m.lanes.length + GEOMETRY.right,
    height: GEOMETRY.top + m.height + GEOMETRY.bottom,
    x,
    y: (t) => GEOMETRY.top + yAt(m, t),
  };
}

export function formatMs(ms: number): string {
  return ms >= 10_000 ? `${(ms / 1000).toFixed(2)} s` : ms >= 10 ? `${ms.toFixed(1)} ms` : `${ms.toFixed(2)} ms`;
}

/** `stack`: how many bundles over the same stretch were drawn before this one (their arrows are spread apart). */
function arrowSvg(a: Arrow, m: TimelineModel, g: Geometry, stack: number): string {
  const chan = a.channel ? m.channels.find((c) => c.id === a.channel) : undefined;
  const colour = a.kind === 'signal' ? SIGNAL : chan ? COLOUR[chan.mechanism] : '#475569';
  const x0 = g.x[a.from];
  const x1 = g.x[a.to];
  if (x0 === undefined || x1 === undefined) return '';
  const y0 = g.y(a.t0);
  const y1 = Math.max(g.y(a.t1), y0 + 3);
  const dir = x1 >= x0 ? 1 : -1;
  const sx = x0 + dir * 5;
  const ex = x1 - dir * 7;
  const width = a.count > 1 ? Math.min(6, 1.6 + Math.log10(a.count) * 1.6) : 1.6;
  // wake-ups (a post, a lock's release) dotted, as neither carries bytes
  const dash = a.kind === 'signal' ? ' stroke-dasharray="6 4"' : a.kind === 'sem' || a.kind === 'lock' ? ' stroke-dasharray="2 3"' : '';
  const what = a.kind === 'signal' || a.kind === 'sem' ? a.label : a.kind === 'lock' ? `lock ${a.label}` : a.label ? `"${cut(a.label, 18)}"` : '';
  // shared memory moves no bytes through a call: its counts say writes, not bytes
  const amount = a.kind === 'data' && a.bytes > 0 ? formatBytes(a.bytes) : '';
  const label = a.count > 1 ? `${a.kind === 'data' ? (chan?.label ?? '') : what} ×${a.count}${amount ? ` · ${amount}` : ''}`.trim() : [what, amount].filter(Boolean).join(' ');
  const via = chan ? `${chan.label} (${chan.mechanism})` : 'kill()';
  const title = arrowTitle(a, via);
  const mx = (sx + ex) / 2;
  const my = (y0 + y1) / 2;
  const marker = a.kind === 'signal' ? 'tl-head-sig' : 'tl-head';
  if (a.count > 1 && y1 - y0 > 24) {
    // a bundle over a stretch of time: a band between the two lifelines, its count across it
    const [lx, rx] = [Math.min(sx, ex), Math.max(sx, ex)];
    const ay = Math.min(y1 - 4, y0 + 18 + stack * 22);
    return (
      `<g class="tl-arrow tl-bundle" data-kind="${a.kind}"><title>${esc(title)}</title>` +
      (stack === 0 ? `<rect x="${r1(lx)}" y="${r1(y0)}" width="${r1(rx - lx)}" height="${r1(y1 - y0)}" fill="${colour}" fill-opacity="0.06" stroke="${colour}" stroke-opacity="0.4" stroke-dasharray="3 3"/>` : '') +
      `<line x1="${r1(sx)}" y1="${r1(ay)}" x2="${r1(ex)}" y2="${r1(ay)}" stroke="${colour}" stroke-width="${r1(width)}" marker-end="url(#${marker})"/>` +
      `<text x="${r1(mx)}" y="${r1(ay - 5)}" text-anchor="middle" font-size="11.5" font-family="${MONO}" fill="${colour}" stroke="#ffffff" stroke-width="3" paint-order="stroke">${esc(label)}</text>` +
      `</g>`
    );
  }
  return (
    `<g class="tl-arrow" data-kind="${a.kind}"><title>${esc(title)}</title>` +
    `<line x1="${r1(sx)}" y1="${r1(y0)}" x2="${r1(ex)}" y2="${r1(y1)}" stroke="${colour}" stroke-width="${r1(width)}"${dash} marker-end="url(#${marker})" color="${colour}"/>` +
    `<circle cx="${r1(sx)}" cy="${r1(y0)}" r="2.6" fill="${colour}"/>` +
    (label ? `<text x="${r1(mx)}" y="${r1(my - 5)}" text-anchor="middle" font-size="11.5" font-family="${MONO}" fill="${colour}" stroke="#ffffff" stroke-width="3" paint-order="stroke">${esc(label)}</text>` : '') +
    `</g>`
  );
}

function arrowTitle(a: Arrow, via: string): string {
  switch (a.kind) {
    case 'data':
      return `${a.count > 1 ? `${a.count} sends` : 'send'} on ${via}: ${formatBytes(a.bytes)}${a.label ? ` "${a.label}"` : ''}, ${formatMs(a.t0)} → ${formatMs(a.t1)}`;
    case 'signal':
      return `${a.label}${a.count > 1 ? ` (${a.count} sent, merged into one delivery)` : ''}: kill at ${formatMs(a.t0)}, delivered at ${formatMs(a.t1)}`;
    case 'sem':
      return `sem_post on ${via} at ${formatMs(a.t0)} woke the wait that returned at ${formatMs(a.t1)}`;
    case 'lock': {
      const how = a.how === 'F_UNLCK' ? 'unlocked (fcntl F_UNLCK)' : a.how === 'close' ? 'released by close()' : a.how === 'exit' ? 'released by exiting' : 'released';
      return `the lock on ${via}, ${how} at ${formatMs(a.t0)}${a.count > 1 ? ` (${a.count} times)` : ''}, taken by the F_SETLKW waiting for it at ${formatMs(a.t1)}`;
    }
    default: {
      const never: never = a.kind;
      return never;
    }
  }
}

function tally(m: TimelineModel, kind: Arrow['kind'], word: string): string {
  const n = m.arrows.reduce((sum, a) => sum + (a.kind === kind ? a.count : 0), 0);
  return n ? `${n} ${word}${n === 1 ? '' : 's'}` : '';
}

/**
 * The drawing as pieces: the <svg> element's opening tag, and its content in chunks of whole
 * elements. The page inserts the chunks one task at a time (a flood's drawing is over a
 * megabyte: joining it, or parsing it, in one go is a long task); the file is all of it.
 */
export interface SvgParts {
  open: string;
  chunks: string[];
}

export const svgText = (p: SvgParts): string => `${p.open}${p.chunks.join('')}</svg>`;

export function renderTimeline(m: TimelineModel): string {
  return svgText(drain(timelineSvgSteps(m)));
}

/** The drawing, step by step (steps.ts): a flood's thousands of intervals and arrows in slices. */
export function* timelineSvgSteps(m: TimelineModel): Steps<SvgParts> {
  const g = geometryOf(m);
  const { left, top, col, lane } = GEOMETRY;
  const out: string[] = [];
  // the text so far, a chunk at each stop
  const chunks: string[] = [];
  const settle = () => {
    if (out.length) chunks.push(out.join(''));
    out.length = 0;
  };
  const open = `<svg xmlns="http://www.w3.org/2000/svg" width="${g.width}" height="${r1(g.height)}" viewBox="0 0 ${g.width} ${r1(g.height)}" font-family="${FONT}" role="img" aria-label="${esc(`Timeline of ${m.title}`)}">`;
  out.push(
    `<defs><marker id="tl-head" viewBox="0 0 10 10" refX="8" refY="5" markerWidth="11" markerHeight="11" markerUnits="userSpaceOnUse" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="context-stroke"/></marker>`,
    `<marker id="tl-head-sig" viewBox="0 0 10 10" refX="8" refY="5" markerWidth="11" markerHeight="11" markerUnits="userSpaceOnUse" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="${SIGNAL}"/></marker></defs>`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text x="16" y="26" font-size="17" font-weight="650" fill="#0f172a">${esc(m.title)}</text>`,
    `<text x="16" y="44" font-size="12" fill="#556274">${esc(
      `${formatMs(m.t1 - m.t0)} · ${[tally(m, 'data', 'send'), tally(m, 'signal', 'signal'), tally(m, 'sem', 'wake-up'), tally(m, 'lock', 'lock hand-over')].filter(Boolean).join(', ') || 'nothing sent'}${m.folded ? ` (${m.folded} folded into bundles)` : ''}${m.traced ? '' : ' · no syscall trace: arrows are counted bundles'}`,
    )}</text>`,
  );
  // process headers and lifelines
  for (const p of m.processes) {
    const x = g.x[p.id];
    const life = m.life[p.id];
    out.push(
      `<rect x="${x - col / 2 + 14}" y="56" width="${col - 28}" height="30" rx="8" fill="#0f172a"/>`,
      `<text x="${x}" y="75" text-anchor="middle" font-size="13.5" font-weight="600" fill="#ffffff">${esc(cut(p.name, 16))} <tspan fill="#94a3b8" font-weight="400" font-size="11.5">${p.pid}</tspan></text>`,
      `<line x1="${x}" y1="${life && life.t0 > m.t0 ? r1(g.y(life.t0)) : top - 10}" x2="${x}" y2="${r1(g.y(life?.t1 ?? m.t1))}" stroke="#94a3b8" stroke-width="2"/>`,
    );
  }
  // a forked child's lifeline branches from its parent's
  for (const f of m.forks) {
    const y = r1(g.y(f.t));
    const x0 = g.x[f.parent];
    const x1 = g.x[f.child];
    out.push(
      `<line x1="${x0}" y1="${y}" x2="${x1}" y2="${y}" stroke="#475569" stroke-width="1.6" stroke-dasharray="5 4" marker-end="url(#tl-head)"><title>${esc(`fork(): ${f.child}`)}</title></line>`,
      `<text x="${(x0 + x1) / 2}" y="${y - 5}" text-anchor="middle" font-size="11" fill="#475569">fork()</text>`,
    );
  }
  // object lanes
  for (const [i, l] of m.lanes.entries()) {
    const x0 = left + col * m.processes.length + lane * i + 12;
    const w = lane - 24;
    const chan = m.channels.find((c) => c.id === l.channel);
    const colour = chan ? COLOUR[chan.mechanism] : '#475569';
    out.push(
      `<text x="${x0 + w / 2}" y="68" text-anchor="middle" font-size="12" font-weight="600" fill="${colour}">${esc(cut(l.label, 14))}</text>`,
      `<text x="${x0 + w / 2}" y="83" text-anchor="middle" font-size="10.5" fill="#556274">${l.measure === 'bytes' ? 'bytes buffered' : l.measure === 'value' ? 'sem value' : 'messages'} ≤ ${l.measure === 'bytes' ? formatBytes(l.max) : l.max}</text>`,
      `<rect x="${x0}" y="${top - 6}" width="${w}" height="${r1(m.height + 12)}" fill="#f8fafc" stroke="#e2e8f0"/>`,
    );
    const scale = (v: number) => x0 + (l.max > 0 ? (v / l.max) * w : 0);
    let d = `M${x0},${r1(g.y(l.points[0]?.t ?? m.t0))}`;
    let prev = 0;
    for (const pt of l.points) {
      if (due(8)) {
      settle();
      yield;
    }
      const y = r1(g.y(pt.t));
      d += ` L${r1(scale(prev))},${y} L${r1(scale(pt.value))},${y}`;
      prev = pt.value;
    }
    d += ` L${r1(scale(prev))},${r1(g.y(m.t1))} L${x0},${r1(g.y(m.t1))} Z`;
    out.push(`<path d="${d}" fill="${colour}" fill-opacity="0.22" stroke="${colour}" stroke-width="1.2"><title>${esc(`${l.label}: ${l.measure}`)}</title></path>`);
  }
  // time axis: a label every ~70 px, and a break mark where a long gap was shortened
  let lastY = -Infinity;
  for (const r of m.rows) {
    if (due(8)) {
      settle();
      yield;
    }
    const y = top + r.y;
    if (r.gapBefore) out.push(`<path d="M${left - 30},${r1(y - 12)} l8,-4 l8,8 l8,-4" stroke="#94a3b8" fill="none"/>`);
    if (y - lastY < 70) continue;
    lastY = y;
    out.push(`<text x="${left - 8}" y="${r1(y + 4)}" text-anchor="end" font-size="10.5" font-family="${MONO}" fill="#556274">${esc(formatMs(r.t0))}</text>`);
    out.push(`<line x1="${left}" y1="${r1(y)}" x2="${g.width - GEOMETRY.right}" y2="${r1(y)}" stroke="#eef1f7"/>`);
  }
  // blocked and sleeping intervals
  for (const iv of m.intervals) {
    if (due(8)) {
      settle();
      yield;
    }
    const x = g.x[iv.proc];
    if (x === undefined) continue;
    const y0 = g.y(iv.t0);
    const h = Math.max(4, g.y(iv.t1) - y0);
    const chan = iv.channel ? m.channels.find((c) => c.id === iv.channel) : undefined;
    const what = iv.state === 'blocked' ? `blocked in ${iv.call ?? '?'}()${chan ? ` on ${chan.label}` : ''}` : iv.state;
    out.push(
      `<g class="tl-interval" data-state="${iv.state}"><title>${esc(`${what}, ${formatMs(iv.t0)} → ${formatMs(iv.t1)}`)}</title>`,
      `<rect x="${x - 7}" y="${r1(y0)}" width="14" height="${r1(h)}" rx="3" fill="${STATE_FILL[iv.state] ?? '#e2e8f0'}" stroke="${STATE_TEXT[iv.state] ?? '#334155'}" stroke-opacity="0.5"/>`,
      h >= 14 ? `<text x="${x - 12}" y="${r1(y0 + 11)}" text-anchor="end" font-size="10.5" fill="${STATE_TEXT[iv.state] ?? '#334155'}">${esc(cut(iv.state === 'blocked' ? `${iv.call ?? ''}()${chan ? ` ${chan.label}` : ''}` : iv.state, 22))}</text>` : '',
      `</g>`,
    );
  }
  const stacks = new Map<string, number>();
  for (const a of m.arrows) {
    if (due(8)) {
      settle();
      yield;
    }
    const key = a.count > 1 ? String(Math.round(g.y(a.t0) / 8)) : '';
    const stack = stacks.get(key) ?? 0;
    if (key) stacks.set(key, stack + 1);
    out.push(arrowSvg(a, m, g, stack));
  }
  // output and exits beside their lifeline
  let lastMark: Record<string, number> = {};
  for (const mk of m.marks) {
    if (due(8)) {
      settle();
      yield;
    }
    const x = g.x[mk.proc];
    if (x === undefined) continue;
    const y = g.y(mk.t);
    const colour = mk.kind === 'stdout' ? '#334155' : mk.kind === 'failed' ? SIGNAL : '#0f172a';
    if (mk.kind === 'exit') {
      out.push(`<g class="tl-exit"><title>${esc(mk.text)}</title><rect x="${x - 9}" y="${r1(y - 2)}" width="18" height="4" fill="${colour}"/><text x="${x}" y="${r1(y + 16)}" text-anchor="middle" font-size="11" font-weight="600" fill="${colour}">${esc(mk.text)}</text></g>`);
      continue;
    }
    if (y - (lastMark[mk.proc] ?? -Infinity) < 13) continue; // dense output: the terminal has it all
    lastMark = { ...lastMark, [mk.proc]: y };
    out.push(`<g class="tl-out"><title>${esc(mk.text)}</title><circle cx="${x}" cy="${r1(y)}" r="2.5" fill="${colour}"/><text x="${x + 8}" y="${r1(y + 12)}" font-size="11" font-family="${MONO}" fill="${colour}">${esc(cut(mk.text, 24))}</text></g>`);
  }
  settle();
  return { open, chunks };
}

/** A recording's timeline as an SVG document (the CLI's --timeline, the page's export). */
export function timelineSvg(rec: Recording, options?: TimelineOptions): string {
  return renderTimeline(buildTimeline(rec, options));
}
