// "The C behind it": a scenario as one C file that does what the playground does, with the
// real calls (pipe, mkfifo, sem_open, shm_open, msgget, mq_open, socket...). main() makes the
// kernel objects as the playground's server does, forks one child per process, waits for them
// all, reports each exit status as the CLI does, and removes every object. Each process is a
// function `process_NAME` whose statements are its program's, line by line, each under a
// `/* line N: ... */` comment. Isomorphic: no Node, no DOM (it runs in the browser too).

import { STDIN_CHANNEL, literalInt, type DescriptorStmt, type Expr, type Handler, type Program, type RecvStmt, type Stmt } from '../lang/ast';
import { ERRNO_VARIABLE } from '../lang/errors';
import { assigned, channelOf, channelsOf, exprsOf, tries, varsOf, walk } from '../lang/walk';
import { hostedMain } from './hosted';
import { MECHANISMS, optionsWithDefaults, symmetric } from '../mechanisms';
import { DEFAULT_LIMITS, endOf, members, procsAt, type Scenario } from '../scenario';
import { ExprGen, MAX_TEXT, MAX_TEXT_SIZE, bytes, declOf, fill, type ExprEnv, type Size, type Ty, type VarInfo } from './expr';
import { CATCH_SIGNAL, LEN, MASK, NBYTES, READ_LINE, SLEEP_MS, STATUS, checkLength } from './helpers';
import { analyseLocks, type LockState } from './locks';
import { cgenMechanisms } from './mechanisms/registry';
import { streamReceive } from './mechanisms/stream';
import type { Bytes, CHelper, CMechanism, Chan, EndCtx, FnCtx, ObjectCtx, Receive, Scratch, StmtCtx } from './mechanisms/types';
import { Names, byteLength, cString, commentSafe, enumName, ident } from './text';
import { acceptsOn, connectionChan, connectionIds, descriptorC } from './descriptors';
import { connectionOf } from '../lang/sockets';

export interface ProcessCode {
  /** First and last line (1-based, inclusive) of the process's section: its handlers and its function. */
  start: number;
  end: number;
  /** Program line -> the C line of its `/* line N: ... *\/` comment. */
  lines: Record<number, number>;
}

export interface GeneratedC {
  /** The whole program: standalone, it makes the objects and forks; under the playground, hosted.c includes it. */
  source: string;
  /**
   * What the playground compiles: defines AT_LINE as the runtime's gate, includes `source` (its main()
   * renamed), and a main() that takes the server's objects (argv key=value) and runs one process.
   */
  hosted: string;
  /** A file name for the source, from the title: `pipe-parent-to-child.c`. */
  fileName: string;
  perProcess: Record<string, ProcessCode>;
}

/** The C file of a validated scenario (`validateScenario(json)` gives both arguments). */
export interface CGenOptions {
  /** The playground's limit on one message (IPCPG_MESSAGE_BYTES): a longer one built at run time stops the process. */
  messageBytes?: number;
}

export function generateC(scenario: Scenario, programs: Record<string, Program>, opts: CGenOptions = {}): GeneratedC {
  return new CGen(scenario, programs, opts.messageBytes ?? DEFAULT_LIMITS.messageBytes).run();
}

/** The C of one process, for a view of that process alone: its section of the file (shared variables, handlers, its function). */
export function processExcerpt(gen: GeneratedC, procId: string): string {
  const r = gen.perProcess[procId];
  if (!r) return '';
  return gen.source.split('\n').slice(r.start - 1, r.end).join('\n') + '\n';
}

// ---- scenario analysis ---------------------------------------------------------------------

/** Grace between SIGTERM and SIGKILL when stopping, as the playground's. */
const KILL_GRACE_MS = 300;

/** A program variable's name in C: errno is the C library's, so the program's copy of it is err. */
const cVarName = (v: string): string => (v === ERRNO_VARIABLE ? 'err' : v);

/** Each channel's mechanism, as the generator asks it for C. */
const mechOf = (ch: Chan): CMechanism => ch.impl ?? cgenMechanisms[ch.mech];

/** `stdin`: the process's fd 0, read as a pipe is (the server gives each process a pipe or end of file there). */
const STDIN: Chan = { id: STDIN_CHANNEL, label: 'stdin', base: 'stdin', mech: 'pipe', opts: {}, links: [], g: {} };
const STDIN_RECEIVE: Receive = {
  ...streamReceive('read', () => 'STDIN_FILENO'),
  takesCount: false,
  terminates: true,
  into: (c, _r, dest) => {
    c.use(READ_LINE);
    return [`nbytes = read_line(${dest}, sizeof ${dest});${c.note('one line, without its newline; 0 at end of file')}`, c.checkReceived('read')];
  },
};

/** How a recv on the channel takes its bytes (none: a signal or a semaphore). */
const receiveOf = (ch: Chan) => (ch === STDIN ? STDIN_RECEIVE : mechOf(ch).receive);

/** The global that counts deliveries of a signal a signal channel carries. */
const deliveries = (sig: string): string => `got_${sig}`;

/** Scratch variables and helpers in the order they are declared or written. */
const byRank = <T extends { rank: number }>(xs: Iterable<T>): T[] => [...xs].sort((a, b) => a.rank - b.rank);

/** The statements of the program language that act on a channel with a verb of its mechanism. */
type VerbStmt = Extract<Stmt, { kind: 'send' | 'close' | 'write' | 'read' | 'lock' | 'unlock' | 'wait' | 'post' | 'trywait' }>;

interface Proc {
  id: string;
  name: string;
  idx: number;
  prog: Program;
  src: string[];
  fn: string;
  en: string;
  scope: Names;
  vars: Map<string, VarInfo>;
  read: Set<string>;
  sharedVars: Set<string>;
  sharedChans: Set<string>;
  /** Per channel, this process's C names for its end, by the keys of its mechanism's endLocals. */
  loc: Map<string, Record<string, string>>;
  /** Signals it catches: the handler function, whether deliveries are counted (a signal channel), the program's handler. */
  catches: Map<string, { fn: string; counted: boolean; handler?: Handler }>;
  /** Lockable channels whose lock state is tracked at run time, and the state at each statement (locks.ts). */
  lockDynamic: Set<string>;
  lockAt: Map<Stmt, Map<string, LockState>>;
  /** Channels opened on first use (FIFOs, stream sockets): the top-level statement that opens it first, or null: its first use does. */
  openAt: Map<string, Stmt | null>;
  /** Comment-only program lines, by the handler they belong to (null: the main program). */
  comments: Map<number, Handler | null>;
  /** Counters of plain for loops: read by the loop itself. */
  loopCounters: Set<string>;
  /** Channels the program names (accept aside, and poll where it accepts: they use the listening socket only). */
  uses: Set<string>;
  /** Channels it receives on (recv, while recv). */
  receives: Set<string>;
  /** It has a poll statement: a closed end's fd becomes -1. */
  polls: boolean;
}

// ---- output --------------------------------------------------------------------------------

/** One C function being written: its lines, locals and scratch buffers. */
/** Marks the line that guards a try statement's call on an end it opened on first use (Emitter.stmt closes it). */
const OPEN_GUARD = '\u0000guard\u0000';

class Fn {
  lines: string[] = [];
  ind = 1;
  /** Program line -> index in lines. */
  map = new Map<number, number>();
  temps = new Map<string, number>();
  private tempN = 0;
  /** Scratch variables it declares. */
  needs = new Set<Scratch>();
  message = 0;
  discard = 0;
  /** Comment lines already written. */
  done = new Set<number>();
  /** Channels opened on first use that are certainly open at this point of the code (by id). */
  open = new Set<string>();
  pre: string[] = [];
  /** While a statement written with try is compiled: the C variable its failure sets (errno's copy). */
  err?: string;

  constructor(readonly handler: boolean) {}

  emit(text: string): void {
    for (const l of text.split('\n')) this.lines.push(l ? '    '.repeat(this.ind) + l : '');
  }
  temp(bytes: number): string {
    const name = `tmp${++this.tempN}`;
    this.temps.set(name, Math.max(this.temps.get(name) ?? 0, Math.min(bytes, MAX_TEXT) + 1));
    return name;
  }
  /** A new statement: scratch buffers may be reused. */
  statement(): void {
    this.tempN = 0;
    this.pre = [];
  }
  private noted = new Set<string>();
  /** An explanation, the first time only in this function: "   /* text *\/" or "". */
  note(text: string): string {
    if (this.noted.has(text)) return '';
    this.noted.add(text);
    return `   /* ${text} */`;
  }
  flushPre(): void {
    for (const p of this.pre) this.emit(p);
    this.pre = [];
  }
}

class CGen {
  private g = new Names();
  private helpers = new Set<CHelper>();
  private inc = new Set<string>(['stdio.h', 'stdlib.h', 'string.h', 'unistd.h', 'errno.h', 'signal.h', 'sys/types.h', 'sys/wait.h', 'sys/mman.h']);
  private chans: Chan[] = [];
  private chan = new Map<string, Chan>([[STDIN_CHANNEL, STDIN]]);
  private procs: Proc[] = [];
  private proc = new Map<string, Proc>();
  /** Signals that signal channels carry: their receivers count deliveries. */
  private counted = new Set<string>();
  private usesMaxText = false;
  /** Some code names a PID (kill): pid_of must be in memory shared with the children. */
  private needPidTable = false;
  private needRunDir = false;
  private checkLength: CHelper;

