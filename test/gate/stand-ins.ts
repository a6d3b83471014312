// Collaborators of the gate that are not under test here: an IPv4 prefix matcher (until src/acl
// lands; same contract as compileAcl) and an in-process view lookup over a Map.
import type { AclMatcher, ViewLookup } from '../../src/gate/gate.ts';
import type { AclPrefix, CompiledView } from '../../src/gate/view.ts';
import { viewKey } from '../../src/store/cache/keys.ts';

function v4(text: string): number | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return null;
    n = n * 256 + Number(p);
  }
  return n;
}

export function compileAclV4(prefixes: readonly AclPrefix[]): AclMatcher {
  const ranges = prefixes.flatMap((p) => {
    const base = v4(p.address);
    if (base === null) return [];
    const size = 2 ** (32 - p.prefixLength);
    const start = Math.floor(base / size) * size;
    return [[start, start + size - 1] as const];
  });
  return {
    contains(address) {
      const a = v4(address);
      return a !== null && ranges.some(([lo, hi]) => a >= lo && a <= hi);
    },
  };
}

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
