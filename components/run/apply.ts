// Applies a batch of run events to the browser's picture of the run. Pure apart from the
// returned output chunks: called once per animation frame with every event that arrived,
// so a flood costs one state update (and one render) per frame, not one per event.

import type { RunEvent } from '@/lib/events';
import { endOf } from '@/lib/scenario';
import type { Chunk } from './terminalBus';
import { FINAL_STATES, terminalOf, type ChanLive, type ProcLive, type RunLive, type TraceEntry } from './live';

export const TRACE_KEEP = 4000;
const NOTICES_KEEP = 50;
const ARCS_KEEP = 12;
/** Largest shared-memory view kept in the browser (the grid shows far less at once). */
const SHM_VIEW_MAX = 1 << 20;

export interface Applied {
  live: RunLive;
  output: Map<string, Chunk[]>;
}

export function applyEvents(prev: RunLive, events: RunEvent[], now: number, sendsSeen: Map<string, number>): Applied {
  const output = new Map<string, Chunk[]>();
  let procs = prev.procs;
  let chans = prev.chans;
  let procsCopied = false;
  let chansCopied = false;
  const live: RunLive = { ...prev };
  const newTrace: TraceEntry[] = [];
  const newNotices: RunLive['notices'] = [];
  const newArcs: RunLive['arcs'] = [];

  const proc = (id: string): ProcLive | null => {
    const p = procs[id];
    if (!p) return null;
    if (!procsCopied) {
      procs = { ...procs };
      procsCopied = true;
    }
    // one copy per process per batch: later events of the batch mutate the copy
    if (procs[id] === prev.procs[id]) procs[id] = { ...p };
    return procs[id];
  };
  const chan = (id: string): ChanLive | null => {
    const c = chans[id];
    if (!c) return null;
    if (!chansCopied) {
      chans = { ...chans };
      chansCopied = true;
    }
    if (chans[id] === prev.chans[id]) chans[id] = { ...c };
    return chans[id];
  };

  for (const ev of events) {
    if (ev.t > live.lastT) live.lastT = ev.t;
    switch (ev.type) {
      case 'run': {
        live.status = 'running';
        live.runId = ev.runId;
        live.isolation = ev.isolation;
        live.clockZero = now - ev.t;
        procs = {};
        chans = {};
        procsCopied = chansCopied = true;
        for (const p of ev.processes) {
          const before = prev.procs[p.id];
          procs[p.id] = { id: p.id, name: p.name, pid: p.pid, state: 'starting', line: 0, statements: 0, syscalls: 0, lastSignal: before?.lastSignal };
        }
        for (const c of ev.channels) {
          chans[c.id] = { ...c, object: null, shm: null, fwd: 0, back: 0, sentBy: {}, recvdBy: {}, sends: 0, recvs: 0, bytes: 0 };
        }
        sendsSeen.clear();
        break;
      }
      case 'state': {
        const p = proc(ev.proc);
        if (!p) break;
        // the server's exit report is final; a host's last words may arrive after it
        if (FINAL_STATES.has(p.state) && !FINAL_STATES.has(ev.state)) break;
        p.state = ev.state;
        p.call = ev.call;
        p.channel = ev.channel;
        p.watching = ev.watching;
        break;
      }
      case 'ready': {
        const p = proc(ev.proc);
        if (p) p.ready = { channels: ev.channels, seq: ++live.seq };
        break;
      }
      case 'failed': {
        const p = proc(ev.proc);
        if (p) p.failed = { call: ev.call, errno: ev.errno, line: ev.line, count: ev.count };
        break;
      }
      case 'line': {
        const p = proc(ev.proc);
        if (p && !FINAL_STATES.has(p.state)) p.line = ev.line;
        break;
      }
      case 'counters': {
        const p = proc(ev.proc);
        if (!p) break;
        p.statements = ev.statements;
        if (ev.line > 0 && !FINAL_STATES.has(p.state)) p.line = ev.line;
        let calls = 0;
        for (const n of Object.values(ev.syscalls)) calls += n;
        p.syscalls = calls;
        for (const [cid, [sends, recvs]] of Object.entries(ev.channels ?? {})) {
          const key = `${ev.proc}/${cid}`;
          const delta = sends - (sendsSeen.get(key) ?? 0);
          sendsSeen.set(key, sends);
          if (!chans[cid] || (delta <= 0 && chans[cid].recvdBy[ev.proc] === recvs)) continue;
          const c = chan(cid)!;
          if (c.recvdBy[ev.proc] !== recvs) c.recvdBy = { ...c.recvdBy, [ev.proc]: recvs };
          if (delta <= 0) continue;
          if (endOf(c, ev.proc) === 'from') c.fwd += delta;
          else c.back += delta;
          c.sentBy = { ...c.sentBy, [ev.proc]: (c.sentBy[ev.proc] ?? 0) + delta };
        }
        break;
      }
      case 'syscall':
        newTrace.push({ seq: ++live.seq, t: ev.t, proc: ev.proc, name: ev.name, args: ev.args, ret: ev.ret, errno: ev.errno, ms: ev.ms, channel: ev.channel });
        break;
      case 'stdout':
      case 'stderr': {
        // a forked child shares its parent's stdout, as in C: the same terminal
        const term = terminalOf(procs, ev.proc);
        let list = output.get(term);
        if (!list) output.set(term, (list = []));
        const last = list[list.length - 1];
        const err = ev.type === 'stderr';
        if (last && last.err === err && !last.note) last.text += ev.text;
        else list.push({ text: ev.text, err });
        break;
      }
      case 'signal': {
        const p = proc(ev.to);
        if (p) p.lastSignal = { signal: ev.signal, phase: ev.phase, from: ev.from, seq: ++live.seq };
        if (ev.phase === 'sent' && ev.from && !hasSignalChannel(chans, ev.from, ev.to)) {
          newArcs.push({ seq: ++live.seq, from: ev.from, to: ev.to, signal: ev.signal });
        }
        break;
      }
      case 'object': {
        const c = chan(ev.channel);
        if (!c) break;
        c.object = ev.state;
        if (ev.state.changes || ev.state.size !== undefined) applyShm(c, ev.state.size, ev.state.changes);
        break;
      }
      case 'control':
        if (!ev.proc) {
          if (ev.action === 'pause' || ev.action === 'step') live.paused = true;
          else if (ev.action === 'resume') live.paused = false;
        }
        break;
      case 'exit': {
        const p = proc(ev.proc);
        if (!p) break;
        p.code = ev.code;
        p.signal = ev.signal;
        p.outcome = ev.signal ? `killed by ${ev.signal}` : `exited ${ev.code}`;
        p.state = ev.signal ? 'killed' : 'exited';
        p.call = p.channel = undefined;
        break;
      }
      case 'fork': {
        if (!procsCopied) {
          procs = { ...procs };
          procsCopied = true;
        }
        procs[ev.proc] = { id: ev.proc, name: ev.name, pid: ev.pid, state: 'running', line: 0, statements: 0, syscalls: 0, parent: ev.parent };
        break;
      }
      case 'reaped': {
        const p = proc(ev.proc);
        if (p) p.reapedBy = ev.by;
        break;
      }
      case 'notice': {
        // the framer's "N trace events left out" comes with every busy frame: a counter, not news
        const dropped = /^(\d+) trace events left out/.exec(ev.message);
        if (dropped) live.dropped += Number(dropped[1]);
        else newNotices.push({ seq: ++live.seq, t: ev.t, proc: ev.proc, message: ev.message });
        // server/run/process.ts says it so when a process's output reaches the limit
        const p = ev.proc && / output limit of .* reached/.test(ev.message) ? proc(ev.proc) : null;
        if (p) p.capped = true;
        // said in the process's own terminal too, where the output stops
        if (ev.proc && !dropped) {
          let list = output.get(ev.proc);
          if (!list) output.set(ev.proc, (list = []));
          list.push({ text: `\n[${ev.message}]\n`, err: false, note: true });
        }
        break;
      }
      case 'end': {
        live.status = 'ended';
        live.paused = false;
        live.end = { reason: ev.reason, ms: ev.ms, processes: ev.processes, channels: ev.channels, leftovers: ev.leftovers };
        for (const o of ev.processes) {
          const p = proc(o.id);
          if (!p || p.outcome) continue;
          p.outcome = o.outcome;
          p.code = o.code;
          p.signal = o.signal;
          p.state = o.signal ? 'killed' : 'exited';
        }
        for (const n of ev.channels) {
          const c = chan(n.id);
          if (c) Object.assign(c, { sends: n.sends, recvs: n.recvs, bytes: n.bytes });
        }
        break;
      }
    }
  }

  live.procs = procs;
  live.chans = chans;
  if (newTrace.length) live.calls = prev.calls.length + newTrace.length > TRACE_KEEP ? [...prev.calls, ...newTrace].slice(-TRACE_KEEP) : [...prev.calls, ...newTrace];
  if (newNotices.length) live.notices = [...prev.notices, ...newNotices].slice(-NOTICES_KEEP);
  if (newArcs.length) live.arcs = [...prev.arcs, ...newArcs].slice(-ARCS_KEEP);
  return { live, output };
}

function hasSignalChannel(chans: Record<string, ChanLive>, from: string, to: string): boolean {
  for (const c of Object.values(chans)) if (c.mechanism === 'signal' && endOf(c, from) === 'from' && endOf(c, to) === 'to') return true;
  return false;
}

/** Shared memory: the server sends only changed ranges; the browser keeps the whole picture. */
function applyShm(c: ChanLive, size: number | undefined, changes: { offset: number; hex: string }[] | undefined): void {
  const want = Math.min(SHM_VIEW_MAX, size ?? c.shm?.bytes.length ?? 0);
  let view = c.shm;
  if (!view || view.bytes.length < want) {
    const bytes = new Uint8Array(want);
    if (view) bytes.set(view.bytes.subarray(0, want));
    view = { bytes, changed: new Set(), version: view?.version ?? 0 };
  } else {
    view = { ...view };
  }
  if (changes?.length) {
    const changed = new Set<number>();
    for (const { offset, hex } of changes) {
      for (let i = 0; i * 2 < hex.length; i++) {
        const at = offset + i;
        if (at >= view.bytes.length) break;
        view.bytes[at] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
        changed.add(at);
      }
    }
    view.changed = changed;
    view.version++;
  }
  c.shm = view;
}
