// npm run scenario -- FILE.json [--json] [--trace] [--timeout S] [--speed SPS] [--stdin NAME=FILE]... [--record OUT.json] [--timeline OUT.svg]
// Runs a scenario headless. Prints `[name] text` per stdout line, then one summary line per
// process. --json prints the event stream (NDJSON) exactly as the browser receives it.
// --record writes the run's recording (lib/recording, what the page's Download recording
// gives); --timeline draws its sequence diagram (lib/timeline) as an SVG file.
// --stdin gives a process (by name or id) a file's bytes on fd 0 (- for this command's own
// stdin); every other process reads end of file there.
// Exit: 0 when every drawn process exited 0, 1 otherwise, 2 for an invalid scenario.

import fs from 'node:fs';
import { parseArgs } from 'node:util';
import type { RunEvent } from '../lib/events';
import { Recorder } from '../lib/recording/recorder';
import { formatPlaceError } from '../lib/scenario';
import { timelineSvg } from '../lib/timeline/svg';
import { Run } from './run/run';

function usage(msg: string): never {
  process.stderr.write(`${msg}\nusage: npm run scenario -- FILE.json [--json] [--trace] [--timeout SECONDS] [--speed STATEMENTS_PER_SECOND] [--stdin NAME=FILE]... [--record OUT.json] [--timeline OUT.svg]\n`);
  process.exit(2);
}

let args;
try {
  args = parseArgs({
    allowPositionals: true,
    options: { json: { type: 'boolean' }, trace: { type: 'boolean' }, timeout: { type: 'string' }, speed: { type: 'string' }, stdin: { type: 'string', multiple: true }, record: { type: 'string' }, timeline: { type: 'string' } },
  });
} catch (e) {
  usage((e as Error).message);
}
const file = args.positionals[0];
if (!file || args.positionals.length > 1) usage('give exactly one scenario file');
const timeout = args.values.timeout === undefined ? undefined : Number(args.values.timeout);
if (timeout !== undefined && !(timeout > 0)) usage('--timeout takes a number of seconds above 0');
const speed = args.values.speed === undefined ? 0 : Number(args.values.speed);
if (!(speed >= 0)) usage('--speed takes statements per second (0 = full speed)');

let text: string;
try {
  text = fs.readFileSync(file, 'utf8');
} catch (e) {
  usage(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
}

const stdinData: Record<string, Buffer> = {};
for (const spec of args.values.stdin ?? []) {
  const eq = spec.indexOf('=');
  if (eq < 1) usage(`--stdin takes NAME=FILE (got ${spec})`);
  const [name, from] = [spec.slice(0, eq), spec.slice(eq + 1)];
  try {
    stdinData[name] = fs.readFileSync(from === '-' ? 0 : from);
  } catch (e) {
    usage(`--stdin ${name}: cannot read ${from}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}
try {
  const procs = (JSON.parse(text) as { processes?: { id?: unknown; name?: unknown }[] }).processes ?? [];
  for (const name of Object.keys(stdinData)) {
    if (!procs.some((p) => p.name === name || p.id === name)) usage(`--stdin ${name}: the scenario has no process of that name`);
  }
} catch {
  // not JSON: the run's validation says so, with its place
}

const json = !!args.values.json;
const names = new Map<string, string>();
/** The unfinished last line of each process's stdout and stderr. */
const partial = new Map<string, { proc: string; stream: 'stdout' | 'stderr'; text: string }>();

// A reader that goes away (`| head`) stops the run cleanly instead of crashing past its cleanup.
let stdoutGone = false;
let stopRun = () => {};
process.stdout.on('error', () => {
  stdoutGone = true;
  stopRun();
});

function out(line: string): void {
  if (!stdoutGone) process.stdout.write(line + '\n');
}

function printText(proc: string, chunk: string, stream: 'stdout' | 'stderr'): void {
  const key = `${stream}:${proc}`;
  const lines = ((partial.get(key)?.text ?? '') + chunk).split('\n');
  partial.set(key, { proc, stream, text: lines.pop()! });
  for (const l of lines) (stream === 'stdout' ? process.stdout : process.stderr).write(`[${names.get(proc) ?? proc}] ${l}\n`);
}

/** Children forked during the run. */
const forked = new Set<string>();

function show(ev: RunEvent): void {
  if (json) return out(JSON.stringify(ev));
  switch (ev.type) {
    case 'run':
      for (const p of ev.processes) names.set(p.id, p.name);
      return;
    case 'fork':
      names.set(ev.proc, ev.name);
      forked.add(ev.proc);
      return;
    case 'stdout':
    case 'stderr':
      return printText(ev.proc, ev.text, ev.type);
    case 'syscall':
      return out(`[${names.get(ev.proc) ?? ev.proc}] ${ev.name}(${ev.args}) = ${ev.ret}${ev.errno ? ` ${ev.errno}` : ''} <${ev.ms.toFixed(3)} ms>`);
    case 'notice':
      process.stderr.write(`! ${ev.message}\n`);
      return;
    case 'end':
      for (const p of partial.values()) if (p.text) printText(p.proc, '\n', p.stream);
      for (const p of ev.processes) out(`${p.name}: ${p.outcome}`);
      if (ev.reason === 'timeout') process.stderr.write('! time limit reached\n');
      if (ev.leftovers.length) process.stderr.write(`! left behind: ${ev.leftovers.join(', ')}\n`);
      return;
  }
}

let scenarioJson: unknown = null;
try {
  scenarioJson = JSON.parse(text);
} catch {
  // the run's validation says what is wrong
}
const recorder = args.values.record || args.values.timeline ? new Recorder(scenarioJson) : null;

const started = await Run.start(text, {
  trace: !!args.values.trace,
  sps: speed,
  timeoutMs: timeout === undefined ? undefined : timeout * 1000,
  stdinData,
}, (f) => {
  recorder?.push(f.events);
  f.events.forEach(show);
});
if (!started.ok) {
  for (const e of started.errors) process.stderr.write(`${file}: ${formatPlaceError(e)}\n`);
  process.exit(2);
}
const run = started.run;
stopRun = () => void run.stop('stopped');
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, stopRun);
const end = await run.done;
if (recorder) {
  const recording = recorder.recording();
  try {
    if (args.values.record) fs.writeFileSync(args.values.record, JSON.stringify(recording));
    if (args.values.timeline) fs.writeFileSync(args.values.timeline, timelineSvg(recording));
  } catch (e) {
    process.stderr.write(`! cannot write: ${(e as Error).message}\n`);
    process.exit(1);
  }
}
// a forked child's status is its parent's business (waitpid), as in a shell: the drawn processes' count
const ok = end.reason === 'finished' && end.leftovers.length === 0 && end.processes.every((p) => p.code === 0 || forked.has(p.id));
process.exit(ok ? 0 : 1);
