// Two edge nodes and an API node sharing one real redis-server, assembled with the factories main
// uses (createApiViews, createEdgeViews, RedisReplayGuard) around real gates: a change through the
// API reaches both edges within a second, and a (nonce, nc) accepted by one edge is refused by
// the other (EDGE_REPLAY=redis).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileAcl } from '../../src/acl/matcher.ts';
import { NonceService } from '../../src/auth/nonce.ts';
import { RedisReplayGuard } from '../../src/auth/replay-redis.ts';
import { MemoryReplayGuard } from '../../src/auth/replay.ts';
import { createGate } from '../../src/gate/gate.ts';
import type { Gate, RequestSource } from '../../src/gate/gate.ts';
import { ownHostMatcher } from '../../src/gate/own-hosts.ts';
import type { CompiledView } from '../../src/gate/view.ts';
import { createApiViews } from '../../src/store/cache/api-views.ts';
import type { ApiViews } from '../../src/store/cache/api-views.ts';
import { createEdgeViews } from '../../src/store/cache/edge-views.ts';
import type { EdgeViews } from '../../src/store/cache/edge-views.ts';
import { createRedisClient, whenReady } from '../../src/store/cache/redis-client.ts';
import type { RedisConnection } from '../../src/store/cache/redis-client.ts';
import { REALM, digest, domain, request, rules } from '../gate/fixtures.ts';
import { startRedis } from './redis-harness.ts';
import type { RedisProcess } from './redis-harness.ts';

const SRC: RequestSource = { address: '203.0.113.7', port: 5060, transport: 'udp' };
const PW = 'Corr3ct-Horse-Battery';
const HOST = 'pbx.two-edges.example.com';

