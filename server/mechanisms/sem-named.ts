// A named POSIX semaphore: the server sem_open()s it with O_CREAT|O_EXCL and the initial
// value; each process sem_open()s the same name. The name comes from the run, never the user.

import { C, sys, type Ptr } from '../../native/index';
import { semState } from './semaphore';
import type { Mechanism } from './types';

export const semNamed: Mechanism<{ name: string; sem: Ptr | null }> = {
  id: 'sem-named',
  create({ channel, objectName, journal }) {
    journal({ kind: 'sem', name: objectName });
    const sem = sys.semOpen(objectName, C.O_CREAT | C.O_EXCL, 0o600, Number(channel.options.initial));
    return { args: { name: objectName }, handle: { name: objectName, sem } };
  },
  inspect: (h) => (h.sem ? semState(h.sem) : null),
  destroy(h) {
    if (h.sem) sys.semClose(h.sem);
    h.sem = null;
    try {
      sys.semUnlink(h.name);
    } catch {
      // already unlinked
    }
  },
};
