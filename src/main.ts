// sip-edge process entry: configuration, role (all, edge, api), workers, and graceful shutdown.
// The pieces are put together in src/wiring.

import cluster from 'node:cluster';
import { ConfigError, loadConfig } from './config.ts';
import type { EdgeConfig } from './config.ts';
import { createLogger } from './obs/logger.ts';
import type { Logger } from './obs/logger.ts';
import { runPrimary, runWorker } from './wiring/cluster.ts';
import { runSingleProcess } from './wiring/single-process.ts';
import type { Running } from './wiring/single-process.ts';

function configOrExit(): Readonly<EdgeConfig> {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`sip-edge: bad configuration: ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
}

async function main(): Promise<void> {
  const config = configOrExit();
  const worker = cluster.isWorker;
  const log: Logger = createLogger({ level: config.logLevel, base: worker ? { worker: cluster.worker?.id } : undefined });
  // Signal handlers first: until they exist a signal kills the process with the default action.
  let running: Running | undefined;
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping');
    const forced = setTimeout(() => process.exit(0), config.shutdownGraceMs + 5000);
    forced.unref();
    void (running?.stop() ?? Promise.resolve()).then(
      () => process.exit(0),
      (error: unknown) => {
        log.error({ err: (error as Error).message }, 'error while stopping');
        process.exit(0);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));

  if (worker) running = await runWorker(config, log);
  else if (config.workers > 1 && config.role !== 'api') running = await runPrimary(config, log);
  else running = await runSingleProcess(config, log);
  if (stopping) await running.stop();
}

main().catch((error: unknown) => {
  const code = (error as NodeJS.ErrnoException).code;
  console.error(`sip-edge: failed to start: ${code ?? (error as Error).message}`);
  process.exit(1);
});
