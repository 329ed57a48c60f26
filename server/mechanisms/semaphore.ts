// The verbs of a POSIX semaphore, shared by sem-named and sem-unnamed: wait (and recv) =
// sem_wait, post (and send) = sem_post, trywait = sem_trywait. The wait runs as sem_timedwait
// slices on the main thread, so signals and control messages are handled while it waits.

import { sys, type Ptr } from '../../native/index';
import type { HostRuntime } from '../host/runtime';
import type { Endpoint } from './types';

export function semEndpoint(rt: HostRuntime, channel: string, sem: Ptr): Endpoint {
  const wait = async () => {
    const t = performance.now();
    await rt.block('sem_wait', channel, (ms) =>
      rt.quietly(() => (ms === 0 ? (sys.semTryWait(sem) ? true : undefined) : sys.semTimedWait(sem, ms) === 'ok' ? true : undefined)),
    );
    rt.logical('sem_wait', () => 'sem', '0', null, performance.now() - t);
  };
  const post = () => sys.semPost(sem);
  return {
    wait,
    post,
    trywait: () => sys.semTryWait(sem),
    send: () => post(),
    recv: async () => {
      await wait();
      return Buffer.alloc(0);
    },
  };
}

export function semState(sem: Ptr): { value: number } {
  return { value: sys.semGetValue(sem) };
}
