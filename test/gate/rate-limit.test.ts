import { describe, expect, it } from 'vitest';
import { BoundedKeyTable } from '../../src/gate/bounded-table.ts';
import { DEFAULT_RATE_LIMIT, SourceRateLimiter, sourceKey } from '../../src/gate/rate-limit.ts';

describe('SourceRateLimiter', () => {
  it('admits a burst, then the sustained rate, per source', () => {
    const limiter = new SourceRateLimiter({ ratePerSecond: 10, burst: 5, capacity: 64 });
    const t0 = 1_000_000;
    for (let i = 0; i < 5; i++) expect(limiter.allow('192.0.2.1', t0)).toBe(true);
    expect(limiter.allow('192.0.2.1', t0)).toBe(false);
    // Another source is unaffected.
    expect(limiter.allow('192.0.2.2', t0)).toBe(true);
    // 10/s: one token per 100 ms.
    expect(limiter.allow('192.0.2.1', t0 + 99)).toBe(false);
    expect(limiter.allow('192.0.2.1', t0 + 100)).toBe(true);
    expect(limiter.allow('192.0.2.1', t0 + 100)).toBe(false);
    // Over one simulated minute at 20 msgs/s, about 10/s get through.
    let allowed = 0;
    for (let ms = 0; ms < 60_000; ms += 50) if (limiter.allow('192.0.2.1', t0 + 200 + ms)) allowed++;
    expect(allowed).toBeGreaterThanOrEqual(599);
    expect(allowed).toBeLessThanOrEqual(601);
  });

  it('refills to the burst and no further after a quiet period', () => {
    const limiter = new SourceRateLimiter({ ratePerSecond: 1, burst: 3, capacity: 64 });
    for (let i = 0; i < 3; i++) expect(limiter.allow('2001:db8::1', 0)).toBe(true);
    expect(limiter.allow('2001:db8::1', 0)).toBe(false);
    const later = 3_600_000;
    for (let i = 0; i < 3; i++) expect(limiter.allow('2001:db8::1', later)).toBe(true);
    expect(limiter.allow('2001:db8::1', later)).toBe(false);
  });

  it('does not refill when the clock steps backwards', () => {
    const limiter = new SourceRateLimiter({ ratePerSecond: 1, burst: 1, capacity: 64 });
    expect(limiter.allow('198.51.100.7', 10_000)).toBe(true);
    expect(limiter.allow('198.51.100.7', 5_000)).toBe(false);
    expect(limiter.allow('198.51.100.7', 10_500)).toBe(false);
    expect(limiter.allow('198.51.100.7', 11_000)).toBe(true);
  });

  it('rejects nonsense configuration', () => {
    expect(() => new SourceRateLimiter({ ratePerSecond: 0, burst: 5 })).toThrow(RangeError);
    expect(() => new SourceRateLimiter({ ratePerSecond: 5, burst: 0 })).toThrow(RangeError);
  });

  it('keeps a fixed memory bound after 1,000,000 distinct sources and still limits a flooder', () => {
    const limiter = new SourceRateLimiter({ ratePerSecond: 100, burst: 10, capacity: 4096 });
    expect(limiter.capacity).toBe(4096);
    let now = 0;
    let flooderAllowed = 0;
    for (let i = 0; i < 1_000_000; i++) {
      const source = `10.${(i >>> 16) & 255}.${(i >>> 8) & 255}.${i & 255}:${i >>> 24}`;
      if (!limiter.allow(source, now)) throw new Error(`first message from ${source} refused`);
      // A flooder interleaved with the spoofed sources: 1 message per 0.01 ms, 100/s allowed.
      if (limiter.allow('203.0.113.66', now)) flooderAllowed++;
      now += 0.01;
      if (limiter.size > limiter.capacity) throw new Error(`size ${limiter.size} over capacity`);
    }
    expect(limiter.size).toBe(limiter.capacity);
    // 10 s simulated: burst 10 + 100/s × 10 s, give or take one.
    expect(flooderAllowed).toBeGreaterThanOrEqual(1009);
    expect(flooderAllowed).toBeLessThanOrEqual(1011);
  });
});

describe('BoundedKeyTable', () => {
  it('rounds capacity to a power of two and evicts the lowest score in a full set', () => {
    const table = new BoundedKeyTable({ capacity: 10, seed: 1 });
    expect(table.capacity).toBe(16);
    // Fill far beyond capacity; size never exceeds it and fresh keys are always findable.
    for (let i = 0; i < 1000; i++) {
      const slot = table.claim(`k${i}`);
      table.score[slot] = i;
      expect(table.find(`k${i}`)).toBe(slot);
      expect(table.size).toBeLessThanOrEqual(16);
    }
    expect(table.size).toBe(16);
    // The most recent keys survive (lowest scores were evicted first).
    expect(table.find('k999')).toBeGreaterThanOrEqual(0);
    expect(table.find('k0')).toBe(-1);
    const slot = table.find('k999');
    table.release(slot);
    expect(table.find('k999')).toBe(-1);
    expect(table.size).toBe(15);
  });
});

describe('rate limit defaults', () => {
  it('construct a working limiter', () => {
    const limiter = new SourceRateLimiter(DEFAULT_RATE_LIMIT);
    let allowed = 0;
    for (let i = 0; i < 1000; i++) if (limiter.allow('192.0.2.1', 0)) allowed++;
    expect(allowed).toBe(DEFAULT_RATE_LIMIT.burst);
  });
});

describe('sourceKey', () => {
  it('keeps IPv4, folds IPv4-mapped IPv6, and groups IPv6 by /64', () => {
    expect(sourceKey('192.0.2.1')).toBe('192.0.2.1');
    expect(sourceKey('::ffff:192.0.2.1')).toBe('192.0.2.1');
    expect(sourceKey('2001:db8:1:2:3:4:5:6')).toBe('2001:db8:1:2::/64');
    expect(sourceKey('2001:db8:1:2::1')).toBe('2001:db8:1:2::/64');
    expect(sourceKey('2001:DB8:1:2:ffff::9')).toBe('2001:db8:1:2::/64');
    expect(sourceKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(sourceKey('2001:db8::1:2:3:4:5')).toBe('2001:db8:0:1::/64');
    expect(sourceKey('::1')).toBe('0:0:0:0::/64');
    expect(sourceKey('::')).toBe('0:0:0:0::/64');
    expect(sourceKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(sourceKey('2001:0db8:0001:0002::')).toBe('2001:db8:1:2::/64');
  });

  it('makes a host rotating through its /64 share one bucket', () => {
    const limiter = new SourceRateLimiter({ ratePerSecond: 1, burst: 3, capacity: 64 });
    let allowed = 0;
    for (let i = 1; i <= 100; i++) if (limiter.allow(sourceKey(`2001:db8:aa:bb::${i.toString(16)}`), 0)) allowed++;
    expect(allowed).toBe(3);
    expect(limiter.allow(sourceKey('2001:db8:aa:bc::1'), 0)).toBe(true);
  });
});
