// One /metrics for a multi-process node (EDGE_WORKERS > 1): each SIP worker keeps its own registry
// and answers the primary over the IPC channel; the primary merges its own registry with the
// workers' using prom-client's AggregatorRegistry.aggregate (counters, histograms and gauges are
// summed; process_start_time is dropped, the version info taken once). A worker that does not
// answer within the timeout is left out of that scrape rather than failing it.
import { AggregatorRegistry } from 'prom-client';
import type { MetricObjectWithValues, MetricValue, Registry } from 'prom-client';

const REQUEST = 'sip-edge:metrics-request';
const RESPONSE = 'sip-edge:metrics-response';

type WorkerMetrics = MetricObjectWithValues<MetricValue<string>>[];

interface MetricsRequest {
  type: typeof REQUEST;
  id: number;
}

interface MetricsResponse {
  type: typeof RESPONSE;
  id: number;
  metrics?: WorkerMetrics;
  error?: string;
}

/** The IPC end a worker talks through: `process` in a worker, cluster.Worker or ChildProcess in the primary. */
export interface MetricsChannel {
  send?(message: unknown): boolean;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  off(event: 'message', listener: (message: unknown) => void): unknown;
}

function isRequest(message: unknown): message is MetricsRequest {
  return typeof message === 'object' && message !== null && (message as MetricsRequest).type === REQUEST;
}

function isResponse(message: unknown, id: number): message is MetricsResponse {
  return typeof message === 'object' && message !== null &&
    (message as MetricsResponse).type === RESPONSE && (message as MetricsResponse).id === id;
}

/** Worker side: answer the primary's metric requests with this registry. Returns a detach function. */
export function serveMetricsToPrimary(registry: Registry, channel: MetricsChannel = process): () => void {
  const listener = (message: unknown) => {
    if (!isRequest(message) || channel.send === undefined) return;
    const reply = (response: MetricsResponse) => {
      try {
        channel.send?.(response);
      } catch {
        // The primary went away; nothing to tell.
      }
    };
    registry.getMetricsAsJSON().then(
      (metrics) => reply({ type: RESPONSE, id: message.id, metrics: metrics as WorkerMetrics }),
      (error: unknown) => reply({ type: RESPONSE, id: message.id, error: String(error) }),
    );
  };
  channel.on('message', listener);
  return () => channel.off('message', listener);
}

let nextId = 1;

function askWorker(worker: MetricsChannel, timeoutMs: number): Promise<WorkerMetrics | null> {
  const id = nextId++;
  return new Promise((resolve) => {
    const finish = (value: WorkerMetrics | null) => {
      clearTimeout(timer);
      worker.off('message', listener);
      resolve(value);
    };
    const listener = (message: unknown) => {
      if (isResponse(message, id)) finish(Array.isArray(message.metrics) ? message.metrics : null);
    };
    const timer = setTimeout(() => finish(null), timeoutMs);
    worker.on('message', listener);
    try {
      if (worker.send?.({ type: REQUEST, id } satisfies MetricsRequest) !== true) finish(null);
    } catch {
      finish(null);
    }
  });
}

/** Primary side: its own registry merged with every worker that answers, as text exposition. */
export async function mergedMetrics(own: Registry, workers: Iterable<MetricsChannel>, timeoutMs = 2000): Promise<string> {
  const answers = await Promise.all([...workers].map((worker) => askWorker(worker, timeoutMs)));
  const all = [(await own.getMetricsAsJSON()) as WorkerMetrics];
  for (const answer of answers) if (answer !== null) all.push(answer);
  return AggregatorRegistry.aggregate(all).metrics();
}
