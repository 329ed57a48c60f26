// Runs one process's program: a tree walk over the checked AST. Verbs on channels go to the
// channel's Endpoint; the runtime handles pause/step/speed, blocking and signals.

import { isConstantText, type Expr, type Program, type RecvStmt, type Stmt } from '../../lib/lang/ast';
import { SyscallError, signum, sys } from '../../native/index';
import type { Endpoint, RecvOptions, RunChannel, SendOptions } from '../mechanisms/types';
import { RuntimeError } from './errors';
import { writeAll, type HostRuntime } from './runtime';

type Value = string | number;

class Exit {
  constructor(readonly code: number) {}
}
class Break {}


export interface BoundChannel {
  channel: RunChannel;
  ep: Endpoint;
  closed: boolean;
  sends: number;
  recvs: number;
  bytes: number;
}

const BREAK = new Break();
const EMPTY = Buffer.alloc(0);
const NO_OPTIONS: SendOptions = {};
type Pending = Promise<void> | undefined;

export class Interpreter {
  private vars = new Map<string, Value>();
  private constCache = new WeakMap<Expr, Buffer>();
  /** The last text sent by an expression and its bytes: `send c1 s` in a loop encodes s once. */
  private lastBytes = new WeakMap<Expr, [string, Buffer]>();

  constructor(
    private rt: HostRuntime,
    private program: Program,
    private channels: Map<string, BoundChannel>,
    private messageBytes: number,
  ) {
    this.vars.set('pid', process.pid);
    rt.runHandler = async (sig) => {
      const h = program.handlers.find((x) => x.signal === sig);
      if (h) await this.runBlock(h.body);
    };
  }

  /** Runs the program; resolves to the exit code. Syscall failures become a message on stderr and exit 1. */
  async run(): Promise<number> {
    try {
      const p = this.runBlock(this.program.body);
      if (p) await p;
      return 0;
    } catch (e) {
      if (e instanceof Exit) return e.code;
      if (e instanceof Break) return 0;
      const line = this.rt.line;
      const msg = e instanceof SyscallError || e instanceof RuntimeError ? e.message : String((e as Error)?.stack ?? e);
      this.rt.quietly(() => writeAll(2, Buffer.from(`line ${line}: ${msg}\n`)));
      return 1;
    }
  }

  // Statements run synchronously as long as nothing waits: a statement returns undefined when
  // it is done, or a promise when it has to wait; from there its block goes on in an async
  // continuation (one per block or loop, never one per statement or iteration).

  private runBlock(body: Stmt[]): Pending {
    for (let k = 0; k < body.length; k++) {
      const s = body[k];
      const g = this.rt.gate(s.pos.line);
      if (g) return this.blockAsync(body, k, g, true);
      const x = this.exec(s);
      if (x) return this.blockAsync(body, k, x, false);
    }
    return undefined;
  }

  private async blockAsync(body: Stmt[], k: number, pending: Promise<void>, gated: boolean): Promise<void> {
    await pending;
    if (gated) {
      const x = this.exec(body[k]);
      if (x) await x;
    }
    for (k++; k < body.length; k++) {
      const g = this.rt.gate(body[k].pos.line);
      if (g) await g;
      const x = this.exec(body[k]);
      if (x) await x;
    }
  }

  /** Runs body while next() says so (next runs before each pass), until break. */
  private loop(next: () => boolean, body: Stmt[]): Pending {
    const pass = this.constantSend(body) ?? (() => this.runBlock(body));
    try {
      while (next()) {
        const r = pass();
        if (r) return this.loopAsync(next, pass, r);
      }
    } catch (e) {
      if (e !== BREAK) throw e;
    }
    return undefined;
  }

  private async loopAsync(next: () => boolean, pass: () => Pending, pending: Promise<void>): Promise<void> {
    try {
      await pending;
      while (next()) {
        const r = pass();
        if (r) await r;
      }
    } catch (e) {
      if (e !== BREAK) throw e;
    }
  }

  private whileRecv(s: Extract<Stmt, { kind: 'whileRecv' }>): Pending {
    try {
      for (;;) {
        const got = this.recv(s.recv);
        if (got !== true && got !== false) return this.whileRecvAsync(s, got, 0);
        if (!got) return undefined;
        const r = this.runBlock(s.body);
        if (r) return this.whileRecvAsync(s, r, 1);
        const g = this.rt.gate(s.pos.line);
        if (g) return this.whileRecvAsync(s, g, 2);
      }
    } catch (e) {
      if (e !== BREAK) throw e;
      return undefined;
    }
  }

