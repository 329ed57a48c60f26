// A signal edge: no kernel object. send = kill(2) of the receiver with the edge's signal;
// recv = wait until it arrives. The receiver listens for it so that it does not die of it.

import fs from 'node:fs';
import { signame, signum, sys } from '../../native/index';
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
  create({ channel }) {
    return { spec: { signal: channel.options.signal }, handle: null };
  },
  attach({ role, spec, rt, channel }) {
    const sig = spec.signal as string;
    if (role === 'to') {
      rt.listen(sig, rt.isHandled(sig));
      return {
        recv: async () => {
          await rt.waitSignal(sig, channel.id);
          return Buffer.alloc(0);
        },
        probe: () => {
          const status = fs.readFileSync('/proc/self/status', 'utf8');
          const field = (k: string) => maskNames(status.match(new RegExp(`^${k}:\\s*([0-9a-f]+)`, 'm'))?.[1] ?? '0');
          return { pending: field('SigPnd'), blocked: field('SigBlk'), caught: field('SigCgt').filter((s) => s === sig || rt.isHandled(s)) };
        },
      };
    }
    return {
      send: () => {
        rt.emit({ type: 'signal', signal: sig, from: rt.proc, to: channel.to, phase: 'sent' });
        sys.kill(rt.pids[channel.to], signum(sig));
      },
    };
  },
  destroy() {},
};
