// Share links: the whole scenario in the URL fragment, compressed and versioned, no server
// state. Isomorphic: TextEncoder/TextDecoder and fflate only.
//
// Format 1, the fragment `s1.<base64url>` (no padding). The bytes are
//
//   [check] [len: LEB128 varint] [crc: 4 bytes, big-endian] [payload: len bytes]
//
// - payload: raw deflate (level 9, with the preset dictionary S1_DICTIONARY) of the UTF-8
//   JSON of a compact projection of the scenario (see `project`);
// - crc: CRC-32 (IEEE) of the payload, so a changed character is caught before inflating;
// - len: the payload's length, so a link cut short (chat apps, line wrapping) is told apart
//   from a changed one;
// - check: the low byte of the CRC-32 of the len and crc bytes, so a change inside the
//   header itself reads as 'tampered' rather than as a wrong length.
//
// CRC-32 catches accidents (a cut, a changed character), not an attacker: whatever decodes
// is still checked with checkScenarioShape (and, before a run, by validateScenario).
//
// Nothing of format 1 may change once links are out: the projection, the mechanism table
// and the dictionary below are frozen. A new layout gets a new prefix, and this decoder then
// answers 'newer' for links it cannot read.
//
// Format 2 (`s2.`, scenario version 2): the same bytes, dictionary and mechanism table; only
// the channel records differ (links to any number of processes, a position). Links are
// written in format 2; both are read.

import { Inflate, deflateSync } from 'fflate';
import { SCENARIO_VERSION, checkScenarioShape, formatPlaceError, type Scenario } from './scenario';
import { formatBytes } from './format';

/** Over this many characters, the UI offers a file instead of a link. */
export const SHARE_SOFT_LIMIT = 8000;
/** Longer fragments are refused unread. */
export const SHARE_MAX_FRAGMENT = 100_000;
/** The most bytes the payload may inflate to (zip bombs). */
export const SHARE_MAX_INFLATED = 1 << 20;

/** The format links are written in; every format up to it is read. */
export const SHARE_FORMAT = 2;

export type DecodeFailure = 'empty' | 'malformed' | 'truncated' | 'tampered' | 'newer' | 'invalid';
export type Decoded = { ok: true; scenario: Scenario } | { ok: false; reason: DecodeFailure; message: string };

// ---- frozen tables of format 1 ----

/** Mechanism ids by index, as format 1 stores them. Append-only is NOT allowed either: freeze. */
const S1_MECHANISMS = [
  'pipe', 'fifo', 'signal', 'file',
  'sem-named', 'sem-unnamed',
  'shm-posix', 'shm-sysv', 'shm-file', 'shm-anon',
  'mq-sysv', 'mq-posix',
  'tcp', 'udp', 'unix-stream', 'unix-dgram',
] as const;

/**
 * Preset deflate dictionary of format 1: text that programs and the projection often hold,
 * so that even the first occurrence of a common word costs a back-reference. The most
 * frequent strings are last (closest, so the cheapest distances).
 */
const S1_DICTIONARY = new TextEncoder().encode(
  [
    'mq-sysv mq-posix shm-posix shm-sysv shm-file shm-anon sem-named sem-unnamed unix-stream unix-dgram tcp udp fifo pipe file signal',
    ' SIGHUP SIGINT SIGQUIT SIGKILL SIGPIPE SIGALRM SIGTERM SIGCHLD SIGCONT SIGSTOP SIGTSTP SIGWINCH SIGUSR2 SIGUSR1',
    ' priority type initial maxmsg msgsize mtype size',
    ' trywait unlock lock write read at 0 pid exit 0\\n',
    ' } else if ',
    ' } else {\\n',
    ' if n == 0 { break }\\n',
    ' set n = n + 1\\n',
    ' forever {\\n',
    ' pause\\n',
    ' on SIGUSR1 { print \\"caught SIGUSR1\\" }\\n',
    ' signal ',
    ' sleep 100\\n',
    ' sleep 200\\n',
    ' sleep 500\\n',
    'Untitled',
    'server client producer consumer writer reader sender receiver worker parent child source filter sink ping pong',
    ' message data done ready hello Hello from the process item job reply request response result count',
    ' received Received got sent Sent wrote read:',
    ' # ',
    ' while recv ',
    ' close ',
    ' repeat 3 {\\n  ',
    ' as msg\\n',
    ' as reply\\n',
    ' wait ',
    ' post ',
    ' {i}',
    '\\"\\n}\\n',
    '\\n  print \\"',
    '\\n  send ',
    '\\n  recv ',
    '\\n}\\n',
    '"],["',
    '",0,0,"',
  ].join(''),
);