  /** whileRecv from where it had to wait: 0 in recv, 1 in the body, 2 in the gate. */
  private async whileRecvAsync(s: Extract<Stmt, { kind: 'whileRecv' }>, pending: Promise<unknown>, stage: 0 | 1 | 2): Promise<void> {
    try {
      const v = await pending;
      if (stage === 0 && !v) return;
      if (stage === 0) {
        const r = this.runBlock(s.body);
        if (r) await r;
      }
      if (stage <= 1) {
        const g = this.rt.gate(s.pos.line);
        if (g) await g;
      }
      for (;;) {
        let got = this.recv(s.recv);
        if (got !== true && got !== false) got = await got;
        if (!got) return;
        const r = this.runBlock(s.body);
        if (r) await r;
        const g = this.rt.gate(s.pos.line);
        if (g) await g;
      }
    } catch (e) {
      if (e !== BREAK) throw e;
    }
  }

  private exec(s: Stmt): Pending {
    switch (s.kind) {
      case 'print':
        this.rt.currentChannel = null;
        writeAll(1, Buffer.from(this.text(s.value) + '\n'));
        return undefined;
      case 'set':
        this.vars.set(s.name, this.eval(s.value));
        return undefined;
      case 'sleep':
        return this.rt.sleep(this.num(s.ms));
      case 'exit':
        throw new Exit(s.code ? this.num(s.code) & 255 : 0);
      case 'break':
        throw BREAK;
      case 'repeat': {
        const n = this.num(s.count);
        let i = 0;
        return this.loop(() => {
          if (++i > n) return false;
          this.vars.set(s.counter, i);
          return true;
        }, s.body);
      }
      case 'forever':
        return this.loop(() => true, s.body);
      case 'while':
        return this.loop(() => truthy(this.eval(s.cond)), s.body);
      case 'whileRecv':
        return this.whileRecv(s);
      case 'if':
        if (truthy(this.eval(s.cond))) return this.runBlock(s.then);
        if (s.else) return this.runBlock(s.else);
        return undefined;
      case 'pause':
        return this.rt.waitSignal(null, null);
      case 'signal': {
        const pid = this.rt.pids[s.target.id ?? s.target.name];
        if (!pid) throw new RuntimeError(`signal: no process ${s.target.name}`);
        this.rt.currentChannel = null;
        this.rt.emit({ type: 'signal', signal: s.signal, from: this.rt.proc, to: s.target.id ?? s.target.name, phase: 'sent' });
        return this.guard(() => sys.kill(pid, signum(s.signal))) as Pending;
      }
      case 'recv': {
        const r = this.recv(s);
        return r === true || r === false ? undefined : (r as Promise<unknown> as Promise<void>);
      }
      case 'send':
        return this.send(s);
      default:
        return this.channelVerb(s);
    }
  }

  private bound(ref: { id?: string; name: string }): BoundChannel {
    const b = this.channels.get(ref.id ?? ref.name);
    if (!b) throw new RuntimeError(`no channel ${ref.name}`);
    if (b.closed) throw new RuntimeError(`${ref.name} is closed`);
    this.rt.currentChannel = b.channel.id;
    return b;
  }

  private method<K extends keyof Endpoint>(b: BoundChannel, verb: K, alt?: keyof Endpoint): NonNullable<Endpoint[K]> {
    const f = (b.ep[verb] ?? (alt ? b.ep[alt] : undefined)) as Endpoint[K];
    if (!f) throw new RuntimeError(`${verb} is not supported on ${b.channel.mechanism} channel ${b.channel.id}`);
    return (f as Function).bind(b.ep);
  }

  /** true: received; false: end of stream; a promise of either when it has to wait. */
  private recv(s: RecvStmt): boolean | Promise<boolean> {
    const b = this.bound(s.channel);
    const o: RecvOptions = { size: s.size ? this.num(s.size) : undefined, mtype: s.mtype ? this.num(s.mtype) : undefined, keep: !!s.into };
    const ep = b.ep;
    if (!ep.recv && !ep.wait) throw new RuntimeError(`recv is not supported on ${b.channel.mechanism} channel ${b.channel.id}`);
    // (no closure through guard(): a stream reader's loop runs this once per read)
    let r: Buffer | null | void | Promise<Buffer | null | void>;
    try {
      r = ep.recv ? ep.recv(o) : ep.wait!();
    } catch (e) {
      return this.failed(e);
    }
    if (r instanceof Promise) return r.then((data) => this.received(b, s, data as Buffer | null | undefined), (e) => this.failed(e));
    return this.received(b, s, r as Buffer | null | undefined);
  }

