// sem_open(3): a named POSIX semaphore. main() creates it with its initial value and closes it;
// each process opens it by its name. Isomorphic: no Node, no DOM.

import { named, posixName } from './common';
import { semVerbs } from './semaphore';
import type { CMechanism, Scratch } from './types';

const SEM: Scratch = { rank: 20, decl: ['sem_t *sem;'] };

export const semNamed: CMechanism = {
  includes: ['fcntl.h', 'semaphore.h'],
  globalNames: (b) => ({ name: `sem_name_${b}` }),
  globals: (ch, o) => posixName.globals(ch, o.what),
  create: (ch, c) => {
    const initial = Number(ch.opts.initial);
    c.need(SEM);
    return [
      posixName.make(ch),
      `sem = sem_open(${ch.g.name}, O_CREAT | O_EXCL, 0600, ${initial});   /* initial value ${initial} */`,
      'if (sem == SEM_FAILED) die("sem_open");',
      'sem_close(sem);   /* it lives on, by its name, until sem_unlink() */',
    ];
  },
  remove: ({ g }) => [`if (sem_unlink(${g.name}) == -1) perror("sem_unlink");`],
  attach: posixName.attach,
  endLocals: () => ['sem'],
  declareEnd: (e, storage) => [`${storage}sem_t *${e.loc.sem}; /* ${named(e.ch)} */`],
  openEnd: (e, f) => [
    `${e.loc.sem} = sem_open(${e.ch.g.name}, 0);${f.note('the semaphore main() created, by its name')}`,
    `if (${e.loc.sem} == SEM_FAILED) die("sem_open");`,
  ],
  verbs: semVerbs((e) => e.loc.sem),
};
