// SIPp against the real gate (IP ACL + digest from src/auth, views in process) in front of the
// proxy on the real transport: authenticated calls complete; a caller with a wrong password never
// reaches the PBX (the UAS counts what it received); the forwarded INVITE carries no credentials.

import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { compileAcl } from '../../src/acl/matcher.ts';
import { deriveHa1 } from '../../src/auth/ha1.ts';
import { NonceService } from '../../src/auth/nonce.ts';
import { MemoryReplayGuard } from '../../src/auth/replay.ts';
import { createGate } from '../../src/gate/gate.ts';
import { ownHostMatcher } from '../../src/gate/own-hosts.ts';
import type { CompiledView, TargetView } from '../../src/gate/view.ts';
import { gateAdmit } from '../../src/proxy/gate-admission.ts';
import { createProxy } from '../../src/proxy/proxy.ts';
import { transportSender } from '../../src/proxy/transport-send.ts';
import { parseMessage } from '../../src/sip/parse.ts';
import { isParseError } from '../../src/sip/parse-error.ts';
import { SipTransport } from '../../src/transport/sip-transport.ts';
import { freePort, runSipp, SCENARIOS } from './sipp-runner.ts';

const REALM = 'sip-edge';
const PASSWORD = 'Bench-Passw0rd-12';

let cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

function domainView(pbxPort: number): TargetView {
  return {
    kind: 'domain', sid: `SD${'a'.repeat(32)}`, accountSid: `AC${'b'.repeat(32)}`, accountStatus: 'active',
    host: 'edge.test',
    calls: {
      aclMapped: true, acl: [{ address: '127.0.0.1', prefixLength: 32 }],
      credentialsMapped: true, users: { bench: deriveHa1('bench', REALM, PASSWORD) },
    },
    registrations: null,
    targets: [{ uri: `sip:127.0.0.1:${pbxPort}`, priority: 10, weight: 1 }],
    version: 1,
  };
}

async function startEdge(view: CompiledView): Promise<number> {
  const gate = createGate(
    { realm: REALM, algorithms: ['MD5'], connectionsHost: null, warningHost: '127.0.0.1', isOwnHost: ownHostMatcher(['127.0.0.1']) },
    {
      views: { lookup: (key) => (key === 'host:edge.test' ? view : null) },
      nonces: new NonceService({ secret: 'nonce-secret-0123456789', realm: REALM, ttlSeconds: 300 }),
      replay: new MemoryReplayGuard({ slots: 1 << 14 }),
      compileAcl,
    },
  );
  let handle: ((data: Buffer, source: { transport: 'udp' | 'tcp'; address: string; port: number; connection: never }) => void) | undefined;
  const t = await SipTransport.start({
    host: '127.0.0.1', port: 0, family: 4,
    onMessage: (data, source) => handle?.(data, source as never),
  });
  cleanup.push(() => t.close());
  const proxy = createProxy({
    advertisedHost: '127.0.0.1', advertisedPort: t.port, realm: REALM, routeSecret: 'nonce-secret-0123456789',
    send: transportSender(t), admit: gateAdmit(gate),
  });
  cleanup.push(() => proxy.close());
  handle = (data, source) => {
    const m = parseMessage(data);
    if (isParseError(m)) return;
    if (m.type === 'request') proxy.handleRequest(m, source);
    else proxy.handleResponse(m, source);
  };
  return t.port;
}

describe('SIPp through the gate and the proxy', () => {
  it('completes authenticated calls; a wrong password never reaches the PBX', async () => {
    const pbxPort = await freePort();
    const edgePort = await startEdge(domainView(pbxPort));
    const pbx = runSipp(['-sf', join(SCENARIOS, 'uas-rr.xml'), '-i', '127.0.0.1', '-p', String(pbxPort), '-m', '200'], 100_000);
    cleanup.push(() => { pbx.child.kill('SIGKILL'); });
    await new Promise((r) => setTimeout(r, 300));
    const caller = (password: string, calls: number) => freePort().then((p) => runSipp([
      `127.0.0.1:${edgePort}`, '-sf', join(SCENARIOS, 'uac-auth.xml'), '-i', '127.0.0.1', '-p', String(p),
      '-m', String(calls), '-l', '20', '-s', '15550001', '-key', 'domain', 'edge.test', '-au', 'bench', '-ap', password,
      '-recv_timeout', '5000',
    ], 100_000));
    const bad = await (await caller('Wrong-Passw0rd-99', 10)).done;
    expect(bad.stats['SuccessfulCall(C)']).toBe('0');
    expect(bad.stats['FailedCall(C)']).toBe('10');
    const good = await (await caller(PASSWORD, 200)).done;
    expect(good.code).toBe(0);
    expect(good.stats['SuccessfulCall(C)']).toBe('200');
    const pbxResult = await pbx.done;
    // The PBX saw exactly the 200 accepted calls, none of the rejected ones.
    expect(pbxResult.stats['TotalCallCreated']).toBe('200');
    expect(pbxResult.stats['SuccessfulCall(C)']).toBe('200');
  }, 120_000);
});
