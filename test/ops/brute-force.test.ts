// Issue 8, second acceptance line, with real SIPp against the running edge: a password guesser from
// one source is banned after EDGE_BAN_THRESHOLD failures (and costs no more hashing), guessing one
// username from many sources bans the username, both bans expire on time and the banned source and
// username authenticate again; honest SIPp traffic from other loopback sources completes with zero
// failures throughout. Then 50,000 garbage datagrams (random bytes and mutated SIP) from one source,
// do not fail one honest call (with the shipped per-source rate limit in front of the parser).

import { randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEdge } from '../helpers/edge-process.ts';
import type { EdgeProcess } from '../helpers/edge-process.ts';
import { sleep } from '../helpers/net.ts';
import { seededRandom } from '../helpers/prng.ts';
import { recordCredential } from '../helpers/secrets.ts';
import { TEST_ACCOUNT_ENV, TwilioApi } from '../helpers/twilio-api.ts';
import { freePort, runSipp, SCENARIOS } from '../proxy/sipp-runner.ts';
import type { SippRun } from '../proxy/sipp-runner.ts';
import { scrape, total } from './exposition.ts';

const DOMAIN = 'guess.ops.test';
const USERS = { honest: 'Ops-Honest-Passw0rd-61', victim: 'Ops-Victim-Passw0rd-62', target: 'Ops-Target-Passw0rd-63' };
const WRONG = 'Ops-Guess-Passw0rd-00';
// The source threshold is below the username one, so one source's guesses ban the source first.
const BAN_THRESHOLD = 4;
const USER_THRESHOLD = 6;
const BAN_S = 3;

const started: SippRun[] = [];
const edges: EdgeProcess[] = [];

async function startPbx(): Promise<{ port: number; run: SippRun }> {
  const port = await freePort();
  const run = runSipp(['-sf', join(SCENARIOS, 'uas-rr.xml'), '-i', '127.0.0.1', '-p', String(port)], 80_000);
  started.push(run);
  await sleep(300);
  return { port, run };
}

async function provision(edge: EdgeProcess, pbxPort: number): Promise<void> {
  const api = new TwilioApi(edge.httpPort);
  const list = await api.createCredentialList('ops-guess');
  for (const [user, password] of Object.entries(USERS)) {
    recordCredential(user, password);
    await api.addCredential(list, user, password);
  }
  recordCredential('victim', WRONG);
  const domain = await api.createDomain(DOMAIN, `sip:127.0.0.1:${pbxPort}`);
  await api.mapCredentials(domain, list);
}

interface CallerOptions {
  source: string;
  user: string;
  password: string;
  calls: number;
  rate?: number;
}

/** A SIPp UAC with [authentication] from `source`; resolves to its successful and failed counts. */
async function caller(edge: EdgeProcess, o: CallerOptions): Promise<{ ok: number; failed: number; code: number | null }> {
  const port = await freePort();
  const run = runSipp([
    `127.0.0.1:${edge.port}`, '-sf', join(SCENARIOS, 'uac-auth.xml'), '-i', o.source, '-p', String(port), '-t', 'u1',
    '-m', String(o.calls), '-l', '10', '-r', String(o.rate ?? 20), '-s', '15550001', '-key', 'domain', DOMAIN,
    '-au', o.user, '-ap', o.password, '-recv_timeout', '3000', '-timeout', '60',
  ], 70_000);
  started.push(run);
  const r = await run.done;
  return { ok: Number(r.stats['SuccessfulCall(C)'] ?? 'NaN'), failed: Number(r.stats['FailedCall(C)'] ?? 'NaN'), code: r.code };
}

async function metric(edge: EdgeProcess, name: string, labels: Record<string, string> = {}): Promise<number> {
  return total((await scrape(edge.httpPort)).series, name, labels);
}

afterAll(async () => {
  for (const run of started) run.child.kill('SIGKILL');
  for (const edge of edges) await edge.stop();
});

