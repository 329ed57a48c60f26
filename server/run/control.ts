// The server's side of one process's control page (lib/wire.ts, runtime/ipcpg.h): a memfd the
// process inherits and maps; the server maps it too. The server writes the gate, the trace
// switch, PIDs and the line->channel table, and reads line, state, counters and the event ring.

import { C, sys, type Ptr } from '../../native/index';
import { CTL, GATE, PAGE, REC } from '../../lib/wire';

export interface RingRecord {
  kind: number;
  call: number;
  line: number;
  err: number;
  ret: bigint;
  a: [bigint, bigint, bigint, bigint];
  /** CLOCK_MONOTONIC ns */
  t: bigint;
  dur: bigint;
  data: Buffer;
}

export class ControlPage {
  readonly fd: number;
  private ptr: Ptr | null;
  private dv: DataView;
  private u32: Uint32Array;
  private bytes: Uint8Array;

  /** A page of its own memfd; or (`inPool`) a page of a pool, mapped by the pool and filled by the runtime's fork. */
  constructor(inPool?: Ptr) {
    this.fd = inPool ? -1 : sys.memfdCreate('ipcpg-ctl', C.MFD_CLOEXEC);
    if (!inPool) sys.ftruncate(this.fd, PAGE.bytes);
    this.ptr = inPool ?? sys.mmap(PAGE.bytes, C.PROT_READ | C.PROT_WRITE, C.MAP_SHARED, this.fd, 0);
    this.owned = !inPool;
    const buf = sys.view(this.ptr, PAGE.bytes);
    this.dv = new DataView(buf);
    this.u32 = new Uint32Array(buf);
    this.bytes = new Uint8Array(buf);
    if (inPool) return;
    this.dv.setUint32(CTL.magic, PAGE.magic, true);
    this.dv.setUint32(CTL.version, PAGE.version, true);
    this.dv.setUint32(CTL.slow, 2, true); // the first line is recorded whatever the speed
    for (let i = 0; i < PAGE.maxChans; i++) this.dv.setInt32(CTL.chanFd + 4 * i, -1, true);
  }

  private owned: boolean;

  /** The server's copy of the fd, once the process has inherited it. */
  closeFd(): void {
    if (this.fd >= 0) sys.close(this.fd);
  }

  /** Pages in the process's pool for forked children (runtime/ipcpg.c's fork). */
  setPoolPages(n: number): void {
    this.dv.setUint32(CTL.npool, n, true);
  }

  /** A pool page: the PID of the child using it (0: free, -1: being forked). */
  get childPid(): number {
    return this.dv.getInt32(CTL.pid, true);
  }

  /** A pool page: free again for a fork (its child is dead, its ring read). */
  freeForFork(): void {
    Atomics.store(this.u32, CTL.pid / 4, 0);
  }

  /** A pool page: the pool index of the page of the process that forked this one, -1 for the process's own page. */
  get parentSlot(): number {
    return this.dv.getInt32(CTL.parent, true);
  }

  get alive(): boolean {
    return this.ptr !== null;
  }

  setLineChannels(table: Map<number, number>): void {
    for (const [line, chan] of table) if (line > 0 && line < PAGE.maxLines) this.bytes[CTL.lineChan + line] = chan + 1;
  }

  /** The uid/gid the process drops to at the start, and the cgroups it joins first. */
  setContainment(id: { uid: number; gid: number } | null, procsFiles: string[]): void {
    if (procsFiles.length > PAGE.maxCgroups) throw new Error(`${procsFiles.length} cgroup hierarchies: at most ${PAGE.maxCgroups}`);
    this.dv.setUint32(CTL.uid, id?.uid ?? 0, true);
    this.dv.setUint32(CTL.gid, id?.gid ?? 0, true);
    this.dv.setUint32(CTL.ncg, procsFiles.length, true);
    procsFiles.forEach((f, i) => {
      const b = Buffer.from(f + '\0');
      if (b.length > PAGE.cgroupPath) throw new Error(`cgroup path too long: ${f}`);
      this.bytes.set(b, CTL.cgroupProcs + i * PAGE.cgroupPath);
    });
  }

  setLastFd(fd: number): void {
    this.dv.setUint32(CTL.lastFd, fd, true);
  }

  setPids(pids: number[]): void {
    pids.forEach((p, i) => this.dv.setInt32(CTL.pids + 4 * i, p, true));
  }

  setChanFd(chan: number, fd: number): void {
    this.dv.setInt32(CTL.chanFd + 4 * chan, fd, true);
  }

  chanFd(chan: number): number {
    return this.dv.getInt32(CTL.chanFd + 4 * chan, true);
  }

  get state(): number {
    return Atomics.load(this.u32, CTL.state / 4);
  }
  get call(): number {
    return this.u32[CTL.call / 4];
  }
  get callLine(): number {
    return this.dv.getInt32(CTL.callLine, true);
  }
  get line(): number {
    return this.dv.getInt32(CTL.line, true);
  }
  /** Records the runtime could not put in the full ring, so far. */
  get dropped(): number {
    return Number(this.dv.getBigUint64(CTL.dropped, true));
  }
  get statements(): number {
    return Number(this.dv.getBigUint64(CTL.stmts, true));
  }
  /** Times the statement of a program line began. */
  lineHits(line: number): number {
    return line > 0 && line < PAGE.maxLines ? this.u32[CTL.lineHits / 4 + line] : 0;
  }

  /** Calls that failed so far, and the latest one: its errno, line and call number. */
  get failures(): { count: number; errno: number; line: number; call: number } {
    const count = Atomics.load(this.u32, CTL.errors / 4);
    return { count, errno: this.dv.getInt32(CTL.lastErr, true), line: this.dv.getInt32(CTL.lastErrLine, true), call: this.u32[CTL.lastErrCall / 4] };
  }

