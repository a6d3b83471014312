// The Redis view cache against a real three-master Redis Cluster (hash-tagged keys, MULTI and
// Lua in one slot, pub/sub across nodes).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisClient } from '../../src/store/cache/redis-client.ts';
import { RedisReplayGuard } from '../../src/auth/replay-redis.ts';
import type { RedisConnection } from '../../src/store/cache/redis-client.ts';
import { createRedisViewPublisher } from '../../src/store/cache/redis-publisher.ts';
import { createRedisViewSource } from '../../src/store/cache/redis-source.ts';
import { subscribeInvalidations } from '../../src/store/cache/redis-invalidation.ts';
import { createViewCache } from '../../src/store/cache/view-cache.ts';
import { connectionKey, hostKey } from '../../src/store/cache/keys.ts';
import type { CompiledView } from '../../src/gate/view.ts';
import { startRedisCluster } from './redis-harness.ts';
import type { RedisClusterProcess } from './redis-harness.ts';
import { connectionView, domainView } from './fixtures.ts';

async function until(cond: () => Promise<boolean>, ms = 5_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('Redis view cache (Redis Cluster, three masters)', () => {
  let cluster: RedisClusterProcess;
  const clients: RedisConnection[] = [];

  beforeAll(async () => {
    cluster = await startRedisCluster();
  });
  afterAll(async () => {
    for (const c of clients) c.disconnect();
    await cluster?.stop();
  });

  it('repopulates, serves misses and propagates invalidations', async () => {
    const errors: unknown[] = [];
    const api = createRedisClient(cluster.url, { onError: (e) => errors.push(e) });
    const reader = createRedisClient(cluster.url, { onError: (e) => errors.push(e) });
    const sub = createRedisClient(cluster.url, { onError: (e) => errors.push(e) });
    clients.push(api, reader, sub);

    const publisher = createRedisViewPublisher(api);
    await publisher.repopulate([domainView('a.example.com', 1, ['alice']), connectionView('Bob')]);

    const cache = createViewCache({ source: createRedisViewSource(reader) });
    const subscription = subscribeInvalidations(sub, cache);
    await subscription.ready;

    const a = (await cache.lookup(hostKey('a.example.com'))) as CompiledView;
    expect(a.kind === 'domain' && Object.keys(a.calls.users)).toEqual(['alice']);
    expect(((await cache.lookup(connectionKey('bob'))) as CompiledView).kind).toBe('connection');
    expect(await cache.lookup(hostKey('nope.example.com'))).toBeNull();

    await publisher.publish({ upserts: [domainView('a.example.com', 2, ['erin'])], deletes: [connectionKey('bob')] });
    await until(async () => {
      const v = await cache.lookup(hostKey('a.example.com'));
      return v !== null && v.kind === 'domain' && 'erin' in v.calls.users;
    }, 1_000);
    await until(async () => (await cache.lookup(connectionKey('bob'))) === null, 1_000);

    // A repopulation drops views that SQL no longer has.
    await publisher.repopulate([domainView('c.example.com')]);
    await until(async () => (await cache.lookup(hostKey('a.example.com'))) === null, 1_000);
    expect(((await cache.lookup(hostKey('c.example.com'))) as CompiledView).kind).toBe('domain');
    await subscription.close();
    publisher.close();
  });

  it('replay guard works across slots of the cluster', async () => {
    const a = createRedisClient(cluster.url);
    const b = createRedisClient(cluster.url);
    clients.push(a, b);
    const [ga, gb] = [new RedisReplayGuard(a), new RedisReplayGuard(b)];
    const now = 1_800_000_000;
    for (let i = 0; i < 20; i++) {
      const nonce = `nonce-${i}-${'x'.repeat(20)}`;
      expect(await ga.admit(nonce, 1, now + 60, now)).toBe(true);
      expect(await gb.admit(nonce, 1, now + 60, now)).toBe(false);
      expect(await gb.admit(nonce, 2, now + 60, now)).toBe(true);
    }
  });
});
