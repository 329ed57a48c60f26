// A Unix stream socket, its path in the run directory. Isomorphic: no Node, no DOM.

import { socketMechanism } from './socket';

export const unixStream = socketMechanism('unix', 'stream');
