// Creates ioredis clients from REDIS_URL: `redis://[user:pass@]host:port[/db]` (also rediss://)
// for a single Redis, `redis+cluster://h1:p1,h2:p2` for a Redis Cluster. Reconnection is
// automatic with a capped backoff; an error handler is always attached (errors are reported to
// the caller's hook, never thrown at the process).
import { Cluster, Redis } from 'ioredis';
import type { RedisOptions } from 'ioredis';

export type RedisConnection = Redis | Cluster;

export interface RedisClientOptions {
  /** Queue commands while disconnected (true) or fail them at once (false, for fail-static reads). */
  offlineQueue?: boolean;
  /** Per-command timeout in ms (single Redis and cluster nodes). */
  commandTimeoutMs?: number;
  /** Called for every connection error; the client keeps reconnecting. */
  onError?: (err: Error) => void;
}

/** Backoff between reconnection attempts: 50 ms doubling, capped at 2 s; never gives up. */
export function reconnectDelay(attempt: number): number {
  return Math.min(50 * 2 ** Math.min(attempt, 6), 2_000);
}

export interface ParsedRedisUrl {
  cluster: boolean;
  nodes: Array<{ host: string; port: number }>;
  options: RedisOptions;
}

export function parseRedisUrl(url: string): ParsedRedisUrl {
  const m = /^(redis|rediss|redis\+cluster):\/\/(.*)$/i.exec(url.trim());
  if (m === null) throw new Error('REDIS_URL must start with redis://, rediss:// or redis+cluster://');
  const scheme = m[1]!.toLowerCase();
  let rest = m[2]!;
  const options: RedisOptions = {};
  const at = rest.lastIndexOf('@');
  if (at >= 0) {
    const auth = rest.slice(0, at);
    rest = rest.slice(at + 1);
    const colon = auth.indexOf(':');
    if (colon >= 0) {
      if (colon > 0) options.username = decodeURIComponent(auth.slice(0, colon));
      options.password = decodeURIComponent(auth.slice(colon + 1));
    } else if (auth.length > 0) {
      options.password = decodeURIComponent(auth);
    }
  }
  const slash = rest.indexOf('/');
  if (slash >= 0) {
    const db = rest.slice(slash + 1);
    rest = rest.slice(0, slash);
    if (db.length > 0) {
      if (!/^\d+$/.test(db)) throw new Error('REDIS_URL database must be a number');
      options.db = Number(db);
    }
  }
  if (scheme === 'rediss') options.tls = {};
  const nodes = rest.split(',').filter((s) => s.length > 0).map(parseHostPort);
  if (nodes.length === 0) throw new Error('REDIS_URL names no host');
  const cluster = scheme === 'redis+cluster';
  if (!cluster && nodes.length > 1) throw new Error('several hosts need redis+cluster://');
  return { cluster, nodes, options };
}

function parseHostPort(text: string): { host: string; port: number } {
  let host: string;
  let portText: string | undefined;
  if (text.startsWith('[')) {
    const end = text.indexOf(']');
    if (end < 0) throw new Error('REDIS_URL has an unterminated IPv6 address');
    host = text.slice(1, end);
    portText = text[end + 1] === ':' ? text.slice(end + 2) : undefined;
  } else {
    const colon = text.lastIndexOf(':');
    host = colon >= 0 ? text.slice(0, colon) : text;
    portText = colon >= 0 ? text.slice(colon + 1) : undefined;
  }
  const port = portText === undefined ? 6379 : Number(portText);
  if (host.length === 0 || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error('REDIS_URL has a bad host:port');
  }
  return { host, port };
}

/** Opens a client (connects in the background). */
export function createRedisClient(url: string, opts: RedisClientOptions = {}): RedisConnection {
  const parsed = parseRedisUrl(url);
  const offlineQueue = opts.offlineQueue ?? true;
  const common: RedisOptions = {
    ...parsed.options,
    maxRetriesPerRequest: offlineQueue ? null : 1,
    ...(opts.commandTimeoutMs !== undefined ? { commandTimeout: opts.commandTimeoutMs } : {}),
  };
  let client: RedisConnection;
  if (parsed.cluster) {
    client = new Cluster(parsed.nodes, {
      enableOfflineQueue: offlineQueue,
      clusterRetryStrategy: (times) => reconnectDelay(times),
      redisOptions: common,
    });
  } else {
    const node = parsed.nodes[0]!;
    client = new Redis({
      ...common,
      host: node.host,
      port: node.port,
      enableOfflineQueue: offlineQueue,
      retryStrategy: (times) => reconnectDelay(times),
    });
  }
  client.on('error', (err: Error) => opts.onError?.(err));
  return client;
}

/**
 * Resolves once the client is ready (connected, and for a cluster, slots known). With a timeout
 * (ms) it rejects when not ready in time; with 0 it waits as long as it takes and never rejects.
 */
export function whenReady(client: RedisConnection, timeoutMs = 10_000): Promise<void> {
  if (client.status === 'ready') return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = timeoutMs <= 0 ? undefined : setTimeout(() => {
      client.off('ready', onReady);
      reject(new Error('redis not ready in time'));
    }, timeoutMs);
    const onReady = (): void => {
      clearTimeout(timer);
      resolve();
    };
    client.once('ready', onReady);
  });
}
