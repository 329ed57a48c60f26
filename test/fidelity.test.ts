// Fidelity: a program in the playground behaves as the same program written in C. Each case is
// a scenario (test/fidelity/NAME.json) and a hand-written C program (test/fidelity/NAME.c, fork()
// per process, the real calls) that does the same thing. Both run; the test compares each
// process's stdout lines, how each process ended (exited N / killed by SIGNAME) and, where the
// case makes it deterministic, the order of lines across processes.
//
// What the test does to a run from outside (Run.signal: the server's kill) the C's main() does
// with kill(2): the steps of `server` below, and the same "[server] ..." lines on both sides.
// The C's output is also checked against `expect`, so a case proves what it says even if both
// sides went wrong the same way. Cases where the two genuinely differ are kept, with `todo`.
//
// Orders across processes: the playground reads each process's stdout from a pipe of its own
// and puts the lines in the order they were written (the runtime records each write's time;
// order-ping-pong proves it for lines a fraction of a millisecond apart); the C's processes share
// one stdout. Times are margins for a loaded machine, never upper bounds.

import assert from 'node:assert/strict';
import { execFile, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it, type TestContext } from 'node:test';
import type { RunEvent } from '../lib/events';
import { sys } from '../native/index';
import type { Run } from '../server/run/run';
import { hostLeftovers, runIt, waitFor, type End } from './helpers';

const here = path.dirname(fileURLToPath(import.meta.url));
const caseDir = path.join(here, 'fidelity');

/** What the server does during a run; the C's main() does the same, in the same order. */
type Step =
  | { wait: [proc: string, line: string] } // until the process has printed the line (the C sleeps instead)
  | { kill: [proc: string, signal: string] } // "[server] kill a SIGSTOP", then the signal
  | { stopped: string } // "[server] a stopped" once /proc says so (up to 1.5 s), or "[server] a did not stop"
  | { sleep: number };

interface Case {
  name: string;
  /** What it proves, in one line. */
  proves: string;
  /** Each process's lines and end, as the C prints them (checked first, on the C alone). */
  expect: Record<string, { out: string[]; end?: string }>;
  server?: Step[];
  /** `a: line` before `b: line`, in the order the lines came out, on both sides. */
  order?: [string, string][];
  todo?: string;
  /** The files of another case (NAME.json, NAME.c), run another way. */
  files?: string;
  /** Run the scenario with `npm run scenario` in a session of its own (see runDaemon), not in this process. */
  daemon?: boolean;
}

const stopA = (sig: string): Step[] => [{ wait: ['a', 'ready'] }, { kill: ['a', sig] }, { stopped: 'a' }, { sleep: 900 }, { kill: ['a', 'SIGCONT'] }];

