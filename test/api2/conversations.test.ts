// Conversations v1 push credentials driven by the npm `twilio` package: create, fetch, list across
// pages (PageSize ≤ 100), update, delete, schema-valid bodies. Secrets must never be readable: not
// in the SQLite file or its WAL, not in any response, not in any log line; without
// EDGE_SECRET_KEY a request carrying a secret is refused with a clear error.
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_FILE } from '../../src/store/sqlite/open.ts';
import { V1Schemas } from './helpers/v1-schemas.ts';
import { startApi2 } from './helpers/harness.ts';
import type { Api2 } from './helpers/harness.ts';

const schemas = new V1Schemas('twilio_conversations_v1.sip.json');
const unique = () => randomBytes(12).toString('hex');
const CERT = `-----BEGIN CERTIFICATE-----\nCERTMARK${unique()}\n-----END CERTIFICATE-----`;
const KEY = `-----BEGIN RSA PRIVATE KEY-----\nKEYMARK${unique()}\n-----END RSA PRIVATE KEY-----`;
const API_KEY = `APIKEYMARK${unique()}`;
const SECRET = `SECRETMARK${unique()}`;
const NEW_SECRET = `NEWSECRETMARK${unique()}`;
const SECRETS = [CERT, KEY, API_KEY, SECRET, NEW_SECRET];
/** Distinctive parts of each secret, as they would appear in a file in any encoding we store. */
const MARKS = SECRETS.map((s) => s.match(/[A-Z]*MARK[0-9a-f]{24}/)![0]);

