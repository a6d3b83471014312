// Names of cached views. One logical key per addressable view: a domain or trunk by its
// domain_name, a credential connection by its user_name (both lowercase). The same logical key is
// used in the in-process cache and, prefixed, in Redis.
import type { CompiledView } from '../../gate/view.ts';
import { connectionKey, hostKey } from '../../gate/view-keys.ts';

export { connectionKey, hostKey };

/**
 * Logical key of a deleted view as the store reports it: a bare host (domain names contain no
 * ':'), or an already formed logical key such as `conn:<username>`.
 */
export function deletedKey(entry: string): string {
  return entry.includes(':') ? entry.toLowerCase() : hostKey(entry);
}

/** Logical key under which a compiled view is stored. */
export function viewKey(view: CompiledView): string {
  return view.kind === 'connection' ? connectionKey(view.username) : hostKey(view.host);
}

/**
 * Redis names. Every name shares the hash tag `{v}` so all of them live in one cluster slot:
 * the repopulation and the index can then be updated atomically (MULTI, Lua) in a Redis Cluster.
 */
export const REDIS_PREFIX = 'edge:{v}:';
/** Set of the logical keys currently written to Redis. */
export const REDIS_INDEX = REDIS_PREFIX + 'index';
/** Present once an API node has populated Redis from SQL; absent after Redis lost its data. */
export const REDIS_POPULATED = REDIS_PREFIX + 'populated';
/** Pub/sub channel of invalidations. */
export const REDIS_CHANNEL = REDIS_PREFIX + 'invalidate';

export function redisViewKey(logicalKey: string): string {
  return REDIS_PREFIX + 'view:' + logicalKey;
}

/** Invalidation message: the logical keys to drop, or every key (`all`) after a repopulation. */
export type Invalidation = { keys: string[] } | { all: true };

export function encodeInvalidation(inv: Invalidation): string {
  return JSON.stringify(inv);
}

/** Parses an invalidation message; anything malformed is treated as "drop everything". */
export function decodeInvalidation(text: string): Invalidation {
  try {
    const v: unknown = JSON.parse(text);
    if (v !== null && typeof v === 'object') {
      const keys = (v as { keys?: unknown }).keys;
      if (Array.isArray(keys) && keys.every((k) => typeof k === 'string')) return { keys: keys as string[] };
    }
  } catch {
    // fall through
  }
  return { all: true };
}
