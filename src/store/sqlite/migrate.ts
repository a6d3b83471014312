// Forward-only schema migrations. The applied version lives in PRAGMA user_version; each
// migration runs in its own transaction together with the version bump.
import type { DatabaseSync } from 'node:sqlite';
import { inTransaction } from './tx.ts';

export interface Migration {
  /** 1, 2, 3, ... in order, never reused. */
  version: number;
  name: string;
  up(db: DatabaseSync): void;
}

export function schemaVersion(db: DatabaseSync): number {
  const row = db.prepare('PRAGMA user_version').get() as { user_version: number };
  return row.user_version;
}

export function applyMigrations(db: DatabaseSync, migrations: readonly Migration[]): number {
  for (let i = 0; i < migrations.length; i++) {
    if (migrations[i]!.version !== i + 1) throw new Error(`migration ${i} has version ${migrations[i]!.version}, expected ${i + 1}`);
  }
  const current = schemaVersion(db);
  if (current > migrations.length) throw new Error(`database schema ${current} is newer than this build (${migrations.length})`);
  for (const m of migrations.slice(current)) {
    inTransaction(db, () => {
      m.up(db);
      db.exec(`PRAGMA user_version = ${m.version}`);
    });
  }
  return schemaVersion(db);
}
