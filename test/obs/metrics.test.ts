import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GateDecision, GateReason } from '../../src/gate/decision.ts';
import { AUTH_OUTCOMES, AUTH_REASONS, EDGE_METRIC_NAMES, codeLabel, createMetrics, methodLabel } from '../../src/obs/metrics.ts';
import type { AuthOutcome, AuthReason } from '../../src/obs/metrics.ts';

// Compile time (npm run typecheck): the gate's unions fit the metric label unions.
type Assert<T extends true> = T;
export type GateReasonsCovered = Assert<GateReason extends AuthReason ? true : false>;
export type GateOutcomesCovered = Assert<GateDecision['outcome'] extends AuthOutcome ? true : false>;

// SPEC §7: name → exact label names.
const SPEC_METRICS: Record<string, { type: string; labels: string[] }> = {
  sip_requests_total: { type: 'counter', labels: ['method', 'transport'] },
  sip_responses_total: { type: 'counter', labels: ['code'] },
  edge_auth_decisions_total: { type: 'counter', labels: ['outcome', 'reason'] },
  edge_auth_duration_seconds: { type: 'histogram', labels: [] },
  edge_cache_lookups_total: { type: 'counter', labels: ['result'] },
  edge_store_errors_total: { type: 'counter', labels: [] },
  edge_active_calls: { type: 'gauge', labels: [] },
  edge_bans_active: { type: 'gauge', labels: [] },
  edge_replays_rejected_total: { type: 'counter', labels: [] },
};

function exercise() {
  const metrics = createMetrics();
  metrics.countRequest('INVITE', 'udp');
  metrics.countRequest('REGISTER', 'tcp');
  metrics.countRequest('XYZZY', 'udp');
  metrics.countResponse(407);
  metrics.countResponse(200);
  metrics.countResponse(42);
  metrics.countAuthDecision('challenge', 'no_credentials', 0.000_04);
  metrics.countAuthDecision('accept', 'digest', 0.000_3);
  metrics.countAuthDecision('reject', 'bad_credentials', 0.002);
  metrics.countCacheLookup('hit');
  metrics.countCacheLookup('miss');
  metrics.storeErrors.inc();
  metrics.activeCalls.inc();
  metrics.activeCalls.inc();
  metrics.activeCalls.dec();
  metrics.bansActive.set(3);
  metrics.replaysRejected.inc();
  metrics.rateLimited.inc(5);
  return metrics;
}

async function sample(metrics: ReturnType<typeof createMetrics>, name: string, labels: Record<string, string> = {}) {
  const json = await metrics.registry.getMetricsAsJSON();
  const metric = json.find((m) => name === m.name || name === `${m.name}_count`);
  const values = (metric as unknown as { values: { value: number; labels: Record<string, string>; metricName?: string }[] }).values;
  const found = values.find((v) => (v.metricName ?? name) === name &&
    Object.entries(labels).every(([k, val]) => v.labels[k] === val) &&
    Object.keys(v.labels).length === Object.keys(labels).length);
  return found?.value;
}

describe('metrics', () => {
  it('registers exactly the SPEC §7 metrics with their label names, beside default process metrics', async () => {
    const metrics = exercise();
    const json = await metrics.registry.getMetricsAsJSON();
    for (const [name, spec] of Object.entries(SPEC_METRICS)) {
      const metric = json.find((m) => m.name === name);
      expect(metric, name).toBeDefined();
      expect(String(metric!.type), name).toBe(spec.type);
      const labelNames = new Set<string>();
      for (const v of (metric as unknown as { values: { labels: Record<string, string> }[] }).values) {
        for (const key of Object.keys(v.labels)) if (key !== 'le') labelNames.add(key);
      }
      expect([...labelNames].sort(), name).toEqual([...spec.labels].sort());
    }
    const ours = json.filter((m) => !m.name.startsWith('process_') && !m.name.startsWith('nodejs_')).map((m) => m.name);
    expect(ours.sort()).toEqual([...EDGE_METRIC_NAMES].sort());
    expect(json.some((m) => m.name === 'process_cpu_user_seconds_total')).toBe(true);
  });

  it('counts with bounded labels', async () => {
    const metrics = exercise();
    expect(await sample(metrics, 'sip_requests_total', { method: 'INVITE', transport: 'udp' })).toBe(1);
    expect(await sample(metrics, 'sip_requests_total', { method: 'other', transport: 'udp' })).toBe(1);
    expect(await sample(metrics, 'sip_responses_total', { code: '407' })).toBe(1);
    expect(await sample(metrics, 'sip_responses_total', { code: 'other' })).toBe(1);
    expect(await sample(metrics, 'edge_auth_decisions_total', { outcome: 'reject', reason: 'bad_credentials' })).toBe(1);
    expect(await sample(metrics, 'edge_auth_duration_seconds_count')).toBe(3);
    expect(await sample(metrics, 'edge_active_calls')).toBe(1);
    expect(await sample(metrics, 'edge_bans_active')).toBe(3);
    expect(await sample(metrics, 'edge_rate_limited_total')).toBe(5);
    expect(await sample(metrics, 'edge_cache_lookups_total', { result: 'miss' })).toBe(1);
    expect(methodLabel('invite')).toBe('other');
    expect(methodLabel('BYE')).toBe('BYE');
    expect(codeLabel(699)).toBe('699');
    expect(codeLabel(700)).toBe('other');
  });

  it('folds unknown auth labels instead of growing the label set', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    const countAny = metrics.countAuthDecision as (o: string, r: string) => void;
    for (let i = 0; i < 100; i++) countAny('reject', `user-${i}`);
    expect(await sample(metrics, 'edge_auth_decisions_total', { outcome: 'reject', reason: 'other' })).toBe(100);
  });

  it('samples gauges at scrape time from their owners', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    let bans = 2;
    metrics.sampleAtScrape('bansActive', () => bans);
    metrics.sampleAtScrape('activeCalls', () => 11);
    expect(await sample(metrics, 'edge_bans_active')).toBe(2);
    bans = 5;
    expect(await sample(metrics, 'edge_bans_active')).toBe(5);
    expect((await metrics.registry.metrics())).toContain('edge_active_calls 11');
  });

  it('has a label value for every gate outcome and reason', () => {
    // The gate's unions, read from its source so that a new reason there fails here.
    const source = readFileSync(join(import.meta.dirname, '../../src/gate/decision.ts'), 'utf8');
    const union = /export type GateReason =([^;]*);/.exec(source)![1]!;
    const gateReasons = [...union.matchAll(/'([a-z_]+)'/g)].map((m) => m[1]!);
    expect(gateReasons.length).toBeGreaterThan(10);
    for (const reason of gateReasons) expect(AUTH_REASONS as readonly string[], reason).toContain(reason);
    const gateOutcomes = [...source.matchAll(/^\s*outcome: '([a-z]+)';$/gm)].map((m) => m[1]!);
    expect(gateOutcomes.length).toBeGreaterThanOrEqual(4);
    for (const outcome of gateOutcomes) expect(AUTH_OUTCOMES as readonly string[], outcome).toContain(outcome);
    expect(new Set(AUTH_REASONS).size).toBe(AUTH_REASONS.length);
  });

  it('keeps registries apart', async () => {
    const a = createMetrics({ defaultMetrics: false });
    const b = createMetrics({ defaultMetrics: false });
    a.storeErrors.inc();
    expect(await sample(a, 'edge_store_errors_total')).toBe(1);
    expect(await sample(b, 'edge_store_errors_total')).toBe(0);
  });

  it('produces an exposition that promtool check metrics accepts', async () => {
    const metrics = exercise();
    const text = await metrics.registry.metrics();
    expect(metrics.registry.contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    const result = spawnSync('/usr/bin/promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
    expect(result.error).toBeUndefined();
    expect(`${result.stdout}${result.stderr}`).toBe('');
    expect(result.status).toBe(0);
  });
});

