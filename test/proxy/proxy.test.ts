import { describe, expect, it } from 'vitest';
import { getHeader, getHeaders } from '../../src/sip/message.ts';
import type { SipRequest, SipResponse } from '../../src/sip/message.ts';
import { createHopResolver } from '../../src/proxy/resolver.ts';
import { accept, answer, EDGE, harness, invite, PBX, pbxBye, req, UAC } from './harness.ts';
import type { Sent } from './harness.ts';

const TARGET = `sip:${PBX.address}:${PBX.port}`;

function only(sent: Sent[], pred: (s: Sent) => boolean): Sent[] {
  return sent.filter(pred);
}
const toPbx = (s: Sent) => s.to.address === PBX.address;
const toUac = (s: Sent) => s.to.address === UAC.address;
const status = (s: Sent) => (s.msg as SipResponse).status;

function forwarded(sent: Sent[]): SipRequest {
  const f = only(sent, toPbx);
  expect(f.length).toBe(1);
  return f[0]!.msg as SipRequest;
}

describe('forwarding an accepted INVITE', () => {
  it('sends 100 Trying and a forwarded copy edited per §16.6', () => {
    const h = harness(() => accept([TARGET]));
    h.proxy.handleRequest(
      req(invite({
        extra:
          'Proxy-Authorization: Digest username="alice", realm="sip-edge", nonce="n", uri="sip:x", response="00"\n' +
          'Proxy-Authorization: Digest username="alice", realm="other", nonce="n", uri="sip:x", response="00"\n' +
          'X-Edge-Account-Sid: ACforged\nx-edge-auth: ip\n',
      })),
      UAC,
    );
    const sent = h.take();
    expect(only(sent, toUac).map(status)).toEqual([100]);
    const f = forwarded(sent);
    expect(f.method).toBe('INVITE');
    expect(f.uri).toBe(`sip:+15550001@${PBX.address}:${PBX.port}`);
    expect(f.via.length).toBe(2);
    expect(f.via[0]!.host).toBe(EDGE.host);
    expect(f.via[0]!.port).toBe(EDGE.port);
    expect(f.via[0]!.branch!.startsWith('z9hG4bK')).toBe(true);
    expect(f.via[1]!.branch).toBe('z9hG4bKuac1');
    expect(f.maxForwards).toBe(69);
    const rr = getHeaders(f, 'Record-Route');
    expect(rr.length).toBe(1);
    expect(rr[0]).toMatch(new RegExp(`^<sip:${EDGE.host}:${EDGE.port};lr;ert=[A-Za-z0-9_-]{22}>$`));
    expect(f.proxyAuthorization.length).toBe(1);
    expect(f.proxyAuthorization[0]).toContain('realm="other"');
    expect(getHeaders(f, 'X-Edge-Account-Sid')).toEqual(['AC00000000000000000000000000000001']);
    expect(getHeaders(f, 'X-Edge-Target-Sid')).toEqual(['SD00000000000000000000000000000001']);
    expect(getHeaders(f, 'X-Edge-Auth')).toEqual(['digest;user=alice']);
  });

  it('absorbs request retransmissions without asking the gate again', () => {
    const h = harness(() => accept([TARGET]));
    h.proxy.handleRequest(req(invite()), UAC);
    h.take();
    h.proxy.handleRequest(req(invite()), UAC);
    const sent = h.take();
    expect(h.admits).toBe(1);
    expect(only(sent, toPbx)).toEqual([]);
    expect(only(sent, toUac).map(status)).toEqual([100]); // last provisional resent
  });

  it('uses the same branch for the same transaction and target (deterministic)', () => {
    const a = harness(() => accept([TARGET]));
    const b = harness(() => accept([TARGET]));
    a.proxy.handleRequest(req(invite()), UAC);
    b.proxy.handleRequest(req(invite()), UAC);
    expect(forwarded(a.take()).via[0]!.branch).toBe(forwarded(b.take()).via[0]!.branch);
  });

  it('relays 180 and 200 upstream without our Via, and 2xx retransmissions too', () => {
    const h = harness(() => accept([TARGET]));
    h.proxy.handleRequest(req(invite()), UAC);
    const f = forwarded(h.take());
    h.proxy.handleResponse(answer(f, 100, 'Trying'), PBX);
    expect(h.take()).toEqual([]); // 100 is hop-by-hop
    h.proxy.handleResponse(answer(f, 180, 'Ringing'), PBX);
    h.proxy.handleResponse(answer(f, 200, 'OK'), PBX);
    h.proxy.handleResponse(answer(f, 200, 'OK'), PBX);
    const sent = h.take();
    expect(sent.every(toUac)).toBe(true);
    expect(sent.map(status)).toEqual([180, 200, 200]);
    for (const s of sent) {
      expect(s.msg.via.length).toBe(1);
      expect(s.msg.via[0]!.branch).toBe('z9hG4bKuac1');
      expect(getHeaders(s.msg, 'Record-Route').length).toBe(1);
    }
    expect(h.proxy.stats().activeCalls).toBe(1);
  });

  it('ACKs a non-2xx final towards the PBX, relays it, and absorbs the caller\'s ACK', () => {
    const h = harness(() => accept([TARGET]));
    h.proxy.handleRequest(req(invite()), UAC);
    const f = forwarded(h.take());
    h.proxy.handleResponse(answer(f, 486, 'Busy Here'), PBX);
    const sent = h.take();
    const ack = only(sent, toPbx);
    expect(ack.length).toBe(1);
    const ackMsg = ack[0]!.msg as SipRequest;
    expect(ackMsg.method).toBe('ACK');
    expect(ackMsg.via.length).toBe(1);
    expect(ackMsg.via[0]!.branch).toBe(f.via[0]!.branch);
    expect(ackMsg.to?.tag).toBe('pbxtag');
    expect(ackMsg.cseq).toEqual({ seq: 1, method: 'ACK' });
    expect(only(sent, toUac).map(status)).toEqual([486]);
    h.proxy.handleRequest(req(invite({ method: 'ACK', toTag: 'pbxtag' })), UAC);
    expect(h.take()).toEqual([]);
  });

  it('answers a gate rejection through the server transaction (retransmitted on request retransmission)', () => {
    const h = harness(() => ({ kind: 'reject', status: 407, headers: [['Proxy-Authenticate', 'Digest realm="sip-edge", nonce="x"']] }));
    h.proxy.handleRequest(req(invite()), UAC);
    h.proxy.handleRequest(req(invite()), UAC);
    const sent = h.take();
    expect(sent.map(status)).toEqual([407, 407]);
    expect(getHeader(sent[0]!.msg, 'Proxy-Authenticate')).toContain('sip-edge');
    expect(h.admits).toBe(1);
  });
});

