// Sizes as people read them: 1 MiB, not 1048576 bytes. One function for the page, the
// server's notices and the CLI, so a size reads the same everywhere.

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

/** 0 B, 512 B, 1.5 KiB, 64 KiB, 1 MiB, 2.3 GiB: one decimal below 10, none above. */
export function formatBytes(n: number): string {
  if (!Number.isFinite(n) || n < 1024) return `${n} B`;
  let v = n;
  let unit = 0;
  while (v >= 1024 && unit < UNITS.length - 1) {
    v /= 1024;
    unit++;
  }
  const shown = +v.toFixed(v < 10 ? 1 : 0);
  // 1023.6 KiB rounds to 1024: say 1 MiB instead
  if (shown >= 1024 && unit < UNITS.length - 1) return `1 ${UNITS[unit + 1]}`;
  return `${shown} ${UNITS[unit]}`;
}