  constructor(
    private sc: Scenario,
    private programs: Record<string, Program>,
    private messageBytes: number,
  ) {
    this.checkLength = checkLength(messageBytes);
  }

  run(): GeneratedC {
    this.analyse();
    const sections = this.procs.map((p) => this.processSection(p));
    const setup = this.createObjects();
    const cleanup = this.removeObjects();
    const main = this.mainFn();
    const helpers = this.helperFns();
    const head = this.header();

    const out: string[] = [...head, ...helpers, ...this.globals()];
    const perProcess: Record<string, ProcessCode> = {};
    for (const [i, sec] of sections.entries()) {
      const p = this.procs[i];
      out.push('');
      const start = out.length + 1;
      const lines: Record<number, number> = {};
      for (const [pl, idx] of sec.map) lines[pl] = start + idx;
      out.push(...sec.lines);
      perProcess[p.id] = { start, end: out.length, lines };
    }
    out.push('', ...setup, '', ...cleanup, '', ...main);
    const fileName = this.fileName();
    return { source: out.join('\n') + '\n', hosted: this.hosted(fileName), fileName, perProcess };
  }

  /** The playground's main(): one process of this file, with the objects the server made. */
  private hosted(fileName: string): string {
    const attach: string[] = [];
    this.chans.forEach((ch, i) => attach.push(...(mechOf(ch).attach?.(ch, (what) => `"${i}.${what}"`) ?? [])));
    if (this.needPidTable) attach.push('pid_of = ipcpg_pids();   /* the server fills it in before the start */');
    return hostedMain(fileName, attach);
  }

