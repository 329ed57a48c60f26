// A hostile run beside a normal user (npm run hostile): 16 processes that spin and grow their
// text as fast as they can, while another user starts small runs. Prints what the hostile run
// holds (its cgroup's memory, peak), the normal user's start latency (Run to every process at
// its first statement) with and without the hostile run, and the server's event-loop lag.

import fs from 'node:fs';
import os from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Frame, RunEvent } from '../lib/events';
import { DEFAULT_LIMITS } from '../lib/scenario';
import { Run } from '../server/run/run';

const N = Number(process.env.RUNS ?? 15);

function scenario(procs: Record<string, string>, channels: [string, string, string, string][] = []) {
  return {
    version: 1,
    title: 'hostile',
    processes: Object.entries(procs).map(([id, program]) => ({ id, name: id, program })),
    channels: channels.map(([id, from, to, mechanism]) => ({ id, from, to, mechanism })),
  };
}

const normal = scenario({ p1: 'send c1 "x"', p2: 'recv c1' }, [['c1', 'p1', 'p2', 'pipe']]);

async function startMs(): Promise<number> {
  const events: RunEvent[] = [];
  const r = await Run.start(normal, {}, (f: Frame) => events.push(...f.events));
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  await r.run.done;
  const lines = events.filter((e) => e.type === 'line').map((e) => e.t);
  return Math.max(...lines);
}

async function startLatencies(): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < N; i++) out.push(await startMs());
  return out.sort((a, b) => a - b);
}

const p = (v: number[], q: number) => v[Math.min(v.length - 1, Math.floor((q / 100) * v.length))];

function cgroupMemory(runId: string, file: string): number | null {
  for (const dir of [`/sys/fs/cgroup/memory/ipcpg`, `/sys/fs/cgroup/ipcpg`]) {
    try {
      for (const d of fs.readdirSync(dir)) if (d.endsWith(runId)) return Number(fs.readFileSync(`${dir}/${d}/${file}`, 'utf8'));
    } catch {
      // not this layout
    }
  }
  return null;
}

async function main(): Promise<void> {
  await startMs(); // compiled once, not counted
  const quiet = await startLatencies();

  const hostile: Record<string, string> = {};
  for (let i = 1; i <= 8; i++) hostile[`spin${i}`] = 'set x = 0\nforever {\n  set x = x + 1\n}';
  for (let i = 1; i <= 8; i++) hostile[`grow${i}`] = 'set s = "x"\nforever {\n  set s = s + s\n}';
  const events: RunEvent[] = [];
  const h = await Run.start(scenario(hostile), { timeoutMs: 120_000, limits: { ...DEFAULT_LIMITS, maxProcesses: 16 } }, (f: Frame) => events.push(...f.events));
  if (!h.ok) throw new Error(JSON.stringify(h.errors));
  await new Promise((r) => setTimeout(r, 2000));
  const lag = monitorEventLoopDelay({ resolution: 10 });
  lag.enable();
  const busy = await startLatencies();
  lag.disable();
  let peak = 0;
  for (let i = 0; i < 10; i++) {
    peak = Math.max(peak, cgroupMemory(h.run.id, 'memory.max_usage_in_bytes') ?? cgroupMemory(h.run.id, 'memory.peak') ?? 0);
    await new Promise((r) => setTimeout(r, 100));
  }
  const load = os.loadavg()[0];
  await h.run.stop();
  const end = await h.run.done;
  const ms = (v: number) => `${v.toFixed(1)} ms`;
  console.log(`hostile run: 16 processes (8 spinning, 8 doubling a text) for ${(end.ms / 1000).toFixed(1)} s; ended ${end.reason}, leftovers ${end.leftovers.length}`);
  console.log(`  its cgroup's memory, peak: ${(peak / 2 ** 20).toFixed(1)} MiB (limit ${(Number(process.env.IPCPG_RUN_MEMORY_MB ?? 256)).toFixed(0)} MiB)`);
  console.log(`  load average meanwhile: ${load.toFixed(2)} on ${os.availableParallelism()} CPUs`);
  console.log(`a normal user's start (2 processes, ${N} runs each), p50 / p90 / max:`);
  console.log(`  alone:               ${ms(p(quiet, 50))} / ${ms(p(quiet, 90))} / ${ms(quiet[quiet.length - 1])}`);
  console.log(`  beside the hostile:  ${ms(p(busy, 50))} / ${ms(p(busy, 90))} / ${ms(busy[busy.length - 1])}`);
  console.log(`server event-loop delay meanwhile: p50 ${(lag.percentile(50) / 1e6).toFixed(1)} ms, p99 ${(lag.percentile(99) / 1e6).toFixed(1)} ms, max ${(lag.max / 1e6).toFixed(1)} ms`);
}

await main();
process.exit(0);
