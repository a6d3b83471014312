// Entry point of the control plane: opens the store under dataDir, makes sure the bootstrap account
// exists, and serves the REST API. main.ts maps EdgeConfig onto StartApiOptions.
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Store } from '../store/types.ts';
import { openSqliteStore } from '../store/sqlite/store.ts';
import { bootstrapAccount } from './bootstrap.ts';
import { buildServer } from './server.ts';
import type { ApiContext } from './server.ts';
import { registerV2010 } from './v2010/index.ts';

export interface StartApiOptions {
  /** DATA_DIR: the SQLite file lives here. Ignored when `store` is given. */
  dataDir: string;
  /** Listen address (HTTP_LISTEN); default 0.0.0.0:8080. Port 0 picks a free port. */
  host?: string;
  port?: number;
  /** EDGE_REALM: HA1s are derived for it. */
  realm: string;
  /** EDGE_ACCOUNT_SID / EDGE_AUTH_TOKEN; when absent a main account is generated once and printed. */
  accountSid?: string;
  authToken?: string;
  /** EDGE_DOMAIN_SUFFIX */
  domainSuffix?: string;
  /** PUBLIC_URL, for v1 resources' absolute paging URLs (v2010 links are relative). */
  publicUrl?: string;
  logger?: Logger;
  /** Request body cap in bytes (default 64 KiB). */
  bodyLimit?: number;
  /** Where a generated bootstrap token is shown once (default stdout). */
  printCredentials?: (line: string) => void;
  /** An already opened store (else one is opened under dataDir and closed with the server). */
  store?: Store;
  /** More route modules (trunking, conversations, telnyx, health, metrics). */
  routes?: ((app: FastifyInstance, ctx: ApiContext) => void)[];
  /** Extra path prefixes behind HTTP Basic auth (default: /2010-04-01/ only). */
  basicAuthPrefixes?: string[];
  /** Checked before every write; false → 503 and nothing written (e.g. Redis cannot be published to). */
  writesAvailable?: () => boolean;
}

export interface RunningApi {
  port: number;
  store: Store;
  /** The bootstrap main account's SID. */
  accountSid: string;
  close(): Promise<void>;
}

export async function startApi(options: StartApiOptions): Promise<RunningApi> {
  const ownsStore = options.store === undefined;
  const store =
    options.store ??
    openSqliteStore({
      dataDir: options.dataDir,
      onListenerError: (err) => options.logger?.error({ err: { message: (err as Error)?.message } }, 'view listener failed'),
    });
  try {
    const accountSid = await bootstrapAccount(store, {
      accountSid: options.accountSid,
      authToken: options.authToken,
      print: options.printCredentials,
    });
    const { app, ctx } = buildServer({
      store,
      realm: options.realm,
      domainSuffix: options.domainSuffix,
      logger: options.logger,
      bodyLimit: options.bodyLimit,
      basicAuthPrefixes: ['/2010-04-01/', ...(options.basicAuthPrefixes ?? [])],
      writesAvailable: options.writesAvailable,
    });
    registerV2010(app, ctx);
    for (const register of options.routes ?? []) register(app, ctx);
    await app.listen({ host: options.host ?? '0.0.0.0', port: options.port ?? 8080 });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : (options.port ?? 8080);
    options.logger?.info({ port }, 'api listening');
    return {
      port,
      store,
      accountSid,
      async close() {
        await app.close();
        if (ownsStore) await store.close();
      },
    };
  } catch (err) {
    if (ownsStore) await store.close();
    throw err;
  }
}
