// /healthz, /readyz and /metrics on the API's fastify server (the API module owns the server and
// mounts these with registerObservabilityRoutes). No secret and no per-request data in any body.
import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import type { HealthState } from './health.ts';

export interface ObservabilityRoutesOptions {
  registry: Registry;
  health: HealthState;
  /** Exposition override, e.g. the primary's merge of cluster workers (cluster-metrics.ts). */
  metricsText?: () => Promise<string>;
}

export function registerObservabilityRoutes(app: FastifyInstance, options: ObservabilityRoutesOptions): void {
  const { registry, health } = options;
  const metricsText = options.metricsText ?? (() => registry.metrics());

  app.get('/healthz', async (_request, reply) => {
    reply.header('cache-control', 'no-store');
    return { status: 'ok' };
  });

  app.get('/readyz', async (_request, reply) => {
    const state = health.readiness();
    reply.header('cache-control', 'no-store');
    reply.code(state.ready ? 200 : 503);
    return { status: state.ready ? 'ready' : 'not ready', ...state };
  });

  app.get('/metrics', async (_request, reply) => {
    const body = await metricsText();
    reply.header('content-type', registry.contentType);
    reply.header('cache-control', 'no-store');
    return body;
  });
}
