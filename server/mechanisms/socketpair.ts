// socketpair(2): two connected Unix stream sockets, made by the server as the C's main() makes
// them before fork(): every process inherits both and closes the one it does not use, like a
// pipe, but both ends send and receive (and pass descriptors, SCM_RIGHTS).

import { C, sys } from '../../native/index';
import { queued } from './stream';
import type { Mechanism } from './types';

export const socketpair: Mechanism<null> = {
  id: 'socketpair',
  create() {
    const [a, b] = sys.socketpair(C.AF_UNIX, C.SOCK_STREAM | C.SOCK_CLOEXEC);
    return { args: {}, fds: { pass: 'all', byKey: { a, b }, endKey: { from: 'a', to: 'b' } }, handle: null };
  },
  inspect(_h, ctx) {
    // each end has its own receive queue: what waits for the to side, then for the from side
    const to = ctx.withFd('to', queued);
    const from = ctx.withFd('from', queued);
    return to === null && from === null ? null : { conn: 'connected', bytes: to ?? 0 };
  },
  destroy() {},
};
