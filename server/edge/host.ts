// Which names this server answers to. A page of attacker.example whose DNS name is rebound to
// this machine's address sends `Host: attacker.example` (and a matching Origin, so the Origin
// check alone lets it in): refusing every Host that is not ours (421 Misdirected Request)
// keeps such a page from reading our pages or driving runs.
//
// IPCPG_ALLOWED_HOSTS lists them (comma-separated, `name` or `name:port`; a name without a
// port is allowed with no port, as behind a proxy on port 80 or 443, and with the listen port).
// By default: the listen address (every address of the machine when it listens on all of
// them), localhost, 127.0.0.1 and [::1], each with the listen port.

import os from 'node:os';

/** `name:port` or `name` as a Host header carries it, lower case, IPv6 in brackets. */
function hostWith(name: string, port?: number): string {
  const n = name.toLowerCase();
  const bracketed = n.includes(':') && !n.startsWith('[') ? `[${n}]` : n;
  return port === undefined ? bracketed : `${bracketed}:${port}`;
}

function machineAddresses(): string[] {
  return Object.values(os.networkInterfaces()).flatMap((list) => (list ?? []).map((a) => a.address.replace(/%.*$/, '')));
}

export function allowedHosts(env: string | undefined, listenHost: string, port: number): Set<string> {
  const out = new Set<string>();
  const listed = (env ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  if (listed.length) {
    for (const entry of listed) {
      // `name:port`, `[v6]:port` or a bare name (a bare IPv6 address has colons but no brackets)
      const m = /^(\[[^\]]+\]|[^:]+):(\d+)$/.exec(entry);
      if (m) out.add(hostWith(m[1], Number(m[2])));
      else for (const p of [undefined, port]) out.add(hostWith(entry, p));
    }
    return out;
  }
  const all = listenHost === '0.0.0.0' || listenHost === '::';
  for (const name of ['localhost', '127.0.0.1', '::1', ...(all ? machineAddresses() : [listenHost])]) out.add(hostWith(name, port));
  return out;
}

export function hostAllowed(header: string | undefined, allowed: ReadonlySet<string>): boolean {
  return !!header && allowed.has(header.toLowerCase());
}