const cases: Case[] = [
  // 1. delivery and merging
  {
    name: 'merge-while-stopped',
    proves: 'SIGUSR1 sent 3 times to a stopped process is pending once: one handler run after SIGCONT, then pause() returns',
    expect: {
      a: { out: ['ready', 'usr1', 'woke'], end: 'exited 0' },
      server: { out: ['kill a SIGSTOP', 'a stopped', 'kill a SIGUSR1', 'kill a SIGUSR1', 'kill a SIGUSR1', 'kill a SIGCONT'] },
    },
    server: [{ wait: ['a', 'ready'] }, { kill: ['a', 'SIGSTOP'] }, { stopped: 'a' }, { kill: ['a', 'SIGUSR1'] }, { kill: ['a', 'SIGUSR1'] }, { kill: ['a', 'SIGUSR1'] }, { kill: ['a', 'SIGCONT'] }],
    order: [['server: kill a SIGCONT', 'a: usr1']],
  },
  {
    name: 'merge-in-handler',
    proves: 'a signal is blocked while its own handler runs: 3 sent meanwhile make one more run; the main sleep around it lasts its full time',
    expect: {
      a: { out: ['ready', 'in', 'out', 'in', 'out', 'done'], end: 'exited 0' },
      b: { out: ['sent 4'], end: 'exited 0' },
    },
    order: [['a: in', 'b: sent 4'], ['b: sent 4', 'a: out']],
  },
  {
    name: 'two-signals',
    proves: 'two different signals pending together are both delivered (SIGUSR2 handler first, as the kernel stacks them), then pause() returns',
    expect: {
      a: { out: ['ready', 'usr2', 'usr1', 'after pause'], end: 'exited 0' },
      b: { out: ['sent both'], end: 'exited 0' },
    },
    order: [['b: sent both', 'a: usr2']],
  },
  {
    name: 'signal-channel-merge',
    proves: 'three sends on a signal channel to a stopped receiver are one delivery: its second recv waits for the next send',
    expect: {
      a: { out: ['waiting', 'got 1', 'got 2'], end: 'exited 0' },
      b: { out: ['sending again'], end: 'exited 0' },
    },
    order: [['a: got 1', 'b: sending again'], ['b: sending again', 'a: got 2']],
  },
  // 2. handlers interrupting blocking calls
  {
    name: 'read-restart',
    proves: 'read() on an empty pipe, interrupted by a handler, is restarted (SA_RESTART) and returns the data written later',
    expect: {
      a: { out: ['waiting', 'usr1', 'read hello'], end: 'exited 0' },
      b: { out: ['writing'], end: 'exited 0' },
    },
    order: [['a: waiting', 'a: usr1'], ['a: usr1', 'b: writing'], ['b: writing', 'a: read hello']],
  },
  {
    name: 'sem-wait-restart',
    proves: 'sem_wait() on a named and on an unnamed semaphore, interrupted by a handler, goes on waiting until the post',
    expect: {
      a: { out: ['waiting', 'usr1', 'took s1'], end: 'exited 0' },
      c: { out: ['waiting', 'usr1', 'took s2'], end: 'exited 0' },
      b: { out: ['posting'], end: 'exited 0' },
    },
    order: [['a: usr1', 'b: posting'], ['c: usr1', 'b: posting'], ['b: posting', 'a: took s1'], ['b: posting', 'c: took s2']],
  },
  {
    name: 'mq-receive-restart',
    proves: 'mq_receive() on an empty POSIX queue, interrupted by a handler, is restarted (SA_RESTART) and gets the later message',
    expect: {
      a: { out: ['waiting', 'usr1', 'got hello'], end: 'exited 0' },
      b: { out: ['sending'], end: 'exited 0' },
    },
    order: [['a: usr1', 'b: sending'], ['b: sending', 'a: got hello']],
  },
  {
    name: 'msgrcv-eintr',
    proves: 'msgrcv() interrupted by a handler fails with EINTR (never restarted): try recv sees it in errno, as a C program that stops on a failed call does',
    expect: {
      a: { out: ['waiting', 'usr1'], end: 'exited 1' },
      b: { out: ['sending'], end: 'exited 0' },
    },
  },
  {
    name: 'msgrcv-eintr-retry',
    proves: 'msgrcv() interrupted by a handler, in C retried on EINTR: the same lines and ends as the playground\'s recv',
    expect: {
      a: { out: ['waiting', 'usr1', 'got hello'], end: 'exited 0' },
      b: { out: ['sending'], end: 'exited 0' },
    },
    order: [['a: usr1', 'b: sending'], ['b: sending', 'a: got hello']],
  },
  {
    name: 'msgsnd-eintr',
    proves: 'msgsnd() blocked on a full queue and interrupted by a handler fails with EINTR: try send sees it in errno, as a C program that stops on a failed call does',
    expect: {
      a: { out: ['queue full', 'usr1'], end: 'exited 1' },
      b: { out: ['receiving'], end: 'exited 0' },
    },
  },
  {
    name: 'fifo-open-restart',
    proves: 'open() of a FIFO, blocked until a writer opens it and interrupted by a handler, is restarted (SA_RESTART)',
    expect: {
      a: { out: ['waiting', 'usr1', 'got hello'], end: 'exited 0' },
      b: { out: ['opening'], end: 'exited 0' },
    },
    order: [['a: usr1', 'b: opening'], ['b: opening', 'a: got hello']],
  },
  {
    name: 'lock-restart',
    proves: 'fcntl(F_SETLKW) waiting for a lock, interrupted by a handler, is restarted (SA_RESTART) and takes the lock once it is free',
    expect: {
      a: { out: ['locking', 'usr1', 'locked'], end: 'exited 0' },
      b: { out: ['unlocking'], end: 'exited 0' },
    },
    order: [['a: usr1', 'b: unlocking'], ['b: unlocking', 'a: locked']],
  },
  {
    name: 'accept-restart',
    proves: 'accept() on a Unix stream socket, interrupted by a handler, is restarted (SA_RESTART) and accepts the later connection',
    expect: {
      a: { out: ['waiting', 'usr1', 'got hello'], end: 'exited 0' },
      b: { out: ['connecting'], end: 'exited 0' },
    },
    order: [['a: usr1', 'b: connecting'], ['b: connecting', 'a: got hello']],
  },
  {
    name: 'signal-channel-other',
    proves: 'recv on a signal channel is not ended by another signal\'s handler: it waits on until its own signal comes',
    expect: {
      a: { out: ['waiting', 'usr2', 'got sig'], end: 'exited 0' },
      b: { out: ['sending'], end: 'exited 0' },
    },
    order: [['a: usr2', 'b: sending'], ['b: sending', 'a: got sig']],
  },
  {
    name: 'pause-returns',
    proves: 'pause() returns once a handler has run, and only then',
    expect: {
      a: { out: ['before', 'usr2', 'after'], end: 'exited 0' },
      b: { out: ['sending'], end: 'exited 0' },
    },
    order: [['a: before', 'b: sending'], ['b: sending', 'a: usr2']],
  },
  // 7. sleep interrupted by a handler
  {
    name: 'sleep-full-time',
    proves: 'a sleep interrupted by a handler sleeps the rest of its time: a wakes after b\'s line at 400 ms, not at the signal at 200 ms',
    expect: {
      a: { out: ['sleeping', 'usr1', 'awake'], end: 'exited 0' },
      b: { out: ['b at 400 ms'], end: 'exited 0' },
    },
    order: [['a: usr1', 'b: b at 400 ms'], ['b: b at 400 ms', 'a: awake']],
  },
  // 3. exit in a handler
  {
    name: 'exit-in-handler',
    proves: 'on SIGTERM { print; exit 3 } run while blocked in read(): exited 3 with its line; the writer then dies of SIGPIPE',
    expect: {
      a: { out: ['ready', 'bye'], end: 'exited 3' },
      b: { out: [], end: 'killed by SIGPIPE' },
      server: { out: ['kill a SIGTERM'] },
    },
    server: [{ wait: ['a', 'ready'] }, { kill: ['a', 'SIGTERM'] }],
    order: [['server: kill a SIGTERM', 'a: bye']],
  },
  // 4. default actions
  {
    name: 'sigpipe-handler',
    proves: 'a write to a pipe with no reader: SIGPIPE kills the writer, or, with on SIGPIPE, runs the handler and the program goes on',
    expect: {
      r: { out: ['closed'], end: 'exited 0' },
      w1: { out: [], end: 'killed by SIGPIPE' },
      w2: { out: ['caught SIGPIPE', 'still here'], end: 'exited 0' },
    },
  },
  {
    name: 'default-kill',
    proves: 'with no handler, SIGPIPE (sent with kill), SIGALRM, SIGUSR1, SIGUSR2, SIGTERM, SIGHUP, SIGINT, SIGQUIT and SIGKILL end the process',
    expect: Object.fromEntries(
      [['v_pipe', 'SIGPIPE'], ['v_alrm', 'SIGALRM'], ['v_usr1', 'SIGUSR1'], ['v_usr2', 'SIGUSR2'], ['v_term', 'SIGTERM'], ['v_hup', 'SIGHUP'], ['v_int', 'SIGINT'], ['v_quit', 'SIGQUIT'], ['v_kill', 'SIGKILL']]
        .map(([v, sig]) => [v, { out: ['ready'], end: `killed by ${sig}` }])
        .concat([['k', { out: [], end: 'exited 0' }]]),
    ),
  },
  {
    name: 'default-kill-msgrcv',
    proves: 'SIGTERM with no handler kills a process blocked in msgrcv(), also one that has a handler for another signal',
    expect: {
      m1: { out: ['waiting'], end: 'killed by SIGTERM' },
      m2: { out: ['waiting'], end: 'killed by SIGTERM' },
      k: { out: [], end: 'exited 0' },
    },
  },
  {
    name: 'default-ignored',
    proves: 'SIGCHLD, SIGWINCH and SIGCONT are ignored by default: nobody dies, sleep and msgrcv() go on, pause() does not return',
    expect: {
      s: { out: ['ready', 'survived'], end: 'exited 0' },
      m: { out: ['waiting', 'got hello'], end: 'exited 0' },
      p: { out: ['pausing', 'usr1', 'woke'], end: 'exited 0' },
      k: { out: ['now the message and SIGUSR1'], end: 'exited 0' },
    },
    order: [['k: now the message and SIGUSR1', 'm: got hello'], ['k: now the message and SIGUSR1', 'p: usr1']],
  },
  // 5. stop and continue
  {
    name: 'stop-cont-server',
    proves: 'SIGSTOP from the server stops a process blocked in read(): it runs nothing until SIGCONT, then reads and finishes',
    expect: {
      a: { out: ['ready', 'got x'], end: 'exited 0' },
      b: { out: ['sent'], end: 'exited 0' },
      server: { out: ['kill a SIGSTOP', 'a stopped', 'kill a SIGCONT'] },
    },
    server: stopA('SIGSTOP'),
    order: [['server: a stopped', 'b: sent'], ['b: sent', 'server: kill a SIGCONT'], ['server: kill a SIGCONT', 'a: got x']],
  },
  {
    name: 'tstp-cont-server',
    proves: 'SIGTSTP from the server stops the process (not discarded: its group is not orphaned) until SIGCONT',
    expect: {
      a: { out: ['ready', 'got x'], end: 'exited 0' },
      b: { out: ['sent'], end: 'exited 0' },
      server: { out: ['kill a SIGTSTP', 'a stopped', 'kill a SIGCONT'] },
    },
    server: stopA('SIGTSTP'),
    order: [['server: a stopped', 'b: sent'], ['b: sent', 'server: kill a SIGCONT'], ['server: kill a SIGCONT', 'a: got x']],
  },
  {
    name: 'tstp-cont-language',
    proves: 'SIGTSTP from another process stops it; SIGCONT continues it and runs its SIGCONT handler, then its sleep ends',
    expect: {
      a: { out: ['ready', 'continued', 'after sleep'], end: 'exited 0' },
      b: { out: ['continuing a'], end: 'exited 0' },
    },
    order: [['b: continuing a', 'a: continued']],
  },
  {
    name: 'tstp-daemon',
    files: 'tstp-cont-language',
    daemon: true,
    proves: 'as tstp-cont-language, with the server in a session of its own (systemd, a container, setsid): SIGTSTP still stops the process',
    expect: {
      a: { out: ['ready', 'continued', 'after sleep'], end: 'exited 0' },
      b: { out: ['continuing a'], end: 'exited 0' },
    },
    order: [['b: continuing a', 'a: continued']],
  },
  {
    name: 'self-stop',
    proves: 'a process that sends itself SIGSTOP stops in that statement until another process continues it',
    expect: {
      a: { out: ['stopping myself', 'continued'], end: 'exited 0' },
      b: { out: ['continuing a'], end: 'exited 0' },
    },
    order: [['b: continuing a', 'a: continued']],
  },
  // 6. a process signalling itself
  {
    name: 'self-signal',
    proves: 'a signal a process sends itself is handled before its next statement; with no handler it dies in that statement',
    expect: {
      a: { out: ['before', 'handler', 'after'], end: 'exited 0' },
      k: { out: ['before'], end: 'killed by SIGTERM' },
    },
  },
  {
    name: 'signal-ended',
    proves: 'signalling a process that has ended fails (kill: ESRCH), and the sender stops there with status 1',
    expect: {
      a: { out: ['bye'], end: 'exited 0' },
      b: { out: [], end: 'exited 1' },
    },
  },
  // 8. order of events
  {
    name: 'handler-sets-flag',
    proves: 'a variable set in a handler is seen by the main program spinning on it (volatile, as in C)',
    expect: {
      a: { out: ['spinning', 'done'], end: 'exited 0' },
      b: { out: ['sending'], end: 'exited 0' },
    },
    order: [['b: sending', 'a: done']],
  },
  {
    name: 'nested-handlers',
    proves: 'a handler is interrupted by another signal\'s handler and then finishes (its sleep too); pause() returns after both',
    expect: {
      a: { out: ['ready', 'in usr2', 'usr1', 'out usr2', 'after pause'], end: 'exited 0' },
      b: { out: ['sending usr1'], end: 'exited 0' },
    },
    order: [['a: in usr2', 'b: sending usr1'], ['b: sending usr1', 'a: usr1']],
  },
  {
    name: 'handler-interleaving',
    proves: 'a handler\'s line comes between the main program\'s lines where the signal came (main 2, handler, main 3)',
    expect: {
      a: { out: ['main 1', 'main 2', 'handler', 'main 3'], end: 'exited 0' },
      b: { out: ['signalling'], end: 'exited 0' },
    },
    order: [['a: main 2', 'b: signalling'], ['b: signalling', 'a: handler']],
  },
  {
    name: 'order-ping-pong',
    proves: 'lines of two processes taking turns (through pipes) come out in the order they were printed: ping 1, pong 1, ping 2...',
    expect: {
      a: { out: ['ping 1', 'ping 2', 'ping 3', 'ping 4', 'ping 5'], end: 'exited 0' },
      b: { out: ['pong 1', 'pong 2', 'pong 3', 'pong 4', 'pong 5'], end: 'exited 0' },
    },
    order: [1, 2, 3, 4].flatMap((i): [string, string][] => [[`a: ping ${i}`, `b: pong ${i}`], [`b: pong ${i}`, `a: ping ${i + 1}`]]),
  },
  // 7. errors as values (try, errno), not waiting, alarm, masks
  {
    name: 'nonblocking-eagain',
    proves: 'read(2) of an empty pipe with O_NONBLOCK fails with EAGAIN, which try gives the program; end of file is 0 bytes and no error',
    expect: {
      a: { out: ['empty: EAGAIN', "errno 0, got 'hi'", "errno 0, got ''"], end: 'exited 0' },
      b: { out: ['wrote'], end: 'exited 0' },
    },
    order: [['a: empty: EAGAIN', 'b: wrote'], ['b: wrote', "a: errno 0, got 'hi'"]],
  },
  {
    name: 'alarm-eintr',
    proves: 'alarm(2) with a handler installed without SA_RESTART: read() fails with EINTR; a blocked signal stays pending until sigsuspend() lets it in',
    expect: {
      a: { out: ['alarm', 'read: EINTR', 'pending', 'usr1', 'after suspend', 'got late'], end: 'exited 0' },
      b: { out: [], end: 'exited 0' },
    },
  },
  {
    name: 'sysv-nowait',
    proves: 'IPC_NOWAIT: msgrcv() of an empty queue fails with ENOMSG, msgsnd() to a full one with EAGAIN, and succeeds once there is room',
    expect: {
      a: { out: ['empty: ENOMSG', 'full after 2: EAGAIN', 'then errno 0'], end: 'exited 0' },
      b: { out: ['took one'], end: 'exited 0' },
    },
    order: [['a: full after 2: EAGAIN', 'b: took one'], ['b: took one', 'a: then errno 0']],
  },
  {
    name: 'sysv-e2big',
    proves: 'msgrcv() with room for fewer bytes than the message fails with E2BIG (the message stays) unless MSG_NOERROR cuts it; a negative type takes the lowest type first',
    expect: {
      a: { out: [], end: 'exited 0' },
      b: { out: ["E2BIG, m=''", 'noerror: hell', 'type -2: one', 'type -2: two'], end: 'exited 0' },
    },
  },
  {
    name: 'poll-timeout',
    proves: 'poll() times out with nothing ready, wakes on the pipe written to, reports a closed writer (POLLHUP, then a read of 0) and skips an fd of -1',
    expect: {
      a: { out: [], end: 'exited 0' },
      b: { out: [], end: 'exited 0' },
      w: { out: ["1: ''", '2: p from a', "3: p ''", '4: q from b'], end: 'exited 0' },
    },
  },
];

