// Views inside one process (the all-in-one role, and cluster workers fed by the primary): a
// complete copy of every compiled view, kept current from the store's change events, behind the
// size-bounded view cache. The copy is the cache's miss source, so an evicted view is found again
// instead of turning into a false 404.

import type { CompiledView } from '../gate/view.ts';
import { deletedKey, viewKey } from '../store/cache/keys.ts';
import { createViewCache } from '../store/cache/view-cache.ts';
import type { CacheLookupResult, ViewCache, ViewChange } from '../store/cache/view-cache.ts';

export interface LocalViews {
  cache: ViewCache;
  /** Applies one committed change (store.onViewsChanged, or a message from the primary). */
  apply(change: ViewChange): void;
  /** Replaces everything with a full set (warm-up at start). */
  reset(views: readonly CompiledView[]): void;
  /** Every view held, for handing to a worker that starts later. */
  all(): CompiledView[];
  readonly count: number;
}

export interface LocalViewsOptions {
  maxEntries?: number;
  onLookup?: (result: CacheLookupResult) => void;
}

export function createLocalViews(options: LocalViewsOptions = {}): LocalViews {
  const views = new Map<string, CompiledView>();
  const cache = createViewCache({
    maxEntries: options.maxEntries,
    source: (key) => views.get(key) ?? null,
    events: { onLookup: options.onLookup },
  });
  function apply(change: ViewChange): void {
    for (const entry of change.deletes) views.delete(deletedKey(entry));
    // Changes arrive in commit order: the latest one wins.
    for (const view of change.upserts) views.set(viewKey(view), view);
    cache.apply(change);
  }
  return {
    cache,
    apply,
    reset(list) {
      views.clear();
      for (const view of list) views.set(viewKey(view), view);
      cache.invalidateAll();
    },
    all: () => [...views.values()],
    get count() {
      return views.size;
    },
  };
}
