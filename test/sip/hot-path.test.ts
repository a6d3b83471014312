// The shortcuts the hot path takes (deferred Via/Route lines, headerKey's table, the one-entry
// Request-URI cache, splitList's single-value path, the non-crypto To tag, ...) give the answers
// the plain definitions give.
import { describe, expect, it } from 'vitest';
import { headerKey } from '../../src/sip/header-names.ts';
import { getHeader, getRequestUri } from '../../src/sip/message.ts';
import type { SipRequest } from '../../src/sip/message.ts';
import { parseMessage } from '../../src/sip/parse.ts';
import type { SipParseError } from '../../src/sip/parse-error.ts';
import { buildResponse, localTag, responseBytes } from '../../src/sip/response.ts';
import { serializeMessage } from '../../src/sip/serialize.ts';
import { splitList } from '../../src/sip/split.ts';
import { parseUri } from '../../src/sip/uri.ts';
import { validateRequest } from '../../src/sip/validate.ts';

const TAIL = [
  'From: "Alice" <sip:alice@example.com>;tag=a1',
  'To: <sip:bob@example.com>',
  'Call-ID: c1@192.0.2.1',
  'CSeq: 1 INVITE',
];

function bytes(lines: string[], body = ''): Buffer {
  return Buffer.from(`${lines.join('\r\n')}\r\n\r\n${body}`, 'latin1');
}
function request(lines: string[], body = ''): SipRequest {
  const r = parseMessage(bytes(lines, body));
  if (r.kind === 'parse-error' || r.type !== 'request') throw new Error('test request must parse');
  return r;
}
function refusal(lines: string[]): SipParseError {
  const r = parseMessage(bytes(lines));
  if (r.kind !== 'parse-error') throw new Error('expected a parse error');
  return r;
}

describe('Via and Route over several lines', () => {
  const VIAS = [
    'Via: SIP/2.0/UDP a.example;branch=z9hG4bK-a',
    'v: SIP/2.0/TCP b.example:5070;branch=z9hG4bK-b, SIP/2.0/UDP c.example;branch=z9hG4bK-c',
    'VIA : SIP/2.0/TLS d.example\r\n ;branch=z9hG4bK-d',
    'Via: SIP/2.0/UDP e.example;branch=z9hG4bK-e',
  ];

  it('keeps every hop of every line in order, folded and compact lines included', () => {
    const r = request(['INVITE sip:bob@example.com SIP/2.0', ...VIAS, ...TAIL]);
    expect(r.via.map((h) => [h.transport, h.host, h.port, h.branch])).toEqual([
      ['UDP', 'a.example', undefined, 'z9hG4bK-a'],
      ['TCP', 'b.example', 5070, 'z9hG4bK-b'],
      ['UDP', 'c.example', undefined, 'z9hG4bK-c'],
      ['TLS', 'd.example', undefined, 'z9hG4bK-d'],
      ['UDP', 'e.example', undefined, 'z9hG4bK-e'],
    ]);
  });

  it('keeps every Route entry of every line in order', () => {
    const routes = ['Route: <sip:p1.example;lr>', 'Route: <sip:p2.example;lr>, <sip:p3.example;lr>',
      'route: <sip:p4.example;lr>', 'Route:\r\n <sip:p5.example;lr>'];
    const r = request(['INVITE sip:bob@example.com SIP/2.0', VIAS[0]!, ...TAIL, ...routes]);
    expect(r.route.map((x) => x.uri)).toEqual(['p1', 'p2', 'p3', 'p4', 'p5'].map((p) => `sip:${p}.example;lr`));
  });

  it('refuses a bad Via or Route on any line, reporting every raw Via value', () => {
    const badVia = refusal(['INVITE sip:bob@example.com SIP/2.0', ...VIAS, 'Via: SIP/2.0/UDP', ...TAIL]);
    expect(badVia.reason).toBe('bad Via');
    expect(badVia.via).toEqual([
      'SIP/2.0/UDP a.example;branch=z9hG4bK-a',
      'SIP/2.0/TCP b.example:5070;branch=z9hG4bK-b, SIP/2.0/UDP c.example;branch=z9hG4bK-c',
      'SIP/2.0/TLS d.example ;branch=z9hG4bK-d',
      'SIP/2.0/UDP e.example;branch=z9hG4bK-e',
      'SIP/2.0/UDP',
    ]);
    const badRoute = refusal(['INVITE sip:bob@example.com SIP/2.0', VIAS[0]!, ...TAIL,
      'Route: <sip:p1.example>', 'Route: <sip:p2.example>', 'Route: <>']);
    expect(badRoute.reason).toBe('bad Route');
  });

  it('reports an earlier fault before a bad Via, as before', () => {
    const e = refusal(['INVITE sip:bob@example.com SIP/3.0', 'Via: SIP/2.0/UDP', ...TAIL]);
    expect(e.reason).toBe('unsupported SIP version');
    expect(e.via).toEqual(['SIP/2.0/UDP']);
  });

  it('keeps every Authorization and Proxy-Authorization line', () => {
    const r = request(['INVITE sip:bob@example.com SIP/2.0', VIAS[0]!, ...TAIL,
      'Authorization: Digest a', 'Proxy-Authorization: Digest p1', 'Authorization: Digest b',
      'Proxy-Authorization: Digest p2', 'Proxy-Authorization: Digest p3']);
    expect(r.authorization).toEqual(['Digest a', 'Digest b']);
    expect(r.proxyAuthorization).toEqual(['Digest p1', 'Digest p2', 'Digest p3']);
    const none = request(['INVITE sip:bob@example.com SIP/2.0', VIAS[0]!, ...TAIL]);
    expect(none.authorization).toEqual([]);
    expect(none.proxyAuthorization).not.toBe(none.authorization);
  });
});