describe('fail-over', () => {
  const second = 'sip:192.0.2.21:5070';
  const to2 = (s: Sent) => s.to.address === '192.0.2.21';

  it('tries the next origination URL after a 503 and completes there', () => {
    const h = harness(() => accept([TARGET, second]));
    h.proxy.handleRequest(req(invite()), UAC);
    const f1 = forwarded(h.take());
    h.proxy.handleResponse(answer(f1, 503, 'Service Unavailable'), PBX);
    let sent = h.take();
    expect(only(sent, toPbx).map((s) => (s.msg as SipRequest).method)).toEqual(['ACK']);
    const f2 = only(sent, to2);
    expect(f2.length).toBe(1);
    const f2m = f2[0]!.msg as SipRequest;
    expect(f2m.via[0]!.branch).not.toBe(f1.via[0]!.branch);
    expect(only(sent, toUac)).toEqual([]);
    h.proxy.handleResponse(answer(f2m, 200, 'OK'), { ...PBX, address: '192.0.2.21' });
    sent = h.take();
    expect(only(sent, toUac).map(status)).toEqual([200]);
  });

  it('fails over on timeout (Timer B) and on a transport error', () => {
    const h = harness(() => accept([TARGET, second, 'sip:192.0.2.22:5070']));
    h.failNext.add('192.0.2.21:5070');
    h.proxy.handleRequest(req(invite()), UAC);
    h.take();
    h.clock.advance(32_000);
    const sent = h.take();
    expect(only(sent, (s) => s.to.address === '192.0.2.22').length).toBe(1);
  });

  it('does not fail over on a 4xx; relays 503 as 500 when every target failed', () => {
    const h = harness(() => accept([TARGET, second]));
    h.proxy.handleRequest(req(invite()), UAC);
    h.proxy.handleResponse(answer(forwarded(h.take()), 503, 'Service Unavailable'), PBX);
    const f2 = only(h.take(), to2)[0]!.msg as SipRequest;
    h.proxy.handleResponse(answer(f2, 503, 'Service Unavailable'), PBX);
    expect(only(h.take(), toUac).map(status)).toEqual([500]);

    const g = harness(() => accept([TARGET, second]));
    g.proxy.handleRequest(req(invite()), UAC);
    g.proxy.handleResponse(answer(forwarded(g.take()), 404, 'Not Found'), PBX);
    const sent = g.take();
    expect(only(sent, to2)).toEqual([]);
    expect(only(sent, toUac).map(status)).toEqual([404]);
  });

  it('answers 408 when no target ever answered', () => {
    const h = harness(() => accept([TARGET]));
    h.proxy.handleRequest(req(invite()), UAC);
    h.take();
    h.clock.advance(32_000);
    expect(only(h.take(), toUac).map(status)).toEqual([408]);
  });
});

