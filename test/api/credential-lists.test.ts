import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAIN_SID, collectPages, startTestApi } from './helpers/server.ts';
import type { TestApi } from './helpers/server.ts';
import { V2010Schemas } from './helpers/schema.ts';

const schemas = new V2010Schemas();
const LISTS = '/2010-04-01/Accounts/{AccountSid}/SIP/CredentialLists.json';
const LIST = '/2010-04-01/Accounts/{AccountSid}/SIP/CredentialLists/{Sid}.json';
const CREDS = '/2010-04-01/Accounts/{AccountSid}/SIP/CredentialLists/{CredentialListSid}/Credentials.json';
const CRED = '/2010-04-01/Accounts/{AccountSid}/SIP/CredentialLists/{CredentialListSid}/Credentials/{Sid}.json';
const base = `/2010-04-01/Accounts/${MAIN_SID}/SIP/CredentialLists`;
const PASSWORD = 'Sup3rSecretPassw0rd';

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi();
});
afterAll(async () => {
  await t.stop();
});

describe('credential lists and credentials over raw HTTP', () => {
  it('runs the whole lifecycle with schema-valid bodies', async () => {
    const list = await t.http('POST', `${base}.json`, { form: { FriendlyName: 'Office phones' } });
    expect(list.status).toBe(201);
    schemas.check('POST', LISTS, 201, list.body);
    expect(list.body.sid).toMatch(/^CL[0-9a-f]{32}$/);
    expect(list.body.subresource_uris.credentials).toBe(`${base}/${list.body.sid}/Credentials.json`);
    const cl = list.body.sid as string;

    const fetched = await t.http('GET', `${base}/${cl}.json`);
    schemas.check('GET', LIST, 200, fetched.body);
    const renamed = await t.http('POST', `${base}/${cl}.json`, { form: { FriendlyName: 'Desk phones' } });
    expect(renamed.status).toBe(200);
    schemas.check('POST', LIST, 200, renamed.body);
    expect(renamed.body.friendly_name).toBe('Desk phones');

    const cred = await t.http('POST', `${base}/${cl}/Credentials.json`, { form: { Username: 'alice', Password: PASSWORD } });
    expect(cred.status).toBe(201);
    schemas.check('POST', CREDS, 201, cred.body);
    expect(cred.body).toMatchObject({ username: 'alice', credential_list_sid: cl, account_sid: MAIN_SID });
    expect(cred.text).not.toContain(PASSWORD);

    const got = await t.http('GET', `${base}/${cl}/Credentials/${cred.body.sid}.json`);
    schemas.check('GET', CRED, 200, got.body);
    const upd = await t.http('POST', `${base}/${cl}/Credentials/${cred.body.sid}.json`, { form: { Password: 'An0therGoodPassword' } });
    expect(upd.status).toBe(200);
    schemas.check('POST', CRED, 200, upd.body);
    const weak = await t.http('POST', `${base}/${cl}/Credentials/${cred.body.sid}.json`, { form: { Password: 'short1A' } });
    expect([weak.status, weak.body.code]).toEqual([400, 21240]);

    for (let i = 0; i < 4; i++) {
      expect((await t.http('POST', `${base}/${cl}/Credentials.json`, { form: { Username: `user${i}`, Password: PASSWORD } })).status).toBe(201);
    }
    const { items, pages } = await collectPages(t, `${base}/${cl}/Credentials.json?PageSize=2`, 'credentials');
    for (const p of pages) schemas.check('GET', CREDS, 200, p);
    expect(items.map((c) => c.username)).toEqual(['alice', 'user0', 'user1', 'user2', 'user3']);
    expect(pages.length).toBe(3);

    expect((await t.http('DELETE', `${base}/${cl}/Credentials/${cred.body.sid}.json`)).status).toBe(204);
    expect((await t.http('GET', `${base}/${cl}/Credentials/${cred.body.sid}.json`)).status).toBe(404);
    expect((await t.http('DELETE', `${base}/${cl}.json`)).status).toBe(204);
    expect((await t.http('GET', `${base}/${cl}/Credentials.json`)).status).toBe(404);
  });

  it('enforces the password policy, the username rules and unique usernames', async () => {
    const cl = (await t.http('POST', `${base}.json`, { form: { FriendlyName: 'policy' } })).body.sid;
    const cases: [Record<string, string>, number, number][] = [
      [{ Password: PASSWORD }, 400, 20001],
      [{ Username: 'bob' }, 400, 20001],
      [{ Username: 'bob', Password: 'Short1Aa' }, 400, 21240],
      [{ Username: 'bob', Password: 'alllowercase123' }, 400, 21240],
      [{ Username: 'bob', Password: 'ALLUPPERCASE123' }, 400, 21240],
      [{ Username: 'bob', Password: 'NoDigitsInHereAtAll' }, 400, 21240],
      [{ Username: 'x'.repeat(33), Password: PASSWORD }, 400, 21240],
      [{ Username: 'bad:name', Password: PASSWORD }, 400, 21240],
      [{ Username: 'bad name', Password: PASSWORD }, 400, 21240],
    ];
    for (const [form, status, code] of cases) {
      const r = await t.http('POST', `${base}/${cl}/Credentials.json`, { form });
      expect({ form, status: r.status, code: r.body.code }).toEqual({ form, status, code });
    }
    expect((await t.http('GET', `${base}/${cl}/Credentials.json`)).body.credentials).toEqual([]);
    expect((await t.http('POST', `${base}/${cl}/Credentials.json`, { form: { Username: 'x'.repeat(32), Password: PASSWORD } })).status).toBe(201);
    const dup = await t.http('POST', `${base}/${cl}/Credentials.json`, { form: { Username: 'x'.repeat(32), Password: PASSWORD } });
    expect([dup.status, dup.body.code]).toEqual([400, 21243]);
    const noName = await t.http('POST', `${base}.json`, { form: {} });
    expect([noName.status, noName.body.code]).toEqual([400, 20001]);
    const longName = await t.http('POST', `${base}.json`, { form: { FriendlyName: 'n'.repeat(65) } });
    expect([longName.status, longName.body.code]).toEqual([400, 21239]);
  });

  it('pages credential lists', async () => {
    for (let i = 0; i < 3; i++) await t.http('POST', `${base}.json`, { form: { FriendlyName: `paged ${i}` } });
    const { items, pages } = await collectPages(t, `${base}.json?PageSize=2`, 'credential_lists');
    for (const p of pages) schemas.check('GET', LISTS, 200, p);
    expect(new Set(items.map((l) => l.sid)).size).toBe(items.length);
    const all = await t.http('GET', `${base}.json?PageSize=1000`);
    expect(all.body.credential_lists.map((l: any) => l.sid)).toEqual(items.map((l) => l.sid));
  });
});

