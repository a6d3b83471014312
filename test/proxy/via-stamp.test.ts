import { describe, expect, it } from 'vitest';
import { stampedFirstViaLine } from '../../src/proxy/via-stamp.ts';
import type { Peer } from '../../src/proxy/types.ts';
import { parseMessage } from '../../src/sip/parse.ts';
import type { SipRequest } from '../../src/sip/message.ts';

function request(via: string): SipRequest {
  const text = `INVITE sip:a@b SIP/2.0\r\nVia: ${via}\r\nFrom: <sip:x@y>;tag=1\r\nTo: <sip:a@b>\r\nCall-ID: c\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n`;
  const m = parseMessage(Buffer.from(text, 'latin1'));
  if ('kind' in m && m.kind === 'parse-error') throw new Error(`fixture does not parse: ${via}`);
  return m as SipRequest;
}

/** The previous implementation (regular expression and lowercase copies), as the reference. */
function reference(value: string, host: string, rportAsked: boolean, hasReceived: boolean, source: Peer): string | undefined {
  const unbracketed = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  const differs = unbracketed.toLowerCase() !== source.address.toLowerCase();
  if (!rportAsked && !differs) return undefined;
  let v = value;
  if (rportAsked) v = v.replace(/;\s*rport(?=\s*(;|$))/i, `;rport=${source.port}`);
  if (!hasReceived) v += `;received=${source.address}`;
  return v;
}

describe('stamping the top Via', () => {
  const sources: Peer[] = [
    { transport: 'udp', address: '192.0.2.1', port: 5062 },
    { transport: 'udp', address: '198.51.100.7', port: 40000 },
    { transport: 'udp', address: '2001:db8::1', port: 5060 },
  ];
  const vias = [
    'SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK1;rport',
    'SIP/2.0/UDP 192.0.2.1:5060;rport;branch=z9hG4bK1',
    'SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK1; RPORT ',
    'SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK1;rport ;x=1',
    'SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK1;rport=1234',
    'SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK1;rportx;rport',
    'SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK1',
    'SIP/2.0/UDP host.EXAMPLE:5060;branch=z9hG4bK1;received=203.0.113.9',
    'SIP/2.0/UDP [2001:DB8::1]:5060;branch=z9hG4bK1;rport',
    'SIP/2.0/UDP [2001:db8::1];branch=z9hG4bK1',
  ];
  it('gives what the regular-expression version gave', () => {
    let checked = 0;
    for (const via of vias) {
      const req = request(via);
      const top = req.via[0]!;
      for (const source of sources) {
        const want = reference(req.headers[0]!.value, top.host, top.rport === null, top.received !== undefined, source);
        expect(stampedFirstViaLine(req.headers, top, source), `${via} from ${source.address}`).toBe(want);
        checked++;
      }
    }
    expect(checked).toBe(vias.length * sources.length);
  });

  it('puts rport and received in place', () => {
    const req = request('SIP/2.0/UDP 10.0.0.5:5060;rport;branch=z9hG4bK1');
    expect(stampedFirstViaLine(req.headers, req.via[0], { transport: 'udp', address: '192.0.2.1', port: 5062 })).toBe(
      'SIP/2.0/UDP 10.0.0.5:5060;rport=5062;branch=z9hG4bK1;received=192.0.2.1',
    );
  });
});
