// kill(2): nothing to make; send = kill the receiver with the channel's signal, recv = wait for
// one delivery, which the receiver's handler counts. Isomorphic: no Node, no DOM.

import { procsAt } from '../../scenario';
import type { CHelper, CMechanism } from './types';

const WAIT_FOR_SIGNAL: CHelper = {
  rank: 30,
  lines: [
    '/* Waits until sig has been delivered once more than it was waited for, and takes that delivery.',
    ' * The handler counts deliveries in *count. sig is blocked while we look at the count, and',
    ' * sigsuspend(2) unblocks it and sleeps in one step: a signal that comes between the look and',
    ' * the sleep is not lost (with a plain pause() it could be, and we would sleep forever). */',
    'static void wait_for_signal(int sig, volatile sig_atomic_t *count)',
    '{',
    '    sigset_t block, old;',
    '    sigemptyset(&block);',
    '    sigaddset(&block, sig);',
    '    if (sigprocmask(SIG_BLOCK, &block, &old) == -1) die("sigprocmask");',
    '    while (*count == 0)',
    '        sigsuspend(&old);   /* returns after a handler ran */',
    '    (*count)--;',
    '    if (sigprocmask(SIG_SETMASK, &old, NULL) == -1) die("sigprocmask");',
    '}',
  ],
};

export const signal: CMechanism = {
  includes: [],
  globalNames: () => ({}),
  countedSignal: (ch) => String(ch.opts.signal),
  globals: () => [],
  create: () => ['/* nothing to make: a signal goes to a PID, with kill(2) */'],
  verbs: {
    send: (c) => [c.check(`kill(${c.pidOf(procsAt(c.ch, 'to')[0])}, ${c.ch.opts.signal})`, 'kill')],
    recv: (c) => {
      c.use(WAIT_FOR_SIGNAL);
      const sig = String(c.ch.opts.signal);
      return [`wait_for_signal(${sig}, &${c.deliveries(sig)});`];
    },
  },
};