  private fileName(): string {
    const slug = (this.sc.title || 'scenario').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 48);
    return `${slug || 'scenario'}.c`;
  }

  // ---- analysis ----

  private analyse(): void {
    const bases = new Set<string>();
    for (const c of this.sc.channels) {
      const label = c.label ?? c.id;
      // the channel's name in C and in file and object names, unique (labels a-b and a_b differ)
      let base = ident(label);
      for (let k = 2; bases.has(base); k++) base = `${ident(label)}_${k}`;
      bases.add(base);
      const ch: Chan = { id: c.id, label, base, mech: c.mechanism, opts: optionsWithDefaults(c.mechanism, c.options), links: c.links, g: {} };
      const m = mechOf(ch);
      for (const [k, want] of Object.entries(m.globalNames(ch.base))) ch.g[k] = this.g.take(want);
      if (m.runDir) this.needRunDir = true;
      const sig = m.countedSignal?.(ch);
      if (sig) this.counted.add(sig);
      this.chans.push(ch);
      this.chan.set(ch.id, ch);
    }
    for (const sig of this.counted) this.g.claim(deliveries(sig));

    // first pass: every name at file scope, before any function's scope copies them
    this.sc.processes.forEach((p, idx) => {
      const prog = this.programs[p.id] ?? { body: [], handlers: [] };
      const pr: Proc = {
        id: p.id, name: p.name, idx, prog, src: p.program.split('\n'), fn: this.g.take(`process_${ident(p.name)}`), en: '',
        scope: this.g, vars: new Map(), read: new Set(), sharedVars: new Set(), sharedChans: new Set(), loc: new Map(),
        catches: new Map(), lockDynamic: new Set(), lockAt: new Map(), openAt: new Map(), comments: new Map(), loopCounters: new Set(), uses: new Set(),
        receives: new Set(),
        polls: false,
      };
      this.procs.push(pr);
      this.proc.set(p.id, pr);
    });
    const enums = new Names();
    for (const pr of this.procs) {
      pr.en = enums.take(enumName(pr.name));
      this.g.claim(pr.en);
    }
    for (const pr of this.procs) {
      for (const h of pr.prog.handlers) {
        walk(h.body, (s) => {
          for (const e of exprsOf(s)) for (const v of varsOf(e)) pr.sharedVars.add(v);
          const a = assigned(s);
          if (a) pr.sharedVars.add(a);
          if (tries(s)) pr.sharedVars.add(ERRNO_VARIABLE);
          for (const c of channelsOf(s)) pr.sharedChans.add(c);
        });
      }
      // a connection a handler uses: its variable too
      for (const c of pr.sharedChans) if (connectionOf(c)) pr.sharedVars.add(connectionOf(c)!.name);
      pr.sharedVars.delete('pid');
      // a signal channel's receiver catches its signal, and counts deliveries for recv
      const countedHere = (ch: Chan) => (endOf(ch, pr.id) === 'to' ? mechOf(ch).countedSignal?.(ch) : undefined);
      const sigs = new Set<string>(pr.prog.handlers.map((h) => h.signal));
      for (const ch of this.chans) {
        const sig = countedHere(ch);
        if (sig) sigs.add(sig);
      }
      for (const sig of sigs) {
        const h = pr.prog.handlers.find((x) => x.signal === sig);
        const counted = this.chans.some((ch) => countedHere(ch) === sig);
        pr.catches.set(sig, { fn: this.g.take(`${ident(pr.name)}_on_${sig}`), counted, handler: h });
      }
      const prefix = ident(pr.name);
      for (const v of pr.sharedVars) pr.vars.set(v, { c: this.g.take(`${prefix}_${cVarName(v)}`), ty: 'int', size: { n: 0, c: '0' } });
      for (const ch of this.chans) {
        const role = endOf(ch, pr.id);
        if (!role) continue;
        const shared = pr.sharedChans.has(ch.id);
        const take = (want: string) => (shared ? this.g.take(`${prefix}_${want}`) : want);
        const loc: Record<string, string> = {};
        for (const k of mechOf(ch).endLocals?.(ch, role) ?? []) loc[k] = take(`${k}_${ch.base}`);
        pr.loc.set(ch.id, loc);
      }
    }
    for (const pr of this.procs) for (const id of connectionIds(pr.prog)) if (!this.chan.has(id)) this.chan.set(id, connectionChan(id));
    // second pass: each function's own scope
    for (const pr of this.procs) {
      pr.scope = new Names(this.g);
      for (const [id, loc] of pr.loc) {
        if (pr.sharedChans.has(id)) continue;
        for (const k of Object.keys(loc)) loc[k] = pr.scope.take(loc[k]);
      }
      this.inferVars(pr);
      for (const id of connectionIds(pr.prog)) pr.loc.set(id, { fd: pr.vars.get(connectionOf(id)!.name)!.c });
      const lockable = this.chans.filter((c) => mechOf(c).verbs.lock && endOf(c, pr.id)).map((c) => c.id);
      ({ at: pr.lockAt, dynamic: pr.lockDynamic } = analyseLocks(pr.prog, lockable));
      this.planOpens(pr);
      this.assignComments(pr);
      walk([...pr.prog.body, ...pr.prog.handlers.flatMap((h) => h.body)], (s) => {
        for (const e of exprsOf(s)) for (const v of varsOf(e)) pr.read.add(v);
        const c = channelOf(s);
        for (const u of channelsOf(s)) {
          // accept, and poll in a process that accepts, take the listening socket, not the end opened on first use
          if (s.kind !== 'accept' && !((s.kind === 'poll' || s.kind === 'nonblocking') && acceptsOn(pr.prog, u))) pr.uses.add(u);
          if (connectionOf(u)) pr.read.add(connectionOf(u)!.name); // its descriptor is read by the call
        }
        if (s.kind === 'poll') pr.polls = true;
        if (c && (s.kind === 'recv' || s.kind === 'whileRecv')) pr.receives.add(c);
      });
    }
  }

  /** Types (text wins) and sizes of the program's variables, to a fixed point. */
  private inferVars(pr: Proc): void {
    type Src = { name: string; ty?: Ty; size?: Size; expr?: Expr };
    const srcs: Src[] = [];
    const all = [...pr.prog.body, ...pr.prog.handlers.flatMap((h) => h.body)];
    walk(all, (s) => {
      if (tries(s)) srcs.push({ name: ERRNO_VARIABLE, ty: 'int' });
      switch (s.kind) {
        case 'set':
          srcs.push({ name: s.name, expr: s.value });
          break;
        case 'recv':
        case 'whileRecv': {
          const r = s.kind === 'recv' ? s : s.recv;
          const ch = this.chan.get(r.channel.id!);
          const rx = ch && receiveOf(ch);
          if (r.into && rx) srcs.push({ name: r.into, ty: 'text', size: rx.size(ch, r) });
          break;
        }
        case 'read': {
          const ch = this.chan.get(s.channel.id!)!;
          srcs.push({ name: s.into, ty: 'text', size: mechOf(ch).readSize!(ch, s) });
          break;
        }
        case 'trywait':
        case 'accept':
        case 'recvfd':
          srcs.push({ name: s.into, ty: 'int' });
          break;
        case 'fork':
        case 'waitpid':
          if (s.into) srcs.push({ name: s.into, ty: 'int' });
          break;
        case 'poll':
          srcs.push({ name: s.into, ty: 'text', size: bytes(Math.max(...s.channels.map((c) => byteLength(c.name)))) });
          break;
        case 'repeat':
          srcs.push({ name: s.counter, ty: 'int' });
          break;
      }
    });
    const info = pr.vars;
    for (const s of srcs) {
      if (!info.has(s.name)) info.set(s.name, { c: pr.scope.take(cVarName(s.name)), ty: 'int', size: { n: 0, c: '0' } });
    }
    const env: ExprEnv = {
      v: (n) => info.get(n) ?? { c: n, ty: 'int', size: { n: 0, c: '0' } },
      temp: () => 'tmp',
      pre: [],
      use: () => {},
    };
    const eg = new ExprGen(env);
    for (let changed = true; changed; ) {
      changed = false;
      for (const s of srcs) {
        const v = info.get(s.name)!;
        if (v.ty === 'int' && (s.ty ?? eg.ty(s.expr!)) === 'text') {
          v.ty = 'text';
          changed = true;
        }
      }
    }
    for (let round = 0, changed = true; changed; round++) {
      changed = false;
      for (const s of srcs) {
        const v = info.get(s.name)!;
        if (v.ty !== 'text') continue;
        const want = s.size ?? (s.ty === 'int' || eg.ty(s.expr!) === 'int' ? { n: 20, c: '20' } : { n: eg.bound(s.expr!), c: String(eg.bound(s.expr!)) });
        if (want.n > v.size.n) {
          v.size = round > 20 ? MAX_TEXT_SIZE : want;
          changed = true;
        } else if (want.n === v.size.n && want.decl && !v.size.decl) {
          v.size = want;
        }
      }
    }
    for (const v of info.values()) if (v.ty === 'text' && declOf(v.size).includes('MAX_TEXT')) this.usesMaxText = true;
  }

  /** Channels opened on first use (FIFOs, stream sockets): right before it, when that is a top-level statement. */
  private planOpens(pr: Proc): void {
    for (const ch of this.chans) {
      if (!mechOf(ch).openOnFirstUse || !endOf(ch, pr.id)) continue;
      let first: Stmt | undefined;
      let firstTop = false;
      const top = new Set(pr.prog.body);
      walk(pr.prog.body, (s) => {
        if (!channelsOf(s).includes(ch.id)) return;
        if (!first || s.pos.line < first.pos.line || (s.pos.line === first.pos.line && s.pos.col < first.pos.col)) {
          first = s;
          firstTop = top.has(s);
        }
      });
      pr.openAt.set(ch.id, first && firstTop && !pr.sharedChans.has(ch.id) ? first : null);
    }
  }

  /** Comment-only lines: inside a handler or just above it go with the handler, the rest with the main program. */
  private assignComments(pr: Proc): void {
    const isComment = (l: string) => /^\s*#/.test(l);
    const spans = pr.prog.handlers.map((h) => {
      let last = h.pos.line;
      walk(h.body, (s) => (last = Math.max(last, s.pos.line)));
      let first = h.pos.line;
      while (first > 1 && isComment(pr.src[first - 2])) first--;
      return { h, first, last: last + 1 };
    });
    pr.src.forEach((l, i) => {
      if (!isComment(l)) return;
      const line = i + 1;
      const span = spans.find((s) => line >= s.first && line <= s.last);
      pr.comments.set(line, span ? span.h : null);
    });
  }

  // ---- processes ----

  private processSection(pr: Proc): { lines: string[]; map: Map<number, number> } {
    const lines: string[] = [];
    const map = new Map<number, number>();
    lines.push(`/* ======== process "${pr.name}" ${'='.repeat(Math.max(4, 60 - pr.name.length))} */`);
    // variables and channel ends a signal handler shares with the main program live at file scope
    const shared: string[] = [];
    for (const v of pr.sharedVars) {
      const info = pr.vars.get(v);
      if (info) shared.push(this.varDecl(info, true));
    }
    for (const id of pr.sharedChans) shared.push(...this.chanLocalDecls(pr, this.chan.get(id)!, true));
    if (shared.length) {
      lines.push('', `/* shared by ${pr.name}'s main program and its signal handlers */`, ...shared);
    }
    for (const [sig, c] of pr.catches) {
      const fn = new Fn(true);
      const body: string[] = [];
      if (c.counted) body.push(`${deliveries(sig)}++;   /* one more delivery, for recv on the ${sig} channel */`);
      const above = c.handler ? [...pr.comments].filter(([l, h]) => h === c.handler && l < c.handler!.pos.line).map(([l]) => l) : [];
      for (const l of above) fn.done.add(l);
      if (c.handler && c.handler.body.length) {
        fn.map.set(c.handler.pos.line, -1); // its comment is above the function
        const restores = c.handler.body[c.handler.body.length - 1].kind !== 'exit';
        if (restores) fn.emit(`int saved_errno = errno;   /* the interrupted code may be about to look at errno */`);
        this.block(pr, fn, c.handler.body, c.handler);
        if (restores) fn.emit('errno = saved_errno;');
        fn.map.delete(c.handler.pos.line);
      }
      lines.push('');
      if (c.handler) {
        const src = pr.src[c.handler.pos.line - 1] ?? '';
        for (const l of above) lines.push(`/* line ${l}: ${commentSafe(pr.src[l - 1].trim())} */`);
        map.set(c.handler.pos.line, lines.length);
        lines.push(`/* line ${c.handler.pos.line}: ${commentSafe(src.trim())} */`);
        lines.push(`/* runs when ${sig} arrives, as sigaction(2) installs it. Only async-signal-safe calls here: write(2), not printf(3). */`);
      } else {
        lines.push(`/* ${sig} is caught and counted, so that recv on its channel can wait for it (and it does not kill ${pr.name}) */`);
      }
      lines.push(`static void ${c.fn}(int sig)`, '{', '    (void)sig;');
      lines.push(...body.map((b) => '    ' + b));
      const base = lines.length;
      lines.push(...this.fnLocals(fn), ...fn.lines);
      const shift = lines.length - base - fn.lines.length;
      for (const [pl, idx] of fn.map) map.set(pl, base + shift + idx);
      lines.push('}');
    }

    const fn = new Fn(false);
    this.preamble(pr, fn);
    this.block(pr, fn, pr.prog.body, null);
    // comment lines after the last statement
    for (const [l, h] of pr.comments) if (h === null && !fn.done.has(l)) fn.emit(`/* line ${l}: ${commentSafe(pr.src[l - 1].trim())} */`);
    const last = pr.prog.body[pr.prog.body.length - 1];
    if (!last || last.kind !== 'exit') fn.emit('return 0;');

    lines.push('', `static int ${pr.fn}(void)`, '{');
    const decls = [...this.varDecls(pr), ...this.fnLocals(fn)];
    for (const ch of this.chans) {
      if (endOf(ch, pr.id) && !pr.sharedChans.has(ch.id)) decls.push(...this.chanLocalDecls(pr, ch, false));
    }
    const unread = [...pr.vars.entries()].filter(([v, info]) => !pr.read.has(v) && !pr.loopCounters.has(v) && info.ty === 'int' && !pr.sharedVars.has(v));
    lines.push(...decls);
    if (unread.length) lines.push(`    ${unread.map(([, i]) => `(void)${i.c};`).join(' ')}   /* set, never read */`);
    if (decls.length || unread.length) lines.push('');
    const base = lines.length;
    lines.push(...fn.lines, '}');
    for (const [pl, idx] of fn.map) map.set(pl, base + idx);
    return { lines, map };
  }

  private varDecl(v: VarInfo, fileScope: boolean): string {
    // volatile: a signal handler may change it between any two instructions of the main program
    const pre = fileScope ? 'static ' : '    ';
    return v.ty === 'int' ? `${pre}${fileScope ? 'volatile ' : ''}long ${v.c} = 0;` : `${pre}char ${v.c}[${declOf(v.size)}] = "";`;
  }

  private varDecls(pr: Proc): string[] {
    const out: string[] = [];
    for (const [name, v] of pr.vars) if (!pr.sharedVars.has(name)) out.push(this.varDecl(v, false));
    return out;
  }

  private fnLocals(fn: Fn): string[] {
    const out: string[] = [];
    const ind = '    ';
    for (const s of byRank(fn.needs)) for (const d of s.decl) out.push(`${ind}${d}`);
    if (fn.message) out.push(`${ind}char message[${fn.message >= MAX_TEXT + 1 ? 'MAX_TEXT + 1' : fn.message}];`);
    if (fn.discard) out.push(`${ind}char discard[${fn.discard >= MAX_TEXT + 1 ? 'MAX_TEXT + 1' : fn.discard}];   /* recv without "as": the data is dropped */`);
    for (const [t, n] of fn.temps) out.push(`${ind}char ${t}[${n >= MAX_TEXT + 1 ? 'MAX_TEXT + 1' : n}];`);
    if (fn.message >= MAX_TEXT + 1 || fn.discard >= MAX_TEXT + 1 || [...fn.temps.values()].some((n) => n >= MAX_TEXT + 1)) this.usesMaxText = true;
    return out;
  }

  /** A process's declarations of its end of a channel: in its function, or at file scope when a handler uses it. */
  private chanLocalDecls(pr: Proc, ch: Chan, fileScope: boolean): string[] {
    const m = mechOf(ch);
    // a channel opened on first use that the program never names is never opened: nothing to declare
    if (m.openOnFirstUse && !pr.uses.has(ch.id)) return [];
    return m.declareEnd?.(this.end(pr, ch), fileScope ? 'static ' : '    ') ?? [];
  }

  /** A process's end of a channel, as its mechanism sees it. */
  private end(pr: Proc, ch: Chan): EndCtx {
    return {
      ch,
      // every process reads its own stdin; a connection has no end (its role is never asked)
      role: ch === STDIN || ch.impl ? 'to' : endOf(ch, pr.id)!,
      loc: pr.loc.get(ch.id) ?? {},
      proc: pr.name,
      receives: pr.receives.has(ch.id),
      lockFlag: pr.lockDynamic.has(ch.id),
    };
  }

  private fnCtx(fn: Fn): FnCtx {
    return { note: (text) => fn.note(text), need: (s) => fn.needs.add(s) };
  }

  /** Before the start: close what is not ours, install handlers, open our ends, then wait for the others. */
  private preamble(pr: Proc, fn: Fn): void {
    const notOurs: string[] = [];
    for (const ch of this.chans) notOurs.push(...(mechOf(ch).closeUnused?.(ch, endOf(ch, pr.id)) ?? []));
    if (notOurs.length) {
      const why = this.chans.map((c) => mechOf(c).closeWhy).find((w) => w);
      fn.emit(`/* close the inherited fds ${pr.name} does not use${why ? `: ${why}` : ''} */`);
      for (let i = 0; i < notOurs.length; i += 4) fn.emit(notOurs.slice(i, i + 4).join(' '));
    }
    for (const [sig, c] of pr.catches) {
      this.helpers.add(CATCH_SIGNAL);
      fn.emit(`catch_signal(${sig}, ${c.fn}, ${c.handler?.interrupts ? '0' : 'SA_RESTART'});`);
    }
    for (const ch of this.chans) {
      if (!endOf(ch, pr.id)) continue;
      for (const l of mechOf(ch).openEnd?.(this.end(pr, ch), this.fnCtx(fn)) ?? []) fn.emit(l);
    }
    fn.emit('wait_for_start();');
    fn.emit('');
  }

  // ---- statements ----

  private env(pr: Proc, fn: Fn): ExprEnv {
    return {
      v: (n) => pr.vars.get(n)!,
      temp: (bytes) => fn.temp(bytes),
      pre: fn.pre,
      use: (h) => this.helpers.add(h),
    };
  }

  private eg(pr: Proc, fn: Fn): ExprGen {
    fn.pre = [];
    const env = this.env(pr, fn);
    env.pre = fn.pre;
    return new ExprGen(env);
  }

  /** The `/* line N: ... *\/` comment of a statement (once per program line), with comment lines before it. */
  private lineComment(pr: Proc, fn: Fn, s: { pos: { line: number } }, owner: Handler | null): void {
    for (const [l, h] of pr.comments) {
      if (h === owner && l < s.pos.line && !fn.done.has(l)) {
        fn.done.add(l);
        fn.emit(`/* line ${l}: ${commentSafe(pr.src[l - 1].trim())} */`);
      }
    }
    const line = s.pos.line;
    if (fn.map.has(line)) return;
    fn.map.set(line, fn.lines.length);
    fn.emit(`/* line ${line}: ${commentSafe((pr.src[line - 1] ?? '').trim())} */`);
  }

  private block(pr: Proc, fn: Fn, list: Stmt[], owner: Handler | null): void {
    // what a block opens is open for the rest of it, not after it (it may not have run)
    const open = new Set(fn.open);
    for (const s of list) this.stmt(pr, fn, s, owner);
    fn.open = open;
  }

  private body(pr: Proc, fn: Fn, list: Stmt[], owner: Handler | null): void {
    fn.ind++;
    this.block(pr, fn, list, owner);
    fn.ind--;
  }

  private assignInt(v: VarInfo, c: string): string {
    return v.ty === 'int' ? `${v.c} = ${c};` : `snprintf(${v.c}, sizeof ${v.c}, "%ld", (long)(${c}));`;
  }

  /** The bytes of a send / write: a pointer and a length, after any lines that build them (into: a buffer of max bytes). */
  private data(pr: Proc, fn: Fn, eg: ExprGen, e: Expr, into?: { buf: string; max: number }): Bytes {
    const k = eg.constText(e);
    if (k !== undefined && !into) return { ptr: cString(k), len: String(byteLength(k)), lines: [] };
    if (!into && e.kind === 'var' && e.name !== 'pid' && pr.vars.get(e.name)?.ty === 'text') {
      const c = pr.vars.get(e.name)!.c;
      return { ptr: c, len: `strlen(${c})`, lines: [] };
    }
    const bound = eg.bound(e);
    const buf = into?.buf ?? 'message';
    if (k !== undefined && into) {
      return { ptr: buf, len: String(byteLength(k)), lines: [`memcpy(${buf}, ${cString(k)}, ${byteLength(k)});`] };
    }
    fn.needs.add(LEN);
    if (!into) fn.message = Math.max(fn.message, Math.min(bound, MAX_TEXT) + 1);
    const x = eg.fmt(e);
    const lines = [`len = snprintf(${buf}, sizeof ${buf}, ${['"' + x.f + '"', ...x.a].join(', ')});`];
    if (bound > this.messageBytes) {
      this.helpers.add(this.checkLength);
      lines.push(`check_length(len, ${e.pos.line}, "${this.verbAt(pr, e.pos.line)}");`);
    }
    if (bound >= (into ? into.max : MAX_TEXT)) lines.push(`if (len >= (int)sizeof ${buf}) len = sizeof ${buf} - 1;   /* cut to fit */`);
    return { ptr: buf, len: 'len', lines };
  }

  /** `send c1`: the verb and channel of a program line, for messages. */
  private verbAt(pr: Proc, line: number): string {
    const src = (pr.src[line - 1] ?? '').trim().split(/\s+/).slice(0, 2).join(' ');
    return commentSafe(src).replace(/["\\]/g, '');
  }

  /** A failed call ends the process: die() prints why; in a signal handler, _exit(1) (async-signal-safe). Under try it sets err. */
  private fail(fn: Fn, what: string): string {
    if (fn.err) return `${fn.err} = errno`;
    return fn.handler ? '_exit(1)' : `die("${what}")`;
  }

  private check(call: string, what: string, fn: Fn, epipe = false): string {
    const fail = this.fail(fn, what);
    return epipe && !fn.err ? `if (${call} == -1 && errno != EPIPE) ${fail};` : `if (${call} == -1) ${fail};`;
  }

  private checkReceived(what: string, fn: Fn): string {
    if (fn.err) return `if (nbytes == -1) { ${fn.err} = errno; nbytes = 0; }   /* failed: no bytes */`;
    return `if (nbytes == -1) ${this.fail(fn, what)};`;
  }

  /** `pid_of[...]` of a process: naming one puts pid_of in memory shared with the children. */
  private pidOf(procId: string): string {
    this.needPidTable = true;
    return `pid_of[${this.proc.get(procId)?.en ?? 0}]`;
  }

  private stmt(pr: Proc, fn: Fn, s: Stmt, owner: Handler | null): void {
    fn.statement();
    this.lineComment(pr, fn, s, owner);
    fn.emit(`AT_LINE(${s.pos.line});`);
    if (!tries(s)) {
      this.stmtC(pr, fn, s, owner);
      return;
    }
    // try: the call's failure sets err (errno, kept) and the program goes on; success sets 0
    fn.err = pr.vars.get(ERRNO_VARIABLE)!.c;
    fn.emit(`${fn.err} = 0;` + fn.note(`try: a failed call sets ${fn.err} to its errno, and the program goes on`));
    const from = fn.lines.length;
    try {
      this.stmtC(pr, fn, s, owner);
    } finally {
      fn.err = undefined;
    }
    // each end opened on first use under try (poll and sendfd may open two): what follows its
    // open goes inside its `if (fd != -1) { }`, so the call is made only once every open succeeded
    for (let at = from; at < fn.lines.length; at++) {
      if (!fn.lines[at].includes(OPEN_GUARD)) continue;
      fn.lines[at] = fn.lines[at].replace(OPEN_GUARD, '');
      for (let i = at + 1; i < fn.lines.length; i++) if (fn.lines[i]) fn.lines[i] = '    ' + fn.lines[i];
      fn.emit('}');
    }
  }

  private stmtC(pr: Proc, fn: Fn, s: Stmt, owner: Handler | null): void {
    const eg = this.eg(pr, fn);
    const out: string[] = [];
    const emit = () => {
      fn.flushPre();
      for (const l of out) fn.emit(l);
      out.length = 0;
    };
    switch (s.kind) {
      case 'print': {
        const x = eg.fmt(s.value);
        if (fn.handler) {
          const k = eg.constText(s.value);
          if (k !== undefined) out.push(`if (write(STDOUT_FILENO, ${cString(k + '\n')}, ${byteLength(k) + 1}) == -1) _exit(1);`);
          else {
            fn.needs.add(LEN);
            fn.message = Math.max(fn.message, Math.min(eg.bound(s.value) + 2, MAX_TEXT + 1));
            out.push(`len = snprintf(message, sizeof message, ${['"' + x.f + '\\n"', ...x.a].join(', ')});`);
            out.push(`if (write(STDOUT_FILENO, message, len) == -1) _exit(1);`);
          }
        } else {
          out.push(`printf(${['"' + x.f + '\\n"', ...x.a].join(', ')});`);
          out.push('fflush(stdout);' + fn.note("each line out now, so that the processes' lines interleave as they happen"));
        }
        emit();
        return;
      }
      case 'set': {
        const v = pr.vars.get(s.name)!;
        if (v.ty === 'int' || eg.ty(s.value) === 'int') {
          const x = eg.int(s.value);
          out.push(this.assignInt(v, x.c));
        } else {
          const k = eg.constText(s.value);
          if (k !== undefined && !k.includes('\0')) out.push(`strcpy(${v.c}, ${cString(k)});`);
          else if (s.value.kind === 'var' && s.value.name !== 'pid') out.push(s.value.name === s.name ? `/* ${v.c} stays as it is */` : `strcpy(${v.c}, ${pr.vars.get(s.value.name)!.c});`);
          else {
            const x = eg.fmt(s.value);
            const big = eg.bound(s.value) >= MAX_TEXT;
            if (varsOf(s.value).has(s.name)) {
              // snprintf must not read the buffer it writes: build the text aside first
              fn.message = Math.max(fn.message, Math.min(eg.bound(s.value), MAX_TEXT) + 1);
              out.push(fill('message', x, big), `strcpy(${v.c}, message);`);
            } else out.push(fill(v.c, x, big || eg.bound(s.value) + 1 > v.size.n + 1));
          }
        }
        emit();
        return;
      }
      case 'sleep':
        this.helpers.add(SLEEP_MS);
        out.push(`sleep_ms(${eg.int(s.ms).c});`);
        emit();
        return;
      case 'exit':
        out.push(`${fn.handler ? '_exit' : 'exit'}(${s.code ? eg.int(s.code).c : '0'});`);
        emit();
        return;
      case 'break':
        fn.emit('break;');
        return;
      case 'pause':
        fn.emit('pause();' + fn.note('sleeps until a signal handler has run'));
        return;
      case 'suspend':
        fn.needs.add(MASK);
        fn.emit('sigemptyset(&mask);');
        fn.emit('sigsuspend(&mask);' + fn.note('with no signal blocked, sleeps until a handler has run; then the mask is as before'));
        return;
      case 'block':
      case 'unblock':
        fn.needs.add(MASK);
        fn.emit('sigemptyset(&mask);');
        fn.emit(`sigaddset(&mask, ${s.signal});`);
        fn.emit(this.check(`sigprocmask(${s.kind === 'block' ? 'SIG_BLOCK' : 'SIG_UNBLOCK'}, &mask, NULL)`, 'sigprocmask', fn) +
          fn.note(s.kind === 'block' ? 'held back: it stays pending until unblocked' : 'a pending one is delivered now'));
        return;
      case 'alarm':
        out.push(`alarm(${eg.int(s.seconds).c});` + fn.note('SIGALRM after that many seconds; 0 cancels'));
        emit();
        return;
      case 'poll':
        this.poll(pr, fn, s, eg, out);
        emit();
        return;
      case 'nonblocking': {
        const ch = this.chan.get(s.channel.id!)!;
        this.inc.add('fcntl.h');
        const setFl = (f: string, note: string) => this.check(`fcntl(${f}, F_SETFL, fcntl(${f}, F_GETFL) | O_NONBLOCK)`, 'fcntl', fn) + fn.note(note);
        if (acceptsOn(pr.prog, ch.id)) {
          // a process that accepts: its listening socket, as for poll (Linux's accepted sockets do not inherit the flag)
          out.push(setFl(ch.g.listen, 'O_NONBLOCK on the listening socket: accept fails with EAGAIN while no client waits'));
        } else {
          this.ensureOpen(pr, fn, ch, s, out);
          const m = mechOf(ch);
          const c = this.stmtCtx(pr, fn, ch, s, eg);
          out.push(...(m.nonblocking ? m.nonblocking(c) : [setFl(m.endFd!(c), 'O_NONBLOCK: a call that would wait fails with EAGAIN instead')]));
        }
        emit();
        return;
      }
      case 'signal':
        fn.emit(this.check(`kill(${this.pidOf(s.target.id ?? s.target.name)}, ${s.signal})`, 'kill', fn));
        return;
      case 'repeat': {
        const v = pr.vars.get(s.counter)!;
        const lit = literalInt(s.count);
        const count = lit !== undefined ? String(lit) : 'times';
        // the playground's counter is its own: changing it in the body or reading it after the loop
        // must not change the loop, so then a hidden counter (turn) runs it
        let exact = v.ty !== 'int' || pr.sharedVars.has(s.counter);
        walk(s.body, (x) => {
          if (assigned(x) === s.counter) exact = true;
        });
        if (!exact) {
          let outside = 0;
          const inside = new Set<Stmt>();
          walk(s.body, (x) => inside.add(x));
          walk([...pr.prog.body, ...pr.prog.handlers.flatMap((h) => h.body)], (x) => {
            if (x !== s && !inside.has(x) && (exprsOf(x).some((e) => varsOf(e).has(s.counter)) || (assigned(x) === s.counter && x.kind !== 'repeat'))) outside++;
            if (x !== s && x.kind === 'repeat' && x.counter === s.counter && !inside.has(x)) outside++;
          });
          exact = outside > 0;
        }
        if (lit === undefined) {
          fn.flushPre();
          const c = eg.int(s.count);
          fn.flushPre();
          fn.emit('{');
          fn.ind++;
          fn.emit(`long times = ${c.c};   /* counted once, before the first turn */`);
        }
        if (exact) {
          fn.emit(`for (long turn = 1; turn <= ${count}; turn++) {   /* the program's ${s.counter} follows turn */`);
          fn.ind++;
          fn.emit(this.assignInt(v, 'turn'));
          fn.ind--;
        } else {
          pr.loopCounters.add(s.counter);
          fn.emit(`for (${v.c} = 1; ${v.c} <= ${count}; ${v.c}++) {`);
        }
        this.body(pr, fn, s.body, owner);
        fn.emit('}');
        if (lit === undefined) {
          fn.ind--;
          fn.emit('}');
        }
        return;
      }
      case 'forever':
        fn.emit('for (;;) {');
        this.body(pr, fn, s.body, owner);
        fn.emit('}');
        return;
      case 'fork':
        this.fork(pr, fn, s, owner);
        return;
      case 'waitpid': {
        this.inc.add('sys/wait.h');
        fn.needs.add(STATUS);
        const pid = s.pid ? eg.int(s.pid).c : '-1';
        const into = s.into ? pr.vars.get(s.into)!.c : undefined;
        out.push(this.check(`waitpid(${pid}, &status, 0)`, 'waitpid', fn) + fn.note(s.pid ? 'waits for that child to end, and reaps it' : 'waits for any child to end, and reaps it'));
        if (into) {
          const code = `${into} = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);`;
          out.push((fn.err ? `if (${fn.err} == 0) ` : '') + code + fn.note('its exit code, or 128 + the signal that killed it, as a shell says'));
        }
        emit();
        return;
      }
      case 'while': {
        const c = eg.cond(s.cond);
        if (fn.pre.length) {
          const pre = fn.pre.splice(0);
          fn.emit('for (;;) {');
          fn.ind++;
          for (const p of pre) fn.emit(p);
          fn.emit(`if (!(${c.c})) break;`);
          fn.ind--;
        } else fn.emit(`while (${c.c}) {`);
        this.body(pr, fn, s.body, owner);
        fn.emit('}');
        return;
      }
      case 'if': {
        this.ifChain(pr, fn, s, owner, eg);
        return;
      }
      case 'whileRecv': {
        this.whileRecv(pr, fn, s, owner);
        return;
      }
      case 'recv':
        this.recv(pr, fn, s, eg, out);
        emit();
        return;
      case 'send':
      case 'close':
      case 'write':
      case 'read':
      case 'lock':
      case 'unlock':
      case 'wait':
      case 'post':
      case 'trywait':
        this.channelVerb(pr, fn, s, eg, out);
        emit();
        return;
      case 'accept':
      case 'sendfd':
      case 'recvfd':
        this.descriptor(pr, fn, s, eg, out);
        emit();
        return;
      default: {
        // every statement kind has its case: a new one fails to compile here
        const unknown: never = s;
        throw new Error(`no C for statement ${(unknown as Stmt).kind}`);
      }
    }
  }

  /** fork(2): the child runs the block and exits at its end, so it never goes on with the parent's program. */
  private fork(pr: Proc, fn: Fn, s: Extract<Stmt, { kind: 'fork' }>, owner: Handler | null): void {
    this.inc.add('sys/types.h');
    const v = s.into ? pr.vars.get(s.into)!.c : undefined;
    if (v) {
      fn.emit(`${v} = fork();` + fn.note("the child's PID here; 0 in the child"));
      fn.emit(`if (${v} == -1) ${this.fail(fn, 'fork')};`);
      fn.emit(`if (${v} == 0) {   /* the child: a copy of this process, its descriptors included */`);
    } else {
      fn.emit('switch (fork()) {');
      fn.emit('case -1:');
      fn.emit(`    ${this.fail(fn, 'fork')};`);
      fn.emit('case 0:   /* the child: a copy of this process, its descriptors included */');
    }
    fn.ind++;
    this.block(pr, fn, s.body, owner);
    fn.emit('exit(0);' + fn.note('the child ends here'));
    fn.ind--;
    fn.emit('}');
  }

  private ifChain(pr: Proc, fn: Fn, s: Extract<Stmt, { kind: 'if' }>, owner: Handler | null, eg: ExprGen): void {
    const c = eg.cond(s.cond);
    fn.flushPre();
    fn.emit(`if (${c.c}) {`);
    this.body(pr, fn, s.then, owner);
    let rest = s.else;
    let closers = 0;
    while (rest) {
      const only = rest.length === 1 ? rest[0] : undefined;
      if (only && only.kind === 'if') {
        fn.statement();
        const eg2 = this.eg(pr, fn);
        const c2 = eg2.cond(only.cond);
        if (fn.pre.length) {
          fn.emit('} else {');
          fn.ind++;
          closers++;
          fn.flushPre();
          fn.emit(`if (${c2.c}) {`);
        } else fn.emit(`} else if (${c2.c}) {`);
        if (!fn.map.has(only.pos.line)) {
          fn.map.set(only.pos.line, fn.lines.length - 1);
          fn.lines[fn.lines.length - 1] += `   /* line ${only.pos.line} */`;
        }
        this.body(pr, fn, only.then, owner);
        rest = only.else;
      } else {
        fn.emit('} else {');
        this.body(pr, fn, rest, owner);
        rest = undefined;
      }
    }
    fn.emit('}');
    for (; closers > 0; closers--) {
      fn.ind--;
      fn.emit('}');
    }
  }

  /** poll(2) over the channels' ends (opened first if need be); into = the first ready, as written, or "". */
  private poll(pr: Proc, fn: Fn, s: Extract<Stmt, { kind: 'poll' }>, eg: ExprGen, out: string[]): void {
    this.inc.add('poll.h');
    const v = pr.vars.get(s.into)!;
    const entries = s.channels.map((ref) => {
      const ch = this.chan.get(ref.id!)!;
      if (acceptsOn(pr.prog, ch.id)) return `{ ${ch.g.listen}, POLLIN, 0 }`; // readable: a client waits to be accepted
      this.ensureOpen(pr, fn, ch, s, out);
      const end = this.end(pr, ch);
      const events = MECHANISMS[ch.mech].verbs[end.role].includes('recv') ? 'POLLIN' : 'POLLOUT';
      return `{ ${mechOf(ch).endFd!(end)}, ${events}, 0 }`;
    });
    const timeout = s.timeout ? eg.int(s.timeout).c : '-1';
    out.push('{');
    out.push(`    struct pollfd pfd[${entries.length}] = { ${entries.join(', ')} };`);
    out.push('    ' + this.check(`poll(pfd, ${entries.length}, ${timeout})`, 'poll', fn) + fn.note(s.timeout ? 'waits until one is ready, or the timeout (ms)' : 'waits until one is ready'));
    s.channels.forEach((ref, i) => out.push(`    ${i ? 'else if' : 'if'} (pfd[${i}].revents) strcpy(${v.c}, ${cString(ref.name)});`));
    out.push(`    else strcpy(${v.c}, "");${fn.note('none is ready: the timeout')}`);
    out.push('}');
  }

  /** Opens an end on first use (a FIFO, a stream socket), unless an earlier statement certainly did. */
  private ensureOpen(pr: Proc, fn: Fn, ch: Chan, s: Stmt, out: string[]): void {
    const opener = mechOf(ch).openOnFirstUse;
    if (!opener) return;
    const plan = this.plannedOpen(pr, ch);
    if (fn.open.has(ch.id) || (plan && plan !== s)) return; // opened by an earlier statement
    fn.open.add(ch.id);
    const err = fn.err;
    // under try, a failed open is the statement's failure: errno kept, the call itself skipped
    const fail = (what: string, fd?: string) => (err ? `{ ${err} = errno;${fd ? ` close(${fd}); ${fd} = -1;` : ''} }` : `${this.fail(fn, what)};`);
    const { fd, lines } = opener(this.end(pr, ch), fail);
    if (plan === s) out.push(...lines);
    else out.push(`if (${fd} == -1) {   /* first use */`, ...lines.map((l) => '    ' + l), '}');
    if (err) {
      out.push(`${OPEN_GUARD}if (${fd} != -1) {   /* try: opened, so the call is made */`);
      // a failed first use leaves the end closed: the next statement tries again
      fn.open.delete(ch.id);
    }
  }

  /** The statement that certainly opens an end first; none when it is written with try (it may fail: those after it open on first use). */
  private plannedOpen(pr: Proc, ch: Chan): Stmt | undefined {
    const plan = pr.openAt.get(ch.id);
    return plan && !tries(plan) ? plan : undefined;
  }

  /** What the mechanism's C for statement s (or the recv of while recv s) may ask. */
  private stmtCtx(pr: Proc, fn: Fn, ch: Chan, s: Stmt, eg: ExprGen): StmtCtx {
    const plan = this.plannedOpen(pr, ch);
    return {
      ...this.end(pr, ch),
      ...this.fnCtx(fn),
      handler: fn.handler,
      check: (call, what, epipe) => this.check(call, what, fn, epipe),
      fail: (what) => this.fail(fn, what),
      checkReceived: (what) => this.checkReceived(what, fn),
      use: (h) => this.helpers.add(h),
      int: (e) => eg.int(e).c,
      data: (e, into) => this.data(pr, fn, eg, e, into),
      v: (name) => pr.vars.get(name)!,
      assignInt: (v, c) => this.assignInt(v, c),
      pidOf: (id) => this.pidOf(id),
      deliveries,
      // under try, EINTR is the program's to see
      interruptible: pr.catches.size > 0 && !fn.err,
      catchesSigpipe: pr.catches.has('SIGPIPE'),
      lockHeld: pr.lockAt.get(s)?.get(ch.id) === 'held',
      open: fn.open.has(ch.id) || (!!plan && plan !== s),
    };
  }

  /** The buffer a recv fills: its variable, or a discard buffer as large as one recv may give. */
  private recvDest(pr: Proc, fn: Fn, ch: Chan, r: RecvStmt): string {
    if (r.into) return pr.vars.get(r.into)!.c;
    fn.discard = Math.max(fn.discard, receiveOf(ch)!.size(ch, r).n + 1);
    return 'discard';
  }

  /** Lines that receive one message (or chunk) into dest; nbytes = its length (0: end of file on a stream). */
  private recvInto(pr: Proc, fn: Fn, r: RecvStmt, eg: ExprGen, ch: Chan, dest: string, out: string[], at: Stmt): void {
    const rx = receiveOf(ch)!;
    fn.needs.add(NBYTES);
    let count: string;
    const lit = literalInt(r.size);
    const sz = rx.size(ch, r);
    // files and queues take whole messages / all new bytes: no count (as in the playground)
    if (!r.size || !rx.takesCount) count = sz.c;
    else if (lit !== undefined) count = String(Math.min(lit, sz.n));
    else {
      fn.needs.add(LEN);
      out.push(`len = ${eg.int(r.size).c};`, `if (len < 1 || len > (int)sizeof ${dest} - 1) len = sizeof ${dest} - 1;`);
      count = 'len';
    }
    out.push(...rx.into(this.stmtCtx(pr, fn, ch, at, eg), r, dest, count));
    if (!rx.terminates) out.push(`${dest}[nbytes] = '\\0';`);
  }

  private recv(pr: Proc, fn: Fn, s: RecvStmt, eg: ExprGen, out: string[]): void {
    const ch = this.chan.get(s.channel.id!)!;
    const m = mechOf(ch);
    if (!receiveOf(ch)) {
      // no bytes: a signal to wait for, a semaphore to take
      out.push(...m.verbs.recv!(this.stmtCtx(pr, fn, ch, s, eg), s));
      return;
    }
    this.ensureOpen(pr, fn, ch, s, out);
    this.recvInto(pr, fn, s, eg, ch, this.recvDest(pr, fn, ch, s), out, s);
  }

  private whileRecv(pr: Proc, fn: Fn, s: Extract<Stmt, { kind: 'whileRecv' }>, owner: Handler | null): void {
    const r = s.recv;
    const ch = this.chan.get(r.channel.id!)!;
    const { loop, terminates } = receiveOf(ch)!;
    const pre: string[] = [];
    this.ensureOpen(pr, fn, ch, s, pre);
    fn.flushPre();
    for (const l of pre) fn.emit(l);
    const dest = this.recvDest(pr, fn, ch, r);
    const lines: string[] = [];
    const e2 = this.eg(pr, fn);
    this.recvInto(pr, fn, r, e2, ch, dest, lines, s);
    const simple = loop.eof && fn.pre.length === 0 && lines.length === (terminates ? 2 : 3) && lines[0].startsWith('nbytes = ');
    if (simple) {
      // while ((nbytes = read(fd, buf, n)) > 0): until end of file
      const call = lines[0].slice('nbytes = '.length, lines[0].indexOf(';'));
      fn.emit(`while ((nbytes = ${call}) > 0) {`);
      fn.ind++;
      if (!terminates) fn.emit(lines[2]);
      fn.ind--;
      this.body(pr, fn, s.body, owner);
      this.backToLoop(fn, s);
      fn.emit('}');
      fn.emit(this.check('nbytes', loop.call, fn) + `   /* else 0: end of file, ${loop.means} */`);
      return;
    }
    fn.emit(`for (;;) {${loop.eof ? '' : `   /* ${loop.what} has no end of file: only break or exit end this loop */`}`);
    fn.ind++;
    fn.flushPre();
    for (const l of lines) fn.emit(l);
    if (loop.eof) fn.emit('if (nbytes == 0) break;   /* end of file */');
    fn.ind--;
    this.body(pr, fn, s.body, owner);
    this.backToLoop(fn, s);
    fn.emit('}');
  }

  /** The last line of a while recv body: the loop's own line again, for its next receive (a step stops there). */
  private backToLoop(fn: Fn, s: Stmt): void {
    fn.ind++;
    fn.emit(`AT_LINE(${s.pos.line});` + fn.note("the loop's line again: its next receive"));
    fn.ind--;
  }

  /** A verb on a channel: its mechanism's C. A send opens an end opened on first use. */
  private channelVerb(pr: Proc, fn: Fn, s: VerbStmt, eg: ExprGen, out: string[]): void {
    const ch = this.chan.get(s.channel.id!)!;
    if (s.kind === 'send') this.ensureOpen(pr, fn, ch, s, out);
    // the checker lets a program use only its mechanism's verbs (lib/mechanisms.ts), each of which has its C
    const verb = mechOf(ch).verbs[s.kind] as ((c: StmtCtx, s: VerbStmt) => string[]) | undefined;
    if (!verb) throw new Error(`no C for ${s.kind} on ${ch.mech}`);
    out.push(...verb(this.stmtCtx(pr, fn, ch, s, eg), s));
    const fd = mechOf(ch).endFd?.(this.end(pr, ch));
    if (s.kind === 'close' && fd && pr.polls) out.push(`${fd} = -1;` + fn.note('poll(2) skips a negative fd: a closed end is no longer watched'));
  }

  /** accept, sendfd, recvfd (descriptors.ts); sendfd and recvfd open their socket, and the end sendfd passes, on first use. */
  private descriptor(pr: Proc, fn: Fn, s: DescriptorStmt, eg: ExprGen, out: string[]): void {
    const ch = this.chan.get(s.channel.id!)!;
    if (s.kind !== 'accept') this.ensureOpen(pr, fn, ch, s, out);
    let fd = '';
    if (s.kind === 'sendfd') {
      const passed = this.chan.get(s.fd.id!)!;
      this.ensureOpen(pr, fn, passed, s, out);
      fd = mechOf(passed).endFd!(this.end(pr, passed));
    }
    const sock = s.kind === 'accept' ? '' : mechOf(ch).endFd!(this.end(pr, ch));
    const into = s.kind === 'sendfd' ? '' : pr.vars.get(s.into)!.c;
    out.push(...descriptorC(s, this.stmtCtx(pr, fn, ch, s, eg), sock, fd, into));
  }

  // ---- file scope ----

  private header(): string[] {
    const sc = this.sc;
    const inc = this.inc;
    inc.add('time.h');
    if (this.needRunDir) inc.add('limits.h'); // PATH_MAX
    for (const ch of this.chans) for (const h of mechOf(ch).includes) inc.add(h);
    const order = ['stdio.h', 'stdlib.h', 'string.h', 'unistd.h', 'errno.h', 'signal.h', 'time.h', 'limits.h', 'fcntl.h', 'poll.h', 'semaphore.h', 'mqueue.h',
      'sys/types.h', 'sys/stat.h', 'sys/wait.h', 'sys/mman.h', 'sys/ipc.h', 'sys/shm.h', 'sys/msg.h', 'sys/socket.h', 'sys/un.h', 'netinet/in.h', 'arpa/inet.h'];
    const file = this.fileName();
    const bin = file.replace(/\.c$/, '');
    const lines = [
      '/*',
      ` * ${file}: "${commentSafe(sc.title)}", in C.`,
    ];
    if (sc.description) {
      lines.push(' *');
      for (const l of wrapText(commentSafe(sc.description), 90)) lines.push(` * ${l}`);
    }
    const procList = this.procs.map((p) => p.name).join(', ');
    lines.push(
      ' *',
      ' * Generated by IPC Playground. It does what the playground does when you press Run:',
      ' *   - main() creates the kernel objects, as the playground\'s server does before the start',
      ' *     (see create_objects());',
      ` *   - it forks one child per process (${procList}); each runs its program, translated line`,
      ' *     by line in its function process_NAME(): look for the "line N" comments;',
      ' *   - the children start together, once each has opened its ends (see wait_for_start());',
      ' *   - main() waits for them all, prints how each ended, and removes every kernel object.',
      ' * It stops the processes after 60 seconds, as the playground does (or give the seconds: ./' + bin + ' 5).',
      ' *',
      ` * Build and run:  cc -Wall -O1 -o ${bin} ${file} -lrt -pthread && ./${bin}`,
      ' */',
      '#define _GNU_SOURCE   /* every declaration of glibc (mkdtemp, MAP_ANONYMOUS...), even with -std=c99 */',
      // a header not in the order (a new mechanism's) comes last
      ...[...order.filter((h) => inc.has(h)), ...[...inc].filter((h) => !order.includes(h)).sort()].map((h) => `#include <${h}>`),
      '',
      '/* AT_LINE(n) comes before the statement of program line n. Here it does nothing; in the playground it is',
      ' * the gate that Pause, Step and slow motion hold, and it tells the page which line runs. */',
      '#ifndef AT_LINE',
      '#define AT_LINE(n) ((void)0)',
      '#endif',
    );
    return lines;
  }

  private helperFns(): string[] {
    const out: string[] = [];
    if (this.usesMaxText) out.push('', `#define MAX_TEXT ${MAX_TEXT}   /* the most bytes of one message or text, as in the playground */`);
    for (const m of new Set(this.chans.map(mechOf))) if (m.definitions) out.push('', ...m.definitions);
    out.push(
      '',
      '/* A failed system call: say which and why (perror prints errno\'s text), and end the process. */',
      'static void die(const char *what)',
      '{',
      '    perror(what);',
      '    exit(1);',
      '}',
    );
    for (const h of byRank(this.helpers)) out.push('', ...h.lines);
    if (this.needRunDir) {
      out.push(
        '',
        '/* FIFOs, files and socket paths live in this run\'s own directory, made by mkdtemp(3). */',
        'static char run_dir[PATH_MAX];',
        '',
        'static void path_in_run_dir(char *out, size_t size, const char *name)',
        '{',
        '    if (snprintf(out, size, "%s/%s", run_dir, name) >= (int)size) {',
        '        fprintf(stderr, "path too long: %s/%s\\n", run_dir, name);',
        '        exit(1);',
        '    }',
        '}',
      );
    }
    return out;
  }

  private globals(): string[] {
    const out: string[] = ['', '/* ---- the processes, in fork() order ---- */'];
    out.push(`enum { ${[...this.procs.map((p) => p.en), 'NPROC'].join(', ')} };`);
    out.push(`static const char *const process_name[NPROC] = { ${this.procs.map((p) => cString(p.name)).join(', ')} };`);
    if (this.needPidTable) {
      out.push('/* Every process\'s PID, in memory shared with the children (mmap MAP_SHARED | MAP_ANONYMOUS before', ' * fork()): main() fills it in after the forks, and any process can then kill() any other. */');
      out.push('static pid_t *pid_of;');
    } else out.push('static pid_t pid_of[NPROC];');
    out.push(
      '/* The start line: each child reads start_pipe until end of file, which comes once main() and',
      ' * every child have closed the write end, that is, once every process is ready. */',
      'static int start_pipe[2];',
    );
    if (this.counted.size) {
      out.push('', '/* Deliveries of each signal a signal channel carries, counted by the receiver\'s handler */');
      for (const sig of this.counted) out.push(`static volatile sig_atomic_t got_${sig};`);
    }
    const objs: string[] = [];
    for (const ch of this.chans) objs.push(...mechOf(ch).globals(ch, this.objectCtx(ch)));
    if (objs.length) out.push('', '/* ---- the kernel objects, made by main() before fork(): every child inherits these ---- */', ...objs);
    out.push(
      '',
      '/* Each child calls this once its channel ends are open: it blocks until every process is ready',
      ' * and main() has filled in pid_of[], then all start together, as in the playground. */',
      'static void wait_for_start(void)',
      '{',
      '    char c;',
      '    close(start_pipe[1]);',
      '    if (read(start_pipe[0], &c, 1) == -1) die("read start_pipe");   /* 0: end of file, go */',
      '    close(start_pipe[0]);',
      '}',
    );
    return out;
  }

  private createObjects(): string[] {
    const out: string[] = [
      '/* ======== main(): make the objects, fork, wait, clean up ' + '='.repeat(30) + ' */',
      '',
      '/* The kernel objects of every channel, made before fork() as the playground\'s server makes them',
      ' * before the start. Names come from the PID, so that two runs never share an object. */',
      'static void create_objects(void)',
      '{',
    ];
    const body: string[] = [];
    const scratch = new Set<Scratch>();
    if (this.needRunDir) {
      body.push(
        'snprintf(run_dir, sizeof run_dir, "%s/ipc-XXXXXX", tmp ? tmp : "/tmp");',
        'if (mkdtemp(run_dir) == NULL) die("mkdtemp");   /* a new directory, mode 0700 */',
      );
    }
    for (const ch of this.chans) {
      const o = this.objectCtx(ch);
      body.push('', `/* ${o.what} */`, ...mechOf(ch).create(ch, { ...o, need: (s) => scratch.add(s) }));
    }
    const decl: string[] = [];
    if (this.needRunDir) decl.push('const char *tmp = getenv("TMPDIR");');
    const ranked = byRank(scratch);
    for (const s of ranked) decl.push(...s.decl);
    body.unshift(...ranked.flatMap((s) => (s.init ? [s.init] : [])));
    while (body.length && body[0] === '') body.shift();
    const all = [...decl, ...(decl.length && body.length ? [''] : []), ...body];
    out.push(...all.map((l) => (l ? '    ' + l : '')), '}');
    return out;
  }

  /** A channel's processes by name, for the comments of its kernel object. */
  private objectCtx(ch: Chan): ObjectCtx {
    const names = (ids: string[]) => ids.map((id) => this.proc.get(id)!.name).join(', ') || 'nobody';
    const from = names(procsAt(ch, 'from'));
    const to = names(procsAt(ch, 'to'));
    // an object shared by several processes alike (not two at its two ends) names them all
    // (a listening socket's clients are its from end, whatever their number)
    const alike = symmetric(ch.mech) && !MECHANISMS[ch.mech].accepts && !(procsAt(ch, 'from').length === 1 && procsAt(ch, 'to').length === 1);
    const who = alike ? `shared by ${names(members(ch))}` : `${from} -> ${to}`;
    return { from, to, what: `${ch.label} (${ch.mech}): ${who}` };
  }

  private removeObjects(): string[] {
    const body: string[] = [];
    for (const ch of this.chans) body.push(...(mechOf(ch).remove?.(ch) ?? []));
    if (this.needRunDir) body.push('if (rmdir(run_dir) == -1) perror(run_dir);');
    if (!body.length) body.push('/* nothing: pipes, sockets and signals go away with the processes */');
    return ['/* Removes every object create_objects() made: names, files and SysV ids outlive the processes. */', 'static void remove_objects(void)', '{', ...body.map((l) => '    ' + l), '}'];
  }

  private mainFn(): string[] {
    const closes: string[] = [];
    for (const ch of this.chans) closes.push(...(mechOf(ch).closeInMain?.(ch) ?? []));
    const closeLines: string[] = [];
    for (let i = 0; i < closes.length; i += 4) closeLines.push('    ' + closes.slice(i, i + 4).join(' '));
    this.helpers.add(SLEEP_MS);
    return [
      '/* Stop, as the playground\'s Stop button and time limit do: SIGTERM to every process still running,',
      ` * then SIGKILL to any that is still there ${KILL_GRACE_MS} ms later. */`,
      'static void stop_all(const int done[])',
      '{',
      '    for (int i = 0; i < NPROC; i++)',
      '        if (!done[i]) kill(pid_of[i], SIGTERM);',
      `    sleep_ms(${KILL_GRACE_MS});`,
      '    for (int i = 0; i < NPROC; i++)',
      '        if (!done[i]) kill(pid_of[i], SIGKILL);   /* harmless on one that has exited but is not waited for yet */',
      '}',
      '',
      '/* "SIGTERM" for SIGTERM, as the playground names the signal that killed a process */',
      'static const char *signal_name(int sig)',
      '{',
      '#define NAME(s) { s, #s }',
      '    static const struct { int sig; const char *name; } names[] = {',
      '        NAME(SIGHUP), NAME(SIGINT), NAME(SIGQUIT), NAME(SIGILL), NAME(SIGTRAP), NAME(SIGABRT), NAME(SIGBUS),',
      '        NAME(SIGFPE), NAME(SIGKILL), NAME(SIGUSR1), NAME(SIGSEGV), NAME(SIGUSR2), NAME(SIGPIPE), NAME(SIGALRM),',
      '        NAME(SIGTERM), NAME(SIGCHLD), NAME(SIGCONT), NAME(SIGSTOP), NAME(SIGTSTP), NAME(SIGWINCH), NAME(SIGSYS),',
      '    };',
      '#undef NAME',
      '    static char other[32];',
      '    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)',
      '        if (names[i].sig == sig) return names[i].name;',
      '    snprintf(other, sizeof other, "signal %d", sig);',
      '    return other;',
      '}',
      '',
      'static volatile sig_atomic_t stop_requested;',
      '',
      'static void on_stop(int sig)',
      '{',
      '    stop_requested = sig;',
      '}',
      '',
      `static int (*const process_main[NPROC])(void) = { ${this.procs.map((p) => p.fn).join(', ')} };`,
      '',
      'int main(int argc, char *argv[])',
      '{',
      '    int time_limit = argc > 1 ? atoi(argv[1]) : 60;   /* seconds */',
      '    int status[NPROC] = { 0 }, done[NPROC] = { 0 }, running = NPROC, all_ok = 1;',
      '    struct sigaction sa;',
      '',
      '    create_objects();',
      ...(this.needPidTable
        ? [
            '    pid_of = mmap(NULL, NPROC * sizeof *pid_of, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);',
            '    if (pid_of == MAP_FAILED) die("mmap");',
          ]
        : []),
      '    if (pipe(start_pipe) == -1) die("pipe");',
      '    fflush(stdout);   /* nothing buffered may be copied into the children */',
      '',
      '    for (int i = 0; i < NPROC; i++) {',
      '        pid_t pid = fork();',
      '        if (pid == -1) die("fork");',
      '        if (pid == 0)',
      '            exit(process_main[i]());   /* the child: run the program, exit with its status */',
      '        pid_of[i] = pid;',
      '    }',
      ...(closeLines.length ? ['    /* main() uses no channel: close its copies, or a reader would wait for ever for end of file */', ...closeLines] : []),
      '    close(start_pipe[0]);',
      '    close(start_pipe[1]);   /* every PID is known: the children start once all are ready */',
      '',
      '    /* Installed after fork(), so that the children keep the default actions. Without SA_RESTART:',
      '     * waitpid() fails with EINTR when one of these arrives. */',
      '    memset(&sa, 0, sizeof sa);',
      '    sa.sa_handler = on_stop;',
      '    sigemptyset(&sa.sa_mask);',
      '    sigaction(SIGALRM, &sa, NULL);',
      '    sigaction(SIGINT, &sa, NULL);',
      '    sigaction(SIGTERM, &sa, NULL);',
      '    alarm(time_limit);',
      '',
      '    while (running > 0) {',
      '        int st;',
      '        pid_t pid = waitpid(-1, &st, 0);',
      '        if (pid == -1) {',
      '            if (errno != EINTR) die("waitpid");',
      '            if (stop_requested) {',
      '                if (stop_requested == SIGALRM) fprintf(stderr, "time limit reached: stopping the processes\\n");',
      '                stop_requested = 0;',
      '                stop_all(done);',
      '            }',
      '            continue;',
      '        }',
      '        for (int i = 0; i < NPROC; i++) {',
      '            if (pid_of[i] == pid) {',
      '                status[i] = st;',
      '                done[i] = 1;',
      '                running--;',
      '            }',
      '        }',
      '    }',
      '    alarm(0);',
      '',
      '    for (int i = 0; i < NPROC; i++) {',
      '        if (WIFEXITED(status[i]))',
      '            printf("%s: exited %d\\n", process_name[i], WEXITSTATUS(status[i]));',
      '        else',
      '            printf("%s: killed by %s\\n", process_name[i], signal_name(WTERMSIG(status[i])));',
      '        if (!WIFEXITED(status[i]) || WEXITSTATUS(status[i]) != 0)',
      '            all_ok = 0;',
      '    }',
      '    remove_objects();',
      '    return all_ok ? 0 : 1;',
      '}',
    ];
  }
}

function wrapText(text: string, width: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const w of text.split(/\s+/)) {
    if (line && line.length + 1 + w.length > width) {
      out.push(line);
      line = w;
    } else line = line ? `${line} ${w}` : w;
  }
  if (line) out.push(line);
  return out;
}
