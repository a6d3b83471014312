// The SIP URI check used for origination URLs (sip: only) and Telnyx sip_target (sip:/sips:).
import { describe, expect, it } from 'vitest';
import { isSipUrl } from '../../src/api/trunking/sip-url.ts';

describe('isSipUrl', () => {
  it('accepts hosts, IPv4, bracketed IPv6, users, ports and parameters', () => {
    for (const ok of [
      'sip:pbx.example.com',
      'SIP:pbx.example.com',
      'sip:alice@pbx.example.com',
      'sip:+15551234567@198.51.100.7:5080',
      'sip:[2001:db8::1]',
      'sip:[2001:db8::1]:5061;transport=tcp',
      'sip:pbx.example.com;transport=udp;lr',
      'sip:pbx-1.example.com.',
    ]) {
      expect(isSipUrl(ok, ['sip']), ok).toBe(true);
    }
    expect(isSipUrl('sips:pbx.example.com', ['sip', 'sips'])).toBe(true);
  });

  it('refuses other schemes, headers, bad hosts and ports, whitespace and overlong input', () => {
    for (const bad of [
      '',
      'sip:',
      'sips:pbx.example.com',
      'https://pbx.example.com',
      'pbx.example.com',
      'sip:pbx.example.com?subject=x',
      'sip:pbx example.com',
      'sip:pbx.example.com:0',
      'sip:pbx.example.com:65536',
      'sip:pbx.example.com:50a',
      'sip:[2001:db8::1',
      'sip:[not-v6]',
      'sip:1.2.3',
      'sip:-bad.example.com',
      'sip:alice@',
      'sip:a"b@pbx.example.com',
      'sip:pbx.example.com;trans port=udp',
      `sip:${'a'.repeat(250)}.com`,
    ]) {
      expect(isSipUrl(bad, ['sip']), bad).toBe(false);
    }
  });
});
