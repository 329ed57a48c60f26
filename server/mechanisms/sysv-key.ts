// SysV keys of the playground: 0x49 ('I') in the top byte, then 12 bits chosen once per server
// process, then 12 random bits. ipcs (and the leftover counts of the soak and the tests) can so
// tell the playground's objects from anyone else's, and one server's from another's.

import { SyscallError } from '../../native/index';

export const SYSV_KEY_PREFIX = 0x49000000;
/** This process's keys: SYSV_KEY_PREFIX plus its own 12 bits. */
export const OWN_KEY_PREFIX = SYSV_KEY_PREFIX | (Math.floor(Math.random() * 0x1000) << 12);

export const isOwnKey = (key: number) => (key & 0xfffff000) === OWN_KEY_PREFIX;

/** Creates a SysV object with a fresh key of this process, retrying on a collision (EEXIST). */
export function withFreshKey<T>(create: (key: number) => T): T {
  for (;;) {
    const key = OWN_KEY_PREFIX | Math.floor(Math.random() * 0xfff + 1);
    try {
      return create(key);
    } catch (e) {
      if (!(e instanceof SyscallError) || e.code !== 'EEXIST') throw e;
    }
  }
}
