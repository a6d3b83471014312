import { describe, expect, it } from 'vitest';
import { MemoryReplayGuard } from '../../src/auth/replay.ts';

const NOW = 1_800_000_000;

describe('MemoryReplayGuard', () => {
  it('accepts each (nonce, nc) once and requires nc to grow', () => {
    const g = new MemoryReplayGuard({ slots: 1024 });
    expect(g.admit('nonce-a', 1, NOW + 300, NOW)).toBe(true);
    expect(g.admit('nonce-a', 1, NOW + 300, NOW)).toBe(false);
    expect(g.admit('nonce-a', 2, NOW + 300, NOW)).toBe(true);
    expect(g.admit('nonce-a', 5, NOW + 300, NOW)).toBe(true);
    expect(g.admit('nonce-a', 4, NOW + 300, NOW)).toBe(false);
    expect(g.admit('nonce-a', 5, NOW + 300, NOW)).toBe(false);
    expect(g.admit('nonce-b', 1, NOW + 300, NOW)).toBe(true);
    expect(g.admit('nonce-a', 6, NOW + 300, NOW)).toBe(true);
  });

  it('tells apart nonces that differ in one character, at any position, odd or even length', () => {
    const g = new MemoryReplayGuard({ slots: 1 << 16 });
    const base = 'AbCdEfGhIjKlMnOpQrStUvWx';
    const variants = new Set<string>();
    for (const text of [base, base.slice(1)]) {
      for (let i = 0; i < text.length; i++) {
        for (const c of ['-', '_', 'z', '\u0100', '\uffff']) variants.add(text.slice(0, i) + c + text.slice(i + 1));
      }
      variants.add(text);
    }
    for (const v of variants) expect(g.admit(v, 1, NOW + 300, NOW), v).toBe(true);
    for (const v of variants) expect(g.admit(v, 1, NOW + 300, NOW), v).toBe(false);
    expect(g.evictions).toBe(0);
  });

  it('refuses expired nonces and nc outside 1..2^32-1', () => {
    const g = new MemoryReplayGuard({ slots: 64 });
    expect(g.admit('n', 1, NOW, NOW)).toBe(false);
    expect(g.admit('n', 0, NOW + 1, NOW)).toBe(false);
    expect(g.admit('n', 2 ** 32, NOW + 1, NOW)).toBe(false);
    expect(g.admit('n', Number.NaN, NOW + 1, NOW)).toBe(false);
    expect(g.admit('n', 0xffffffff, NOW + 1, NOW)).toBe(true);
    expect(g.admit('n', 0xffffffff, NOW + 1, NOW)).toBe(false);
  });

  it('reuses slots once entries expire', () => {
    const g = new MemoryReplayGuard({ slots: 8 });
    for (let i = 0; i < 8; i++) expect(g.admit(`a${i}`, 1, NOW + 10, NOW)).toBe(true);
    // Later, all expired: new nonces take their slots without evictions.
    for (let i = 0; i < 8; i++) expect(g.admit(`b${i}`, 1, NOW + 30, NOW + 20)).toBe(true);
    expect(g.evictions).toBe(0);
  });

  it('never accepts a replay, even of a nonce forced out of a full table', () => {
    const g = new MemoryReplayGuard({ slots: 8 });
    for (let i = 0; i < 8; i++) expect(g.admit(`old${i}`, 1, NOW + 100 + i, NOW)).toBe(true);
    // A later-expiring nonce forces out the one expiring first (old0).
    expect(g.admit('new', 1, NOW + 300, NOW)).toBe(true);
    expect(g.evictions).toBe(1);
    // old0 is gone from the table, yet its replay is refused (watermark).
    expect(g.admit('old0', 1, NOW + 100, NOW)).toBe(false);
    expect(g.admit('old0', 2, NOW + 100, NOW)).toBe(false);
    // A nonce expiring no later than everything held is refused rather than recorded.
    expect(g.admit('early', 1, NOW + 50, NOW)).toBe(false);
    // Entries still held keep working.
    expect(g.admit('old5', 2, NOW + 105, NOW)).toBe(true);
    expect(g.admit('new', 1, NOW + 300, NOW)).toBe(false);
  });

  it('memory stays at the table size after 10 million distinct nonces', () => {
    const slots = 1 << 20;
    const g = new MemoryReplayGuard({ slots });
    expect(g.bytes).toBe(slots * 16);
    globalThis.gc?.();
    const before = process.memoryUsage();
    // Simulated load: 20,000 new nonces per second, TTL 300 s (6 million live nonces, far more
    // than the table holds), each used with nc=1 and then replayed once.
    const ttl = 300;
    const perSecond = 20_000;
    let accepted = 0;
    let replaysAccepted = 0;
    let peakRss = before.rss;
    const total = 10_000_000;
    for (let i = 0; i < total; i++) {
      const now = NOW + Math.floor(i / perSecond);
      const nonce = `n${i.toString(36)}-edge-node-nonce`;
      if (g.admit(nonce, 1, now + ttl, now)) accepted++;
      if (i % 7 === 0 && g.admit(nonce, 1, now + ttl, now)) replaysAccepted++;
      if ((i & 0xfffff) === 0) peakRss = Math.max(peakRss, process.memoryUsage().rss);
    }
    const after = process.memoryUsage();
    const heapGrowth = after.heapUsed + after.arrayBuffers - (before.heapUsed + before.arrayBuffers);
    const rssGrowth = Math.max(peakRss, after.rss) - before.rss;
    console.log(
      `replay guard: ${total} nonces, table ${g.bytes / 2 ** 20} MiB, heap+arrayBuffers growth ${(heapGrowth / 2 ** 20).toFixed(1)} MiB, ` +
        `peak RSS growth ${(rssGrowth / 2 ** 20).toFixed(1)} MiB, first uses accepted ${accepted}, evictions ${g.evictions}`,
    );
    expect(replaysAccepted).toBe(0);
    // Fresh nonces keep being accepted (overload costs some re-challenges, not service).
    expect(accepted).toBeGreaterThan(total * 0.9);
    // Bound: the fixed table (16 MiB, allocated before the measurement) plus garbage in flight.
    expect(heapGrowth).toBeLessThan(48 * 2 ** 20);
    expect(rssGrowth).toBeLessThan(128 * 2 ** 20);
  }, 60_000);
});
