// UDP over 127.0.0.1.

import { socketMechanism } from './socket';

export const udp = socketMechanism('udp', 'inet', 'dgram');
