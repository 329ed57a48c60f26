// "The C behind it": a scenario as one C file that does what the playground does, with the
// real calls (pipe, mkfifo, sem_open, shm_open, msgget, mq_open, socket...). main() makes the
// kernel objects as the playground's server does, forks one child per process, waits for them
// all, reports each exit status as the CLI does, and removes every object. Each process is a
// function `process_NAME` whose statements are its program's, line by line, each under a
// `/* line N: ... */` comment. Isomorphic: no Node, no DOM (it runs in the browser too).

import type { Expr, Handler, Program, RecvStmt, Stmt } from '../lang/ast';
import { channelOf, walk } from '../lang/walk';
import { optionsWithDefaults, type MechanismId } from '../mechanisms';
import { DEFAULT_LIMITS, type Scenario } from '../scenario';
import { ExprGen, MAX_TEXT, fill, literalInt, varsOf, type ExprEnv, type Size, type Ty, type VarInfo } from './expr';
import { Names, byteLength, cString, commentSafe, enumName, ident } from './text';

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

/** Bytes of one SysV message's mtext: msgsnd(2) refuses more than msgmax (8192 by default). */
const MSG_MAX = 8192;
/** read(2)'s count when recv gives none, as in the playground. */
const DEFAULT_READ = 1024;
/** How often a file recv looks for new bytes, as in the playground. */
const FILE_POLL_MS = 20;
/** Grace between SIGTERM and SIGKILL when stopping, as the playground's. */
const KILL_GRACE_MS = 300;

const STREAM = new Set<MechanismId>(['pipe', 'fifo', 'tcp', 'unix-stream']);
const CONNECTS = new Set<MechanismId>(['fifo', 'tcp', 'unix-stream']);
const SOCKETS = new Set<MechanismId>(['tcp', 'udp', 'unix-stream', 'unix-dgram']);

interface Chan {
  id: string;
  /** How the program names it: the label, or the id. */
  label: string;
  base: string;
  mech: MechanismId;
  opts: Record<string, number | string>;
  from: string;
  to: string;
  /** Global C names: pipe, path, name, sem, shmid, shm, msqid, listen, bound, addr. */
  g: Record<string, string>;
}

type LockState = 'held' | 'free' | 'unknown';

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
  /** Per channel, this process's C names for its end: fd, pos, locked, sem, shm, mq, sock. */
  loc: Map<string, Record<string, string>>;
  /** Signals it catches: the handler function, whether deliveries are counted (a signal channel), the program's handler. */
  catches: Map<string, { fn: string; counted: boolean; handler?: Handler }>;
  lockDynamic: Set<string>;
  lockAt: Map<Stmt, Map<string, LockState>>;
  /** fifo / tcp / unix-stream: the top-level statement that opens or connects it first, or null: open on first use. */
  openAt: Map<string, Stmt | null>;
  /** Comment-only program lines, by the handler they belong to (null: the main program). */
  comments: Map<number, Handler | null>;
  /** Counters of plain for loops: read by the loop itself. */
  loopCounters: Set<string>;
  /** Channels the program names. */
  uses: Set<string>;
}

function exprsOf(s: Stmt): (Expr | undefined)[] {
  switch (s.kind) {
    case 'print':
      return [s.value];
    case 'send':
      return [s.data, s.mtype, s.priority];
    case 'recv':
      return [s.size, s.mtype];
    case 'whileRecv':
      return [s.recv.size, s.recv.mtype];
    case 'write':
      return [s.data, s.offset];
    case 'read':
      return [s.length, s.offset];
    case 'sleep':
      return [s.ms];
    case 'set':
      return [s.value];
    case 'repeat':
      return [s.count];
    case 'while':
    case 'if':
      return [s.cond];
    case 'exit':
      return [s.code];
    default:
      return [];
  }
}

/** Variables a statement gives a value. */
function assigned(s: Stmt): string | undefined {
  switch (s.kind) {
    case 'set':
      return s.name;
    case 'recv':
      return s.into;
    case 'whileRecv':
      return s.recv.into;
    case 'read':
    case 'trywait':
      return s.into;
    case 'repeat':
      return s.counter;
    default:
      return undefined;
  }
}

const size = (n: number, c: string, decl: string): Size & { decl: string } => ({ n, c, decl });
const declOf = (s: Size): string => (s as Size & { decl?: string }).decl ?? String(s.n + 1);

// ---- output --------------------------------------------------------------------------------

/** One C function being written: its lines, locals and scratch buffers. */
class Fn {
  lines: string[] = [];
  ind = 1;
  /** Program line -> index in lines. */
  map = new Map<number, number>();
  temps = new Map<string, number>();
  private tempN = 0;
  needs = new Set<'nbytes' | 'len' | 'off' | 'msg' | 'fd'>();
  message = 0;
  discard = 0;
  /** Comment lines already written. */
  done = new Set<number>();
  /** FIFOs and stream sockets certainly open at this point of the code (by channel id). */
  open = new Set<string>();
  pre: string[] = [];

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
  private helpers = new Set<string>();
  private inc = new Set<string>(['stdio.h', 'stdlib.h', 'string.h', 'unistd.h', 'errno.h', 'signal.h', 'sys/types.h', 'sys/wait.h', 'sys/mman.h']);
  private chans: Chan[] = [];
  private chan = new Map<string, Chan>();
  private procs: Proc[] = [];
  private proc = new Map<string, Proc>();
  private counted = new Set<string>();
  private usesMaxText = false;
  private usesMsg = false;
  private needPidTable = false;
  private needRunDir = false;

