// Work that can stop between steps, so that a long run's timeline never holds the page's
// thread for long: a build is a generator whose `yield`s mark where it may stop; `drain`
// runs one to its end (the CLI, tests), `inSlices` runs it a few milliseconds at a time,
// giving the thread back between slices (the page).

export type Steps<T> = Generator<void, T, void>;

/**
 * The loops may stop after about SLICE units of work: an event read is 1, an item drawn as SVG
 * text about 8. A few ms between stops even before the code is compiled.
 */
const SLICE = 512;
let beat = 0;
export function due(weight = 1): boolean {
  beat += weight;
  if (beat < SLICE) return false;
  beat = 0;
  return true;
}

export function drain<T>(steps: Steps<T>): T {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

/** A task boundary: a message to ourselves runs after whatever else waits (input, paint), with no timer clamping. */
function nextTask(): Promise<void> {
  return new Promise((resolve) => {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => {
      ch.port1.close();
      resolve();
    };
    ch.port2.postMessage(null);
  });
}

/** Most of a task the page's slices take before giving the thread back (the target: no task over 50 ms). */
export const SLICE_MS = 12;

export interface SliceStats {
  /** Slices run, and the longest one (ms). */
  slices: number;
  longest: number;
}

/**
 * Runs `steps` in slices of about `budgetMs`, a task each; null when `cancelled()` said so
 * between two slices (a newer build replaces this one).
 */
export async function inSlices<T>(steps: Steps<T>, budgetMs: number, cancelled: () => boolean, stats?: SliceStats): Promise<T | null> {
  for (;;) {
    const start = performance.now();
    for (;;) {
      const r = steps.next();
      if (r.done) {
        note(stats, performance.now() - start);
        return r.value;
      }
      if (performance.now() - start >= budgetMs) break;
    }
    note(stats, performance.now() - start);
    await nextTask();
    if (cancelled()) return null;
  }
}

function note(stats: SliceStats | undefined, ms: number): void {
  if (!stats) return;
  stats.slices++;
  stats.longest = Math.max(stats.longest, ms);
}
