import { describe, expect, it } from 'vitest';
import {
  MAX_BODY_BYTES, MAX_FOLDED_LINES, MAX_HEADER_BLOCK_BYTES, MAX_HEADER_COUNT, MAX_HEADER_LINES,
  MAX_HEADER_VALUE_BYTES,
} from '../../src/sip/limits.ts';
import { getHeader, getHeaders, getRequestUri } from '../../src/sip/message.ts';
import type { SipMessage, SipRequest, SipResponse } from '../../src/sip/message.ts';
import { parseMessage } from '../../src/sip/parse.ts';
import type { SipParseError } from '../../src/sip/parse-error.ts';

const HEAD = [
  'INVITE sip:bob@example.com SIP/2.0',
  'Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK-1;rport',
  'From: "Alice" <sip:alice@example.com>;tag=a1',
  'To: <sip:bob@example.com>',
  'Call-ID: c1@192.0.2.1',
  'CSeq: 1 INVITE',
  'Max-Forwards: 70',
];

function msg(lines: string[], body = ''): Buffer {
  return Buffer.from(`${lines.join('\r\n')}\r\n\r\n${body}`, 'latin1');
}
function ok(b: Buffer): SipMessage {
  const r = parseMessage(b);
  if (r.kind === 'parse-error') throw new Error(`unexpected parse error: ${r.reason}`);
  return r;
}
function req(b: Buffer): SipRequest {
  const r = ok(b);
  if (r.type !== 'request') throw new Error('not a request');
  return r;
}
function res(b: Buffer): SipResponse {
  const r = ok(b);
  if (r.type !== 'response') throw new Error('not a response');
  return r;
}
function err(b: Buffer): SipParseError {
  const r = parseMessage(b);
  if (r.kind !== 'parse-error') throw new Error('expected a parse error');
  return r;
}

describe('parseMessage: start line', () => {
  it('reads a request line and the eager headers', () => {
    const r = req(msg([...HEAD, 'Content-Length: 4'], 'abcd'));
    expect(r.method).toBe('INVITE');
    expect(r.uri).toBe('sip:bob@example.com');
    expect(r.version).toBe('SIP/2.0');
    expect(r.via).toHaveLength(1);
    expect(r.via[0]).toMatchObject({ transport: 'UDP', host: '192.0.2.1', port: 5060, branch: 'z9hG4bK-1', rport: null });
    expect(r.via[0]!.params.get('branch')).toBe('z9hG4bK-1');
    expect(r.from).toMatchObject({ displayName: 'Alice', uri: 'sip:alice@example.com', tag: 'a1' });
    expect(r.to).toMatchObject({ displayName: undefined, uri: 'sip:bob@example.com', tag: undefined });
    expect(r.callId).toBe('c1@192.0.2.1');
    expect(r.cseq).toEqual({ seq: 1, method: 'INVITE' });
    expect(r.maxForwards).toBe(70);
    expect(r.contentLength).toBe(4);
    expect(r.body.toString()).toBe('abcd');
    expect(getRequestUri(r)).toMatchObject({ scheme: 'sip', user: 'bob', host: 'example.com' });
    expect(getRequestUri(r)).toBe(getRequestUri(r));
    r.uri = 'sip:carol@example.org:5080';
    expect(getRequestUri(r)).toMatchObject({ user: 'carol', host: 'example.org', port: 5080 });
  });

  it('reads status lines, including an empty reason', () => {
    const base = HEAD.slice(1);
    expect(res(msg(['SIP/2.0 180 Ringing', ...base])).status).toBe(180);
    const empty = res(msg(['SIP/2.0 100 ', ...base]));
    expect(empty.reason).toBe('');
    expect(res(msg(['SIP/2.0 699 Whatever you like', ...base])).reason).toBe('Whatever you like');
  });

  it('refuses bad status codes', () => {
    for (const line of ['SIP/2.0 700 Too big', 'SIP/2.0 099 Small', 'SIP/2.0 20 OK', 'SIP/2.0 2000 OK', 'SIP/2.0 2x0 OK']) {
      const e = err(msg([line, ...HEAD.slice(1)]));
      expect(e.isRequest).toBe(false);
      expect(e.canRespond).toBe(false);
    }
  });

  it('505 for another SIP version, 400 for garbage versions', () => {
    expect(err(msg(['INVITE sip:bob@example.com SIP/3.0', ...HEAD.slice(1)])).status).toBe(505);
    expect(err(msg(['INVITE sip:bob@example.com SIP/2.0 ', ...HEAD.slice(1)])).status).toBe(400);
    expect(err(msg(['INVITE sip:bob@example.com HTTP/1.1', ...HEAD.slice(1)])).status).toBe(400);
    expect(err(msg(['INVITE sip:bob@example.com sip/2.0', ...HEAD.slice(1)])).status).toBe(400);
  });

  it('refuses Request-URIs with spaces, brackets or no scheme, and non-token methods', () => {
    for (const line of [
      'INVITE  sip:bob@example.com SIP/2.0', 'INVITE <sip:bob@example.com> SIP/2.0',
      'INVITE bob@example.com SIP/2.0', 'INVITE sip:bob@exa mple.com SIP/2.0', 'INV(TE sip:bob@example.com SIP/2.0',
      'INVITE SIP/2.0',
    ]) {
      const e = err(msg([line, ...HEAD.slice(1)]));
      expect(e.status, line).toBe(400);
      expect(e.isRequest).toBe(true);
    }
  });

  it('skips CRLFs before the start line', () => {
    expect(req(Buffer.concat([Buffer.from('\r\n\r\n'), msg(HEAD)])).method).toBe('INVITE');
  });
});

