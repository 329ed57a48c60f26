// The scenario: processes, channels between them, a program per process. Versioned JSON,
// validated with zod; every error names its place, e.g. `channels[0].mechanism`.

import { z } from 'zod';
import { CATCHABLE_SIGNALS, MECHANISM_IDS, MECHANISMS, SIGNALS } from './mechanisms';

// zod compiles its object parsers with Function() when it may, and tries that first: the
// page's CSP (server/edge/headers.ts) forbids eval, so each try would be a violation. A
// scenario is small; the interpreted parsers are fast enough for it.
z.config({ jitless: true });

export const SCENARIO_VERSION = 1;

export interface Limits {
  maxProcesses: number;
  maxChannels: number;
  wallMs: number;
  stdoutBytes: number;
  messageBytes: number;
  programChars: number;
  runsTotal: number;
  runsPerClient: number;
}

export const DEFAULT_LIMITS: Limits = {
  maxProcesses: 16,
  maxChannels: 32,
  wallMs: 60_000,
  stdoutBytes: 1 << 20,
  messageBytes: 64 << 10,
  programChars: 20_000,
  runsTotal: 8,
  runsPerClient: 2,
};

/** Ids and names are identifiers, so programs can name them and nothing else can hide in them. */
const IDENT = /^[A-Za-z_][A-Za-z0-9_-]{0,31}$/;
const identMsg = 'must start with a letter or _ and hold only letters, digits, _ and - (at most 32)';

const Position = z.object({ x: z.number().finite(), y: z.number().finite() });

export const ProcessSchema = z.object({
  id: z.string().regex(IDENT, identMsg),
  name: z.string().regex(IDENT, identMsg),
  program: z.string(),
  position: Position.optional(),
});

export const ChannelSchema = z.object({
  id: z.string().regex(IDENT, identMsg),
  label: z.string().regex(IDENT, identMsg).optional(),
  from: z.string(),
  to: z.string(),
  mechanism: z.enum(MECHANISM_IDS, { error: () => `must be one of ${MECHANISM_IDS.join(', ')}` }),
  options: z.record(z.string(), z.union([z.number(), z.string()])).optional(),
});

export const ScenarioSchema = z.object({
  version: z.number().int(),
  title: z.string().max(200).default('Untitled'),
  description: z.string().max(2000).default(''),
  processes: z.array(ProcessSchema),
  channels: z.array(ChannelSchema).default([]),
});

export type Process = z.infer<typeof ProcessSchema>;
export type Channel = z.infer<typeof ChannelSchema>;
export type Scenario = z.infer<typeof ScenarioSchema>;

export interface PlaceError {
  /** `processes[1].program:3:14`, `channels[0].mechanism`, `(root)` */
  place: string;
  message: string;
}

export function formatPlaceError(e: PlaceError): string {
  return `${e.place}: ${e.message}`;
}

function pathToPlace(path: readonly PropertyKey[]): string {
  let s = '';
  for (const p of path) s += typeof p === 'number' ? `[${p}]` : s ? `.${String(p)}` : String(p);
  return s || '(root)';
}

/**
 * The most a scenario within `limits` can weigh (characters of its strings, keys and numbers):
 * a program at its limit per process and ample room for the rest. Anything heavier is refused
 * before any parsing or validation, which cost time in proportion.
 */
export function scenarioMaxSize(limits: Limits): number {
  return limits.maxProcesses * (limits.programChars + 1024) + limits.maxChannels * 1024 + 4096;
}

/**
 * Whether `value` (from JSON) weighs more than `max`: characters of strings and keys, 8 per
 * other value. It walks without recursion and stops as soon as it is over, so its own cost is
 * bounded by `max` whatever arrives.
 */
export function sizeOver(value: unknown, max: number): boolean {
  let size = 0;
  const stack: unknown[] = [value];
  while (stack.length) {
    const v = stack.pop();
    if (typeof v === 'string') size += v.length + 2;
    else if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        size += 1;
        stack.push(v[i]);
        if (size > max) return true;
      }
    } else if (v && typeof v === 'object') {
      for (const k in v) {
        if (!Object.hasOwn(v, k)) continue;
        size += k.length + 3;
        stack.push((v as Record<string, unknown>)[k]);
        if (size > max) return true;
      }
    } else size += 8;
    if (size > max) return true;
  }
  return false;
}

