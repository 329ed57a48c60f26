// The line of runs waiting for a slot: when every run slot of the server is taken, a start
// waits here instead of being refused, is told its place as the line moves, and starts by
// itself when its turn comes; its tab may leave the line (Stop) or go away.
//
// A run uses the CPUs of the server that holds its tab, so a line is the order in which one
// pool of run slots is given out. Alone, a server is its own pool (RunLine, below: in memory).
// With several servers (server/line-redis.ts) the line lives in Redis, one per machine: servers
// on one machine share its slots and one order of waiting, so a student on either server is
// told the place that counts everyone ahead for those CPUs, and the first in that order gets
// the next slot whichever server frees it. Why not one order for the whole class: a slot on
// machine A can only run A's tabs, so making A's free slot wait for the class's first waiter
// (on B) would idle it and help no one; each machine's own order is already the fair one.

export interface Waiter {
  /** Whose it is (a tab's session): leave() takes out all of one owner's. */
  owner: unknown;
  /** Its place as last told, 1 for the next to go. */
  place: number;
  /** Told its place whenever it changes, with the wait it may expect then (ms; null when unknown). */
  told(place: number, etaMs: number | null): void;
  /** Its turn has come: a slot is its until it calls `free` (once: the run ended, or did not start). */
  go(free: () => void): void;
  /** Taken out of the line, with the reason. */
  left(message: string): void;
}

/** The line, chosen at start (server/bookkeeping.ts). */
export interface Line {
  /** Goes at once when a slot is free and nobody waits; else waits, told its place. */
  join(w: Waiter): void;
  /** Takes `owner`'s waiters out of the line, each told why; how many there were. */
  leave(owner: unknown, message: string): number;
  /** This server's waiters. */
  readonly length: number;
}

/** One server's line, in memory: its slots are the runs of this process (Run.running). */
export class RunLine implements Line {
  private waiting: Waiter[] = [];

  /** `hasSlot`: whether a run could start now; `eta`: the wait at a place (server/estimate.ts). */
  constructor(
    private hasSlot: () => boolean,
    private eta: (place: number) => number | null = () => null,
  ) {}

  get length(): number {
    return this.waiting.length;
  }

  /** Whether a start must wait: no slot, or others already wait (no one goes ahead of the line). */
  mustWait(): boolean {
    return this.waiting.length > 0 || !this.hasSlot();
  }

  join(w: Waiter): void {
    if (!this.mustWait()) return w.go(this.freed);
    this.waiting.push(w);
    this.tell();
  }

  /** A run's slot is given back by its end (Run.running): the next may go. */
  private freed = () => this.pump();

  /** Lets the first ones go while slots are free (after a run ended, or a start failed). */
  pump(): void {
    let moved = false;
    while (this.waiting.length && this.hasSlot()) {
      this.waiting.shift()!.go(this.freed);
      moved = true;
    }
    if (moved) this.tell();
  }

  leave(owner: unknown, message: string): number {
    const gone = this.waiting.filter((w) => w.owner === owner);
    if (!gone.length) return 0;
    this.waiting = this.waiting.filter((w) => w.owner !== owner);
    for (const w of gone) w.left(message);
    this.tell();
    this.pump();
    return gone.length;
  }

  private tell(): void {
    this.waiting.forEach((w, i) => {
      if (w.place === i + 1) return;
      w.place = i + 1;
      w.told(w.place, this.eta(w.place));
    });
  }
}