// ---- what one side did ---------------------------------------------------------------------

interface Side {
  /** Each process's stdout lines (and the server's). */
  lines: Record<string, string[]>;
  /** Each process's end: `exited 0`, `killed by SIGTERM`. */
  ends: Record<string, string>;
  /** Every line as `proc: text`, in the order they came out. */
  seq: string[];
  /** For failure messages. */
  raw: string;
  /** How the run ended (`finished`, `timeout`, `error`); the C's main() always finishes. */
  reason?: string;
}

function addLine(side: Side, proc: string, text: string): void {
  (side.lines[proc] ??= []).push(text);
  side.seq.push(`${proc}: ${text}`);
}

const C_TIMEOUT_MS = 5000;
const RUN_TIMEOUT_MS = 5000;

/** The SysV key ftok(dir, proj) gives, without proj: the C programs make theirs with ftok(".", 'F'). */
function ftokBase(dir: string): number {
  const st = fs.statSync(dir);
  return ((st.dev & 0xff) << 16) | (st.ino & 0xffff);
}

/** SysV queues, segments and semaphore sets of ours (by key) that are still there: removed, and named. */
function sysvLeft(base: number): string[] {
  const left: string[] = [];
  for (const [flag, rm] of [['-q', '-q'], ['-m', '-m'], ['-s', '-s']] as const) {
    let out = '';
    try {
      out = execFileSync('ipcs', [flag], { encoding: 'utf8' });
    } catch {
      continue;
    }
    for (const l of out.split('\n')) {
      const m = /^(0x[0-9a-f]+)\s+(\d+)/.exec(l);
      if (!m || (parseInt(m[1], 16) & 0xffffff) !== base) continue;
      left.push(`SysV ${flag} ${m[1]}`);
      try {
        execFileSync('ipcrm', [rm, m[2]]);
      } catch {
        // gone meanwhile
      }
    }
  }
  return left;
}