describe('CANCEL', () => {
  it('answers 200, cancels the branch with the same branch id, and relays the 487', () => {
    const h = harness(() => accept([TARGET]));
    h.proxy.handleRequest(req(invite()), UAC);
    const f = forwarded(h.take());
    h.proxy.handleResponse(answer(f, 180, 'Ringing'), PBX);
    h.take();
    h.proxy.handleRequest(req(invite({ method: 'CANCEL' })), UAC);
    let sent = h.take();
    expect(only(sent, toUac).map(status)).toEqual([200]);
    const c = only(sent, toPbx);
    expect(c.length).toBe(1);
    const cm = c[0]!.msg as SipRequest;
    expect(cm.method).toBe('CANCEL');
    expect(cm.uri).toBe(f.uri);
    expect(cm.via[0]!.branch).toBe(f.via[0]!.branch);
    h.proxy.handleResponse(answer(cm, 200, 'OK'), PBX);
    h.proxy.handleResponse(answer(f, 487, 'Request Terminated'), PBX);
    sent = h.take();
    expect(only(sent, toUac).map(status)).toEqual([487]);
    expect(only(sent, toPbx).map((s) => (s.msg as SipRequest).method)).toEqual(['ACK']);
  });

  it('waits for a provisional before cancelling downstream', () => {
    const h = harness(() => accept([TARGET]));
    h.proxy.handleRequest(req(invite()), UAC);
    const f = forwarded(h.take());
    h.proxy.handleRequest(req(invite({ method: 'CANCEL' })), UAC);
    expect(only(h.take(), toPbx)).toEqual([]);
    h.proxy.handleResponse(answer(f, 100, 'Trying'), PBX);
    expect(only(h.take(), toPbx).map((s) => (s.msg as SipRequest).method)).toEqual(['CANCEL']);
  });

  it('answers 481 to a CANCEL matching nothing', () => {
    const h = harness(() => accept([TARGET]));
    h.proxy.handleRequest(req(invite({ method: 'CANCEL' })), UAC);
    expect(h.take().map(status)).toEqual([481]);
  });

  it('answers 487 when the CANCEL arrives while the gate is still deciding', async () => {
    let release: (a: ReturnType<typeof accept>) => void = () => {};
    const h = harness(() => new Promise((r) => { release = r; }));
    h.proxy.handleRequest(req(invite()), UAC);
    h.proxy.handleRequest(req(invite({ method: 'CANCEL' })), UAC);
    release(accept([TARGET]));
    await new Promise((r) => setImmediate(r));
    const sent = h.take();
    expect(only(sent, toPbx)).toEqual([]);
    expect(sent.map(status)).toEqual([200, 487]);
  });
});