  private received(b: BoundChannel, s: RecvStmt, data: Buffer | null | undefined): boolean {
    b.recvs++;
    this.rt.recvs++;
    // null is end of stream; an empty Buffer is an empty message; undefined (wait) carries no data
    if (data) {
      b.bytes += data.length;
      this.rt.bytes += data.length;
    }
    if (s.into) this.vars.set(s.into, data ? data.toString('utf8') : '');
    return data !== null;
  }

  /**
   * A loop body that is one `send CH "constant"`, run without the statement machinery: the
   * same gate (speed, pause, step, signals, line and counters) and the same send(2)/write(2),
   * but the channel, the bytes and the options resolved once. Anything that has to wait goes
   * back to the general path. Null for any other body.
   */
  private constantSend(body: Stmt[]): (() => Pending) | null {
    const s = body.length === 1 ? body[0] : null;
    if (s?.kind !== 'send' || s.mtype || s.priority || !isConstantText(s.data)) return null;
    const b = this.channels.get(s.channel.id ?? s.channel.name);
    if (!b?.ep.send || b.closed) return null;
    const data = this.bytes(s.data);
    if (data.length > this.messageBytes) return null; // the general path reports it
    const line = s.pos.line;
    return () => {
      const g = this.rt.gate(line);
      if (g || b.closed) return (g ?? Promise.resolve()).then(() => this.send(s));
      this.rt.currentChannel = b.channel.id;
      return this.sendOn(b, data, NO_OPTIONS);
    };
  }

  private send(s: Extract<Stmt, { kind: 'send' }>): Pending {
    const b = this.bound(s.channel);
    const data = s.data ? this.bytes(s.data) : EMPTY;
    if (data.length > this.messageBytes) throw new RuntimeError(`send ${s.channel.name}: message of ${data.length} bytes is over the limit of ${this.messageBytes}`);
    const ep = b.ep;
    if (!ep.send && !ep.post) throw new RuntimeError(`send is not supported on ${b.channel.mechanism} channel ${b.channel.id}`);
    const o: SendOptions = s.mtype || s.priority ? { mtype: s.mtype ? this.num(s.mtype) : undefined, priority: s.priority ? this.num(s.priority) : undefined } : NO_OPTIONS;
    return this.sendOn(b, data, o);
  }

  /** The call of one send on a bound channel, then its counts: a call that failed counts nothing. */
  private sendOn(b: BoundChannel, data: Buffer, o: SendOptions): Pending {
    const ep = b.ep;
    let r: Promise<void> | void;
    try {
      r = ep.send ? ep.send(data, o) : ep.post!();
    } catch (e) {
      return this.failed(e);
    }
    if (r instanceof Promise) return r.then(() => this.sent(b, data.length), (e) => this.failed(e));
    this.sent(b, data.length);
    return undefined;
  }

  private sent(b: BoundChannel, n: number): void {
    b.sends++;
    b.bytes += n;
    this.rt.sends++;
    this.rt.bytes += n;
  }

  private async channelVerb(s: Stmt): Promise<void> {
    if (!('channel' in s)) throw new RuntimeError(`unknown statement ${s.kind}`);
    const b = this.bound(s.channel);
    switch (s.kind) {
      case 'write': {
        const data = this.bytes(s.data);
        const write = this.method(b, 'write');
        await this.guard(() => write(data, s.offset ? this.num(s.offset) : 0));
        b.sends++;
        b.bytes += data.length;
        return;
      }
      case 'read': {
        const read = this.method(b, 'read');
        const data = await this.guard(() => read(this.num(s.length), s.offset ? this.num(s.offset) : 0));
        const nul = data.indexOf(0);
        this.vars.set(s.into, (nul >= 0 ? data.subarray(0, nul) : data).toString('utf8'));
        b.recvs++;
        return;
      }
      case 'close':
        await this.guard(() => this.method(b, 'close')());
        b.closed = true;
        return;
      case 'lock':
        return this.guard(() => this.method(b, 'lock')());
      case 'unlock':
        return this.guard(() => this.method(b, 'unlock')());
      case 'wait':
        await this.guard(() => this.method(b, 'wait')());
        b.recvs++;
        return;
      case 'post':
        await this.guard(() => this.method(b, 'post')());
        b.sends++;
        return;
      case 'trywait': {
        const ok = await this.guard(() => this.method(b, 'trywait')());
        this.vars.set(s.into, ok ? 1 : 0);
        return;
      }
    }
  }