/**
 * POSIX names the C made (they carry its main()'s PID: /fid-PID-...): removed, and named. Queues
 * by their one name, /fid-PID-q, since /dev/mqueue may not be mounted.
 */
function namesLeft(pid: number): string[] {
  const left: string[] = [];
  try {
    sys.mqUnlink(`/fid-${pid}-q`);
    left.push(`POSIX queue /fid-${pid}-q`);
  } catch {
    // none: as it should be
  }
  for (const dir of ['/dev/shm', '/dev/mqueue']) {
    let names: string[] = [];
    try {
      names = fs.readdirSync(dir);
    } catch {
      continue;
    }
    for (const f of names) {
      if (!f.replace(/^sem\./, '').startsWith(`fid-${pid}-`)) continue;
      left.push(`${dir}/${f}`);
      fs.rmSync(`${dir}/${f}`, { force: true });
    }
  }
  return left;
}

/**
 * PIDs of the live processes (zombies are dead already) whose process group is pgid. While any
 * is alive, the group exists and no other process can get its id: they are the C's.
 */
function groupMembers(pgid: number): number[] {
  const out: number[] = [];
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const s = fs.readFileSync(`/proc/${d}/stat`, 'latin1');
      const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
      if (Number(f[2]) === pgid && f[0] !== 'Z') out.push(Number(d));
    } catch {
      // gone
    }
  }
  return out;
}