describe('credential lists through the twilio helper library', () => {
  it('creates, lists, updates and removes lists and credentials', async () => {
    const client = t.client();
    const list = await client.sip.credentialLists.create({ friendlyName: 'lib list' });
    expect(list.sid).toMatch(/^CL/);
    const creds = [];
    for (let i = 0; i < 5; i++) creds.push(await client.sip.credentialLists(list.sid).credentials.create({ username: `lib${i}`, password: PASSWORD }));
    const listed = await client.sip.credentialLists(list.sid).credentials.list({ pageSize: 2 });
    expect(listed.map((c) => c.sid)).toEqual(creds.map((c) => c.sid));
    const fetched = await client.sip.credentialLists(list.sid).credentials(creds[0]!.sid).fetch();
    expect(fetched.username).toBe('lib0');
    const upd = await client.sip.credentialLists(list.sid).credentials(creds[0]!.sid).update({ password: 'Replac3mentPassword' });
    expect(upd.username).toBe('lib0');
    expect((await client.sip.credentialLists(list.sid).update({ friendlyName: 'lib renamed' })).friendlyName).toBe('lib renamed');
    await expect(client.sip.credentialLists(list.sid).credentials.create({ username: 'weak', password: 'weak' })).rejects.toMatchObject({ status: 400, code: 21240 });
    expect(await client.sip.credentialLists(list.sid).credentials(creds[1]!.sid).remove()).toBe(true);
    expect(await client.sip.credentialLists(list.sid).remove()).toBe(true);
    await expect(client.sip.credentialLists(list.sid).fetch()).rejects.toMatchObject({ status: 404, code: 20404 });
  });
});
