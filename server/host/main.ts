// The process host: one real OS process per graph node. fd 0 brings control messages
// (NDJSON), fd 1/2 are the program's stdout/stderr, fd 3 carries events up (NDJSON),
// fds 4.. are the channel objects it inherited. It attaches its channel ends, reports ready,
// waits for start, runs its program and _exits with the program's code.

import type { Program } from '../../lib/lang/ast';
import { C, signum, sys } from '../../native/index';
import { registry } from '../mechanisms/registry';
import { onJsonLines } from '../ndjson';
import type { RunChannel } from '../mechanisms/types';
import { Interpreter, type BoundChannel } from './interpreter';
import { HostRuntime, writeAll } from './runtime';

export interface HostInit {
  type: 'init';
  proc: string;
  t0: string;
  trace: boolean;
  sps: number;
  paused: boolean;
  messageBytes: number;
  program: Program;
  channels: { channel: RunChannel; role: 'from' | 'to'; spec: Record<string, unknown>; fds: number[] }[];
}

export interface HostStart {
  type: 'start';
  pids: Record<string, number>;
  /** channel id -> the other end's ready info */
  peers: Record<string, Record<string, unknown>>;
}

// Errors here are messages for the program's stderr, never stack traces; without capturing
// stacks an EAGAIN on the hot path costs nanoseconds instead of microseconds.
Error.stackTraceLimit = 0;
// Node installs a SIGUSR1 handler that starts the inspector; a C process would die of it.
sys.sigDefault(signum('SIGUSR1'));
// Hosts run under limits: no core files, bounded fds, file sizes and address space (a Node
// host maps about 1 GiB of it). Processes: a program has no way to fork or exec, and the
// server bounds processes per run and runs at once; RLIMIT_NPROC would count every thread of
// the user's (and does not bind root), so it is not used.
sys.setrlimit(C.RLIMIT_CORE, 0);
sys.setrlimit(C.RLIMIT_NOFILE, 256);
sys.setrlimit(C.RLIMIT_FSIZE, 64 << 20);
sys.setrlimit(C.RLIMIT_AS, 4 * 2 ** 30);

let rt: HostRuntime | null = null;
let interp: Interpreter | null = null;
const bound = new Map<string, BoundChannel>();

function send(msg: object): void {
  rt!.flush();
  rt!.quietly(() => writeAll(3, Buffer.from(JSON.stringify(msg) + '\n')));
}

async function init(msg: HostInit): Promise<void> {
  rt = new HostRuntime({ proc: msg.proc, t0: BigInt(msg.t0), trace: msg.trace, sps: msg.sps, paused: msg.paused });
  for (const h of msg.program.handlers) rt.listen(h.signal, true);
  const ready: Record<string, Record<string, unknown>> = {};
  try {
    for (const c of msg.channels) {
      const mech = registry[c.channel.mechanism];
      const ep = await mech.attach({ channel: c.channel, role: c.role, spec: c.spec, fds: c.fds, rt });
      bound.set(c.channel.id, { channel: c.channel, ep, closed: false, sends: 0, recvs: 0, bytes: 0 });
      if (ep.ready) ready[c.channel.id] = ep.ready;
    }
  } catch (e) {
    send({ type: 'fatal', message: `attach: ${(e as Error).message}` });
    rt.exit(1);
  }
  interp = new Interpreter(rt, msg.program, bound, msg.messageBytes);
  rt.channelCounts = () => {
    const counts: Record<string, [number, number, number]> = {};
    for (const [id, b] of bound) counts[id] = [b.sends, b.recvs, b.bytes];
    return counts;
  };
  send({ type: 'ready', ready });
}

async function start(msg: HostStart): Promise<void> {
  if (!rt || !interp) return;
  rt.pids = msg.pids;
  for (const [id, b] of bound) b.ep.start?.(msg.peers[id] ?? {});
  rt.setState('running');
  const probe = setInterval(() => probeChannels(), 100);
  const flusher = setInterval(() => rt!.flush(), 30);
  const code = await interp.run();
  clearInterval(probe);
  clearInterval(flusher);
  rt.exit(code);
}

/** Live state of fd-based objects, seen from this end (the server holds no handle to them). */
function probeChannels(): void {
  if (!rt) return;
  for (const b of bound.values()) {
    if (b.closed || !b.ep.probe) continue;
    const state = rt.quietly(() => b.ep.probe!());
    if (state) rt.emit({ type: 'object', channel: b.channel.id, mechanism: b.channel.mechanism, state });
  }
}

onJsonLines(process.stdin, (msg) => {
  if (msg.type === 'init') void init(msg);
  else if (msg.type === 'start') void start(msg);
  else rt?.control(msg);
});
// The server is gone: nothing may outlive it.
process.stdin.on('end', () => sys.exitNow(1));
