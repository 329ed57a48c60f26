// The unit costs behind docs/PERFORMANCE.md, each in ns per operation, measured in this
// process with the engine's native/ bindings. Not part of `npm run bench`.
//
//   node --import tsx bench/costs.ts            (hosts run with Error.stackTraceLimit = 0;
//   node --stack-trace-limit=0 --import tsx bench/costs.ts   shows that case)

import fs from 'node:fs';
import { C, SyscallError, setTracer, sys } from '../native/index';
import { F } from '../native/libc';

function bench(name: string, f: () => void, n = 200_000): void {
  for (let k = 0; k < 3; k++) {
    const t = performance.now();
    for (let i = 0; i < n; i++) f();
    const ms = performance.now() - t;
    if (k === 2) process.stdout.write(`${name.padEnd(58)} ${((ms * 1e6) / n).toFixed(0).padStart(6)} ns\n`);
  }
}

const [r] = sys.pipe2(C.O_CLOEXEC | C.O_NONBLOCK);
const devnull = fs.openSync('/dev/null', 'w');
const buf = Buffer.alloc(65536, 'x');
const small = Buffer.alloc(100, 'x');
process.stdout.write(`Error.stackTraceLimit = ${Error.stackTraceLimit}\n`);
bench('koffi getpid() (FFI call, minimal syscall)', () => F.getpid());
bench('koffi write(/dev/null, 100 B)', () => F.write(devnull, small, 100));
bench('sys.write(/dev/null, 100 B), no tracer', () => sys.write(devnull, small, 100));
let calls = 0;
setTracer({ detail: false, onCall: () => void calls++ });
bench('sys.write(/dev/null, 100 B), counting tracer (trace off)', () => sys.write(devnull, small, 100));
setTracer(null);
bench('koffi read() of an empty nonblocking pipe (EAGAIN, -1)', () => F.read(r, buf, 65536));
bench('sys.read() of an empty pipe: SyscallError thrown + caught', () => {
  try {
    sys.read(r, buf, 65536);
  } catch (e) {
    if (!(e instanceof SyscallError)) throw e;
  }
});
bench('await of a resolved promise in an async function', () => void (async () => await undefined)(), 200_000);
const s64 = 'x'.repeat(65536);
bench('Buffer.from(64 KiB string) (send of a variable)', () => Buffer.from(s64), 20_000);
bench('buf.toString("utf8"), 64 KiB (recv decodes)', () => buf.toString('utf8'), 20_000);
bench('Buffer.from(buf.subarray(0, 64 KiB)) (recv copies)', () => Buffer.from(buf.subarray(0, 65536)), 20_000);
bench('2 x performance.now() (a traced call\'s timing)', () => (performance.now(), performance.now()));
process.exit(0);
