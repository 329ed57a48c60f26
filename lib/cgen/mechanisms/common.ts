// Small spellings every mechanism module uses. Isomorphic: no Node, no DOM.

import type { Chan } from './types';

/** Spaces after a declaration of `name`, so that the comments of a column line up. */
export function pad(name: string, width: number): string {
  return ' '.repeat(Math.max(1, width - name.length));
}

/** "label (mechanism)": how comments name a channel. */
export const named = (ch: Chan): string => `${ch.label} (${ch.mech})`;

/** A path in the run directory (FIFO, file): a global that create_objects() fills in, or the server's. */
export const runDirPath = {
  globals: ({ g }: Chan, what: string): string[] => [`static char ${g.path}[PATH_MAX];${pad(g.path, 16)}/* ${what} */`],
  make: ({ g, base }: Chan, ext: string): string => `path_in_run_dir(${g.path}, sizeof ${g.path}, "${base}.${ext}");`,
  remove: ({ g }: Chan): string[] => [`if (unlink(${g.path}) == -1) perror(${g.path});`],
  attach: ({ g }: Chan, key: (what: string) => string): string[] => [`copy_arg(${g.path}, sizeof ${g.path}, ${key('path')});`],
};

/** The name of a POSIX object (sem_open, shm_open, mq_open): made from the PID by create_objects(), or the server's. */
export const posixName = {
  globals: ({ g }: Chan, what: string): string[] => [`static char ${g.name}[64];${pad(g.name, 22)}/* ${what}: its name */`],
  make: ({ g, base }: Chan): string => `snprintf(${g.name}, sizeof ${g.name}, "/${base}-%d", (int)getpid());`,
  attach: ({ g }: Chan, key: (what: string) => string): string[] => [`copy_arg(${g.name}, sizeof ${g.name}, ${key('name')});`],
};
