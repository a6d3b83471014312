// Edge side of the Redis view cache: answers a cache miss from Redis. A key that is absent while
// Redis is marked populated is a real "unknown"; absent while Redis is not populated (it restarted
// empty and no API node has refilled it yet) is an error, so the cache keeps what it holds.
import type { CompiledView } from '../../gate/view.ts';
import type { RedisConnection } from './redis-client.ts';
import type { ViewSource } from './view-cache.ts';
import { REDIS_POPULATED, redisViewKey } from './keys.ts';

export class RedisUnpopulatedError extends Error {
  constructor() {
    super('redis holds no views (not populated since it started)');
    this.name = 'RedisUnpopulatedError';
  }
}

/** Checks the shape enough to trust the JSON written by our publisher. */
function asView(json: string): CompiledView {
  const v: unknown = JSON.parse(json);
  if (v === null || typeof v !== 'object') throw new Error('redis view is not an object');
  const kind = (v as { kind?: unknown }).kind;
  if (kind !== 'domain' && kind !== 'trunk' && kind !== 'connection') throw new Error('redis view has no kind');
  return v as CompiledView;
}

export function createRedisViewSource(client: RedisConnection): ViewSource {
  return async (key) => {
    const json = await client.hget(redisViewKey(key), 'j');
    if (json !== null) return asView(json);
    const populated = await client.exists(REDIS_POPULATED);
    if (populated === 0) throw new RedisUnpopulatedError();
    return null;
  };
}
