// pipe(2), made by the server as a shell would; the write end goes to `from`, the read end
// to `to`. The server closes its copies after spawning, so EOF comes when the writer closes.

import { C, sys } from '../../native/index';
import { FdReader, queued, writeFully } from './stream';
import type { Mechanism } from './types';

const PIPE_CAPACITY = 65536;

export const pipe: Mechanism<null> = {
  id: 'pipe',
  create() {
    const [r, w] = sys.pipe2(C.O_CLOEXEC);
    return { spec: {}, fds: { from: [w], to: [r] }, handle: null };
  },
  attach({ role, fds, rt, channel }) {
    let fd = fds[0];
    rt.quietly(() => sys.setNonBlocking(fd, true));
    const close = () => {
      sys.close(fd);
      fd = -1;
    };
    // FIONREAD works on either end of a pipe: both report the bytes buffered
    const probe = () => (fd < 0 ? null : { bytes: queued(fd) ?? 0, capacity: PIPE_CAPACITY });
    if (role === 'from') {
      return { send: (data) => writeFully(rt, channel.id, fd, data), close, probe };
    }
    const reader = new FdReader(rt, channel.id);
    return { recv: (o) => reader.read(fd, o.size, o.keep), close, probe };
  },
  destroy() {},
};
