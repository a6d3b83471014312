// Prometheus metrics of SPEC §7, one registry per process (tests and workers each create their own).
// Labels are bounded by construction: methods are folded to a fixed list plus "other", response
// codes to 100..699 plus "other", and auth reasons/outcomes and cache results are closed unions.
// Nothing is labelled by user, source address or domain.
//
// Cluster workers: each worker keeps its own registry; src/obs/cluster-metrics.ts merges them in
// the primary with prom-client's AggregatorRegistry.aggregate (counters and gauges summed).
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { LabelValues } from 'prom-client';

export const METRIC_METHODS = [
  'INVITE', 'ACK', 'BYE', 'CANCEL', 'REGISTER', 'OPTIONS', 'INFO', 'UPDATE', 'PRACK',
  'SUBSCRIBE', 'NOTIFY', 'REFER', 'MESSAGE', 'PUBLISH', 'other',
] as const;
export type MetricMethod = (typeof METRIC_METHODS)[number];

export const METRIC_TRANSPORTS = ['udp', 'tcp'] as const;
export type MetricTransport = (typeof METRIC_TRANSPORTS)[number];

/** What the gate decided for one out-of-dialog request (src/gate/decision.ts outcomes, plus drop). */
export const AUTH_OUTCOMES = ['accept', 'challenge', 'reject', 'reply', 'pass', 'drop'] as const;
export type AuthOutcome = (typeof AUTH_OUTCOMES)[number];

/**
 * Why: every GateReason of src/gate/decision.ts (a test keeps them in step) plus the protection
 * layer's own. Accepts say how the sender was admitted; the rest say what was wrong or missing.
 */
export const AUTH_REASONS = [
  'ip', 'digest', 'invalid_request', 'unsupported_scheme', 'too_many_hops', 'bad_extension',
  'edge_options', 'not_gated', 'unknown_target', 'account_inactive', 'registration_not_allowed',
  'nothing_mapped', 'acl_denied', 'no_credentials', 'bad_credentials', 'stale_nonce',
  'invalid_nonce', 'replayed_nonce', 'auth_failed', 'view_unavailable', 'replay_guard_unavailable',
  'channel_limit', 'banned', 'rate_limited', 'other',
] as const;
export type AuthReason = (typeof AUTH_REASONS)[number];

export const CACHE_RESULTS = ['hit', 'miss', 'negative', 'error'] as const;
export type CacheResult = (typeof CACHE_RESULTS)[number];

/** Auth decisions take microseconds (IP check) to a few milliseconds (cache miss to Redis). */
export const AUTH_DURATION_BUCKETS = [
  0.000_005, 0.000_01, 0.000_025, 0.000_05, 0.000_1, 0.000_25, 0.000_5,
  0.001, 0.002_5, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
];

/** Every metric name this module registers besides prom-client's default process metrics. */
export const EDGE_METRIC_NAMES = [
  'sip_requests_total', 'sip_responses_total', 'edge_auth_decisions_total',
  'edge_auth_duration_seconds', 'edge_cache_lookups_total', 'edge_store_errors_total',
  'edge_active_calls', 'edge_bans_active', 'edge_replays_rejected_total', 'edge_rate_limited_total',
] as const;

export interface EdgeMetrics {
  registry: Registry;
  sipRequests: Counter<'method' | 'transport'>;
  sipResponses: Counter<'code'>;
  authDecisions: Counter<'outcome' | 'reason'>;
  authDuration: Histogram;
  cacheLookups: Counter<'result'>;
  storeErrors: Counter;
  activeCalls: Gauge;
  bansActive: Gauge;
  replaysRejected: Counter;
  rateLimited: Counter;
  /** Hot-path helpers: bounded labels, no per-call label object. */
  countRequest(method: string, transport: MetricTransport): void;
  countResponse(code: number): void;
  countAuthDecision(outcome: AuthOutcome, reason: AuthReason, seconds?: number): void;
  countCacheLookup(result: CacheResult): void;
  /** Read a gauge's value from its owner at every scrape instead of setting it as things change. */
  sampleAtScrape(gauge: ScrapedGauge, read: () => number): void;
}

export type ScrapedGauge = 'activeCalls' | 'bansActive';

