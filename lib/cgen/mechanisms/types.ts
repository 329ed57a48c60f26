// The contract of a mechanism's module in the C generator: one file per mechanism, registered
// in registry.ts (as server/mechanisms does for the server). The generator (../index.ts) writes
// the language: statements, expressions, loops, handlers, names, line comments. It asks the
// mechanism for the C of its kernel object (made by main() before fork(), or attached from the
// server's argv in the hosted build), of each process's end of it, and of each verb.
// Isomorphic: no Node, no DOM.

import type { Expr, RecvStmt, Stmt } from '../../lang/ast';
import type { End, MechanismId, Verb } from '../../mechanisms';
import type { Link } from '../../scenario';
import type { Size, VarInfo } from '../expr';

/** A channel as the generator knows it. */
export interface Chan {
  id: string;
  /** How the program names it: the label, or the id. */
  label: string;
  /** Its name in C identifiers and in file and object names, unique in the file. */
  base: string;
  mech: MechanismId;
  /** Its options, defaults filled in. */
  opts: Record<string, number | string>;
  /** The processes linked to it, each at its end. */
  links: readonly Link[];
  /** Its global C names, by the keys of CMechanism.globalNames. */
  g: Record<string, string>;
  /** Not a channel of the scenario but a connection (../descriptors.ts): its C, instead of its mechanism's. */
  impl?: CMechanism;
}

/** A scratch variable of a generated function, declared once at its top however many lines use it. */
export interface Scratch {
  decl: readonly string[];
  /** Declarations go in rank order, so that the order of the channels does not change them. */
  rank: number;
  /** In create_objects(): a statement that comes first in the body (clearing a struct). */
  init?: string;
}

/** A C function at file scope, written once if any code uses it. */
export interface CHelper {
  /** Helpers are written in rank order, whatever order they were first used in. */
  rank: number;
  lines: readonly string[];
}

/** A channel's processes by name at each end (`a, b`), for comments, and "label (mechanism): from -> to". */
export interface ObjectCtx {
  from: string;
  to: string;
  what: string;
}

/** create_objects() code may use scratch variables. */
export interface CreateCtx extends ObjectCtx {
  need(s: Scratch): void;
}

/** One process's end of a channel. */
export interface EndCtx {
  ch: Chan;
  role: End;
  /** Its C names in this process, by the keys of CMechanism.endLocals. */
  loc: Record<string, string>;
  /** The process's name. */
  proc: string;
  /** The process receives on the channel somewhere (recv or while recv). */
  receives: boolean;
  /** Whether the process holds the channel's lock is known only at run time: loc.locked tracks it. */
  lockFlag: boolean;
}

/** What the code of a process function may ask the generator. */
export interface FnCtx {
  /** " /* text *\/" the first time in this function, else "". */
  note(text: string): string;
  need(s: Scratch): void;
}

/** The bytes of a send or write: a pointer and a length, after the lines that build them. */
export interface Bytes {
  ptr: string;
  len: string;
  lines: string[];
}

/** What a mechanism's C for one statement may ask the generator. */
export interface StmtCtx extends EndCtx, FnCtx {
  /** In a signal handler: a failure calls _exit(1) (async-signal-safe), not die(). */
  handler: boolean;
  /** `if (call == -1) die("what");` (or _exit(1)); with epipe, EPIPE is no failure. */
  check(call: string, what: string, epipe?: boolean): string;
  /** `die("what")`, or `_exit(1)` in a handler; under try, `err = errno`. */
  fail(what: string): string;
  /** After `nbytes = call(...)`: a failure ends the process, or under try sets err and leaves no bytes. */
  checkReceived(what: string): string;
  use(h: CHelper): void;
  /** An expression as a C integer expression. */
  int(e: Expr): string;
  /** The bytes of e; into: a buffer of `max` bytes to build them in, instead of a scratch one. */
  data(e: Expr, into?: { buf: string; max: number }): Bytes;
  /** A variable of the program. */
  v(name: string): VarInfo;
  /** `v = c;` for a number (a text variable gets its digits). */
  assignInt(v: VarInfo, c: string): string;
  /** `pid_of[...]` of a process, by id. */
  pidOf(proc: string): string;
  /** The global that counts deliveries of a signal the process catches (countedSignal). */
  deliveries(sig: string): string;
  /** The process has signal handlers: a call that is not restarted after one (msgrcv, msgsnd) must retry on EINTR. */
  interruptible: boolean;
  /** The process catches SIGPIPE: writing to a closed pipe or socket fails with EPIPE instead of killing it. */
  catchesSigpipe: boolean;
  /** The process certainly holds the channel's lock here. */
  lockHeld: boolean;
  /** A channel opened on first use is certainly open here. */
  open: boolean;
}

