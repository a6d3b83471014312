import { describe, expect, it } from 'vitest';
import { parseMessage } from '../../src/sip/parse.ts';
import type { SipResponse } from '../../src/sip/message.ts';
import { serializeMessage } from '../../src/sip/serialize.ts';
import { withoutTopViaLine } from '../../src/proxy/raw-relay.ts';
import { stripTopVia } from '../../src/proxy/upstream-response.ts';

function response(lines: string[], body = ''): Buffer {
  return Buffer.from(`${lines.join('\r\n')}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`, 'latin1');
}

function parsed(raw: Buffer): SipResponse {
  const m = parseMessage(raw);
  if (m.kind === 'parse-error' || m.type !== 'response') throw new Error('test input must parse as a response');
  return m;
}

/** The splice must equal what serializing the parsed message without its top Via gives, as a message. */
function expectSameAsSerialized(raw: Buffer): Buffer {
  const res = parsed(raw);
  const out = withoutTopViaLine(raw, res.body.length);
  expect(out).not.toBeNull();
  const a = parsed(out!);
  const b = parsed(serializeMessage(stripTopVia(res)));
  // Via values may differ in whitespace around commas; the hops they hold may not.
  const notVia = (m: SipResponse) => m.headers.filter((h) => !/^(via|v)$/i.test(h.name));
  expect(notVia(a)).toEqual(notVia(b));
  expect(a.via).toEqual(b.via);
  expect(a.status).toBe(b.status);
  expect(a.reason).toBe(b.reason);
  expect(a.body.equals(b.body)).toBe(true);
  return out!;
}

const common = ['From: <sip:a@example.com>;tag=1', 'To: <sip:b@example.com>;tag=2', 'Call-ID: c1', 'CSeq: 1 INVITE'];

describe('withoutTopViaLine', () => {
  it('cuts exactly the first Via line and keeps the rest byte for byte', () => {
    const raw = response([
      'SIP/2.0 180 Ringing',
      'Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK-ours',
      'Via: SIP/2.0/UDP 192.0.2.7:5062;branch=z9hG4bKcaller;rport=5062;received=192.0.2.7',
      ...common,
    ], 'v=0\r\n');
    const out = expectSameAsSerialized(raw);
    expect(out.toString('latin1')).toBe(raw.toString('latin1').replace('Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK-ours\r\n', ''));
  });

  it('handles the compact form, a Via that is not the second header, and a folded Via line', () => {
    expectSameAsSerialized(response(['SIP/2.0 200 OK', ...common, 'v: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK1', 'V : SIP/2.0/UDP 10.0.0.2;branch=z9hG4bK2']));
    const folded = response(['SIP/2.0 200 OK', 'Via: SIP/2.0/UDP 10.0.0.1:5060', '  ;branch=z9hG4bK-ours', 'Via: SIP/2.0/UDP 10.0.0.2;branch=z9hG4bK2', ...common]);
    const out = expectSameAsSerialized(folded);
    expect(out.toString('latin1')).not.toContain('z9hG4bK-ours');
  });

  it('does not take a header whose name only starts with v (Vary-like names) for Via', () => {
    const out = expectSameAsSerialized(response(['SIP/2.0 200 OK', 'Vx: SIP/2.0/UDP 1.1.1.1', 'Via: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK1', 'Via: SIP/2.0/UDP 10.0.0.2;branch=z9hG4bK2', ...common]));
    expect(out.toString('latin1')).toContain('Vx: SIP/2.0/UDP 1.1.1.1');
  });

  it('drops octets beyond Content-Length and leading CRLFs', () => {
    const raw = Buffer.concat([Buffer.from('\r\n\r\n'), response(['SIP/2.0 200 OK', 'Via: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK1', 'Via: SIP/2.0/UDP 10.0.0.2;branch=z9hG4bK2', ...common], 'abc'), Buffer.from('garbage')]);
    const out = expectSameAsSerialized(raw);
    expect(out.toString('latin1').endsWith('\r\n\r\nabc')).toBe(true);
    expect(out.toString('latin1').startsWith('SIP/2.0 200 OK\r\n')).toBe(true);
  });

  it('cuts only the first value when the first Via line holds several (as SIPp [last_Via:] writes)', () => {
    const raw = response(['SIP/2.0 200 OK', 'Via: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK1,  SIP/2.0/UDP 10.0.0.2;branch=z9hG4bK2 ,SIP/2.0/UDP 10.0.0.3;branch=z9hG4bK3', ...common]);
    const out = expectSameAsSerialized(raw);
    expect(out.toString('latin1')).toContain('\r\nVia: SIP/2.0/UDP 10.0.0.2;branch=z9hG4bK2 ,SIP/2.0/UDP 10.0.0.3;branch=z9hG4bK3\r\n');
    const folded = response(['SIP/2.0 200 OK', 'v:SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK1,', '  SIP/2.0/UDP 10.0.0.2;branch=z9hG4bK2', ...common]);
    expect(expectSameAsSerialized(folded).toString('latin1')).toContain('\r\nv:SIP/2.0/UDP 10.0.0.2;branch=z9hG4bK2\r\n');
  });

  it('answers null when our Via value holds a quoted string (a comma inside it would not split values)', () => {
    const raw = response(['SIP/2.0 200 OK', 'Via: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK1;x="a,b", SIP/2.0/UDP 10.0.0.2;branch=z9hG4bK2', ...common]);
    expect(withoutTopViaLine(raw, parsed(raw).body.length)).toBeNull();
  });
});
