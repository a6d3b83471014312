// The API of this part on a real server: api1's test harness (real fastify on 127.0.0.1, temp
// DATA_DIR, log capture) with the trunking, conversations and Telnyx routes registered, over a
// store opened here so the test chooses EDGE_SECRET_KEY and can read the database files.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ViewChange } from '../../../src/store/types.ts';
import { openSqliteStore } from '../../../src/store/sqlite/store.ts';
import type { SqliteStore } from '../../../src/store/sqlite/store.ts';
import { trunkingRoutes } from '../../../src/api/trunking/index.ts';
import { conversationsRoutes } from '../../../src/api/conversations/index.ts';
import { telnyxRoutes } from '../../../src/api/telnyx/index.ts';
import { startTestApi } from '../../api/helpers/server.ts';
import type { TestApi } from '../../api/helpers/server.ts';

export { MAIN_SID, MAIN_TOKEN, REALM, basic } from '../../api/helpers/server.ts';

export interface Api2 extends TestApi {
  store: SqliteStore;
  storeDir: string;
  /** Every view change the store published. */
  changes: ViewChange[];
  /** Raw HTTP with a Bearer token (Telnyx paths). */
  bearer(method: string, path: string, token: string | null, json?: unknown): Promise<{ status: number; body: any; text: string }>;
}

export interface Api2Options {
  secretKey?: Uint8Array | null;
  publicUrl?: string;
  trunkDomainSuffix?: string;
  reservedHosts?: string[];
  writesAvailable?: () => boolean;
}

export async function startApi2(opts: Api2Options = {}): Promise<Api2> {
  const storeDir = mkdtempSync(join(tmpdir(), 'sip-edge-api2-'));
  const store = openSqliteStore({ dataDir: storeDir, secretKey: opts.secretKey ?? null });
  const changes: ViewChange[] = [];
  store.onViewsChanged((c) => changes.push(c));
  const t = await startTestApi({
    store,
    basicAuthPrefixes: ['/v1/'],
    writesAvailable: opts.writesAvailable,
    routes: [trunkingRoutes({ publicUrl: opts.publicUrl, trunkDomainSuffix: opts.trunkDomainSuffix, reservedHosts: opts.reservedHosts }), conversationsRoutes({ publicUrl: opts.publicUrl }), telnyxRoutes()],
  });
  return {
    ...t,
    store,
    storeDir,
    changes,
    async bearer(method, path, token, json) {
      const headers: Record<string, string> = {};
      if (token !== null) headers.authorization = `Bearer ${token}`;
      if (json !== undefined) headers['content-type'] = 'application/json';
      const res = await fetch(t.base + path, { method, headers, body: json === undefined ? undefined : JSON.stringify(json) });
      const text = await res.text();
      t.bodies.push(text);
      let body: unknown;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        body = undefined;
      }
      return { status: res.status, body, text };
    },
    async stop() {
      await t.stop();
      await store.close();
      rmSync(storeDir, { recursive: true, force: true });
    },
  };
}
