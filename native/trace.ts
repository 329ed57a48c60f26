// The global syscall tracer and the helpers that render C-like argument lists.
// Formatting helpers run only when a tracer with detail=true is set.

import type { FlagTable } from './constants';

export interface Tracer {
  /** false: wrappers pass args=null (no string building on the hot path); onCall still runs. */
  detail: boolean;
  /**
   * Called after every traced call, successful or not, before a SyscallError is thrown.
   * name: libc function ('write', 'sem_wait', 'accept4'); args: C-like list or null;
   * ret: '5', '0x7f..', '-1'; errno: 'EAGAIN' or null; ms: duration of the call.
   * Calls made from inside onCall are not traced. onCall must not throw: an exception
   * propagates out of the sys.* call in place of its result (the syscall did happen).
   */
  onCall(name: string, args: string | null, ret: string, errno: string | null, ms: number): void;
  /**
   * Optional, for the hot path: with detail false the busiest wrappers (read, write, send,
   * recv and their nonblocking forms) call this instead of onCall: no strings, no timing.
   * errno is 0 on success. It must make no calls of its own.
   */
  count?(name: string, errno: number): void;
}

/**
 * Current tracer; read by every wrapper (ES live binding). While a tracer's onCall runs it
 * is null, so calls the tracer makes itself (e.g. writing the event to a control pipe with
 * sys.write) are not traced and cannot recurse.
 */
export let tracer: Tracer | null = null;

let inCall = false;
let pending: Tracer | null | undefined; // setTracer() from inside onCall

export function setTracer(t: Tracer | null): void {
  if (inCall) pending = t;
  else tracer = t;
}

/** Report one call to t (the tracer read before the call). */
export function emit(t: Tracer, name: string, args: string | null, ret: string, errno: string | null, ms: number): void {
  tracer = null;
  inCall = true;
  pending = undefined;
  try {
    t.onCall(name, args, ret, errno, ms);
  } finally {
    inCall = false;
    tracer = pending === undefined ? t : pending;
    pending = undefined;
  }
}

// ---- formatting ----------------------------------------------------------------------------

export const TRACE_BUF_MAX = 32;

/** Bytes as a quoted, C-escaped string, truncated to 32 bytes + '...'. */
export function fmtBytes(buf: Uint8Array, len: number): string {
  if (len < 0) len = 0;
  const n = len < TRACE_BUF_MAX ? len : TRACE_BUF_MAX;
  let s = '"';
  for (let i = 0; i < n; i++) {
    const c = buf[i];
    if (c === 0x22) s += '\\"';
    else if (c === 0x5c) s += '\\\\';
    else if (c === 0x0a) s += '\\n';
    else if (c === 0x0d) s += '\\r';
    else if (c === 0x09) s += '\\t';
    else if (c === 0) s += '\\0';
    else if (c >= 0x20 && c < 0x7f) s += String.fromCharCode(c);
    else s += '\\x' + (c < 16 ? '0' : '') + c.toString(16);
  }
  s += '"';
  if (len > TRACE_BUF_MAX) s += '...';
  return s;
}

/** A JS string argument (path, name) as a C string literal. */
export function fmtStr(s: string): string {
  return JSON.stringify(s);
}

export function fmtPtr(p: unknown): string {
  if (p === null || p === undefined || p === 0n || p === 0) return 'NULL';
  if (typeof p === 'bigint') return '0x' + p.toString(16);
  if (typeof p === 'number') return '0x' + p.toString(16);
  return String(p);
}

/** OR'ed flag names; unknown bits appended in hex; 0 -> zero (default '0'). */
export function fmtFlags(v: number, table: FlagTable, zero = '0'): string {
  if (v === 0) return zero;
  let rest = v;
  let s = '';
  for (let i = 0; i < table.length; i++) {
    const [name, bit] = table[i];
    if (bit !== 0 && (rest & bit) === bit) {
      s += (s ? '|' : '') + name;
      rest &= ~bit;
    }
  }
  if (rest !== 0) s += (s ? '|' : '') + '0x' + (rest >>> 0).toString(16);
  return s;
}

/** open(2)-style flags: access mode first, then the other bits. */
export function fmtOpenFlags(v: number, table: FlagTable): string {
  const acc = v & 3;
  const mode = acc === 0 ? 'O_RDONLY' : acc === 1 ? 'O_WRONLY' : acc === 2 ? 'O_RDWR' : '3';
  const rest = v & ~3;
  return rest === 0 ? mode : mode + '|' + fmtFlags(rest, table);
}

/** IPC flags: IPC_CREAT|IPC_EXCL|0600. */
export function fmtIpcFlags(v: number, table: FlagTable): string {
  const mode = v & 0o777;
  const rest = v & ~0o777;
  const f = rest === 0 ? '' : fmtFlags(rest, table);
  if (mode === 0) return f || '0';
  return (f ? f + '|' : '') + fmtMode(mode);
}

export function fmtMode(m: number): string {
  return '0' + m.toString(8).padStart(3, '0');
}

export function fmtEnum(v: number, names: Record<number, string>): string {
  return names[v] ?? String(v);
}
