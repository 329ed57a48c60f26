// Quotas: how many runs at once, follow rooms and connections one joined identity and one
// address may hold. They are counted on what the server knows of the sender (the identity
// in its signed cookie, the address of its TCP connection), never on a token the client
// picks: a client that makes up tokens gets no more than one that does not.
//
// Where they are counted is a QuotaBook: this process's memory (Quotas, below), or with several
// servers Redis (server/quota-redis.ts), so that a student does not hold each server's quota
// once. Both take on every key or on none, and refuse with the same words.

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

/** Counts what holders hold; chosen at start (server/bookkeeping.ts). */
export interface QuotaBook {
  /** One more of `kind` for `h`, on every key or on none; `release` gives it back (once). In memory it answers at once. */
  take(kind: QuotaKind, h: Holder): Taken | Promise<Taken>;
}

/** A quota key of `kind` for `h`, its limit, and how a refusal names who holds it. */
export interface QuotaKey {
  key: string;
  limit: number;
  who: string;
}

export function quotaKeys(config: QuotaConfig, kind: QuotaKind, h: Holder): QuotaKey[] {
  const out = [];
  if (h.identity !== null) out.push({ key: `${kind} id ${h.identity}`, limit: config.identity[kind], who: 'you have' });
  if (h.ip !== null) out.push({ key: `${kind} ip ${h.ip}`, limit: config.ip[kind], who: `your address (${h.ip}) has` });
  return out;
}

/** Why `kind` is refused: `who` holds `n` already, against `limit`. */
export function refusal(kind: QuotaKind, { who, limit }: QuotaKey, n: number): string {
  return `${who} ${n} ${NOUN[kind][n === 1 ? 0 : 1]} already (the limit is ${limit}); ${kind === 'connections' ? 'close a tab first' : 'stop one first'}`;
}

/** Quotas counted in this process: one server's holders. */
export class Quotas implements QuotaBook {
  private used = new Map<string, number>();

  constructor(private config: QuotaConfig) {}

  take(kind: QuotaKind, h: Holder): Taken {
    const keys = quotaKeys(this.config, kind, h);
    for (const k of keys) {
      const n = this.used.get(k.key) ?? 0;
      if (n >= k.limit) return { ok: false, message: refusal(kind, k, n) };
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
