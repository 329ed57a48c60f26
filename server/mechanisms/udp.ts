// UDP over 127.0.0.1.

import { inet, socketMechanism } from './socket';

export const udp = socketMechanism('udp', inet, 'dgram');
