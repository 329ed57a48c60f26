import { Run } from '../server/run/run';
import type { RunEvent, Frame } from '../lib/events';
function sc(procs: Record<string,string>, chans: [string,string,string,string][]) {
  return { version: 1, title: 'b', processes: Object.entries(procs).map(([id, program]) => ({ id, name: id, program })),
    channels: chans.map(([id, from, to, mechanism]) => ({ id, from, to, mechanism })) };
}
async function go(name: string, s: unknown) {
  const frames: Frame[] = [];
  const r = await Run.start(s, { timeoutMs: 30000 }, (f) => frames.push(f));
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  const end = await r.run.done;
  const evs: RunEvent[] = frames.flatMap((f) => f.events);
  const firstLine: Record<string, number> = {};
  for (const e of evs) if (e.type === 'line' && firstLine[e.proc] === undefined) firstLine[e.proc] = e.t;
  const bytes = frames.reduce((a, f) => a + JSON.stringify(f).length, 0);
  console.log(name, JSON.stringify(firstLine), 'end', end.ms, end.reason, end.processes.map(p=>p.outcome+'@'+p.ms).join(','), 'frames', frames.length, 'bytes', bytes, JSON.stringify(end.channels));
  return { firstLine, end };
}
const N = Number(process.argv[2] ?? 100000);
const w = `repeat ${N} { send c1 "${'x'.repeat(100)}" }`;
const rd = `while recv c1 65536 { }`;
await go('pipe100', sc({ w, r: rd }, [['c1','w','r','pipe']]));
await go('unix100', sc({ w, r: rd }, [['c1','w','r','unix-stream']]));
const big = `set s = "x"\nrepeat 16 { set s = s + s }\nrepeat ${Math.round(N/50)} { send c1 s }`;
await go('pipe64k', sc({ w: big, r: rd }, [['c1','w','r','pipe']]));
await go('unix64k', sc({ w: big, r: rd }, [['c1','w','r','unix-stream']]));
const M = 20000;
await go('pp-pipe', sc({ a: `repeat ${M} {\n send c1 "ping"\n recv c2\n}`, b: `repeat ${M} {\n recv c1\n send c2 "pong"\n}` }, [['c1','a','b','pipe'],['c2','b','a','pipe']]));
await go('pp-unix', sc({ a: `repeat ${M} {\n send c1 "ping"\n recv c1\n}`, b: `repeat ${M} {\n recv c1\n send c1 "pong"\n}` }, [['c1','a','b','unix-stream']]));
await go('pp-mq', sc({ a: `repeat ${M} {\n send c1 "ping"\n recv c2\n}`, b: `repeat ${M} {\n recv c1\n send c2 "pong"\n}` }, [['c1','a','b','mq-sysv'],['c2','b','a','mq-sysv']]));
