// A small recording in a link's fragment: `r1.<base64url of the gzipped JSON>`, so a page
// can hold a replayable run with no server state. Bounded both ways: a long fragment is
// refused unread, and inflating stops past a limit (a zip bomb stays a small refusal).

import { Gunzip, gzipSync, strFromU8, strToU8 } from 'fflate';
import { crc32 } from '../share';
import { readRecording, type ReadResult, type Recording } from './format';

export const RECORDING_LINK_PREFIX = 'r1.';
/** Longer fragments are refused unread. */
export const RECORDING_LINK_MAX = 2_000_000;
/** The most bytes a link's recording may inflate to. */
export const RECORDING_LINK_INFLATED = 32 << 20;

export function gzipRecording(r: Recording): Uint8Array {
  return gzipSync(strToU8(JSON.stringify(r)), { level: 9 });
}

export function encodeRecordingLink(r: Recording): string {
  return RECORDING_LINK_PREFIX + toBase64Url(gzipRecording(r));
}

export function decodeRecordingLink(fragment: string): ReadResult {
  if (!fragment.startsWith(RECORDING_LINK_PREFIX)) return { ok: false, message: 'not a recording link' };
  if (fragment.length > RECORDING_LINK_MAX) return { ok: false, message: 'the recording link is too long to open' };
  const bytes = fromBase64Url(fragment.slice(RECORDING_LINK_PREFIX.length));
  if (!bytes) return { ok: false, message: 'the recording link is damaged (not base64url)' };
  const text = gunzipBounded(bytes, RECORDING_LINK_INFLATED);
  if (text === null) return { ok: false, message: 'the recording link is damaged or cut short' };
  try {
    return readRecording(JSON.parse(text));
  } catch {
    return { ok: false, message: 'the recording link is damaged (not JSON)' };
  }
}

/** Gunzips at most `max` bytes; null when the data is not gzip, is cut short, was changed (its CRC-32 and size) or inflates past it. */
export function gunzipBounded(data: Uint8Array, max: number): string | null {
  const parts: Uint8Array[] = [];
  let size = 0;
  let over = false;
  let done = false;
  try {
    const g = new Gunzip((chunk, final) => {
      size += chunk.length;
      if (size > max) over = true;
      else parts.push(chunk);
      if (final) done = true;
    });
    g.push(data, true);
  } catch {
    return null;
  }
  if (over || !done || data.length < 18) return null;
  const all = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.length;
  }
  // fflate does not check the trailer: a link cut short or changed must not open as another run
  const tail = new DataView(data.buffer, data.byteOffset + data.length - 8, 8);
  if (tail.getUint32(0, true) !== crc32(all) || tail.getUint32(4, true) !== size >>> 0) return null;
  return strFromU8(all);
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

function toBase64Url(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    const chars = i + 2 < bytes.length ? 4 : i + 1 < bytes.length ? 3 : 2;
    for (let k = 0; k < chars; k++) out += B64[(n >> (18 - 6 * k)) & 63];
  }
  return out;
}

function fromBase64Url(text: string): Uint8Array | null {
  if (text.length % 4 === 1) return null;
  const out = new Uint8Array(Math.floor((text.length * 3) / 4));
  let bits = 0;
  let acc = 0;
  let at = 0;
  for (const ch of text) {
    const v = B64.indexOf(ch);
    if (v < 0) return null;
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[at++] = (acc >> bits) & 255;
    }
  }
  return out.subarray(0, at);
}
