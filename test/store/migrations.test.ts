import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqlite } from '../../src/store/sqlite/open.ts';
import { applyMigrations, schemaVersion } from '../../src/store/sqlite/migrate.ts';
import type { Migration } from '../../src/store/sqlite/migrate.ts';
import { MIGRATIONS } from '../../src/store/sqlite/migrations/index.ts';

const dirs: string[] = [];
function freshDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'sip-edge-migrate-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('schema migrations', () => {
  it('applies every migration once, records the version and sets durable pragmas', () => {
    const db = openSqlite(freshDir());
    expect(schemaVersion(db)).toBe(0);
    expect(applyMigrations(db, MIGRATIONS)).toBe(MIGRATIONS.length);
    expect(applyMigrations(db, MIGRATIONS)).toBe(MIGRATIONS.length);
    expect(db.prepare('PRAGMA journal_mode').get()).toEqual({ journal_mode: 'wal' });
    expect(db.prepare('PRAGMA synchronous').get()).toEqual({ synchronous: 2 });
    expect(db.prepare('PRAGMA foreign_keys').get()).toEqual({ foreign_keys: 1 });
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((r) => r.name);
    expect(tables).toEqual(expect.arrayContaining(['accounts', 'domains', 'credential_lists', 'credentials', 'ip_acls', 'ip_addresses', 'sip_hosts']));
    db.close();
  });

  it('applies a later migration forward only, and rolls back a failing one with its version', () => {
    const db = openSqlite(freshDir());
    applyMigrations(db, MIGRATIONS);
    const extra: Migration = { version: MIGRATIONS.length + 1, name: 'extra', up: (d) => d.exec('CREATE TABLE extra (id INTEGER PRIMARY KEY)') };
    expect(applyMigrations(db, [...MIGRATIONS, extra])).toBe(MIGRATIONS.length + 1);
    const broken: Migration = {
      version: MIGRATIONS.length + 2,
      name: 'broken',
      up: (d) => {
        d.exec('CREATE TABLE half (id INTEGER)');
        d.exec('THIS IS NOT SQL');
      },
    };
    expect(() => applyMigrations(db, [...MIGRATIONS, extra, broken])).toThrow();
    expect(schemaVersion(db)).toBe(MIGRATIONS.length + 1);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'half'").get()).toBeUndefined();
    // A database newer than the build is refused rather than silently used.
    expect(() => applyMigrations(db, MIGRATIONS)).toThrow(/newer/);
    // Gaps in the list are a programming error.
    expect(() => applyMigrations(db, [MIGRATIONS[0]!, { ...extra, version: 5 }])).toThrow();
    db.close();
  });
});
