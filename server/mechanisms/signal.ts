// A signal edge: no kernel object. send = kill(2) of the receiver with the edge's signal;
// recv = wait until it arrives (the C catches it and counts deliveries). The live state is the
// receiver's pending, blocked and caught masks from /proc/PID/status.

import fs from 'node:fs';
import { signame } from '../../native/index';
import type { Mechanism } from './types';

/** Signal names in a /proc/PID/status mask (hex, bit n-1 = signal n). */
function maskNames(hex: string): string[] {
  const mask = BigInt(`0x${hex}`);
  const out: string[] = [];
  for (let n = 1; n <= 31; n++) if (mask & (1n << BigInt(n - 1))) out.push(signame(n));
  return out;
}

export const signal: Mechanism<null> = {
  id: 'signal',
  create() {
    return { args: {}, handle: null };
  },
  inspect(_h, ctx) {
    const pid = ctx.pidOf('to');
    if (!pid) return null;
    let status: string;
    try {
      status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    } catch {
      return null;
    }
    const field = (k: string) => maskNames(status.match(new RegExp(`^${k}:\\s*([0-9a-f]+)`, 'm'))?.[1] ?? '0');
    return { pending: [...new Set([...field('SigPnd'), ...field('ShdPnd')])], blocked: field('SigBlk'), caught: field('SigCgt') };
  },
  destroy() {},
};
