// pipe(2), made by the server as a shell (or the C's main() before fork()) would: every
// process inherits both ends and closes the ones it does not use, so the reader sees end of
// file once every write end is closed. The server closes its copies after spawning.

import { C, sys } from '../../native/index';
import { pipeBytes } from './stream';
import type { Mechanism } from './types';

const PIPE_CAPACITY = 65536;

export const pipe: Mechanism<null> = {
  id: 'pipe',
  create() {
    const [r, w] = sys.pipe2(C.O_CLOEXEC);
    return { args: {}, fds: { pass: 'all', byKey: { r, w }, endKey: { from: 'w', to: 'r' } }, handle: null };
  },
  inspect(_h, ctx) {
    const bytes = pipeBytes(ctx);
    return bytes === null ? null : { bytes, capacity: PIPE_CAPACITY };
  },
  destroy() {},
};
