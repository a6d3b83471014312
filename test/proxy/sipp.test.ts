// SIPp through the proxy core on the real transport: bench/sipp scenarios (UAC with digest, UAS
// echoing Record-Route, CANCEL pair) over UDP and TCP. The gate is a stand-in (challenge without
// Proxy-Authorization, accept with it): this exercises the proxy and the scenarios; the full edge
// (real gate, REST provisioning) is tested where src/main.ts is wired.

import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createProxy } from '../../src/proxy/proxy.ts';
import type { Proxy } from '../../src/proxy/proxy.ts';
import { transportSender } from '../../src/proxy/transport-send.ts';
import type { Admission } from '../../src/proxy/types.ts';
import { loopbackTransportFor } from './loopback-transport.ts';
import { freePort, runSipp, SCENARIOS } from './sipp-runner.ts';

let cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

async function startEdge(pbxPorts: number | number[], transport: 'udp' | 'tcp'): Promise<{ port: number; proxy: Proxy; admitted: () => number }> {
  const ports = Array.isArray(pbxPorts) ? pbxPorts : [pbxPorts];
  let proxy: Proxy | undefined;
  let admitted = 0;
  const t = await loopbackTransportFor(() => proxy);
  cleanup.push(() => t.close());
  const p = createProxy({
    advertisedHost: '127.0.0.1', advertisedPort: t.port, realm: 'sip-edge', routeSecret: 'bench-secret',
    send: transportSender(t),
    admit: (req): Admission => {
      if (req.proxyAuthorization.length === 0) {
        return { kind: 'reject', status: 407, headers: [['Proxy-Authenticate', `Digest realm="sip-edge", nonce="n${req.cseq?.seq}x", qop="auth", algorithm=MD5`]] };
      }
      admitted++;
      return {
        kind: 'accept', accountSid: 'AC1', targetSid: 'SD1', auth: { method: 'digest', user: 'bench' },
        targets: ports.map((p, i) => ({ uri: `sip:127.0.0.1:${p}${transport === 'tcp' ? ';transport=tcp' : ''}`, priority: 10 + i, weight: 1 })),
      };
    },
  });
  proxy = p;
  cleanup.push(() => p.close());
  return { port: t.port, proxy: p, admitted: () => admitted };
}

async function callsThrough(transport: 'udp' | 'tcp', calls: number, uac: string, uas: string, pbxTransport = transport) {
  const pbxPort = await freePort();
  const uacPort = await freePort();
  const edge = await startEdge(pbxPort, pbxTransport);
  const t = transport === 'udp' ? 'u1' : 't1';
  const pt = pbxTransport === 'udp' ? 'u1' : 't1';
  const pbx = runSipp(['-sf', join(SCENARIOS, uas), '-i', '127.0.0.1', '-p', String(pbxPort), '-t', pt, '-m', String(calls)], 100_000);
  cleanup.push(() => { pbx.child.kill('SIGKILL'); });
  await new Promise((r) => setTimeout(r, 300));
  const caller = runSipp([
    `127.0.0.1:${edge.port}`, '-sf', join(SCENARIOS, uac), '-i', '127.0.0.1', '-p', String(uacPort), '-t', t,
    '-m', String(calls), '-l', '50', '-r', '2000', '-s', '15550001', '-key', 'domain', 'edge.test',
    '-au', 'bench', '-ap', 'Secret123456', '-recv_timeout', '10000',
  ], 100_000);
  cleanup.push(() => { caller.child.kill('SIGKILL'); });
  const uacResult = await caller.done;
  // A failed caller leaves the PBX waiting for calls that never come: stop it soon after.
  const stopPbx = setTimeout(() => pbx.child.kill('SIGKILL'), uacResult.code === 0 ? 15_000 : 1000);
  const uasResult = await pbx.done;
  clearTimeout(stopPbx);
  return { edge, uacResult, uasResult };
}

describe('SIPp through the proxy', () => {
  for (const transport of ['udp', 'tcp'] as const) {
    it(`completes 1000 authenticated calls over ${transport.toUpperCase()} with zero failures`, async () => {
      const { edge, uacResult, uasResult } = await callsThrough(transport, 1000, 'uac-auth.xml', 'uas-rr.xml');
      expect(uacResult.code, uacResult.errors).toBe(0);
      expect(uacResult.stats['SuccessfulCall(C)']).toBe('1000');
      expect(uacResult.stats['FailedCall(C)'], uacResult.errors).toBe('0');
      expect(uasResult.code).toBe(0);
      // Nothing but accepted calls reached the PBX.
      expect(uasResult.stats['TotalCallCreated']).toBe('1000');
      expect(edge.admitted()).toBe(1000);
    }, 120_000);
  }

  for (const [caller, pbx] of [['udp', 'tcp'], ['tcp', 'udp']] as const) {
    it(`relays whole calls across transports (${caller.toUpperCase()} caller, ${pbx.toUpperCase()} PBX)`, async () => {
      const { uacResult, uasResult } = await callsThrough(caller, 100, 'uac-auth.xml', 'uas-rr.xml', pbx);
      expect(uacResult.code).toBe(0);
      expect(uacResult.stats['SuccessfulCall(C)']).toBe('100');
      expect(uasResult.stats['SuccessfulCall(C)']).toBe('100');
    }, 120_000);
  }

  it('fails over from an origination URL answering 503 to the next one', async () => {
    const downPort = await freePort();
    const pbxPort = await freePort();
    const uacPort = await freePort();
    const edge = await startEdge([downPort, pbxPort], 'udp');
    const down = runSipp(['-sf', join(SCENARIOS, 'uas-503.xml'), '-i', '127.0.0.1', '-p', String(downPort), '-m', '20'], 100_000);
    const pbx = runSipp(['-sf', join(SCENARIOS, 'uas-rr.xml'), '-i', '127.0.0.1', '-p', String(pbxPort), '-m', '20'], 100_000);
    cleanup.push(() => { down.child.kill('SIGKILL'); pbx.child.kill('SIGKILL'); });
    await new Promise((r) => setTimeout(r, 300));
    const caller = runSipp([
      `127.0.0.1:${edge.port}`, '-sf', join(SCENARIOS, 'uac-auth.xml'), '-i', '127.0.0.1', '-p', String(uacPort),
      '-m', '20', '-l', '5', '-s', '15550001', '-key', 'domain', 'edge.test', '-au', 'bench', '-ap', 'Secret123456',
    ], 100_000);
    const uacResult = await caller.done;
    const [downResult, pbxResult] = await Promise.all([down.done, pbx.done]);
    expect(uacResult.code).toBe(0);
    expect(uacResult.stats['SuccessfulCall(C)']).toBe('20');
    expect(downResult.stats['SuccessfulCall(C)']).toBe('20');
    expect(pbxResult.stats['SuccessfulCall(C)']).toBe('20');
  }, 120_000);

  it('CANCEL before answer completes with 487 on both sides', async () => {
    const { uacResult, uasResult } = await callsThrough('udp', 20, 'uac-cancel.xml', 'uas-cancel.xml');
    expect(uacResult.code).toBe(0);
    expect(uacResult.stats['SuccessfulCall(C)']).toBe('20');
    expect(uasResult.code).toBe(0);
    expect(uasResult.stats['SuccessfulCall(C)']).toBe('20');
  }, 120_000);
});
