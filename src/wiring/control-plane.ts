// The control plane of a process (roles all and api): the SQLite store, the REST API with
// /healthz, /readyz and /metrics beside it, and with REDIS_URL every committed view change written
// to Redis (writes answer 503 while Redis cannot take them; Redis is rebuilt from SQL at start).

import { apiOptionsFromConfig } from '../api/from-config.ts';
import { startApi } from '../api/start.ts';
import type { RunningApi } from '../api/start.ts';
import type { EdgeConfig } from '../config.ts';
import type { HealthState } from '../obs/health.ts';
import type { Logger } from '../obs/logger.ts';
import type { EdgeMetrics } from '../obs/metrics.ts';
import { registerObservabilityRoutes } from '../obs/routes.ts';
import { createApiViews } from '../store/cache/api-views.ts';
import type { ApiViews } from '../store/cache/api-views.ts';
import { openSqliteStore } from '../store/sqlite/store.ts';
import type { ViewChange } from '../store/cache/view-cache.ts';
import type { Store } from '../store/types.ts';

export interface ControlPlaneOptions {
  config: Readonly<EdgeConfig>;
  log: Logger;
  metrics: EdgeMetrics;
  health: HealthState;
  /** /metrics body override (the cluster primary merges its workers' metrics). */
  metricsText?: () => Promise<string>;
}

export interface ControlPlane {
  store: Store;
  api: RunningApi;
  redis: ApiViews | undefined;
  /** Subscribes to committed view changes (after Redis publishing). */
  onViewsChanged(listener: (change: ViewChange) => void): () => void;
  close(): Promise<void>;
}

export async function startControlPlane(options: ControlPlaneOptions): Promise<ControlPlane> {
  const { config, log, metrics, health } = options;
  const store = openSqliteStore({
    dataDir: config.dataDir,
    secretKey: config.secretKey,
    onListenerError: (err) => log.error({ err: (err as Error)?.message }, 'view listener failed'),
  });
  let redis: ApiViews | undefined;
  let unsubscribe = (): void => {};
  if (config.redisUrl !== undefined) {
    let lastLog = 0;
    const views = createApiViews({
      redisUrl: config.redisUrl,
      loadAll: () => store.rebuildAllViews(),
      onError: (err) => {
        metrics.storeErrors.inc();
        // Reconnection attempts fail every few seconds while Redis is away: log some of them.
        const now = Date.now();
        if (now - lastLog > 5000) {
          lastLog = now;
          log.warn({ err: (err as Error)?.message }, 'redis error (api)');
        }
      },
      onRepopulated: (count) => log.info({ views: count }, 'redis repopulated from sql'),
    });
    redis = views;
    unsubscribe = store.onViewsChanged((change) => {
      views.publish(change).catch((err: unknown) => {
        metrics.storeErrors.inc();
        log.warn({ err: (err as Error)?.message }, 'view change not published to redis');
      });
    });
  }
  const apiOptions = apiOptionsFromConfig(config, log);
  let api: RunningApi;
  try {
    api = await startApi({
      ...apiOptions,
      store,
      writesAvailable: redis === undefined ? undefined : () => redis.redisConnected(),
      routes: [
        ...(apiOptions.routes ?? []),
        (app) => registerObservabilityRoutes(app, { registry: metrics.registry, health, metricsText: options.metricsText }),
      ],
    });
  } catch (err) {
    unsubscribe();
    await redis?.close();
    await store.close();
    throw err;
  }
  health.setListening('http', true);
  return {
    store,
    api,
    redis,
    onViewsChanged: (listener) => store.onViewsChanged(listener),
    async close() {
      unsubscribe();
      await api.close();
      await redis?.close();
      await store.close();
    },
  };
}
