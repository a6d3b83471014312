// Next-hop resolution for forwarding targets (a simplified RFC 3263): an IP literal is used as is;
// a name with a port is looked up as A/AAAA; a name without a port tries SRV `_sip._udp` / `_sip._tcp`
// first, then A/AAAA on the default port. Answers are cached for their TTL (bounded cache); the DNS
// functions are injectable so tests need no DNS server.

import { isIP } from 'node:net';
import * as dns from 'node:dns/promises';

export type HopTransport = 'udp' | 'tcp';

export interface NextHop {
  address: string;
  port: number;
  transport: HopTransport;
}

export interface HopQuery {
  host: string;
  port: number | undefined;
  transport: HopTransport;
  /** sips: default port 5061. */
  secure: boolean;
}

export interface DnsFunctions {
  resolve4(name: string): Promise<Array<{ address: string; ttl: number }>>;
  resolve6(name: string): Promise<Array<{ address: string; ttl: number }>>;
  resolveSrv(name: string): Promise<Array<{ name: string; port: number; priority: number; weight: number }>>;
}

export const systemDns: DnsFunctions = {
  resolve4: (n) => dns.resolve4(n, { ttl: true }),
  resolve6: (n) => dns.resolve6(n, { ttl: true }),
  resolveSrv: (n) => dns.resolveSrv(n),
};

export interface ResolverOptions {
  dns?: DnsFunctions;
  now?: () => number;
  /** TTL used for SRV answers (node does not report one) and negative answers, seconds. */
  defaultTtlS?: number;
  maxTtlS?: number;
  maxEntries?: number;
}

interface Entry {
  hops: NextHop[];
  expires: number;
}

export interface HopResolver {
  resolve(q: HopQuery): Promise<NextHop[]>;
  /** Cached answer without any lookup, or undefined (lets the hot path skip a promise). */
  cached(q: HopQuery): NextHop[] | undefined;
}

export function createHopResolver(opts: ResolverOptions = {}): HopResolver {
  const d = opts.dns ?? systemDns;
  const now = opts.now ?? Date.now;
  const defTtl = (opts.defaultTtlS ?? 60) * 1000;
  const maxTtl = (opts.maxTtlS ?? 3600) * 1000;
  const maxEntries = opts.maxEntries ?? 10_000;
  const cache = new Map<string, Entry>();

  const keyOf = (q: HopQuery) => `${q.transport}|${q.secure ? 's' : ''}|${q.host.toLowerCase()}|${q.port ?? ''}`;

  function put(key: string, hops: NextHop[], ttlMs: number): void {
    if (cache.size >= maxEntries) {
      const oldest = cache.keys().next();
      if (!oldest.done) cache.delete(oldest.value);
    }
    cache.set(key, { hops, expires: now() + Math.min(Math.max(ttlMs, 1000), maxTtl) });
  }

  async function addresses(name: string, port: number, transport: HopTransport): Promise<{ hops: NextHop[]; ttl: number }> {
    const [v4, v6] = await Promise.allSettled([d.resolve4(name), d.resolve6(name)]);
    const hops: NextHop[] = [];
    let ttl = Infinity;
    for (const r of [v4, v6]) {
      if (r.status !== 'fulfilled') continue;
      for (const a of r.value) {
        hops.push({ address: a.address, port, transport });
        ttl = Math.min(ttl, a.ttl * 1000);
      }
    }
    return { hops, ttl: Number.isFinite(ttl) ? ttl : defTtl };
  }

  function literal(q: HopQuery): NextHop[] | undefined {
    const host = q.host.startsWith('[') && q.host.endsWith(']') ? q.host.slice(1, -1) : q.host;
    if (isIP(host) === 0) return undefined;
    return [{ address: host, port: q.port ?? (q.secure ? 5061 : 5060), transport: q.transport }];
  }

  return {
    cached(q) {
      const lit = literal(q);
      if (lit !== undefined) return lit;
      const e = cache.get(keyOf(q));
      return e !== undefined && e.expires > now() ? e.hops : undefined;
    },
    async resolve(q) {
      const hit = this.cached(q);
      if (hit !== undefined) return hit;
      const key = keyOf(q);
      let hops: NextHop[] = [];
      let ttl = defTtl;
      if (q.port === undefined) {
        const srvName = `${q.secure ? '_sips' : '_sip'}._${q.transport}.${q.host}`;
        const srv = await d.resolveSrv(srvName).catch(() => []);
        srv.sort((a, b) => a.priority - b.priority || b.weight - a.weight);
        for (const s of srv) {
          const r = await addresses(s.name, s.port, q.transport);
          hops.push(...r.hops);
          ttl = Math.min(ttl, r.ttl);
        }
      }
      if (hops.length === 0) {
        const r = await addresses(q.host, q.port ?? (q.secure ? 5061 : 5060), q.transport);
        hops = r.hops;
        ttl = r.hops.length > 0 ? r.ttl : defTtl;
      }
      put(key, hops, ttl);
      return hops;
    },
  };
}
