// /healthz, /readyz and /metrics on their own small HTTP server, for processes without the REST
// API (EDGE_ROLE=edge).

import Fastify from 'fastify';
import type { ListenAddress } from '../config.ts';
import type { HealthState } from '../obs/health.ts';
import { registerObservabilityRoutes } from '../obs/routes.ts';
import type { Registry } from 'prom-client';

export interface ObservabilityServer {
  port: number;
  close(): Promise<void>;
}

export async function startObservabilityServer(
  listen: ListenAddress,
  registry: Registry,
  health: HealthState,
  metricsText?: () => Promise<string>,
): Promise<ObservabilityServer> {
  const app = Fastify({ logger: false });
  registerObservabilityRoutes(app, { registry, health, metricsText });
  await app.listen({ host: listen.host, port: listen.port });
  const address = app.server.address();
  health.setListening('http', true);
  return {
    port: typeof address === 'object' && address !== null ? address.port : listen.port,
    close: () => app.close(),
  };
}
