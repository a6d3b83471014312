import { describe, expect, it } from 'vitest';
import type { SipRequest } from '../../src/sip/message.ts';
import { parseMessage } from '../../src/sip/parse.ts';
import { validateRequest } from '../../src/sip/validate.ts';

const BASE = [
  'Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK-1',
  'From: <sip:alice@example.com>;tag=a1',
  'To: <sip:bob@example.com>',
  'Call-ID: c1@192.0.2.1',
  'CSeq: 1 OPTIONS',
  'Max-Forwards: 70',
];

function request(startLine: string, headers: string[]): SipRequest {
  const r = parseMessage(Buffer.from(`${startLine}\r\n${headers.join('\r\n')}\r\nContent-Length: 0\r\n\r\n`));
  if (r.kind === 'parse-error' || r.type !== 'request') throw new Error('test request must parse');
  return r;
}

describe('validateRequest', () => {
  it('passes a well-formed request', () => {
    expect(validateRequest(request('OPTIONS sip:bob@example.com SIP/2.0', BASE))).toBeNull();
    expect(validateRequest(request('OPTIONS tel:+15551234 SIP/2.0', BASE))).toBeNull();
  });

  it('400 for each missing mandatory header', () => {
    for (const name of ['Via', 'From', 'To', 'Call-ID', 'CSeq']) {
      const r = request('OPTIONS sip:bob@example.com SIP/2.0', BASE.filter((h) => !h.startsWith(`${name}:`)));
      expect(validateRequest(r), name).toMatchObject({ status: 400, reason: `Missing ${name}` });
    }
  });

  it('a missing Max-Forwards is not an error (the proxy adds one)', () => {
    const r = request('OPTIONS sip:bob@example.com SIP/2.0', BASE.filter((h) => !h.startsWith('Max-Forwards')));
    expect(validateRequest(r)).toBeNull();
  });

  it('400 for repeated single-value headers', () => {
    for (const extra of ['Call-ID: other', 'CSeq: 2 OPTIONS', 'To: <sip:x@y.example>', 'From: <sip:x@y.example>;tag=2', 'Max-Forwards: 5']) {
      const r = request('OPTIONS sip:bob@example.com SIP/2.0', [...BASE, extra]);
      expect(validateRequest(r)?.status, extra).toBe(400);
    }
  });

  it('416 for a Request-URI scheme other than sip, sips, tel', () => {
    const r = request('OPTIONS http://example.com/ SIP/2.0', BASE);
    expect(validateRequest(r)).toMatchObject({ status: 416 });
  });

  it('483 for Max-Forwards 0, after the scheme check', () => {
    const mf0 = BASE.map((h) => (h.startsWith('Max-Forwards') ? 'Max-Forwards: 0' : h));
    expect(validateRequest(request('OPTIONS sip:bob@example.com SIP/2.0', mf0))).toMatchObject({ status: 483 });
    expect(validateRequest(request('OPTIONS urn:x:y SIP/2.0', mf0))).toMatchObject({ status: 416 });
  });

  it('420 with Unsupported listing every Proxy-Require option tag', () => {
    const r = request('OPTIONS sip:bob@example.com SIP/2.0', [...BASE, 'Proxy-Require: foo, bar', 'Proxy-Require: baz']);
    expect(validateRequest(r)).toEqual({ status: 420, reason: 'Bad Extension', headers: [['Unsupported', 'foo, bar, baz']] });
  });

  it('an empty Proxy-Require asks for nothing', () => {
    const r = request('OPTIONS sip:bob@example.com SIP/2.0', [...BASE, 'Proxy-Require:']);
    expect(validateRequest(r)).toBeNull();
  });
});
