// A Unix datagram socket, its path in the run directory. Isomorphic: no Node, no DOM.

import { socketMechanism } from './socket';

export const unixDgram = socketMechanism('unix', 'dgram');
