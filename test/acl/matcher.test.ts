import { describe, expect, it } from 'vitest';
import { parseIp } from '../../src/acl/ip.ts';
import { compileAcl } from '../../src/acl/matcher.ts';
import type { AclPrefix } from '../../src/acl/prefix.ts';

const p = (address: string, prefixLength: number): AclPrefix => ({ address, prefixLength });

describe('compileAcl', () => {
  it('matches IPv4 /32 exactly and /0 everything IPv4 (but no IPv6)', () => {
    const one = compileAcl([p('192.0.2.10', 32)]);
    expect(one.contains('192.0.2.10')).toBe(true);
    expect(one.contains('192.0.2.11')).toBe(false);
    expect(one.contains('192.0.2.9')).toBe(false);
    const all = compileAcl([p('0.0.0.0', 0)]);
    for (const a of ['0.0.0.0', '255.255.255.255', '8.8.8.8', '::ffff:1.2.3.4']) expect(all.contains(a)).toBe(true);
    expect(all.contains('2001:db8::1')).toBe(false);
  });

  it('matches IPv6 /128, /64 and ::/0 (which does not cover IPv4 sources)', () => {
    const m = compileAcl([p('2001:db8::1', 128), p('2001:db8:1:2::', 64)]);
    expect(m.contains('2001:db8::1')).toBe(true);
    expect(m.contains('2001:db8:0:0:0:0:0:1')).toBe(true);
    expect(m.contains('2001:db8::2')).toBe(false);
    expect(m.contains('2001:db8:1:2:ffff:ffff:ffff:ffff')).toBe(true);
    expect(m.contains('2001:db8:1:3::')).toBe(false);
    const all = compileAcl([p('::', 0)]);
    expect(all.contains('::')).toBe(true);
    expect(all.contains('ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff')).toBe(true);
    expect(all.contains('10.0.0.1')).toBe(false);
    expect(all.contains('::ffff:10.0.0.1')).toBe(false);
  });

  it('treats IPv4-mapped sources and IPv4-mapped prefixes as IPv4', () => {
    const m = compileAcl([p('10.0.0.0', 8), p('::ffff:172.16.0.0', 108), p('::ffff:192.0.2.1', 128)]);
    expect(m.contains('::ffff:10.20.30.40')).toBe(true);
    expect(m.contains('::FFFF:10.20.30.40')).toBe(true);
    expect(m.contains('::ffff:a14:1e28')).toBe(true);
    expect(m.contains('172.31.255.255')).toBe(true);
    expect(m.contains('172.32.0.0')).toBe(false);
    expect(m.contains('192.0.2.1')).toBe(true);
    expect(m.contains('::ffff:11.0.0.0')).toBe(false);
    // Not mapped: ::a14:1e28 (IPv4-compatible) is IPv6.
    expect(m.contains('::10.20.30.40')).toBe(false);
  });

  it('ignores a zone on link-local sources', () => {
    const m = compileAcl([p('fe80::', 10)]);
    expect(m.contains('fe80::1%eth0')).toBe(true);
    expect(m.contains('fe80::1')).toBe(true);
  });

  it('rejects anything that is not an address and handles the empty ACL', () => {
    const m = compileAcl([p('0.0.0.0', 0), p('::', 0)]);
    for (const bad of ['', 'localhost', '1.2.3.4:5060', '[::1]', '1.2.3', '01.2.3.4', ':::', 'x'.repeat(1000)]) {
      expect(m.contains(bad), bad).toBe(false);
    }
    const empty = compileAcl([]);
    expect(empty.contains('127.0.0.1')).toBe(false);
    expect(empty.contains('::1')).toBe(false);
    expect(empty.ranges).toBe(0);
  });

  it('skips invalid prefixes and counts them', () => {
    const m = compileAcl([p('10.0.0.0', 33), p('nope', 8), p('10.0.0.0', 8)]);
    expect(m.skipped).toBe(2);
    expect(m.contains('10.1.1.1')).toBe(true);
  });

  it('merges overlapping and adjacent ranges', () => {
    const m = compileAcl([p('10.0.0.0', 9), p('10.128.0.0', 9), p('10.1.0.0', 16), p('2001:db8::', 33), p('2001:db8:8000::', 33), p('ffff:ffff:ffff:ffff:ffff:ffff:ffff:ff00', 120), p('ffff:ffff:ffff:ffff:ffff:ffff:ffff:fff0', 124)]);
    expect(m.ranges).toBe(3);
    expect(m.contains('10.255.255.255')).toBe(true);
    expect(m.contains('11.0.0.0')).toBe(false);
    expect(m.contains('2001:db8:ffff::')).toBe(true);
    expect(m.contains('ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff')).toBe(true);
  });

  it('agrees with a naive bit-by-bit check on seeded random prefixes and addresses', () => {
    let s = 42;
    const next = () => {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      return s;
    };
    const bytesOf = (text: string) => (parseIp(text) as { bytes: Uint8Array }).bytes;
    const naive = (prefixes: AclPrefix[], address: string) =>
      prefixes.some((pr) => {
        const a = bytesOf(address);
        const b = bytesOf(pr.address);
        if (a.length !== b.length) return false;
        for (let bit = 0; bit < pr.prefixLength; bit++) {
          const mask = 0x80 >>> (bit & 7);
          if ((a[bit >>> 3] & mask) !== (b[bit >>> 3] & mask)) return false;
        }
        return true;
      });
    const v4 = () => `${next() % 4}.${next() % 4}.${next() % 256}.${next() % 256}`;
    const v6 = () => `2001:db8:${(next() % 4).toString(16)}:${(next() % 65536).toString(16)}::${(next() % 65536).toString(16)}`;
    for (let round = 0; round < 50; round++) {
      const prefixes: AclPrefix[] = [];
      for (let i = 0; i < 100; i++) {
        prefixes.push(i % 2 === 0 ? p(v4(), 8 + (next() % 25)) : p(v6(), 32 + (next() % 97)));
      }
      const m = compileAcl(prefixes);
      for (let q = 0; q < 200; q++) {
        const address = q % 2 === 0 ? v4() : v6();
        expect(m.contains(address), `${address}`).toBe(naive(prefixes, address));
      }
    }
  });
});