  /**
   * Runs a call, turning EPIPE into what C would see: SIGPIPE, which kills the process
   * unless the program handles it (then the failed call is simply skipped).
   */
  private guard<T>(f: () => T | Promise<T>): T | Promise<T> {
    let r: T | Promise<T>;
    try {
      r = f();
    } catch (e) {
      return this.failed(e);
    }
    return r instanceof Promise ? r.catch((e) => this.failed(e)) : r;
  }

  private async failed<T>(e: unknown): Promise<T> {
    if (e instanceof SyscallError && e.code === 'EPIPE') {
      if (!this.rt.isHandled('SIGPIPE')) {
        this.rt.emit({ type: 'signal', signal: 'SIGPIPE', from: null, to: this.rt.proc, phase: 'delivered' });
        this.rt.dieBy('SIGPIPE');
      }
      // the kernel sent SIGPIPE with the error: let its listener run, then the handler
      await this.rt.yieldLoop();
      await this.rt.runPendingHandlers();
      return undefined as T;
    }
    throw e;
  }

  // ---- expressions ----

  private bytes(e: Expr): Buffer {
    if (isConstantText(e)) {
      let b = this.constCache.get(e);
      if (!b) this.constCache.set(e, (b = Buffer.from(e.parts.join(''))));
      return b;
    }
    const text = this.text(e);
    const last = this.lastBytes.get(e);
    if (last && last[0] === text) return last[1];
    const b = Buffer.from(text);
    this.lastBytes.set(e, [text, b]);
    return b;
  }

  private text(e: Expr): string {
    return String(this.eval(e));
  }

  private num(e: Expr): number {
    const v = this.eval(e);
    const n = typeof v === 'number' ? v : Number(v);
    if (!Number.isFinite(n)) throw new RuntimeError(`"${v}" is not a number`);
    return n;
  }

  eval(e: Expr): Value {
    switch (e.kind) {
      case 'num':
        return e.value;
      case 'str': {
        let s = '';
        for (const p of e.parts) s += typeof p === 'string' ? p : String(this.eval(p));
        return s;
      }
      case 'var': {
        const v = this.vars.get(e.name);
        if (v === undefined) throw new RuntimeError(`variable ${e.name} has no value yet`);
        return v;
      }
      case 'unary':
        return e.op === '-' ? -this.num(e.arg) : truthy(this.eval(e.arg)) ? 0 : 1;
      case 'binary': {
        if (e.op === 'and') return truthy(this.eval(e.left)) ? this.eval(e.right) : 0;
        if (e.op === 'or') {
          const l = this.eval(e.left);
          return truthy(l) ? l : this.eval(e.right);
        }
        const l = this.eval(e.left);
        const r = this.eval(e.right);
        switch (e.op) {
          case '+':
            return typeof l === 'number' && typeof r === 'number' ? l + r : String(l) + String(r);
          case '==':
            return l == r ? 1 : 0;
          case '!=':
            return l != r ? 1 : 0;
          case '<':
            return l < r ? 1 : 0;
          case '<=':
            return l <= r ? 1 : 0;
          case '>':
            return l > r ? 1 : 0;
          case '>=':
            return l >= r ? 1 : 0;
        }
        const a = typeof l === 'number' ? l : Number(l);
        const b = typeof r === 'number' ? r : Number(r);
        if (Number.isNaN(a) || Number.isNaN(b)) throw new RuntimeError(`${e.op} needs numbers`);
        if ((e.op === '/' || e.op === '%') && b === 0) throw new RuntimeError('division by zero');
        switch (e.op) {
          case '-':
            return a - b;
          case '*':
            return a * b;
          case '/':
            return Math.trunc(a / b);
          case '%':
            return a % b;
        }
      }
    }
    throw new RuntimeError('bad expression');
  }
}

function truthy(v: Value): boolean {
  return typeof v === 'number' ? v !== 0 : v !== '';
}
