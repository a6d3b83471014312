import { describe, expect, it } from 'vitest';
import { BanTable, DEFAULT_BANS, shareBans } from '../../src/gate/bans.ts';
import type { Ban, SharedBanList } from '../../src/gate/bans.ts';

const MINUTE = 60_000;
const T0 = Date.UTC(2026, 0, 1);

describe('BanTable per source', () => {
  it('bans a source at the threshold-th failure within the window, not before', () => {
    const bans = new BanTable({ threshold: 5, windowMs: MINUTE, banMs: 10 * MINUTE });
    for (let i = 0; i < 4; i++) {
      expect(bans.recordFailure('192.0.2.10', 'alice', T0 + i * 1000)).toEqual([]);
      expect(bans.isBanned('192.0.2.10', undefined, T0 + i * 1000)).toBe(false);
    }
    expect(bans.recordFailure('192.0.2.10', 'alice', T0 + 4000)).toEqual([
      { kind: 'ip', key: '192.0.2.10', until: T0 + 4000 + 10 * MINUTE },
    ]);
    expect(bans.isBanned('192.0.2.10', undefined, T0 + 4001)).toBe(true);
    expect(bans.isBanned('192.0.2.10', 'bob', T0 + 4001)).toBe(true);
    // Other sources are not affected.
    expect(bans.isBanned('192.0.2.11', 'alice', T0 + 4001)).toBe(false);
    expect(bans.activeBans(T0 + 5000)).toBe(1);
  });

  it('does not ban failures spread wider than the window', () => {
    const bans = new BanTable({ threshold: 3, windowMs: MINUTE, banMs: MINUTE });
    // One failure every 31 s: never three within 60 s.
    for (let i = 0; i < 20; i++) expect(bans.recordFailure('198.51.100.1', undefined, T0 + i * 31_000)).toEqual([]);
    expect(bans.isBanned('198.51.100.1', undefined, T0 + 20 * 31_000)).toBe(false);
    // One every 29 s: the third lands inside the window.
    const other = '198.51.100.2';
    expect(bans.recordFailure(other, undefined, T0)).toEqual([]);
    expect(bans.recordFailure(other, undefined, T0 + 29_000)).toEqual([]);
    expect(bans.recordFailure(other, undefined, T0 + 58_000)).toHaveLength(1);
  });

  it('expires bans on time and starts counting afresh', () => {
    const bans = new BanTable({ threshold: 2, windowMs: MINUTE, banMs: 5 * MINUTE });
    bans.recordFailure('2001:db8::7', undefined, T0);
    expect(bans.recordFailure('2001:db8::7', undefined, T0 + 1)).toHaveLength(1);
    const until = T0 + 1 + 5 * MINUTE;
    expect(bans.isBanned('2001:db8::7', undefined, until - 1)).toBe(true);
    expect(bans.activeBans(until - 1)).toBe(1);
    expect(bans.isBanned('2001:db8::7', undefined, until)).toBe(false);
    expect(bans.activeBans(until)).toBe(0);
    // The failures that caused the ban do not count again.
    expect(bans.recordFailure('2001:db8::7', undefined, until + 1)).toEqual([]);
    expect(bans.recordFailure('2001:db8::7', undefined, until + 2)).toHaveLength(1);
  });
});

describe('BanTable per username across sources', () => {
  it('bans a username guessed from many sources, case-insensitively, for every source', () => {
    const bans = new BanTable({ threshold: 5, windowMs: MINUTE, banMs: MINUTE, userThreshold: 10, userWindowMs: MINUTE });
    const created: Ban[] = [];
    for (let i = 0; i < 10; i++) {
      created.push(...bans.recordFailure(`203.0.113.${i}`, i % 2 ? 'Alice' : 'alice', T0 + i * 100));
    }
    expect(created).toEqual([{ kind: 'user', key: 'alice', until: T0 + 900 + MINUTE }]);
    // No single source reached its own threshold.
    expect(bans.isBanned('203.0.113.1', undefined, T0 + 1000)).toBe(false);
    // Any source using the username is refused; other usernames pass.
    expect(bans.isBanned('192.0.2.200', 'ALICE', T0 + 1000)).toBe(true);
    expect(bans.isBanned('192.0.2.200', 'bob', T0 + 1000)).toBe(false);
    expect(bans.isBanned('192.0.2.200', 'alice', T0 + 900 + MINUTE)).toBe(false);
  });

  it('can be disabled', () => {
    const bans = new BanTable({ threshold: 100, windowMs: MINUTE, banMs: MINUTE });
    for (let i = 0; i < 50; i++) expect(bans.recordFailure(`203.0.113.${i}`, 'alice', T0 + i)).toEqual([]);
    expect(bans.isBanned('203.0.113.1', 'alice', T0 + 100)).toBe(false);
  });
});

