// mkfifo(3) in the run directory. Each side open(2)s the path on its first send or recv, and
// open blocks until the other side opens too.

import path from 'node:path';
import { sys } from '../../native/index';
import { pipeBytes } from './stream';
import type { Mechanism } from './types';

export const fifo: Mechanism<{ path: string }> = {
  id: 'fifo',
  create({ channel, runDir }) {
    const p = path.join(runDir, `c${channel.index}.fifo`);
    sys.mkfifo(p, 0o600);
    return { args: { path: p }, handle: { path: p } };
  },
  inspect(_h, ctx) {
    const bytes = pipeBytes(ctx);
    return bytes === null ? { readers: 0 } : { bytes, capacity: 65536 };
  },
  destroy({ path: p }) {
    try {
      sys.unlink(p);
    } catch {
      // already gone with the run directory
    }
  },
};
