// Edge side: listens on the invalidation channel and drops cache entries. The subscription is
// restored by ioredis after a reconnection; since messages published while we were away are lost,
// every held entry is marked stale on each reconnection (revalidated on its next lookup, and
// still served if Redis fails again).
import type { RedisConnection } from './redis-client.ts';
import type { ViewCache } from './view-cache.ts';
import { REDIS_CHANNEL, decodeInvalidation } from './keys.ts';

export interface InvalidationSubscription {
  /** Resolves once the first subscription is active. */
  readonly ready: Promise<void>;
  close(): Promise<void>;
}

export interface InvalidationOptions {
  onError?: (err: unknown) => void;
  /** Called after a reconnection restored the subscription. */
  onResubscribed?: () => void;
}

/** `subscriber` must be a client dedicated to pub/sub (it enters subscriber mode). */
export function subscribeInvalidations(
  subscriber: RedisConnection,
  cache: ViewCache,
  options: InvalidationOptions = {},
): InvalidationSubscription {
  let connectedOnce = false;
  const onMessage = (channel: string, message: string): void => {
    if (channel !== REDIS_CHANNEL) return;
    const inv = decodeInvalidation(message);
    if ('all' in inv) cache.invalidateAll();
    else cache.invalidate(inv.keys);
  };
  const onReady = (): void => {
    if (!connectedOnce) return;
    cache.invalidateAll();
    options.onResubscribed?.();
  };
  subscriber.on('message', onMessage);
  subscriber.on('ready', onReady);
  const ready = subscriber.subscribe(REDIS_CHANNEL).then(() => {
    connectedOnce = true;
  });
  ready.catch((err: unknown) => options.onError?.(err));
  return {
    ready,
    async close() {
      subscriber.off('message', onMessage);
      subscriber.off('ready', onReady);
      try {
        await subscriber.unsubscribe(REDIS_CHANNEL);
      } catch (err) {
        options.onError?.(err);
      }
    },
  };
}