describe('BanTable memory bound', () => {
  it('stays within its capacities after 1,000,000 distinct sources and usernames', () => {
    const bans = new BanTable({
      threshold: 2, windowMs: MINUTE, banMs: MINUTE, userThreshold: 2, capacity: 4096, banCapacity: 1024,
    });
    let created = 0;
    let now = T0;
    for (let i = 0; i < 1_000_000; i++) {
      const ip = `10.${(i >>> 16) & 255}.${(i >>> 8) & 255}.${i & 255}#${i >>> 24}`;
      // Each source fails twice: every one of them earns a ban.
      bans.recordFailure(ip, `user${i}`, now);
      created += bans.recordFailure(ip, `user${i}`, now).length;
      now += 0.05;
    }
    expect(created).toBe(2_000_000);
    const stats = bans.stats();
    expect(stats.capacity).toBe(4096);
    expect(stats.trackedSources).toBeLessThanOrEqual(4096);
    expect(stats.trackedUsers).toBeLessThanOrEqual(4096);
    expect(stats.bans).toBeLessThanOrEqual(1024);
    expect(bans.activeBans(now)).toBeLessThanOrEqual(1024);
    // The most recent bans are the ones kept.
    expect(bans.isBanned('10.15.66.63#0', undefined, now)).toBe(true);
  });
});

describe('configuration', () => {
  it('rejects nonsense', () => {
    expect(() => new BanTable({ threshold: 0, windowMs: 1, banMs: 1 })).toThrow(RangeError);
    expect(() => new BanTable({ threshold: 1.5, windowMs: 1, banMs: 1 })).toThrow(RangeError);
    expect(() => new BanTable({ threshold: 3, windowMs: 0, banMs: 1 })).toThrow(RangeError);
    expect(() => new BanTable({ threshold: 3, windowMs: 1, banMs: 1, userThreshold: -1 })).toThrow(RangeError);
  });
});

/** A loopback bus with the SharedBanList shape, standing in for Redis pub/sub between two nodes. */
function loopbackBus() {
  const listeners = new Set<(ban: Ban) => void>();
  const published: Ban[] = [];
  const list: SharedBanList = {
    async publish(ban) {
      published.push(ban);
      for (const listener of listeners) listener(JSON.parse(JSON.stringify(ban)) as Ban);
    },
    subscribe(onBan) {
      listeners.add(onBan);
      return () => listeners.delete(onBan);
    },
  };
  return { list, published, listeners };
}

describe('shareBans', () => {
  it('publishes local bans and applies bans from other nodes', async () => {
    const bus = loopbackBus();
    const nodeA = shareBans(new BanTable({ threshold: 2, windowMs: MINUTE, banMs: MINUTE }), bus.list, (e) => { throw e; });
    const nodeB = shareBans(new BanTable({ threshold: 2, windowMs: MINUTE, banMs: MINUTE }), bus.list, (e) => { throw e; });
    nodeA.recordFailure('192.0.2.50', undefined, T0);
    nodeA.recordFailure('192.0.2.50', undefined, T0 + 1);
    await Promise.resolve();
    expect(bus.published).toHaveLength(1);
    expect(nodeB.isBanned('192.0.2.50', undefined, T0 + 2)).toBe(true);
    expect(nodeB.activeBans(T0 + 2)).toBe(1);
    expect(nodeB.isBanned('192.0.2.50', undefined, T0 + 1 + MINUTE)).toBe(false);
    nodeA.close();
    nodeB.close();
    expect(bus.listeners.size).toBe(0);
  });

  it('keeps the local ban when publishing fails and ignores malformed remote bans', async () => {
    const errors: unknown[] = [];
    let deliver: (ban: Ban) => void = () => {};
    const failing: SharedBanList = {
      publish: () => Promise.reject(new Error('redis down')),
      subscribe(onBan) {
        deliver = onBan;
        return () => {};
      },
    };
    const node = shareBans(new BanTable({ threshold: 1, windowMs: MINUTE, banMs: MINUTE }), failing, (e) => errors.push(e));
    expect(node.recordFailure('192.0.2.60', undefined, T0)).toHaveLength(1);
    await new Promise((resolve) => setImmediate(resolve));
    expect(errors).toHaveLength(1);
    expect(node.isBanned('192.0.2.60', undefined, T0 + 1)).toBe(true);
    deliver({ kind: 'nope', key: 'x', until: T0 + MINUTE } as unknown as Ban);
    deliver({ kind: 'ip', key: 'y'.repeat(500), until: T0 + MINUTE });
    deliver({ kind: 'ip', key: '192.0.2.61', until: Number.NaN });
    expect(node.activeBans(T0 + 1)).toBe(1);
  });
});

describe('defaults', () => {
  it('construct a working table', () => {
    const bans = new BanTable(DEFAULT_BANS);
    for (let i = 0; i < DEFAULT_BANS.threshold - 1; i++) expect(bans.recordFailure('192.0.2.99', 'x', T0 + i)).toEqual([]);
    expect(bans.recordFailure('192.0.2.99', 'x', T0 + 100)).toHaveLength(1);
  });
});