describe('in-dialog routing', () => {
  function established() {
    const h = harness(() => accept([TARGET]));
    h.proxy.handleRequest(req(invite()), UAC);
    const f = forwarded(h.take());
    h.proxy.handleResponse(answer(f, 200, 'OK'), PBX);
    h.take();
    const rr = getHeaders(f, 'Record-Route')[0]!;
    return { h, rr };
  }

  const bye = (route: string | undefined, uri = `sip:pbx@${PBX.address}:${PBX.port}`, branch = 'z9hG4bKbye1') =>
    req(`BYE ${uri} SIP/2.0
Via: SIP/2.0/UDP 192.0.2.10:5062;branch=${branch}
Max-Forwards: 70
From: "Alice" <sip:alice@example.com>;tag=fromtag1
To: <sip:+15550001@pbx.example.com>;tag=pbxtag
Call-ID: call-1@192.0.2.10
CSeq: 2 BYE
${route !== undefined ? `Route: ${route}\n` : ''}Content-Length: 0

`);

  it('relays a BYE along our signed Record-Route and the 200 back; the call ends', () => {
    const { h, rr } = established();
    expect(h.proxy.stats().activeCalls).toBe(1);
    h.proxy.handleRequest(bye(rr), UAC);
    const f = forwarded(h.take());
    expect(f.method).toBe('BYE');
    expect(f.route).toEqual([]);
    expect(f.via[0]!.host).toBe(EDGE.host);
    h.proxy.handleResponse(answer(f, 200, 'OK'), PBX);
    expect(only(h.take(), toUac).map(status)).toEqual([200]);
    expect(h.proxy.stats().activeCalls).toBe(0);
  });

  it('keeps answering retransmissions once the transactions have answered and only linger', () => {
    const { h, rr } = established();
    // The INVITE retransmitted after the 2xx: absorbed, nothing forwarded, the gate not asked again.
    h.proxy.handleRequest(req(invite()), UAC);
    expect(h.take()).toEqual([]);
    expect(h.admits).toBe(1);
    h.proxy.handleRequest(bye(rr), UAC);
    const f = forwarded(h.take());
    h.proxy.handleResponse(answer(f, 200, 'OK'), PBX);
    const first = only(h.take(), toUac);
    expect(first.map(status)).toEqual([200]);
    // The BYE retransmitted after its 200: the same 200 again, nothing new to the PBX.
    h.proxy.handleRequest(bye(rr), UAC);
    const again = h.take();
    expect(only(again, toPbx)).toEqual([]);
    expect(only(again, toUac).map((s) => s.text)).toEqual(first.map((s) => s.text));
    // The PBX's 200 to the BYE retransmitted: absorbed by the client transaction.
    h.proxy.handleResponse(answer(f, 200, 'OK'), PBX);
    expect(h.take()).toEqual([]);
  });

  it('routes a BYE from the PBX to the caller (caller tag in To)', () => {
    const { h, rr } = established();
    h.proxy.handleRequest(pbxBye(rr), PBX);
    const out = only(h.take(), toUac);
    expect(out.length).toBe(1);
    expect((out[0]!.msg as SipRequest).method).toBe('BYE');
  });

  it('routes the ACK for a 2xx end to end, statelessly', () => {
    const { h, rr } = established();
    const ack = bye(rr, undefined, 'z9hG4bKack2').headers.map((x) => `${x.name}: ${x.name === 'CSeq' ? '1 ACK' : x.value}`).join('\n');
    h.proxy.handleRequest(req(`ACK sip:pbx@${PBX.address}:${PBX.port} SIP/2.0\n${ack}\n\n`), UAC);
    const f = forwarded(h.take());
    expect(f.method).toBe('ACK');
  });

  it('refuses a forged token, a foreign Route and a missing Route: nothing is forwarded', () => {
    const { h, rr } = established();
    h.proxy.handleRequest(bye(rr.replace(/ert=[^>;]+/, 'ert=AAAAAAAAAAAAAAAAAAAAAA'), undefined, 'z9hG4bKb1'), UAC);
    h.proxy.handleRequest(bye('<sip:203.0.113.50;lr>', 'sip:victim@203.0.113.50', 'z9hG4bKb2'), UAC);
    h.proxy.handleRequest(bye(undefined, 'sip:victim@203.0.113.50', 'z9hG4bKb3'), UAC);
    const other = bye(rr, undefined, 'z9hG4bKb4');
    other.callId = 'another-call';
    h.proxy.handleRequest(other, UAC);
    const sent = h.take();
    expect(sent.every(toUac)).toBe(true);
    expect(sent.map(status)).toEqual([403, 403, 404, 403]);
  });

  it('never forwards an out-of-dialog request with a Route to a third address', () => {
    const h = harness(() => accept([TARGET]));
    h.proxy.handleRequest(req(invite({ extra: 'Route: <sip:203.0.113.50;lr>\n' })), UAC);
    const sent = h.take();
    expect(sent.map(status)).toEqual([403]);
    expect(h.admits).toBe(0);
    const g = harness(() => accept([TARGET]));
    g.proxy.handleRequest(req(invite({ extra: `Route: <sip:${EDGE.host}:${EDGE.port};lr>\n` })), UAC);
    const f = forwarded(g.take());
    expect(f.route).toEqual([]);
  });
});

