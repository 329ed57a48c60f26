// Speed steps from slow motion (one statement a second, for a class) to full speed (0).
export const SPEEDS = [1, 2, 4, 10, 25, 100, 1000, 0] as const;

export function speedLabel(sps: number): string {
  if (sps === 0) return 'full speed';
  return `${sps} stmt/s`;
}

export function speedIndex(sps: number): number {
  const i = SPEEDS.indexOf(sps as (typeof SPEEDS)[number]);
  if (i >= 0) return i;
  // the nearest step for a value set elsewhere
  let best = SPEEDS.length - 1;
  SPEEDS.forEach((s, j) => {
    if (s && sps && Math.abs(Math.log(s / sps)) < Math.abs(Math.log((SPEEDS[best] || 1e6) / sps))) best = j;
  });
  return best;
}