/** Structure, references, options and limits. Programs are checked by lib/validate.ts. */
export function checkScenarioShape(input: unknown, limits: Limits = DEFAULT_LIMITS): { scenario?: Scenario; errors: PlaceError[] } {
  if (input && typeof input === 'object' && 'version' in input && typeof (input as { version: unknown }).version === 'number') {
    const v = (input as { version: number }).version;
    if (v > SCENARIO_VERSION) return { errors: [{ place: 'version', message: `scenario version ${v} is newer than this playground (${SCENARIO_VERSION})` }] };
  }
  const parsed = ScenarioSchema.safeParse(input);
  if (!parsed.success) {
    return { errors: parsed.error.issues.map((i) => ({ place: pathToPlace(i.path), message: i.message })) };
  }
  const s = migrate(parsed.data);
  const errors: PlaceError[] = [];
  if (s.processes.length === 0) errors.push({ place: 'processes', message: 'a scenario needs at least one process' });
  if (s.processes.length > limits.maxProcesses) errors.push({ place: 'processes', message: `${s.processes.length} processes is over the limit of ${limits.maxProcesses}` });
  if (s.channels.length > limits.maxChannels) errors.push({ place: 'channels', message: `${s.channels.length} channels is over the limit of ${limits.maxChannels}` });

  const names = new Map<string, string>();
  const claim = (key: string, place: string) => {
    const prev = names.get(key);
    if (prev) errors.push({ place, message: `"${key}" is already used by ${prev}` });
    else names.set(key, place);
  };
  const procIds = new Set<string>();
  s.processes.forEach((p, i) => {
    claim(p.id, `processes[${i}].id`);
    if (p.name !== p.id) claim(p.name, `processes[${i}].name`);
    procIds.add(p.id);
    if (p.program.length > limits.programChars) {
      errors.push({ place: `processes[${i}].program`, message: `program of ${p.program.length} characters is over the limit of ${limits.programChars}` });
    }
  });
  s.channels.forEach((c, i) => {
    claim(c.id, `channels[${i}].id`);
    if (c.label && c.label !== c.id) claim(c.label, `channels[${i}].label`);
    for (const end of ['from', 'to'] as const) {
      if (!procIds.has(c[end])) errors.push({ place: `channels[${i}].${end}`, message: `no process with id "${c[end]}"` });
    }
    if (c.from === c.to) errors.push({ place: `channels[${i}].to`, message: 'a channel joins two different processes' });
    const info = MECHANISMS[c.mechanism];
    for (const [key, value] of Object.entries(c.options ?? {})) {
      const o = info.options.find((x) => x.key === key);
      const place = `channels[${i}].options` + (/^\w+$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`);
      if (!o) {
        errors.push({ place, message: `${info.name} has no option "${key}"` + (info.options.length ? ` (it has ${info.options.map((x) => x.key).join(', ')})` : '') });
      } else if (o.kind === 'signal') {
        if (typeof value !== 'string' || !(SIGNALS as readonly string[]).includes(value)) errors.push({ place, message: `must be a signal name such as SIGUSR1` });
        else if (!(CATCHABLE_SIGNALS as readonly string[]).includes(value)) {
          // the receiver catches the channel's signal to count it, and sigaction(2) refuses these
          errors.push({ place, message: `a signal channel cannot carry ${value}: its receiver catches the signal to count it, and ${value} cannot be caught (use signal PROCESS ${value} in a program)` });
        }
      } else if (typeof value !== 'number' || !Number.isInteger(value) || value < (o.min ?? -Infinity) || value > (o.max ?? Infinity)) {
        errors.push({ place, message: `must be an integer from ${o.min} to ${o.max}` });
      }
    }
  });
  return { scenario: s, errors };
}

/** Brings an older scenario up to the current version (only version 1 exists so far). */
function migrate(s: Scenario): Scenario {
  return { ...s, version: SCENARIO_VERSION };
}
