import { describe, expect, it } from 'vitest';
import { forwardBranch, loopHashInBranch, loopHashOf, rfc3261Branch } from '../../src/proxy/branch.ts';
import { ChannelCounter } from '../../src/proxy/channel-limit.ts';
import { isEdgeHeader } from '../../src/proxy/header-edit.ts';
import { isLoop, loopHashFor } from '../../src/proxy/loop-detect.ts';
import { targetUri } from '../../src/proxy/target-uri.ts';
import { parseMessage } from '../../src/sip/parse.ts';
import type { SipRequest } from '../../src/sip/message.ts';
import { createHopResolver, type DnsFunctions } from '../../src/proxy/resolver.ts';
import { routeTokenDirection, signRouteToken } from '../../src/proxy/route-token.ts';
import { orderTargets } from '../../src/proxy/target-order.ts';

describe('route token', () => {
  const key = { secret: 'k1', identity: '10.0.0.1:5060' };
  it('verifies for the caller tag in From or in To, and nothing else', () => {
    const t = signRouteToken(key, 'call-1', 'tagA');
    expect(routeTokenDirection(key, t, 'call-1', 'tagA', undefined)).toBe('from');
    expect(routeTokenDirection(key, t, 'call-1', 'tagB', 'tagA')).toBe('to');
    expect(routeTokenDirection(key, t, 'call-2', 'tagA', undefined)).toBeNull();
    expect(routeTokenDirection(key, t, 'call-1', 'tagB', 'tagC')).toBeNull();
    expect(routeTokenDirection({ ...key, secret: 'k2' }, t, 'call-1', 'tagA', undefined)).toBeNull();
    expect(routeTokenDirection({ ...key, identity: '10.0.0.2:5060' }, t, 'call-1', 'tagA', undefined)).toBeNull();
    expect(routeTokenDirection(key, t.slice(1), 'call-1', 'tagA', undefined)).toBeNull();
    expect(routeTokenDirection(key, 'A'.repeat(22), 'call-1', 'tagA', undefined)).toBeNull();
  });
});

describe('branch', () => {
  it('is deterministic per incoming transaction and target, and carries the loop hash', () => {
    const a = forwardBranch('z9hG4bKx|h:5060', 'sip:pbx', 0, 'abc');
    expect(a).toBe(forwardBranch('z9hG4bKx|h:5060', 'sip:pbx', 0, 'abc'));
    expect(a).not.toBe(forwardBranch('z9hG4bKx|h:5060', 'sip:pbx2', 0, 'abc'));
    expect(a).not.toBe(forwardBranch('z9hG4bKx|h:5060', 'sip:pbx', 1, 'abc'));
    expect(a.startsWith('z9hG4bK')).toBe(true);
    expect(loopHashInBranch(a)).toBe('abc');
    expect(loopHashInBranch('z9hG4bKother')).toBeUndefined();
    expect(loopHashOf(['a', 'b'])).not.toBe(loopHashOf(['a', 'c']));
  });
  it('tells RFC 3261 branches from RFC 2543 ones', () => {
    expect(rfc3261Branch('z9hG4bK1')).toBe('z9hG4bK1');
    expect(rfc3261Branch('z9hG4bK')).toBeUndefined();
    expect(rfc3261Branch('abc')).toBeUndefined();
    expect(rfc3261Branch(undefined)).toBeUndefined();
  });
});

