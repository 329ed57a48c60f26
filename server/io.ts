// socket.io on the server's HTTP server: foreign Origins refused, bounded payloads, and the
// session layer that runs scenarios. Shared by server/index.ts and the socket fuzz test.

import type http from 'node:http';
import { Server } from 'socket.io';
import type { ClientToServer, ServerToClient } from '../lib/protocol';
import type { Limits } from '../lib/scenario';
import { checkOrigin } from './origin';
import { SocketLayer, type SocketLayerOptions } from './socket';

export interface IoOptions {
  allowedOrigins: ReadonlySet<string>;
  limits: Limits;
  graceMs: number;
  log: (msg: string) => void;
  startRun?: SocketLayerOptions['startRun'];
}

export function attachSocketIo(httpServer: http.Server, o: IoOptions): { io: Server<ClientToServer, ServerToClient>; layer: SocketLayer } {
  const io = new Server<ClientToServer, ServerToClient>(httpServer, {
    serveClient: false,
    // Next's dev server handles /_next/hmr upgrades on this same server: leave them alone.
    destroyUpgrade: false,
    maxHttpBufferSize: 2 << 20,
    allowRequest: (req, callback) => {
      const verdict = checkOrigin(req, o.allowedOrigins);
      if (!verdict.ok) o.log(`refused a socket.io connection: ${verdict.reason}`);
      callback(verdict.ok ? null : 'origin not allowed', verdict.ok);
    },
  });
  return { io, layer: new SocketLayer(io, { limits: o.limits, graceMs: o.graceMs, log: o.log, startRun: o.startRun }) };
}