describe('headerKey', () => {
  const COMPACT: Record<string, string> = { f: 'from', t: 'to', v: 'via', i: 'call-id', l: 'content-length', m: 'contact', k: 'supported', x: 'session-expires' };
  const plain = (name: string): string => {
    const lower = name.toLowerCase();
    return lower.length === 1 ? COMPACT[lower] ?? lower : lower;
  };

  it('gives the lowercase long name for usual, odd and unknown spellings', () => {
    const names = ['Via', 'via', 'VIA', 'vIa', 'From', 'To', 'Call-ID', 'Call-Id', 'CSeq', 'cseq', 'CSEQ', 'Require',
      'Proxy-Require', 'proxy-require', 'Route', 'Record-Route', 'Contact', 'Max-Forwards', 'Content-Length',
      'f', 'F', 't', 'T', 'v', 'V', 'i', 'I', 'l', 'L', 'm', 'M', 'k', 'x', 'X', 'z', 'Z',
      'X-Edge-Auth', 'x-custom', 'P-Charging-Vector', 'Ünknown', 'a-b', 'Subscription-State'];
    for (const n of names) expect(headerKey(n), n).toBe(plain(n));
    expect(headerKey('')).toBe('');
  });
});

describe('localTag', () => {
  it('is 16 hex digits, the same for the same request, different when any part differs', () => {
    const t = localTag('c1', '<sip:a@b>;tag=1', 'SIP/2.0/UDP h;branch=z9hG4bK1', '1 INVITE');
    expect(t).toMatch(/^[0-9a-f]{16}$/);
    expect(localTag('c1', '<sip:a@b>;tag=1', 'SIP/2.0/UDP h;branch=z9hG4bK1', '1 INVITE')).toBe(t);
    const others = [
      localTag('c2', '<sip:a@b>;tag=1', 'SIP/2.0/UDP h;branch=z9hG4bK1', '1 INVITE'),
      localTag('c1', '<sip:a@b>;tag=2', 'SIP/2.0/UDP h;branch=z9hG4bK1', '1 INVITE'),
      localTag('c1', '<sip:a@b>;tag=1', 'SIP/2.0/UDP h;branch=z9hG4bK2', '1 INVITE'),
      localTag('c1', '<sip:a@b>;tag=1', 'SIP/2.0/UDP h;branch=z9hG4bK1', '2 INVITE'),
      localTag('c', '1<sip:a@b>;tag=1', 'SIP/2.0/UDP h;branch=z9hG4bK1', '1 INVITE'), // moved separator
    ];
    expect(new Set([t, ...others]).size).toBe(6);
  });

  it('responseBytes and buildResponse add the same tag', () => {
    const r = request(['INVITE sip:bob@example.com SIP/2.0', 'Via: SIP/2.0/UDP a.example;branch=z9hG4bK-a',
      'Via: SIP/2.0/UDP b.example;branch=z9hG4bK-b', ...TAIL]);
    const wire = responseBytes(r, 407).toString('latin1');
    expect(wire).toContain(`\r\nTo: ${getHeader(buildResponse(r, 407), 'To')}\r\n`);
    expect(wire).toContain('Via: SIP/2.0/UDP a.example;branch=z9hG4bK-a\r\nVia: SIP/2.0/UDP b.example;branch=z9hG4bK-b\r\n');
  });
});

describe('splitList', () => {
  it('gives one trimmed value (String.trim whitespace), or none, for a value without a comma', () => {
    expect(splitList('SIP/2.0/UDP h;branch=z9hG4bK1')).toEqual(['SIP/2.0/UDP h;branch=z9hG4bK1']);
    expect(splitList(' \t<sip:a@b> \u00a0')).toEqual(['<sip:a@b>']);
    expect(splitList('')).toEqual([]);
    expect(splitList(' \t ')).toEqual([]);
    expect(splitList('a, "b,c" <sip:d,e>, ,f')).toEqual(['a', '"b,c" <sip:d,e>', 'f']);
  });
});

