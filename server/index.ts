// The one server process: Next.js (the pages) and socket.io (the runs) on one HTTP port.
//   dev:        node --import tsx server/index.ts              (hot reload)
//   production: next build, then NODE_ENV=production node --import tsx server/index.ts
// Env: PORT (3000), HOST (127.0.0.1), IPCPG_ALLOWED_ORIGINS (extra origins, comma-separated),
// IPCPG_ALLOWED_HOSTS (server/edge/host.ts), IPCPG_CLASS_CODE, IPCPG_PRESENTER_CODE, IPCPG_OPEN,
// IPCPG_SECRET (server/edge/classmode.ts), IPCPG_AWAY_MS (600000: how long a tab's session waits
// for the tab to come back, server/socket.ts), IPCPG_REDIS_URL (several servers, one class:
// server/cluster.ts, server/bookkeeping.ts, docs/DEPLOY.md), IPCPG_RUN_POOL (with Redis: the
// servers that share run slots, by default those of one host name), the run limits
// read by limitsFromEnv and the quotas read by quotasFromEnv.

import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import next from 'next';
import { redisBookkeeping } from './bookkeeping';
import { joinCluster } from './cluster';
import { classModeFromEnv, whoInClass } from './edge/classmode';
import { Edge } from './edge/gate';
import { allowedHosts } from './edge/host';
import { parseAllowedOrigins } from './edge/origin';
import { attachSocketIo } from './io';
import { quotasFromEnv } from './quota';
import { Instance, sweepDeadInstances } from './run/instance';
import { RunNamespace } from './run/namespace';
import { limitsFromEnv } from './run/run';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dev = process.env.NODE_ENV !== 'production';
const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? '127.0.0.1';
const AWAY_MS = 10 * 60_000;
const awayMs = Number(process.env.IPCPG_AWAY_MS ?? AWAY_MS);
const allowedOrigins = parseAllowedOrigins(process.env.IPCPG_ALLOWED_ORIGINS);
const limits = limitsFromEnv();
const log = (msg: string) => console.log(`[ipcpg] ${msg}`);

// Before anything else: a server open to a network needs a class code, or to be told it is trusted.
const classMode = classModeFromEnv(process.env, host);
if (!classMode.ok) {
  console.error(`[ipcpg] not starting: ${classMode.message}`);
  process.exit(1);
}

// Then remove what a crashed earlier server left (processes, objects, files).
const swept = sweepDeadInstances();
if (swept.length) log(`removed what a crashed earlier server left: ${swept.join(', ')}`);
Instance.get();
{
  // say once how runs will be kept apart
  const probe = process.env.IPCPG_NAMESPACES === '0' ? null : RunNamespace.create();
  probe?.close();
  log(probe ? 'each run gets its own IPC and network namespace' : `runs are kept apart by naming only (namespaces: ${RunNamespace.whyNot() ?? 'off'})`);
}

const httpServer = http.createServer();
const app = next({ dev, dir: root, hostname: host, port, httpServer });
await app.prepare();
const handle = app.getRequestHandler();
httpServer.on('request', (req, res) => {
  // socket.io answers its own path through its own request listener
  if (req.url?.startsWith('/socket.io/')) return;
  void handle(req, res);
});

const redisUrl = process.env.IPCPG_REDIS_URL;
// with Redis, quotas and the run line are the class's, not this server's alone
const bookkeeping = redisUrl ? await redisBookkeeping(redisUrl, { pool: process.env.IPCPG_RUN_POOL || undefined, log }) : undefined;
const { io, layer } = attachSocketIo(httpServer, {
  allowedOrigins,
  limits,
  awayMs: Number.isFinite(awayMs) && awayMs >= 0 ? awayMs : AWAY_MS,
  log,
  quotas: quotasFromEnv(limits.runsPerClient),
  who: classMode.mode ? whoInClass(classMode.mode) : undefined,
  bookkeeping,
});
let leaveCluster: (() => Promise<void>) | null = null;
if (redisUrl) {
  leaveCluster = await joinCluster(io, redisUrl, log);
  layer.follow.clustered = true;
  // the address without its password
  log(`live sessions, quotas and the run line shared with the other servers through ${redisUrl.replace(/\/\/[^@/]*@/, '//')}`);
}
// in front of Next and socket.io alike: Host, class mode, security headers
new Edge({ hosts: allowedHosts(process.env.IPCPG_ALLOWED_HOSTS, host, port), dev, classMode: classMode.mode, log }).guard(httpServer);

httpServer.listen(port, host, () => {
  const mode = classMode.mode ? `class mode${classMode.mode.presenterCode ? ', with a presenter code' : ''}: students join at /join` : 'open';
  log(`IPC Playground on http://${host.includes(':') ? `[${host}]` : host}:${port} (${dev ? 'development' : 'production'}, ${mode})`);
});

let closing = false;
async function shutdown(signal: string): Promise<void> {
  if (closing) return;
  closing = true;
  log(`${signal}: stopping ${layer.runCount} run(s) and closing`);
  const hardExit = setTimeout(() => process.exit(1), 8000);
  hardExit.unref();
  try {
    await layer.stopAll();
  } catch (e) {
    log(`while stopping runs: ${(e as Error).message}`);
  }
  io.close();
  await leaveCluster?.();
  await bookkeeping?.close();
  httpServer.closeAllConnections();
  httpServer.close(() => process.exit(0));
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
