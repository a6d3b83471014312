import { describe, expect, it } from 'vitest';
import { forwardRequest, forwardRequestBytes } from '../../src/proxy/forward-request.ts';
import type { ForwardEdits } from '../../src/proxy/forward-request.ts';
import { stampedFirstViaLine, stampTopVia } from '../../src/proxy/via-stamp.ts';
import type { Peer } from '../../src/proxy/types.ts';
import { parseMessage } from '../../src/sip/parse.ts';
import type { SipRequest } from '../../src/sip/message.ts';
import { serializeMessage } from '../../src/sip/serialize.ts';

function request(lines: string[], body = ''): SipRequest {
  const m = parseMessage(Buffer.from(`${lines.join('\r\n')}\r\n\r\n${body}`, 'latin1'));
  if (m.kind === 'parse-error' || m.type !== 'request') throw new Error(`test input must parse: ${JSON.stringify(m)}`);
  return m;
}

const sdp = 'v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\n';
const natted: Peer = { transport: 'udp', address: '198.51.100.9', port: 40000 };
const same: Peer = { transport: 'udp', address: '192.0.2.1', port: 5060 };

const invite = request([
  'INVITE sip:+15550001@edge.example.com SIP/2.0',
  'Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK1;rport',
  'Max-Forwards: 70',
  'From: <sip:alice@example.com>;tag=a1',
  'To: <sip:+15550001@edge.example.com>',
  'Call-ID: c1',
  'CSeq: 2 INVITE',
  'Proxy-Authorization: Digest username="alice", realm="sip-edge", nonce="n", uri="sip:x", response="0123"',
  'Proxy-Authorization: Digest username="alice", realm="other", nonce="n", uri="sip:x", response="4567"',
  'X-Edge-Account: forged',
  'Content-Type: application/sdp',
  `Content-Length: ${sdp.length}`,
], sdp);

const compact = request([
  'BYE sip:bob@192.0.2.2 SIP/2.0',
  'v: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK2;rport, SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK0',
  'f: <sip:alice@example.com>;tag=a1',
  't: <sip:bob@example.com>;tag=b2',
  'i: c1',
  'CSeq: 3 BYE',
  'Route: <sip:203.0.113.5:5060;lr;ert=abc>, <sip:10.9.9.9;lr>',
  'Route: <sip:10.8.8.8;lr>',
  'l: 0',
]);

const noMaxForwards = request([
  'OPTIONS sip:edge.example.com SIP/2.0',
  'Via: SIP/2.0/TCP 192.0.2.1:5060;branch=z9hG4bK3',
  'From: <sip:alice@example.com>;tag=a1',
  'To: <sip:edge.example.com>',
  'Call-ID: c2',
  'CSeq: 1 OPTIONS',
]);

const outOfDialog: ForwardEdits = {
  requestUri: 'sip:+15550001@10.0.0.5:5060',
  via: 'SIP/2.0/UDP 203.0.113.5:5060;branch=z9hG4bK-e1',
  recordRoute: ['<sip:203.0.113.5:5060;lr;ert=tok>', '<sip:203.0.113.5:5060;transport=tcp;lr;ert=tok>'],
  realm: 'sip-edge',
  routes: [],
  edgeHeaders: [['X-Edge-Account', 'AC1'], ['X-Edge-Auth', 'digest;user=alice']],
};
const inDialog: ForwardEdits = {
  via: 'SIP/2.0/UDP 203.0.113.5:5060;branch=z9hG4bK-e2',
  routes: [{ name: 'Route', value: '<sip:10.9.9.9;lr>' }, { name: 'Route', value: '<sip:10.8.8.8;lr>' }],
};

describe('forwardRequestBytes', () => {
  const cases: Array<[string, SipRequest, ForwardEdits, Peer]> = [
    ['an INVITE with SDP, credentials for two realms and a forged X-Edge header, from behind NAT', invite, outOfDialog, natted],
    ['the same INVITE from its sent-by address (no stamp)', invite, outOfDialog, same],
    ['an in-dialog BYE in compact form with a combined Via line and Routes replaced', compact, inDialog, natted],
    ['a request without Max-Forwards or Content-Length', noMaxForwards, outOfDialog, same],
    ['a request without Route lines given routes', noMaxForwards, inDialog, natted],
  ];
  for (const [name, req, edits, source] of cases) {
    it(`writes what serializeMessage(forwardRequest(stamped)) writes: ${name}`, () => {
      const expected = serializeMessage(forwardRequest({ ...req, headers: stampTopVia(req.headers, req.via[0], source) }, edits));
      const actual = forwardRequestBytes(req, edits, stampedFirstViaLine(req.headers, req.via[0], source));
      expect(actual.toString('latin1')).toBe(expected.toString('latin1'));
    });
  }

  it('removes only our realm\'s credentials and every incoming X-Edge header', () => {
    const text = forwardRequestBytes(invite, outOfDialog).toString('latin1');
    expect(text).not.toContain('realm="sip-edge"');
    expect(text).toContain('realm="other"');
    expect(text).not.toContain('forged');
    expect(text).toContain('Max-Forwards: 69\r\n');
    expect(text.endsWith(`\r\n\r\n${sdp}`)).toBe(true);
  });
});