describe('target order', () => {
  const t = (uri: string, priority: number, weight: number) => ({ uri, priority, weight });
  it('sorts by priority and picks by weight within a priority', () => {
    const list = [t('c', 20, 10), t('a1', 10, 1), t('a2', 10, 3)];
    expect(orderTargets(list, () => 0).map((x) => x.uri)).toEqual(['a1', 'a2', 'c']);
    expect(orderTargets(list, () => 0.3).map((x) => x.uri)).toEqual(['a2', 'a1', 'c']);
    expect(orderTargets(list, () => 0.99).map((x) => x.uri)).toEqual(['a2', 'a1', 'c']);
  });
  it('follows the weights over many draws', () => {
    const list = [t('a', 1, 1), t('b', 1, 3)];
    let seed = 1;
    const rnd = () => ((seed = (seed * 48271) % 2147483647) / 2147483647);
    let firstB = 0;
    for (let i = 0; i < 4000; i++) if (orderTargets(list, rnd)[0]!.uri === 'b') firstB++;
    expect(firstB / 4000).toBeGreaterThan(0.7);
    expect(firstB / 4000).toBeLessThan(0.8);
  });
});

describe('channel counter', () => {
  it('caps per owner and releases once per call', () => {
    const c = new ChannelCounter();
    expect(c.acquire('CN1', 'call1', 2)).toBe(true);
    expect(c.acquire('CN1', 'call1', 2)).toBe(true); // same call (retransmission)
    expect(c.acquire('CN1', 'call2', 2)).toBe(true);
    expect(c.acquire('CN1', 'call3', 2)).toBe(false);
    expect(c.acquire('CN2', 'call4', 1)).toBe(true);
    c.release('call1');
    c.release('call1');
    expect(c.active('CN1')).toBe(1);
    expect(c.acquire('CN1', 'call3', 2)).toBe(true);
    expect(c.acquire('CN1', 'call5', null)).toBe(true);
  });
});

describe('hop resolver', () => {
  function fakeDns() {
    const calls: string[] = [];
    const d: DnsFunctions = {
      async resolve4(n) {
        calls.push(`A ${n}`);
        if (n === 'pbx.example' || n === 'host1.example') return [{ address: '192.0.2.7', ttl: 30 }];
        throw Object.assign(new Error('ENOTFOUND'), { code: 'ENOTFOUND' });
      },
      async resolve6(n) {
        calls.push(`AAAA ${n}`);
        throw Object.assign(new Error('ENODATA'), { code: 'ENODATA' });
      },
      async resolveSrv(n) {
        calls.push(`SRV ${n}`);
        if (n === '_sip._udp.srv.example') return [{ name: 'host1.example', port: 5070, priority: 10, weight: 1 }];
        throw Object.assign(new Error('ENOTFOUND'), { code: 'ENOTFOUND' });
      },
    };
    return { d, calls };
  }
  it('uses literals directly, SRV for portless names, A/AAAA otherwise, and caches for the TTL', async () => {
    const { d, calls } = fakeDns();
    let now = 0;
    const r = createHopResolver({ dns: d, now: () => now });
    expect(await r.resolve({ host: '[::1]', port: 5080, transport: 'udp', secure: false })).toEqual([{ address: '::1', port: 5080, transport: 'udp' }]);
    expect(await r.resolve({ host: '127.0.0.1', port: undefined, transport: 'tcp', secure: false })).toEqual([{ address: '127.0.0.1', port: 5060, transport: 'tcp' }]);
    expect(calls).toEqual([]);
    expect(await r.resolve({ host: 'srv.example', port: undefined, transport: 'udp', secure: false })).toEqual([{ address: '192.0.2.7', port: 5070, transport: 'udp' }]);
    expect(await r.resolve({ host: 'pbx.example', port: 5062, transport: 'udp', secure: false })).toEqual([{ address: '192.0.2.7', port: 5062, transport: 'udp' }]);
    const n = calls.length;
    await r.resolve({ host: 'PBX.example', port: 5062, transport: 'udp', secure: false });
    expect(calls.length).toBe(n);
    now += 31_000;
    await r.resolve({ host: 'pbx.example', port: 5062, transport: 'udp', secure: false });
    expect(calls.length).toBeGreaterThan(n);
    expect(await r.resolve({ host: 'nowhere.example', port: 5060, transport: 'udp', secure: false })).toEqual([]);
  });
});

