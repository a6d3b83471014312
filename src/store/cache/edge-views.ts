// Edge-side assembly: the in-process view cache, and with REDIS_URL its Redis source and the
// invalidation subscriber (two connections: commands fail fast for fail-static reads; the
// subscriber queues while reconnecting). Without REDIS_URL the caller feeds the cache from the
// store (onViewsChanged + rebuildAllViews at start).
import { createRedisClient, whenReady } from './redis-client.ts';
import type { RedisConnection } from './redis-client.ts';
import { subscribeInvalidations } from './redis-invalidation.ts';
import type { InvalidationSubscription } from './redis-invalidation.ts';
import { createRedisViewSource } from './redis-source.ts';
import { createViewCache } from './view-cache.ts';
import type { CacheLookupResult, ViewCache, ViewSource } from './view-cache.ts';

export interface EdgeViewsOptions {
  /** REDIS_URL; unset: in-process only. */
  redisUrl?: string;
  maxEntries?: number;
  negativeTtlMs?: number;
  /** Timeout of one Redis read on a miss. Default 250 ms. */
  redisTimeoutMs?: number;
  /** Source for misses when there is no Redis (e.g. a store lookup); default: a miss is "absent". */
  localSource?: ViewSource;
  /** edge_cache_lookups_total{result}. */
  onLookup?: (result: CacheLookupResult) => void;
  /** edge_store_errors_total: Redis connection and command errors (never carry view data). */
  onError?: (err: unknown) => void;
}

export interface EdgeViews {
  cache: ViewCache;
  /** Resolves when Redis is connected and subscribed (at once without Redis); never rejects. */
  ready: Promise<void>;
  /** True while the Redis command connection is up (for /readyz; true without Redis). */
  redisConnected(): boolean;
  close(): Promise<void>;
}

export function createEdgeViews(options: EdgeViewsOptions = {}): EdgeViews {
  const onError = options.onError ?? (() => {});
  const events = { onLookup: options.onLookup, onSourceError: onError };
  if (options.redisUrl === undefined || options.redisUrl === '') {
    const cache = createViewCache({
      maxEntries: options.maxEntries,
      negativeTtlMs: options.negativeTtlMs,
      source: options.localSource,
      events,
    });
    return { cache, ready: Promise.resolve(), redisConnected: () => true, close: async () => {} };
  }
  const reader: RedisConnection = createRedisClient(options.redisUrl, {
    offlineQueue: false,
    commandTimeoutMs: options.redisTimeoutMs ?? 250,
    onError,
  });
  const subscriber: RedisConnection = createRedisClient(options.redisUrl, { onError });
  const cache = createViewCache({
    maxEntries: options.maxEntries,
    negativeTtlMs: options.negativeTtlMs,
    source: createRedisViewSource(reader),
    events,
  });
  const subscription: InvalidationSubscription = subscribeInvalidations(subscriber, cache, { onError });
  return {
    cache,
    ready: Promise.all([whenReady(reader, 0), subscription.ready.catch(() => {})]).then(() => undefined),
    redisConnected: () => reader.status === 'ready',
    async close() {
      await subscription.close();
      reader.disconnect();
      subscriber.disconnect();
    },
  };
}
