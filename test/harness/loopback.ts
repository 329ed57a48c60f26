// socket.io and the session layer alone on 127.0.0.1 (an ephemeral port, no pages), and
// socket.io clients that act as browser tabs: for the soak and the socket tests.

import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { io as connect, type Socket as ClientSocket } from 'socket.io-client';
import type { ClientToServer, ServerToClient } from '../../lib/protocol';
import { attachSocketIo, type IoOptions } from '../../server/io';

export type Tab = ClientSocket<ServerToClient, ClientToServer>;

export interface LoopbackServer {
  url: string;
  io: ReturnType<typeof attachSocketIo>['io'];
  layer: ReturnType<typeof attachSocketIo>['layer'];
  /** A tab of this page's origin; `client` is its session token (a fresh one by default). */
  tab(client?: string): Tab;
  close(): Promise<void>;
}

export async function listenLoopback(o: Omit<IoOptions, 'allowedOrigins' | 'log'>): Promise<LoopbackServer> {
  const server = http.createServer();
  const { io, layer } = attachSocketIo(server, { ...o, allowedOrigins: new Set(), log: () => {} });
  // every TCP connection, upgraded ones too (the HTTP server forgets those): close() ends them all
  const sockets = new Set<Socket>();
  server.on('connection', (s) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });
  await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    io,
    layer,
    tab: (client) => connect(url, { transports: ['websocket'], extraHeaders: { origin: url }, reconnection: false, ...(client ? { auth: { client } } : {}) }),
    close: async () => {
      io.close();
      const closed = [...sockets].map((s) => new Promise((res) => s.once('close', res)));
      for (const s of sockets) s.destroy();
      await Promise.all([...closed, new Promise((res) => server.close(res))]);
    },
  };
}
