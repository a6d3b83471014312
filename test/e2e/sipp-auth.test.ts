// Right credentials with real SIPp ([authentication]) against the running process, over UDP and
// over TCP: the domain, user and ACL are provisioned through the REST API; calls complete through
// the edge to a SIPp UAS as the PBX, and callers with a wrong password never reach the PBX.

import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEdge } from '../helpers/edge-process.ts';
import type { EdgeProcess } from '../helpers/edge-process.ts';
import { TEST_ACCOUNT_ENV, TwilioApi } from '../helpers/twilio-api.ts';
import { freePort, runSipp, SCENARIOS } from '../proxy/sipp-runner.ts';

const PASSWORD = 'Sipp-Passw0rd-12';
const CALLS = 20;

let edge: EdgeProcess;
let pbxPort: number;

beforeAll(async () => {
  pbxPort = await freePort();
  edge = await startEdge({ ...TEST_ACCOUNT_ENV });
  const api = new TwilioApi(edge.httpPort);
  const list = await api.createCredentialList('sipp');
  await api.addCredential(list, 'sipp', PASSWORD);
  const acl = await api.createAcl('loopback');
  await api.addAddress(acl, '127.0.0.1');
  const domain = await api.createDomain('sipp.e2e.test', `sip:127.0.0.1:${pbxPort}`);
  await api.mapAcl(domain, acl);
  await api.mapCredentials(domain, list);
}, 30_000);

afterAll(async () => {
  await edge?.stop();
});

describe.each([['udp', 'u1'], ['tcp', 't1']])('SIPp with [authentication] over %s', (_name, mode) => {
  it('completes every call with the right password and none with a wrong one', async () => {
    const pbx = runSipp(['-sf', join(SCENARIOS, 'uas-rr.xml'), '-i', '127.0.0.1', '-p', String(pbxPort), '-m', String(CALLS)], 60_000);
    try {
      await new Promise((r) => setTimeout(r, 300));
      const caller = async (password: string, calls: number) => {
        const port = await freePort();
        return runSipp([
          `127.0.0.1:${edge.port}`, '-sf', join(SCENARIOS, 'uac-auth.xml'), '-i', '127.0.0.1', '-p', String(port), '-t', mode,
          '-m', String(calls), '-l', '5', '-s', '15550001', '-key', 'domain', 'sipp.e2e.test', '-au', 'sipp', '-ap', password,
          '-recv_timeout', '4000',
        ], 60_000).done;
      };
      const bad = await caller('Wrong-Passw0rd-99', 3);
      expect(bad.stats['SuccessfulCall(C)']).toBe('0');
      expect(bad.stats['FailedCall(C)']).toBe('3');
      const good = await caller(PASSWORD, CALLS);
      expect({ code: good.code, ok: good.stats['SuccessfulCall(C)'], failed: good.stats['FailedCall(C)'] })
        .toEqual({ code: 0, ok: String(CALLS), failed: '0' });
      const pbxResult = await pbx.done;
      // Only the accepted calls reached the PBX.
      expect(pbxResult.stats['TotalCallCreated']).toBe(String(CALLS));
    } finally {
      pbx.child.kill('SIGKILL');
    }
  }, 60_000);
});

describe('SIGTERM during a SIPp run', () => {
  it('lets established calls finish (BYE through the edge) and exits 0', async () => {
    const pbxPort2 = await freePort();
    const draining = await startEdge({ ...TEST_ACCOUNT_ENV, EDGE_SHUTDOWN_GRACE_S: '8' });
    const api = new TwilioApi(draining.httpPort);
    const list = await api.createCredentialList('sipp');
    await api.addCredential(list, 'sipp', PASSWORD);
    const domain = await api.createDomain('drain.sipp.e2e.test', `sip:127.0.0.1:${pbxPort2}`);
    await api.mapCredentials(domain, list);
    const pbx = runSipp(['-sf', join(SCENARIOS, 'uas-rr.xml'), '-i', '127.0.0.1', '-p', String(pbxPort2), '-m', '5'], 30_000);
    try {
      await new Promise((r) => setTimeout(r, 300));
      const port = await freePort();
      const calls = runSipp([
        `127.0.0.1:${draining.port}`, '-sf', join(import.meta.dirname, 'scenarios', 'uac-auth-hold.xml'), '-i', '127.0.0.1', '-p', String(port),
        '-m', '5', '-l', '5', '-r', '20', '-s', '15550001', '-key', 'domain', 'drain.sipp.e2e.test', '-au', 'sipp', '-ap', PASSWORD,
        '-recv_timeout', '5000',
      ], 30_000).done;
      // All five calls are set up within ~0.3 s and then held for 1.5 s.
      await new Promise((r) => setTimeout(r, 800));
      const metrics = await (await fetch(`http://127.0.0.1:${draining.httpPort}/metrics`)).text();
      expect(metrics).toMatch(/^edge_active_calls [1-5]$/m);
      const stoppedAt = Date.now();
      const exit = draining.stop(12_000);
      const result = await calls;
      expect({ ok: result.stats['SuccessfulCall(C)'], failed: result.stats['FailedCall(C)'] }).toEqual({ ok: '5', failed: '0' });
      expect(await exit).toBe(0);
      // Well within the 8 s grace: the drain ends when the held calls end (~1 s after SIGTERM);
      // transactions that only linger on their RFC 3261 timers do not hold it.
      expect(Date.now() - stoppedAt).toBeLessThan(5000);
    } finally {
      pbx.child.kill('SIGKILL');
      await draining.stop();
    }
  }, 40_000);
});
