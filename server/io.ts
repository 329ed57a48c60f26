// socket.io on the server's HTTP server: foreign Origins refused, bounded payloads, and the
// session layer that runs scenarios. Shared by server/index.ts and the socket fuzz test.
// (The Host and, in class mode, the identity cookie are checked before, by the edge: server/edge/gate.ts.)

import type http from 'node:http';
import { Server } from 'socket.io';
import type { ClientToServer, ServerToClient } from '../lib/protocol';
import { scenarioMaxSize, type Limits } from '../lib/scenario';
import { checkOrigin } from './edge/origin';
import type { InterServer } from './follow';
import { SocketLayer, type SocketLayerOptions } from './socket';

export interface IoOptions {
  allowedOrigins: ReadonlySet<string>;
  limits: Limits;
  awayMs: number;
  log: (msg: string) => void;
  startRun?: SocketLayerOptions['startRun'];
  who?: SocketLayerOptions['who'];
  quotas?: SocketLayerOptions['quotas'];
  rates?: SocketLayerOptions['rates'];
  bookkeeping?: SocketLayerOptions['bookkeeping'];
}

export function attachSocketIo(httpServer: http.Server, o: IoOptions): { io: Server<ClientToServer, ServerToClient, InterServer>; layer: SocketLayer } {
  const io = new Server<ClientToServer, ServerToClient, InterServer>(httpServer, {
    serveClient: false,
    // Next's dev server handles /_next/hmr upgrades on this same server: leave them alone.
    destroyUpgrade: false,
    // socket.io parses a packet before anyone can look at it: room for a scenario at its
    // limits (scenarioMaxSize characters, up to 3 bytes each in JSON and UTF-8), no more
    maxHttpBufferSize: Math.max(1 << 20, 3 * scenarioMaxSize(o.limits)),
    // frames are JSON, repetitive: compressed, a follower of a busy run gets a fraction of the bytes.
    // Small windows and level 1: hundreds of followers each hold a compressor
    perMessageDeflate: { threshold: 512, zlibDeflateOptions: { level: 1, memLevel: 7 }, serverMaxWindowBits: 12 },
    allowRequest: (req, callback) => {
      const verdict = checkOrigin(req, o.allowedOrigins);
      if (!verdict.ok) o.log(`refused a socket.io connection: ${verdict.reason}`);
      callback(verdict.ok ? null : 'origin not allowed', verdict.ok);
    },
  });
  return { io, layer: new SocketLayer(io, { limits: o.limits, awayMs: o.awayMs, log: o.log, startRun: o.startRun, who: o.who, quotas: o.quotas, rates: o.rates, bookkeeping: o.bookkeeping }) };
}
