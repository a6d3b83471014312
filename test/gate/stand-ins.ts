// An in-process view lookup over a Map, synchronous or asynchronous (as Redis would be).
import type { ViewLookup } from '../../src/gate/gate.ts';
import type { CompiledView } from '../../src/gate/view.ts';
import { viewKey } from '../../src/store/cache/keys.ts';

export function mapLookup(views: CompiledView[], mode: 'sync' | 'async' = 'sync'): ViewLookup & { calls: number } {
  const byKey = new Map(views.map((v) => [viewKey(v), v]));
  const lookup = {
    calls: 0,
    lookup(key: string) {
      lookup.calls++;
      const v = byKey.get(key) ?? null;
      return mode === 'sync' ? v : Promise.resolve(v);
    },
  };
  return lookup;
}
