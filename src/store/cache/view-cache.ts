// In-process cache of compiled views for the SIP hot path (SPEC §6). Size-bounded LRU, short
// negative caching of unknown keys, misses answered by a pluggable source (the store in the
// all-in-one process, Redis on an edge node). Fail static: an entry that was invalidated is kept
// as a fallback until the source answers again, so a broken source never empties the cache.
import type { CompiledView } from '../../gate/view.ts';
import { deletedKey, viewKey } from './keys.ts';
import { LruMap } from './lru.ts';

/** Answers a miss: the view, null when the key is known to be absent; throws/rejects on failure. */
export type ViewSource = (key: string) => CompiledView | null | Promise<CompiledView | null>;

/** Same values as src/obs CACHE_RESULTS, so onLookup can be metrics.countCacheLookup. */
export type CacheLookupResult = 'hit' | 'negative' | 'miss' | 'error';

export interface ViewCacheEvents {
  /**
   * One call per lookup: served from memory, from memory as "absent", loaded from the source, or
   * the source failed ('error': a held stale copy was served, or nothing was and lookup threw).
   */
  onLookup?(result: CacheLookupResult): void;
  /** The source failed (the error is never a secret: sources must not put view data in errors). */
  onSourceError?(err: unknown): void;
}

export interface ViewCacheOptions {
  /** Maximum entries held (positive and negative). Default 100,000. */
  maxEntries?: number;
  /** How long an unknown key is remembered as absent. Default 2,000 ms. */
  negativeTtlMs?: number;
  /** Consulted on a miss. Without one, a miss means "absent". */
  source?: ViewSource;
  now?: () => number;
  events?: ViewCacheEvents;
}

/** What the store emits after each committed change (onViewsChanged). */
export interface ViewChange {
  upserts: CompiledView[];
  /** Views that no longer exist: bare hosts (as src/store emits them) or logical keys (`conn:<user>`). */
  deletes: string[];
}

/** Thrown (or rejected) by lookup when the key is not held and the source failed. */
export class ViewUnavailableError extends Error {
  constructor(key: string, options?: { cause?: unknown }) {
    super(`view source unavailable for ${key}`, options);
    this.name = 'ViewUnavailableError';
  }
}

export interface ViewCache {
  /** The view, null when absent; synchronous when held or when the source is synchronous. */
  lookup(key: string): CompiledView | null | Promise<CompiledView | null>;
  /** Held value without consulting the source: view, null (known absent), undefined (not held). */
  peek(key: string): CompiledView | null | undefined;
  /** Applies a store change: upserts replace older versions, deletes are remembered as absent. */
  apply(change: ViewChange): void;
  /** Marks keys stale: the next lookup asks the source, falling back to the held copy on failure. */
  invalidate(keys: Iterable<string>): void;
  invalidateAll(): void;
  /** Keys currently held (positive entries), for revalidation after a reconnect. */
  heldKeys(): string[];
  readonly size: number;
}

interface Entry {
  view: CompiledView | null;
  /** Time after which the entry must be reloaded; Infinity for positive entries. */
  expiresAt: number;
  /** False once invalidated: kept only as a fail-static fallback. */
  fresh: boolean;
}

interface PendingLoad {
  promise: Promise<CompiledView | null>;
  /** Set when an invalidation arrives during the load: the result is returned but not kept. */
  invalidated: boolean;
}

export function createViewCache(options: ViewCacheOptions = {}): ViewCache {
  const entries = new LruMap<Entry>(options.maxEntries ?? 100_000);
  const negativeTtlMs = options.negativeTtlMs ?? 2_000;
  const source = options.source;
  const now = options.now ?? Date.now;
  const events = options.events ?? {};
  const pending = new Map<string, PendingLoad>();

  function store(key: string, view: CompiledView | null): void {
    entries.set(key, { view, expiresAt: view === null ? now() + negativeTtlMs : Infinity, fresh: true });
  }

  function failed(key: string, held: Entry | undefined, err: unknown): CompiledView | null {
    events.onSourceError?.(err);
    if (held !== undefined) {
      events.onLookup?.('error');
      return held.view;
    }
    events.onLookup?.('error');
    throw new ViewUnavailableError(key, { cause: err });
  }

  function load(key: string, held: Entry | undefined): CompiledView | null | Promise<CompiledView | null> {
    if (source === undefined) {
      events.onLookup?.('miss');
      store(key, null);
      return null;
    }
    const inFlight = pending.get(key);
    if (inFlight !== undefined) return inFlight.promise;
    let result: CompiledView | null | Promise<CompiledView | null>;
    try {
      result = source(key);
    } catch (err) {
      return failed(key, held, err);
    }
    if (!(result instanceof Promise)) {
      events.onLookup?.('miss');
      store(key, result);
      return result;
    }
    const load: PendingLoad = { promise: result, invalidated: false };
    load.promise = result.then(
      (view) => {
        pending.delete(key);
        events.onLookup?.('miss');
        if (!load.invalidated) store(key, view);
        return view;
      },
      (err: unknown) => {
        pending.delete(key);
        return failed(key, entries.peek(key) ?? held, err);
      },
    );
    pending.set(key, load);
    return load.promise;
  }

  function markStale(key: string): void {
    const e = entries.peek(key);
    if (e !== undefined) e.fresh = false;
    const p = pending.get(key);
    if (p !== undefined) p.invalidated = true;
  }

  return {
    lookup(key) {
      const e = entries.get(key);
      if (e !== undefined && e.fresh && (e.expiresAt === Infinity || e.expiresAt > now())) {
        events.onLookup?.(e.view === null ? 'negative' : 'hit');
        return e.view;
      }
      return load(key, e);
    },
    peek(key) {
      const e = entries.peek(key);
      return e === undefined ? undefined : e.view;
    },
    apply(change) {
      for (const view of change.upserts) {
        const key = viewKey(view);
        const held = entries.peek(key);
        if (held !== undefined && held.fresh && held.view !== null && held.view.version > view.version) continue;
        const p = pending.get(key);
        if (p !== undefined) p.invalidated = true;
        store(key, view);
      }
      for (const entry of change.deletes) {
        const key = deletedKey(entry);
        const p = pending.get(key);
        if (p !== undefined) p.invalidated = true;
        store(key, null);
      }
    },
    invalidate(keys) {
      for (const key of keys) markStale(key);
    },
    invalidateAll() {
      for (const key of entries.keys()) markStale(key);
      for (const p of pending.values()) p.invalidated = true;
    },
    heldKeys() {
      const out: string[] = [];
      for (const key of entries.keys()) if (entries.peek(key)?.view) out.push(key);
      return out;
    },
    get size() {
      return entries.size;
    },
  };
}
