import Fastify from 'fastify';
import { spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { createHealthState, registerObservabilityRoutes } from '../../src/obs/health.ts';
import { createMetrics } from '../../src/obs/metrics.ts';

describe('health state', () => {
  it('is ready only when every expected listener is up and the store is reachable or cached', () => {
    const health = createHealthState({ expect: ['sip-udp', 'sip-tcp'] });
    expect(health.readiness().ready).toBe(false);
    health.setListening('sip-udp', true);
    expect(health.readiness().ready).toBe(false);
    health.setListening('sip-tcp', true);
    expect(health.readiness().ready).toBe(true);
    health.setStore('cache');
    expect(health.readiness().ready).toBe(true);
    health.setStore('down');
    expect(health.readiness().ready).toBe(false);
    health.setStore('reachable');
    health.setListening('sip-tcp', false);
    expect(health.readiness().ready).toBe(false);
    health.setListening('sip-tcp', true);
    health.setDraining();
    expect(health.readiness()).toMatchObject({ ready: false, draining: true });
  });

  it('is not ready with no listener at all', () => {
    expect(createHealthState().readiness().ready).toBe(false);
  });
});

describe('observability routes on a real server', () => {
  const apps: ReturnType<typeof Fastify>[] = [];
  afterEach(async () => {
    await Promise.all(apps.map((app) => app.close()));
    apps.length = 0;
  });

  it('serves /healthz, /readyz and /metrics over HTTP', async () => {
    const app = Fastify();
    apps.push(app);
    const metrics = createMetrics();
    const health = createHealthState({ expect: ['http'] });
    registerObservabilityRoutes(app, { registry: metrics.registry, health });
    const address = await app.listen({ host: '127.0.0.1', port: 0 });

    const live = await fetch(`${address}/healthz`);
    expect(live.status).toBe(200);

    const notReady = await fetch(`${address}/readyz`);
    expect(notReady.status).toBe(503);
    expect(await notReady.json()).toMatchObject({ ready: false, listening: { http: false } });

    health.setListening('http', true);
    const ready = await fetch(`${address}/readyz`);
    expect(ready.status).toBe(200);
    health.setStore('cache');
    expect((await fetch(`${address}/readyz`)).status).toBe(200);
    health.setStore('down');
    expect((await fetch(`${address}/readyz`)).status).toBe(503);
    health.setStore('reachable');

    metrics.countRequest('OPTIONS', 'udp');
    metrics.countResponse(200);
    const scrape = await fetch(`${address}/metrics`);
    expect(scrape.status).toBe(200);
    expect(scrape.headers.get('content-type')).toBe(metrics.registry.contentType);
    const text = await scrape.text();
    expect(text).toContain('sip_requests_total{method="OPTIONS",transport="udp"} 1');
    expect(text).toContain('sip_responses_total{code="200"} 1');
    const lint = spawnSync('/usr/bin/promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
    expect(`${lint.stdout}${lint.stderr}`).toBe('');
    expect(lint.status).toBe(0);
  });

  it('serves an override exposition (cluster merge) with the registry content type', async () => {
    const app = Fastify();
    apps.push(app);
    const metrics = createMetrics({ defaultMetrics: false });
    registerObservabilityRoutes(app, {
      registry: metrics.registry,
      health: createHealthState(),
      metricsText: async () => '# merged\n',
    });
    const response = await app.inject({ method: 'GET', url: '/metrics' });
    expect(response.body).toBe('# merged\n');
  });
});
