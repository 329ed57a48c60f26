// Two (or more) servers behind nginx on one machine, sharing live sessions through Redis:
//   npm run cluster -- [--port 8080] [--server-port 8081] [--servers 2] [--redis URL | --redis-port 6379]
// starts a redis-server of its own (unless --redis names one), the servers (the production
// build: run `npm run build` first) on the ports after --port, and nginx on --port in front of
// them, sticky by a cookie; Ctrl-C stops them all. docs/DEPLOY.md describes the set-up; the
// tests (e2e/cluster.spec.ts) and the bench start it through startCluster().

import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startRedis, type TestRedis } from '../test/harness/redis';

const root = path.resolve(import.meta.dirname, '..');

export interface ClusterOptions {
  /** nginx's port; the servers take the next ones, or those from `serverPort` on. */
  port: number;
  serverPort?: number;
  servers: number;
  /** A Redis to use; by default a redis-server of its own on `redisPort` (0: any free port). */
  redisUrl?: string;
  redisPort?: number;
  /** More environment for the servers (limits, class mode...). */
  env?: Record<string, string>;
  log?: (line: string) => void;
}

export interface Cluster {
  /** The address to open: nginx. */
  url: string;
  /** Each server's own address; the value of its sticky cookie is its `host:port`. */
  servers: { url: string; cookie: string }[];
  stop(): Promise<void>;
}

/** The cookie nginx routes by: the upstream address that answered the browser's first request. */
export const STICKY_COOKIE = 'ipcpg_server';

/** What both of nginx's locations do with a request they pass on. */
const PROXIED = `      proxy_http_version 1.1;
      proxy_set_header Upgrade $http_upgrade;
      proxy_set_header Connection $connection_upgrade;
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_read_timeout 1h;
      proxy_buffering off;
      add_header Set-Cookie "${STICKY_COOKIE}=$ipcpg_served_by; Path=/; HttpOnly; SameSite=Lax" always;
      add_header X-Served-By $ipcpg_served_by always;`;

export function nginxConf(dir: string, port: number, backends: string[]): string {
  return `worker_processes 1;
pid ${dir}/nginx.pid;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  # WebSocket upgrades pass through
  map $http_upgrade $connection_upgrade { default upgrade; '' close; }
  # a browser new to the class goes to any server...
  upstream ipcpg_any {
${backends.map((b) => `    server ${b};`).join('\n')}
  }
  # ...and from then on to the one that answered it first, named by its cookie: its runs live there
  map $cookie_${STICKY_COOKIE} $ipcpg_backend {
    default ipcpg_any;
${backends.map((b) => `    "${b}" ${b};`).join('\n')}
  }
  # the server that answered (after a failed one, the last of the list nginx keeps)
  map $upstream_addr $ipcpg_served_by {
    default $upstream_addr;
    "~(?<last>[0-9.]+:[0-9]+)$" $last;
  }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://$ipcpg_backend;
      # the cookie's server is gone: any other, which sets its own cookie
      error_page 502 504 = @any;
${PROXIED}
    }
    location @any {
      proxy_pass http://ipcpg_any;
${PROXIED}
    }
  }
}
`;
}



function waitFor(child: ChildProcess, text: string, what: string, ms = 90_000): Promise<void> {
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`${what} did not start in ${ms / 1000} s:\n${out.slice(-2000)}`)), ms);
    const look = (d: Buffer) => {
      out += d;
      if (!out.includes(text)) return;
      clearTimeout(timer);
      resolve();
    };
    child.stdout?.on('data', look);
    child.stderr?.on('data', look);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited (${code}):\n${out.slice(-2000)}`));
    });
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

export async function startCluster(o: ClusterOptions): Promise<Cluster> {
  const log = o.log ?? (() => {});
  const children: ChildProcess[] = [];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ipcpg-nginx-'));
  // nginx's workers run as nobody: they must reach their temporary folders
  fs.chmodSync(dir, 0o755);
  let redis: TestRedis | null = null;
  const stop = async () => {
    for (const c of children.reverse()) await stopChild(c);
    await redis?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    if (!o.redisUrl) redis = await startRedis(o.redisPort);
    const redisUrl = o.redisUrl ?? redis!.url;
    const backends = Array.from({ length: o.servers }, (_, i) => `127.0.0.1:${(o.serverPort ?? o.port + 1) + i}`);
    for (const b of backends) {
      const port = b.split(':')[1];
      const child = spawn(process.execPath, ['--import', 'tsx', 'server/index.ts'], {
        cwd: root,
        env: {
          ...process.env,
          NODE_ENV: 'production',
          PORT: port,
          HOST: '127.0.0.1',
          IPCPG_REDIS_URL: redisUrl,
          // its own name, and nginx's (the browser's Host)
          IPCPG_ALLOWED_HOSTS: `127.0.0.1:${port},127.0.0.1:${o.port},localhost:${o.port}`,
          ...o.env,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      children.push(child);
      child.stdout!.on('data', (d: Buffer) => log(`[${b}] ${String(d).trimEnd()}`));
      child.stderr!.on('data', (d: Buffer) => log(`[${b}] ${String(d).trimEnd()}`));
    }
    await Promise.all(children.map((c, i) => waitFor(c, 'IPC Playground on', `the server on ${backends[i]}`)));
    fs.writeFileSync(path.join(dir, 'nginx.conf'), nginxConf(dir, o.port, backends));
    const nginx = spawn('nginx', ['-p', dir, '-c', path.join(dir, 'nginx.conf'), '-e', path.join(dir, 'error.log'), '-g', 'daemon off;'], { stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(nginx);
    await new Promise<void>((resolve, reject) => {
      const until = Date.now() + 10_000;
      const poll = () =>
        void fetch(`http://127.0.0.1:${o.port}/api/examples`)
          .then((r) => (r.ok ? resolve() : Promise.reject(new Error(String(r.status)))))
          .catch((e: Error) => {
            if (nginx.exitCode !== null || Date.now() > until) reject(new Error(`nginx did not answer: ${e.message} ${fs.existsSync(path.join(dir, 'error.log')) ? fs.readFileSync(path.join(dir, 'error.log'), 'utf8') : ''}`));
            else setTimeout(poll, 100);
          });
      poll();
    });
    return { url: `http://127.0.0.1:${o.port}`, servers: backends.map((b) => ({ url: `http://${b}`, cookie: b })), stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

if (import.meta.filename === process.argv[1]) {
  const { values } = parseArgs({ options: { port: { type: 'string', default: '8080' }, 'server-port': { type: 'string' }, 'redis-port': { type: 'string' }, servers: { type: 'string', default: '2' }, redis: { type: 'string' } } });
  const cluster = await startCluster({
    port: Number(values.port),
    serverPort: values['server-port'] ? Number(values['server-port']) : undefined,
    servers: Number(values.servers),
    redisUrl: values.redis,
    redisPort: Number(values['redis-port'] ?? 0),
    log: (l) => console.log(l),
  });
  console.log(`IPC Playground, ${cluster.servers.length} servers behind nginx: ${cluster.url}`);
  const quit = () => void cluster.stop().then(() => process.exit(0));
  process.on('SIGINT', quit);
  process.on('SIGTERM', quit);
}
