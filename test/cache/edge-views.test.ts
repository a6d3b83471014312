// createEdgeViews without Redis, and with a Redis that no API node has populated yet.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEdgeViews } from '../../src/store/cache/edge-views.ts';
import { ViewUnavailableError } from '../../src/store/cache/view-cache.ts';
import { hostKey } from '../../src/store/cache/keys.ts';
import { startRedis } from './redis-harness.ts';
import type { RedisProcess } from './redis-harness.ts';
import { domainView } from './fixtures.ts';

describe('createEdgeViews', () => {
  it('without Redis: fed by the store, misses go to the local source', async () => {
    const asked: string[] = [];
    const results: string[] = [];
    const edge = createEdgeViews({
      localSource: (key) => (asked.push(key), key === 'host:late.example.com' ? domainView('late.example.com') : null),
      onLookup: (r) => results.push(r),
    });
    await edge.ready;
    edge.cache.apply({ upserts: [domainView('a.example.com')], deletes: [] });
    expect(edge.cache.lookup(hostKey('a.example.com'))).toMatchObject({ host: 'a.example.com' });
    expect(edge.cache.lookup(hostKey('late.example.com'))).toMatchObject({ host: 'late.example.com' });
    expect(edge.cache.lookup(hostKey('none.example.com'))).toBeNull();
    expect(edge.cache.lookup(hostKey('none.example.com'))).toBeNull();
    expect(asked).toEqual(['host:late.example.com', 'host:none.example.com']);
    expect(results).toEqual(['hit', 'miss', 'miss', 'negative']);
    expect(edge.redisConnected()).toBe(true);
    await edge.close();
  });

  describe('with a Redis nobody populated', () => {
    let redis: RedisProcess;
    beforeAll(async () => {
      redis = await startRedis();
    });
    afterAll(async () => {
      await redis?.stop();
    });

    it('reports the view as unavailable (not unknown) and counts the error', async () => {
      const errors: unknown[] = [];
      const edge = createEdgeViews({ redisUrl: redis.url, onError: (e) => errors.push(e) });
      await edge.ready;
      await expect(edge.cache.lookup(hostKey('a.example.com'))).rejects.toBeInstanceOf(ViewUnavailableError);
      expect(errors.length).toBe(1);
      await edge.close();
    });
  });
});