  callCount(id: number): number {
    return Number(this.dv.getBigUint64(CTL.calls + 8 * id, true));
  }
  /** sends, receives, bytes sent on channel index i */
  /** Connections accepted on channel i's listening socket, and how many of them are still open here. */
  connections(i: number): { accepted: number; open: number } {
    const accepted = this.u32[CTL.accepted / 4 + i];
    return { accepted, open: accepted - this.u32[CTL.connsClosed / 4 + i] };
  }

  chanCounts(i: number): [number, number, number] {
    const o = CTL.chan + 24 * i;
    return [Number(this.dv.getBigUint64(o, true)), Number(this.dv.getBigUint64(o + 8, true)), Number(this.dv.getBigUint64(o + 16, true))];
  }

  get tracing(): boolean {
    return this.u32[CTL.trace / 4] !== 0;
  }

  setTrace(on: boolean): void {
    this.u32[CTL.trace / 4] = on ? 1 : 0;
    this.updateSlow();
  }

  private updateSlow(): void {
    const want = this.u32[CTL.trace / 4] || this.u32[CTL.gate / 4] ? 1 : 0;
    // 2 (the first line pending) turns into the runtime's choice there; only raise it here
    if (want) Atomics.store(this.u32, CTL.slow / 4, 1);
    else Atomics.compareExchange(this.u32, CTL.slow / 4, 1, 0);
  }

  private wake(): void {
    if (this.ptr) sys.futexWake(sys.ptrAdd(this.ptr, CTL.tokens));
  }

  pause(): void {
    Atomics.store(this.u32, CTL.tokens / 4, 0);
    Atomics.store(this.u32, CTL.gate / 4, GATE.paused);
    this.updateSlow();
  }

  /** Full speed again; the token makes a process that saw the gate closed look again. */
  resume(): void {
    Atomics.store(this.u32, CTL.gate / 4, GATE.free);
    Atomics.add(this.u32, CTL.tokens / 4, 1);
    this.updateSlow();
    this.wake();
  }

  /** One statement, then the gate holds again (in pause or slow motion). */
  step(): void {
    if (Atomics.load(this.u32, CTL.gate / 4) === GATE.free) return;
    Atomics.store(this.u32, CTL.tokens / 4, 1);
    this.wake();
  }

  /** Slow motion: the gate lets one statement through per tick(). */
  slow(): void {
    Atomics.store(this.u32, CTL.gate / 4, GATE.slow);
    this.updateSlow();
  }

  /** Reads every committed record (at most max), oldest first, and frees their slots. */
  drain(each: (r: RingRecord) => void, max = PAGE.ringSlots): number {
    if (!this.ptr) return 0;
    let rseq = this.dv.getBigUint64(CTL.rseq, true);
    let n = 0;
    for (; n < max; n++) {
      const off = PAGE.ringOffset + Number(rseq & BigInt(PAGE.ringSlots - 1)) * REC.size;
      const commit = Atomics.load(this.u32, (off + REC.commit) / 4);
      if (commit !== Number((rseq + 1n) & 0xffffffffn)) break;
      const dlen = Math.min(this.dv.getUint32(off + REC.dlen, true), PAGE.preview);
      each({
        kind: this.dv.getUint16(off + REC.kind, true),
        call: this.dv.getUint16(off + REC.call, true),
        line: this.dv.getInt32(off + REC.line, true),
        err: this.dv.getInt32(off + REC.err, true),
        ret: this.dv.getBigInt64(off + REC.ret, true),
        a: [0, 1, 2, 3].map((i) => this.dv.getBigInt64(off + REC.a + 8 * i, true)) as RingRecord['a'],
        t: this.dv.getBigUint64(off + REC.t, true),
        dur: this.dv.getBigUint64(off + REC.dur, true),
        data: Buffer.from(this.bytes.subarray(off + REC.data, off + REC.data + dlen)),
      });
      rseq++;
      this.dv.setBigUint64(CTL.rseq, rseq, true);
    }
    return n;
  }

  unmap(): void {
    if (this.ptr && this.owned) sys.munmap(this.ptr, PAGE.bytes);
    this.ptr = null;
  }
}

/**
 * The pages a process's forked children (and theirs) take, one each (runtime/ipcpg.c's fork):
 * one memfd the process maps at its start, so that every child inherits the mapping.
 */
export class ControlPool {
  readonly fd: number;
  private ptr: Ptr | null;
  private pages: ControlPage[];

  constructor(readonly size: number) {
    this.fd = sys.memfdCreate('ipcpg-pool', C.MFD_CLOEXEC);
    sys.ftruncate(this.fd, size * PAGE.bytes);
    const ptr = sys.mmap(size * PAGE.bytes, C.PROT_READ | C.PROT_WRITE, C.MAP_SHARED, this.fd, 0);
    this.ptr = ptr;
    this.pages = Array.from({ length: size }, (_, i) => new ControlPage(sys.ptrAdd(ptr, i * PAGE.bytes)));
  }

  /** A fresh view of page i (a process that ended unmapped its own). */
  page(i: number): ControlPage {
    if (!this.pages[i].alive && this.ptr) this.pages[i] = new ControlPage(sys.ptrAdd(this.ptr, i * PAGE.bytes));
    return this.pages[i];
  }

  /** Page i is free again for a fork (its child is dead, its ring read). */
  free(i: number): void {
    if (this.ptr) this.page(i).freeForFork();
  }

  closeFd(): void {
    sys.close(this.fd);
  }

  unmap(): void {
    for (const p of this.pages) p.unmap();
    if (this.ptr) sys.munmap(this.ptr, this.size * PAGE.bytes);
    this.ptr = null;
  }
}