describe('channel counter reclaim', () => {
  it('reclaims a slot never released after maxAge, only when the owner is at its limit', () => {
    let now = 0;
    const c = new ChannelCounter(() => now, 1000);
    expect(c.acquire('CN1', 'a', 1)).toBe(true);
    now = 999;
    expect(c.acquire('CN1', 'b', 1)).toBe(false);
    now = 1001;
    expect(c.acquire('CN1', 'b', 1)).toBe(true);
    expect(c.active('CN1')).toBe(1);
  });
});

describe('edge headers', () => {
  it('names the principal, quoting a user name that is not a plain token', async () => {
    const { authValue } = await import('../../src/proxy/edge-headers.ts');
    expect(authValue({ method: 'ip' })).toBe('ip');
    expect(authValue({ method: 'digest', user: 'alice' })).toBe('digest;user=alice');
    expect(authValue({ method: 'digest', user: 'al "x"' })).toBe('digest;user="al \\"x\\""');
  });
});

describe('X-Edge-* header names', () => {
  it('match in any case and only with something after the dash', () => {
    for (const n of ['X-Edge-Account-Sid', 'x-edge-a', 'X-EDGE-USER', 'x-EdGe-Z']) expect(isEdgeHeader(n)).toBe(true);
    for (const n of ['X-Edge-', 'X-Edgy-A', 'X_Edge-A', 'X-Edge_A', 'Y-Edge-A', 'XX-Edge-A', 'Subject', '']) expect(isEdgeHeader(n)).toBe(false);
  });
});

describe('our Via on a request (loop detection)', () => {
  const req = (vias: string) =>
    parseMessage(Buffer.from(`OPTIONS sip:a@b SIP/2.0\r\n${vias}From: <sip:x@y>;tag=1\r\nTo: <sip:a@b>\r\nCall-ID: c\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n`, 'latin1')) as SipRequest;
  // The loop hash covers the Request-URI, tags, Call-ID, CSeq, Routes and Proxy-Require, not the Vias.
  const h = loopHashFor(req('Via: SIP/2.0/UDP 10.0.0.9;branch=z9hG4bK1\r\n'));
  it('is seen by host (any case) and one of our ports, default 5060', () => {
    expect(isLoop(req(`Via: SIP/2.0/UDP 10.0.0.9;branch=z9hG4bK1\r\nVia: SIP/2.0/UDP Edge.Example:5062;branch=z9hG4bK-e0.${h}\r\n`), 'edge.example', [5060, 5062])).toBe(true);
    expect(isLoop(req(`Via: SIP/2.0/UDP edge.example;branch=z9hG4bK-e0.${h}\r\n`), 'edge.example', [5060])).toBe(true);
    expect(isLoop(req(`Via: SIP/2.0/UDP edge.example:5070;branch=z9hG4bK-e0.${h}\r\n`), 'edge.example', [5060, 5062])).toBe(false);
    expect(isLoop(req(`Via: SIP/2.0/UDP other.example:5060;branch=z9hG4bK-e0.${h}\r\n`), 'edge.example', [5060])).toBe(false);
  });
  it('is a spiral, not a loop, when our branch carries another loop hash', () => {
    expect(isLoop(req('Via: SIP/2.0/UDP edge.example;branch=z9hG4bK-e0.0123456789abcdef\r\n'), 'edge.example', [5060])).toBe(false);
    expect(isLoop(req('Via: SIP/2.0/UDP edge.example;branch=z9hG4bK1\r\n'), 'edge.example', [5060])).toBe(false);
  });
});

describe('target URIs', () => {
  it('parse once per text and answer the same object again', () => {
    const a = targetUri('sip:pbx.example:5070;transport=tcp');
    expect(a).not.toBeNull();
    expect(targetUri('sip:pbx.example:5070;transport=tcp')).toBe(a);
    expect(targetUri('not a uri')).toBeNull();
    expect(targetUri('not a uri')).toBeNull();
  });
});