describe('password guessing with SIPp', () => {
  let edge: EdgeProcess;
  beforeAll(async () => {
    const pbx = await startPbx();
    edge = await startEdge({
      ...TEST_ACCOUNT_ENV, EDGE_BAN_THRESHOLD: String(BAN_THRESHOLD), EDGE_BAN_USER_THRESHOLD: String(USER_THRESHOLD),
      EDGE_BAN_WINDOW_S: '20', EDGE_BAN_DURATION_S: String(BAN_S),
    });
    edges.push(edge);
    await provision(edge, pbx.port);
  }, 30_000);

  it('bans the source, then the username, lets both expire on time, and never fails an honest call', async () => {
    // Honest caller from 127.0.0.2 for the whole run (about 16 s at 10 calls/s).
    const honest = caller(edge, { source: '127.0.0.2', user: 'honest', password: USERS.honest, calls: 160, rate: 10 });
    await sleep(500);

    // One source guessing: BAN_THRESHOLD failures are hashed, then the source is refused unhashed.
    const failedBefore = await metric(edge, 'edge_auth_decisions_total', { reason: 'auth_failed' });
    const guesses = await caller(edge, { source: '127.0.0.1', user: 'victim', password: WRONG, calls: 12 });
    expect(guesses).toMatchObject({ ok: 0, failed: 12 });
    const sourceBannedAt = Date.now();
    expect(await metric(edge, 'edge_auth_decisions_total', { reason: 'auth_failed' }) - failedBefore).toBe(BAN_THRESHOLD);
    expect(await metric(edge, 'edge_auth_decisions_total', { reason: 'banned' })).toBeGreaterThanOrEqual(12 - BAN_THRESHOLD);
    expect(await metric(edge, 'edge_bans_active')).toBe(1);
    // Banned means banned: the right password from that source fails too.
    expect(await caller(edge, { source: '127.0.0.1', user: 'victim', password: USERS.victim, calls: 1 })).toMatchObject({ ok: 0, failed: 1 });

    // One username guessed from many sources, each below the source threshold: the username is banned.
    for (let i = 0; i < USER_THRESHOLD; i++) {
      expect(await caller(edge, { source: `127.0.0.${10 + i}`, user: 'target', password: WRONG, calls: 1 })).toMatchObject({ ok: 0, failed: 1 });
    }
    const userBannedAt = Date.now();
    expect(await metric(edge, 'edge_bans_active')).toBe(2);
    // From a fresh source the right password for that username is refused; other users pass there.
    expect(await caller(edge, { source: '127.0.0.20', user: 'target', password: USERS.target, calls: 1 })).toMatchObject({ ok: 0, failed: 1 });
    expect(await caller(edge, { source: '127.0.0.20', user: 'victim', password: USERS.victim, calls: 2 })).toMatchObject({ ok: 2, failed: 0 });

    // Expiry on time: each ban lasts BAN_S seconds (not much less, not much more).
    const waitUntil = async (t: number) => sleep(Math.max(0, t - Date.now()));
    await waitUntil(sourceBannedAt + BAN_S * 1000 - 1200);
    if (Date.now() < userBannedAt + BAN_S * 1000 - 500) expect(await metric(edge, 'edge_bans_active')).toBeGreaterThanOrEqual(1);
    await waitUntil(userBannedAt + BAN_S * 1000 + 300);
    let active = await metric(edge, 'edge_bans_active');
    for (let i = 0; i < 10 && active !== 0; i++) {
      await sleep(100);
      active = await metric(edge, 'edge_bans_active');
    }
    expect(active).toBe(0);
    expect(Date.now() - userBannedAt).toBeLessThan(BAN_S * 1000 + 2500);

    // The formerly banned source and username authenticate again.
    expect(await caller(edge, { source: '127.0.0.1', user: 'victim', password: USERS.victim, calls: 3 })).toMatchObject({ ok: 3, failed: 0 });
    expect(await caller(edge, { source: '127.0.0.21', user: 'target', password: USERS.target, calls: 3 })).toMatchObject({ ok: 3, failed: 0 });

    expect(await honest).toEqual({ ok: 160, failed: 0, code: 0 });
  }, 80_000);
});

