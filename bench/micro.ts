// Micro-benchmark of one host's hot loop, in this process: the engine's HostRuntime,
// Interpreter and pipe endpoint (loaded from --root, default this repo, so a patched copy of
// the engine can be compared), with the other end of the pipe in a plain program:
//   send CASE: `repeat N { send c1 MSG }`, the read end drained by `cat > /dev/null`;
//   (--devnull: into /dev/null instead, to see the interpreter's own cost);
//   recv CASE: `while recv c1 65536 { }`, the write end fed by `dd bs=SIZE` (SIZE-byte writes).
// Not part of `npm run bench`. Prints wall and CPU (user+sys, all threads) ns per message:
// the CPU figure is the one to compare on a busy machine.
//
//   node --import tsx bench/micro.ts send|send64k|recv|recv64k [N] [--root DIR] [--reps 5]

import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values: opt, positionals } = parseArgs({
  allowPositionals: true,
  options: { root: { type: 'string' }, reps: { type: 'string', default: '5' }, child: { type: 'boolean' }, devnull: { type: 'boolean' }, floor: { type: 'boolean' } },
});
const root = path.resolve(opt.root ?? path.join(path.dirname(fileURLToPath(import.meta.url)), '..'));
const [kase = 'send', nArg] = positionals;

if (!opt.child) {
  // the host writes its events to fd 3: give the child a /dev/null there (Node's own fds come after)
  const devnull = fs.openSync('/dev/null', 'w');
  const r = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), ...process.argv.slice(2), '--child'], {
    stdio: ['inherit', 'inherit', 'inherit', devnull],
  });
  process.exit(r.status ?? 1);
}

const { validateScenario } = await import(`${root}/lib/validate.ts`);
const { HostRuntime } = await import(`${root}/server/host/runtime.ts`);
const { Interpreter } = await import(`${root}/server/host/interpreter.ts`);
const { registry } = await import(`${root}/server/mechanisms/registry.ts`);
const { sys } = await import(`${root}/native/index.ts`);

const big = kase.endsWith('64k');
const size = big ? 65536 : 100;
const n = Number(nArg ?? (big ? 20000 : 1_000_000));
const sending = kase.startsWith('send');
const writer = big ? `set s = "x"\nrepeat 16 { set s = s + s }\nrepeat ${n} { send c1 s }` : `repeat ${n} { send c1 "${'x'.repeat(size)}" }`;
const sc = {
  version: 1, title: 'micro',
  processes: [{ id: 'writer', name: 'writer', program: writer }, { id: 'reader', name: 'reader', program: 'while recv c1 65536 { }' }],
  channels: [{ id: 'c1', from: 'writer', to: 'reader', mechanism: 'pipe' }],
};
const v = validateScenario(sc);
if (!v.ok) throw new Error(JSON.stringify(v.errors));
const me = sending ? 'writer' : 'reader';
const channel = { id: 'c1', label: 'c1', mechanism: 'pipe', from: 'writer', to: 'reader', index: 0, options: {} };

for (let rep = 0; rep < Number(opt.reps); rep++) {
  const created = registry.pipe.create({ channel, runDir: '/tmp', objectName: '/x', journal: () => {} });
  // --devnull: send into /dev/null instead (the interpreter's own cost plus one cheap write(2))
  const mine = sending ? (opt.devnull ? fs.openSync('/dev/null', 'w') : created.fds.from[0]) : created.fds.to[0];
  if (opt.devnull) sys.close(created.fds.from[0]);
  const theirs = sending ? created.fds.to[0] : created.fds.from[0];
  const other = sending
    ? spawn('cat', [], { stdio: [theirs, 'ignore', 'inherit'] })
    : spawn('dd', ['if=/dev/zero', `bs=${size}`, `count=${n}`, 'status=none'], { stdio: ['ignore', theirs, 'inherit'] });
  sys.close(theirs);
  const otherDone = new Promise((r) => other.on('close', r));
  const rt = new HostRuntime({ proc: me, t0: process.hrtime.bigint(), trace: false, sps: 0, paused: false });
  const ep = await registry.pipe.attach({ channel, role: sending ? 'from' : 'to', spec: created.spec, fds: [mine], rt });
  const bound = new Map([['c1', { channel, ep, closed: false, sends: 0, recvs: 0, bytes: 0 }]]);
  const interp = new Interpreter(rt, v.programs[me], bound, 65536);
  rt.setState('running');
  const t = performance.now();
  const cpu0 = process.cpuUsage();
  let code = 0;
  if (opt.floor) {
    // the floor: no interpreter, just the traced write(2) per message the endpoint would make
    const msg = Buffer.alloc(size, 'x');
    const b = bound.get('c1')!;
    sys.setNonBlocking(mine, false); // block in write(2) as the C writer does
    for (let i = 0; i < n; i++) {
      let off = 0;
      while (off < size) off += sys.write(mine, off ? msg.subarray(off) : msg, size - off);
      b.sends++;
    }
  } else code = await interp.run();
  const ms = performance.now() - t;
  const cpu = process.cpuUsage(cpu0);
  ep.close?.();
  rt.flush();
  await otherDone;
  if (code !== 0) throw new Error(`exit ${code}`);
  const b = bound.get('c1')!;
  const stmts = sending ? b.sends : b.recvs;
  const syscalls = JSON.stringify((rt as unknown as { syscalls: Record<string, number> }).syscalls);
  process.stdout.write(`${kase} ${path.basename(root)}: ${n} x ${size} B in ${ms.toFixed(1)} ms: ${((ms * 1e6) / n).toFixed(0)} ns/message, ${(n * size / ms / 1e3).toFixed(0)} MB/s, CPU ${(((cpu.user + cpu.system) * 1e3) / n).toFixed(0)} ns/message (user ${((cpu.user * 1e3) / n).toFixed(0)}); ${stmts} ${sending ? 'sends' : 'recvs'}, ${syscalls}\n`);
}
process.exit(0);
