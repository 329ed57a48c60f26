// Seeded generators of hostile input for the fuzz tests: random JSON values, one-place
// mutations of JSON and of text.

export type Rand = () => number;
export const int = (r: Rand, n: number) => Math.floor(r() * n);
export const pick = <T>(r: Rand, xs: readonly T[]): T => xs[int(r, xs.length)];

export function randomValue(r: Rand, depth = 0): unknown {
  switch (int(r, depth > 2 ? 7 : 9)) {
    case 0: return null;
    case 1: return pick(r, [0, -1, 1.5, 1e308, -0, 2 ** 53, 17, 33]);
    case 2: return pick(r, ['', 'x', 'p1', 'pipe', 'SIGKILL', '💥', '\u0000', '../../etc/passwd', '${jndi}', 'a'.repeat(5000)]);
    case 3: return r() < 0.5;
    case 4: return 'recv c1 as m\nprint "{m"\n}}}';
    case 5: return Array.from({ length: int(r, 4) }, () => randomValue(r, depth + 1));
    case 6: return { [pick(r, ['id', 'from', 'program', '__proto__', 'constructor'])]: randomValue(r, depth + 1) };
    case 7: return { id: 'p9', name: 'p9', program: '' };
    default: return { id: 'cX', from: 'p1', to: 'p2', mechanism: pick(r, ['pipe', 'tcp', 'nope']) };
  }
}

/** Changes one random place of a JSON value: replace, delete, or duplicate. */
export function mutate(r: Rand, v: unknown): unknown {
  if (v === null || typeof v !== 'object' || r() < 0.15) return randomValue(r);
  const copy: any = Array.isArray(v) ? [...v] : { ...v };
  const keys = Object.keys(copy);
  if (keys.length === 0) return randomValue(r);
  const k = pick(r, keys);
  const op = r();
  if (op < 0.15) {
    if (Array.isArray(copy)) copy.splice(Number(k), 1);
    else delete copy[k];
  } else if (op < 0.25 && Array.isArray(copy)) copy.push(copy[Number(k)]);
  else copy[k] = mutate(r, copy[k]);
  return copy;
}

export function mutateText(r: Rand, s: string): string {
  const chars = [...s];
  for (let n = 1 + int(r, 4); n > 0; n--) {
    const i = int(r, chars.length + 1);
    const op = r();
    if (op < 0.4) chars.splice(i, 1);
    else if (op < 0.8) chars.splice(i, 0, pick(r, ['{', '}', '"', '\n', ' ', 'recv', 'c1', '#', '\\', '(', '-', '9', '💥', 'as']));
    else chars.splice(i, 0, ...chars.slice(int(r, chars.length), int(r, chars.length)));
  }
  return chars.join('');
}

/** Every place a scenario error may name. */
export const PLACE = /^(\(file\)|\(root\)|version|title|description|processes(\[\d+\](\.(id|name|program|position(\.[xy])?)(:\d+:\d+)?)?)?|channels(\[\d+\](\.(id|label|from|to|mechanism|options(\.\w+|\[".*"\])?|links(\[\d+\](\.(process|end))?)?|position(\.[xy])?))?)?)$/;
