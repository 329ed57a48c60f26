// Every mechanism, by id. Adding one is a new module and a line here; nothing else switches on it.

import type { MechanismId } from '../../lib/mechanisms';
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
import { udp } from './udp';
import { unixDgram } from './unix-dgram';
import { unixStream } from './unix-stream';
import type { Mechanism } from './types';

export const registry: Record<MechanismId, Mechanism<any>> = {
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
