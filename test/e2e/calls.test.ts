// Issue 7 end to end through the running process, everything provisioned through the REST API:
// 1,000 authenticated SIPp calls over UDP and over TCP with zero failures and exactly 1,000 calls at
// the PBX, and an Elastic SIP trunk whose first origination URL answers 503 completing every call on
// the second.

import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEdge } from '../helpers/edge-process.ts';
import type { EdgeProcess } from '../helpers/edge-process.ts';
import { TEST_ACCOUNT_ENV, TwilioApi } from '../helpers/twilio-api.ts';
import { freePort, runSipp, SCENARIOS } from '../proxy/sipp-runner.ts';

const PASSWORD = 'Calls-Passw0rd-34';
const CALLS = 1000;

let edge: EdgeProcess;
let api: TwilioApi;
let credentials: string;
let acl: string;

beforeAll(async () => {
  // One SIPp caller is one source sending ~5 messages per call: the per-source limiter (a flood
  // guard) is raised so that a 1,000-call load from one address is not mistaken for a flood.
  edge = await startEdge({ ...TEST_ACCOUNT_ENV, EDGE_RATE_LIMIT_PPS: '100000', EDGE_RATE_LIMIT_BURST: '100000' });
  api = new TwilioApi(edge.httpPort);
  credentials = await api.createCredentialList('callers');
  await api.addCredential(credentials, 'caller', PASSWORD);
  acl = await api.createAcl('loopback');
  await api.addAddress(acl, '127.0.0.1');
}, 30_000);

afterAll(async () => {
  await edge?.stop();
});

async function call(transport: 'u1' | 't1', domain: string, calls: number, extra: string[] = []) {
  const port = await freePort();
  return runSipp([
    `127.0.0.1:${edge.port}`, '-sf', join(SCENARIOS, 'uac-auth.xml'), '-i', '127.0.0.1', '-p', String(port), '-t', transport,
    '-m', String(calls), '-l', '50', '-r', '400', '-s', '15550002', '-key', 'domain', domain, '-au', 'caller', '-ap', PASSWORD,
    '-recv_timeout', '8000', ...extra,
  ], 80_000).done;
}

describe.each([['udp', 'u1'], ['tcp', 't1']] as const)('1,000 calls through a REST-provisioned domain over %s', (name, mode) => {
  it('completes every call with zero failures and the PBX sees exactly the accepted calls', async () => {
    const pbxPort = await freePort();
    const domain = await api.createDomain(`calls-${name}.e2e.test`, `sip:127.0.0.1:${pbxPort}`);
    await api.mapAcl(domain, acl);
    await api.mapCredentials(domain, credentials);
    const pbx = runSipp(['-sf', join(SCENARIOS, 'uas-rr.xml'), '-i', '127.0.0.1', '-p', String(pbxPort), '-m', String(CALLS)], 85_000);
    try {
      await new Promise((r) => setTimeout(r, 300));
      const result = await call(mode, `calls-${name}.e2e.test`, CALLS);
      expect({ code: result.code, ok: result.stats['SuccessfulCall(C)'], failed: result.stats['FailedCall(C)'] }, result.errors)
        .toEqual({ code: 0, ok: String(CALLS), failed: '0' });
      const pbxResult = await pbx.done;
      expect(pbxResult.stats['TotalCallCreated']).toBe(String(CALLS));
    } finally {
      pbx.child.kill('SIGKILL');
    }
  }, 90_000);
});

describe('Elastic SIP trunk fail-over', () => {
  it('completes on the second origination URL when the first answers 503', async () => {
    const downPort = await freePort();
    const upPort = await freePort();
    const trunk = (await api.post('/v1/Trunks', { FriendlyName: 'failover', DomainName: 'failover.pstn.e2e.test' })).sid as string;
    const origination = (url: string, priority: string) => api.post(`/v1/Trunks/${trunk}/OriginationUrls`, {
      FriendlyName: `pbx-${priority}`, SipUrl: url, Priority: priority, Weight: '10', Enabled: 'true',
    });
    await origination(`sip:127.0.0.1:${downPort}`, '10');
    await origination(`sip:127.0.0.1:${upPort}`, '20');
    await api.post(`/v1/Trunks/${trunk}/CredentialLists`, { CredentialListSid: credentials });
    await api.post(`/v1/Trunks/${trunk}/IpAccessControlLists`, { IpAccessControlListSid: acl });
    const calls = 5;
    const down = runSipp(['-sf', join(SCENARIOS, 'uas-503.xml'), '-i', '127.0.0.1', '-p', String(downPort), '-m', String(calls)], 40_000);
    const up = runSipp(['-sf', join(SCENARIOS, 'uas-rr.xml'), '-i', '127.0.0.1', '-p', String(upPort), '-m', String(calls)], 40_000);
    try {
      await new Promise((r) => setTimeout(r, 300));
      const result = await call('u1', 'failover.pstn.e2e.test', calls, ['-l', '1']);
      expect({ ok: result.stats['SuccessfulCall(C)'], failed: result.stats['FailedCall(C)'] }, result.errors).toEqual({ ok: String(calls), failed: '0' });
      // Every call was tried on the first URL (503) and completed on the second.
      expect((await down.done).stats['TotalCallCreated']).toBe(String(calls));
      expect((await up.done).stats['TotalCallCreated']).toBe(String(calls));
    } finally {
      down.child.kill('SIGKILL');
      up.child.kill('SIGKILL');
    }
  }, 45_000);
});
