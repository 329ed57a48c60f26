// The recording of a run, as a file: the scenario and the events the page received, in
// order. Versioned: `version` names the layout, and `readRecording` opens every version it
// knows (a later layout adds a migration here, older files keep opening). Whatever is read
// is checked by zod, so a hand-made file reaches the page only as known fields.

import { z } from 'zod';
import type { RunEvent } from '../events';
import { MECHANISM_IDS } from '../mechanisms';
import { twoLinks } from '../scenario';
import { drain, due, type Steps } from '../timeline/steps';

export const RECORDING_VERSION = 1;
export const RECORDING_KIND = 'ipcpg-recording';

/** What the recorder merged or left out to stay bounded; all exact counts. */
export interface Coalesced {
  /** Syscall and line events the server's framer left out (its "N trace events left out" notices). */
  traceLeftOut: number;
  /** Syscall and line events the recorder left out past its budget, per process. */
  detailLeftOut: Record<string, number>;
  /** Counter samples folded into a later one of the same process (counters are cumulative). */
  countersMerged: number;
  /** State changes folded into a later one of the same process. */
  statesMerged: number;
  /** Bytes of output not recorded past the per-process cap. */
  textLeftOut: Record<string, number>;
  /** Shared-memory change bytes not recorded past the cap (the hex view stops changing). */
  shmLeftOut: number;
}

export interface Recording {
  kind: typeof RECORDING_KIND;
  version: typeof RECORDING_VERSION;
  /** ISO time the run started, as the recorder's clock said. */
  recordedAt: string;
  /** The scenario as the run was started with it (its own version inside). */
  scenario: unknown;
  /** The caps the recorder applied: stated, so a reader can tell what "left out" means. */
  budget: RecordBudget;
  coalesced: Coalesced;
  events: RunEvent[];
}

export interface RecordBudget {
  /** Syscall and line events kept whatever their rate (a short run is kept whole), then per 100 ms of run time, and in all. */
  detailFree: number;
  detailPerWindow: number;
  detailMax: number;
  /** Output bytes kept per process. */
  textMax: number;
  /** Shared-memory change bytes kept in all. */
  shmMax: number;
  /** Counter samples and state changes kept per process per 100 ms. */
  samplesPerWindow: number;
}

// ---- the schema of version 1 ----

const str = z.string().max(1 << 20);
const name = z.string().max(200);
const num = z.number().finite();
const proc = name;
const mechanism = z.enum(MECHANISM_IDS);
const signalPhase = z.enum(['sent', 'delivered', 'handled', 'ignored']);
const procState = z.enum(['starting', 'running', 'sleeping', 'blocked', 'paused', 'stopped', 'exited', 'killed']);
const names = z.array(name).max(64);

const ObjectStateSchema = z.object({
  bytes: num.optional(),
  capacity: num.optional(),
  value: num.optional(),
  waiters: names.optional(),
  messages: num.optional(),
  holder: name.nullable().optional(),
  lockType: z.enum(['read', 'write']).nullable().optional(),
  size: num.optional(),
  changes: z.array(z.object({ offset: num, hex: z.string().max(2 << 20).regex(/^(?:[0-9a-f]{2})*$/) })).max(10_000).optional(),
  conn: name.optional(),
  address: name.optional(),
  readers: num.optional(),
  writers: num.optional(),
  text: str.optional(),
  pending: names.optional(),
  blocked: names.optional(),
  caught: names.optional(),
});

const t = { t: num };
const p = { t: num, proc };
const outcome = z.object({ id: proc, name, outcome: name, code: num.nullable(), signal: name.nullable(), ms: num });
const counts = z.object({ id: name, sends: num, recvs: num, bytes: num });

const LinkSchema = z.object({ process: proc, end: z.enum(['from', 'to']) });
/** A channel of the run: its links, or (recorded before scenario version 2) from one process to another. */
const RecordedChannel = z.union([
  z.object({ id: name, label: name, mechanism, links: z.array(LinkSchema).max(64) }),
  z.object({ id: name, label: name, mechanism, from: proc, to: proc }).transform(({ from, to, ...c }) => ({ ...c, links: twoLinks(from, to) })),
]);