async function until(cond: () => Promise<boolean>, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('two edge nodes sharing Redis', () => {
  let redis: RedisProcess;
  let api: ApiViews;
  const edges: Array<{ views: EdgeViews; gate: Gate; client: RedisConnection }> = [];
  const sql = new Map<string, CompiledView>();
  const secret = 'shared-nonce-secret';
  const errors = [0, 0];
  const lookups: string[] = [];
  let repopulated = 0;

  beforeAll(async () => {
    redis = await startRedis();
    sql.set(HOST, domain(HOST, rules({ users: { alice: PW } })));
    api = createApiViews({ redisUrl: redis.url, loadAll: () => [...sql.values()], onRepopulated: () => repopulated++ });
    await api.ready;
    await until(async () => repopulated > 0, 5_000);
    for (let i = 0; i < 2; i++) {
      const count = () => errors[i]!++;
      const views = createEdgeViews({ redisUrl: redis.url, onError: count, onLookup: (r) => lookups.push(r) });
      const client = createRedisClient(redis.url, { offlineQueue: false, commandTimeoutMs: 500, onError: count });
      await Promise.all([views.ready, whenReady(client)]);
      const gate = createGate(
        { realm: REALM, algorithms: ['MD5'], connectionsHost: null, warningHost: `edge${i}`, isOwnHost: ownHostMatcher([`edge${i}`]) },
        {
          views: views.cache,
          nonces: new NonceService({ secret, realm: REALM, ttlSeconds: 300 }),
          replay: new RedisReplayGuard(client, { fallback: new MemoryReplayGuard({ slots: 1024 }), onError: count }),
          compileAcl,
        },
      );
      edges.push({ views, gate, client });
    }
  });

  afterAll(async () => {
    for (const e of edges) {
      await e.views.close();
      e.client.disconnect();
    }
    await api?.close();
    await redis?.stop();
  });

  function invite(user: string, nonce: string, nc = 1) {
    const uri = `sip:+1555@${HOST}`;
    return request({
      uri,
      extra: [`Proxy-Authorization: ${digest({ username: user, password: PW, nonce, method: 'INVITE', uri: 'sip:198.51.100.1:5060', nc })}`],
    });
  }

  it('replayed (nonce, nc) across edges → 407; API changes reach both edges within a second', async () => {
    const [a, b] = edges as [(typeof edges)[0], (typeof edges)[0]];
    const nonce = new NonceService({ secret, realm: REALM, ttlSeconds: 300 }).mint(SRC.address);
    expect(await a.gate.decide(invite('alice', nonce), SRC, Date.now())).toMatchObject({ outcome: 'accept' });
    expect(await b.gate.decide(invite('alice', nonce), SRC, Date.now())).toMatchObject({ outcome: 'challenge', metricsReason: 'replayed_nonce' });
    expect(await b.gate.decide(invite('alice', nonce, 2), SRC, Date.now())).toMatchObject({ outcome: 'accept' });

    // Remove the user through the "API": next attempt fails on both edges.
    const t0 = Date.now();
    const without = { ...domain(HOST, rules({ users: { bob: PW } })), version: 2 };
    sql.set(HOST, without);
    await api.publish({ upserts: [without], deletes: [] });
    const mint = new NonceService({ secret, realm: REALM, ttlSeconds: 300 });
    for (const e of [a, b]) {
      await until(async () => {
        const d = await e.gate.decide(invite('alice', mint.mint(SRC.address)), SRC, Date.now());
        return d.outcome === 'reject' && d.status === 403;
      }, 1_000);
    }
    expect(Date.now() - t0).toBeLessThan(1_000);

    // Delete the domain: 404 on both.
    sql.delete(HOST);
    await api.publish({ upserts: [], deletes: [HOST] });
    for (const e of [a, b]) {
      await until(async () => {
        const d = await e.gate.decide(invite('bob', mint.mint(SRC.address)), SRC, Date.now());
        return d.outcome === 'reject' && d.status === 404;
      }, 1_000);
    }
    expect(a.views.redisConnected()).toBe(true);
  });

  it('Redis killed while requests flow: cached decisions keep coming, errors counted; after restart changes flow again', async () => {
    const [a, b] = edges as [(typeof edges)[0], (typeof edges)[0]];
    const mint = new NonceService({ secret, realm: REALM, ttlSeconds: 300 });
    const view = { ...domain(HOST, rules({ users: { carol: PW } })), version: 10 };
    sql.set(HOST, view);
    await api.publish({ upserts: [view], deletes: [] });
    for (const e of [a, b]) {
      await until(async () => (await e.gate.decide(invite('carol', mint.mint(SRC.address)), SRC, Date.now())).outcome === 'accept', 1_000);
    }
    const errorsBefore = errors[0]! + errors[1]!;
    await redis.kill();
    for (let i = 0; i < 20; i++) {
      for (const e of [a, b]) {
        expect(await e.gate.decide(invite('carol', mint.mint(SRC.address)), SRC, Date.now())).toMatchObject({ outcome: 'accept' });
      }
    }
    await expect(api.publish({ upserts: [view], deletes: [] })).rejects.toBeTruthy();
    expect(errors[0]! + errors[1]!).toBeGreaterThan(errorsBefore);

    const repopulatedBefore = repopulated;
    await redis.restart();
    await until(async () => repopulated > repopulatedBefore, 10_000);
    await until(async () => a.views.redisConnected() && b.views.redisConnected(), 10_000);
    const changed = { ...domain(HOST, rules({ users: { dave: PW } })), version: 11 };
    sql.set(HOST, changed);
    await until(async () => api.publish({ upserts: [changed], deletes: [] }).then(() => true, () => false), 5_000);
    for (const e of [a, b]) {
      await until(async () => (await e.gate.decide(invite('dave', mint.mint(SRC.address)), SRC, Date.now())).outcome === 'accept', 2_000);
      expect(await e.gate.decide(invite('carol', mint.mint(SRC.address)), SRC, Date.now())).toMatchObject({ outcome: 'reject', status: 403 });
    }
  });
});
