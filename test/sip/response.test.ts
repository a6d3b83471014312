import { describe, expect, it } from 'vitest';
import type { SipRequest } from '../../src/sip/message.ts';
import { getHeader, getHeaders } from '../../src/sip/message.ts';
import { parseMessage } from '../../src/sip/parse.ts';
import type { SipParseError } from '../../src/sip/parse-error.ts';
import { buildParseErrorResponse, buildResponse } from '../../src/sip/response.ts';
import { serializeMessage } from '../../src/sip/serialize.ts';

const LINES = [
  'INVITE sip:bob@example.com SIP/2.0',
  'Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK-1;rport',
  'v: SIP/2.0/TCP 192.0.2.2;branch=z9hG4bK-0',
  'From: "Alice" <sip:alice@example.com>;tag=a1',
  'To: <sip:bob@example.com>',
  'Call-ID: c1@192.0.2.1',
  'CSeq: 1 INVITE',
  'Max-Forwards: 70',
  'Proxy-Authorization: Digest username="alice", response="secret-ish"',
  'Content-Length: 0',
];

function request(lines = LINES): SipRequest {
  const r = parseMessage(Buffer.from(`${lines.join('\r\n')}\r\n\r\n`));
  if (r.kind === 'parse-error' || r.type !== 'request') throw new Error('must parse');
  return r;
}

function parseError(text: string): SipParseError {
  const r = parseMessage(Buffer.from(text));
  if (r.kind !== 'parse-error') throw new Error('must not parse');
  return r;
}

describe('buildResponse', () => {
  it('copies Via (all, in order), From, To, Call-ID, CSeq and nothing else of the request', () => {
    const resp = buildResponse(request(), 407, undefined, [['Proxy-Authenticate', 'Digest realm="x"']]);
    expect(resp.status).toBe(407);
    expect(resp.reason).toBe('Proxy Authentication Required');
    expect(resp.headers.map((h) => h.name)).toEqual(['Via', 'Via', 'From', 'To', 'Call-ID', 'CSeq', 'Proxy-Authenticate', 'Content-Length']);
    expect(getHeaders(resp, 'via')).toEqual(['SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK-1;rport', 'SIP/2.0/TCP 192.0.2.2;branch=z9hG4bK-0']);
    expect(getHeader(resp, 'From')).toBe('"Alice" <sip:alice@example.com>;tag=a1');
    expect(getHeader(resp, 'Call-ID')).toBe('c1@192.0.2.1');
    expect(getHeader(resp, 'CSeq')).toBe('1 INVITE');
    expect(serializeMessage(resp).toString()).not.toContain('secret-ish');
  });

  it('adds the same To tag for retransmissions, none for 100, keeps an existing one', () => {
    const a = buildResponse(request(), 404);
    const b = buildResponse(request(), 404);
    const tagA = getHeader(a, 'To')!;
    expect(tagA).toMatch(/^<sip:bob@example\.com>;tag=[0-9a-f]{16}$/);
    expect(getHeader(b, 'To')).toBe(tagA);
    expect(getHeader(buildResponse(request(), 100), 'To')).toBe('<sip:bob@example.com>');
    const tagged = request(LINES.map((l) => (l.startsWith('To:') ? 'To: <sip:bob@example.com>;tag=b2' : l)));
    expect(getHeader(buildResponse(tagged, 486), 'To')).toBe('<sip:bob@example.com>;tag=b2');
  });

  it('serializes to a response that parses back with the same transaction identity', () => {
    const out = parseMessage(serializeMessage(buildResponse(request(), 420, 'Bad Extension', [['Unsupported', 'foo']])));
    if (out.kind === 'parse-error' || out.type !== 'response') throw new Error('must parse');
    expect(out.status).toBe(420);
    expect(out.reason).toBe('Bad Extension');
    expect(out.via.map((v) => v.branch)).toEqual(['z9hG4bK-1', 'z9hG4bK-0']);
    expect(out.cseq).toEqual({ seq: 1, method: 'INVITE' });
    expect(out.to?.tag).toBeDefined();
    expect(getHeader(out, 'Unsupported')).toBe('foo');
    expect(out.body.length).toBe(0);
  });
});

describe('buildParseErrorResponse', () => {
  it('answers 400 with the copied headers and a To tag', () => {
    const e = parseError(`${LINES.join('\r\n').replace('Max-Forwards: 70', 'Max-Forwards: 300')}\r\n\r\n`);
    const out = buildParseErrorResponse(e);
    expect(out).not.toBeNull();
    const r = parseMessage(out!);
    if (r.kind === 'parse-error' || r.type !== 'response') throw new Error('answer must parse');
    expect(r.status).toBe(400);
    expect(r.reason).toBe('Bad Request (bad Max-Forwards)');
    expect(r.via).toHaveLength(2);
    expect(r.callId).toBe('c1@192.0.2.1');
    expect(r.to?.tag).toMatch(/^[0-9a-f]{16}$/);
    expect(out!.toString()).not.toContain('secret-ish');
  });

  it('answers 505 for an unsupported version', () => {
    const e = parseError(`${LINES.join('\r\n').replace('SIP/2.0\r\n', 'SIP/3.0\r\n')}\r\n\r\n`);
    expect(buildParseErrorResponse(e)!.toString()).toMatch(/^SIP\/2\.0 505 Version Not Supported/);
  });

  it('drops what it cannot answer: responses, ACK, unknown transaction', () => {
    expect(buildParseErrorResponse(parseError('SIP/2.0 999 Nope\r\nVia: SIP/2.0/UDP h\r\n\r\n'))).toBeNull();
    const broken = (lines: string[]) => `${lines.join('\r\n').replace('Max-Forwards: 70', 'Max-Forwards: 300')}\r\n\r\n`;
    expect(buildParseErrorResponse(parseError(broken(LINES.map((l) => l.replace('INVITE', 'ACK')))))).toBeNull();
    expect(buildParseErrorResponse(parseError(broken(LINES.filter((l) => !l.startsWith('Call-ID')))))).toBeNull();
    expect(buildParseErrorResponse(parseError(broken(LINES)))).not.toBeNull();
    expect(buildParseErrorResponse(parseError('garbage'))).toBeNull();
  });
});
