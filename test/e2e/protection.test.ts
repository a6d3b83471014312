// Flood and brute-force protection, and graceful shutdown, against the running process: a source
// failing authentication EDGE_BAN_THRESHOLD times is banned (403 "banned", even with the right
// password, or silence with EDGE_BAN_ACTION=drop) until the ban expires while other sources keep
// working; a source over its request rate is dropped and counted, while responses to the edge's
// requests are never dropped by that limit; SIGTERM lets a call in progress finish.

import { randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedis } from '../cache/redis-harness.ts';
import { startAnsweringPbx } from '../helpers/answering-pbx.ts';
import type { AnsweringPbx } from '../helpers/answering-pbx.ts';
import { startEdge } from '../helpers/edge-process.ts';
import type { EdgeProcess } from '../helpers/edge-process.ts';
import { sleep } from '../helpers/net.ts';
import { SipClient, authenticatedInvite } from '../helpers/sip-client.ts';
import { TEST_ACCOUNT_ENV, TwilioApi } from '../helpers/twilio-api.ts';

const ACCEPTED = 486;
const PASSWORD = 'Guess-Passw0rd-12';

let pbx: AnsweringPbx;
const cleanup: Array<() => Promise<unknown>> = [];

async function provision(edge: EdgeProcess, host: string): Promise<void> {
  const api = new TwilioApi(edge.httpPort);
  const list = await api.createCredentialList('guess');
  await api.addCredential(list, 'victim', PASSWORD);
  const domain = await api.createDomain(host, `sip:127.0.0.1:${pbx.port}`);
  await api.mapCredentials(domain, list);
}

