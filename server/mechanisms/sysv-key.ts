// SysV keys of the playground: 0x49 ('I') in the top byte and 24 random bits, so that ipcs
// (and the soak's leftover count) can tell the playground's objects from anyone else's.

import { SyscallError } from '../../native/index';

export const SYSV_KEY_PREFIX = 0x49000000;

/** Creates a SysV object with a fresh key, retrying on the rare collision (EEXIST). */
export function withFreshKey<T>(create: (key: number) => T): T {
  for (;;) {
    const key = SYSV_KEY_PREFIX | Math.floor(Math.random() * 0xffffff + 1);
    try {
      return create(key);
    } catch (e) {
      if (!(e instanceof SyscallError) || e.code !== 'EEXIST') throw e;
    }
  }
}
