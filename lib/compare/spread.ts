// The spread of one number over several runs: min, median, max and a small histogram.

export interface Bin {
  /** The values it holds: integers from lo to hi; other numbers in [lo, hi), the last bin [lo, hi]. */
  lo: number;
  hi: number;
  count: number;
}

export interface Spread {
  /** One value per run, in the runs' order. */
  values: number[];
  min: number;
  median: number;
  max: number;
  /** How many different values. */
  distinct: number;
  bins: Bin[];
}

const MAX_BINS = 8;

/** The middle value (the mean of the two middle ones for an even count). */
function medianOf(sorted: number[]): number {
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Equal-width bins from min to max, at most MAX_BINS; integers get whole ranges (one value each when few). */
function binsOf(sorted: number[], distinct: number): Bin[] {
  const min = sorted[0];
  const max = sorted[sorted.length - 1];
  if (min === max) return [{ lo: min, hi: max, count: sorted.length }];
  const integers = sorted.every(Number.isInteger);
  const wanted = Math.min(MAX_BINS, integers ? max - min + 1 : distinct);
  const width = integers ? Math.ceil((max - min + 1) / wanted) : (max - min) / wanted;
  const n = integers ? Math.ceil((max - min + 1) / width) : wanted;
  const bins: Bin[] = Array.from({ length: n }, (_, i) => ({ lo: min + i * width, hi: integers ? min + (i + 1) * width - 1 : min + (i + 1) * width, count: 0 }));
  for (const v of sorted) bins[Math.min(n - 1, Math.floor((v - min) / width))].count++;
  return bins;
}

export function spreadOf(values: number[]): Spread {
  if (!values.length) throw new Error('spreadOf: no values');
  const sorted = [...values].sort((a, b) => a - b);
  const distinct = new Set(sorted).size;
  return { values, min: sorted[0], median: medianOf(sorted), max: sorted[sorted.length - 1], distinct, bins: binsOf(sorted, distinct) };
}
