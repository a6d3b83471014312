// Issue 8, first acceptance line: /metrics scraped during a real SIPp run through the running edge
// (REST-provisioned domain with an ACL and a credential list, SIPp UAC with [authentication] holding
// each call, SIPp UAS as the PBX) shows every SPEC §7 metric moving as it should, and
// `promtool check metrics` accepts the live exposition.

import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEdge } from '../helpers/edge-process.ts';
import type { EdgeProcess } from '../helpers/edge-process.ts';
import { sleep } from '../helpers/net.ts';
import { recordCredential } from '../helpers/secrets.ts';
import { TEST_ACCOUNT_ENV, TwilioApi } from '../helpers/twilio-api.ts';
import { freePort, runSipp, SCENARIOS } from '../proxy/sipp-runner.ts';
import { present, scrape, total } from './exposition.ts';
import type { Scrape } from './exposition.ts';

const PASSWORD = 'Ops-Metrics-Passw0rd-23';
const CALLS = 20;
const HOLD_SCENARIO = join(import.meta.dirname, '..', 'e2e', 'scenarios', 'uac-auth-hold.xml');

let edge: EdgeProcess;
let pbxPort: number;

beforeAll(async () => {
  pbxPort = await freePort();
  edge = await startEdge({ ...TEST_ACCOUNT_ENV });
  recordCredential('metrics', PASSWORD);
  const api = new TwilioApi(edge.httpPort);
  const list = await api.createCredentialList('ops-metrics');
  await api.addCredential(list, 'metrics', PASSWORD);
  const acl = await api.createAcl('ops-loopback');
  await api.addAddress(acl, '127.0.0.1');
  const domain = await api.createDomain('metrics.ops.test', `sip:127.0.0.1:${pbxPort}`);
  await api.mapAcl(domain, acl);
  await api.mapCredentials(domain, list);
}, 30_000);

afterAll(async () => {
  await edge?.stop();
});

function promtoolCheck(exposition: string): { status: number | null; output: string } {
  const r = spawnSync('/usr/bin/promtool', ['check', 'metrics'], { input: exposition, encoding: 'utf8' });
  if (r.error) throw r.error;
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

describe('/metrics during a SIPp run', () => {
  it('moves every SPEC §7 metric as expected and passes promtool check metrics', async () => {
    const before = await scrape(edge.httpPort);
    expect(total(before.series, 'edge_active_calls')).toBe(0);

    const pbx = runSipp(['-sf', join(SCENARIOS, 'uas-rr.xml'), '-i', '127.0.0.1', '-p', String(pbxPort), '-m', String(CALLS)], 60_000);
    const during: Scrape[] = [];
    try {
      await sleep(300);
      const uacPort = await freePort();
      const uac = runSipp([
        `127.0.0.1:${edge.port}`, '-sf', HOLD_SCENARIO, '-i', '127.0.0.1', '-p', String(uacPort), '-t', 'u1',
        '-m', String(CALLS), '-l', '10', '-r', '10', '-s', '15550001', '-key', 'domain', 'metrics.ops.test',
        '-au', 'metrics', '-ap', PASSWORD, '-recv_timeout', '5000',
      ], 60_000);
      let finished = false;
      const done = uac.done.then((r) => {
        finished = true;
        return r;
      });
      // Scrape several times while calls are set up and held (each held 1.5 s; 10 calls/s).
      while (!finished && during.length < 20) {
        await sleep(400);
        if (!finished) during.push(await scrape(edge.httpPort));
      }
      const result = await done;
      expect({ code: result.code, ok: result.stats['SuccessfulCall(C)'], failed: result.stats['FailedCall(C)'] }, result.errors)
        .toEqual({ code: 0, ok: String(CALLS), failed: '0' });
      expect((await pbx.done).stats['TotalCallCreated']).toBe(String(CALLS));
    } finally {
      pbx.child.kill('SIGKILL');
    }
    expect(during.length).toBeGreaterThanOrEqual(3);

    // Active calls: above zero while calls are held, back to zero once every BYE went through.
    expect(Math.max(...during.map((s) => total(s.series, 'edge_active_calls')))).toBeGreaterThan(0);
    let after = await scrape(edge.httpPort);
    for (let i = 0; i < 20 && total(after.series, 'edge_active_calls') !== 0; i++) {
      await sleep(100);
      after = await scrape(edge.httpPort);
    }
    expect(total(after.series, 'edge_active_calls')).toBe(0);

    // Counters grow monotonically across the scrapes taken during the run, and by the run's size overall.
    const counters: Array<[string, Record<string, string>, number]> = [
      ['sip_requests_total', { method: 'INVITE', transport: 'udp' }, 2 * CALLS],
      ['sip_requests_total', { method: 'BYE', transport: 'udp' }, CALLS],
      ['sip_responses_total', { code: '407' }, CALLS],
      ['sip_responses_total', { code: '200' }, 2 * CALLS],
      ['edge_auth_decisions_total', { outcome: 'accept' }, CALLS],
      ['edge_auth_decisions_total', { outcome: 'challenge' }, CALLS],
      ['edge_auth_duration_seconds_count', {}, 2 * CALLS],
      ['edge_cache_lookups_total', { result: 'hit' }, 1],
    ];
    const scrapes = [before, ...during, after];
    for (const [name, labels, atLeast] of counters) {
      const values = scrapes.map((s) => total(s.series, name, labels));
      for (let i = 1; i < values.length; i++) expect(values[i], `${name} ${JSON.stringify(labels)} never decreases`).toBeGreaterThanOrEqual(values[i - 1]!);
      expect(values[values.length - 1]! - values[0]!, `${name} ${JSON.stringify(labels)} grew`).toBeGreaterThanOrEqual(atLeast);
    }
    // Histogram buckets are cumulative and end at the count.
    expect(total(after.series, 'edge_auth_duration_seconds_bucket', { le: '+Inf' })).toBe(total(after.series, 'edge_auth_duration_seconds_count'));

    // Present, and quiet on an honest run.
    for (const name of ['edge_bans_active', 'edge_replays_rejected_total', 'edge_store_errors_total']) {
      expect(present(after.series, name), name).toBe(true);
    }
    expect(total(after.series, 'edge_bans_active')).toBe(0);
    expect(total(after.series, 'edge_store_errors_total')).toBe(0);
    expect(total(after.series, 'edge_auth_decisions_total', { outcome: 'reject' })).toBe(0);
    // Default process metrics beside ours; no per-user, per-IP or per-domain label.
    expect(present(after.series, 'process_cpu_seconds_total')).toBe(true);
    for (const needle of ['metrics.ops.test', '127.0.0.1', 'metrics"']) expect(after.text).not.toContain(needle);

    // promtool accepts the exposition taken mid-run and after it.
    for (const s of [during[Math.floor(during.length / 2)]!, after]) {
      const check = promtoolCheck(s.text);
      expect(check.output).toBe('');
      expect(check.status).toBe(0);
    }
  }, 80_000);
});
