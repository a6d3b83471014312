import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAIN_SID, collectPages, startTestApi } from './helpers/server.ts';
import type { TestApi } from './helpers/server.ts';
import { V2010Schemas } from './helpers/schema.ts';
import type { ViewChange } from '../../src/store/types.ts';

const schemas = new V2010Schemas();
const sip = `/2010-04-01/Accounts/${MAIN_SID}/SIP`;
const T = '/2010-04-01/Accounts/{AccountSid}/SIP/Domains/{DomainSid}';
const PASSWORD = 'Mapp1ngPassword';

// Each collection: path under the domain, list key, body parameter, which list kind it takes.
const COLLECTIONS = [
  { path: 'CredentialListMappings', key: 'credential_list_mappings', param: 'CredentialListSid', kind: 'CL' },
  { path: 'IpAccessControlListMappings', key: 'ip_access_control_list_mappings', param: 'IpAccessControlListSid', kind: 'AL' },
  { path: 'Auth/Calls/CredentialListMappings', key: 'contents', param: 'CredentialListSid', kind: 'CL' },
  { path: 'Auth/Calls/IpAccessControlListMappings', key: 'contents', param: 'IpAccessControlListSid', kind: 'AL' },
  { path: 'Auth/Registrations/CredentialListMappings', key: 'contents', param: 'CredentialListSid', kind: 'CL' },
] as const;

let t: TestApi;
const changes: ViewChange[] = [];
beforeAll(async () => {
  t = await startTestApi();
  t.api.store.onViewsChanged((c) => changes.push(c));
});
afterAll(async () => {
  await t.stop();
});

async function domain(name: string): Promise<string> {
  const r = await t.http('POST', `${sip}/Domains.json`, { form: { DomainName: name, VoiceUrl: 'sip:pbx@127.0.0.1:5090' } });
  expect(r.status).toBe(201);
  return r.body.sid;
}
async function credentialList(name: string): Promise<string> {
  return (await t.http('POST', `${sip}/CredentialLists.json`, { form: { FriendlyName: name } })).body.sid;
}
async function acl(name: string): Promise<string> {
  return (await t.http('POST', `${sip}/IpAccessControlLists.json`, { form: { FriendlyName: name } })).body.sid;
}