// ---- small byte tools ----

let crcTable: Uint32Array | null = null;

/** CRC-32 (IEEE 802.3, as zlib and PNG), of all of data. */
export function crc32(data: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let c = 0xffffffff;
  for (let i = 0; i < data.length; i++) c = crcTable[(c ^ data[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const B64_INDEX = (() => {
  const t = new Int8Array(128).fill(-1);
  for (let i = 0; i < 64; i++) t[B64.charCodeAt(i)] = i;
  return t;
})();

function toBase64url(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    out += B64[n >> 18] + B64[(n >> 12) & 63] + B64[(n >> 6) & 63] + B64[n & 63];
  }
  const left = bytes.length - i;
  if (left === 1) {
    const n = bytes[i] << 16;
    out += B64[n >> 18] + B64[(n >> 12) & 63];
  } else if (left === 2) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8);
    out += B64[n >> 18] + B64[(n >> 12) & 63] + B64[(n >> 6) & 63];
  }
  return out;
}

/**
 * Decodes as many whole bytes as the text holds. `badChar` is the index of the first
 * character outside the alphabet (nothing is decoded then); `dirtyTail` says the bits left
 * over at the end were not zero, which an encoder never writes.
 */
function fromBase64url(text: string): { bytes: Uint8Array; badChar: number; dirtyTail: boolean } {
  const bytes = new Uint8Array(Math.floor((text.length * 6) / 8));
  let acc = 0;
  let bits = 0;
  let o = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const v = c < 128 ? B64_INDEX[c] : -1;
    if (v < 0) return { bytes: new Uint8Array(0), badChar: i, dirtyTail: false };
    acc = ((acc << 6) | v) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes[o++] = (acc >> bits) & 0xff;
    }
  }
  return { bytes, badChar: -1, dirtyTail: bits > 0 && (acc & ((1 << bits) - 1)) !== 0 };
}

