import { describe, expect, it } from 'vitest';
import { parseMessage } from '../../src/sip/parse.ts';
import type { SipRequest } from '../../src/sip/message.ts';
import { buildResponse, responseBytes } from '../../src/sip/response.ts';
import { serializeMessage } from '../../src/sip/serialize.ts';

function request(lines: string[]): SipRequest {
  const m = parseMessage(Buffer.from(`${lines.join('\r\n')}\r\nContent-Length: 0\r\n\r\n`, 'latin1'));
  if (m.kind === 'parse-error' || m.type !== 'request') throw new Error('test input must parse as a request');
  return m;
}

const invite = request([
  'INVITE sip:bob@example.com SIP/2.0',
  'Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK1;rport',
  'v: SIP/2.0/UDP 192.0.2.9;branch=z9hG4bK0, SIP/2.0/TCP 192.0.2.8;branch=z9hG4bKx',
  'Max-Forwards: 70',
  'f: "Alice" <sip:alice@example.com>;tag=a1',
  'To: <sip:bob@example.com>',
  'i: call-1@192.0.2.1',
  'CSeq: 7 INVITE',
  'Contact: <sip:alice@192.0.2.1>',
]);
const inDialog = request([
  'BYE sip:bob@192.0.2.2 SIP/2.0',
  'Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK2',
  'Max-Forwards: 70',
  'From: <sip:alice@example.com>;tag=a1',
  'To: <sip:bob@example.com>;tag=b2',
  'Call-ID: call-1@192.0.2.1',
  'CSeq: 8 BYE',
]);

describe('responseBytes', () => {
  const cases: Array<[string, SipRequest, number, string | undefined, Array<[string, string]> | undefined]> = [
    ['100 to an INVITE (no To tag added)', invite, 100, undefined, undefined],
    ['407 with challenge headers (To tag added)', invite, 407, undefined, [['Proxy-Authenticate', 'Digest realm="r", nonce="n"'], ['Warning', '399 edge "x"']]],
    ['403 with a given reason', invite, 403, 'Forbidden', undefined],
    ['487 to an in-dialog request keeps its To tag', inDialog, 487, undefined, undefined],
  ];
  for (const [name, req, status, reason, extra] of cases) {
    it(`writes what serializeMessage(buildResponse(...)) writes: ${name}`, () => {
      expect(responseBytes(req, status, reason, extra).toString('latin1'))
        .toBe(serializeMessage(buildResponse(req, status, reason, extra)).toString('latin1'));
    });
  }

  it('gives a retransmitted request the same To tag', () => {
    expect(responseBytes(invite, 407).equals(responseBytes(invite, 407))).toBe(true);
    expect(responseBytes(invite, 407).toString('latin1')).toMatch(/\r\nTo: <sip:bob@example.com>;tag=[0-9a-f]{16}\r\n/);
  });
});
