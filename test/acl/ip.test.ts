import { describe, expect, it } from 'vitest';
import { canonicalIp, formatIp, isIpv4Mapped, parseIp, unmapIp } from '../../src/acl/ip.ts';
import { networkOf, parseCidr, parsePrefix } from '../../src/acl/prefix.ts';

describe('parseIp / canonicalIp', () => {
  it.each([
    ['0.0.0.0', '0.0.0.0'],
    ['255.255.255.255', '255.255.255.255'],
    ['192.0.2.1', '192.0.2.1'],
    ['::', '::'],
    ['::1', '::1'],
    ['1::', '1::'],
    ['2001:DB8:0:0:0:0:0:1', '2001:db8::1'],
    ['2001:0db8:0000:0000:0001:0000:0000:0001', '2001:db8::1:0:0:1'],
    ['1:0:0:2:0:0:0:3', '1:0:0:2::3'],
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'],
    ['1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7:8'],
    ['::FFFF:192.0.2.128', '::ffff:192.0.2.128'],
    ['::ffff:c000:0280', '::ffff:192.0.2.128'],
    ['64:ff9b::192.0.2.33', '64:ff9b::c000:221'],
    ['fe80::1:2', 'fe80::1:2'],
  ])('%s → %s', (text, canonical) => {
    expect(canonicalIp(text)).toBe(canonical);
  });

  it.each([
    '', ' 1.2.3.4', '1.2.3.4 ', '1.2.3', '1.2.3.4.5', '256.1.1.1', '01.2.3.4', '1.2.3.04', '1..2.3', '1.2.3.', '.1.2.3',
    '1.2.3.4/24', '0x1.2.3.4', '1.2.3.-4', ':', ':::', '1:::2', '1::2::3', ':1::', '1:', '1:2:3:4:5:6:7:8:9', '1:2:3:4:5:6:7',
    '12345::', 'g::', '1:2:3:4:5:6:7:1.2.3.4', '::1.2.3', '::ffff:1.2.3.256', 'fe80::1%eth0', '[::1]', '1.2.3.4:5060',
    '1:2:3:4:5:6:7::8', 'x'.repeat(100),
  ])('rejects %j', (text) => {
    expect(parseIp(text)).toBeNull();
  });

  it('gives bytes in network order and maps ::ffff:a.b.c.d to IPv4 on request', () => {
    const v6 = parseIp('::ffff:10.1.2.3');
    expect(v6?.family).toBe(6);
    expect(v6 && isIpv4Mapped(v6)).toBe(true);
    const v4 = v6 && unmapIp(v6);
    expect(v4 && formatIp(v4)).toBe('10.1.2.3');
    expect([...(parseIp('10.1.2.3')?.bytes ?? [])]).toEqual([10, 1, 2, 3]);
    const other = parseIp('::1');
    expect(other && unmapIp(other)).toBe(other);
  });
});

describe('parsePrefix / parseCidr / networkOf', () => {
  it('defaults to the full length and checks the range per family', () => {
    expect(parsePrefix('192.0.2.1')).toEqual({ address: '192.0.2.1', prefixLength: 32 });
    expect(parsePrefix('2001:DB8::1')).toEqual({ address: '2001:db8::1', prefixLength: 128 });
    expect(parsePrefix('10.0.0.0', 0)).toEqual({ address: '10.0.0.0', prefixLength: 0 });
    expect(parsePrefix('10.0.0.0', 33)).toBeNull();
    expect(parsePrefix('::', 129)).toBeNull();
    expect(parsePrefix('10.0.0.0', -1)).toBeNull();
    expect(parsePrefix('10.0.0.0', 8.5)).toBeNull();
    expect(parsePrefix('nope', 8)).toBeNull();
  });
  it('parses CIDR text', () => {
    expect(parseCidr('10.0.0.0/8')).toEqual({ address: '10.0.0.0', prefixLength: 8 });
    expect(parseCidr('2001:db8::/32')).toEqual({ address: '2001:db8::', prefixLength: 32 });
    expect(parseCidr('10.0.0.1')).toEqual({ address: '10.0.0.1', prefixLength: 32 });
    for (const bad of ['10.0.0.0/', '10.0.0.0/08', '10.0.0.0/x', '10.0.0.0/33', '10.0.0.0/8/8', '/8']) expect(parseCidr(bad)).toBeNull();
  });
  it('clears host bits', () => {
    expect(networkOf({ address: '10.1.2.3', prefixLength: 8 })).toEqual({ address: '10.0.0.0', prefixLength: 8 });
    expect(networkOf({ address: '192.168.77.200', prefixLength: 27 })).toEqual({ address: '192.168.77.192', prefixLength: 27 });
    expect(networkOf({ address: '2001:db8:ffff::1', prefixLength: 33 })).toEqual({ address: '2001:db8:8000::', prefixLength: 33 });
    expect(networkOf({ address: '1.2.3.4', prefixLength: 0 })).toEqual({ address: '0.0.0.0', prefixLength: 0 });
  });
});
