// Opens the embedded database under DATA_DIR with the durability settings the edge relies on.
import { DatabaseSync } from 'node:sqlite';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

export const DATABASE_FILE = 'sip-edge.sqlite';

export function openSqlite(dataDir: string): DatabaseSync {
  mkdirSync(dataDir, { recursive: true });
  const db = new DatabaseSync(join(dataDir, DATABASE_FILE), { enableForeignKeyConstraints: true });
  db.exec('PRAGMA journal_mode = WAL');
  // FULL: every commit fsyncs the WAL, so a write the API acknowledged survives kill -9 and power
  // loss. Writes are rare control-plane operations; the SIP hot path never touches this database.
  db.exec('PRAGMA synchronous = FULL');
  db.exec('PRAGMA foreign_keys = ON');
  db.exec('PRAGMA busy_timeout = 5000');
  return db;
}
