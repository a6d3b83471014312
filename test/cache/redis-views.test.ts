// The Redis view cache against a real redis-server: API publisher, edge source and invalidation
// subscriber, Redis killed while lookups flow, restart, resubscription and repopulation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisClient, parseRedisUrl, whenReady } from '../../src/store/cache/redis-client.ts';
import type { RedisConnection } from '../../src/store/cache/redis-client.ts';
import { createRedisViewPublisher } from '../../src/store/cache/redis-publisher.ts';
import { createRedisViewSource } from '../../src/store/cache/redis-source.ts';
import { subscribeInvalidations } from '../../src/store/cache/redis-invalidation.ts';
import { createViewCache } from '../../src/store/cache/view-cache.ts';
import type { CacheLookupResult } from '../../src/store/cache/view-cache.ts';
import { hostKey } from '../../src/store/cache/keys.ts';
import type { CompiledView } from '../../src/gate/view.ts';
import { startRedis } from './redis-harness.ts';
import type { RedisProcess } from './redis-harness.ts';
import { domainView } from './fixtures.ts';

async function until(cond: () => boolean | Promise<boolean>, ms = 5_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

function usersOf(v: CompiledView | null): string[] {
  return v !== null && v.kind === 'domain' ? Object.keys(v.calls.users) : [];
}

describe('parseRedisUrl', () => {
  it('reads single and cluster URLs', () => {
    expect(parseRedisUrl('redis://127.0.0.1:7000')).toMatchObject({ cluster: false, nodes: [{ host: '127.0.0.1', port: 7000 }] });
    expect(parseRedisUrl('redis://:s3cret@[::1]:7001/2')).toMatchObject({
      cluster: false,
      nodes: [{ host: '::1', port: 7001 }],
      options: { password: 's3cret', db: 2 },
    });
    expect(parseRedisUrl('redis+cluster://h1:1,h2:2').nodes).toEqual([
      { host: 'h1', port: 1 },
      { host: 'h2', port: 2 },
    ]);
    expect(() => parseRedisUrl('http://x')).toThrow();
    expect(() => parseRedisUrl('redis://h1:1,h2:2')).toThrow();
    expect(() => parseRedisUrl('redis://h:99999')).toThrow();
  });
});

describe('Redis view cache (single redis-server)', () => {
  let redis: RedisProcess;
  let api: RedisConnection;
  let edgeReader: RedisConnection;
  let edgeSub: RedisConnection;
  const sql = new Map<string, CompiledView>(); // stands for the SQL system of record
  const apiErrors: unknown[] = [];
  const edgeErrors: unknown[] = [];
  const lookups: CacheLookupResult[] = [];
  let repopulations = 0;

  beforeAll(async () => {
    redis = await startRedis();
    api = createRedisClient(redis.url, { offlineQueue: false, onError: (e) => apiErrors.push(e) });
    edgeReader = createRedisClient(redis.url, { offlineQueue: false, commandTimeoutMs: 500, onError: (e) => edgeErrors.push(e) });
    edgeSub = createRedisClient(redis.url, { onError: (e) => edgeErrors.push(e) });
    await Promise.all([whenReady(api), whenReady(edgeReader)]);
  });

  afterAll(async () => {
    for (const c of [api, edgeReader, edgeSub]) c?.disconnect();
    await redis?.stop();
  });

  it('flows: repopulate, miss from Redis, invalidation within a second, kill, fail static, restart, recover', async () => {
    sql.set('a', domainView('a.example.com', 1, ['alice']));
    sql.set('b', domainView('b.example.com', 1, ['bob']));
    const publisher = createRedisViewPublisher(api, {
      loadAll: () => [...sql.values()],
      onRepopulated: () => repopulations++,
      onError: (e) => apiErrors.push(e),
    });
    await until(() => repopulations === 1);

    const cache = createViewCache({
      source: createRedisViewSource(edgeReader),
      events: { onLookup: (r) => lookups.push(r), onSourceError: (e) => edgeErrors.push(e) },
    });
    const sub = subscribeInvalidations(edgeSub, cache, { onError: (e) => edgeErrors.push(e) });
    await sub.ready;

    // Miss → Redis; then held.
    expect(usersOf(await cache.lookup(hostKey('a.example.com')))).toEqual(['alice']);
    expect(usersOf(cache.lookup(hostKey('a.example.com')) as CompiledView)).toEqual(['alice']);
    expect(await cache.lookup(hostKey('unknown.example.com'))).toBeNull();

    // A change through the API reaches the edge within one second.
    const t0 = Date.now();
    const changed = domainView('a.example.com', 2, ['alice', 'carol']);
    sql.set('a', changed);
    await publisher.publish({ upserts: [changed], deletes: [] });
    await until(async () => usersOf(await cache.lookup(hostKey('a.example.com'))).includes('carol'), 1_000);
    expect(Date.now() - t0).toBeLessThan(1_000);

    // An older version never overwrites a newer one in Redis.
    await publisher.publish({ upserts: [domainView('a.example.com', 1, ['stale'])], deletes: [] });
    expect(await api.hget('edge:{v}:view:host:a.example.com', 'v')).toBe('2');

    // Delete reaches the edge.
    await cache.lookup(hostKey('b.example.com'));
    sql.delete('b');
    await publisher.publish({ upserts: [], deletes: ['b.example.com'] });
    await until(async () => (await cache.lookup(hostKey('b.example.com'))) === null, 1_000);

    // Kill Redis while lookups flow: held targets keep being served, errors are counted.
    await redis.kill();
    const errorsBefore = edgeErrors.length;
    await expect(publisher.publish({ upserts: [domainView('z.example.com', 1)], deletes: [] })).rejects.toBeTruthy();
    for (let i = 0; i < 50; i++) {
      expect(usersOf(await cache.lookup(hostKey('a.example.com')))).toEqual(['alice', 'carol']);
    }
    // An invalidated entry (reconnect/flush) is still served from the held copy.
    cache.invalidateAll();
    expect(usersOf(await cache.lookup(hostKey('a.example.com')))).toEqual(['alice', 'carol']);
    expect(lookups).toContain('error');
    expect(edgeErrors.length).toBeGreaterThan(errorsBefore);

    // Restart Redis (empty): the API repopulates from SQL by itself, the edge resubscribes by itself.
    const repopBefore = repopulations;
    await redis.restart();
    await until(() => repopulations > repopBefore, 10_000);
    await until(() => edgeSub.status === 'ready', 10_000);

    // Invalidations flow again without restarting anything: hold a fresh copy first, so only an
    // invalidation can make the edge see the next change.
    await until(async () => {
      const v = cache.lookup(hostKey('a.example.com'));
      if (v instanceof Promise) await v.catch(() => null);
      return !(cache.lookup(hostKey('a.example.com')) instanceof Promise);
    });
    expect(usersOf(cache.lookup(hostKey('a.example.com')) as CompiledView)).toEqual(['alice', 'carol']);
    const after = domainView('a.example.com', 3, ['dave']);
    sql.set('a', after);
    await until(async () => {
      try {
        await publisher.publish({ upserts: [after], deletes: [] });
        return true;
      } catch {
        return false;
      }
    });
    await until(async () => usersOf(await cache.lookup(hostKey('a.example.com'))).includes('dave'), 2_000);
    await sub.close();
    publisher.close();
  });
});

describe('repopulation racing live publishes (another API node)', () => {
  let redis: RedisProcess;
  let client: RedisConnection;
  beforeAll(async () => {
    redis = await startRedis();
    client = createRedisClient(redis.url, { offlineQueue: false });
    await whenReady(client);
  });
  afterAll(async () => {
    client?.disconnect();
    await redis?.stop();
  });

  it('keeps views created and does not resurrect views deleted after the SQL snapshot', async () => {
    const publisher = createRedisViewPublisher(client);
    const source = createRedisViewSource(client);
    await publisher.repopulate([domainView('old.example.com', 1), domainView('gone.example.com', 1)]);
    const snapshot = [domainView('old.example.com', 1), domainView('gone.example.com', 1)];
    const count = await publisher.repopulate(async () => {
      // While this node reads SQL, another node commits and publishes two changes.
      await publisher.publish({ upserts: [domainView('new.example.com', 7)], deletes: ['gone.example.com'] });
      return snapshot;
    });
    expect(count).toBe(2);
    expect(await source(hostKey('new.example.com'))).toMatchObject({ version: 7 });
    expect(await source(hostKey('gone.example.com'))).toBeNull();
    expect(await source(hostKey('old.example.com'))).toMatchObject({ version: 1 });
    // A later repopulation from a snapshot without old.example.com removes it; a re-created view
    // (published after its delete) is written over the tombstone.
    await publisher.repopulate([domainView('new.example.com', 7)]);
    expect(await source(hostKey('old.example.com'))).toBeNull();
    await publisher.publish({ upserts: [domainView('gone.example.com', 9)], deletes: [] });
    expect(await source(hostKey('gone.example.com'))).toMatchObject({ version: 9 });
    expect((await client.smembers('edge:{v}:index')).sort()).toEqual([hostKey('gone.example.com'), hostKey('new.example.com')]);
  });
});