function writeVarint(n: number, out: number[]): void {
  while (n >= 0x80) {
    out.push((n & 0x7f) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
}

/** The value and the index after it; `end` when the bytes ran out; `bad` when over 4 bytes. */
function readVarint(bytes: Uint8Array, at: number): { value: number; next: number } | 'end' | 'bad' {
  let value = 0;
  let scale = 1;
  for (let i = 0; i < 4; i++) {
    if (at + i >= bytes.length) return 'end';
    const b = bytes[at + i];
    value += (b & 0x7f) * scale;
    scale *= 128;
    if (!(b & 0x80)) return { value, next: at + i + 1 };
  }
  return 'bad';
}

// ---- the compact projections ----
//
// root:    [version, title, processes, channels, description?]    description left out when ''
// process: [id, program]                     no position, name = id
//          [id, program, x, y]               position {x, y}
//          [id, program, x|null, y|null, name]  name != id (nulls: no position)
// Format 1's channel:
//          [id, from, to, mechanism]         from/to: index of the process with that id, or
//          [..., label]                      the id as text if there is none; mechanism: index
//          [..., label|null, options]        in S1_MECHANISMS, or the id as text if unknown
// Format 2's channel:
//          [id, links, mechanism]            links: per link, 2 × the process's index + 1 at the
//          [..., label|null, options|null, x, y]   'to' end, or [id, end] as text if none
//                                            (trailing nulls and a missing position left out)
// Numbers are JSON numbers, so positions come back exact; a -0 position is written "-0"
// (JSON has no -0). Options stay a JSON object: their values are integers or signal names
// (checkScenarioShape), where -0 would come back as 0, the only inexactness, and harmless.

type Json = null | number | string | Json[] | { [k: string]: Json };

const num = (n: number): number | string => (Object.is(n, -0) ? '-0' : n);
const unnum = (v: unknown): number | undefined => (v === '-0' ? -0 : typeof v === 'number' ? v : undefined);

function project(s: Scenario): Json {
  const index = new Map<string, number>();
  s.processes.forEach((p, i) => {
    if (!index.has(p.id)) index.set(p.id, i);
  });
  const procs = s.processes.map((p): Json => {
    const a: Json[] = [p.id, p.program];
    if (p.position || p.name !== p.id) a.push(p.position ? num(p.position.x) : null, p.position ? num(p.position.y) : null);
    if (p.name !== p.id) a.push(p.name);
    return a;
  });
  const chans = s.channels.map((c): Json => {
    const m = (S1_MECHANISMS as readonly string[]).indexOf(c.mechanism);
    const links = c.links.map((l): Json => {
      const i = index.get(l.process);
      return i === undefined ? [l.process, l.end] : 2 * i + (l.end === 'to' ? 1 : 0);
    });
    const a: Json[] = [c.id, links, m >= 0 ? m : c.mechanism, c.label ?? null, c.options ?? null];
    if (c.position) a.push(num(c.position.x), num(c.position.y));
    while (a.length > 3 && a[a.length - 1] === null) a.pop();
    return a;
  });
  const root: Json[] = [s.version, s.title, procs, chans];
  if (s.description) root.push(s.description);
  return root;
}

class Malformed extends Error {}

function need(cond: unknown, what: string): asserts cond {
  if (!cond) throw new Malformed(what);
}

function mechanismOf(m: unknown, i: number): unknown {
  if (typeof m !== 'number') return m;
  need(Number.isInteger(m) && m >= 0 && m < S1_MECHANISMS.length, `channel ${i} has an unknown mechanism number`);
  return S1_MECHANISMS[m];
}

/** Back from the projection to a scenario-shaped object (checkScenarioShape judges the rest). */
function unproject(j: unknown, format: number): Record<string, unknown> {
  need(Array.isArray(j) && j.length >= 4 && j.length <= 5, `the root is not a format-${format} record`);
  const [version, title, procs, chans, description] = j as unknown[];
  need(typeof version === 'number', 'no scenario version');
  need(Array.isArray(procs) && Array.isArray(chans), 'no process or channel list');
  const ids: unknown[] = [];
  const processes = procs.map((p: unknown, i) => {
    need(Array.isArray(p) && p.length >= 2 && p.length <= 5 && p.length !== 3, `process ${i} is not a format-${format} record`);
    const out: Record<string, unknown> = { id: p[0], name: p.length === 5 ? p[4] : p[0], program: p[1] };
    if (p.length >= 4) {
      const x = unnum(p[2]);
      const y = unnum(p[3]);
      if (x !== undefined && y !== undefined) out.position = { x, y };
      else need(p[2] === null && p[3] === null && p.length === 5, `process ${i} has a broken position`);
    }
    ids.push(p[0]);
    return out;
  });
  const procAt = (v: number, i: number): unknown => {
    need(Number.isInteger(v) && v >= 0 && v < ids.length, `channel ${i} names a process that is not there`);
    return ids[v];
  };
  const channels = chans.map((c: unknown, i) => (format === 1 ? channelOf1(c, i, procAt) : channelOf2(c, i, procAt)));
  return description === undefined ? { version, title, processes, channels } : { version, title, description, processes, channels };
}

type ProcAt = (v: number, i: number) => unknown;

function channelOf1(c: unknown, i: number, procAt: ProcAt): Record<string, unknown> {
  need(Array.isArray(c) && c.length >= 4 && c.length <= 6, `channel ${i} is not a format-1 record`);
  const end = (v: unknown) => (typeof v === 'number' ? procAt(v, i) : v);
  const out: Record<string, unknown> = { id: c[0], from: end(c[1]), to: end(c[2]), mechanism: mechanismOf(c[3], i) };
  if (c.length >= 5 && c[4] !== null) out.label = c[4];
  if (c.length === 6) out.options = c[5];
  return out;
}

function channelOf2(c: unknown, i: number, procAt: ProcAt): Record<string, unknown> {
  need(Array.isArray(c) && c.length >= 3 && c.length <= 7 && c.length !== 6 && Array.isArray(c[1]), `channel ${i} is not a format-2 record`);
  const links = (c[1] as unknown[]).map((l) => {
    if (typeof l === 'number') return { process: procAt(Math.floor(l / 2), i), end: l % 2 ? 'to' : 'from' };
    need(Array.isArray(l) && l.length === 2, `channel ${i} has a broken link`);
    return { process: l[0], end: l[1] };
  });
  const out: Record<string, unknown> = { id: c[0], links, mechanism: mechanismOf(c[2], i) };
  if (c.length >= 4 && c[3] !== null) out.label = c[3];
  if (c.length >= 5 && c[4] !== null) out.options = c[4];
  if (c.length === 7) {
    const x = unnum(c[5]);
    const y = unnum(c[6]);
    need(x !== undefined && y !== undefined, `channel ${i} has a broken position`);
    out.position = { x, y };
  }
  return out;
}

// ---- encode ----

const PREFIX = `s${SHARE_FORMAT}.`;

/** The fragment (without '#') holding the whole scenario, e.g. `s2.q1Yy...`. */
export function encodeShare(s: Scenario): string {
  const json = new TextEncoder().encode(JSON.stringify(project(s)));
  const payload = deflateSync(json, { level: 9, dictionary: S1_DICTIONARY });
  const head: number[] = [];
  writeVarint(payload.length, head);
  const crc = crc32(payload);
  head.push(crc >>> 24, (crc >>> 16) & 0xff, (crc >>> 8) & 0xff, crc & 0xff);
  const check = crc32(Uint8Array.from(head)) & 0xff;
  const bytes = new Uint8Array(1 + head.length + payload.length);
  bytes[0] = check;
  bytes.set(head, 1);
  bytes.set(payload, 1 + head.length);
  return PREFIX + toBase64url(bytes);
}

// ---- decode ----

const fail = (reason: DecodeFailure, message: string): Decoded => ({ ok: false, reason, message });

const NEWER = 'This link was made by a newer version of IPC Playground';

/** Inflates raw deflate with the dictionary, giving up past `max` bytes (zip bombs). */
function inflateBounded(data: Uint8Array, max: number): Uint8Array | 'too-big' | 'bad' {
  const chunks: Uint8Array[] = [];
  let total = 0;
  let over = false;
  let done = false;
  try {
    const inf = new Inflate({ dictionary: S1_DICTIONARY }, (chunk, final) => {
      total += chunk.length;
      if (total > max) over = true;
      else chunks.push(chunk);
      if (final) done = true;
    });
    // Small input steps bound the work between checks: one step inflates to at most ~1 MB.
    const STEP = 1024;
    for (let i = 0; i < data.length && !over; i += STEP) inf.push(data.subarray(i, i + STEP), i + STEP >= data.length);
  } catch {
    return over ? 'too-big' : 'bad';
  }
  if (over) return 'too-big';
  if (!done) return 'bad';
  const out = new Uint8Array(total);
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}

/** The fragment out of what a user may paste: `#s2...`, `s2...`, or a whole URL. */
function fragmentOf(input: string): string {
  const hash = input.indexOf('#');
  if (hash >= 0) return input.slice(hash + 1);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(input.trim())) return '';
  return input;
}

/** Reads a share fragment back into a scenario. Never throws; every failure has a reason. */
export function decodeShare(fragment: string): Decoded {
  try {
    return decode(fragment);
  } catch (e) {
    // not expected: every path below returns; kept so that decodeShare never throws
    return fail('malformed', `This is not an IPC Playground link (${e instanceof Error ? e.message : String(e)}).`);
  }
}

function decode(input: string): Decoded {
  if (typeof input !== 'string') return fail('malformed', 'This is not an IPC Playground link (not text).');
  if (input.length > SHARE_MAX_FRAGMENT + 4096) {
    return fail('malformed', `This link is ${input.length} characters long, over the ${SHARE_MAX_FRAGMENT} a share link may have.`);
  }
  // links pasted through mail or chat may pick up line breaks and spaces
  const frag = fragmentOf(input).replace(/\s+/g, '');
  if (frag === '') return fail('empty', 'The link holds no scenario (nothing after the #).');
  if (frag.length > SHARE_MAX_FRAGMENT) {
    return fail('malformed', `This link is ${frag.length} characters long, over the ${SHARE_MAX_FRAGMENT} a share link may have.`);
  }
  const m = /^s(\d{1,9})\./.exec(frag);
  if (!m) return fail('malformed', 'This is not an IPC Playground scenario link (it should start with "s2.").');
  const format = Number(m[1]);
  if (format > SHARE_FORMAT) {
    return fail('newer', `${NEWER} (share format ${format}; this one reads format ${SHARE_FORMAT}). Update the playground to open it.`);
  }
  if (format < 1) return fail('malformed', `This is not an IPC Playground scenario link (unknown format "s${m[1]}").`);

  const body = frag.slice(m[0].length);
  const { bytes, badChar, dirtyTail } = fromBase64url(body);
  if (badChar >= 0) {
    const ch = JSON.stringify(body[badChar]);
    return fail('malformed', `The link has a character that cannot be in a share link: ${ch} at position ${m[0].length + badChar + 1}.`);
  }
  const cut = (have: number, want?: number) =>
    fail('truncated', `The link is cut short${want !== undefined ? ` (${have} of ${want} bytes)` : ''}: copy the whole link, to its last character.`);
  if (bytes.length < 1) return cut(bytes.length);
  const len = readVarint(bytes, 1);
  if (len === 'end') return cut(bytes.length);
  if (len === 'bad') return fail('tampered', 'The link was changed: its header is damaged.');
  const headEnd = len.next + 4;
  if (bytes.length < headEnd) return cut(bytes.length);
  if ((crc32(bytes.subarray(1, headEnd)) & 0xff) !== bytes[0]) return fail('tampered', 'The link was changed: its header does not match its checksum.');
  const payload = bytes.subarray(headEnd);
  if (payload.length < len.value) return cut(bytes.length, headEnd + len.value);
  if (payload.length > len.value) return fail('malformed', 'The link has extra characters after its end.');
  const crc = ((bytes[len.next] << 24) | (bytes[len.next + 1] << 16) | (bytes[len.next + 2] << 8) | bytes[len.next + 3]) >>> 0;
  if (crc32(payload) !== crc || dirtyTail) return fail('tampered', 'The link was changed: its contents do not match their checksum.');

  const inflated = inflateBounded(payload, SHARE_MAX_INFLATED);
  if (inflated === 'too-big') return fail('malformed', `The link's scenario is over ${formatBytes(SHARE_MAX_INFLATED)} unpacked; it is not one this playground made.`);
  if (inflated === 'bad') return fail('malformed', 'The link does not unpack: it is not one this playground made.');
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(inflated));
  } catch {
    return fail('malformed', 'The link unpacks to something that is not a scenario.');
  }
  let raw: Record<string, unknown>;
  try {
    raw = unproject(json, format);
  } catch (e) {
    if (e instanceof Malformed) return fail('malformed', `The link unpacks to something that is not a scenario: ${e.message}.`);
    throw e;
  }
  const v = raw.version as number;
  if (v > SCENARIO_VERSION) {
    return fail('newer', `${NEWER} (scenario version ${v}; this one reads up to ${SCENARIO_VERSION}). Update the playground to open it.`);
  }
  const { scenario, errors } = checkScenarioShape(raw);
  if (!scenario || errors.length) {
    const shown = errors.slice(0, 3).map(formatPlaceError).join('; ');
    const more = errors.length > 3 ? ` (and ${errors.length - 3} more)` : '';
    return fail('invalid', `The link holds a scenario that is not valid: ${shown || 'unknown error'}${more}.`);
  }
  return { ok: true, scenario };
}
