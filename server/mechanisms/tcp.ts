// TCP over 127.0.0.1.

import { socketMechanism } from './socket';

export const tcp = socketMechanism('tcp', 'inet', 'stream');
