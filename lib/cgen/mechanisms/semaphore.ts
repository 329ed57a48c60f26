// What the two POSIX semaphores share: their verbs. send is post and recv is wait, as in the
// playground. Isomorphic: no Node, no DOM.

import type { EndCtx, VerbFns } from './types';

/** The verbs of a semaphore that `sem` gives the sem_t * of, at this end. */
export function semVerbs(sem: (e: EndCtx) => string): VerbFns {
  return {
    send: (c) => [c.check(`sem_post(${sem(c)})`, 'sem_post')],
    recv: (c) => [c.check(`sem_wait(${sem(c)})`, 'sem_wait')],
    wait: (c) => [c.check(`sem_wait(${sem(c)})`, 'sem_wait') + c.note('takes one; blocks while the value is 0')],
    post: (c) => [c.check(`sem_post(${sem(c)})`, 'sem_post') + c.note('gives one back, wakes a waiter')],
    trywait: (c, s) => {
      const v = c.v(s.into);
      return [
        `if (sem_trywait(${sem(c)}) == 0) ${c.assignInt(v, '1')}`,
        `else if (errno == EAGAIN) ${c.assignInt(v, '0')}   /* it would have blocked */`,
        `else ${c.fail('sem_trywait')};`,
      ];
    },
  };
}
