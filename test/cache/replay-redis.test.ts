// The Redis replay guard against a real redis-server, shared by two clients as two edge nodes would.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisReplayGuard, replayKey } from '../../src/auth/replay-redis.ts';
import { MemoryReplayGuard } from '../../src/auth/replay.ts';
import { createRedisClient, whenReady } from '../../src/store/cache/redis-client.ts';
import type { RedisConnection } from '../../src/store/cache/redis-client.ts';
import { startRedis } from './redis-harness.ts';
import type { RedisProcess } from './redis-harness.ts';

describe('RedisReplayGuard', () => {
  let redis: RedisProcess;
  const clients: RedisConnection[] = [];
  const client = () => {
    const c = createRedisClient(redis.url, { offlineQueue: false, commandTimeoutMs: 500, onError: () => {} });
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    for (const c of clients) c.disconnect();
    await redis?.stop();
  });

  it('accepts each (nonce, nc) once across nodes, nc must grow, keys expire with the nonce', async () => {
    const a = client();
    const b = client();
    await Promise.all([whenReady(a), whenReady(b)]);
    const nodeA = new RedisReplayGuard(a);
    const nodeB = new RedisReplayGuard(b);
    const now = 1_800_000_000;
    const nonce = 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
    expect(await nodeA.admit(nonce, 1, now + 300, now)).toBe(true);
    expect(await nodeB.admit(nonce, 1, now + 300, now)).toBe(false);
    expect(await nodeB.admit(nonce, 3, now + 300, now)).toBe(true);
    expect(await nodeA.admit(nonce, 2, now + 300, now)).toBe(false);
    expect(await nodeA.admit('B' + nonce.slice(1), 1, now + 300, now)).toBe(true);
    const ttl = await a.ttl(replayKey(nonce));
    expect(ttl).toBeGreaterThan(290);
    expect(ttl).toBeLessThanOrEqual(305);
    // Expired nonces and absurd counts are refused without asking Redis.
    expect(nodeA.admit(nonce, 9, now - 1, now)).toBe(false);
    expect(nodeA.admit(nonce, 0, now + 300, now)).toBe(false);
  });

  it('atomic under concurrency: one of many simultaneous uses wins', async () => {
    const [c1, c2] = [client(), client()];
    await Promise.all([whenReady(c1), whenReady(c2)]);
    const guards = [new RedisReplayGuard(c1), new RedisReplayGuard(c2)];
    const now = 1_800_000_000;
    const nonce = 'CCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCC';
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => guards[i % 2]!.admit(nonce, 1, now + 60, now)));
    expect(results.filter((r) => r === true)).toHaveLength(1);
  });

  it('Redis down: falls back to the local guard and reports the error; without fallback it rejects', async () => {
    const c = client();
    await whenReady(c);
    const errors: unknown[] = [];
    const withFallback = new RedisReplayGuard(c, { fallback: new MemoryReplayGuard({ slots: 64 }), onError: (e) => errors.push(e) });
    const bare = new RedisReplayGuard(c, { onError: (e) => errors.push(e) });
    await redis.kill();
    const now = Math.floor(Date.now() / 1000);
    const nonce = 'DDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDD';
    expect(await withFallback.admit(nonce, 1, now + 60, now)).toBe(true);
    expect(await withFallback.admit(nonce, 1, now + 60, now)).toBe(false);
    expect(errors.length).toBe(2);
    await expect(bare.admit(nonce, 5, now + 60, now)).rejects.toBeTruthy();
    await redis.restart();
  });
});