describe('domain mappings over raw HTTP', () => {
  for (const c of COLLECTIONS) {
    it(`${c.path}: create, fetch, list in pages, delete`, async () => {
      const sd = await domain(`${c.path.replace(/\//g, '-').toLowerCase()}.example.com`);
      const lists: string[] = [];
      for (let i = 0; i < 3; i++) lists.push(c.kind === 'CL' ? await credentialList(`${c.path} ${i}`) : await acl(`${c.path} ${i}`));
      const created = await t.http('POST', `${sip}/Domains/${sd}/${c.path}.json`, { form: { [c.param]: lists[0]! } });
      expect(created.status).toBe(201);
      schemas.check('POST', `${T}/${c.path}.json`, 201, created.body);
      expect(created.body).toMatchObject({ sid: lists[0], account_sid: MAIN_SID, friendly_name: `${c.path} 0` });
      for (const l of lists.slice(1)) expect((await t.http('POST', `${sip}/Domains/${sd}/${c.path}.json`, { form: { [c.param]: l } })).status).toBe(201);
      const dup = await t.http('POST', `${sip}/Domains/${sd}/${c.path}.json`, { form: { [c.param]: lists[0]! } });
      expect(dup.status).toBe(400);

      const fetched = await t.http('GET', `${sip}/Domains/${sd}/${c.path}/${lists[1]}.json`);
      expect(fetched.status).toBe(200);
      schemas.check('GET', `${T}/${c.path}/{Sid}.json`, 200, fetched.body);

      const { items, pages } = await collectPages(t, `${sip}/Domains/${sd}/${c.path}.json?PageSize=2`, c.key);
      for (const p of pages) schemas.check('GET', `${T}/${c.path}.json`, 200, p);
      expect(items.map((m) => m.sid)).toEqual(lists);

      expect((await t.http('DELETE', `${sip}/Domains/${sd}/${c.path}/${lists[1]}.json`)).status).toBe(204);
      expect((await t.http('GET', `${sip}/Domains/${sd}/${c.path}/${lists[1]}.json`)).status).toBe(404);
      expect((await t.http('DELETE', `${sip}/Domains/${sd}/${c.path}/${lists[1]}.json`)).status).toBe(404);

      const missing = await t.http('POST', `${sip}/Domains/${sd}/${c.path}.json`, { form: {} });
      expect([missing.status, missing.body.code]).toEqual([400, 20001]);
      const wrongKind = await t.http('POST', `${sip}/Domains/${sd}/${c.path}.json`, { form: { [c.param]: `XX${'a'.repeat(32)}` } });
      expect([wrongKind.status, wrongKind.body.code]).toEqual([400, 20422]);
      const unknown = await t.http('POST', `${sip}/Domains/${sd}/${c.path}.json`, { form: { [c.param]: `${c.kind}${'a'.repeat(32)}` } });
      expect(unknown.status).toBe(404);
    });
  }

  it('shares one store between legacy and Auth/Calls mappings and derives auth_type', async () => {
    const sd = await domain('shared.example.com');
    const cl = await credentialList('shared cl');
    const al = await acl('shared acl');
    expect((await t.http('GET', `${sip}/Domains/${sd}.json`)).body.auth_type).toBe('');
    await t.http('POST', `${sip}/Domains/${sd}/CredentialListMappings.json`, { form: { CredentialListSid: cl } });
    expect((await t.http('GET', `${sip}/Domains/${sd}/Auth/Calls/CredentialListMappings/${cl}.json`)).status).toBe(200);
    expect((await t.http('GET', `${sip}/Domains/${sd}/Auth/Registrations/CredentialListMappings/${cl}.json`)).status).toBe(404);
    expect((await t.http('GET', `${sip}/Domains/${sd}.json`)).body.auth_type).toBe('CREDENTIAL_LIST');
    await t.http('POST', `${sip}/Domains/${sd}/Auth/Calls/IpAccessControlListMappings.json`, { form: { IpAccessControlListSid: al } });
    expect((await t.http('GET', `${sip}/Domains/${sd}/IpAccessControlListMappings/${al}.json`)).status).toBe(200);
    expect((await t.http('GET', `${sip}/Domains/${sd}.json`)).body.auth_type).toBe('IP_ACL,CREDENTIAL_LIST');
    expect((await t.http('DELETE', `${sip}/Domains/${sd}/Auth/Calls/CredentialListMappings/${cl}.json`)).status).toBe(204);
    expect((await t.http('GET', `${sip}/Domains/${sd}/CredentialListMappings/${cl}.json`)).status).toBe(404);
    expect((await t.http('GET', `${sip}/Domains/${sd}.json`)).body.auth_type).toBe('IP_ACL');
  });

  it('refuses to delete a mapped list (21241 / 21236) and frees it when the domain goes', async () => {
    const sd = await domain('mapped.example.com');
    const cl = await credentialList('mapped cl');
    const al = await acl('mapped acl');
    await t.http('POST', `${sip}/Domains/${sd}/Auth/Registrations/CredentialListMappings.json`, { form: { CredentialListSid: cl } });
    await t.http('POST', `${sip}/Domains/${sd}/IpAccessControlListMappings.json`, { form: { IpAccessControlListSid: al } });
    const delCl = await t.http('DELETE', `${sip}/CredentialLists/${cl}.json`);
    expect(delCl.status).toBe(400);
    expect(delCl.body).toEqual({ code: 21241, message: expect.any(String), more_info: 'https://www.twilio.com/docs/errors/21241', status: 400 });
    const delAl = await t.http('DELETE', `${sip}/IpAccessControlLists/${al}.json`);
    expect([delAl.status, delAl.body.code]).toEqual([400, 21236]);
    expect((await t.http('GET', `${sip}/CredentialLists/${cl}.json`)).status).toBe(200);
    expect((await t.http('GET', `${sip}/IpAccessControlLists/${al}.json`)).status).toBe(200);

    expect((await t.http('DELETE', `${sip}/Domains/${sd}.json`)).status).toBe(204);
    expect((await t.http('DELETE', `${sip}/CredentialLists/${cl}.json`)).status).toBe(204);
    expect((await t.http('DELETE', `${sip}/IpAccessControlLists/${al}.json`)).status).toBe(204);
  });

  it('publishes compiled views of every affected domain after each change', async () => {
    const sd = await domain('Views.Example.com');
    const cl = await credentialList('views cl');
    const al = await acl('views acl');
    await t.http('POST', `${sip}/Domains/${sd}/Auth/Calls/CredentialListMappings.json`, { form: { CredentialListSid: cl } });
    await t.http('POST', `${sip}/Domains/${sd}/Auth/Calls/IpAccessControlListMappings.json`, { form: { IpAccessControlListSid: al } });
    changes.length = 0;
    await t.http('POST', `${sip}/CredentialLists/${cl}/Credentials.json`, { form: { Username: 'carol', Password: PASSWORD } });
    await t.http('POST', `${sip}/IpAccessControlLists/${al}/IpAddresses.json`, { form: { FriendlyName: 'lan', IpAddress: '10.1.0.0', CidrPrefixLength: '16' } });
    expect(changes.length).toBe(2);
    const view = changes[1]!.upserts.find((v) => v.sid === sd);
    expect(view).toMatchObject({
      kind: 'domain',
      host: 'views.example.com',
      accountSid: MAIN_SID,
      accountStatus: 'active',
      calls: { aclMapped: true, acl: [{ address: '10.1.0.0', prefixLength: 16 }], credentialsMapped: true },
      targets: [{ uri: 'sip:pbx@127.0.0.1:5090' }],
    });
    if (view?.kind !== 'domain') throw new Error('expected a domain view');
    expect(Object.keys(view.calls.users)).toEqual(['carol']);
    expect(view.calls.users.carol!.md5).toMatch(/^[0-9a-f]{32}$/);
    expect(changes[1]!.upserts[0]!.version).toBeGreaterThan(changes[0]!.upserts[0]!.version);
    const all = await t.api.store.rebuildAllViews();
    expect(all.find((v) => v.sid === sd)).toEqual(view);

    changes.length = 0;
    await t.http('DELETE', `${sip}/Domains/${sd}.json`);
    expect(changes).toEqual([{ upserts: [], deletes: ['views.example.com'] }]);
  });
});

