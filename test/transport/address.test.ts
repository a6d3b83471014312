import { describe, expect, it } from 'vitest';
import { addressForFamily, plainAddress, sourceKey } from '../../src/transport/address.ts';

describe('socket addresses', () => {
  it('shows IPv4-mapped IPv6 as plain IPv4 and leaves others alone', () => {
    expect(plainAddress('::ffff:192.0.2.7')).toBe('192.0.2.7');
    expect(plainAddress('192.0.2.7')).toBe('192.0.2.7');
    expect(plainAddress('2001:db8::1')).toBe('2001:db8::1');
    expect(plainAddress('::ffff:c000:207')).toBe('::ffff:c000:207');
  });

  it('maps IPv4 destinations for IPv6 sockets only', () => {
    expect(addressForFamily('192.0.2.7', 6)).toBe('::ffff:192.0.2.7');
    expect(addressForFamily('192.0.2.7', 4)).toBe('192.0.2.7');
    expect(addressForFamily('2001:db8::1', 6)).toBe('2001:db8::1');
  });

  it('counts IPv4 sources per address and IPv6 sources per /64', () => {
    expect(sourceKey('192.0.2.7')).toBe('192.0.2.7');
    expect(sourceKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(sourceKey('2001:db8:1:2:bbbb:cccc:dddd:eeee')).toBe('2001:db8:1:2::/64');
    expect(sourceKey('2001:0db8:0001:0002::')).toBe('2001:db8:1:2::/64');
    expect(sourceKey('2001:db8:1:3::1')).toBe('2001:db8:1:3::/64');
    expect(sourceKey('::1')).toBe('0:0:0:0::/64');
    expect(sourceKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(sourceKey('not:an:address::x:y:z:w:v')).toBe('not:an:address::x:y:z:w:v');
  });
});
