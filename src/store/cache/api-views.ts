// API-side assembly with REDIS_URL: every committed view change is written to Redis and an
// invalidation published; Redis is repopulated from SQL at start and after each reconnection.
// publish() rejects when Redis cannot take the change, so the API can answer 503 (the SQL write
// is committed; the next repopulation brings Redis up to date).
import type { CompiledView } from '../../gate/view.ts';
import { createRedisClient, whenReady } from './redis-client.ts';
import { createRedisViewPublisher } from './redis-publisher.ts';
import type { ViewChange } from './view-cache.ts';

export interface ApiViewsOptions {
  redisUrl: string;
  /** store.rebuildAllViews */
  loadAll: () => CompiledView[] | Promise<CompiledView[]>;
  onError?: (err: unknown) => void;
  onRepopulated?: (count: number) => void;
}

export interface ApiViews {
  /** Writes the change to Redis and publishes its invalidation; rejects when Redis is unavailable. */
  publish(change: ViewChange): Promise<void>;
  /** Rebuilds Redis from SQL now (on demand). */
  repopulate(): Promise<void>;
  /** Resolves once connected (the first repopulation then runs by itself); never rejects. */
  ready: Promise<void>;
  redisConnected(): boolean;
  close(): Promise<void>;
}

export function createApiViews(options: ApiViewsOptions): ApiViews {
  const client = createRedisClient(options.redisUrl, { offlineQueue: false, commandTimeoutMs: 2_000, onError: options.onError });
  const publisher = createRedisViewPublisher(client, {
    loadAll: options.loadAll,
    onError: options.onError,
    onRepopulated: options.onRepopulated,
  });
  return {
    publish: (change) => publisher.publish(change),
    async repopulate() {
      await publisher.repopulate(options.loadAll);
    },
    ready: whenReady(client, 0),
    redisConnected: () => client.status === 'ready',
    async close() {
      publisher.close();
      client.disconnect();
    },
  };
}