describe('channel limit', () => {
  it('answers 486 at the limit and frees the slot on BYE or a failed call', () => {
    const h = harness(() => accept([TARGET], { channel: { owner: 'CN1', limit: 1 } }));
    h.proxy.handleRequest(req(invite({ callId: 'c1', branch: 'z9hG4bKa' })), UAC);
    const f1 = forwarded(h.take());
    h.proxy.handleRequest(req(invite({ callId: 'c2', branch: 'z9hG4bKb' })), UAC);
    expect(h.take().map(status)).toEqual([486]);
    h.proxy.handleResponse(answer(f1, 480, 'Temporarily Unavailable'), PBX);
    h.take();
    h.proxy.handleRequest(req(invite({ callId: 'c3', branch: 'z9hG4bKc' })), UAC);
    const f3 = forwarded(h.take());
    h.proxy.handleResponse(answer(f3, 200, 'OK'), PBX);
    h.take();
    h.proxy.handleRequest(req(invite({ callId: 'c4', branch: 'z9hG4bKd' })), UAC);
    expect(h.take().map(status)).toEqual([486]);
    const rr = getHeaders(f3, 'Record-Route')[0]!;
    h.proxy.handleRequest(req(`BYE sip:pbx@${PBX.address}:${PBX.port} SIP/2.0
Via: SIP/2.0/UDP 192.0.2.10:5062;branch=z9hG4bKbye
Max-Forwards: 70
From: <sip:alice@example.com>;tag=fromtag1
To: <sip:x@y>;tag=pbxtag
Call-ID: c3
CSeq: 2 BYE
Route: ${rr}
Content-Length: 0

`), UAC);
    h.take();
    h.proxy.handleRequest(req(invite({ callId: 'c5', branch: 'z9hG4bKe' })), UAC);
    expect(forwarded(h.take()).method).toBe('INVITE');
  });
});

describe('loops and transports', () => {
  it('answers 482 when a request comes back unchanged through us', () => {
    const h = harness(() => accept([`sip:${EDGE.host}:${EDGE.port}`]));
    h.proxy.handleRequest(req(invite()), UAC);
    const f1 = only(h.take(), (s) => s.to.address === EDGE.host)[0]!.msg as SipRequest;
    const src = { transport: 'udp' as const, address: EDGE.host, port: EDGE.port };
    h.proxy.handleRequest(req(f1.headers.length > 0 ? serialize(f1) : ''), src);
    const f2 = only(h.take(), (s) => s.to.address === EDGE.host && s.msg.type === 'request')[0]!.msg as SipRequest;
    h.proxy.handleRequest(req(serialize(f2)), src);
    expect(only(h.take(), (s) => s.msg.type === 'response' && status(s) === 482).length).toBe(1);
  });

  it('double record-routes when the call changes transport (UDP in, TCP out)', () => {
    const h = harness(() => accept([`sip:${PBX.address}:${PBX.port};transport=tcp`]));
    h.proxy.handleRequest(req(invite()), UAC);
    const f = forwarded(h.take());
    expect(f.via[0]!.transport).toBe('TCP');
    const rr = getHeaders(f, 'Record-Route');
    expect(rr.length).toBe(2);
    expect(rr[0]).toContain(';transport=tcp;');
    expect(rr[1]).not.toContain('transport=');
  });

  it('does not retransmit over TCP', () => {
    const h = harness(() => accept([`sip:${PBX.address}:${PBX.port};transport=tcp`]));
    h.proxy.handleRequest(req(invite()), UAC);
    h.take();
    h.clock.advance(4000);
    expect(only(h.take(), toPbx)).toEqual([]);
  });
});

