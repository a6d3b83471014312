// One process doing its role alone (EDGE_WORKERS=1): control plane and/or SIP edge.

import type { EdgeConfig } from '../config.ts';
import { createHealthState } from '../obs/health.ts';
import type { Logger } from '../obs/logger.ts';
import { createMetrics } from '../obs/metrics.ts';
import type { ViewChange } from '../store/cache/view-cache.ts';
import { startControlPlane } from './control-plane.ts';
import type { ControlPlane } from './control-plane.ts';
import { startObservabilityServer } from './observability-server.ts';
import { createReplayGuard } from './replay.ts';
import { startSipEdge } from './sip-edge.ts';
import type { SipEdge } from './sip-edge.ts';
import { localViews, redisViews } from './sip-views.ts';
import type { SipViews } from './sip-views.ts';
import type { LocalViews } from './local-views.ts';

export interface Running {
  /** Graceful stop: readiness fails, transactions drain (up to the configured grace), then close. */
  stop(): Promise<void>;
}

export function listenText(host: string, port: number): string {
  return `${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/** Keeps a local copy of every view in step with the store, warmed from a full rebuild. */
export async function mirrorStore(control: ControlPlane, local: LocalViews): Promise<() => void> {
  // Changes committed while the rebuild runs are applied after it, in order.
  let pending: ViewChange[] | null = [];
  const unsubscribe = control.onViewsChanged((change) => {
    if (pending !== null) pending.push(change);
    else local.apply(change);
  });
  local.reset(await control.store.rebuildAllViews());
  for (const change of pending) local.apply(change);
  pending = null;
  return unsubscribe;
}

/** Waits for `promise` at most `ms`. */
export function atMost(promise: Promise<void>, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    timer.unref();
    void promise.then(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

export async function runSingleProcess(config: Readonly<EdgeConfig>, log: Logger): Promise<Running> {
  const metrics = createMetrics();
  const health = createHealthState({ expect: config.role === 'api' ? ['http'] : ['http', 'sip'] });
  const closers: Array<() => Promise<void> | void> = [];
  let control: ControlPlane | undefined;
  let httpPort: number;
  if (config.role === 'edge') {
    const obs = await startObservabilityServer(config.httpListen, metrics.registry, health);
    closers.push(() => obs.close());
    httpPort = obs.port;
  } else {
    control = await startControlPlane({ config, log, metrics, health });
    closers.push(() => control!.close());
    httpPort = control.api.port;
  }
  log.info({ http: listenText(config.httpListen.host, httpPort), port: httpPort, role: config.role }, 'http listening');
  let sip: SipEdge | undefined;
  if (config.role !== 'api') {
    let views: SipViews;
    if (control === undefined) {
      views = redisViews(config, metrics, health, log);
      await atMost(views.ready, 2000);
    } else {
      const local = localViews(metrics);
      const unsubscribe = await mirrorStore(control, local);
      views = { lookup: local.cache, ready: Promise.resolve(), close: async () => unsubscribe() };
    }
    closers.unshift(() => views.close());
    const replay = createReplayGuard(config, (err) => {
      metrics.storeErrors.inc();
      log.debug({ err: (err as Error)?.message }, 'redis error (replay)');
    });
    closers.unshift(() => replay.close());
    sip = await startSipEdge(config, { views: views.lookup, replay: replay.guard, metrics, log });
    health.setListening('sip', true);
    log.info(
      { sip: listenText(config.sipListen.host, sip.port), udp: sip.port, tcp: sip.port, advertised: config.sipAdvertisedHost },
      'sip listening',
    );
  }
  return {
    async stop() {
      health.setDraining();
      if (sip !== undefined) {
        await sip.close(config.shutdownGraceMs);
        health.setListening('sip', false);
      }
      for (const close of closers) await close();
    },
  };
}