describe('parseMessage: header lines', () => {
  it('undoes folding and keeps names as written; compact forms are found by their long names', () => {
    const r = req(msg([
      'OPTIONS sip:bob@example.com SIP/2.0',
      'v: SIP/2.0/TCP h1.example.com;branch=z9hG4bK-a,',
      '   SIP/2.0/UDP h2.example.com:5070',
      'f: <sip:alice@example.com>;tag=1', 't: sip:bob@example.com', 'i: abc', 'CSeq: 7', '\tOPTIONS',
      'Subject: one', ' two', 'l: 0',
    ]));
    expect(r.via.map((v) => [v.transport, v.host, v.port])).toEqual([['TCP', 'h1.example.com', undefined], ['UDP', 'h2.example.com', 5070]]);
    expect(r.headers[0]).toEqual({ name: 'v', value: 'SIP/2.0/TCP h1.example.com;branch=z9hG4bK-a, SIP/2.0/UDP h2.example.com:5070' });
    expect(getHeader(r, 'subject')).toBe('one two');
    expect(getHeader(r, 's')).toBe('one two');
    expect(getHeader(r, 'CALL-ID')).toBe('abc');
    expect(r.cseq).toEqual({ seq: 7, method: 'OPTIONS' });
    expect(getHeaders(r, 'Via')).toEqual(['SIP/2.0/TCP h1.example.com;branch=z9hG4bK-a', 'SIP/2.0/UDP h2.example.com:5070']);
  });

  it('splits list headers on commas outside quotes and angle brackets only', () => {
    const r = req(msg([...HEAD,
      'Contact: "Doe, John" <sip:jd@example.com;x=a,b>;q=0.5, <sip:other@example.com>',
      'Contact: sip:third@example.com',
      'Authorization: Digest username="a", realm="b", nonce="c"',
      'Allow: INVITE, ACK,BYE']));
    expect(getHeaders(r, 'm')).toEqual(['"Doe, John" <sip:jd@example.com;x=a,b>;q=0.5', '<sip:other@example.com>', 'sip:third@example.com']);
    expect(getHeaders(r, 'Authorization')).toEqual(['Digest username="a", realm="b", nonce="c"']);
    expect(r.authorization).toEqual(['Digest username="a", realm="b", nonce="c"']);
    expect(getHeaders(r, 'allow')).toEqual(['INVITE', 'ACK', 'BYE']);
    expect(getHeader(r, 'X-Absent')).toBeUndefined();
    expect(getHeaders(r, 'X-Absent')).toEqual([]);
  });

  it('parses Route lists and Proxy-Require eagerly', () => {
    const r = req(msg([...HEAD, 'Route: <sip:p1.example.com;lr>, <sip:p2.example.com;lr>', 'Route: <sip:p3.example.com;lr>', 'Proxy-Require: sec-agree']));
    expect(r.route.map((x) => x.uri)).toEqual(['sip:p1.example.com;lr', 'sip:p2.example.com;lr', 'sip:p3.example.com;lr']);
    expect(r.proxyRequire).toEqual(['sec-agree']);
  });

  it('reads IPv6 Via hosts and received/rport values', () => {
    const r = req(msg(['OPTIONS sip:bob@example.com SIP/2.0',
      'Via: SIP/2.0/UDP [2001:db8::9]:5062;received=2001:db8::1;rport=5999;branch=z9hG4bK-6', ...HEAD.slice(2), 'CSeq: 1 OPTIONS'].filter((l) => l !== 'CSeq: 1 INVITE')));
    expect(r.via[0]).toMatchObject({ host: '[2001:db8::9]', port: 5062, received: '2001:db8::1', rport: '5999', branch: 'z9hG4bK-6' });
  });

  it('refuses malformed header lines', () => {
    for (const bad of ['No colon here', ' leading: space', 'Bad Name: x', 'Name\x00: x', 'X: a\rb', 'X: a\nb']) {
      expect(err(msg([...HEAD, bad])).status, JSON.stringify(bad)).toBe(400);
    }
  });

  it('refuses bad eager values with what it read for a 400', () => {
    const cases: Array<[string, string]> = [
      ['CSeq: 4294967296 INVITE', 'bad CSeq'],
      ['CSeq: -1 INVITE', 'bad CSeq'],
      ['CSeq: 1 OPTIONS', 'CSeq method does not match'],
      ['Max-Forwards: 256', 'bad Max-Forwards'],
      ['Max-Forwards: -1', 'bad Max-Forwards'],
      ['Via: SIP/2.0/UDP', 'bad Via'],
      ['Via: SIP/2.0/UDP host:70000', 'bad Via'],
      ['Via: SIP/2.0/UDP host;;branch=1', 'bad Via'],
      ['Via: SIP/3.0/UDP host', 'bad Via'],
      ['To: "unterminated <sip:bob@example.com>', 'bad To'],
      ['To: <sip:bob@example.com', 'bad To'],
      ['To: < sip:bob@example.com >', 'bad To'],
      ['From: <sip:alice@example.com>;tag=1 junk', 'bad From'],
      ['Call-ID: has space', 'bad Call-ID'],
      ['Route: sip:p1.example.com;lr, <>', 'bad Route'],
      ['Proxy-Require: a b', 'bad Proxy-Require'],
      ['Expires: 99999999999', 'bad Expires'],
    ];
    for (const [line, reason] of cases) {
      const name = line.slice(0, line.indexOf(':'));
      const lines = HEAD.filter((h) => !h.startsWith(`${name}:`) || name === 'Via');
      const e = err(msg(name === 'Via' ? [lines[0]!, line, ...lines.slice(1)] : [...lines, line]));
      expect(e.reason, line).toBe(reason);
      expect(e.status).toBe(400);
      expect(e.callId).toBe(name === 'Call-ID' ? 'has space' : 'c1@192.0.2.1');
    }
  });
});

