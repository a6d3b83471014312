// EDGE_WORKERS=2 without Redis: the primary serves the REST API and sends views to two SIP workers
// over IPC; both workers share the SIP port and the nonce secret; /metrics merges the workers;
// SIGTERM stops everything with exit code 0.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAnsweringPbx } from '../helpers/answering-pbx.ts';
import type { AnsweringPbx } from '../helpers/answering-pbx.ts';
import { startEdge } from '../helpers/edge-process.ts';
import type { EdgeProcess } from '../helpers/edge-process.ts';
import { sleep } from '../helpers/net.ts';
import { SipClient, authenticatedInvite } from '../helpers/sip-client.ts';
import { TEST_ACCOUNT_ENV, TwilioApi } from '../helpers/twilio-api.ts';
import { join } from 'node:path';
import { freePort, runSipp, SCENARIOS } from '../proxy/sipp-runner.ts';

const ACCEPTED = 486;
const CLIENTS = 8;

let pbx: AnsweringPbx;
let edge: EdgeProcess;
let api: TwilioApi;

beforeAll(async () => {
  pbx = await startAnsweringPbx(ACCEPTED, 'Busy Here');
  edge = await startEdge({ ...TEST_ACCOUNT_ENV, EDGE_WORKERS: '2' }, 30_000);
  api = new TwilioApi(edge.httpPort);
}, 40_000);

afterAll(async () => {
  await edge?.stop();
  await pbx?.close();
});

describe('two SIP workers fed by the primary', () => {
  it('apply API changes in every worker and authenticate from many sources', async () => {
    const clients = await Promise.all(Array.from({ length: CLIENTS }, (_, i) => SipClient.open(i % 2 === 0 ? 'udp' : 'tcp', edge.port)));
    try {
      // Created after the workers started: reaches them as IPC messages.
      const list = await api.createCredentialList('workers');
      await api.addCredential(list, 'wanda', 'Wanda-Passw0rd-12');
      const domain = await api.createDomain('workers.e2e.test', `sip:127.0.0.1:${pbx.port}`);
      await api.mapCredentials(domain, list);
      await sleep(300);
      const results = await Promise.all(clients.map((c) => authenticatedInvite(c, 'workers.e2e.test', 'wanda', 'Wanda-Passw0rd-12')));
      expect(results.map((r) => r.res?.status)).toEqual(Array.from({ length: CLIENTS }, () => ACCEPTED));
      expect(pbx.invites()).toBe(CLIENTS);
    } finally {
      for (const c of clients) c.close();
    }
  });

  it('serves /metrics merged over the workers', async () => {
    const { text } = await api.text('/metrics');
    const total = text
      .split('\n')
      .filter((l) => l.startsWith('sip_requests_total{method="INVITE"'))
      .reduce((sum, l) => sum + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
    expect(total).toBe(2 * CLIENTS);
    expect(text).toMatch(/^edge_auth_decisions_total\{outcome="accept",reason="digest"\} 8$/m);
  });

  it('completes SIPp calls from many sources with zero failures (responses reach the owning worker)', async () => {
    const pbxPort = await freePort();
    const list = await api.createCredentialList('sipp');
    await api.addCredential(list, 'sipp', 'Sipp-Passw0rd-12');
    const acl = await api.createAcl('lo');
    await api.addAddress(acl, '127.0.0.1');
    const domain = await api.createDomain('sipp-workers.e2e.test', `sip:127.0.0.1:${pbxPort}`);
    await api.mapAcl(domain, acl);
    await api.mapCredentials(domain, list);
    await sleep(300);
    const callers = 4;
    const perCaller = 50;
    const pbxRun = runSipp(['-sf', join(SCENARIOS, 'uas-rr.xml'), '-i', '127.0.0.1', '-p', String(pbxPort), '-m', String(callers * perCaller)], 60_000);
    try {
      await sleep(300);
      const runs = await Promise.all(Array.from({ length: callers }, async () => {
        const port = await freePort();
        return runSipp([
          `127.0.0.1:${edge.port}`, '-sf', join(SCENARIOS, 'uac-auth.xml'), '-i', '127.0.0.1', '-p', String(port),
          '-m', String(perCaller), '-l', '10', '-s', '15550001', '-key', 'domain', 'sipp-workers.e2e.test', '-au', 'sipp', '-ap', 'Sipp-Passw0rd-12',
          '-recv_timeout', '5000',
        ], 60_000).done;
      }));
      for (const run of runs) {
        expect({ ok: run.stats['SuccessfulCall(C)'], failed: run.stats['FailedCall(C)'] }, run.errors).toEqual({ ok: String(perCaller), failed: '0' });
      }
      expect((await pbxRun.done).stats['TotalCallCreated']).toBe(String(callers * perCaller));
    } finally {
      pbxRun.child.kill('SIGKILL');
    }
  }, 60_000);

  it('stops on SIGTERM with exit code 0', async () => {
    expect(await edge.stop(15_000)).toBe(0);
  }, 20_000);
});