/** Per verb, the C of a statement with it (the generator writes the lines that build its expressions first). */
export type VerbFns = { [V in Verb]?: (c: StmtCtx, s: Extract<Stmt, { kind: V }>) => string[] };

/** recv and while recv on a channel that carries bytes: the generator picks the buffer, the mechanism fills it. */
export interface Receive {
  /** The most bytes one recv gives: the size of the text variable it fills. */
  size(ch: Chan, r: RecvStmt): Size;
  /** recv's count is honoured (streams, datagrams); else recv takes a whole message, or all new bytes. */
  takesCount: boolean;
  /** Lines that receive at most `count` bytes into dest and set nbytes (0: end of file). */
  into(c: StmtCtx, r: RecvStmt, dest: string, count: string): string[];
  /** into() ends the text with its NUL itself (nbytes is then what it took, not the text's length). */
  terminates?: boolean;
  /** How `while recv` ends: at end of file (a stream; `call` is what failed otherwise), or only by break or exit. */
  loop: { eof: true; call: string; means: string } | { eof: false; what: string };
}

export interface CMechanism {
  // ---- the kernel object, at file scope
  /** Headers its C needs. */
  includes: readonly string[];
  /** Its paths live in the run directory (FIFOs, files, socket paths). */
  runDir?: boolean;
  /** File-scope definitions, once per file (a struct, a limit). */
  definitions?: readonly string[];
  /** Its global C names: key -> wanted name, taken in this order. */
  globalNames(base: string): Record<string, string>;
  /** A signal the receiving process catches and counts, for recv to wait for. */
  countedSignal?(ch: Chan): string;
  /** Declarations of its globals. */
  globals(ch: Chan, o: ObjectCtx): string[];
  /** create_objects(): the lines that make it, before fork(). */
  create(ch: Chan, c: CreateCtx): string[];
  /** remove_objects(): the lines that remove what outlives the processes. */
  remove?(ch: Chan): string[];
  /** The hosted main(): lines that take the server's object from argv; key(what) is the argument's key. */
  attach?(ch: Chan, key: (what: string) => string): string[];
  /** main(): closes of the fds create_objects() made, which it does not use itself. */
  closeInMain?(ch: Chan): string[];

  // ---- a process's end
  /** Keys of the C names a process has for its end: each is named `${key}_${base}`. */
  endLocals?(ch: Chan, role: End): readonly string[];
  /** The file descriptor of this process's end (poll, O_NONBLOCK), for mechanisms whose end is one. */
  endFd?(e: EndCtx): string;
  /** `nonblocking CH` when it is not fcntl(O_NONBLOCK) on endFd (a POSIX queue: mq_setattr). */
  nonblocking?(c: StmtCtx): string[];
  /** Declarations of those names; storage is 'static ' at file scope (shared with handlers) or an indent. */
  declareEnd?(e: EndCtx, storage: string): string[];
  /** Before the start: closes of inherited fds that a process at one end (or linked to none) does not use. */
  closeUnused?(ch: Chan, end: End | undefined): string[];
  /** Why closing them matters, for the comment. */
  closeWhy?: string;
  /** Before the start: lines that open this process's end. */
  openEnd?(e: EndCtx, f: FnCtx): string[];
  /**
   * An end opened by the first statement that uses it (open blocks, or waits for the other
   * side): its fd, -1 until then. `fail(what, fd)` is the statement (with its `;`) for a failed
   * call of the opening (`die(...);`; under try: errno kept, fd closed and -1 again, the
   * statement's call skipped).
   */
  openOnFirstUse?(e: EndCtx, fail: (what: string, fd?: string) => string): { fd: string; lines: string[] };

  // ---- verbs
  /** recv of bytes; a channel without (signal, semaphore) has verbs.recv instead. */
  receive?: Receive;
  /** The most bytes `read ... as v` puts in v (shared memory). */
  readSize?(ch: Chan, s: Extract<Stmt, { kind: 'read' }>): Size;
  verbs: VerbFns;
}
