// AF_UNIX stream socket, path in the run directory.

import { socketMechanism } from './socket';

export const unixStream = socketMechanism('unix-stream', 'unix', 'stream');