async function metric(edge: EdgeProcess, line: RegExp): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${edge.httpPort}/metrics`)).text();
  const found = text.split('\n').find((l) => line.test(l));
  return found === undefined ? 0 : Number(found.slice(found.lastIndexOf(' ') + 1));
}

beforeAll(async () => {
  pbx = await startAnsweringPbx(ACCEPTED, 'Busy Here', 0);
});

afterAll(async () => {
  for (const c of cleanup.reverse()) await c();
  await pbx?.close();
});

describe('bans after repeated auth failures', () => {
  it.each([['403', 403], ['drop', undefined]] as const)('EDGE_BAN_ACTION=%s: banned until expiry, other sources unaffected', async (action, bannedStatus) => {
    const edge = await startEdge({ ...TEST_ACCOUNT_ENV, EDGE_BAN_THRESHOLD: '3', EDGE_BAN_WINDOW_S: '10', EDGE_BAN_DURATION_S: '2', EDGE_BAN_USER_THRESHOLD: '0', EDGE_BAN_ACTION: action });
    cleanup.push(() => edge.stop());
    await provision(edge, 'ban.e2e.test');
    // The attacker comes from 127.0.0.1; the honest caller from 127.0.0.2 (another source key).
    const attacker = await SipClient.open('udp', edge.port);
    const honest = await SipClient.open('tcp', edge.port, '127.0.0.2');
    try {
      for (let i = 0; i < 3; i++) expect((await authenticatedInvite(attacker, 'ban.e2e.test', 'victim', 'Wrong-Passw0rd-99')).res?.status).toBe(403);
      const banned = await attacker.request({ host: 'ban.e2e.test' }, 800);
      expect(banned.res?.status).toBe(bannedStatus);
      if (bannedStatus !== undefined) expect(banned.res?.headers('Warning')[0]).toContain('"banned"');
      expect(await metric(edge, /^edge_bans_active /)).toBe(1);
      expect((await authenticatedInvite(honest, 'ban.e2e.test', 'victim', PASSWORD)).res?.status).toBe(ACCEPTED);
      await sleep(2100);
      expect((await authenticatedInvite(attacker, 'ban.e2e.test', 'victim', PASSWORD)).res?.status).toBe(ACCEPTED);
      expect(await metric(edge, /^edge_bans_active /)).toBe(0);
      expect(await metric(edge, /^edge_auth_decisions_total\{outcome="(reject|drop)",reason="banned"\}/)).toBeGreaterThan(0);
    } finally {
      attacker.close();
      honest.close();
    }
  }, 30_000);
});

describe('bans shared through Redis', () => {
  it('a source banned at one node is banned at the other', async () => {
    const redis = await startRedis(['--maxmemory-policy', 'noeviction']);
    cleanup.push(() => redis.stop());
    const common = { REDIS_URL: redis.url, EDGE_NONCE_SECRET: 'shared-nonce-secret-for-bans-0123', EDGE_BAN_THRESHOLD: '3', EDGE_BAN_USER_THRESHOLD: '0' };
    const first = await startEdge({ ...TEST_ACCOUNT_ENV, ...common });
    cleanup.push(() => first.stop());
    const second = await startEdge({ ...common, EDGE_ROLE: 'edge' });
    cleanup.push(() => second.stop());
    await provision(first, 'shared-ban.e2e.test');
    const atFirst = await SipClient.open('udp', first.port, '127.0.0.3');
    const atSecond = await SipClient.open('udp', second.port, '127.0.0.3');
    try {
      // Known at the second node before the ban: the right password works there.
      expect((await authenticatedInvite(atSecond, 'shared-ban.e2e.test', 'victim', PASSWORD)).res?.status).toBe(ACCEPTED);
      for (let i = 0; i < 3; i++) {
        expect((await authenticatedInvite(atFirst, 'shared-ban.e2e.test', 'victim', 'Wrong-Passw0rd-99')).res?.status).toBe(403);
      }
      // The ban travels over Redis pub/sub: it reaches the other node within a second.
      let banned = await atSecond.request({ host: 'shared-ban.e2e.test' });
      const deadline = Date.now() + 1000;
      while (banned.res?.status !== 403 && Date.now() < deadline) {
        await sleep(50);
        banned = await atSecond.request({ host: 'shared-ban.e2e.test' });
      }
      expect(banned.res?.status).toBe(403);
      expect(banned.res?.headers('Warning')[0]).toContain('"banned"');
    } finally {
      atFirst.close();
      atSecond.close();
    }
  }, 30_000);
});

describe('per-source rate limit', () => {
  it('drops messages beyond the burst and counts them', async () => {
    const edge = await startEdge({ ...TEST_ACCOUNT_ENV, EDGE_RATE_LIMIT_PPS: '1', EDGE_RATE_LIMIT_BURST: '5' });
    cleanup.push(() => edge.stop());
    const client = await SipClient.open('udp', edge.port);
    try {
      const sent = Array.from({ length: 10 }, () => client.build({ host: 'nowhere.e2e.test' }));
      for (const r of sent) client.send(r.text);
      const answers = await Promise.all(sent.map((r) => client.final(r, 1000)));
      expect(answers.filter((a) => a?.status === 404).length).toBe(5);
      expect(await metric(edge, /^sip_requests_total\{method="INVITE",transport="udp"\} /)).toBe(5);
      // The five dropped INVITEs, and the ACKs for the 404s that came over the limit too.
      expect(await metric(edge, /^edge_rate_limited_total /)).toBeGreaterThanOrEqual(5);
    } finally {
      client.close();
    }
  }, 20_000);

  it('does not count responses to the edge\'s requests: a PBX answering with more than the burst still reaches the caller', async () => {
    // Burst 5: the PBX (127.0.0.1) sends eight 180s and a final for the one call; the caller
    // (127.0.0.5) sends four requests. Counting responses would drop the final answer.
    const ringingPbx = await startAnsweringPbx(ACCEPTED, 'Busy Here', 0, 8);
    cleanup.push(() => ringingPbx.close());
    const edge = await startEdge({ ...TEST_ACCOUNT_ENV, EDGE_RATE_LIMIT_PPS: '1', EDGE_RATE_LIMIT_BURST: '5' });
    cleanup.push(() => edge.stop());
    const api = new TwilioApi(edge.httpPort);
    const list = await api.createCredentialList('ringing');
    await api.addCredential(list, 'caller', PASSWORD);
    await api.mapCredentials(await api.createDomain('ringing.e2e.test', `sip:127.0.0.1:${ringingPbx.port}`), list);
    const client = await SipClient.open('udp', edge.port, '127.0.0.5');
    try {
      const call = await authenticatedInvite(client, 'ringing.e2e.test', 'caller', PASSWORD);
      expect(call.res?.status).toBe(ACCEPTED);
      expect(ringingPbx.invites()).toBe(1);
      expect(await metric(edge, /^edge_rate_limited_total /)).toBe(0);
    } finally {
      client.close();
    }
  }, 20_000);

  it('charges responses that a worker would relay to its siblings (branches no worker sent)', async () => {
    const edge = await startEdge({ ...TEST_ACCOUNT_ENV, EDGE_WORKERS: '2', EDGE_RATE_LIMIT_PPS: '1', EDGE_RATE_LIMIT_BURST: '5' }, 30_000);
    cleanup.push(() => edge.stop());
    const socket = createSocket('udp4');
    socket.on('error', () => {});
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
    try {
      for (let i = 0; i < 50; i++) {
        const fake = [
          'SIP/2.0 200 OK', `Via: SIP/2.0/UDP 127.0.0.1:${edge.port};branch=z9hG4bK-forged-${i}`, 'From: <sip:a@example.test>;tag=f',
          'To: <sip:b@example.test>;tag=t', `Call-ID: forged-${i}`, 'CSeq: 1 INVITE', 'Content-Length: 0', '', '',
        ].join('\r\n');
        socket.send(Buffer.from(fake, 'latin1'), edge.port, '127.0.0.1');
      }
      await sleep(500);
      // One source lands on one worker: its burst of 5 is relayed, the rest dropped and counted.
      expect(await metric(edge, /^edge_rate_limited_total /)).toBeGreaterThanOrEqual(44);
    } finally {
      socket.close();
    }
  }, 40_000);
});

describe('garbage flood', () => {
  it('50,000 garbage datagrams from one source do not stop honest calls from another', async () => {
    const edge = await startEdge({ ...TEST_ACCOUNT_ENV });
    cleanup.push(() => edge.stop());
    await provision(edge, 'flood.e2e.test');
    const flooder = createSocket('udp4');
    flooder.on('error', () => {});
    await new Promise<void>((resolve) => flooder.bind(0, '127.0.0.1', () => resolve()));
    const honest = await SipClient.open('udp', edge.port, '127.0.0.4');
    // The flood can fill the edge's socket buffer, where the kernel drops datagrams before the
    // edge sees them (the honest ones too): the honest caller retransmits, as a real UA does.
    honest.retransmitMs = 500;
    let sent = 0;
    let flooding = true;
    const flood = (async () => {
      while (flooding && sent < 50_000) {
        for (let i = 0; i < 500; i++) flooder.send(randomBytes(200 + (i % 800)), edge.port, '127.0.0.1');
        sent += 500;
        await new Promise((r) => setImmediate(r));
      }
    })();
    try {
      const statuses: Array<number | undefined> = [];
      for (let i = 0; i < 10; i++) statuses.push((await authenticatedInvite(honest, 'flood.e2e.test', 'victim', PASSWORD)).res?.status);
      await flood;
      expect(sent).toBe(50_000);
      expect(statuses).toEqual(Array.from({ length: 10 }, () => ACCEPTED));
      expect((await authenticatedInvite(honest, 'flood.e2e.test', 'victim', PASSWORD)).res?.status).toBe(ACCEPTED);
      expect(edge.alive()).toBe(true);
    } finally {
      flooding = false;
      flooder.close();
      honest.close();
    }
  }, 30_000);
});

describe('graceful shutdown', () => {
  it('lets a call in progress complete after SIGTERM and exits 0', async () => {
    const slowPbx = await startAnsweringPbx(ACCEPTED, 'Busy Here', 1500);
    cleanup.push(() => slowPbx.close());
    const edge = await startEdge({ ...TEST_ACCOUNT_ENV, EDGE_SHUTDOWN_GRACE_S: '5' });
    const api = new TwilioApi(edge.httpPort);
    const acl = await api.createAcl('lo');
    await api.addAddress(acl, '127.0.0.1');
    const domain = await api.createDomain('drain.e2e.test', `sip:127.0.0.1:${slowPbx.port}`);
    await api.mapAcl(domain, acl);
    const client = await SipClient.open('tcp', edge.port);
    try {
      const req = client.build({ host: 'drain.e2e.test' });
      client.send(req.text);
      await sleep(300);
      expect(slowPbx.invites()).toBe(1);
      const started = Date.now();
      const exited = edge.stop(10_000);
      await sleep(100);
      // A new call while draining is turned away; the call in progress completes.
      const late = await client.request({ host: 'drain.e2e.test' }, 1000);
      expect(late.res?.status).toBe(503);
      expect(late.res?.headers('Retry-After')).toEqual(['5']);
      const res = await client.final(req, 4000);
      expect(res?.status).toBe(ACCEPTED);
      expect(slowPbx.invites()).toBe(1);
      expect(await exited).toBe(0);
      expect(Date.now() - started).toBeLessThan(8000);
    } finally {
      client.close();
    }
  }, 30_000);
});
