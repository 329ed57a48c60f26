// TCP over 127.0.0.1. Isomorphic: no Node, no DOM.

import { socketMechanism } from './socket';

export const tcp = socketMechanism('inet', 'stream');