/** Moves each non-zero slot's count into `counter` under that slot's labels, zeroing the slot. */
function flushSlots<L extends string>(counter: Counter<L>, slots: Float64Array, labelsOf: (slot: number) => LabelValues<L>): void {
  for (let i = 0; i < slots.length; i++) {
    const n = slots[i]!;
    if (n === 0) continue;
    slots[i] = 0;
    counter.inc(labelsOf(i), n);
  }
}

/** prom-client 15's internal record of one histogram series. */
interface HistogramSeries {
  bucketValues: Record<number, number>;
  sum: number;
  count: number;
}

const KNOWN_METHODS: ReadonlySet<string> = new Set(METRIC_METHODS.filter((m) => m !== 'other'));

/** Folds any method token to the bounded label set (case-sensitive, as SIP methods are). */
export function methodLabel(method: string): MetricMethod {
  return KNOWN_METHODS.has(method) ? (method as MetricMethod) : 'other';
}

/** Status codes outside 100..699 (or non-integers) collapse into "other". */
export function codeLabel(code: number): string {
  return Number.isInteger(code) && code >= 100 && code <= 699 ? String(code) : 'other';
}

const LINT_FAILING_DEFAULTS = [
  'nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total',
];

export interface CreateMetricsOptions {
  /** Collect prom-client's default process metrics (default true). */
  defaultMetrics?: boolean;
}

