// The line of runs waiting for a slot: when every run slot of the server is taken, a start
// waits here instead of being refused, is told its place as the line moves, and starts by
// itself when its turn comes; its tab may leave the line (Stop) or go away.

export interface Waiter {
  /** Whose it is (a tab's session): leave() takes out all of one owner's. */
  owner: unknown;
  /** Its place as last told, 1 for the next to go. */
  place: number;
  /** Told its place whenever it changes, with the wait it may expect then (ms; null when unknown). */
  told(place: number, etaMs: number | null): void;
  /** Its turn has come: a slot is free. */
  go(): void;
  /** Taken out of the line, with the reason. */
  left(message: string): void;
}

export class RunLine {
  private waiting: Waiter[] = [];

  /** `free`: whether a run could start now; `eta`: the wait at a place (server/estimate.ts). */
  constructor(
    private free: () => boolean,
    private eta: (place: number) => number | null = () => null,
  ) {}

  get length(): number {
    return this.waiting.length;
  }

  /** Whether a start must wait: no slot, or others already wait (no one goes ahead of the line). */
  mustWait(): boolean {
    return this.waiting.length > 0 || !this.free();
  }

  join(w: Waiter): void {
    this.waiting.push(w);
    this.tell();
  }

  /** Lets the first ones go while slots are free (after a run ended, or a start failed). */
  pump(): void {
    let moved = false;
    while (this.waiting.length && this.free()) {
      this.waiting.shift()!.go();
      moved = true;
    }
    if (moved) this.tell();
  }

  /** Takes `owner`'s waiters out of the line; how many there were. */
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
