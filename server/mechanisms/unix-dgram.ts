// AF_UNIX datagram socket, path in the run directory.

import { socketMechanism } from './socket';

export const unixDgram = socketMechanism('unix-dgram', 'unix', 'dgram');