describe('hot-path counts flushed at scrape', () => {
  it('expose exactly what direct prom-client calls expose, across several scrapes', async () => {
    const { Counter, Histogram, Registry } = await import('prom-client');
    const { AUTH_DURATION_BUCKETS } = await import('../../src/obs/metrics.ts');
    const metrics = createMetrics({ defaultMetrics: false });
    // The reference: the same metrics fed directly, in the same order as the slots flush.
    const ref = new Registry();
    const registers = [ref];
    const req = new Counter({ name: 'sip_requests_total', help: 'SIP requests received, by method and transport.', labelNames: ['method', 'transport'], registers });
    const res = new Counter({ name: 'sip_responses_total', help: 'SIP responses sent by the edge, by status code.', labelNames: ['code'], registers });
    const dec = new Counter({ name: 'edge_auth_decisions_total', help: 'Authentication decisions for out-of-dialog requests.', labelNames: ['outcome', 'reason'], registers });
    const dur = new Histogram({ name: 'edge_auth_duration_seconds', help: 'Time spent deciding one out-of-dialog request.', buckets: AUTH_DURATION_BUCKETS, registers });
    const cache = new Counter({ name: 'edge_cache_lookups_total', help: 'Compiled view lookups, by result.', labelNames: ['result'], registers });
    const pick = async (r: { metrics(): Promise<string> }) =>
      (await r.metrics()).split('\n').filter((l) => /^(sip_|edge_auth|edge_cache)/.test(l)).sort();
    req.inc({ method: 'INVITE', transport: 'udp' }, 0);
    for (const result of ['hit', 'miss', 'negative', 'error']) cache.inc({ result }, 0);
    const durations = [0.000_004, 0.000_005, 0.000_03, 0.000_3, 0.002, 0.3, 7, 0.000_05];
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i <= round; i++) {
        metrics.countRequest('INVITE', 'udp'); req.inc({ method: 'INVITE', transport: 'udp' });
        metrics.countRequest('BYE', 'tcp'); req.inc({ method: 'BYE', transport: 'tcp' });
        metrics.countRequest('FOO', 'udp'); req.inc({ method: 'other', transport: 'udp' });
        metrics.countResponse(100 + round); res.inc({ code: String(100 + round) });
        metrics.countResponse(699); res.inc({ code: '699' });
        metrics.countResponse(700); res.inc({ code: 'other' });
        metrics.countResponse(200.5); res.inc({ code: 'other' });
        metrics.countAuthDecision('accept', 'ip'); dec.inc({ outcome: 'accept', reason: 'ip' });
        metrics.countCacheLookup('miss'); cache.inc({ result: 'miss' });
        for (const d of durations) {
          metrics.countAuthDecision('challenge', 'no_credentials', d * (round + 1));
          dec.inc({ outcome: 'challenge', reason: 'no_credentials' });
          dur.observe(d * (round + 1));
        }
      }
      const mine = await pick(metrics.registry);
      const theirs = await pick(ref);
      // Sums may differ in the last bits (added per scrape rather than per observation).
      const approx = (lines: string[]) => lines.map((l) => (l.startsWith('edge_auth_duration_seconds_sum') ? `sum ${Number(l.split(' ')[1]).toPrecision(12)}` : l));
      expect(approx(mine)).toEqual(approx(theirs));
      expect(mine.some((l) => l.startsWith('sip_responses_total{code="other"}'))).toBe(true);
    }
  });
});