function compile(name: string, outDir: string): Promise<string> {
  const bin = path.join(outDir, name);
  return new Promise((resolve, reject) => {
    execFile('cc', ['-Wall', '-Werror', '-O1', `-I${caseDir}`, '-o', bin, path.join(caseDir, `${name}.c`), '-lrt', '-pthread'], (err, _o, stderr) => {
      if (err) reject(new Error(`cc ${name}.c failed:\n${stderr}`));
      else resolve(bin);
    });
  });
}

/** Runs the C: its main() puts itself in a group of its own (harness.h), so a hang is killed with the group. */
async function runC(t: TestContext, bin: string, cwd: string): Promise<Side> {
  const child = spawn(bin, [], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  const pid = child.pid!;
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
  child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
  let exited = false;
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const kill = (target: number) => {
    try {
      process.kill(target, 'SIGKILL');
    } catch {
      // gone
    }
  };
  /** A hung C: its children first, so that main() reaps them, says how they ended and removes its objects; then main(). */
  const stopHung = async () => {
    if (exited) return; // main() is reaped: its PID, the group's id, may be reused
    for (const p of groupMembers(pid)) if (p !== pid) kill(p);
    for (let i = 0; i < 100 && !exited; i++) await sleep(10);
    if (!exited) kill(-pid);
  };
  t.after(stopHung);
  let hung = false;
  const timer = setTimeout(() => {
    hung = true;
    void stopHung();
  }, C_TIMEOUT_MS);
  const [code, signal] = await new Promise<[number | null, string | null]>((resolve) => child.on('close', (c, s) => resolve([c, s])));
  exited = true;
  clearTimeout(timer);
  // nothing of the C may outlive it: processes of its group, names, SysV objects
  for (let i = 0; i < 50 && groupMembers(pid).length; i++) await sleep(10); // killed ones take a moment to go
  const left = [...groupMembers(pid).map((p) => `process ${p}`), ...namesLeft(pid), ...sysvLeft(ftokBase(cwd))];
  for (const p of groupMembers(pid)) kill(p);
  assert.deepEqual(left, [], `the C program left these behind${hung ? ` (it hung and was killed after ${C_TIMEOUT_MS} ms)` : ''}\n${stdout}\n${stderr}`);
  assert.ok(!hung, `the C program hung: its processes were killed after ${C_TIMEOUT_MS} ms\n${stdout}\n${stderr}`);
  assert.equal(signal, null, `the C program's main() was killed by ${signal}\n${stdout}\n${stderr}`);
  assert.equal(code, 0, `the C program's main() failed\n${stdout}\n${stderr}`);

  const side: Side = { lines: {}, ends: {}, seq: [], raw: '' };
  for (const l of stdout.split('\n')) {
    if (!l) continue;
    const m = /^\[([\w-]+)\] (.*)$/.exec(l);
    const e = /^([\w-]+): (exited \d+|killed by \w+)$/.exec(l);
    if (m) addLine(side, m[1], m[2]);
    else if (e) side.ends[e[1]] = e[2];
    else assert.fail(`the C printed a line that is neither "[name] text" nor an end: ${JSON.stringify(l)}`);
  }
  side.raw = [...side.seq, ...Object.entries(side.ends).map(([p, e]) => `${p}: ${e}`)].join('\n') + (stderr ? `\n--- stderr\n${stderr}` : '');
  return side;
}

async function stepOnRun(step: Step, run: Run, events: RunEvent[], log: (text: string) => void): Promise<void> {
  if ('wait' in step) {
    const [proc, line] = step.wait;
    const has = () => events.some((e) => e.type === 'stdout' && e.proc === proc) && `\n${stdoutOf(events, proc)}`.includes(`\n${line}\n`);
    await waitFor(events, () => has(), RUN_TIMEOUT_MS);
  } else if ('kill' in step) {
    const [proc, sig] = step.kill;
    log(`kill ${proc} ${sig}`);
    run.signal(proc, sig);
  } else if ('stopped' in step) {
    const proc = step.stopped;
    try {
      await waitFor(events, (e) => e.type === 'state' && e.proc === proc && e.state === 'stopped', 1500);
      log(`${proc} stopped`);
    } catch {
      log(`${proc} did not stop`);
    }
  } else {
    await new Promise((r) => setTimeout(r, step.sleep));
  }
}

function stdoutOf(events: RunEvent[], proc: string): string {
  return events.map((e) => (e.type === 'stdout' && e.proc === proc ? e.text : '')).join('');
}

/** A side from a run's events: each process's chunks split at newlines, the server's lines in between. */
function sideOfEvents(events: RunEvent[], serverLog: { at: number; text: string }[], end: End): Side {
  const side: Side = { lines: {}, ends: {}, seq: [], raw: '' };
  const log = [...serverLog];
  const partial = new Map<string, string>();
  const flushServer = (upTo: number) => {
    while (log.length && log[0].at <= upTo) addLine(side, 'server', log.shift()!.text);
  };
  events.forEach((e, i) => {
    flushServer(i);
    if (e.type !== 'stdout') return;
    const parts = ((partial.get(e.proc) ?? '') + e.text).split('\n');
    partial.set(e.proc, parts.pop()!);
    for (const l of parts) addLine(side, e.proc, l);
  });
  flushServer(Infinity);
  for (const [proc, rest] of partial) if (rest) addLine(side, proc, rest);
  for (const p of end.processes) side.ends[p.id] = p.outcome;
  const stderr = events.map((e) => (e.type === 'stderr' ? `[${e.proc}] ${e.text}` : '')).join('');
  side.raw = [...side.seq, ...end.processes.map((p) => `${p.id}: ${p.outcome}`)].join('\n') + (stderr ? `\n--- stderr\n${stderr}` : '');
  side.reason = end.reason;
  assert.deepEqual(end.leftovers, [], 'the run left these behind');
  return side;
}

/** The scenario run by the engine in this process, the server's steps played on it. */
async function runPlayground(t: TestContext, c: Case, scenario: unknown): Promise<Side> {
  /** The server's lines, with the number of events there were when each was logged. */
  const serverLog: { at: number; text: string }[] = [];
  let started: Run | null = null;
  t.after(async () => {
    if (started && !started.ended) await started.stop();
  });
  const r = await runIt(scenario, { timeoutMs: RUN_TIMEOUT_MS }, async (run, events) => {
    started = run;
    for (const step of c.server ?? []) await stepOnRun(step, run, events, (text) => serverLog.push({ at: events.length, text }));
  });
  const side = sideOfEvents(r.events, serverLog, r.end);
  assert.deepEqual(hostLeftovers(r.run.id), []);
  return side;
}

/**
 * The scenario run by `npm run scenario` in a session of its own (setsid), as a server started
 * by systemd, a container's init or nohup-and-exit runs: no terminal, and no parent in another
 * process group of its session.
 */
async function runDaemon(t: TestContext, file: string): Promise<Side> {
  const cli = spawn(process.execPath, ['--import', 'tsx', 'server/cli.ts', file, '--json', '--timeout', String(RUN_TIMEOUT_MS / 1000)], {
    cwd: path.join(here, '..'),
    detached: true, // setsid(): the CLI leads a new session and process group, and its run processes are in that group
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const pid = cli.pid!;
  let out = '';
  let err = '';
  cli.stdout.setEncoding('utf8').on('data', (x: string) => (out += x));
  cli.stderr.setEncoding('utf8').on('data', (x: string) => (err += x));
  let exited = false;
  t.after(async () => {
    if (exited) return;
    const kill = (sig: NodeJS.Signals) => {
      try {
        process.kill(-pid, sig);
      } catch {
        // the group is gone
      }
    };
    kill('SIGTERM'); // the CLI stops its run and cleans up
    await new Promise((r) => setTimeout(r, 2000));
    if (!exited) kill('SIGKILL');
  });
  await new Promise((resolve) => cli.on('close', resolve));
  exited = true;
  const events = out.split('\n').filter(Boolean).map((l) => JSON.parse(l) as RunEvent);
  const end = events.find((e): e is End => e.type === 'end');
  assert.ok(end, `the CLI gave no end\n${out}\n${err}`);
  return sideOfEvents(events, [], end);
}

function checkOrder(side: Side, order: [string, string][], who: string): void {
  for (const [first, then] of order) {
    const i = side.seq.indexOf(first);
    const j = side.seq.indexOf(then);
    assert.ok(i >= 0 && j >= 0 && i < j, `${who}: "${first}" should come before "${then}"\n${side.seq.join('\n')}`);
  }
}

// ---- the cases ------------------------------------------------------------------------------

describe('fidelity: the playground and hand-written C do the same', () => {
  let tmp = '';
  const bins = new Map<string, Promise<string>>();

  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ipcpg-fidelity-'));
    // every C, in the order of the cases, two at a time; each case waits for its own
    const queue = [...new Set(cases.map((c) => c.files ?? c.name))];
    const waiting = new Map<string, { resolve: (bin: string) => void; reject: (e: Error) => void }>();
    for (const name of queue) {
      const p = new Promise<string>((resolve, reject) => waiting.set(name, { resolve, reject }));
      p.catch(() => {}); // reported by its case
      bins.set(name, p);
    }
    const worker = async () => {
      for (let name = queue.shift(); name; name = queue.shift()) {
        const w = waiting.get(name)!;
        await compile(name, tmp).then(w.resolve, w.reject);
      }
    };
    void worker();
    void worker();
  });
  after(() => {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('every case has its scenario and its C, and nothing else is in the folder', () => {
    const files = fs.readdirSync(caseDir).sort();
    const want = [...new Set([...cases.flatMap((c) => [`${c.files ?? c.name}.c`, `${c.files ?? c.name}.json`]), 'harness.h'])].sort();
    assert.deepEqual(files, want);
  });

  for (const c of cases) {
    const todo = c.todo;
    it(`${c.name}: ${c.proves}`, todo ? { todo } : {}, async (t) => {
      const name = c.files ?? c.name;
      const file = path.join(caseDir, `${name}.json`);
      const bin = await bins.get(name)!;
      const cwd = fs.mkdtempSync(path.join(tmp, `${c.name}-`));
      const playground = c.daemon ? runDaemon(t, file) : runPlayground(t, c, JSON.parse(fs.readFileSync(file, 'utf8')));
      // both to the end (each cleans up after itself), then the first failure
      const [cRes, pgRes] = await Promise.allSettled([runC(t, bin, cwd), playground]);
      if (cRes.status === 'rejected') throw cRes.reason;
      if (pgRes.status === 'rejected') throw pgRes.reason;
      const [cSide, pgSide] = [cRes.value, pgRes.value];

      // the C does what the case says it proves
      for (const [proc, want] of Object.entries(c.expect)) {
        assert.deepEqual(cSide.lines[proc] ?? [], want.out, `C, ${proc}'s lines\n${cSide.raw}`);
        if (want.end) assert.equal(cSide.ends[proc], want.end, `C, how ${proc} ended\n${cSide.raw}`);
      }
      checkOrder(cSide, c.order ?? [], 'C');
      // and the playground does the same
      const procs = [...new Set([...Object.keys(cSide.lines), ...Object.keys(pgSide.lines)])].sort();
      for (const proc of procs) {
        assert.deepEqual(pgSide.lines[proc] ?? [], cSide.lines[proc] ?? [], `${proc}'s lines: playground (actual) vs C (expected)\n--- playground\n${pgSide.raw}\n--- C\n${cSide.raw}`);
      }
      assert.deepEqual(pgSide.ends, cSide.ends, `how each process ended: playground (actual) vs C (expected)\n--- playground\n${pgSide.raw}\n--- C\n${cSide.raw}`);
      checkOrder(pgSide, c.order ?? [], 'playground');
      assert.equal(pgSide.reason, 'finished', `the run ended by ${pgSide.reason}\n${pgSide.raw}`);
    });
  }
});
