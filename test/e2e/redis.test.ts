// Scale-out through Redis with real processes: one API node (EDGE_ROLE=api) and two SIP edges
// (EDGE_ROLE=edge) sharing one redis-server, one nonce secret and EDGE_REPLAY=redis. A (nonce, nc)
// used at one edge is refused at the other; API changes reach an edge within a second; with Redis
// killed the edges keep deciding for what they hold and count the errors, and once Redis is back
// invalidations flow again without restarting anything.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedis } from '../cache/redis-harness.ts';
import type { RedisProcess } from '../cache/redis-harness.ts';
import { startAnsweringPbx } from '../helpers/answering-pbx.ts';
import type { AnsweringPbx } from '../helpers/answering-pbx.ts';
import { startEdge } from '../helpers/edge-process.ts';
import type { EdgeProcess } from '../helpers/edge-process.ts';
import { sleep } from '../helpers/net.ts';
import { statusWithin } from '../helpers/status-within.ts';
import { SipClient, authenticatedInvite, challenges } from '../helpers/sip-client.ts';
import { TEST_ACCOUNT_ENV, TwilioApi } from '../helpers/twilio-api.ts';

const ACCEPTED = 486;
const ALICE = { user: 'alice', password: 'Alice-Passw0rd-12' };
const SECRET = 'shared-nonce-secret-for-e2e-0123';

let redis: RedisProcess;
let pbx: AnsweringPbx;
let apiNode: EdgeProcess;
let edgeA: EdgeProcess;
let edgeB: EdgeProcess;
let api: TwilioApi;
let listSid: string;
let aclSid: string;

async function metric(edge: EdgeProcess, name: string): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${edge.httpPort}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(name + ' '));
  return line === undefined ? 0 : Number(line.slice(name.length + 1));
}

beforeAll(async () => {
  redis = await startRedis(['--maxmemory-policy', 'noeviction']);
  pbx = await startAnsweringPbx(ACCEPTED, 'Busy Here');
  const common = { REDIS_URL: redis.url, EDGE_REPLAY: 'redis', EDGE_NONCE_SECRET: SECRET };
  apiNode = await startEdge({ ...TEST_ACCOUNT_ENV, ...common, EDGE_ROLE: 'api' });
  [edgeA, edgeB] = await Promise.all([startEdge({ ...common, EDGE_ROLE: 'edge' }), startEdge({ ...common, EDGE_ROLE: 'edge' })]);
  api = new TwilioApi(apiNode.httpPort);
  const pbxUri = `sip:127.0.0.1:${pbx.port}`;
  listSid = await api.createCredentialList('alice');
  await api.addCredential(listSid, ALICE.user, ALICE.password);
  const authDomain = await api.createDomain('auth.redis.test', pbxUri);
  await api.mapCredentials(authDomain, listSid);
  aclSid = await api.createAcl('later');
  await api.addAddress(aclSid, '192.0.2.1');
  const aclDomain = await api.createDomain('acl.redis.test', pbxUri);
  await api.mapAcl(aclDomain, aclSid);
}, 40_000);

afterAll(async () => {
  await Promise.all([edgeA?.stop(), edgeB?.stop(), apiNode?.stop()]);
  await pbx?.close();
  await redis?.stop();
});

