// The in-process view copy behind the bounded cache (all-in-one role and IPC-fed workers).
import { describe, expect, it } from 'vitest';
import { createLocalViews } from '../../src/wiring/local-views.ts';
import { connectionView, domainView } from '../cache/fixtures.ts';

describe('createLocalViews', () => {
  it('finds an evicted view again instead of answering "absent"', () => {
    const results: string[] = [];
    const local = createLocalViews({ maxEntries: 2, onLookup: (r) => results.push(r) });
    local.reset(['a.test', 'b.test', 'c.test', 'd.test'].map((h) => domainView(h)));
    for (const host of ['a.test', 'b.test', 'c.test', 'd.test', 'a.test']) {
      expect((local.cache.lookup(`host:${host}`) as { host: string } | null)?.host).toBe(host);
    }
    expect(local.cache.size).toBeLessThanOrEqual(2);
    expect(local.cache.lookup('host:nowhere.test')).toBeNull();
    expect(results).toEqual(['miss', 'miss', 'miss', 'miss', 'miss', 'miss']);
  });

  it('applies upserts and deletes (bare hosts and conn: keys) to the copy and the cache', () => {
    const local = createLocalViews();
    local.reset([domainView('a.test'), connectionView('Bob')]);
    expect(local.cache.lookup('host:a.test')).not.toBeNull();
    expect(local.cache.lookup('conn:bob')).not.toBeNull();
    local.apply({ upserts: [domainView('a.test', 2, ['carol'])], deletes: ['conn:bob'] });
    expect(Object.keys((local.cache.lookup('host:a.test') as ReturnType<typeof domainView>).calls.users)).toEqual(['carol']);
    expect(local.cache.lookup('conn:bob')).toBeNull();
    local.apply({ upserts: [], deletes: ['A.test'] });
    expect(local.cache.lookup('host:a.test')).toBeNull();
    expect(local.count).toBe(0);
  });

  it('replaces everything on reset, including views held in the cache', () => {
    const local = createLocalViews();
    local.reset([domainView('a.test')]);
    expect(local.cache.lookup('host:a.test')).not.toBeNull();
    local.reset([domainView('b.test')]);
    expect(local.cache.lookup('host:a.test')).toBeNull();
    expect(local.cache.lookup('host:b.test')).not.toBeNull();
    expect(local.all().map((v) => (v as { host: string }).host)).toEqual(['b.test']);
  });
});