describe('push credentials with EDGE_SECRET_KEY', () => {
  let t: Api2;
  let client: ReturnType<Api2['client']>;
  const lastBody = (): any => {
    const body = (client.httpClient as unknown as { lastResponse: { body: unknown } }).lastResponse.body;
    return typeof body === 'string' ? JSON.parse(body) : body;
  };

  beforeAll(async () => {
    t = await startApi2({ secretKey: randomBytes(32) });
    client = t.client();
    client.conversations.baseUrl = t.base;
  });
  afterAll(async () => {
    await t?.stop();
  });

  const sids: string[] = [];

  it('creates apn, gcm and fcm credentials (201, schema-valid, no secret echoed)', async () => {
    const apn = await client.conversations.v1.credentials.create({ type: 'apn', friendlyName: 'ios', certificate: CERT, privateKey: KEY, sandbox: true });
    schemas.check('POST', '/v1/Credentials', 201, lastBody());
    expect(apn.type).toBe('apn');
    expect(lastBody().sandbox).toBe('True');
    expect(apn.url).toBe(`${t.base}/v1/Credentials/${apn.sid}`);
    sids.push(apn.sid);
    const gcm = await client.conversations.v1.credentials.create({ type: 'gcm', friendlyName: 'android', apiKey: API_KEY });
    schemas.check('POST', '/v1/Credentials', 201, lastBody());
    sids.push(gcm.sid);
    const fcm = await client.conversations.v1.credentials.create({ type: 'fcm', friendlyName: 'firebase', secret: SECRET });
    schemas.check('POST', '/v1/Credentials', 201, lastBody());
    sids.push(fcm.sid);
    for (let i = 0; i < 3; i++) sids.push((await client.conversations.v1.credentials.create({ type: 'fcm', friendlyName: `extra ${i}` })).sid);
    const mixed = await t.http('POST', '/v1/Credentials', { form: { Type: 'GcM' } });
    expect(mixed.status).toBe(201);
    expect(mixed.body.type).toBe('gcm');
    sids.push(mixed.body.sid);
  });

  it('decrypts what it sealed (the key round-trips)', async () => {
    expect(await t.store.pushCredentials.openSecrets(t.api.accountSid, sids[0]!)).toEqual({ certificate: CERT, privateKey: KEY });
    expect(await t.store.pushCredentials.openSecrets(t.api.accountSid, sids[2]!)).toEqual({ secret: SECRET });
  });

  it('lists across pages with the client and by meta.next_page_url', async () => {
    const listed = await client.conversations.v1.credentials.list({ pageSize: 2 });
    expect(listed.map((c) => c.sid)).toEqual(sids);
    const seen: string[] = [];
    let url: string | null = `${t.base}/v1/Credentials?PageSize=3`;
    let pages = 0;
    while (url) {
      const r = await t.http('GET', url.slice(t.base.length));
      schemas.check('GET', '/v1/Credentials', 200, r.body);
      expect(r.body.meta.key).toBe('credentials');
      seen.push(...r.body.credentials.map((c: any) => c.sid));
      url = r.body.meta.next_page_url;
      pages++;
    }
    expect(seen).toEqual(sids);
    expect(pages).toBe(3);
  });

  it('refuses PageSize over 100 and a forged PageToken', async () => {
    const big = await t.http('GET', '/v1/Credentials?PageSize=101');
    expect(big.status).toBe(400);
    expect(big.body.code).toBe(20422);
    expect((await t.http('GET', '/v1/Credentials?PageSize=100')).status).toBe(200);
    const forged = await t.http('GET', `/v1/Credentials?PageToken=PACR${'0'.repeat(32)}`);
    expect(forged.body.code).toBe(21481);
  });

  it('fetches, updates (a new secret) and deletes', async () => {
    const fetched = await client.conversations.v1.credentials(sids[2]!).fetch();
    schemas.check('GET', '/v1/Credentials/{Sid}', 200, lastBody());
    expect(fetched.friendlyName).toBe('firebase');
    const updated = await client.conversations.v1.credentials(sids[2]!).update({ friendlyName: 'firebase 2', secret: NEW_SECRET });
    schemas.check('POST', '/v1/Credentials/{Sid}', 200, lastBody());
    expect(updated.friendlyName).toBe('firebase 2');
    expect(await t.store.pushCredentials.openSecrets(t.api.accountSid, sids[2]!)).toEqual({ secret: NEW_SECRET });
    await client.conversations.v1.credentials(sids[5]!).remove();
    const gone = await t.http('GET', `/v1/Credentials/${sids[5]}`);
    expect(gone.status).toBe(404);
    expect(gone.body.code).toBe(20404);
  });

  it('validates Type and hides credentials across accounts', async () => {
    expect((await t.http('POST', '/v1/Credentials', { form: { FriendlyName: 'x' } })).body.code).toBe(20001);
    expect((await t.http('POST', '/v1/Credentials', { form: { Type: 'sms' } })).body.code).toBe(20422);
    const sub = await t.http('POST', '/2010-04-01/Accounts.json', { form: { FriendlyName: 'sub' } });
    const auth: [string, string] = [sub.body.sid, sub.body.auth_token];
    expect((await t.http('GET', `/v1/Credentials/${sids[0]}`, { auth })).status).toBe(404);
    expect((await t.http('DELETE', `/v1/Credentials/${sids[0]}`, { auth })).status).toBe(404);
    expect((await t.http('POST', `/v1/Credentials/${sids[0]}`, { auth, form: { FriendlyName: 'mine' } })).status).toBe(404);
    expect((await t.http('GET', '/v1/Credentials', { auth })).body.credentials).toEqual([]);
  });

  it('keeps every secret out of the database files, the responses and the logs', async () => {
    const files = [DATABASE_FILE, `${DATABASE_FILE}-wal`].map((f) => join(t.storeDir, f)).filter((f) => existsSync(f));
    expect(files.length).toBeGreaterThan(0);
    const stored = Buffer.concat(files.map((f) => readFileSync(f)));
    expect(stored.includes(Buffer.from('firebase 2'))).toBe(true); // the grep itself finds what is there
    for (const mark of MARKS) {
      expect(stored.includes(Buffer.from(mark, 'utf8')), mark).toBe(false);
      expect(stored.includes(Buffer.from(mark, 'utf16le')), mark).toBe(false);
      expect(stored.includes(Buffer.from(mark).toString('base64').slice(0, 20)), mark).toBe(false);
    }
    const responses = t.bodies.join('\n');
    const logs = t.logs.join('\n');
    expect(logs.length).toBeGreaterThan(0);
    for (const mark of MARKS) {
      expect(responses.includes(mark), mark).toBe(false);
      expect(logs.includes(mark), mark).toBe(false);
    }
  });
});

describe('push credentials without EDGE_SECRET_KEY', () => {
  let t: Api2;
  beforeAll(async () => {
    t = await startApi2({ secretKey: null });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('refuses secrets with a clear error and stores nothing; secret-free writes still work', async () => {
    const r = await t.http('POST', '/v1/Credentials', { form: { Type: 'fcm', Secret: SECRET } });
    expect(r.status).toBe(503);
    expect(r.body.message).toMatch(/EDGE_SECRET_KEY/);
    expect(r.text.includes(SECRET)).toBe(false);
    expect((await t.http('GET', '/v1/Credentials')).body.credentials).toEqual([]);
    const plain = await t.http('POST', '/v1/Credentials', { form: { Type: 'apn', FriendlyName: 'no secrets yet' } });
    expect(plain.status).toBe(201);
    const upd = await t.http('POST', `/v1/Credentials/${plain.body.sid}`, { form: { PrivateKey: KEY } });
    expect(upd.status).toBe(503);
    expect(t.logs.join('\n').includes(MARKS[1]!)).toBe(false);
  });
});
