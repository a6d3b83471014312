import { describe, expect, it } from 'vitest';
import { formatUri, parseUri } from '../../src/sip/uri.ts';
import type { SipUri } from '../../src/sip/uri.ts';

function sipUri(text: string): SipUri {
  const u = parseUri(text);
  if (u === null || u.scheme === 'tel') throw new Error(`not a SIP URI: ${text}`);
  return u;
}

describe('parseUri', () => {
  it('reads user, password, host, port, params and headers', () => {
    const u = sipUri('sips:alice:secret@Example.COM:5061;transport=TCP;lr;Maddr=10.0.0.1?Subject=hi&Priority=urgent');
    expect(u.scheme).toBe('sips');
    expect(u.user).toBe('alice');
    expect(u.password).toBe('secret');
    expect(u.host).toBe('Example.COM');
    expect(u.port).toBe(5061);
    expect([...u.params]).toEqual([['transport', 'TCP'], ['lr', null], ['maddr', '10.0.0.1']]);
    expect(u.headers).toEqual([['Subject', 'hi'], ['Priority', 'urgent']]);
  });

  it('handles IPv6 references with and without a port', () => {
    expect(sipUri('sip:[2001:db8::1]:5070').host).toBe('[2001:db8::1]');
    expect(sipUri('sip:[2001:db8::1]:5070').port).toBe(5070);
    const noPort = sipUri('sip:bob@[::1];transport=udp');
    expect(noPort.host).toBe('[::1]');
    expect(noPort.port).toBeUndefined();
    expect(noPort.user).toBe('bob');
  });

  it('keeps % escapes as written and allows ; ? in the user part (RFC 4475 semiuri, intmeth)', () => {
    const semi = sipUri('sip:user;par=u%40example.net@example.com');
    expect(semi.user).toBe('user;par=u%40example.net');
    expect(semi.host).toBe('example.com');
    expect(sipUri('sip:%61lice@example.com').user).toBe('%61lice');
    const weird = sipUri("sip:1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*:&it+has=1,weird!*pas$wo~d_too.(doesn't-it)@example.com");
    expect(weird.user).toBe("1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*");
    expect(weird.password).toBe("&it+has=1,weird!*pas$wo~d_too.(doesn't-it)");
  });

  it('parses tel URIs', () => {
    const t = parseUri('tel:+1-201-555-0123;phone-context=example.com');
    expect(t).toEqual({ scheme: 'tel', number: '+1-201-555-0123', params: new Map([['phone-context', 'example.com']]) });
  });

  it('returns null for other schemes and malformed URIs', () => {
    for (const bad of [
      'nobodyKnowsThisScheme:totallyopaquecontent', 'http://www.example.com', 'sip:', 'sip:@host',
      'sip:host:99999', 'sip:host:port', 'sip:[::1', 'sip:a b@host', 'sip:host;;x', 'sip:host;x=',
      '<sip:a@b>', 'sip:a@b?noequals', 'sip:host_name', 'tel:', '', 'sip:a:b:c',
    ]) {
      expect(parseUri(bad), bad).toBeNull();
    }
  });

  it('formats what it parses', () => {
    for (const text of [
      'sip:alice@example.com', 'sips:alice:pw@example.com:5061;transport=tcp;lr',
      'sip:[2001:db8::1]:5070;maddr=x', 'sip:example.com?Route=%3Csip:example.com%3E',
      'tel:+15551234;ext=12',
    ]) {
      const u = parseUri(text);
      expect(u).not.toBeNull();
      expect(formatUri(u!)).toBe(text);
    }
  });
});
