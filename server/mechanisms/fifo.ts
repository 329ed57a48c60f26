// mkfifo(3) in the run directory. Each side open(2)s the path on its first send or recv, and
// open blocks until the other side opens too: that wait runs on a worker thread (.async).

import path from 'node:path';
import { C, SyscallError, sys } from '../../native/index';
import { FdReader, queued, writeFully } from './stream';
import type { Mechanism } from './types';

export const fifo: Mechanism<{ path: string }> = {
  id: 'fifo',
  create({ channel, runDir }) {
    const p = path.join(runDir, `c${channel.index}.fifo`);
    sys.mkfifo(p, 0o600);
    return { spec: { path: p }, handle: { path: p } };
  },
  attach({ role, spec, rt, channel }) {
    const p = spec.path as string;
    let fd = -1;
    let opening: Promise<number> | null = null;
    const flags = (role === 'from' ? C.O_WRONLY : C.O_RDONLY) | C.O_CLOEXEC;
    const open = async (): Promise<number> => {
      if (fd >= 0) return fd;
      opening ??= (async () => {
        let got = -1;
        if (role === 'from') {
          // with a reader already there the open does not block: no need for a worker thread
          try {
            got = rt.quietly(() => sys.open(p, flags | C.O_NONBLOCK, 0));
            rt.quietly(() => sys.setNonBlocking(got, false));
          } catch (e) {
            if (!(e instanceof SyscallError) || e.code !== 'ENXIO') throw e;
          }
        }
        if (got < 0) got = await rt.blockAsync('open', channel.id, sys.openAsync(p, flags, 0));
        rt.quietly(() => sys.setNonBlocking(got, true));
        return (fd = got);
      })();
      return opening;
    };
    const close = () => {
      if (fd >= 0) sys.close(fd);
      fd = -1;
    };
    const probe = () => (fd < 0 ? { readers: 0 } : { bytes: queued(fd) ?? 0, capacity: 65536 });
    if (role === 'from') return { send: async (data) => writeFully(rt, channel.id, await open(), data), close, probe };
    const reader = new FdReader(rt, channel.id);
    return { recv: async (o) => reader.read(await open(), o.size), close, probe };
  },
  destroy({ path: p }) {
    try {
      sys.unlink(p);
    } catch {
      // already gone with the run directory
    }
  },
};