function serialize(m: SipRequest): string {
  const lines = [`${m.method} ${m.uri} SIP/2.0`, ...m.headers.map((x) => `${x.name}: ${x.value}`)];
  return `${lines.join('\n')}\n\n`;
}

describe('more forwarding cases', () => {
  it('resolves a DNS name in a target (SRV for a name without a port) before forwarding', async () => {
    const h = harness(() => accept(['sip:pbx.example.net']), {
      resolver: createHopResolver({
        dns: {
          resolve4: async (n) => (n === 'pbx-a.example.net' ? [{ address: PBX.address, ttl: 60 }] : []),
          resolve6: async () => [],
          resolveSrv: async (n) => (n === '_sip._udp.pbx.example.net' ? [{ name: 'pbx-a.example.net', port: PBX.port, priority: 1, weight: 1 }] : []),
        },
      }),
    });
    h.proxy.handleRequest(req(invite()), UAC);
    await new Promise((r) => setTimeout(r, 10));
    const f = forwarded(h.take());
    expect(f.uri).toBe('sip:+15550001@pbx.example.net');
  });

  it('answers 502 when a target name does not resolve', async () => {
    const h = harness(() => accept(['sip:nowhere.invalid:5060']));
    h.proxy.handleRequest(req(invite()), UAC);
    await new Promise((r) => setTimeout(r, 10));
    expect(only(h.take(), toUac).map(status)).toEqual([100, 502]);
  });

  it('cancels the branch when Timer C fires after a provisional', () => {
    const h = harness(() => accept([TARGET]), { timerCMs: 180_000 });
    h.proxy.handleRequest(req(invite()), UAC);
    const f = forwarded(h.take());
    h.proxy.handleResponse(answer(f, 180, 'Ringing'), PBX);
    h.take();
    h.clock.advance(180_000);
    const c = only(h.take(), toPbx);
    expect(c.map((s) => (s.msg as SipRequest).method)).toEqual(['CANCEL']);
  });

  it('forwards a late 2xx statelessly along Via once the transactions are gone', () => {
    const h = harness(() => accept([TARGET]));
    h.proxy.handleRequest(req(invite()), UAC);
    const f = forwarded(h.take());
    h.proxy.handleResponse(answer(f, 200, 'OK'), PBX);
    h.take();
    h.clock.advance(40_000);
    expect(h.proxy.stats().clientTransactions).toBe(0);
    expect(h.proxy.stats().serverTransactions).toBe(0);
    h.proxy.handleResponse(answer(f, 200, 'OK'), PBX);
    const sent = h.take();
    expect(sent.length).toBe(1);
    expect(sent[0]!.to).toEqual({ transport: 'udp', address: UAC.address, port: UAC.port });
    // A response naming a branch that is not ours is dropped.
    const foreign = answer(f, 200, 'OK');
    foreign.via[0]!.branch = 'z9hG4bKnotours';
    h.proxy.handleResponse(foreign, PBX);
    expect(h.take()).toEqual([]);
  });

  it('does not Record-Route a REGISTER; answers non-INVITE requests without 100 Trying', () => {
    const h = harness(() => accept([TARGET]));
    h.proxy.handleRequest(req(invite({ method: 'REGISTER', uri: 'sip:pbx.example.com' })), UAC);
    const sent = h.take();
    expect(only(sent, toUac)).toEqual([]);
    const f = forwarded(sent);
    expect(getHeaders(f, 'Record-Route')).toEqual([]);
    h.proxy.handleResponse(answer(f, 200, 'OK'), PBX);
    expect(only(h.take(), toUac).map(status)).toEqual([200]);
  });

  it('leaves Max-Forwards 0 on a new request to the gate (OPTIONS to the edge is answered 200 there)', () => {
    const h = harness(() => ({ kind: 'reject', status: 200, reason: 'OK' }));
    h.proxy.handleRequest(req(invite({ method: 'OPTIONS', uri: `sip:${EDGE.host}:${EDGE.port}` }).replace('Max-Forwards: 70', 'Max-Forwards: 0')), UAC);
    expect(h.take().map(status)).toEqual([200]);
    expect(h.admits).toBe(1);
  });

  it('answers 483 to an in-dialog request with Max-Forwards 0', () => {
    const h = harness(() => accept([TARGET]));
    h.proxy.handleRequest(req(invite({ method: 'BYE', toTag: 'x' }).replace('Max-Forwards: 70', 'Max-Forwards: 0')), UAC);
    expect(h.take().map(status)).toEqual([483]);
  });
});

