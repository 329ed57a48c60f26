// Every mechanism's view, keyed by its id. Adding a mechanism = one entry here (and its file).
import type { MechanismId } from '@/lib/mechanisms';
import { fileView } from './file';
import { mqPosixView, mqSysvView } from './mq';
import { semNamedView, semUnnamedView } from './semaphore';
import { shmAnonView, shmFileView, shmPosixView, shmSysvView } from './shm';
import { signalView } from './signal';
import { socketpairView, tcpView, udpView, unixDgramView, unixStreamView } from './socket';
import { fifoView, pipeView } from './stream';
import type { MechanismView } from './types';

export const MECHANISM_VIEWS: Record<MechanismId, MechanismView> = {
  pipe: pipeView,
  fifo: fifoView,
  signal: signalView,
  file: fileView,
  'sem-named': semNamedView,
  'sem-unnamed': semUnnamedView,
  'shm-posix': shmPosixView,
  'shm-sysv': shmSysvView,
  'shm-file': shmFileView,
  'shm-anon': shmAnonView,
  'mq-sysv': mqSysvView,
  'mq-posix': mqPosixView,
  tcp: tcpView,
  udp: udpView,
  'unix-stream': unixStreamView,
  'unix-dgram': unixDgramView,
  socketpair: socketpairView,
};
