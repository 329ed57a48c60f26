// How long a start waiting in line will wait: from how long runs lasted lately and how long
// the ones going have run, each slot is taken again as it frees, in line order. A guess for
// the page ("3rd in line, about 4 s"), never a promise; none until a run has ended.

/** Runs whose lengths make the average (recent ones matter: a class runs the same exercise). */
const RECENT = 20;

export class RunClock {
  private started = new Map<string, number>();
  private lengths: number[] = [];

  constructor(private now: () => number = Date.now) {}

  start(id: string): void {
    this.started.set(id, this.now());
  }

  end(id: string): void {
    const t0 = this.started.get(id);
    if (t0 === undefined) return;
    this.started.delete(id);
    this.lengths.push(this.now() - t0);
    if (this.lengths.length > RECENT) this.lengths.shift();
  }

  /** The average length of the recent runs, or null before any ended. */
  average(): number | null {
    return this.lengths.length ? this.lengths.reduce((a, b) => a + b, 0) / this.lengths.length : null;
  }

  /**
   * Milliseconds until the waiter at `place` (1: next) starts, with `slots` runs at once; null
   * when unknown. `going`: when the runs holding the slots started (by default this server's;
   * a line shared by several servers knows theirs too).
   */
  waitFor(place: number, slots: number, going: Iterable<number> = this.started.values()): number | null {
    const avg = this.average();
    if (avg === null || place < 1) return null;
    const now = this.now();
    // when each slot frees: the runs going end at about the average length (no sooner than now)
    const free = [...going].map((t0) => Math.max(0, t0 + avg - now));
    while (free.length < slots) free.push(0);
    free.sort((a, b) => a - b);
    let at = 0;
    for (let i = 0; i < place; i++) {
      at = free.shift()!;
      // the waiter that takes this slot runs about the average, then frees it again (kept in order)
      const next = at + avg;
      const j = free.findIndex((f) => f > next);
      free.splice(j < 0 ? free.length : j, 0, next);
    }
    return Math.round(at);
  }
}
