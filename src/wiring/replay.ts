// The replay guard by EDGE_REPLAY: in memory per process, or cluster-wide in Redis with the
// in-memory guard answering while Redis is unreachable (errors counted).

import { RedisReplayGuard } from '../auth/replay-redis.ts';
import { MemoryReplayGuard } from '../auth/replay.ts';
import type { ReplayGuard } from '../auth/replay.ts';
import type { EdgeConfig } from '../config.ts';
import { createRedisClient } from '../store/cache/redis-client.ts';

export interface ReplayWiring {
  guard: ReplayGuard;
  close(): void;
}

export function createReplayGuard(config: Readonly<EdgeConfig>, onError: (err: unknown) => void): ReplayWiring {
  const memory = new MemoryReplayGuard();
  if (config.replay !== 'redis' || config.redisUrl === undefined) return { guard: memory, close: () => {} };
  const client = createRedisClient(config.redisUrl, { offlineQueue: false, commandTimeoutMs: 250, onError });
  const guard = new RedisReplayGuard(client, { fallback: memory, onError });
  return { guard, close: () => client.disconnect() };
}
