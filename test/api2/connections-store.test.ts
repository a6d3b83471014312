// The SQLite credential connection repository: service-wide case-insensitive user names, view keys
// on renames, and tenancy of reads and writes.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ViewChange } from '../../src/store/types.ts';
import type { ConnectionFields } from '../../src/store/connections.ts';
import { StoreError } from '../../src/store/errors.ts';
import { openSqliteStore } from '../../src/store/sqlite/store.ts';
import type { SqliteStore } from '../../src/store/sqlite/store.ts';

const HA1 = { md5: '0'.repeat(32), sha256: '1'.repeat(64), sha512_256: '2'.repeat(64) };
const fields = (userName: string): ConnectionFields => ({
  connectionName: `conn ${userName}`,
  userName,
  active: true,
  sipTarget: 'sip:pbx.example.com',
  settings: { top: {}, inbound: {}, outbound: { channel_limit: 3 }, rtcp_settings: {} },
});

let dir: string;
let store: SqliteStore;
let changes: ViewChange[];
let a: string;
let b: string;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sip-edge-conn-'));
  store = openSqliteStore({ dataDir: dir, secretKey: null });
  changes = [];
  store.onViewsChanged((c) => changes.push(c));
  a = (await store.accounts.create({ ownerSid: null, friendlyName: 'a', tokenHash: Buffer.alloc(32, 1) })).sid;
  b = (await store.accounts.create({ ownerSid: null, friendlyName: 'b', tokenHash: Buffer.alloc(32, 2) })).sid;
});

afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('credential connections in SQLite', () => {
  it('keeps user names unique across accounts, ignoring case', async () => {
    await store.connections.create(a, fields('Alice1'), HA1);
    await expect(store.connections.create(b, fields('ALICE1'), HA1)).rejects.toMatchObject({ kind: 'duplicate', subject: 'user_name' });
    const other = await store.connections.create(b, fields('Bob1'), HA1);
    await expect(store.connections.update(b, other.id, { userName: 'alice1', ha1: HA1 })).rejects.toBeInstanceOf(StoreError);
  });

  it('publishes one view per change; a case-only rename deletes no key, a real rename deletes the old one', async () => {
    const c = await store.connections.create(a, fields('Carol1'), HA1);
    expect(changes.at(-1)!.upserts.map((v) => v.kind)).toEqual(['connection']);
    await store.connections.update(a, c.id, { userName: 'carol1', ha1: HA1 });
    expect(changes.at(-1)!.deletes).toEqual([]);
    expect(changes.at(-1)!.upserts[0]).toMatchObject({ username: 'carol1', usernameExact: 'carol1' });
    await store.connections.update(a, c.id, { userName: 'Dave1', ha1: HA1 });
    expect(changes.at(-1)!.deletes).toEqual(['conn:carol1']);
    const v1 = changes.at(-2)!.upserts[0]!.version;
    const v2 = changes.at(-1)!.upserts[0]!.version;
    expect(v2).toBeGreaterThan(v1);
  });

  it('reads and writes only within the owning account', async () => {
    const c = await store.connections.create(a, fields('Erin1'), HA1);
    expect(await store.connections.get(b, c.id)).toBeNull();
    expect(await store.connections.update(b, c.id, { active: false })).toBeNull();
    expect(await store.connections.delete(b, c.id)).toBeNull();
    expect((await store.connections.list(b, { nameContains: null, outboundVoiceProfileId: null, sort: { field: 'created_at', descending: false }, offset: 0, limit: 10 })).total).toBe(0);
    expect((await store.connections.get(a, c.id))!.active).toBe(true);
  });

  it('finds the account of a token hash', async () => {
    expect(await store.connections.accountSidForTokenHash(Buffer.alloc(32, 2))).toBe(b);
    expect(await store.connections.accountSidForTokenHash(Buffer.alloc(32, 3))).toBeNull();
  });
});
