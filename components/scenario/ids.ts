// Fresh ids and names. Processes and channels share one namespace (a program names either
// by id, name or label), so a new id must be free among all of them.
import type { Scenario } from '@/lib/scenario';

export const IDENT = /^[A-Za-z_][A-Za-z0-9_-]{0,31}$/;

export function takenNames(s: Scenario): Set<string> {
  const taken = new Set<string>();
  for (const p of s.processes) taken.add(p.id).add(p.name);
  for (const c of s.channels) {
    taken.add(c.id);
    if (c.label) taken.add(c.label);
  }
  return taken;
}

export function freshName(s: Scenario, prefix: string): string {
  const taken = takenNames(s);
  for (let n = 1; ; n++) if (!taken.has(`${prefix}${n}`)) return `${prefix}${n}`;
}

/** Why `name` cannot be used for the item `selfId`, or null when it can. */
export function nameProblem(s: Scenario, name: string, selfId: string): string | null {
  if (!IDENT.test(name)) return 'letters, digits, _ and - only, starting with a letter or _ (at most 32)';
  for (const p of s.processes) if (p.id !== selfId && (p.id === name || p.name === name)) return `"${name}" is already a process`;
  for (const c of s.channels) if (c.id !== selfId && (c.id === name || c.label === name)) return `"${name}" is already a channel`;
  return null;
}