describe('caller over TCP', () => {
  it('sends requests towards the caller back on its own TCP flow, not to its Contact', () => {
    const h = harness(() => accept([TARGET]));
    const tcpCaller = { transport: 'tcp' as const, address: UAC.address, port: 40_000 };
    h.proxy.handleRequest(req(invite().replace('SIP/2.0/UDP 192.0.2.10:5062', 'SIP/2.0/TCP 192.0.2.10:5062')), tcpCaller);
    const f = forwarded(h.take());
    const rr = getHeaders(f, 'Record-Route');
    expect(rr.length).toBe(2);
    expect(rr[0]).not.toContain('fl=');
    expect(rr[1]).toContain(';transport=tcp;');
    expect(rr[1]).toContain(`fl=${UAC.address}:40000`);
    h.proxy.handleResponse(answer(f, 200, 'OK'), PBX);
    h.take();
    h.proxy.handleRequest(req(`BYE sip:alice@192.0.2.10:5062 SIP/2.0
Via: SIP/2.0/UDP 192.0.2.20:5070;branch=z9hG4bKpbxbye2
Max-Forwards: 70
From: <sip:+15550001@pbx.example.com>;tag=pbxtag
To: "Alice" <sip:alice@example.com>;tag=fromtag1
Call-ID: call-1@192.0.2.10
CSeq: 1 BYE
Route: ${rr[0]}, ${rr[1]}
Content-Length: 0

`), PBX);
    const sent = h.take();
    expect(sent.length).toBe(1);
    expect(sent[0]!.to).toEqual({ transport: 'tcp', address: UAC.address, port: 40_000 });
    expect((sent[0]!.msg as SipRequest).via[0]!.transport).toBe('TCP');
  });
});

describe('robustness', () => {
  it('survives a throwing send and a failing gate, answering 500 to the latter', async () => {
    const h = harness(() => Promise.reject(new Error('store down')));
    h.proxy.handleRequest(req(invite()), UAC);
    await new Promise((r) => setTimeout(r, 5));
    expect(h.take().map(status)).toEqual([500]);
    const g = harness(() => accept([TARGET]), { send: () => { throw new Error('transport bug'); } });
    expect(() => g.proxy.handleRequest(req(invite()), UAC)).not.toThrow();
    expect(() => g.clock.advance(64_000)).not.toThrow();
  });
});

describe('received / rport', () => {
  it('stamps the caller\'s Via so a late 2xx reaches a caller behind NAT', () => {
    const h = harness(() => accept([TARGET]));
    const natted = { transport: 'udp' as const, address: '203.0.113.77', port: 40_123 };
    h.proxy.handleRequest(req(invite()), natted);
    const f = forwarded(h.take());
    expect(f.via[1]!.received).toBe('203.0.113.77');
    expect(f.via[1]!.rport).toBe('40123');
    h.proxy.handleResponse(answer(f, 200, 'OK'), PBX);
    expect(h.take()[0]!.to).toEqual(natted);
    h.clock.advance(40_000);
    h.proxy.handleResponse(answer(f, 200, 'OK'), PBX);
    const late = h.take();
    expect(late.length).toBe(1);
    expect(late[0]!.to).toEqual({ transport: 'udp', address: '203.0.113.77', port: 40_123 });
  });

  it('leaves the Via alone when the sender is where it says and asked for no rport', () => {
    const h = harness(() => accept([TARGET]));
    h.proxy.handleRequest(req(invite().replace(';rport', '')), UAC);
    const f = forwarded(h.take());
    expect(getHeaders(f, 'Via')[1]).toBe('SIP/2.0/UDP 192.0.2.10:5062;branch=z9hG4bKuac1');
  });
});