/** A valid-looking INVITE with a few bytes overwritten, cut short, or a header line repeated. */
function mutatedSip(random: () => number, port: number, n: number): Buffer {
  const text =
    `INVITE sip:15550001@${DOMAIN} SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.50:${port};branch=z9hG4bK-flood${n};rport\r\n` +
    `From: <sip:flood@127.0.0.50>;tag=f${n}\r\nTo: <sip:15550001@${DOMAIN}>\r\nCall-ID: flood-${n}@127.0.0.50\r\n` +
    `CSeq: ${n} INVITE\r\nMax-Forwards: 70\r\nContact: <sip:flood@127.0.0.50:${port}>\r\nContent-Length: 0\r\n\r\n`;
  const bytes = Buffer.from(text, 'latin1');
  const kind = Math.floor(random() * 3);
  if (kind === 0) {
    for (let i = 0; i < 1 + Math.floor(random() * 8); i++) bytes[Math.floor(random() * bytes.length)] = Math.floor(random() * 256);
    return bytes;
  }
  if (kind === 1) return bytes.subarray(0, Math.floor(random() * bytes.length));
  const line = text.split('\r\n')[1 + Math.floor(random() * 7)]!;
  return Buffer.concat([bytes.subarray(0, bytes.length - 2), Buffer.from(`${line}\r\n`.repeat(1 + Math.floor(random() * 50)) + '\r\n', 'latin1')]);
}

describe('garbage flood', () => {
  it('50,000 random and mutated datagrams from one source fail no honest SIPp call from another (default rate limit)', async () => {
    const pbx = await startPbx();
    const edge = await startEdge({ ...TEST_ACCOUNT_ENV });
    edges.push(edge);
    await provision(edge, pbx.port);
    const flooder = createSocket('udp4');
    flooder.on('error', () => {});
    await new Promise<void>((resolve) => flooder.bind(0, '127.0.0.50', () => resolve()));
    const floodPort = flooder.address().port;
    const random = seededRandom(0x5eed8);
    const requestsBefore = await metric(edge, 'sip_requests_total');
    const limitedBefore = await metric(edge, 'edge_rate_limited_total');
    try {
      const honest = caller(edge, { source: '127.0.0.3', user: 'honest', password: USERS.honest, calls: 60, rate: 20 });
      await sleep(300);
      // 50 bursts of 1,000 every 50 ms, so the flood spans the honest run.
      let sent = 0;
      for (let burst = 0; burst < 50; burst++) {
        for (let i = 0; i < 1000; i++, sent++) {
          const datagram = sent % 2 === 0 ? randomBytes(1 + Math.floor(random() * 1400)) : mutatedSip(random, floodPort, sent);
          flooder.send(datagram, edge.port, '127.0.0.1');
        }
        await sleep(50);
      }
      expect(sent).toBe(50_000);
      expect(await honest).toEqual({ ok: 60, failed: 0, code: 0 });
      // The flood did reach the edge: most of it dropped by the per-source limiter before parsing,
      // the rest parsed (mutated INVITEs that still parse count as requests).
      expect(await metric(edge, 'edge_rate_limited_total') - limitedBefore).toBeGreaterThan(10_000);
      expect(await metric(edge, 'sip_requests_total') - requestsBefore).toBeGreaterThan(300);
      expect(edge.alive()).toBe(true);
      expect(await caller(edge, { source: '127.0.0.3', user: 'honest', password: USERS.honest, calls: 5 })).toMatchObject({ ok: 5, failed: 0 });
    } finally {
      flooder.close();
    }
  }, 60_000);
});
