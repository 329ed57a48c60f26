// The scenario: processes, the channels (kernel objects) they share, a program per process.
// Versioned JSON, validated with zod; every error names its place, e.g. `channels[0].mechanism`.
//
// Version 2: a channel is linked to any number of processes, each link at one end ('from'
// writes, 'to' reads, for the one-way mechanisms; a semaphore's or a segment's links are all
// alike). A channel with one process at each end and no position of its own is drawn as an
// edge between them; any other, or one given a position, is drawn as an object of its own.
// Version 1 (each channel `from` one process `to` another) opens migrated.

import { z } from 'zod';
import { CATCHABLE_SIGNALS, MECHANISM_IDS, MECHANISMS, SIGNALS, type End } from './mechanisms';

// zod compiles its object parsers with Function() when it may, and tries that first: the
// page's CSP (server/edge/headers.ts) forbids eval, so each try would be a violation. A
// scenario is small; the interpreted parsers are fast enough for it.
z.config({ jitless: true });

export const SCENARIO_VERSION = 2;

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

const Mechanism = z.enum(MECHANISM_IDS, { error: () => `must be one of ${MECHANISM_IDS.join(', ')}` });
const Options = z.record(z.string(), z.union([z.number(), z.string()]));

export const LinkSchema = z.object({
  process: z.string(),
  end: z.enum(['from', 'to'], { error: () => `must be "from" or "to"` }),
});

export const ChannelSchema = z.object({
  id: z.string().regex(IDENT, identMsg),
  label: z.string().regex(IDENT, identMsg).optional(),
  mechanism: Mechanism,
  options: Options.optional(),
  links: z.array(LinkSchema).max(64),
  /** Where its object is drawn; without one, a channel between two processes is an edge. */
  position: Position.optional(),
});

export const ScenarioSchema = z.object({
  version: z.number().int(),
  title: z.string().max(200).default('Untitled'),
  description: z.string().max(2000).default(''),
  processes: z.array(ProcessSchema),
  channels: z.array(ChannelSchema).default([]),
});

/** Version 1: a channel joins exactly two processes. */
const ChannelV1Schema = z.object({
  id: z.string().regex(IDENT, identMsg),
  label: z.string().regex(IDENT, identMsg).optional(),
  from: z.string(),
  to: z.string(),
  mechanism: Mechanism,
  options: Options.optional(),
});
const ScenarioV1Schema = ScenarioSchema.extend({ channels: z.array(ChannelV1Schema).default([]) });

export type Process = z.infer<typeof ProcessSchema>;
export type Link = z.infer<typeof LinkSchema>;
export type Channel = z.infer<typeof ChannelSchema>;
export type Scenario = z.infer<typeof ScenarioSchema>;

// ---- who is at which end -----------------------------------------------------------------

type Linked = { readonly links: readonly Link[] };

/** The end `proc` is linked at, or undefined when it is not linked. */
export function endOf(c: Linked, proc: string): End | undefined {
  return c.links.find((l) => l.process === proc)?.end;
}

/** The processes linked at one end, in link order. */
export function procsAt(c: Linked, end: End): string[] {
  return c.links.filter((l) => l.end === end).map((l) => l.process);
}

/** Every process linked to the channel, in link order. */
export function members(c: Linked): string[] {
  return c.links.map((l) => l.process);
}

/** The two processes of a channel drawn as an edge (one at each end, no position), else null. */
export function edgeEnds(c: Linked & { position?: unknown }): { from: string; to: string } | null {
  if (c.position || c.links.length !== 2 || c.links[0].end === c.links[1].end) return null;
  const [a, b] = c.links;
  return a.end === 'from' ? { from: a.process, to: b.process } : { from: b.process, to: a.process };
}

/** A version-1 channel's two links. */
export const twoLinks = (from: string, to: string): Link[] => [{ process: from, end: 'from' }, { process: to, end: 'to' }];

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
  const parsed = parseAnyVersion(input);
  if ('errors' in parsed) return parsed;
  const s = parsed.scenario;
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
    const info = MECHANISMS[c.mechanism];
    const linked = new Set<string>();
    c.links.forEach((l, j) => {
      const place = `channels[${i}].links[${j}].process`;
      if (!procIds.has(l.process)) errors.push({ place, message: `no process with id "${l.process}"` });
      else if (linked.has(l.process)) errors.push({ place, message: `process "${l.process}" is linked to ${c.label ?? c.id} twice: a process has one end of a channel` });
      linked.add(l.process);
    });
    // a pipe as a shell's | is one process's stdout and one process's stdin
    for (const end of c.options?.stdio === 1 ? (['from', 'to'] as const) : (info.oneAt ?? [])) {
      const at = procsAt(c, end);
      if (at.length > 1) {
        errors.push({ place: `channels[${i}].links`, message: `a ${info.name} has one process at its ${end === 'to' ? 'receiving' : 'sending'} end (${at.join(', ')} are linked there)` });
      }
    }
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
      } else if (o.kind === 'bool') {
        if (value !== 0 && value !== 1) errors.push({ place, message: 'must be 0 (no) or 1 (yes)' });
      } else if (typeof value !== 'number' || !Number.isInteger(value) || value < (o.min ?? -Infinity) || value > (o.max ?? Infinity)) {
        errors.push({ place, message: `must be an integer from ${o.min} to ${o.max}` });
      }
    }
  });
  return { scenario: s, errors };
}

const issuesOf = (e: z.ZodError) => ({ errors: e.issues.map((i) => ({ place: pathToPlace(i.path), message: i.message })) });

/**
 * Parses a scenario of any version and brings it to the current one. An older version is
 * checked against its own schema first, so that its errors name its own places
 * (`channels[0].from`).
 */
function parseAnyVersion(input: unknown): { scenario: Scenario } | { errors: PlaceError[] } {
  const version = input && typeof input === 'object' ? (input as { version?: unknown }).version : undefined;
  if (version === 1) {
    const v1 = ScenarioV1Schema.safeParse(input);
    if (!v1.success) return issuesOf(v1.error);
    const channels = v1.data.channels.map(({ from, to, ...c }) => ({ ...c, links: twoLinks(from, to) }));
    return { scenario: { ...v1.data, version: SCENARIO_VERSION, channels } };
  }
  const parsed = ScenarioSchema.safeParse(input);
  if (!parsed.success) return issuesOf(parsed.error);
  return { scenario: { ...parsed.data, version: SCENARIO_VERSION } };
}
