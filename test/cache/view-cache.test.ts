import { describe, expect, it } from 'vitest';
import { createViewCache, ViewUnavailableError } from '../../src/store/cache/view-cache.ts';
import type { CacheLookupResult } from '../../src/store/cache/view-cache.ts';
import { connectionKey, decodeInvalidation, deletedKey, encodeInvalidation, hostKey, viewKey } from '../../src/store/cache/keys.ts';
import { LruMap } from '../../src/store/cache/lru.ts';
import type { CompiledView } from '../../src/gate/view.ts';
import { connectionView, domainView } from './fixtures.ts';

describe('LruMap (second chance)', () => {
  it('evicts an entry not used since it was inserted, sparing used ones', () => {
    const m = new LruMap<number>(2);
    m.set('a', 1);
    m.set('b', 2);
    expect(m.get('a')).toBe(1); // a is now the youngest
    m.set('c', 3);
    expect(m.size).toBe(2);
    expect(m.peek('b')).toBeUndefined();
    expect(m.peek('a')).toBe(1);
    expect(m.peek('c')).toBe(3);
  });
  it('rejects a non-positive bound', () => {
    expect(() => new LruMap(0)).toThrow(RangeError);
  });
});

describe('keys', () => {
  it('are case-insensitive and distinguish hosts from connections', () => {
    expect(hostKey('Example.COM')).toBe('host:example.com');
    expect(connectionKey('Bob')).toBe('conn:bob');
    expect(viewKey(domainView('a.example.com'))).toBe('host:a.example.com');
    expect(viewKey(connectionView('Bob'))).toBe('conn:bob');
    expect(deletedKey('A.example.com')).toBe('host:a.example.com');
    expect(deletedKey('conn:Bob')).toBe('conn:bob');
  });
  it('invalidation messages round-trip; anything malformed means "drop everything"', () => {
    expect(decodeInvalidation(encodeInvalidation({ keys: ['host:a', 'conn:b'] }))).toEqual({ keys: ['host:a', 'conn:b'] });
    expect(decodeInvalidation(encodeInvalidation({ all: true }))).toEqual({ all: true });
    for (const bad of ['', 'nope', '{"keys":[1]}', 'null', '[]']) expect(decodeInvalidation(bad)).toEqual({ all: true });
  });
});

describe('createViewCache', () => {
  it('serves upserts from memory and stays within maxEntries', () => {
    const results: CacheLookupResult[] = [];
    const cache = createViewCache({ maxEntries: 3, events: { onLookup: (r) => results.push(r) } });
    for (let i = 0; i < 5; i++) cache.apply({ upserts: [domainView(`d${i}.example.com`)], deletes: [] });
    expect(cache.size).toBe(3);
    expect(cache.peek(hostKey('d0.example.com'))).toBeUndefined();
    const v = cache.lookup(hostKey('d4.example.com'));
    expect(v).not.toBeInstanceOf(Promise);
    expect((v as CompiledView).kind).toBe('domain');
    expect(results).toEqual(['hit']);
  });

  it('keeps the newest version when an older upsert arrives late', () => {
    const cache = createViewCache();
    cache.apply({ upserts: [domainView('x.example.com', 5, ['new'])], deletes: [] });
    cache.apply({ upserts: [domainView('x.example.com', 4, ['old'])], deletes: [] });
    const v = cache.peek(hostKey('x.example.com'));
    expect(v && v.kind === 'domain' && Object.keys(v.calls.users)).toEqual(['new']);
  });

  it('caches unknown keys negatively for negativeTtlMs, then asks the source again', () => {
    let t = 1_000;
    let calls = 0;
    const cache = createViewCache({ negativeTtlMs: 2_000, now: () => t, source: () => (calls++, null) });
    expect(cache.lookup('host:nope')).toBeNull();
    expect(cache.lookup('host:nope')).toBeNull();
    expect(calls).toBe(1);
    t += 2_001;
    expect(cache.lookup('host:nope')).toBeNull();
    expect(calls).toBe(2);
  });

  it('remembers deletes as absent', () => {
    const cache = createViewCache();
    cache.apply({ upserts: [domainView('x.example.com')], deletes: [] });
    cache.apply({ upserts: [], deletes: ['X.example.com'] }); // a bare host, as src/store emits
    expect(cache.lookup(hostKey('x.example.com'))).toBeNull();
  });

  it('coalesces concurrent async misses into one source call', async () => {
    let calls = 0;
    const cache = createViewCache({
      source: async (key) => {
        calls++;
        await new Promise((r) => setTimeout(r, 5));
        return key === 'host:a.example.com' ? domainView('a.example.com') : null;
      },
    });
    const [a, b] = await Promise.all([cache.lookup('host:a.example.com'), cache.lookup('host:a.example.com')]);
    expect(calls).toBe(1);
    expect(a).toBe(b);
    expect(cache.lookup('host:a.example.com')).toBe(a); // now synchronous
  });

  it('does not keep a load result that an invalidation overtook', async () => {
    let version = 1;
    let release: () => void = () => {};
    const cache = createViewCache({
      source: async () => {
        const v = version;
        await new Promise<void>((r) => (release = r));
        return domainView('a.example.com', v);
      },
    });
    const p = cache.lookup('host:a.example.com');
    version = 2;
    cache.invalidate(['host:a.example.com']);
    release();
    expect(((await p) as CompiledView).version).toBe(1);
    const again = cache.lookup('host:a.example.com');
    expect(again).toBeInstanceOf(Promise);
    release();
    expect(((await again) as CompiledView).version).toBe(2);
  });

  it('fails static: an invalidated entry is served when the source fails, and the failure is counted', async () => {
    let fail = false;
    const errors: unknown[] = [];
    const results: CacheLookupResult[] = [];
    const cache = createViewCache({
      source: async () => {
        if (fail) throw new Error('down');
        return domainView('a.example.com');
      },
      events: { onSourceError: (e) => errors.push(e), onLookup: (r) => results.push(r) },
    });
    await cache.lookup('host:a.example.com');
    fail = true;
    cache.invalidateAll();
    const v = await cache.lookup('host:a.example.com');
    expect(v?.kind).toBe('domain');
    expect(errors).toHaveLength(1);
    expect(results).toEqual(['miss', 'error']);
    await expect(cache.lookup('host:other.example.com')).rejects.toBeInstanceOf(ViewUnavailableError);
    expect(results.at(-1)).toBe('error');
  });

  it('a synchronous source that throws yields ViewUnavailableError synchronously', () => {
    const cache = createViewCache({
      source: () => {
        throw new Error('sql down');
      },
    });
    expect(() => cache.lookup('host:a')).toThrow(ViewUnavailableError);
  });

  it('lists held positive keys', () => {
    const cache = createViewCache({ source: () => null });
    cache.apply({ upserts: [domainView('a.example.com'), connectionView('Bob')], deletes: [] });
    cache.lookup('host:none');
    expect(cache.heldKeys().sort()).toEqual(['conn:bob', 'host:a.example.com']);
  });
});
