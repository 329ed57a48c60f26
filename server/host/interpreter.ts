// Runs one process's program: a tree walk over the checked AST. Verbs on channels go to the
// channel's Endpoint; the runtime handles pause/step/speed, blocking and signals.

import type { Expr, Program, RecvStmt, Stmt } from '../../lib/lang/ast';
import { SyscallError, signum, sys } from '../../native/index';
import type { Endpoint, RunChannel } from '../mechanisms/types';
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

export class Interpreter {
  private vars = new Map<string, Value>();
  private constCache = new WeakMap<Expr, Buffer>();

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
      await this.runBlock(this.program.body);
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

  private async runBlock(body: Stmt[]): Promise<void> {
    for (const s of body) {
      await this.rt.gate(s.pos.line);
      await this.exec(s);
    }
  }

  private async exec(s: Stmt): Promise<void> {
    switch (s.kind) {
      case 'print':
        this.rt.currentChannel = null;
        writeAll(1, Buffer.from(this.text(s.value) + '\n'));
        return;
      case 'set':
        this.vars.set(s.name, this.eval(s.value));
        return;
      case 'sleep':
        return this.rt.sleep(this.num(s.ms));
      case 'exit':
        throw new Exit(s.code ? this.num(s.code) & 255 : 0);
      case 'break':
        throw BREAK;
      case 'repeat': {
        const n = this.num(s.count);
        for (let i = 1; i <= n; i++) {
          this.vars.set(s.counter, i);
          if (await this.loopBody(s.body)) break;
        }
        return;
      }
      case 'forever':
        for (;;) if (await this.loopBody(s.body)) return;
      case 'while':
        while (truthy(this.eval(s.cond))) if (await this.loopBody(s.body)) return;
        return;
      case 'whileRecv':
        for (;;) {
          const got = await this.recv(s.recv);
          if (got === null) return;
          if (await this.loopBody(s.body)) return;
          await this.rt.gate(s.pos.line);
        }
      case 'if':
        if (truthy(this.eval(s.cond))) await this.runBlock(s.then);
        else if (s.else) await this.runBlock(s.else);
        return;
      case 'pause':
        return this.rt.waitSignal(null, null);
      case 'signal': {
        const pid = this.rt.pids[s.target.id ?? s.target.name];
        if (!pid) throw new RuntimeError(`signal: no process ${s.target.name}`);
        this.rt.currentChannel = null;
        this.rt.emit({ type: 'signal', signal: s.signal, from: this.rt.proc, to: s.target.id ?? s.target.name, phase: 'sent' });
        return this.guard(() => sys.kill(pid, signum(s.signal)));
      }
      case 'recv':
        await this.recv(s);
        return;
      default:
        return this.channelVerb(s);
    }
  }

  /** Runs a loop body; true when it ended with break. */
  private async loopBody(body: Stmt[]): Promise<boolean> {
    try {
      await this.runBlock(body);
      return false;
    } catch (e) {
      if (e === BREAK) return true;
      throw e;
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

  /** Receives per the statement; resolves to null at end of stream. */
  private async recv(s: RecvStmt): Promise<'' | null> {
    const b = this.bound(s.channel);
    const size = s.size ? this.num(s.size) : undefined;
    const mtype = s.mtype ? this.num(s.mtype) : undefined;
    const recv = this.method(b, 'recv', 'wait') as Endpoint['recv'] & {};
    const data = await this.guard(() => recv({ size, mtype }));
    b.recvs++;
    this.rt.recvs++;
    // null is end of stream; an empty Buffer is an empty message; undefined (wait) carries no data
    if (data) {
      b.bytes += data.length;
      this.rt.bytes += data.length;
    }
    if (s.into) this.vars.set(s.into, data ? data.toString('utf8') : '');
    return data === null ? null : '';
  }

  private async channelVerb(s: Stmt): Promise<void> {
    if (!('channel' in s)) throw new RuntimeError(`unknown statement ${s.kind}`);
    const b = this.bound(s.channel);
    switch (s.kind) {
      case 'send': {
        const data = s.data ? this.bytes(s.data) : Buffer.alloc(0);
        if (data.length > this.messageBytes) throw new RuntimeError(`send ${s.channel.name}: message of ${data.length} bytes is over the limit of ${this.messageBytes}`);
        const send = this.method(b, 'send', 'post') as (d: Buffer, o: object) => Promise<void> | void;
        await this.guard(() => send(data, { mtype: s.mtype ? this.num(s.mtype) : undefined, priority: s.priority ? this.num(s.priority) : undefined }));
        b.sends++;
        b.bytes += data.length;
        this.rt.sends++;
        this.rt.bytes += data.length;
        return;
      }
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
  private async guard<T>(f: () => T | Promise<T>): Promise<T> {
    try {
      return await f();
    } catch (e) {
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
  }

  // ---- expressions ----

  private bytes(e: Expr): Buffer {
    if (e.kind === 'str' && e.parts.every((p) => typeof p === 'string')) {
      let b = this.constCache.get(e);
      if (!b) this.constCache.set(e, (b = Buffer.from(e.parts.join(''))));
      return b;
    }
    return Buffer.from(this.text(e));
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