export function createMetrics(options: CreateMetricsOptions = {}): EdgeMetrics {
  const registry = new Registry();
  if (options.defaultMetrics !== false) {
    collectDefaultMetrics({ register: registry });
    // These three are gauges named *_total, which Prometheus' linter rejects; nodejs_active_handles
    // and friends (without the suffix) carry the same counts by type.
    for (const name of LINT_FAILING_DEFAULTS) registry.removeSingleMetric(name);
  }
  const registers = [registry];

  // Hot-path counts go into preallocated slots (a plain add, no label hashing, no closure) and are
  // pushed into prom-client when it collects, i.e. at every scrape or aggregation, so the exposed
  // series and values are those the direct calls would have produced.
  const requestSlots = new Float64Array(METRIC_METHODS.length * 2);
  const responseSlots = new Float64Array(601); // 100..699, then "other"
  const decisionSlots = new Float64Array(AUTH_OUTCOMES.length * AUTH_REASONS.length);
  const durationSlots = new Float64Array(AUTH_DURATION_BUCKETS.length + 1); // the last: above every bound
  let durationSum = 0;
  let durationCount = 0;
  const cacheSlots = new Float64Array(CACHE_RESULTS.length);

  const sipRequests: Counter<'method' | 'transport'> = new Counter({
    name: 'sip_requests_total', help: 'SIP requests received, by method and transport.',
    labelNames: ['method', 'transport'] as const, registers,
    collect() {
      flushSlots(this, requestSlots, (i) => ({ method: METRIC_METHODS[i >> 1]!, transport: METRIC_TRANSPORTS[i & 1]! }));
    },
  });
  const sipResponses: Counter<'code'> = new Counter({
    name: 'sip_responses_total', help: 'SIP responses sent by the edge, by status code.',
    labelNames: ['code'] as const, registers,
    collect() {
      flushSlots(this, responseSlots, (i) => ({ code: i === 600 ? 'other' : String(i + 100) }));
    },
  });
  const authDecisions: Counter<'outcome' | 'reason'> = new Counter({
    name: 'edge_auth_decisions_total', help: 'Authentication decisions for out-of-dialog requests.',
    labelNames: ['outcome', 'reason'] as const, registers,
    collect() {
      flushSlots(this, decisionSlots, (i) => ({ outcome: AUTH_OUTCOMES[Math.floor(i / AUTH_REASONS.length)]!, reason: AUTH_REASONS[i % AUTH_REASONS.length]! }));
    },
  });
  const authDuration: Histogram = new Histogram({
    name: 'edge_auth_duration_seconds', help: 'Time spent deciding one out-of-dialog request.',
    buckets: AUTH_DURATION_BUCKETS, registers,
    collect() {
      if (durationCount === 0) return;
      // prom-client has no public call that adds bucket counts in bulk; its unlabelled series is
      // hashMap[''] ({ bucketValues by upper bound, sum, count }), which zero({}) (re)creates.
      // test/obs/metrics.test.ts compares the exposition with a histogram fed by observe().
      const internal = this as unknown as { hashMap: Record<string, HistogramSeries | undefined> };
      let series = internal.hashMap[''];
      if (series === undefined) {
        this.zero({});
        series = internal.hashMap['']!;
      }
      for (let i = 0; i < AUTH_DURATION_BUCKETS.length; i++) {
        const n = durationSlots[i]!;
        if (n !== 0) series.bucketValues[AUTH_DURATION_BUCKETS[i]!]! += n;
      }
      series.sum += durationSum;
      series.count += durationCount;
      durationSlots.fill(0);
      durationSum = 0;
      durationCount = 0;
    },
  });
  const cacheLookups: Counter<'result'> = new Counter({
    name: 'edge_cache_lookups_total', help: 'Compiled view lookups, by result.',
    labelNames: ['result'] as const, registers,
    collect() {
      flushSlots(this, cacheSlots, (i) => ({ result: CACHE_RESULTS[i]! }));
    },
  });
  const storeErrors = new Counter({
    name: 'edge_store_errors_total', help: 'Errors talking to the store or the shared cache.', registers,
  });
  // Gauges may be set directly or sampled at scrape time (sampleAtScrape), e.g. from
  // BanTable.activeBans(Date.now()), so nothing on the hot path keeps them current.
  const samplers: Partial<Record<ScrapedGauge, () => number>> = {};
  const activeCalls = new Gauge({
    name: 'edge_active_calls', help: 'Calls currently established through this edge.', registers,
    collect() {
      if (samplers.activeCalls) this.set(samplers.activeCalls());
    },
  });
  const bansActive = new Gauge({
    name: 'edge_bans_active', help: 'Sources and usernames currently banned.', registers,
    collect() {
      if (samplers.bansActive) this.set(samplers.bansActive());
    },
  });
  const replaysRejected = new Counter({
    name: 'edge_replays_rejected_total', help: 'Digest responses rejected for a reused nonce count.', registers,
  });
  const rateLimited = new Counter({
    name: 'edge_rate_limited_total', help: 'Messages dropped by the per-source rate limit (requests, and responses a worker would relay).', registers,
  });

  const methodIndex = new Map<string, number>(METRIC_METHODS.map((m, i) => [m, i]));
  const otherMethod = METRIC_METHODS.indexOf('other');
  const outcomeIndex = new Map<string, number>(AUTH_OUTCOMES.map((o, i) => [o, i]));
  const reasonIndex = new Map<string, number>(AUTH_REASONS.map((r, i) => [r, i]));
  const otherDecision = AUTH_OUTCOMES.indexOf('reject') * AUTH_REASONS.length + AUTH_REASONS.indexOf('other');
  const cacheIndex = new Map<string, number>(CACHE_RESULTS.map((r, i) => [r, i]));
  const bounds = Float64Array.from(AUTH_DURATION_BUCKETS);

  // Start at zero so rate() and absent-traffic alerts have a series before the first event.
  sipRequests.inc({ method: 'INVITE', transport: 'udp' }, 0);
  for (const result of CACHE_RESULTS) cacheLookups.inc({ result }, 0);
  storeErrors.inc(0);
  replaysRejected.inc(0);
  rateLimited.inc(0);

  return {
    registry, sipRequests, sipResponses, authDecisions, authDuration, cacheLookups, storeErrors,
    activeCalls, bansActive, replaysRejected, rateLimited,
    countRequest(method, transport) {
      const t = transport === 'udp' ? 0 : transport === 'tcp' ? 1 : -1;
      if (t < 0) return;
      requestSlots[(methodIndex.get(method) ?? otherMethod) * 2 + t]! += 1;
    },
    countResponse(code) {
      responseSlots[Number.isInteger(code) && code >= 100 && code <= 699 ? code - 100 : 600]! += 1;
    },
    countAuthDecision(outcome, reason, seconds) {
      // Callers are typed, but anything else folds into reject/other so the label set stays closed.
      const o = outcomeIndex.get(outcome);
      const r = reasonIndex.get(reason);
      decisionSlots[o === undefined || r === undefined ? otherDecision : o * AUTH_REASONS.length + r]! += 1;
      if (seconds !== undefined && Number.isFinite(seconds)) {
        let b = 0;
        while (b < bounds.length && seconds > bounds[b]!) b++;
        durationSlots[b]! += 1;
        durationSum += seconds;
        durationCount++;
      }
    },
    countCacheLookup(result) {
      const i = cacheIndex.get(result);
      if (i !== undefined) cacheSlots[i]! += 1;
    },
    sampleAtScrape(gauge, read) {
      samplers[gauge] = read;
    },
  };
}