describe('two edges sharing Redis', () => {
  it('refuses at one edge a (nonce, nc) already used at the other', async () => {
    const a = await SipClient.open('udp', edgeA.port);
    const b = await SipClient.open('tcp', edgeB.port);
    try {
      const first = await authenticatedInvite(a, 'auth.redis.test', ALICE.user, ALICE.password);
      expect(first.res?.status).toBe(ACCEPTED);
      const before = pbx.invites();
      const { res } = await b.request({ host: 'auth.redis.test', extraHeaders: [`Proxy-Authorization: ${first.authorization}`] });
      expect(res?.status).toBe(407);
      expect(pbx.invites()).toBe(before);
      // The other edge accepts credentials for its own fresh challenge (same secret, same views).
      expect((await authenticatedInvite(b, 'auth.redis.test', ALICE.user, ALICE.password)).res?.status).toBe(ACCEPTED);
    } finally {
      a.close();
      b.close();
    }
  });

  it('sees API changes within a second: a removed user fails, an added address passes', async () => {
    const b = await SipClient.open('udp', edgeB.port);
    try {
      const bob = await api.addCredential(listSid, 'bob', 'Bob-Passw0rd-123');
      const asBob = async (): Promise<number | undefined> => (await authenticatedInvite(b, 'auth.redis.test', 'bob', 'Bob-Passw0rd-123')).res?.status;
      expect(await statusWithin(1000, ACCEPTED, asBob)).toBe(ACCEPTED);
      await api.removeCredential(listSid, bob);
      let changedAt = Date.now();
      expect(await statusWithin(1000, 403, asBob)).toBe(403);
      expect(Date.now() - changedAt).toBeLessThan(1000);

      const plain = async (): Promise<number | undefined> => (await b.request({ host: 'acl.redis.test' })).res?.status;
      expect(await plain()).toBe(403);
      const address = await api.addAddress(aclSid, '127.0.0.1');
      changedAt = Date.now();
      expect(await statusWithin(1000, ACCEPTED, plain)).toBe(ACCEPTED);
      expect(Date.now() - changedAt).toBeLessThan(1000);
      await api.remove(api.sip(`IpAccessControlLists/${aclSid}/IpAddresses/${address}.json`));
      expect(await statusWithin(1000, 403, plain)).toBe(403);
    } finally {
      b.close();
    }
  });

  it('keeps deciding with Redis killed, counts the errors, and takes invalidations again once Redis is back', async () => {
    const a = await SipClient.open('udp', edgeA.port);
    try {
      // Cached at the edge: a challenge for the credentials domain, a 403 for the ACL domain.
      expect((await a.request({ host: 'auth.redis.test' })).res?.status).toBe(407);
      expect((await a.request({ host: 'acl.redis.test' })).res?.status).toBe(403);
      const errorsBefore = await metric(edgeA, 'edge_store_errors_total');

      await redis.kill();
      const statuses: Array<number | undefined> = [];
      for (let i = 0; i < 10; i++) {
        statuses.push((await a.request({ host: 'auth.redis.test' })).res?.status);
        statuses.push((await a.request({ host: 'acl.redis.test' })).res?.status);
        const auth = await authenticatedInvite(a, 'auth.redis.test', ALICE.user, ALICE.password);
        statuses.push(auth.res?.status);
        await sleep(100);
      }
      expect(statuses).toEqual(Array.from({ length: 10 }, () => [407, 403, ACCEPTED]).flat());
      expect(await metric(edgeA, 'edge_store_errors_total')).toBeGreaterThan(errorsBefore);
      // The API refuses writes it cannot publish.
      const refused = await api.request('POST', api.sip(`IpAccessControlLists/${aclSid}/IpAddresses.json`), { FriendlyName: 'x', IpAddress: '127.0.0.1' });
      expect(refused.status).toBe(503);

      await redis.restart();
      // Both sides reconnect by themselves; the API node repopulates Redis from SQL.
      const back = await statusWithin(10_000, 200, async () => {
        const r = await fetch(`http://127.0.0.1:${edgeA.httpPort}/readyz`);
        const body = (await r.json()) as { store: string };
        return body.store === 'reachable' ? 200 : 0;
      });
      expect(back).toBe(200);
      const added = await statusWithin(10_000, 201, async () =>
        (await api.request('POST', api.sip(`IpAccessControlLists/${aclSid}/IpAddresses.json`), { FriendlyName: 'lo', IpAddress: '127.0.0.1' })).status);
      expect(added).toBe(201);
      const changedAt = Date.now();
      expect(await statusWithin(1000, ACCEPTED, async () => (await a.request({ host: 'acl.redis.test' })).res?.status)).toBe(ACCEPTED);
      expect(Date.now() - changedAt).toBeLessThan(1000);
      expect(challenges((await a.request({ host: 'auth.redis.test' })).res!).length).toBe(1);
    } finally {
      a.close();
    }
  }, 60_000);
});