const EventSchema = z.discriminatedUnion('type', [
  z.object({
    ...t,
    type: z.literal('run'),
    runId: name,
    isolation: z.enum(['namespaces', 'naming']),
    processes: z.array(z.object({ id: proc, name, pid: num })).max(256),
    channels: z.array(RecordedChannel).max(512),
  }),
  z.object({ ...p, type: z.literal('state'), state: procState, call: name.optional(), channel: name.optional(), watching: z.array(name).max(64).optional() }),
  z.object({ ...p, type: z.literal('ready'), channels: z.array(name).max(64) }),
  z.object({ ...p, type: z.literal('failed'), call: name, errno: name, line: num, count: num }),
  z.object({ ...p, type: z.literal('line'), line: num }),
  z.object({ ...p, type: z.literal('syscall'), name, args: str, ret: name, errno: name.nullable(), ms: num, channel: name.optional() }),
  z.object({ ...p, type: z.literal('stdout'), text: str }),
  z.object({ ...p, type: z.literal('stderr'), text: str }),
  z.object({ ...t, type: z.literal('signal'), signal: name, from: proc.nullable(), to: proc, phase: signalPhase }),
  z.object({ ...t, type: z.literal('object'), channel: name, mechanism, state: ObjectStateSchema }),
  z.object({
    ...p,
    type: z.literal('counters'),
    statements: num,
    line: num,
    syscalls: z.record(name, num),
    sends: num,
    recvs: num,
    bytes: num,
    channels: z.record(name, z.tuple([num, num, num])).optional(),
  }),
  z.object({ ...t, type: z.literal('control'), action: z.enum(['pause', 'resume', 'step', 'speed']), proc: proc.optional(), sps: num.optional() }),
  z.object({ ...p, type: z.literal('exit'), code: num.nullable(), signal: name.nullable() }),
  z.object({ ...p, type: z.literal('fork'), parent: proc, name, pid: num }),
  z.object({ ...p, type: z.literal('reaped'), by: proc }),
  z.object({ ...t, type: z.literal('notice'), proc: proc.optional(), message: str }),
  z.object({
    ...t,
    type: z.literal('end'),
    reason: z.enum(['finished', 'stopped', 'timeout', 'disconnected', 'error']),
    processes: z.array(outcome).max(256),
    channels: z.array(counts).max(512),
    leftovers: z.array(str).max(1000),
    ms: num,
  }),
]);

const counter = z.record(name, num);

/** The file around its events; each event is checked on its own (checkRecording may stop between them). */
const RecordingV1Head = z.object({
  kind: z.literal(RECORDING_KIND),
  version: z.literal(1),
  recordedAt: name,
  scenario: z.unknown(),
  budget: z.object({ detailFree: num, detailPerWindow: num, detailMax: num, textMax: num, shmMax: num, samplesPerWindow: num }),
  coalesced: z.object({ traceLeftOut: num, detailLeftOut: counter, countersMerged: num, statesMerged: num, textLeftOut: counter, shmLeftOut: num }),
  events: z.array(z.unknown()).max(2_000_000),
});

// the schema and the event types must describe the same thing
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const schemaMatchesEvents: Same<z.infer<typeof EventSchema>['type'], RunEvent['type']> = true;
void schemaMatchesEvents;

export type ReadResult = { ok: true; recording: Recording } | { ok: false; message: string };

function damaged(issue: z.ZodIssue | undefined, at: (string | number)[] = []): ReadResult {
  return { ok: false, message: `a damaged recording: ${issue ? `${[...at, ...issue.path].join('.')}: ${issue.message}` : 'unreadable'}` };
}

/**
 * Checks a recording (parsed JSON) of any known version, giving the current layout; it may stop
 * between events (lib/timeline/steps.ts), so that the page opens a long one in slices.
 */
export function* checkRecording(input: unknown): Steps<ReadResult> {
  const head = z.object({ kind: z.literal(RECORDING_KIND), version: z.number().int() }).safeParse(input);
  if (!head.success) return { ok: false, message: 'not a recording of IPC Playground' };
  if (head.data.version > RECORDING_VERSION) return { ok: false, message: `a recording of a newer version (${head.data.version}): update the playground to open it` };
  const file = RecordingV1Head.safeParse(input);
  if (!file.success) return damaged(file.error.issues[0]);
  const events: RunEvent[] = new Array(file.data.events.length);
  for (let i = 0; i < events.length; i++) {
    const e = EventSchema.safeParse(file.data.events[i]);
    if (!e.success) return damaged(e.error.issues[0], ['events', i]);
    events[i] = e.data as RunEvent;
    if (due(EVENT_CHECK_WEIGHT)) yield;
  }
  return { ok: true, recording: { ...file.data, events } as Recording };
}

/** A schema check of one event weighs about this many event reads (due()'s unit). */
const EVENT_CHECK_WEIGHT = 16;

/** Opens a recording of any known version (parsed JSON), as the current layout. */
export function readRecording(input: unknown): ReadResult {
  return drain(checkRecording(input));
}

/** The JSON of a recording file, or why it is not one. */
export function recordingJson(text: string): { ok: true; json: unknown } | { ok: false; message: string } {
  try {
    return { ok: true, json: JSON.parse(text) };
  } catch {
    return { ok: false, message: 'not a recording: the file is not JSON' };
  }
}

/** Parses the text of a recording file. */
export function parseRecording(text: string): ReadResult {
  const r = recordingJson(text);
  return r.ok ? readRecording(r.json) : r;
}

/** The run's length in ms: its end, or its latest event. */
export function recordingLength(r: Recording): number {
  let last = 0;
  for (const e of r.events) if (e.t > last) last = e.t;
  return last;
}
