// Several servers, one class: with IPCPG_REDIS_URL, this server's socket.io joins the others
// through Redis (the socket.io Redis adapter), so a room's broadcasts reach its followers on
// every server, and a follower's server can ask the others for a room it does not hold
// (server/follow.ts). Runs stay on the server of the tab that started them: a load balancer
// sends a browser back to the same server by a cookie (docs/DEPLOY.md).

import { createAdapter } from '@socket.io/redis-adapter';
import { createClient } from 'redis';

/** Links `io` to the other servers through the Redis at `url`; resolves once connected, to a function that leaves. */
export async function joinCluster(io: { adapter(a: ReturnType<typeof createAdapter>): unknown }, url: string, log: (msg: string) => void): Promise<() => Promise<void>> {
  const pub = createClient({ url });
  const sub = pub.duplicate();
  for (const c of [pub, sub]) c.on('error', (e: Error) => log(`redis: ${e.message}`));
  await Promise.all([pub.connect(), sub.connect()]);
  io.adapter(createAdapter(pub, sub, { key: 'ipcpg' }));
  return async () => {
    await Promise.allSettled([pub.quit(), sub.quit()]);
  };
}