describe('getRequestUri', () => {
  it('answers for each request, whatever was asked in between, and sees a new uri', () => {
    const a = request(['INVITE sip:alice@a.example SIP/2.0', 'Via: SIP/2.0/UDP h;branch=z9hG4bK1', ...TAIL]);
    const b = request(['INVITE sip:bob@b.example:5070 SIP/2.0', 'Via: SIP/2.0/UDP h;branch=z9hG4bK1', ...TAIL]);
    const first = getRequestUri(a);
    expect(getRequestUri(a)).toBe(first);
    expect(getRequestUri(b)).toMatchObject({ user: 'bob', host: 'b.example', port: 5070 });
    expect(getRequestUri(a)).toEqual(first);
    a.uri = 'tel:+15551234';
    expect(getRequestUri(a)).toMatchObject({ scheme: 'tel', number: '+15551234' });
  });
});

describe('parseUri ports and hosts', () => {
  it('takes the port after the only colon of a host, and after the ] of an IPv6 reference', () => {
    expect(parseUri('sip:u@h.example:5080;lr')).toMatchObject({ host: 'h.example', port: 5080 });
    expect(parseUri('sip:[2001:db8::1]:5061;transport=tcp')).toMatchObject({ host: '[2001:db8::1]', port: 5061 });
    expect(parseUri('sip:[2001:db8::1];lr')).toMatchObject({ host: '[2001:db8::1]', port: undefined });
    expect(parseUri('sip:u:pw@h.example')).toMatchObject({ user: 'u', password: 'pw', host: 'h.example', port: undefined });
    for (const bad of ['sip:h:1:2', 'sip:h]:1', 'sip:[h:1', 'sip:h:', 'sip:h:x', 'sip:h:70000', 'sip:[1::2]x:5', 'sip:h;a;', 'sip:h;=1', 'sip:h?&']) {
      expect(parseUri(bad), bad).toBeNull();
    }
    expect(parseUri('SIPS:h;Transport=TLS;LR')).toMatchObject({ scheme: 'sips', params: new Map([['transport', 'TLS'], ['lr', null]]) });
  });
});

describe('validateRequest', () => {
  const HEAD = ['OPTIONS sip:bob@example.com SIP/2.0', 'Via: SIP/2.0/UDP h;branch=z9hG4bK1',
    'From: <sip:a@b>;tag=1', 'To: <sip:c@d>', 'Call-ID: x', 'CSeq: 1 OPTIONS'];

  it('names the first repeated header in the order From, To, Call-ID, CSeq, Max-Forwards, Content-Length', () => {
    const r = request([...HEAD, 'Max-Forwards: 5', 'Max-Forwards: 6', 't: <sip:e@f>', 'i: y']);
    expect(validateRequest(r)).toMatchObject({ status: 400, reason: 'Multiple To values' });
    expect(validateRequest(request([...HEAD, 'Max-Forwards: 5', 'max-forwards: 6'])))
      .toMatchObject({ reason: 'Multiple Max-Forwards values' });
  });

  it('takes the scheme in any case', () => {
    expect(validateRequest(request(['OPTIONS SIP:bob@example.com SIP/2.0', ...HEAD.slice(1)]))).toBeNull();
    expect(validateRequest(request(['OPTIONS Tel:+1555 SIP/2.0', ...HEAD.slice(1)]))).toBeNull();
    expect(validateRequest(request(['OPTIONS sipx:bob@example.com SIP/2.0', ...HEAD.slice(1)])))
      .toMatchObject({ status: 416 });
  });
});

describe('serializeMessage', () => {
  it('writes the head, then the body when there is one', () => {
    const body = 'v=0\r\ns=-\r\n';
    const withBody = request(['INVITE sip:bob@example.com SIP/2.0', 'Via: SIP/2.0/UDP h;branch=z9hG4bK1', ...TAIL,
      `Content-Length: ${body.length}`], body);
    const out = serializeMessage(withBody).toString('latin1');
    expect(out.endsWith(`Content-Length: ${body.length}\r\n\r\n${body}`)).toBe(true);
    const empty = request(['ACK sip:bob@example.com SIP/2.0', 'Via: SIP/2.0/UDP h;branch=z9hG4bK1', ...TAIL.slice(0, 3), 'CSeq: 1 ACK']);
    expect(serializeMessage(empty).toString('latin1').endsWith('CSeq: 1 ACK\r\nContent-Length: 0\r\n\r\n')).toBe(true);
  });
});
