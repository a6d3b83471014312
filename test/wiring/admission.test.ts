// The admission step: bans before the gate (no hashing for a banned source), failures counted
// towards bans, decisions counted in metrics. The gate here is a stand-in returning fixed decisions.
import { describe, expect, it } from 'vitest';
import { BanTable } from '../../src/gate/bans.ts';
import type { GateDecision } from '../../src/gate/decision.ts';
import type { Gate } from '../../src/gate/gate.ts';
import { createMetrics } from '../../src/obs/metrics.ts';
import { parseMessage } from '../../src/sip/parse.ts';
import type { SipRequest } from '../../src/sip/message.ts';
import { createAdmission, offeredUsername } from '../../src/wiring/admission.ts';

const failed: GateDecision = { outcome: 'reject', status: 403, reason: 'Forbidden', headers: [['Warning', '399 edge "Authentication failed"']], metricsReason: 'auth_failed' };

function invite(auth?: string): SipRequest {
  const text = 'INVITE sip:1@d.test SIP/2.0\r\nVia: SIP/2.0/UDP 192.0.2.9;branch=z9hG4bKx\r\nMax-Forwards: 70\r\n' +
    'From: <sip:a@b>;tag=1\r\nTo: <sip:1@d.test>\r\nCall-ID: c\r\nCSeq: 1 INVITE\r\n' +
    (auth === undefined ? '' : `Proxy-Authorization: ${auth}\r\n`) + 'Content-Length: 0\r\n\r\n';
  const m = parseMessage(Buffer.from(text, 'latin1'));
  if ('reason' in m && !('method' in m)) throw new Error('bad test message');
  return m as SipRequest;
}

const digest = (user: string, realm = 'sip-edge'): string =>
  `Digest username="${user}", realm="${realm}", nonce="n", uri="sip:d.test", response="${'0'.repeat(32)}"`;

function setup(action: '403' | 'drop') {
  let decisions = 0;
  const gate: Gate = { decide: () => { decisions++; return failed; } };
  const bans = new BanTable({ threshold: 2, windowMs: 60_000, banMs: 1000, userThreshold: 0 });
  const metrics = createMetrics({ defaultMetrics: false });
  let now = 1_000_000;
  const admit = createAdmission({ gate, bans, banAction: action, metrics, realm: 'sip-edge', warningHost: 'edge.test', now: () => now });
  return { admit, metrics, decisions: () => decisions, advance: (ms: number) => (now += ms) };
}

const peer = { transport: 'udp' as const, address: '192.0.2.9', port: 5060 };

describe('createAdmission', () => {
  it('bans a source after the threshold of auth failures, without asking the gate, until the ban ends', async () => {
    const s = setup('403');
    expect(s.admit(invite(digest('alice')), peer)).toMatchObject({ kind: 'reject', status: 403 });
    expect(s.admit(invite(digest('alice')), peer)).toMatchObject({ kind: 'reject', status: 403 });
    expect(s.decisions()).toBe(2);
    const banned = s.admit(invite(digest('alice')), peer);
    expect(banned).toEqual({ kind: 'reject', status: 403, reason: 'Forbidden', headers: [['Warning', '399 edge.test "banned"']] });
    expect(s.decisions()).toBe(2);
    // Another source is not affected.
    s.admit(invite(), { ...peer, address: '192.0.2.10' });
    expect(s.decisions()).toBe(3);
    s.advance(1001);
    s.admit(invite(), peer);
    expect(s.decisions()).toBe(4);
    const text = await s.metrics.registry.metrics();
    expect(text).toContain('edge_auth_decisions_total{outcome="reject",reason="banned"} 1');
    expect(text).toContain('edge_auth_decisions_total{outcome="reject",reason="auth_failed"} 4');
  });

  it('drops a banned source silently with EDGE_BAN_ACTION=drop', () => {
    const s = setup('drop');
    s.admit(invite(), peer);
    s.admit(invite(), peer);
    expect(s.admit(invite(), peer)).toEqual({ kind: 'drop' });
  });
});

describe('draining', () => {
  it('turns new transactions away with 503 and Retry-After once shutdown started', () => {
    let draining = false;
    const gate: Gate = { decide: () => failed };
    const admit = createAdmission({
      gate, bans: new BanTable({ threshold: 5, windowMs: 1000, banMs: 1000 }), banAction: '403',
      metrics: createMetrics({ defaultMetrics: false }), realm: 'sip-edge', warningHost: 'edge.test', draining: () => draining,
    });
    expect(admit(invite(), peer)).toMatchObject({ status: 403 });
    draining = true;
    expect(admit(invite(), peer)).toEqual({
      kind: 'reject', status: 503, reason: 'Service Unavailable',
      headers: [['Retry-After', '5'], ['Warning', '399 edge.test "shutting down"']],
    });
  });
});

describe('offeredUsername', () => {
  it('reads the digest username for our realm only', () => {
    expect(offeredUsername(invite(digest('alice')), 'sip-edge')).toBe('alice');
    expect(offeredUsername(invite(digest('alice', 'other')), 'sip-edge')).toBeUndefined();
    expect(offeredUsername(invite(), 'sip-edge')).toBeUndefined();
  });
});
