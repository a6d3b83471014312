// EDGE_WORKERS > 1: the primary keeps the HTTP side (REST API or the observability server) and
// forks SIP workers that share the SIP port. Workers get one nonce secret and one concrete port
// through their environment; without Redis the primary sends them the views over IPC; the
// primary's /metrics merges every worker's registry.

import cluster from 'node:cluster';
import type { Worker } from 'node:cluster';
import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';
import type { EdgeConfig } from '../config.ts';
import { createHealthState } from '../obs/health.ts';
import type { Logger } from '../obs/logger.ts';
import { mergedMetrics, serveMetricsToPrimary } from '../obs/cluster-metrics.ts';
import { createMetrics } from '../obs/metrics.ts';
import { startControlPlane } from './control-plane.ts';
import type { ControlPlane } from './control-plane.ts';
import { createLocalViews } from './local-views.ts';
import { startObservabilityServer } from './observability-server.ts';
import { createReplayGuard } from './replay.ts';
import { startSipEdge } from './sip-edge.ts';
import { atMost, listenText, mirrorStore } from './single-process.ts';
import type { Running } from './single-process.ts';
import type { ResponseSharing } from './sip-edge.ts';
import { isViewsRequest, redisViews, viewsFromPrimary, viewsMessage } from './sip-views.ts';
import type { SipViews } from './sip-views.ts';
import { workerExecArgv } from './worker-flags.ts';

const LISTENING = 'sip-edge:listening';
const RESPONSE = 'sip-edge:response';

/** A UDP response relayed between workers (latin1 keeps the octets in a JSON-safe string). */
interface ResponseMessage {
  type: typeof RESPONSE;
  data: string;
  address: string;
  port: number;
  from?: number;
}

function isResponse(message: unknown): message is ResponseMessage {
  return typeof message === 'object' && message !== null && (message as ResponseMessage).type === RESPONSE;
}

interface ListeningMessage {
  type: typeof LISTENING;
  port: number;
}

function isListening(message: unknown): message is ListeningMessage {
  return typeof message === 'object' && message !== null && (message as ListeningMessage).type === LISTENING;
}

/** A port free for both UDP and TCP on host (for SIP_LISTEN with port 0). */
async function freeSipPort(host: string, family: 4 | 6): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const port = await new Promise<number>((resolve, reject) => {
      const server = createServer();
      server.on('error', reject);
      server.listen(0, host, () => {
        const address = server.address();
        server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
      });
    });
    const udpFree = await new Promise<boolean>((resolve) => {
      const socket = createSocket(family === 6 ? 'udp6' : 'udp4');
      socket.on('error', () => resolve(false));
      socket.bind(port, host, () => socket.close(() => resolve(true)));
    });
    if (udpFree) return port;
  }
  throw new Error('no free SIP port');
}