describe('parseMessage: body and Content-Length', () => {
  it('keeps only Content-Length bytes and refuses a length beyond the data', () => {
    expect(req(msg([...HEAD, 'Content-Length: 3'], 'abcdef')).body.toString()).toBe('abc');
    expect(err(msg([...HEAD, 'Content-Length: 7'], 'abcdef')).reason).toBe('Content-Length larger than the body');
  });

  it('takes the rest of the datagram as body when Content-Length is absent', () => {
    const r = req(msg(HEAD, 'xyz'));
    expect(r.body.toString()).toBe('xyz');
    expect(r.contentLength).toBeUndefined();
  });

  it('accepts digits only, once', () => {
    for (const v of ['+3', '3.0', '0x3', '3 ', ' ', '-0', '1e1']) {
      const value = v === '3 ' ? '3 x' : v;
      expect(parseMessage(msg([...HEAD, `Content-Length: ${value}`], 'abc')).kind, v).toBe('parse-error');
    }
    expect(err(msg([...HEAD, 'Content-Length: 3', 'l: 3'], 'abc')).reason).toBe('more than one Content-Length');
  });
});

describe('parseMessage: caps and odd input', () => {
  it('refuses a header block over the cap', () => {
    const big = Array.from({ length: 40 }, (_, i) => `X-H${i}: ${'a'.repeat(500)}`);
    expect(MAX_HEADER_BLOCK_BYTES).toBeLessThan(40 * 500);
    expect(err(msg([...HEAD, ...big])).reason).toBe('header block too large');
  });

  it('refuses more than MAX_HEADER_COUNT headers, not counting Content-Length', () => {
    const lines = (n: number) => [...HEAD, ...Array.from({ length: n - HEAD.length + 1 }, (_, i) => `X-${i}: v`)];
    expect(req(msg([...lines(MAX_HEADER_COUNT), 'Content-Length: 0'])).headers).toHaveLength(MAX_HEADER_COUNT + 1);
    expect(err(msg(lines(MAX_HEADER_COUNT + 1))).reason).toBe('too many headers');
  });

  it('stops looking after MAX_HEADER_LINES lines and MAX_FOLDED_LINES continuations', () => {
    const noCallId = HEAD.filter((h) => !h.startsWith('Call-ID'));
    const garbage = (n: number) => Array.from({ length: n }, () => 'garbage');
    const within = err(msg([...noCallId, ...garbage(MAX_HEADER_LINES - noCallId.length), 'Call-ID: late']));
    expect(within.reason).toBe('malformed header line');
    expect(within.callId).toBe('late');
    const beyond = err(msg([...noCallId, ...garbage(MAX_HEADER_LINES - noCallId.length + 1), 'Call-ID: late']));
    expect(beyond.callId).toBeUndefined();
    expect(err(msg([...HEAD, ...Array.from({ length: MAX_HEADER_LINES }, (_, i) => `X-${i}: 1`)])).reason).toBe('too many headers');
    const folded = ['X: a', ...Array.from({ length: MAX_FOLDED_LINES }, () => ' b')];
    expect(req(msg([...HEAD, ...folded])).headers.at(-1)!.value).toHaveLength(1 + 2 * MAX_FOLDED_LINES);
    expect(err(msg([...HEAD, ...folded, ' c'])).reason).toBe('too many continuation lines');
  });

  it('refuses a header value over the cap', () => {
    expect(err(msg([...HEAD, `X-Long: ${'a'.repeat(MAX_HEADER_VALUE_BYTES + 1)}`])).reason).toBe('header value too long');
  });

  it('refuses a body over the cap', () => {
    expect(err(msg([...HEAD, `Content-Length: ${MAX_BODY_BYTES + 1}`], 'a'.repeat(MAX_BODY_BYTES + 1))).status).toBe(400);
  });

  it('never throws, whatever it is given', () => {
    for (const x of [Buffer.alloc(0), Buffer.from('\r\n'), Buffer.from('\r\n\r\n'), Buffer.from('SIP/2.0'), Buffer.alloc(70_000, 0x41), 'text' as unknown as Buffer, null as unknown as Buffer]) {
      const r = parseMessage(x);
      expect(r.kind).toBe('parse-error');
    }
  });

  it('requires the empty line that ends the headers', () => {
    const e = err(Buffer.from(`${HEAD.join('\r\n')}\r\n`));
    expect(e.reason).toBe('headers not terminated by an empty line');
    expect(e.canRespond).toBe(true);
  });

  it('canRespond is false for ACK and when mandatory values are missing', () => {
    expect(err(msg(['ACK sip:bob@example.com SIP/2.0', ...HEAD.slice(1, -2), 'CSeq: 1 ACK', 'X: a\rb'])).canRespond).toBe(false);
    expect(err(msg(['INVITE sip:bob@example.com SIP/2.0', ...HEAD.slice(2), 'X: a\rb'])).canRespond).toBe(false);
    expect(err(msg([...HEAD, 'X: a\rb'])).canRespond).toBe(true);
  });

  it('a parse error carries no credentials', () => {
    const secret = 'Digest username="alice", realm="r", nonce="n", uri="sip:b", response="0123456789abcdef0123456789abcdef"';
    for (const bad of ['Max-Forwards: 999', 'X: a\rb', 'CSeq: 1 BYE']) {
      const e = err(msg([...HEAD.filter((h) => !h.startsWith(bad.slice(0, bad.indexOf(':') + 1))), `Proxy-Authorization: ${secret}`, `Authorization: ${secret}`, bad]));
      expect(JSON.stringify(e)).not.toContain('0123456789abcdef');
      expect(e.reason).not.toContain('Digest');
    }
  });
});
