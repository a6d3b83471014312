// The SQLite implementation of Store: opens DATA_DIR's database, migrates it, and wires the
// repositories, the view compilers and the view bus together.
import type { Store } from '../types.ts';
import type { TargetCompiler } from './target-compilers.ts';
import { ViewBus } from '../view-bus.ts';
import { openSqlite } from './open.ts';
import { applyMigrations } from './migrate.ts';
import { MIGRATIONS } from './migrations/index.ts';
import { SqliteContext } from './context.ts';
import { domainCompiler } from './domain-compiler.ts';
import { sqliteAccounts } from './accounts.ts';
import { sqliteDomains } from './domains.ts';
import { sqliteCredentialLists } from './credential-lists.ts';
import { sqliteIpAcls } from './ip-acls.ts';
import { sqliteMappings } from './mappings.ts';
import { trunksCompiler } from '../trunks-compiler.ts';
import { connectionsCompiler } from '../connections-compiler.ts';
import { sqliteTrunks } from '../trunks-sqlite.ts';
import { sqlitePushCredentials } from '../push-credentials-sqlite.ts';
import { sqliteConnections } from '../connections-sqlite.ts';
import { createSecretBox, secretBoxFromEnv } from '../secret-box.ts';

/** Every kind of SIP target; a new kind appends its compiler here (connectionsCompiler, prefix '', stays last). */
export const TARGET_COMPILERS: readonly TargetCompiler[] = [domainCompiler, trunksCompiler, connectionsCompiler];

export interface SqliteStoreOptions {
  dataDir: string;
  /** Called when a view listener throws (the write itself has committed). */
  onListenerError?: (err: unknown) => void;
  /** EDGE_SECRET_KEY (32 bytes) sealing push credential secrets; undefined: read the environment; null: none. */
  secretKey?: Uint8Array | null;
}

export interface SqliteStore extends Store {
  /** For repositories added by other modules and for tests (integrity checks). */
  readonly context: SqliteContext;
}

export function openSqliteStore(options: SqliteStoreOptions): SqliteStore {
  const db = openSqlite(options.dataDir);
  applyMigrations(db, MIGRATIONS);
  const bus = new ViewBus(options.onListenerError);
  const context = new SqliteContext(db, TARGET_COMPILERS, bus);
  return {
    context,
    accounts: sqliteAccounts(context),
    domains: sqliteDomains(context),
    credentialLists: sqliteCredentialLists(context),
    ipAcls: sqliteIpAcls(context),
    mappings: sqliteMappings(context),
    trunks: sqliteTrunks(context),
    pushCredentials: sqlitePushCredentials(
      context,
      options.secretKey === undefined ? secretBoxFromEnv() : options.secretKey === null ? null : createSecretBox(options.secretKey),
    ),
    connections: sqliteConnections(context),
    onViewsChanged: (listener) => bus.subscribe(listener),
    async rebuildAllViews() {
      return context.compileAll();
    },
    async ping() {
      return db.prepare('SELECT 1 AS ok').get() !== undefined;
    },
    async close() {
      if (db.isOpen) db.close();
    },
  };
}
