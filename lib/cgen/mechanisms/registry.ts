// Every mechanism's C, by id. Adding one is a new module and a line here; the generator
// (../index.ts) switches on none of them.

import type { MechanismId } from '../../mechanisms';
import { fifo } from './fifo';
import { file } from './file';
import { mqPosix } from './mq-posix';
import { mqSysv } from './mq-sysv';
import { pipe } from './pipe';
import { semNamed } from './sem-named';
import { semUnnamed } from './sem-unnamed';
import { shmAnon } from './shm-anon';
import { shmFile } from './shm-file';
import { shmPosix } from './shm-posix';
import { shmSysv } from './shm-sysv';
import { signal } from './signal';
import { socketpair } from './socketpair';
import { tcp } from './tcp';
import type { CMechanism } from './types';
import { udp } from './udp';
import { unixDgram } from './unix-dgram';
import { unixStream } from './unix-stream';

export const cgenMechanisms: Record<MechanismId, CMechanism> = {
  pipe,
  fifo,
  signal,
  file,
  'sem-named': semNamed,
  'sem-unnamed': semUnnamed,
  'shm-posix': shmPosix,
  'shm-sysv': shmSysv,
  'shm-file': shmFile,
  'shm-anon': shmAnon,
  'mq-sysv': mqSysv,
  'mq-posix': mqPosix,
  tcp,
  udp,
  'unix-stream': unixStream,
  'unix-dgram': unixDgram,
  socketpair,
};
