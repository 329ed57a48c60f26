// Quotas: how many runs at once, follow rooms and connections one joined identity and one
// address may hold. They are counted on what the server knows of the sender (the identity
// in its signed cookie, the address of its TCP connection), never on a token the client
// picks: a client that makes up tokens gets no more than one that does not.

export type QuotaKind = 'runs' | 'rooms' | 'connections';
export type QuotaLimits = Record<QuotaKind, number>;

/** Who holds a quota: either key may be null (not counted), e.g. no identity outside class mode. */
export interface Holder {
  identity: string | null;
  ip: string | null;
}

export interface QuotaConfig {
  identity: QuotaLimits;
  ip: QuotaLimits;
}

const NOUN: Record<QuotaKind, [string, string]> = { runs: ['run going', 'runs going'], rooms: ['live session', 'live sessions'], connections: ['connection', 'connections'] };

export type Taken = { ok: true; release: () => void } | { ok: false; message: string };

export class Quotas {
  private used = new Map<string, number>();

  constructor(private config: QuotaConfig) {}

  private keys(kind: QuotaKind, h: Holder): { key: string; limit: number; who: string }[] {
    const out = [];
    if (h.identity !== null) out.push({ key: `${kind} id ${h.identity}`, limit: this.config.identity[kind], who: 'you have' });
    if (h.ip !== null) out.push({ key: `${kind} ip ${h.ip}`, limit: this.config.ip[kind], who: `your address (${h.ip}) has` });
    return out;
  }

  /** One more of `kind` for `h`, on every key or on none; `release` gives it back (once). */
  take(kind: QuotaKind, h: Holder): Taken {
    const keys = this.keys(kind, h);
    for (const { key, limit, who } of keys) {
      const n = this.used.get(key) ?? 0;
      if (n >= limit) return { ok: false, message: `${who} ${n} ${NOUN[kind][n === 1 ? 0 : 1]} already (the limit is ${limit}); ${kind === 'connections' ? 'close a tab first' : 'stop one first'}` };
    }
    for (const { key } of keys) this.used.set(key, (this.used.get(key) ?? 0) + 1);
    let released = false;
    return {
      ok: true,
      release: () => {
        if (released) return;
        released = true;
        for (const { key } of keys) {
          const n = (this.used.get(key) ?? 1) - 1;
          if (n > 0) this.used.set(key, n);
          else this.used.delete(key);
        }
      },
    };
  }

  /** Keys with something held (a test's view of the bookkeeping). */
  get held(): number {
    return this.used.size;
  }
}

export function quotasFromEnv(runsPerClient: number, env: Record<string, string | undefined> = process.env): QuotaConfig {
  const num = (name: string, fallback: number) => {
    const v = Number(env[name]);
    return env[name] !== undefined && Number.isInteger(v) && v > 0 ? v : fallback;
  };
  return {
    // one student: as many runs as a tab, a couple of shared tabs, a few devices' worth of tabs
    identity: { runs: runsPerClient, rooms: 2, connections: 16 },
    // one address: a few people on one machine; raise these behind a NAT that shares one address
    ip: { runs: num('IPCPG_IP_RUNS', 4), rooms: num('IPCPG_IP_ROOMS', 4), connections: num('IPCPG_IP_CONNECTIONS', 64) },
  };
}