export async function runPrimary(config: Readonly<EdgeConfig>, log: Logger): Promise<Running> {
  const metrics = createMetrics();
  const health = createHealthState({ expect: ['http', 'sip'] });
  const workers = (): Worker[] => Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined);
  const metricsText = (): Promise<string> => mergedMetrics(metrics.registry, workers());
  let control: ControlPlane | undefined;
  let closeHttp: () => Promise<void>;
  let httpPort: number;
  if (config.role === 'edge') {
    const obs = await startObservabilityServer(config.httpListen, metrics.registry, health, metricsText);
    closeHttp = () => obs.close();
    httpPort = obs.port;
  } else {
    const started = await startControlPlane({ config, log, metrics, health, metricsText });
    control = started;
    closeHttp = () => started.close();
    httpPort = started.api.port;
  }
  log.info({ http: listenText(config.httpListen.host, httpPort), port: httpPort, role: config.role }, 'http listening');

  // Views over IPC when there is no Redis to carry them.
  const local = control !== undefined && config.redisUrl === undefined ? createLocalViews() : undefined;
  let unsubscribe = (): void => {};
  if (local !== undefined && control !== undefined) {
    unsubscribe = await mirrorStore(control, local);
    const forward = control.onViewsChanged((change) => {
      for (const w of workers()) if (w.isConnected()) w.send(viewsMessage(change));
    });
    const previous = unsubscribe;
    unsubscribe = () => {
      forward();
      previous();
    };
  }

  const port = config.sipListen.port !== 0 ? config.sipListen.port : await freeSipPort(config.sipListen.host, config.sipListen.family);
  const env: Record<string, string> = {
    SIP_LISTEN: listenText(config.sipListen.host, port),
    EDGE_NONCE_SECRET: config.nonceSecretGenerated ? config.nonceSecret.toString('hex') : config.nonceSecret.toString('utf8'),
    SIP_ADVERTISED_HOST: config.sipAdvertisedHost,
  };
  let stopping = false;
  const listening = new Set<number>();
  let announced = false;
  const fork = (): void => {
    const w = cluster.fork(env);
    w.on('message', (message: unknown) => {
      if (isViewsRequest(message)) {
        if (local !== undefined) w.send(viewsMessage({ upserts: [], deletes: [] }, local.all()));
        return;
      }
      if (isResponse(message)) {
        const relayed: ResponseMessage = { ...message, from: w.id };
        for (const other of workers()) if (other.id !== w.id && other.isConnected()) other.send(relayed);
        return;
      }
      if (!isListening(message)) return;
      listening.add(w.id);
      if (listening.size >= config.workers && !announced) {
        announced = true;
        health.setListening('sip', true);
        log.info({ sip: listenText(config.sipListen.host, message.port), udp: message.port, tcp: message.port, workers: config.workers, advertised: config.sipAdvertisedHost }, 'sip listening');
      }
    });
    w.on('exit', (code, signal) => {
      listening.delete(w.id);
      if (stopping) return;
      log.error({ worker: w.id, code, signal }, 'sip worker exited; starting another');
      fork();
    });
  };
  cluster.setupPrimary({ execArgv: workerExecArgv(process.execArgv, process.env.NODE_OPTIONS) });
  for (let i = 0; i < config.workers; i++) fork();

  return {
    async stop() {
      stopping = true;
      health.setDraining();
      const exits = workers().map((w) => new Promise<void>((resolve) => {
        if (w.isDead()) return resolve();
        w.once('exit', () => resolve());
        w.process.kill('SIGTERM');
      }));
      await atMost(Promise.all(exits).then(() => undefined), config.shutdownGraceMs + 3000);
      unsubscribe();
      await closeHttp();
    },
  };
}

export async function runWorker(config: Readonly<EdgeConfig>, log: Logger): Promise<Running> {
  const metrics = createMetrics();
  const health = createHealthState({ expect: ['sip'] });
  const detachMetrics = serveMetricsToPrimary(metrics.registry);
  let views: SipViews;
  if (config.redisUrl !== undefined) {
    views = redisViews(config, metrics, health, log);
    await atMost(views.ready, 2000);
  } else {
    views = viewsFromPrimary(metrics);
    await views.ready;
  }
  const replay = createReplayGuard(config, (err) => {
    metrics.storeErrors.inc();
    log.debug({ err: (err as Error)?.message }, 'redis error (replay)');
  });
  const responseSharing: ResponseSharing = {
    forward: (data, address, port) => {
      process.send?.({ type: RESPONSE, data: data.toString('latin1'), address, port } satisfies ResponseMessage);
    },
    onForwarded: (handler) => {
      process.on('message', (message: unknown) => {
        if (isResponse(message)) handler(Buffer.from(message.data, 'latin1'), message.address, message.port);
      });
    },
  };
  const sip = await startSipEdge(config, { views: views.lookup, replay: replay.guard, metrics, log, reusePort: true, responseSharing });
  process.send?.({ type: LISTENING, port: sip.port } satisfies ListeningMessage);
  // The primary is gone: nothing left to serve for.
  process.on('disconnect', () => process.exit(0));
  return {
    async stop() {
      await sip.close(config.shutdownGraceMs);
      replay.close();
      await views.close();
      detachMetrics();
    },
  };
}