describe('domain mappings through the twilio helper library', () => {
  it('maps and unmaps through every collection', async () => {
    const client = t.client();
    const d = await client.sip.domains.create({ domainName: 'lib-mappings.example.com' });
    const cls = [];
    for (let i = 0; i < 3; i++) cls.push(await client.sip.credentialLists.create({ friendlyName: `lib cl ${i}` }));
    const al = await client.sip.ipAccessControlLists.create({ friendlyName: 'lib al' });
    const dom = client.sip.domains(d.sid);
    for (const cl of cls) await dom.auth.calls.credentialListMappings.create({ credentialListSid: cl.sid });
    const viaAuth = await dom.auth.calls.credentialListMappings.list({ pageSize: 2 });
    expect(viaAuth.map((m) => m.sid)).toEqual(cls.map((c) => c.sid));
    const viaLegacy = await dom.credentialListMappings.list({ pageSize: 2 });
    expect(viaLegacy.map((m) => m.sid)).toEqual(cls.map((c) => c.sid));
    expect((await dom.credentialListMappings(cls[0]!.sid).fetch()).domainSid).toBe(d.sid);
    await dom.auth.registrations.credentialListMappings.create({ credentialListSid: cls[1]!.sid });
    expect((await dom.auth.registrations.credentialListMappings(cls[1]!.sid).fetch()).friendlyName).toBe('lib cl 1');
    await dom.ipAccessControlListMappings.create({ ipAccessControlListSid: al.sid });
    expect((await dom.auth.calls.ipAccessControlListMappings.list()).map((m) => m.sid)).toEqual([al.sid]);
    expect((await dom.fetch()).authType).toBe('IP_ACL,CREDENTIAL_LIST');
    await expect(client.sip.credentialLists(cls[0]!.sid).remove()).rejects.toMatchObject({ status: 400, code: 21241 });
    expect(await dom.auth.calls.ipAccessControlListMappings(al.sid).remove()).toBe(true);
    expect(await dom.credentialListMappings(cls[0]!.sid).remove()).toBe(true);
    expect(await dom.auth.registrations.credentialListMappings(cls[1]!.sid).remove()).toBe(true);
    expect(await client.sip.credentialLists(cls[0]!.sid).remove()).toBe(true);
  });
});
