// API side of the Redis view cache (SPEC §6): writes every changed view to Redis, removes deleted
// ones, then publishes an invalidation so edges drop their copies. Repopulates Redis from SQL at
// start and after every reconnection (Redis is a cache; it may have lost everything).
import type { CompiledView } from '../../gate/view.ts';
import type { RedisConnection } from './redis-client.ts';
import type { ViewChange } from './view-cache.ts';
import {
  REDIS_CHANNEL,
  REDIS_INDEX,
  REDIS_POPULATED,
  deletedKey,
  encodeInvalidation,
  redisViewKey,
  viewKey,
} from './keys.ts';

// Writes a view unless Redis already holds a newer version of it, and records it in the index.
// KEYS: view key, index. ARGV: version, JSON, logical key.
const WRITE_VIEW = `
local cur = redis.call('HGET', KEYS[1], 'v')
if cur and tonumber(cur) > tonumber(ARGV[1]) then return 0 end
redis.call('HSET', KEYS[1], 'v', ARGV[1], 'j', ARGV[2])
redis.call('SADD', KEYS[2], ARGV[3])
return 1
`;

export interface RedisViewPublisherOptions {
  /** All current views from SQL; when given, Redis is repopulated on every (re)connection. */
  loadAll?: () => CompiledView[] | Promise<CompiledView[]>;
  /** Repopulation failures (the publisher retries at the next reconnection or call). */
  onError?: (err: unknown) => void;
  /** Called after each successful repopulation with the number of views written. */
  onRepopulated?: (count: number) => void;
}

export interface RedisViewPublisher {
  /** Writes the change and publishes its invalidation. Rejects when Redis cannot take it (→ 503). */
  publish(change: ViewChange): Promise<void>;
  /** Replaces Redis's content with these views, marks Redis populated, and invalidates every edge. */
  repopulate(views: CompiledView[]): Promise<void>;
  /** Stops reacting to reconnections (does not close the client). */
  close(): void;
}

type Multi = ReturnType<RedisConnection['multi']>;

function addWrite(multi: Multi, view: CompiledView): string {
  const key = viewKey(view);
  multi.eval(WRITE_VIEW, 2, redisViewKey(key), REDIS_INDEX, String(view.version), JSON.stringify(view), key);
  return key;
}

async function execOrThrow(multi: Multi): Promise<void> {
  const results = await multi.exec();
  if (results === null) throw new Error('redis transaction aborted');
  for (const [err] of results) if (err) throw err;
}

export function createRedisViewPublisher(
  client: RedisConnection,
  options: RedisViewPublisherOptions = {},
): RedisViewPublisher {
  async function publish(change: ViewChange): Promise<void> {
    if (change.upserts.length === 0 && change.deletes.length === 0) return;
    const multi = client.multi();
    const keys: string[] = [];
    for (const view of change.upserts) keys.push(addWrite(multi, view));
    for (const entry of change.deletes) {
      const key = deletedKey(entry);
      multi.del(redisViewKey(key));
      multi.srem(REDIS_INDEX, key);
      keys.push(key);
    }
    await execOrThrow(multi);
    await client.publish(REDIS_CHANNEL, encodeInvalidation({ keys }));
  }

  async function repopulate(views: CompiledView[]): Promise<void> {
    const present = new Set<string>();
    const multi = client.multi();
    for (const view of views) present.add(addWrite(multi, view));
    await execOrThrow(multi);
    const indexed = await client.smembers(REDIS_INDEX);
    const gone = indexed.filter((k) => !present.has(k));
    const cleanup = client.multi();
    for (const key of gone) {
      cleanup.del(redisViewKey(key));
      cleanup.srem(REDIS_INDEX, key);
    }
    cleanup.set(REDIS_POPULATED, String(Date.now()));
    await execOrThrow(cleanup);
    await client.publish(REDIS_CHANNEL, encodeInvalidation({ all: true }));
  }

  let running: Promise<void> | null = null;
  const loadAll = options.loadAll;
  function onReady(): void {
    if (loadAll === undefined || running !== null) return;
    running = (async () => {
      const views = await loadAll();
      await repopulate(views);
      options.onRepopulated?.(views.length);
    })()
      .catch((err: unknown) => options.onError?.(err))
      .finally(() => {
        running = null;
      });
  }
  client.on('ready', onReady);
  if (client.status === 'ready') onReady();

  return {
    publish,
    repopulate,
    close() {
      client.off('ready', onReady);
    },
  };
}
