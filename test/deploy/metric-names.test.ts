import { describe, expect, it } from 'vitest';
import {
  AUTH_OUTCOMES, AUTH_REASONS, CACHE_RESULTS, EDGE_METRIC_NAMES, METRIC_METHODS, METRIC_TRANSPORTS, createMetrics,
} from '../../src/obs/metrics.ts';
import { read, yamlDocuments } from './deploy-files.ts';

interface Rule { alert: string; expr: string }

function alertExpressions(): { name: string; expr: string }[] {
  const doc = yamlDocuments('deploy/prometheus/alerts.yml')[0] as { groups: { rules: Rule[] }[] };
  return doc.groups.flatMap((g) => g.rules.map((r) => ({ name: r.alert, expr: r.expr })));
}

function dashboardExpressions(): { name: string; expr: string }[] {
  const dashboard = JSON.parse(read('deploy/grafana/dashboards/sip-edge.json')) as {
    panels: { title: string; targets: { expr: string }[] }[];
    templating: { list: { name: string; query?: unknown; definition?: string }[] };
  };
  const out = dashboard.panels.flatMap((p) => p.targets.map((t) => ({ name: p.title, expr: t.expr })));
  for (const variable of dashboard.templating.list) {
    if (variable.definition) out.push({ name: `$${variable.name}`, expr: variable.definition });
  }
  return out;
}

// Everything the registry exposes (histograms as their series names) plus Prometheus' own `up`.
async function knownSeries(): Promise<Set<string>> {
  const metrics = createMetrics();
  metrics.authDuration.observe(0.001);
  const names = new Set(['up']);
  for (const metric of await metrics.registry.getMetricsAsJSON()) {
    names.add(metric.name);
    if (String(metric.type) === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) names.add(metric.name + suffix);
  }
  return names;
}

const FUNCTIONS = new Set([
  'sum', 'rate', 'increase', 'delta', 'histogram_quantile', 'clamp_min', 'max', 'min', 'avg', 'by', 'without',
  'and', 'or', 'unless', 'offset', 'label_values', 'count', 'irate', 'abs',
]);

/** Metric names referenced by a PromQL expression: identifiers not inside quotes, braces' label names, functions or keywords. */
function metricNames(expr: string): string[] {
  // Grafana's label_values(series, label): the second argument is a label name.
  const series = expr.replace(/label_values\(([^,]+),\s*\w+\)/g, '$1');
  const withoutStrings = series.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  const withoutMatchers = withoutStrings.replace(/\{[^}]*\}/g, '{}');
  const withoutGrouping = withoutMatchers.replace(/\b(by|without)\s*\([^)]*\)/g, '');
  const withoutRanges = withoutGrouping.replace(/\[[^\]]*\]/g, '[]');
  // Numbers, exponents and durations (0.05, 1e-9, 1h, 30s).
  const withoutNumbers = withoutRanges.replace(/(?<![A-Za-z0-9_:])\d+(?:\.\d+)?(?:e[+-]?\d+)?(?:ms|s|m|h|d|w|y)?(?![A-Za-z0-9_:])/g, '0');
  const names: string[] = [];
  for (const match of withoutNumbers.matchAll(/[A-Za-z_:$][A-Za-z0-9_:]*/g)) {
    const token = match[0];
    if (token.startsWith('$') || FUNCTIONS.has(token)) continue;
    names.push(token);
  }
  return names;
}

describe('metric names in alerts and dashboard', () => {
  it('finds metric names in PromQL the way the check below relies on', () => {
    expect(metricNames('sum by (instance, le) (rate(edge_auth_duration_seconds_bucket{job="x",code=~"5.."}[5m])) > 0.05'))
      .toEqual(['edge_auth_duration_seconds_bucket']);
    expect(metricNames('a_total{x="y"} / clamp_min(sum(b_total[1h] offset 1h), 1e-9)')).toEqual(['a_total', 'b_total']);
  });

  it('every metric the alert rules use exists in src/obs/metrics.ts', async () => {
    const known = await knownSeries();
    const rules = alertExpressions();
    expect(rules.length).toBeGreaterThanOrEqual(4);
    for (const rule of rules) {
      const names = metricNames(rule.expr);
      expect(names.length, rule.name).toBeGreaterThan(0);
      for (const name of names) expect(known.has(name), `${rule.name}: ${name}`).toBe(true);
    }
    // The four families of alert the issue asks for.
    const used = new Set(rules.flatMap((r) => metricNames(r.expr)));
    for (const name of ['edge_auth_decisions_total', 'edge_store_errors_total', 'edge_bans_active', 'sip_requests_total']) {
      expect(used.has(name), name).toBe(true);
    }
  });

  it('every metric the dashboard uses exists, and every SPEC §7 metric is on it', async () => {
    const known = await knownSeries();
    const exprs = dashboardExpressions();
    const used = new Set<string>();
    for (const { name, expr } of exprs) {
      for (const metric of metricNames(expr)) {
        expect(known.has(metric), `${name}: ${metric}`).toBe(true);
        used.add(metric.replace(/_(bucket|sum|count)$/, ''));
      }
    }
    for (const name of EDGE_METRIC_NAMES) expect(used.has(name), name).toBe(true);
  });

  it('every label value the rules and dashboard select on is one the code can emit', () => {
    const allowed: Record<string, readonly string[]> = {
      outcome: AUTH_OUTCOMES, reason: AUTH_REASONS, result: CACHE_RESULTS,
      method: METRIC_METHODS, transport: METRIC_TRANSPORTS,
    };
    let checked = 0;
    for (const { name, expr } of [...alertExpressions(), ...dashboardExpressions()]) {
      for (const match of expr.matchAll(/\b(outcome|reason|result|method|transport)\s*(=~|=|!=|!~)\s*"([^"]*)"/g)) {
        const [, label, , value] = match;
        for (const alternative of value!.split('|')) {
          expect(allowed[label!], `${name}: ${label}="${alternative}"`).toContain(alternative);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThanOrEqual(4);
  });
});
