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

// Every view key is a hash: v (version), j (view JSON), t (write time, ms, Redis clock), or after a
// delete only d (tombstone time, ms, expiring). Times come from the Redis node owning the `{v}`
// slot, so API nodes with different clocks agree. They let a repopulation (which works from an SQL
// snapshot) skip views changed or deleted by a live publish after the snapshot was taken.
const NOW_MS = `
local now = redis.call('TIME')
local ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
`;

// KEYS: view key, index. ARGV: version, JSON, logical key, snapshot ms (0 for a live publish).
// Skips an older version; in a repopulation, also anything written or deleted since the snapshot.
const WRITE_VIEW = NOW_MS + `
local snap = tonumber(ARGV[4])
if snap > 0 then
  local d = redis.call('HGET', KEYS[1], 'd')
  if d and tonumber(d) >= snap then return 0 end
  local t = redis.call('HGET', KEYS[1], 't')
  if t and tonumber(t) >= snap then return 0 end
end
local cur = redis.call('HGET', KEYS[1], 'v')
if cur and tonumber(cur) > tonumber(ARGV[1]) then return 0 end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'v', ARGV[1], 'j', ARGV[2], 't', ms)
redis.call('SADD', KEYS[2], ARGV[3])
return 1
`;

// KEYS: view key, index. ARGV: logical key, tombstone lifetime ms.
const DELETE_VIEW = NOW_MS + `
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'd', ms)
redis.call('PEXPIRE', KEYS[1], ARGV[2])
redis.call('SREM', KEYS[2], ARGV[1])
return 1
`;

// KEYS: view key, index. ARGV: logical key, snapshot ms. Removes a view absent from the snapshot
// unless it was written after the snapshot was taken.
const DROP_UNLISTED = `
local t = redis.call('HGET', KEYS[1], 't')
if t and tonumber(t) >= tonumber(ARGV[2]) then return 0 end
redis.call('DEL', KEYS[1])
redis.call('SREM', KEYS[2], ARGV[1])
return 1
`;

// KEYS: index (only to route to the slot's node). Returns the node's time in ms.
const SLOT_TIME = NOW_MS + `
return ms
`;

/** Tombstones outlive any repopulation that could have started before the delete. */
const TOMBSTONE_MS = 10 * 60_000;

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
  /**
   * Replaces Redis's content with the views from SQL, marks Redis populated and invalidates every
   * edge. Pass a loader so the snapshot time is taken before SQL is read (changes published by
   * other API nodes meanwhile are then kept); an array counts as read at the time of the call.
   */
  repopulate(views: CompiledView[] | (() => CompiledView[] | Promise<CompiledView[]>)): Promise<number>;
  /** Stops reacting to reconnections (does not close the client). */
  close(): void;
}

type Multi = ReturnType<RedisConnection['multi']>;

function addWrite(multi: Multi, view: CompiledView, snapshotMs: number): string {
  const key = viewKey(view);
  multi.eval(WRITE_VIEW, 2, redisViewKey(key), REDIS_INDEX, String(view.version), JSON.stringify(view), key, String(snapshotMs));
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
    for (const view of change.upserts) keys.push(addWrite(multi, view, 0));
    for (const entry of change.deletes) {
      const key = deletedKey(entry);
      multi.eval(DELETE_VIEW, 2, redisViewKey(key), REDIS_INDEX, key, String(TOMBSTONE_MS));
      keys.push(key);
    }
    await execOrThrow(multi);
    await client.publish(REDIS_CHANNEL, encodeInvalidation({ keys }));
  }

  async function repopulate(source: CompiledView[] | (() => CompiledView[] | Promise<CompiledView[]>)): Promise<number> {
    const snapshotMs = Number(await client.eval(SLOT_TIME, 1, REDIS_INDEX));
    const views = typeof source === 'function' ? await source() : source;
    const present = new Set<string>();
    const multi = client.multi();
    for (const view of views) present.add(addWrite(multi, view, snapshotMs));
    await execOrThrow(multi);
    const indexed = await client.smembers(REDIS_INDEX);
    const cleanup = client.multi();
    for (const key of indexed) {
      if (!present.has(key)) cleanup.eval(DROP_UNLISTED, 2, redisViewKey(key), REDIS_INDEX, key, String(snapshotMs));
    }
    cleanup.set(REDIS_POPULATED, String(snapshotMs));
    await execOrThrow(cleanup);
    await client.publish(REDIS_CHANNEL, encodeInvalidation({ all: true }));
    return views.length;
  }

  let running: Promise<void> | null = null;
  const loadAll = options.loadAll;
  function onReady(): void {
    if (loadAll === undefined || running !== null) return;
    running = repopulate(loadAll)
      .then((count) => options.onRepopulated?.(count))
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
