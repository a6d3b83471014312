// The proxy with an outbound UDP socket of its own (cluster workers): requests towards the callee
// name that port in Via and leave through it; requests towards the caller, and every response,
// leave from the SIP port.

import { describe, expect, it } from 'vitest';
import { getHeaders } from '../../src/sip/message.ts';
import type { SipRequest, SipResponse } from '../../src/sip/message.ts';
import { serializeMessage } from '../../src/sip/serialize.ts';
import { accept, answer, EDGE, harness, invite, PBX, pbxBye, req, UAC } from './harness.ts';
import type { Sent } from './harness.ts';

const OUT_PORT = 41000;
const TARGET = `sip:${PBX.address}:${PBX.port}`;

function withOutbound(targets: string[] = [TARGET]) {
  const viaOwn: Sent[] = [];
  const h = harness(() => accept(targets), {
    outboundUdp: {
      port: OUT_PORT,
      send: (to, bytes) => {
        const text = bytes.toString('latin1');
        viaOwn.push({ to, msg: req(text), text });
      },
    },
  });
  return { h, viaOwn };
}

describe('outbound UDP socket', () => {
  it('forwards an INVITE from the own port (named in Via, Record-Route keeps the SIP port); responses go up from the SIP port', () => {
    const { h, viaOwn } = withOutbound();
    h.proxy.handleRequest(req(invite()), UAC);
    const shared = h.take();
    expect(shared.map((s) => (s.msg as SipResponse).status)).toEqual([100]);
    expect(viaOwn.length).toBe(1);
    const f = viaOwn[0]!.msg as SipRequest;
    expect(viaOwn[0]!.to.address).toBe(PBX.address);
    expect(f.via[0]!.port).toBe(OUT_PORT);
    expect(getHeaders(f, 'Record-Route')[0]).toContain(`${EDGE.host}:${EDGE.port};`);
    h.proxy.handleResponse(answer(f, 486, 'Busy Here'), PBX);
    // The hop-by-hop ACK for the 486 also leaves from the own port, the 486 from the SIP port.
    expect(viaOwn.map((s) => (s.msg as SipRequest).method)).toEqual(['INVITE', 'ACK']);
    expect(h.take().map((s) => (s.msg as SipResponse).status)).toEqual([486]);
  });

  it('sends in-dialog requests towards the callee from the own port and towards the caller from the SIP port', () => {
    const { h, viaOwn } = withOutbound();
    h.proxy.handleRequest(req(invite()), UAC);
    const f = viaOwn[0]!.msg as SipRequest;
    h.proxy.handleResponse(answer(f, 200, 'OK'), PBX);
    h.take();
    const rr = getHeaders(f, 'Record-Route')[0]!;
    h.proxy.handleRequest(pbxBye(rr), PBX);
    const toCaller = h.take().filter((s) => s.msg.type === 'request');
    expect(toCaller.length).toBe(1);
    expect((toCaller[0]!.msg as SipRequest).via[0]!.port).toBe(EDGE.port);
    expect(viaOwn.length).toBe(1);
    h.proxy.handleRequest(req(`BYE sip:pbx@${PBX.address}:${PBX.port} SIP/2.0
Via: SIP/2.0/UDP 192.0.2.10:5062;branch=z9hG4bKuacbye
Max-Forwards: 70
From: "Alice" <sip:alice@example.com>;tag=fromtag1
To: <sip:+15550001@pbx.example.com>;tag=pbxtag
Call-ID: call-1@192.0.2.10
CSeq: 2 BYE
Route: ${rr}
Content-Length: 0

`), UAC);
    expect(viaOwn.length).toBe(2);
    const bye = viaOwn[1]!.msg as SipRequest;
    expect(bye.method).toBe('BYE');
    expect(bye.via[0]!.port).toBe(OUT_PORT);
    h.proxy.handleResponse(answer(bye, 200, 'OK'), PBX);
    expect(h.take().map((s) => (s.msg as SipResponse).status)).toEqual([200]);
  });

  it('answers 482 when a request forwarded from the own port comes back unchanged', () => {
    const { h, viaOwn } = withOutbound([`sip:${EDGE.host}:${EDGE.port}`]);
    h.proxy.handleRequest(req(invite()), UAC);
    h.take();
    const src = { transport: 'udp' as const, address: EDGE.host, port: OUT_PORT };
    h.proxy.handleRequest(req(serializeMessage(viaOwn[0]!.msg).toString('latin1')), src);
    h.proxy.handleRequest(req(serializeMessage(viaOwn[1]!.msg).toString('latin1')), src);
    expect(h.take().filter((s) => s.msg.type === 'response' && (s.msg as SipResponse).status === 482).length).toBe(1);
  });
});
