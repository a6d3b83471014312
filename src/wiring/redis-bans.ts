// Bans shared between edge nodes through Redis pub/sub: a ban decided on one node is published,
// every node applies the bans it hears about to its own table (the hot path stays local). Bans
// made while Redis is away hold locally and are not replayed later.

import type { Ban, SharedBanList } from '../gate/bans.ts';
import { createRedisClient } from '../store/cache/redis-client.ts';

/** Same hash tag as the view keys, so one cluster slot holds every edge key. */
export const BAN_CHANNEL = 'edge:{v}:bans';

export interface RedisBanList extends SharedBanList {
  close(): void;
}

function decodeBan(text: string): Ban | null {
  try {
    const v = JSON.parse(text) as Partial<Ban>;
    if ((v.kind === 'ip' || v.kind === 'user') && typeof v.key === 'string' && typeof v.until === 'number') {
      return { kind: v.kind, key: v.key, until: v.until };
    }
  } catch {
    // malformed: ignored
  }
  return null;
}

export function createRedisBanList(redisUrl: string, onError: (err: unknown) => void): RedisBanList {
  const publisher = createRedisClient(redisUrl, { offlineQueue: false, commandTimeoutMs: 500, onError });
  const subscriber = createRedisClient(redisUrl, { onError });
  return {
    async publish(ban) {
      await publisher.publish(BAN_CHANNEL, JSON.stringify(ban));
    },
    subscribe(onBan) {
      const listener = (channel: string, message: string): void => {
        if (channel !== BAN_CHANNEL) return;
        const ban = decodeBan(message);
        if (ban !== null) onBan(ban);
      };
      subscriber.on('message', listener);
      subscriber.subscribe(BAN_CHANNEL).catch(onError);
      return () => {
        subscriber.off('message', listener);
        subscriber.unsubscribe(BAN_CHANNEL).catch(() => {});
      };
    },
    close() {
      publisher.disconnect();
      subscriber.disconnect();
    },
  };
}