  constructor(
    private sc: Scenario,
    private programs: Record<string, Program>,
    private messageBytes: number,
  ) {}

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
    return { source: out.join('\n') + '\n', hosted: this.hostedMain(fileName), fileName, perProcess };
  }

  /** The playground's main(): one process of this file, with the objects the server made. */
  private hostedMain(fileName: string): string {
    const attach: string[] = [];
    this.chans.forEach((ch, i) => {
      const g = ch.g;
      const k = (what: string) => `"${i}.${what}"`;
      switch (ch.mech) {
        case 'pipe':
          attach.push(`${g.pipe}[0] = int_arg(${k('r')}); ${g.pipe}[1] = int_arg(${k('w')});`);
          break;
        case 'fifo':
        case 'file':
        case 'shm-file':
          attach.push(`copy_arg(${g.path}, sizeof ${g.path}, ${k('path')});`);
          break;
        case 'sem-named':
        case 'shm-posix':
        case 'mq-posix':
          attach.push(`copy_arg(${g.name}, sizeof ${g.name}, ${k('name')});`);
          break;
        case 'sem-unnamed':
          attach.push(`${g.sem} = map_arg(${k('fd')}, sizeof(sem_t));`);
          break;
        case 'shm-anon':
          attach.push(`${g.shm} = map_arg(${k('fd')}, ${Number(ch.opts.size)});`);
          break;
        case 'shm-sysv':
          attach.push(`${g.shmid} = int_arg(${k('id')});`);
          break;
        case 'mq-sysv':
          attach.push(`${g.msqid} = int_arg(${k('id')});`);
          break;
        case 'tcp':
        case 'udp':
          attach.push(
            `${ch.mech === 'tcp' ? g.listen : g.bound} = int_arg(${k('fd')});`,
            `${g.addr}.sin_family = AF_INET; ${g.addr}.sin_addr.s_addr = htonl(INADDR_LOOPBACK); ${g.addr}.sin_port = htons(int_arg(${k('port')}));`,
          );
          break;
        case 'unix-stream':
        case 'unix-dgram':
          attach.push(
            `${ch.mech === 'unix-stream' ? g.listen : g.bound} = int_arg(${k('fd')});`,
            `${g.addr}.sun_family = AF_UNIX; copy_arg(${g.addr}.sun_path, sizeof ${g.addr}.sun_path, ${k('path')});`,
          );
          break;
        case 'signal':
          break;
      }
    });
    if (this.needPidTable) attach.push('pid_of = ipcpg_pids();   /* the server fills it in before the start */');
    return [
      `/* The playground's build of ${fileName}: the same program, one process of it per run process.`,
      ' * The server has made the kernel objects (as create_objects() does) and passes them here:',
      ' * argv = index, control page fd, start pipe (read, write), run id, then key=value per object. */',
      '#define AT_LINE(n) ipcpg_at(n)',
      '#define main standalone_main',
      '#include "ipcpg.h"',
      `#include "${fileName}"`,
      '#undef main',
      '',
      'static int g_argc;',
      'static char **g_argv;',
      '',
      'static const char *arg(const char *key)',
      '{',
      '    size_t n = strlen(key);',
      '    for (int i = 6; i < g_argc; i++)',
      "        if (strncmp(g_argv[i], key, n) == 0 && g_argv[i][n] == '=') return g_argv[i] + n + 1;",
      '    return NULL;',
      '}',
      '',
      'static int int_arg(const char *key)',
      '{',
      '    const char *v = arg(key);',
      '    return v ? atoi(v) : -1;',
      '}',
      '',
      'static void copy_arg(char *out, size_t size, const char *key)',
      '{',
      '    const char *v = arg(key);',
      '    snprintf(out, size, "%s", v ? v : "");',
      '}',
      '',
      '/* A memfd the server made (unnamed semaphore, anonymous shared memory), mapped as a parent\'s',
      ' * MAP_SHARED | MAP_ANONYMOUS region would be before fork(); NULL in processes it is not given to. */',
      'static void *map_arg(const char *key, size_t size)',
      '{',
      '    int fd = int_arg(key);',
      '    if (fd < 0) return NULL;',
      '    void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);',
      '    if (p == MAP_FAILED) die("mmap");',
      '    close(fd);',
      '    return p;',
      '}',
      '',
      'int main(int argc, char *argv[])',
      '{',
      '    if (argc < 6) return 125;',
      '    g_argc = argc;',
      '    g_argv = argv;',
      '    int me = atoi(argv[1]);',
      '    if (me < 0 || me >= NPROC) return 125;',
      '    ipcpg_init(atoi(argv[2]), atoi(argv[3]));',
      '    start_pipe[0] = atoi(argv[3]);',
      '    start_pipe[1] = atoi(argv[4]);',
      ...attach.map((l) => '    ' + l),
      '    exit(process_main[me]());',
      '}',
      '',
    ].join('\n');
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
      const ch: Chan = { id: c.id, label, base, mech: c.mechanism, opts: optionsWithDefaults(c.mechanism, c.options), from: c.from, to: c.to, g: {} };
      const b = ch.base;
      const g = (k: string, want: string) => (ch.g[k] = this.g.take(want));
      switch (ch.mech) {
        case 'pipe':
          g('pipe', `pipe_${b}`);
          break;
        case 'fifo':
        case 'file':
        case 'shm-file':
          g('path', `path_${b}`);
          this.needRunDir = true;
          break;
        case 'sem-named':
          g('name', `sem_name_${b}`);
          break;
        case 'sem-unnamed':
          g('sem', `sem_${b}`);
          break;
        case 'shm-posix':
          g('name', `shm_name_${b}`);
          break;
        case 'shm-sysv':
          g('shmid', `shmid_${b}`);
          break;
        case 'shm-anon':
          g('shm', `shm_${b}`);
          break;
        case 'mq-sysv':
          g('msqid', `msqid_${b}`);
          this.usesMsg = true;
          break;
        case 'mq-posix':
          g('name', `mq_name_${b}`);
          break;
        case 'tcp':
        case 'unix-stream':
          g('listen', `listen_${b}`);
          g('addr', `addr_${b}`);
          if (ch.mech === 'unix-stream') this.needRunDir = true;
          break;
        case 'udp':
        case 'unix-dgram':
          g('bound', `bound_${b}`);
          g('addr', `addr_${b}`);
          if (ch.mech === 'unix-dgram') this.needRunDir = true;
          break;
        case 'signal':
          this.counted.add(String(ch.opts.signal));
          break;
      }
      this.chans.push(ch);
      this.chan.set(ch.id, ch);
    }
    for (const sig of this.counted) this.g.claim(`got_${sig}`);

    // first pass: every name at file scope, before any function's scope copies them
    this.sc.processes.forEach((p, idx) => {
      const prog = this.programs[p.id] ?? { body: [], handlers: [] };
      const pr: Proc = {
        id: p.id, name: p.name, idx, prog, src: p.program.split('\n'), fn: this.g.take(`process_${ident(p.name)}`), en: '',
        scope: this.g, vars: new Map(), read: new Set(), sharedVars: new Set(), sharedChans: new Set(), loc: new Map(),
        catches: new Map(), lockDynamic: new Set(), lockAt: new Map(), openAt: new Map(), comments: new Map(), loopCounters: new Set(), uses: new Set(),
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
          const c = channelOf(s);
          if (c) pr.sharedChans.add(c);
        });
      }
      pr.sharedVars.delete('pid');
      const sigs = new Set<string>(pr.prog.handlers.map((h) => h.signal));
      for (const ch of this.chans) if (ch.mech === 'signal' && ch.to === pr.id) sigs.add(String(ch.opts.signal));
      for (const sig of sigs) {
        const h = pr.prog.handlers.find((x) => x.signal === sig);
        const counted = this.chans.some((ch) => ch.mech === 'signal' && ch.to === pr.id && ch.opts.signal === sig);
        pr.catches.set(sig, { fn: this.g.take(`${ident(pr.name)}_on_${sig}`), counted, handler: h });
      }
      const prefix = ident(pr.name);
      for (const v of pr.sharedVars) pr.vars.set(v, { c: this.g.take(`${prefix}_${v}`), ty: 'int', size: { n: 0, c: '0' } });
      for (const ch of this.chans) {
        if (ch.from !== pr.id && ch.to !== pr.id) continue;
        const shared = pr.sharedChans.has(ch.id);
        const take = (want: string) => (shared ? this.g.take(`${prefix}_${want}`) : want);
        const loc: Record<string, string> = {};
        const want = (k: string, w: string) => (loc[k] = take(`${w}_${ch.base}`));
        switch (ch.mech) {
          case 'fifo':
            want('fd', 'fd');
            break;
          case 'file':
            want('fd', 'fd');
            want('pos', 'pos');
            want('locked', 'locked');
            break;
          case 'sem-named':
            want('sem', 'sem');
            break;
          case 'shm-posix':
          case 'shm-sysv':
          case 'shm-file':
            want('shm', 'shm');
            break;
          case 'mq-posix':
            want('mq', 'mq');
            break;
          case 'tcp':
          case 'unix-stream':
            want('sock', 'sock');
            break;
          case 'udp':
          case 'unix-dgram':
            if (ch.from === pr.id) want('sock', 'sock');
            break;
        }
        pr.loc.set(ch.id, loc);
      }
    }
    // second pass: each function's own scope
    for (const pr of this.procs) {
      pr.scope = new Names(this.g);
      for (const [id, loc] of pr.loc) {
        if (pr.sharedChans.has(id)) continue;
        for (const k of Object.keys(loc)) loc[k] = pr.scope.take(loc[k]);
      }
      this.inferVars(pr);
      this.analyseLocks(pr);
      this.planOpens(pr);
      this.assignComments(pr);
      walk([...pr.prog.body, ...pr.prog.handlers.flatMap((h) => h.body)], (s) => {
        for (const e of exprsOf(s)) for (const v of varsOf(e)) pr.read.add(v);
        const c = channelOf(s);
        if (c) pr.uses.add(c);
        if (s.kind === 'signal') this.needPidTable = true;
        if (s.kind === 'send' && this.chan.get(s.channel.id!)?.mech === 'signal') this.needPidTable = true;
      });
    }
  }

  private recvSize(ch: Chan, r: RecvStmt): Size {
    const lit = literalInt(r.size);
    switch (ch.mech) {
      case 'mq-sysv':
        return size(MSG_MAX, 'MSG_MAX', 'MSG_MAX + 1');
      case 'mq-posix': {
        const n = Number(ch.opts.msgsize);
        return size(n, String(n), `${n} + 1`);
      }
      case 'file':
        return size(MAX_TEXT, 'MAX_TEXT', 'MAX_TEXT + 1');
      case 'udp':
      case 'unix-dgram':
        if (lit !== undefined && lit <= MAX_TEXT) return size(lit, String(lit), `${lit} + 1`);
        return size(MAX_TEXT, 'MAX_TEXT', 'MAX_TEXT + 1');
      default:
        if (!r.size) return size(DEFAULT_READ, String(DEFAULT_READ), `${DEFAULT_READ} + 1`);
        if (lit !== undefined && lit <= MAX_TEXT) return size(lit, String(lit), `${lit} + 1`);
        return size(MAX_TEXT, 'MAX_TEXT', 'MAX_TEXT + 1');
    }
  }

  /** Types (text wins) and sizes of the program's variables, to a fixed point. */
  private inferVars(pr: Proc): void {
    type Src = { name: string; ty?: Ty; size?: Size; expr?: Expr };
    const srcs: Src[] = [];
    const all = [...pr.prog.body, ...pr.prog.handlers.flatMap((h) => h.body)];
    walk(all, (s) => {
      switch (s.kind) {
        case 'set':
          srcs.push({ name: s.name, expr: s.value });
          break;
        case 'recv':
        case 'whileRecv': {
          const r = s.kind === 'recv' ? s : s.recv;
          const ch = this.chan.get(r.channel.id!);
          if (r.into && ch) srcs.push({ name: r.into, ty: 'text', size: this.recvSize(ch, r) });
          break;
        }
        case 'read': {
          const ch = this.chan.get(s.channel.id!);
          const segment = Number(ch?.opts.size ?? 4096);
          const lit = literalInt(s.length);
          srcs.push({ name: s.into, ty: 'text', size: lit !== undefined && lit <= segment ? size(lit, String(lit), `${lit} + 1`) : size(segment, String(segment), `${segment} + 1`) });
          break;
        }
        case 'trywait':
          srcs.push({ name: s.into, ty: 'int' });
          break;
        case 'repeat':
          srcs.push({ name: s.counter, ty: 'int' });
          break;
      }
    });
    const info = pr.vars;
    for (const s of srcs) {
      if (!info.has(s.name)) info.set(s.name, { c: pr.scope.take(s.name), ty: 'int', size: { n: 0, c: '0' } });
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
          v.size = round > 20 ? size(MAX_TEXT, 'MAX_TEXT', 'MAX_TEXT + 1') : want;
          changed = true;
        } else if (want.n === v.size.n && (want as { decl?: string }).decl && !(v.size as { decl?: string }).decl) {
          v.size = want;
        }
      }
    }
    for (const v of info.values()) if (v.ty === 'text' && declOf(v.size).includes('MAX_TEXT')) this.usesMaxText = true;
  }

  /** Whether each file send / recv runs with the lock held, free, or it depends (then a flag tracks it). */
  private analyseLocks(pr: Proc): void {
    const files = this.chans.filter((c) => c.mech === 'file' && (c.from === pr.id || c.to === pr.id)).map((c) => c.id);
    if (!files.length) return;
    type St = Map<string, LockState>;
    const merge = (...ss: St[]): St => {
      const out: St = new Map();
      for (const f of files) {
        const vals = new Set(ss.map((s) => s.get(f) ?? 'free'));
        out.set(f, vals.size === 1 ? [...vals][0] : 'unknown');
      }
      return out;
    };
    const same = (a: St, b: St) => files.every((f) => a.get(f) === b.get(f));
    const record = (s: Stmt, st: St) => {
      const prev = pr.lockAt.get(s);
      pr.lockAt.set(s, prev ? merge(prev, st) : new Map(st));
    };
    const loop = (body: Stmt[], entry: St, head?: Stmt): St => {
      for (let k = 0; k < 4; k++) {
        const breaks: St[] = [];
        if (head) record(head, entry);
        const end = block(body, entry, breaks);
        if (same(merge(entry, end), entry)) return merge(entry, end, ...breaks);
        entry = merge(entry, end);
      }
      return merge(entry);
    };
    const block = (list: Stmt[], st: St, breaks: St[]): St => {
      for (const s of list) {
        record(s, st);
        const c = channelOf(s);
        switch (s.kind) {
          case 'lock':
            if (c) st = new Map(st).set(c, 'held');
            break;
          case 'unlock':
            if (c) st = new Map(st).set(c, 'free');
            break;
          case 'repeat':
          case 'forever':
          case 'while':
            st = loop(s.body, st);
            break;
          case 'whileRecv':
            st = loop(s.body, st, s);
            break;
          case 'if':
            st = merge(block(s.then, st, breaks), s.else ? block(s.else, st, breaks) : st);
            break;
          case 'break':
            breaks.push(st);
            break;
        }
      }
      return st;
    };
    const start: St = new Map(files.map((f) => [f, 'free']));
    block(pr.prog.body, start, []);
    const unknown: St = new Map(files.map((f) => [f, 'unknown']));
    for (const h of pr.prog.handlers) block(h.body, unknown, []);
    // a handler that locks or unlocks makes the state anywhere unknown
    for (const h of pr.prog.handlers) walk(h.body, (s) => (s.kind === 'lock' || s.kind === 'unlock') && pr.lockDynamic.add(s.channel.id!));
    for (const [s, st] of pr.lockAt) {
      const c = channelOf(s);
      if (c && files.includes(c) && (s.kind === 'send' || s.kind === 'recv' || s.kind === 'whileRecv') && st.get(c) === 'unknown') pr.lockDynamic.add(c);
    }
  }

  /** FIFOs and stream sockets open on first use: right before it, when that is a top-level statement. */
  private planOpens(pr: Proc): void {
    for (const ch of this.chans) {
      if (!CONNECTS.has(ch.mech) || (ch.from !== pr.id && ch.to !== pr.id)) continue;
      let first: Stmt | undefined;
      let firstTop = false;
      const top = new Set(pr.prog.body);
      walk(pr.prog.body, (s) => {
        if (channelOf(s) !== ch.id) return;
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
      if (c.counted) body.push(`got_${sig}++;   /* one more delivery, for recv on the ${sig} channel */`);
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
      if ((ch.from === pr.id || ch.to === pr.id) && !pr.sharedChans.has(ch.id)) decls.push(...this.chanLocalDecls(pr, ch, false));
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
    if (fn.needs.has('fd')) out.push(`${ind}int fd;`);
    if (fn.needs.has('nbytes')) out.push(`${ind}ssize_t nbytes;`);
    if (fn.needs.has('len')) out.push(`${ind}int len;`);
    if (fn.needs.has('off')) out.push(`${ind}long off;`);
    if (fn.needs.has('msg')) out.push(`${ind}struct message msg;        /* a SysV message: its type, then its bytes */`);
    if (fn.message) out.push(`${ind}char message[${fn.message >= MAX_TEXT + 1 ? 'MAX_TEXT + 1' : fn.message}];`);
    if (fn.discard) out.push(`${ind}char discard[${fn.discard >= MAX_TEXT + 1 ? 'MAX_TEXT + 1' : fn.discard}];   /* recv without "as": the data is dropped */`);
    for (const [t, n] of fn.temps) out.push(`${ind}char ${t}[${n >= MAX_TEXT + 1 ? 'MAX_TEXT + 1' : n}];`);
    if (fn.message >= MAX_TEXT + 1 || fn.discard >= MAX_TEXT + 1 || [...fn.temps.values()].some((n) => n >= MAX_TEXT + 1)) this.usesMaxText = true;
    return out;
  }

  private chanLocalDecls(pr: Proc, ch: Chan, fileScope: boolean): string[] {
    const loc = pr.loc.get(ch.id) ?? {};
    const pre = fileScope ? 'static ' : '    ';
    const out: string[] = [];
    const note = ` /* ${ch.label} (${ch.mech}) */`;
    // a FIFO or stream socket the program never names is never opened: nothing to declare
    if (CONNECTS.has(ch.mech) && !pr.uses.has(ch.id)) return out;
    switch (ch.mech) {
      case 'fifo':
        out.push(`${pre}int ${loc.fd} = -1;${note.replace(' */', ': opened on first use */')}`);
        break;
      case 'file':
        out.push(`${pre}int ${loc.fd};${note}`);
        if (this.usesFileRecv(pr, ch)) out.push(`${pre}off_t ${loc.pos} = 0;   /* how far ${pr.name} has read ${ch.label} */`);
        if (pr.lockDynamic.has(ch.id)) out.push(`${pre}int ${loc.locked} = 0;   /* ${pr.name} holds the lock of ${ch.label} */`);
        break;
      case 'sem-named':
        out.push(`${pre}sem_t *${loc.sem};${note}`);
        break;
      case 'shm-posix':
      case 'shm-sysv':
      case 'shm-file':
        out.push(`${pre}char *${loc.shm};${note}`);
        break;
      case 'mq-posix':
        out.push(`${pre}mqd_t ${loc.mq};${note}`);
        break;
      case 'tcp':
      case 'unix-stream':
        out.push(`${pre}int ${loc.sock} = -1;${note.replace(' */', `: ${ch.to === pr.id ? 'accepted' : 'connected'} on first use */`)}`);
        break;
      case 'udp':
      case 'unix-dgram':
        if (loc.sock) out.push(`${pre}int ${loc.sock};${note}`);
        break;
    }
    return out;
  }

  private usesFileRecv(pr: Proc, ch: Chan): boolean {
    let yes = false;
    walk([...pr.prog.body, ...pr.prog.handlers.flatMap((h) => h.body)], (s) => {
      if ((s.kind === 'recv' || s.kind === 'whileRecv') && channelOf(s) === ch.id) yes = true;
    });
    return yes;
  }

  private catchesAny(pr: Proc): boolean {
    return pr.catches.size > 0;
  }

  /** Before the start: close what is not ours, install handlers, open our ends, then wait for the others. */
  private preamble(pr: Proc, fn: Fn): void {
    const notOurs: string[] = [];
    for (const ch of this.chans) {
      if (ch.mech === 'pipe') {
        if (ch.from !== pr.id) notOurs.push(`close(${ch.g.pipe}[1]);`);
        if (ch.to !== pr.id) notOurs.push(`close(${ch.g.pipe}[0]);`);
      } else if (ch.mech === 'tcp' || ch.mech === 'unix-stream') {
        if (ch.to !== pr.id) notOurs.push(`close(${ch.g.listen});`);
      } else if (ch.mech === 'udp' || ch.mech === 'unix-dgram') {
        if (ch.to !== pr.id) notOurs.push(`close(${ch.g.bound});`);
      }
    }
    if (notOurs.length) {
      const pipes = this.chans.some((c) => c.mech === 'pipe');
      fn.emit(`/* close the inherited fds ${pr.name} does not use${pipes ? ': a reader sees end of file only once every write end is closed' : ''} */`);
      for (let i = 0; i < notOurs.length; i += 4) fn.emit(notOurs.slice(i, i + 4).join(' '));
    }
    for (const [sig, c] of pr.catches) {
      this.helpers.add('catch_signal');
      fn.emit(`catch_signal(${sig}, ${c.fn});`);
    }
    for (const ch of this.chans) {
      if (ch.from !== pr.id && ch.to !== pr.id) continue;
      const loc = pr.loc.get(ch.id) ?? {};
      switch (ch.mech) {
        case 'file':
          fn.emit(`${loc.fd} = open(${ch.g.path}, O_RDWR);`, );
          fn.emit(`if (${loc.fd} == -1) die("open");`);
          break;
        case 'sem-named':
          fn.emit(`${loc.sem} = sem_open(${ch.g.name}, 0);${fn.note('the semaphore main() created, by its name')}`);
          fn.emit(`if (${loc.sem} == SEM_FAILED) die("sem_open");`);
          break;
        case 'shm-posix':
        case 'shm-file': {
          const sz = Number(ch.opts.size);
          this.needsLocal(fn, 'fd');
          fn.emit(ch.mech === 'shm-posix' ? `fd = shm_open(${ch.g.name}, O_RDWR, 0);` : `fd = open(${ch.g.path}, O_RDWR);`);
          fn.emit(`if (fd == -1) die("${ch.mech === 'shm-posix' ? 'shm_open' : 'open'}");`);
          fn.emit(`${loc.shm} = mmap(NULL, ${sz}, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);`);
          fn.emit(`if (${loc.shm} == MAP_FAILED) die("mmap");`);
          fn.emit(`close(fd);   /* the mapping stays */`);
          break;
        }
        case 'shm-sysv':
          fn.emit(`${loc.shm} = shmat(${ch.g.shmid}, NULL, 0);`);
          fn.emit(`if (${loc.shm} == (char *)-1) die("shmat");`);
          break;
        case 'mq-posix':
          fn.emit(`${loc.mq} = mq_open(${ch.g.name}, O_RDWR);`);
          fn.emit(`if (${loc.mq} == (mqd_t)-1) die("mq_open");`);
          break;
        case 'udp':
        case 'unix-dgram':
          if (ch.from === pr.id) {
            fn.emit(`${loc.sock} = socket(${ch.mech === 'udp' ? 'AF_INET' : 'AF_UNIX'}, SOCK_DGRAM, 0);`);
            fn.emit(`if (${loc.sock} == -1) die("socket");`);
          }
          break;
      }
    }
    fn.emit('wait_for_start();');
    fn.emit('');
  }

  private needsLocal(fn: Fn, what: 'nbytes' | 'len' | 'off' | 'msg' | 'fd'): void {
    fn.needs.add(what);
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

  /** The bytes of a send / write: a pointer and a length, after any lines that build them. */
  private data(pr: Proc, fn: Fn, eg: ExprGen, e: Expr, into?: string): { ptr: string; len: string; lines: string[] } {
    const k = eg.constText(e);
    if (k !== undefined && !into) return { ptr: cString(k), len: String(byteLength(k)), lines: [] };
    if (!into && e.kind === 'var' && e.name !== 'pid' && pr.vars.get(e.name)?.ty === 'text') {
      const c = pr.vars.get(e.name)!.c;
      return { ptr: c, len: `strlen(${c})`, lines: [] };
    }
    const bound = eg.bound(e);
    const buf = into ?? 'message';
    if (k !== undefined && into) {
      return { ptr: buf, len: String(byteLength(k)), lines: [`memcpy(${buf}, ${cString(k)}, ${byteLength(k)});`] };
    }
    this.needsLocal(fn, 'len');
    if (!into) fn.message = Math.max(fn.message, Math.min(bound, MAX_TEXT) + 1);
    const x = eg.fmt(e);
    const lines = [`len = snprintf(${buf}, sizeof ${buf}, ${['"' + x.f + '"', ...x.a].join(', ')});`];
    if (bound > this.messageBytes) {
      this.helpers.add('check_length');
      lines.push(`check_length(len, ${e.pos.line}, "${this.verbAt(pr, e.pos.line)}");`);
    }
    if (bound >= (into ? MSG_MAX : MAX_TEXT)) lines.push(`if (len >= (int)sizeof ${buf}) len = sizeof ${buf} - 1;   /* cut to fit */`);
    return { ptr: buf, len: 'len', lines };
  }

  /** `send c1`: the verb and channel of a program line, for messages. */
  private verbAt(pr: Proc, line: number): string {
    const src = (pr.src[line - 1] ?? '').trim().split(/\s+/).slice(0, 2).join(' ');
    return commentSafe(src).replace(/["\\]/g, '');
  }

  private check(call: string, what: string, fn: Fn, epipe = false): string {
    const fail = fn.handler ? '_exit(1)' : `die("${what}")`;
    return epipe ? `if (${call} == -1 && errno != EPIPE) ${fail};` : `if (${call} == -1) ${fail};`;
  }

  private stmt(pr: Proc, fn: Fn, s: Stmt, owner: Handler | null): void {
    fn.statement();
    this.lineComment(pr, fn, s, owner);
    fn.emit(`AT_LINE(${s.pos.line});`);
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
            this.needsLocal(fn, 'len');
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
        this.helpers.add('sleep_ms');
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
      case 'signal': {
        const target = this.proc.get(s.target.id ?? s.target.name);
        fn.emit(this.check(`kill(pid_of[${target?.en ?? 0}], ${s.signal})`, 'kill', fn));
        return;
      }
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
      default:
        this.channelVerb(pr, fn, s, eg, out);
        emit();
    }
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

  /** Opens a FIFO or connects a stream socket on first use. */
  private ensureOpen(pr: Proc, fn: Fn, ch: Chan, s: Stmt, out: string[]): void {
    if (!CONNECTS.has(ch.mech)) return;
    const plan = pr.openAt.get(ch.id);
    if (fn.open.has(ch.id) || (plan && plan !== s)) return; // opened by an earlier statement
    fn.open.add(ch.id);
    const loc = pr.loc.get(ch.id)!;
    const lines: string[] = [];
    const role = ch.from === pr.id ? 'from' : 'to';
    if (ch.mech === 'fifo') {
      const flags = role === 'from' ? 'O_WRONLY' : 'O_RDONLY';
      lines.push(`${loc.fd} = open(${ch.g.path}, ${flags});   /* blocks until the other side opens the FIFO too */`);
      lines.push(`if (${loc.fd} == -1) die("open");`);
    } else if (role === 'to') {
      lines.push(`${loc.sock} = accept(${ch.g.listen}, NULL, NULL);   /* waits for the other side's connect() */`);
      lines.push(`if (${loc.sock} == -1) die("accept");`);
    } else {
      lines.push(`${loc.sock} = socket(${ch.mech === 'tcp' ? 'AF_INET' : 'AF_UNIX'}, SOCK_STREAM, 0);`);
      lines.push(`if (${loc.sock} == -1) die("socket");`);
      lines.push(`if (connect(${loc.sock}, (struct sockaddr *)&${ch.g.addr}, sizeof ${ch.g.addr}) == -1) die("connect");`);
    }
    const fd = ch.mech === 'fifo' ? loc.fd : loc.sock;
    if (plan === s) out.push(...lines);
    else out.push(`if (${fd} == -1) {   /* first use */`, ...lines.map((l) => '    ' + l), '}');
  }

  /** The fd a stream or datagram recv reads. */
  private readFd(pr: Proc, ch: Chan): string {
    const loc = pr.loc.get(ch.id) ?? {};
    switch (ch.mech) {
      case 'pipe':
        return `${ch.g.pipe}[0]`;
      case 'fifo':
        return loc.fd;
      case 'udp':
      case 'unix-dgram':
        return ch.g.bound;
      default:
        return loc.sock;
    }
  }

  /** Lines that receive one message (or chunk) into dest; nbytes = its length (0: end of file on a stream). */
  private recvInto(pr: Proc, fn: Fn, r: RecvStmt, eg: ExprGen, ch: Chan, dest: string, out: string[], at: Stmt): void {
    const loc = pr.loc.get(ch.id) ?? {};
    const intr = this.catchesAny(pr);
    const fail = (what: string) => (fn.handler ? '_exit(1)' : `die("${what}")`);
    this.needsLocal(fn, 'nbytes');
    let count: string;
    const lit = literalInt(r.size);
    const sz = this.recvSize(ch, r);
    // files and queues take whole messages / all new bytes: no count (as in the playground)
    if (!r.size || !(STREAM.has(ch.mech) || ch.mech === 'udp' || ch.mech === 'unix-dgram')) count = sz.c;
    else if (lit !== undefined) count = String(Math.min(lit, sz.n));
    else {
      this.needsLocal(fn, 'len');
      out.push(`len = ${eg.int(r.size).c};`, `if (len < 1 || len > (int)sizeof ${dest} - 1) len = sizeof ${dest} - 1;`);
      count = 'len';
    }
    switch (ch.mech) {
      case 'pipe':
      case 'fifo':
        out.push(`nbytes = read(${this.readFd(pr, ch)}, ${dest}, ${count});`);
        out.push(`if (nbytes == -1) ${fail('read')};`);
        break;
      case 'tcp':
      case 'unix-stream':
        out.push(`nbytes = recv(${loc.sock}, ${dest}, ${count}, 0);`);
        out.push(`if (nbytes == -1) ${fail('recv')};`);
        break;
      case 'udp':
      case 'unix-dgram':
        out.push(`nbytes = recvfrom(${ch.g.bound}, ${dest}, ${count}, 0, NULL, NULL);${fn.note('one datagram')}`);
        out.push(`if (nbytes == -1) ${fail('recvfrom')};`);
        break;
      case 'mq-sysv': {
        this.needsLocal(fn, 'msg');
        const t = r.mtype ? eg.int(r.mtype).c : String(ch.opts.mtype);
        const call = `nbytes = msgrcv(${ch.g.msqid}, &msg, sizeof msg.mtext, ${t}, MSG_NOERROR)`;
        if (intr) out.push(`while ((${call}) == -1 && errno == EINTR) {}   /* msgrcv is not restarted after a handler */`);
        else out.push(`${call};${r.mtype && literalInt(r.mtype) === 0 ? '   /* type 0: the first message of any type */' : ''}`);
        out.push(`if (nbytes == -1) ${fail('msgrcv')};`);
        out.push(`memcpy(${dest}, msg.mtext, nbytes);`);
        break;
      }
      case 'mq-posix':
        out.push(`nbytes = mq_receive(${loc.mq}, ${dest}, ${Number(ch.opts.msgsize)}, NULL);${fn.note("room for the queue's largest message (mq_msgsize); out comes the oldest of the highest priority")}`);
        out.push(`if (nbytes == -1) ${fail('mq_receive')};`);
        break;
      case 'file': {
        this.helpers.add('file_size');
        this.helpers.add('sleep_ms');
        this.helpers.add('lock_file');
        const dyn = pr.lockDynamic.has(ch.id);
        const held = pr.lockAt.get(at)?.get(ch.id) === 'held';
        out.push(`while (file_size(${loc.fd}) <= ${loc.pos}) sleep_ms(${FILE_POLL_MS});${fn.note('no new bytes yet: look again soon')}`);
        if (dyn) out.push(`if (!${loc.locked}) lock_file(${loc.fd}, F_RDLCK);`);
        else if (!held) out.push(`lock_file(${loc.fd}, F_RDLCK);${fn.note('F_SETLKW: waits while a writer holds the lock')}`);
        out.push(`nbytes = pread(${loc.fd}, ${dest}, sizeof ${dest} - 1, ${loc.pos});${fn.note('the bytes added since the last read')}`);
        out.push(`if (nbytes == -1) ${fail('pread')};`);
        if (dyn) out.push(`if (!${loc.locked}) lock_file(${loc.fd}, F_UNLCK);`);
        else if (!held) out.push(`lock_file(${loc.fd}, F_UNLCK);`);
        out.push(`${loc.pos} += nbytes;`);
        break;
      }
    }
    out.push(`${dest}[nbytes] = '\\0';`);
  }

  private recv(pr: Proc, fn: Fn, s: RecvStmt, eg: ExprGen, out: string[]): void {
    const ch = this.chan.get(s.channel.id!)!;
    if (ch.mech === 'signal') {
      this.helpers.add('wait_for_signal');
      const sig = String(ch.opts.signal);
      out.push(`wait_for_signal(${sig}, &got_${sig});`);
      return;
    }
    if (ch.mech === 'sem-named' || ch.mech === 'sem-unnamed') {
      out.push(this.check(`sem_wait(${this.semOf(pr, ch)})`, 'sem_wait', fn));
      return;
    }
    this.ensureOpen(pr, fn, ch, s, out);
    let dest: string;
    if (s.into) dest = pr.vars.get(s.into)!.c;
    else {
      dest = 'discard';
      fn.discard = Math.max(fn.discard, this.recvSize(ch, s).n + 1);
    }
    this.recvInto(pr, fn, s, eg, ch, dest, out, s);
  }

  private whileRecv(pr: Proc, fn: Fn, s: Extract<Stmt, { kind: 'whileRecv' }>, owner: Handler | null): void {
    const r = s.recv;
    const ch = this.chan.get(r.channel.id!)!;
    const pre: string[] = [];
    this.ensureOpen(pr, fn, ch, s, pre);
    fn.flushPre();
    for (const l of pre) fn.emit(l);
    let dest: string;
    if (r.into) dest = pr.vars.get(r.into)!.c;
    else {
      dest = 'discard';
      fn.discard = Math.max(fn.discard, this.recvSize(ch, r).n + 1);
    }
    const lines: string[] = [];
    const e2 = this.eg(pr, fn);
    this.recvInto(pr, fn, r, e2, ch, dest, lines, s);
    const simple = STREAM.has(ch.mech) && fn.pre.length === 0 && lines.length === 3 && lines[0].startsWith('nbytes = ');
    if (simple) {
      // while ((nbytes = read(fd, buf, n)) > 0): until end of file
      const call = lines[0].slice('nbytes = '.length, lines[0].indexOf(';'));
      fn.emit(`while ((nbytes = ${call}) > 0) {`);
      fn.ind++;
      fn.emit(lines[2]);
      fn.ind--;
      this.body(pr, fn, s.body, owner);
      fn.emit('}');
      const sock = ch.mech === 'tcp' || ch.mech === 'unix-stream';
      fn.emit(this.check('nbytes', sock ? 'recv' : 'read', fn) + `   /* else 0: end of file, ${sock ? 'the other side closed' : 'every write end is closed'} */`);
      return;
    }
    fn.emit(`for (;;) {${STREAM.has(ch.mech) ? '' : `   /* ${ch.mech === 'file' ? 'a file' : ch.mech.startsWith('mq') ? 'a queue' : 'a datagram socket'} has no end of file: only break or exit end this loop */`}`);
    fn.ind++;
    fn.flushPre();
    for (const l of lines) fn.emit(l);
    if (STREAM.has(ch.mech)) fn.emit('if (nbytes == 0) break;   /* end of file */');
    fn.ind--;
    this.body(pr, fn, s.body, owner);
    fn.emit('}');
  }

  private semOf(pr: Proc, ch: Chan): string {
    return ch.mech === 'sem-unnamed' ? ch.g.sem : pr.loc.get(ch.id)!.sem;
  }

  private channelVerb(pr: Proc, fn: Fn, s: Stmt, eg: ExprGen, out: string[]): void {
    if (!('channel' in s)) return;
    const ch = this.chan.get(s.channel.id!)!;
    const loc = pr.loc.get(ch.id) ?? {};
    const role = ch.from === pr.id ? 'from' : 'to';
    const epipe = pr.catches.has('SIGPIPE');
    switch (s.kind) {
      case 'send': {
        if (ch.mech === 'signal') {
          const target = this.proc.get(ch.to)!;
          out.push(this.check(`kill(pid_of[${target.en}], ${ch.opts.signal})`, 'kill', fn));
          return;
        }
        if (ch.mech === 'sem-named' || ch.mech === 'sem-unnamed') {
          out.push(this.check(`sem_post(${this.semOf(pr, ch)})`, 'sem_post', fn));
          return;
        }
        if (ch.mech === 'mq-sysv') {
          this.needsLocal(fn, 'msg');
          out.push(`msg.mtype = ${s.mtype ? eg.int(s.mtype).c : String(ch.opts.mtype)};`);
          const d = this.data(pr, fn, eg, s.data!, 'msg.mtext');
          out.push(...d.lines);
          const call = `msgsnd(${ch.g.msqid}, &msg, ${d.len}, 0)`;
          if (this.catchesAny(pr)) out.push(`while (${call} == -1) {`, `    if (errno != EINTR) ${fn.handler ? '_exit(1)' : 'die("msgsnd")'};`, '}');
          else out.push(this.check(call, 'msgsnd', fn));
          return;
        }
        const d = this.data(pr, fn, eg, s.data!);
        this.ensureOpen(pr, fn, ch, s, out);
        out.push(...d.lines);
        switch (ch.mech) {
          case 'pipe':
            out.push(this.check(`write(${ch.g.pipe}[1], ${d.ptr}, ${d.len})`, 'write', fn, epipe));
            return;
          case 'fifo':
            out.push(this.check(`write(${loc.fd}, ${d.ptr}, ${d.len})`, 'write', fn, epipe));
            return;
          case 'tcp':
          case 'unix-stream':
            out.push(this.check(`send(${loc.sock}, ${d.ptr}, ${d.len}, 0)`, 'send', fn, epipe));
            return;
          case 'udp':
          case 'unix-dgram':
            out.push(this.check(`sendto(${loc.sock}, ${d.ptr}, ${d.len}, 0, (struct sockaddr *)&${ch.g.addr}, sizeof ${ch.g.addr})`, 'sendto', fn));
            return;
          case 'mq-posix':
            out.push(this.check(`mq_send(${loc.mq}, ${d.ptr}, ${d.len}, ${s.priority ? eg.int(s.priority).c : '0'})`, 'mq_send', fn));
            return;
          case 'file': {
            this.helpers.add('lock_file');
            const dyn = pr.lockDynamic.has(ch.id);
            const held = pr.lockAt.get(s)?.get(ch.id) === 'held';
            if (dyn) out.push(`if (!${loc.locked}) lock_file(${loc.fd}, F_WRLCK);`);
            else if (!held) out.push(`lock_file(${loc.fd}, F_WRLCK);${fn.note('F_SETLKW: waits while another process holds the lock')}`);
            out.push(this.check(`lseek(${loc.fd}, 0, SEEK_END)`, 'lseek', fn) + '   /* append */');
            out.push(this.check(`write(${loc.fd}, ${d.ptr}, ${d.len})`, 'write', fn));
            if (dyn) out.push(`if (!${loc.locked}) lock_file(${loc.fd}, F_UNLCK);`);
            else if (!held) out.push(`lock_file(${loc.fd}, F_UNLCK);`);
            return;
          }
        }
        return;
      }
      case 'close': {
        switch (ch.mech) {
          case 'pipe':
            out.push(`close(${ch.g.pipe}[${role === 'from' ? 1 : 0}]);`);
            return;
          case 'fifo':
          case 'tcp':
          case 'unix-stream': {
            const fd = ch.mech === 'fifo' ? loc.fd : loc.sock;
            const plan = pr.openAt.get(ch.id);
            const open = fn.open.has(ch.id) || (plan && plan !== s);
            if (open) out.push(`close(${fd});`);
            else out.push(`if (${fd} != -1) close(${fd});`);
            if (ch.mech !== 'fifo' && role === 'to') out.push(`close(${ch.g.listen});   /* and the listening socket */`);
            return;
          }
          case 'udp':
          case 'unix-dgram':
            out.push(`close(${role === 'to' ? ch.g.bound : loc.sock});`);
            return;
        }
        return;
      }
      case 'write': {
        const shm = this.shmOf(pr, ch);
        const segment = Number(ch.opts.size);
        const d = this.data(pr, fn, eg, s.data);
        out.push(...d.lines);
        const offLit = s.offset ? literalInt(s.offset) : 0;
        const lenLit = d.len === 'len' || d.len.startsWith('strlen') ? undefined : Number(d.len);
        let off = offLit !== undefined ? String(offLit) : 'off';
        if (offLit === undefined) {
          this.needsLocal(fn, 'off');
          out.push(`off = ${eg.int(s.offset!).c};`);
        }
        if (offLit === undefined || lenLit === undefined) {
          this.helpers.add('check_range');
          out.push(`check_range(${off}, ${d.len}, ${segment}, ${s.pos.line});`);
        }
        if (off === '0') off = '';
        out.push(`memcpy(${shm}${off ? ` + ${off}` : ''}, ${d.ptr}, ${d.len});${fn.note('plain memory: no system call')}`);
        return;
      }
      case 'read': {
        const shm = this.shmOf(pr, ch);
        const segment = Number(ch.opts.size);
        const v = pr.vars.get(s.into)!;
        const offLit = s.offset ? literalInt(s.offset) : 0;
        const lenLit = literalInt(s.length);
        let off = offLit !== undefined ? String(offLit) : 'off';
        const len = lenLit !== undefined ? String(lenLit) : 'len';
        if (offLit === undefined) {
          this.needsLocal(fn, 'off');
          out.push(`off = ${eg.int(s.offset!).c};`);
        }
        if (lenLit === undefined) {
          this.needsLocal(fn, 'len');
          out.push(`len = ${eg.int(s.length).c};`);
        }
        if (offLit === undefined || lenLit === undefined) {
          this.helpers.add('check_range');
          out.push(`check_range(${off}, ${len}, ${segment}, ${s.pos.line});`);
        }
        if (off === '0') off = '';
        out.push(`memcpy(${v.c}, ${shm}${off ? ` + ${off}` : ''}, ${len});`);
        out.push(`${v.c}[${len}] = '\\0';${fn.note("the text ends at the first '\\0' byte")}`);
        return;
      }
      case 'lock':
        this.helpers.add('lock_file');
        out.push(`lock_file(${loc.fd}, F_WRLCK);${fn.note('fcntl(F_SETLKW): waits while another process holds it')}`);
        if (pr.lockDynamic.has(ch.id)) out.push(`${loc.locked} = 1;`);
        return;
      case 'unlock':
        this.helpers.add('lock_file');
        out.push(`lock_file(${loc.fd}, F_UNLCK);`);
        if (pr.lockDynamic.has(ch.id)) out.push(`${loc.locked} = 0;`);
        return;
      case 'wait':
        out.push(this.check(`sem_wait(${this.semOf(pr, ch)})`, 'sem_wait', fn) + fn.note('takes one; blocks while the value is 0'));
        return;
      case 'post':
        out.push(this.check(`sem_post(${this.semOf(pr, ch)})`, 'sem_post', fn) + fn.note('gives one back, wakes a waiter'));
        return;
      case 'trywait': {
        const v = pr.vars.get(s.into)!;
        out.push(`if (sem_trywait(${this.semOf(pr, ch)}) == 0) ${this.assignInt(v, '1')}`);
        out.push(`else if (errno == EAGAIN) ${this.assignInt(v, '0')}   /* it would have blocked */`);
        out.push(`else ${fn.handler ? '_exit(1)' : 'die("sem_trywait")'};`);
        return;
      }
    }
  }

  private shmOf(pr: Proc, ch: Chan): string {
    return ch.mech === 'shm-anon' ? ch.g.shm : pr.loc.get(ch.id)!.shm;
  }

  // ---- file scope ----

  private header(): string[] {
    const sc = this.sc;
    const mechs = new Set(this.chans.map((c) => c.mech));
    const inc = this.inc;
    inc.add('time.h');
    if (this.needRunDir || mechs.has('file') || mechs.has('shm-file')) inc.add('limits.h');
    if ([...mechs].some((m) => ['fifo', 'file', 'shm-file', 'shm-posix', 'mq-posix', 'sem-named'].includes(m))) inc.add('fcntl.h');
    if ([...mechs].some((m) => ['fifo', 'file', 'shm-file', 'shm-posix'].includes(m))) inc.add('sys/stat.h');
    if (mechs.has('sem-named') || mechs.has('sem-unnamed')) inc.add('semaphore.h');
    if (mechs.has('shm-sysv') || mechs.has('mq-sysv')) inc.add('sys/ipc.h');
    if (mechs.has('shm-sysv')) inc.add('sys/shm.h');
    if (mechs.has('mq-sysv')) inc.add('sys/msg.h');
    if (mechs.has('mq-posix')) inc.add('mqueue.h');
    if ([...mechs].some((m) => SOCKETS.has(m))) inc.add('sys/socket.h');
    if (mechs.has('tcp') || mechs.has('udp')) {
      inc.add('netinet/in.h');
      inc.add('arpa/inet.h');
    }
    if (mechs.has('unix-stream') || mechs.has('unix-dgram')) inc.add('sys/un.h');
    if (mechs.has('file')) inc.add('fcntl.h');
    const order = ['stdio.h', 'stdlib.h', 'string.h', 'unistd.h', 'errno.h', 'signal.h', 'time.h', 'limits.h', 'fcntl.h', 'semaphore.h', 'mqueue.h',
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
      ...order.filter((h) => inc.has(h)).map((h) => `#include <${h}>`),
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
    const h = this.helpers;
    h.add('die');
    h.add('wait_for_start');
    const out: string[] = [];
    if (this.usesMaxText) out.push('', `#define MAX_TEXT ${MAX_TEXT}   /* the most bytes of one message or text, as in the playground */`);
    if (this.usesMsg) {
      out.push('', `#define MSG_MAX ${MSG_MAX}   /* msgsnd(2) refuses longer messages (msgmax, 8192 by default) */`);
      out.push('struct message {', '    long mtype;              /* > 0: the receiver can ask for one type */', '    char mtext[MSG_MAX];', '};');
    }
    out.push(
      '',
      '/* A failed system call: say which and why (perror prints errno\'s text), and end the process. */',
      'static void die(const char *what)',
      '{',
      '    perror(what);',
      '    exit(1);',
      '}',
    );
    if (h.has('sleep_ms')) {
      out.push(
        '',
        '/* Sleeps ms milliseconds. nanosleep(2) stops early when a signal handler runs: sleep the rest. */',
        'static void sleep_ms(long ms)',
        '{',
        '    struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };',
        '    while (nanosleep(&ts, &ts) == -1 && errno == EINTR) {}',
        '}',
      );
    }
    if (h.has('catch_signal')) {
      out.push(
        '',
        '/* Installs handler for sig with sigaction(2). SA_RESTART: a read(), write(), accept(), sem_wait()...',
        ' * that the handler interrupted goes on afterwards instead of failing with EINTR. */',
        'static void catch_signal(int sig, void (*handler)(int))',
        '{',
        '    struct sigaction sa;',
        '    memset(&sa, 0, sizeof sa);',
        '    sa.sa_handler = handler;',
        '    sigemptyset(&sa.sa_mask);',
        '    sa.sa_flags = SA_RESTART;',
        '    if (sigaction(sig, &sa, NULL) == -1) die("sigaction");',
        '}',
      );
    }
    if (h.has('wait_for_signal')) {
      out.push(
        '',
        '/* Waits until sig has been delivered once more than it was waited for, and takes that delivery.',
        ' * The handler counts deliveries in *count. sig is blocked while we look at the count, and',
        ' * sigsuspend(2) unblocks it and sleeps in one step: a signal that comes between the look and',
        ' * the sleep is not lost (with a plain pause() it could be, and we would sleep forever). */',
        'static void wait_for_signal(int sig, volatile sig_atomic_t *count)',
        '{',
        '    sigset_t block, old;',
        '    sigemptyset(&block);',
        '    sigaddset(&block, sig);',
        '    if (sigprocmask(SIG_BLOCK, &block, &old) == -1) die("sigprocmask");',
        '    while (*count == 0)',
        '        sigsuspend(&old);   /* returns after a handler ran */',
        '    (*count)--;',
        '    if (sigprocmask(SIG_SETMASK, &old, NULL) == -1) die("sigprocmask");',
        '}',
      );
    }
    if (h.has('lock_file')) {
      out.push(
        '',
        '/* A POSIX record lock on the whole file: F_RDLCK, F_WRLCK (F_SETLKW waits for it) or F_UNLCK. */',
        'static void lock_file(int fd, short type)',
        '{',
        '    struct flock fl;',
        '    memset(&fl, 0, sizeof fl);',
        '    fl.l_type = type;',
        '    fl.l_whence = SEEK_SET;',
        '    fl.l_start = 0;',
        '    fl.l_len = 0;             /* 0: to the end of the file, however long */',
        '    if (fcntl(fd, type == F_UNLCK ? F_SETLK : F_SETLKW, &fl) == -1) die("fcntl");',
        '}',
      );
    }
    if (h.has('file_size')) {
      out.push(
        '',
        '/* A file\'s size: a reader finds out with fstat(2) whether bytes were added (files never block a reader). */',
        'static off_t file_size(int fd)',
        '{',
        '    struct stat st;',
        '    if (fstat(fd, &st) == -1) die("fstat");',
        '    return st.st_size;',
        '}',
      );
    }
    if (h.has('to_number')) {
      out.push(
        '',
        '/* Text used as a number, as the playground does: "42" is 42, "" is 0, anything else is an error. */',
        'static long to_number(const char *text)',
        '{',
        '    char *end;',
        '    long n;',
        '    errno = 0;',
        '    n = strtol(text, &end, 10);',
        '    while (*end == \' \' || *end == \'\\t\' || *end == \'\\n\')',
        '        end++;',
        '    if (errno != 0 || *end != \'\\0\') {',
        '        fprintf(stderr, "\\"%s\\" is not a number\\n", text);',
        '        exit(1);',
        '    }',
        '    return n;',
        '}',
      );
    }
    if (h.has('check_length')) {
      out.push(
        '',
        `#define MESSAGE_MAX ${this.messageBytes}   /* the playground's limit on one message */`,
        '',
        '/* A message built while the program runs may be longer than the limit: then the process stops,',
        ' * naming the line (write(2) and _exit(2): safe in a signal handler too). */',
        'static void check_length(long len, int line, const char *what)',
        '{',
        '    char text[160];',
        '    int n;',
        '    if (len <= MESSAGE_MAX) return;',
        '    n = snprintf(text, sizeof text, "line %d: %s: message of %ld bytes is over the limit of %d\\n", line, what, len, MESSAGE_MAX);',
        '    if (write(STDERR_FILENO, text, n) == -1) {}',
        '    _exit(1);',
        '}',
      );
    }
    if (h.has('check_range')) {
      out.push(
        '',
        '/* Shared memory is plain memory: nothing stops a write past its end, so we check. */',
        'static void check_range(long offset, long length, long size, int line)',
        '{',
        '    if (offset < 0 || length < 0 || offset + length > size) {',
        '        fprintf(stderr, "line %d: bytes %ld..%ld are outside the %ld-byte segment\\n", line, offset, offset + length, size);',
        '        exit(1);',
        '    }',
        '}',
      );
    }
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
    for (const ch of this.chans) {
      const what = `${ch.label} (${ch.mech}): ${this.proc.get(ch.from)!.name} -> ${this.proc.get(ch.to)!.name}`;
      const g = ch.g;
      switch (ch.mech) {
        case 'pipe':
          objs.push(`static int ${g.pipe}[2];${pad(g.pipe, 24)}/* ${what}: [0] read end, [1] write end */`);
          break;
        case 'fifo':
        case 'file':
        case 'shm-file':
          objs.push(`static char ${g.path}[PATH_MAX];${pad(g.path, 16)}/* ${what} */`);
          break;
        case 'sem-named':
        case 'shm-posix':
        case 'mq-posix':
          objs.push(`static char ${g.name}[64];${pad(g.name, 22)}/* ${what}: its name */`);
          break;
        case 'sem-unnamed':
          objs.push(`static sem_t *${g.sem};${pad(g.sem, 23)}/* ${what}: in shared memory */`);
          break;
        case 'shm-sysv':
          objs.push(`static int ${g.shmid};${pad(g.shmid, 25)}/* ${what} */`);
          break;
        case 'shm-anon':
          objs.push(`static char *${g.shm};${pad(g.shm, 24)}/* ${what}: mapped before fork(), so shared */`);
          break;
        case 'mq-sysv':
          objs.push(`static int ${g.msqid};${pad(g.msqid, 25)}/* ${what} */`);
          break;
        case 'tcp':
        case 'udp': {
          const s = ch.mech === 'tcp' ? g.listen : g.bound;
          objs.push(`static int ${s};${pad(s, 25)}/* ${what}: ${this.proc.get(ch.to)!.name}'s ${ch.mech === 'tcp' ? 'listening' : 'bound'} socket */`);
          objs.push(`static struct sockaddr_in ${g.addr};${pad(g.addr, 10)}/* its address: 127.0.0.1 and the port the kernel chose */`);
          break;
        }
        case 'unix-stream':
        case 'unix-dgram': {
          const s = ch.mech === 'unix-stream' ? g.listen : g.bound;
          objs.push(`static int ${s};${pad(s, 25)}/* ${what}: ${this.proc.get(ch.to)!.name}'s ${ch.mech === 'unix-stream' ? 'listening' : 'bound'} socket */`);
          objs.push(`static struct sockaddr_un ${g.addr};${pad(g.addr, 10)}/* its address: a path in the run directory */`);
          break;
        }
      }
    }
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
    const locals = new Set<string>();
    if (this.needRunDir) {
      body.push(
        'snprintf(run_dir, sizeof run_dir, "%s/ipc-XXXXXX", tmp ? tmp : "/tmp");',
        'if (mkdtemp(run_dir) == NULL) die("mkdtemp");   /* a new directory, mode 0700 */',
      );
    }
    for (const ch of this.chans) {
      const g = ch.g;
      const from = this.proc.get(ch.from)!.name;
      const to = this.proc.get(ch.to)!.name;
      const b = ch.base;
      body.push('', `/* ${ch.label} (${ch.mech}): ${from} -> ${to} */`);
      switch (ch.mech) {
        case 'pipe':
          body.push(`if (pipe(${g.pipe}) == -1) die("pipe");   /* both processes inherit both ends; each closes the one it does not use */`);
          break;
        case 'fifo':
          body.push(`path_in_run_dir(${g.path}, sizeof ${g.path}, "${b}.fifo");`, `if (mkfifo(${g.path}, 0600) == -1) die("mkfifo");`);
          break;
        case 'signal':
          body.push(`/* nothing to make: a signal goes to a PID, with kill(2) */`);
          break;
        case 'file':
        case 'shm-file':
          locals.add('fd');
          body.push(
            `path_in_run_dir(${g.path}, sizeof ${g.path}, "${b}.${ch.mech === 'file' ? 'txt' : 'mem'}");`,
            `fd = open(${g.path}, O_RDWR | O_CREAT | O_EXCL, 0600);`,
            `if (fd == -1) die("open");`,
          );
          if (ch.mech === 'shm-file') body.push(`if (ftruncate(fd, ${Number(ch.opts.size)}) == -1) die("ftruncate");   /* ${Number(ch.opts.size)} bytes of zeros to map */`);
          body.push('close(fd);');
          break;
        case 'sem-named':
          locals.add('sem');
          body.push(
            `snprintf(${g.name}, sizeof ${g.name}, "/${b}-%d", (int)getpid());`,
            `sem = sem_open(${g.name}, O_CREAT | O_EXCL, 0600, ${Number(ch.opts.initial)});   /* initial value ${Number(ch.opts.initial)} */`,
            'if (sem == SEM_FAILED) die("sem_open");',
            'sem_close(sem);   /* it lives on, by its name, until sem_unlink() */',
          );
          break;
        case 'sem-unnamed':
          body.push(
            `${g.sem} = mmap(NULL, sizeof(sem_t), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);`,
            `if (${g.sem} == MAP_FAILED) die("mmap");`,
            `if (sem_init(${g.sem}, 1, ${Number(ch.opts.initial)}) == -1) die("sem_init");   /* pshared = 1: between processes */`,
          );
          break;
        case 'shm-posix':
          locals.add('fd');
          body.push(
            `snprintf(${g.name}, sizeof ${g.name}, "/${b}-%d", (int)getpid());`,
            `fd = shm_open(${g.name}, O_CREAT | O_EXCL | O_RDWR, 0600);`,
            'if (fd == -1) die("shm_open");',
            `if (ftruncate(fd, ${Number(ch.opts.size)}) == -1) die("ftruncate");   /* ${Number(ch.opts.size)} bytes, all zero */`,
            'close(fd);',
          );
          break;
        case 'shm-sysv':
          body.push(`${g.shmid} = shmget(IPC_PRIVATE, ${Number(ch.opts.size)}, IPC_CREAT | 0600);`, `if (${g.shmid} == -1) die("shmget");`);
          break;
        case 'shm-anon':
          body.push(
            `/* the playground uses memfd_create(2); MAP_SHARED | MAP_ANONYMOUS before fork() shares the same way */`,
            `${g.shm} = mmap(NULL, ${Number(ch.opts.size)}, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);`,
            `if (${g.shm} == MAP_FAILED) die("mmap");`,
          );
          break;
        case 'mq-sysv':
          body.push(`${g.msqid} = msgget(IPC_PRIVATE, IPC_CREAT | 0600);`, `if (${g.msqid} == -1) die("msgget");`);
          break;
        case 'mq-posix':
          locals.add('q');
          locals.add('attr');
          body.push(
            `snprintf(${g.name}, sizeof ${g.name}, "/${b}-%d", (int)getpid());`,
            `attr.mq_maxmsg = ${Number(ch.opts.maxmsg)};`,
            `attr.mq_msgsize = ${Number(ch.opts.msgsize)};`,
            `q = mq_open(${g.name}, O_CREAT | O_EXCL | O_RDONLY, 0600, &attr);`,
            'if (q == (mqd_t)-1) die("mq_open");',
            'mq_close(q);   /* it lives on, by its name, until mq_unlink() */',
          );
          break;
        case 'tcp':
        case 'udp': {
          locals.add('addr_len');
          const s = ch.mech === 'tcp' ? g.listen : g.bound;
          body.push(
            `/* ${to}'s socket is made, bound to 127.0.0.1 port 0 (the kernel picks a free port)${ch.mech === 'tcp' ? ' and set to listen' : ''}`,
            ` * here, before fork(): ${to} inherits it, and ${from} knows the port from ${g.addr}. The playground`,
            ` * does the same in ${to}'s process before the start; either way it is ready before ${from} ${ch.mech === 'tcp' ? 'connects' : 'sends'}. */`,
            `${s} = socket(AF_INET, ${ch.mech === 'tcp' ? 'SOCK_STREAM' : 'SOCK_DGRAM'}, 0);`,
            `if (${s} == -1) die("socket");`,
            `${g.addr}.sin_family = AF_INET;`,
            `${g.addr}.sin_addr.s_addr = htonl(INADDR_LOOPBACK);`,
            `${g.addr}.sin_port = htons(0);`,
            `if (bind(${s}, (struct sockaddr *)&${g.addr}, sizeof ${g.addr}) == -1) die("bind");`,
            `addr_len = sizeof ${g.addr};`,
            `if (getsockname(${s}, (struct sockaddr *)&${g.addr}, &addr_len) == -1) die("getsockname");   /* the port */`,
          );
          if (ch.mech === 'tcp') body.push(`if (listen(${s}, 8) == -1) die("listen");`);
          break;
        }
        case 'unix-stream':
        case 'unix-dgram': {
          const s = ch.mech === 'unix-stream' ? g.listen : g.bound;
          body.push(
            `/* ${to}'s socket is made and bound to its path here, before fork(): ${to} inherits it. The`,
            ` * playground does the same in ${to}'s process before the start. */`,
            `${s} = socket(AF_UNIX, ${ch.mech === 'unix-stream' ? 'SOCK_STREAM' : 'SOCK_DGRAM'}, 0);`,
            `if (${s} == -1) die("socket");`,
            `${g.addr}.sun_family = AF_UNIX;`,
            `path_in_run_dir(${g.addr}.sun_path, sizeof ${g.addr}.sun_path, "${b}.sock");`,
            `if (bind(${s}, (struct sockaddr *)&${g.addr}, sizeof ${g.addr}) == -1) die("bind");`,
          );
          if (ch.mech === 'unix-stream') body.push(`if (listen(${s}, 8) == -1) die("listen");`);
          break;
        }
      }
    }
    const decl: string[] = [];
    if (this.needRunDir) decl.push('const char *tmp = getenv("TMPDIR");');
    if (locals.has('fd')) decl.push('int fd;');
    if (locals.has('sem')) decl.push('sem_t *sem;');
    if (locals.has('q')) decl.push('mqd_t q;', 'struct mq_attr attr;');
    if (locals.has('addr_len')) decl.push('socklen_t addr_len;');
    if (locals.has('attr')) body.unshift('memset(&attr, 0, sizeof attr);');
    while (body.length && body[0] === '') body.shift();
    const all = [...decl, ...(decl.length && body.length ? [''] : []), ...body];
    out.push(...all.map((l) => (l ? '    ' + l : '')), '}');
    return out;
  }

  private removeObjects(): string[] {
    const body: string[] = [];
    for (const ch of this.chans) {
      const g = ch.g;
      switch (ch.mech) {
        case 'fifo':
        case 'file':
        case 'shm-file':
          body.push(`if (unlink(${g.path}) == -1) perror(${g.path});`);
          break;
        case 'unix-stream':
        case 'unix-dgram':
          body.push(`if (unlink(${g.addr}.sun_path) == -1) perror(${g.addr}.sun_path);`);
          break;
        case 'sem-named':
          body.push(`if (sem_unlink(${g.name}) == -1) perror("sem_unlink");`);
          break;
        case 'sem-unnamed':
          body.push(`sem_destroy(${g.sem});`, `munmap(${g.sem}, sizeof(sem_t));`);
          break;
        case 'shm-posix':
          body.push(`if (shm_unlink(${g.name}) == -1) perror("shm_unlink");`);
          break;
        case 'shm-sysv':
          body.push(`if (shmctl(${g.shmid}, IPC_RMID, NULL) == -1) perror("shmctl IPC_RMID");`);
          break;
        case 'shm-anon':
          body.push(`munmap(${g.shm}, ${Number(ch.opts.size)});`);
          break;
        case 'mq-sysv':
          body.push(`if (msgctl(${g.msqid}, IPC_RMID, NULL) == -1) perror("msgctl IPC_RMID");`);
          break;
        case 'mq-posix':
          body.push(`if (mq_unlink(${g.name}) == -1) perror("mq_unlink");`);
          break;
      }
    }
    if (this.needRunDir) body.push('if (rmdir(run_dir) == -1) perror(run_dir);');
    if (!body.length) body.push('/* nothing: pipes, sockets and signals go away with the processes */');
    return ['/* Removes every object create_objects() made: names, files and SysV ids outlive the processes. */', 'static void remove_objects(void)', '{', ...body.map((l) => '    ' + l), '}'];
  }

  private mainFn(): string[] {
    const closes: string[] = [];
    for (const ch of this.chans) {
      if (ch.mech === 'pipe') closes.push(`close(${ch.g.pipe}[0]);`, `close(${ch.g.pipe}[1]);`);
      if (ch.mech === 'tcp' || ch.mech === 'unix-stream') closes.push(`close(${ch.g.listen});`);
      if (ch.mech === 'udp' || ch.mech === 'unix-dgram') closes.push(`close(${ch.g.bound});`);
    }
    const closeLines: string[] = [];
    for (let i = 0; i < closes.length; i += 4) closeLines.push('    ' + closes.slice(i, i + 4).join(' '));
    this.helpers.add('sleep_ms');
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

function pad(name: string, width: number): string {
  return ' '.repeat(Math.max(1, width - name.length));
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
