// Where a SIP process gets its views: from Redis (edge role, or workers when REDIS_URL is set), or
// from an in-process copy fed by the store (all-in-one) or by the cluster primary over IPC.

import type { EdgeConfig } from '../config.ts';
import type { ViewLookup } from '../gate/gate.ts';
import type { CompiledView } from '../gate/view.ts';
import type { HealthState } from '../obs/health.ts';
import type { Logger } from '../obs/logger.ts';
import type { EdgeMetrics } from '../obs/metrics.ts';
import { createEdgeViews } from '../store/cache/edge-views.ts';
import type { ViewChange } from '../store/cache/view-cache.ts';
import { createLocalViews } from './local-views.ts';
import type { LocalViews } from './local-views.ts';

export interface SipViews {
  lookup: ViewLookup;
  /** Resolves once views can be served (Redis connected, or at once). Never rejects. */
  ready: Promise<void>;
  close(): Promise<void>;
}

/** Views read from Redis on a miss, dropped on invalidation, held while Redis is down. */
export function redisViews(config: Readonly<EdgeConfig>, metrics: EdgeMetrics, health: HealthState, log: Logger): SipViews {
  let lastLog = 0;
  const views = createEdgeViews({
    redisUrl: config.redisUrl,
    onLookup: (result) => metrics.countCacheLookup(result),
    onError: (err) => {
      metrics.storeErrors.inc();
      const now = Date.now();
      if (now - lastLog > 5000) {
        lastLog = now;
        log.warn({ err: (err as Error)?.message }, 'redis error (views)');
      }
    },
  });
  health.setStore('cache');
  const watch = setInterval(() => health.setStore(views.redisConnected() ? 'reachable' : 'cache'), 500);
  watch.unref();
  void views.ready.then(() => health.setStore(views.redisConnected() ? 'reachable' : 'cache'));
  return {
    lookup: views.cache,
    ready: views.ready,
    async close() {
      clearInterval(watch);
      await views.close();
    },
  };
}

/** Message from the cluster primary to a worker carrying view changes (or a full set). */
export interface ViewsMessage {
  type: 'sip-edge:views';
  reset?: CompiledView[];
  upserts: CompiledView[];
  deletes: string[];
}

/** Sent by a worker once it listens for views: the primary answers with the full set. */
export const VIEWS_REQUEST = 'sip-edge:views-request';

export function isViewsRequest(message: unknown): boolean {
  return typeof message === 'object' && message !== null && (message as { type?: unknown }).type === VIEWS_REQUEST;
}

export function isViewsMessage(message: unknown): message is ViewsMessage {
  return typeof message === 'object' && message !== null && (message as ViewsMessage).type === 'sip-edge:views';
}

export function viewsMessage(change: ViewChange, reset?: CompiledView[]): ViewsMessage {
  return { type: 'sip-edge:views', reset, upserts: change.upserts, deletes: change.deletes };
}

/** An in-process copy of the views, counted in cache metrics. */
export function localViews(metrics: EdgeMetrics): LocalViews {
  return createLocalViews({ onLookup: (result) => metrics.countCacheLookup(result) });
}

/** Applies the primary's messages to a worker's local copy; ready once the first full set arrived. */
export function viewsFromPrimary(metrics: EdgeMetrics): SipViews {
  const local = localViews(metrics);
  let markReady = (): void => {};
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  const listener = (message: unknown): void => {
    if (!isViewsMessage(message)) return;
    if (message.reset !== undefined) {
      local.reset(message.reset);
      markReady();
    }
    local.apply({ upserts: message.upserts, deletes: message.deletes });
  };
  process.on('message', listener);
  // Ask only now: a full set sent before this listener existed would be lost.
  process.send?.({ type: VIEWS_REQUEST });
  return {
    lookup: local.cache,
    ready,
    async close() {
      process.off('message', listener);
    },
  };
}
