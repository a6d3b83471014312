// Trunking v1 driven by the npm `twilio` package against a real server: every resource created,
// fetched, listed across pages (following meta.next_page_url), updated and deleted; every response
// body validated against the trunking extract; compiled trunk views checked after each change.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TargetView } from '../../src/gate/view.ts';
import { V1Schemas } from './helpers/v1-schemas.ts';
import { startApi2 } from './helpers/harness.ts';
import type { Api2 } from './helpers/harness.ts';

const schemas = new V1Schemas('twilio_trunking_v1.sip.json');
let t: Api2;
let client: ReturnType<Api2['client']>;

function lastBody(): unknown {
  const body = (client.httpClient as unknown as { lastResponse: { body: unknown } }).lastResponse.body;
  return typeof body === 'string' ? JSON.parse(body) : body;
}

/** Raw paging: follows meta.next_page_url to the end, validating each page. */
async function allPages(path: string, schemaPath: string, key: string): Promise<{ items: any[]; pages: any[] }> {
  const items: any[] = [];
  const pages: any[] = [];
  let url: string | null = t.base + path;
  while (url) {
    expect(url.startsWith(t.base + '/v1/')).toBe(true);
    const r = await t.http('GET', url.slice(t.base.length));
    expect(r.status).toBe(200);
    schemas.check('GET', schemaPath, 200, r.body);
    expect(r.body.meta.key).toBe(key);
    pages.push(r.body);
    items.push(...r.body[key]);
    url = r.body.meta.next_page_url;
    if (pages.length > 100) throw new Error('paging does not end');
  }
  return { items, pages };
}

function trunkView(sid: string): TargetView | undefined {
  for (let i = t.changes.length - 1; i >= 0; i--) {
    const v = t.changes[i]!.upserts.find((u) => u.sid === sid);
    if (v) return v as TargetView;
  }
  return undefined;
}

beforeAll(async () => {
  t = await startApi2();
  client = t.client();
  client.trunking.baseUrl = t.base;
});

afterAll(async () => {
  await t?.stop();
});

describe('Trunks', () => {
  const sids: string[] = [];

  it('creates trunks (201, schema-valid, ISO dates, absolute URLs)', async () => {
    for (let i = 0; i < 5; i++) {
      const trunk = await client.trunking.v1.trunks.create({ friendlyName: `trunk ${i}`, domainName: `Trunk${i}.Example.com` });
      schemas.check('POST', '/v1/Trunks', 201, lastBody());
      expect(trunk.domainName).toBe(`trunk${i}.example.com`);
      expect(trunk.url).toBe(`${t.base}/v1/Trunks/${trunk.sid}`);
      expect((lastBody() as any).date_created).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
      sids.push(trunk.sid);
    }
  });

  it('lists across pages with the client and with meta.next_page_url, no gaps, no duplicates', async () => {
    const listed = await client.trunking.v1.trunks.list({ pageSize: 2 });
    expect(listed.map((x) => x.sid)).toEqual(sids);
    const { items, pages } = await allPages('/v1/Trunks?PageSize=2', '/v1/Trunks', 'trunks');
    expect(items.map((x) => x.sid)).toEqual(sids);
    expect(pages).toHaveLength(3);
    expect(pages[0].meta.previous_page_url).toBeNull();
    expect(pages[1].meta.previous_page_url).toBe(`${t.base}/v1/Trunks?PageSize=2&Page=0`);
    expect(pages[0].meta.first_page_url).toBe(`${t.base}/v1/Trunks?PageSize=2&Page=0`);
    expect(pages[2].meta.next_page_url).toBeNull();
  });

  it('fetches and updates a trunk; its view follows the new domain name', async () => {
    const fetched = await client.trunking.v1.trunks(sids[0]!).fetch();
    schemas.check('GET', '/v1/Trunks/{Sid}', 200, lastBody());
    expect(fetched.friendlyName).toBe('trunk 0');
    const updated = await client.trunking.v1.trunks(sids[0]!).update({ friendlyName: 'renamed', domainName: 'renamed.example.com', secure: true, transferMode: 'sip-only' });
    schemas.check('POST', '/v1/Trunks/{Sid}', 200, lastBody());
    expect(updated.friendlyName).toBe('renamed');
    expect(updated.secure).toBe(true);
    expect(updated.transferMode).toBe('sip-only');
    expect(trunkView(sids[0]!)?.host).toBe('renamed.example.com');
    expect(t.changes.some((c) => c.deletes.includes('trunk0.example.com'))).toBe(true);
  });

  it('refuses a domain name taken by a SIP domain or another trunk (21248) and a bad one (21245)', async () => {
    const d = await t.http('POST', `/2010-04-01/Accounts/${t.api.accountSid}/SIP/Domains.json`, { form: { DomainName: 'shared.example.com' } });
    expect(d.status).toBe(201);
    const clash = await t.http('POST', '/v1/Trunks', { form: { DomainName: 'SHARED.example.com' } });
    expect(clash.status).toBe(400);
    expect(clash.body.code).toBe(21248);
    const clash2 = await t.http('POST', `/v1/Trunks/${sids[1]}`, { form: { DomainName: 'trunk2.example.com' } });
    expect(clash2.body.code).toBe(21248);
    const domainClash = await t.http('POST', `/2010-04-01/Accounts/${t.api.accountSid}/SIP/Domains.json`, { form: { DomainName: 'trunk3.example.com' } });
    expect(domainClash.status).toBe(400);
    const long = await t.http('POST', '/v1/Trunks', { form: { FriendlyName: 'x'.repeat(65) } });
    expect(long.body).toMatchObject({ code: 21244, status: 400 });
    const badMode = await t.http('POST', '/v1/Trunks', { form: { TransferMode: 'sometimes' } });
    expect(badMode.status).toBe(400);
    const bad = await t.http('POST', '/v1/Trunks', { form: { DomainName: 'not a host' } });
    expect(bad.body).toMatchObject({ code: 21245, status: 400 });
    expect(bad.body.more_info).toBe('https://www.twilio.com/docs/errors/21245');
  });

  it('fetches and updates the recording settings', async () => {
    const rec = await client.trunking.v1.trunks(sids[1]!).recordings().fetch();
    schemas.check('GET', '/v1/Trunks/{TrunkSid}/Recording', 200, lastBody());
    expect(rec.mode).toBe('do-not-record');
    const upd = await client.trunking.v1.trunks(sids[1]!).recordings().update({ mode: 'record-from-answer', trim: 'trim-silence' });
    schemas.check('POST', '/v1/Trunks/{TrunkSid}/Recording', 200, lastBody());
    expect(upd.mode).toBe('record-from-answer');
    const trunk = await t.http('GET', `/v1/Trunks/${sids[1]}`);
    expect(trunk.body.recording).toEqual({ mode: 'record-from-answer', trim: 'trim-silence' });
  });

  it('answers phone numbers as an empty list and 404 for any number', async () => {
    const list = await client.trunking.v1.trunks(sids[1]!).phoneNumbers.list({ pageSize: 5 });
    expect(list).toEqual([]);
    const raw = await t.http('GET', `/v1/Trunks/${sids[1]}/PhoneNumbers`);
    schemas.check('GET', '/v1/Trunks/{TrunkSid}/PhoneNumbers', 200, raw.body);
    const fetch = await t.http('GET', `/v1/Trunks/${sids[1]}/PhoneNumbers/PN${'a'.repeat(32)}`);
    expect(fetch.status).toBe(404);
    expect(fetch.body.code).toBe(20404);
    const pn = `PN${'b'.repeat(32)}`;
    const numbers = client.trunking.v1.trunks(sids[1]!).phoneNumbers;
    await expect(numbers.create({ phoneNumberSid: pn })).rejects.toMatchObject({ status: 404, code: 20404 });
    await expect(numbers(pn).fetch()).rejects.toMatchObject({ status: 404, code: 20404 });
    await expect(numbers(pn).remove()).rejects.toMatchObject({ status: 404, code: 20404 });
    const bad = await t.http('POST', `/v1/Trunks/${sids[1]}/PhoneNumbers`, { form: { PhoneNumberSid: 'PN123' } });
    expect(bad.status).toBe(400);
  });

  it('deletes a trunk (204), then 404; its host is deleted from the views', async () => {
    await client.trunking.v1.trunks(sids[4]!).remove();
    const again = await t.http('GET', `/v1/Trunks/${sids[4]}`);
    expect(again.status).toBe(404);
    expect(again.body).toMatchObject({ code: 20404, status: 404 });
    expect(t.changes.at(-1)!.deletes).toContain('trunk4.example.com');
  });
});

describe('OriginationUrls', () => {
  let trunkSid: string;
  const ous: string[] = [];

  beforeAll(async () => {
    trunkSid = (await client.trunking.v1.trunks.create({ domainName: 'orig.example.com' })).sid;
  });

  it('creates origination URLs; the view lists enabled ones by priority, then weight', async () => {
    const specs = [
      { priority: 20, weight: 10, sipUrl: 'sip:backup.example.com', enabled: true },
      { priority: 10, weight: 5, sipUrl: 'sip:light.example.com:5070', enabled: true },
      { priority: 10, weight: 50, sipUrl: 'sip:heavy.example.com;transport=tcp', enabled: true },
      { priority: 1, weight: 10, sipUrl: 'sip:off.example.com', enabled: false },
    ];
    for (const [i, s] of specs.entries()) {
      const ou = await client.trunking.v1.trunks(trunkSid).originationUrls.create({ friendlyName: `ou ${i}`, ...s });
      schemas.check('POST', '/v1/Trunks/{TrunkSid}/OriginationUrls', 201, lastBody());
      expect(ou.sipUrl).toBe(s.sipUrl);
      ous.push(ou.sid);
    }
    expect(trunkView(trunkSid)!.targets.map((x) => x.uri)).toEqual([
      'sip:heavy.example.com;transport=tcp',
      'sip:light.example.com:5070',
      'sip:backup.example.com',
    ]);
  });

  it('lists across pages, fetches, updates and deletes', async () => {
    const listed = await client.trunking.v1.trunks(trunkSid).originationUrls.list({ pageSize: 3 });
    expect(listed.map((x) => x.sid)).toEqual(ous);
    const { items } = await allPages(`/v1/Trunks/${trunkSid}/OriginationUrls?PageSize=1`, '/v1/Trunks/{TrunkSid}/OriginationUrls', 'origination_urls');
    expect(items.map((x) => x.sid)).toEqual(ous);
    await client.trunking.v1.trunks(trunkSid).originationUrls(ous[3]!).fetch();
    schemas.check('GET', '/v1/Trunks/{TrunkSid}/OriginationUrls/{Sid}', 200, lastBody());
    const upd = await client.trunking.v1.trunks(trunkSid).originationUrls(ous[3]!).update({ enabled: true, weight: 7 });
    schemas.check('POST', '/v1/Trunks/{TrunkSid}/OriginationUrls/{Sid}', 200, lastBody());
    expect(upd.enabled).toBe(true);
    expect(upd.weight).toBe(7);
    expect(trunkView(trunkSid)!.targets[0]).toEqual({ uri: 'sip:off.example.com', priority: 1, weight: 7 });
    await client.trunking.v1.trunks(trunkSid).originationUrls(ous[3]!).remove();
    expect((await t.http('GET', `/v1/Trunks/${trunkSid}/OriginationUrls/${ous[3]}`)).status).toBe(404);
    expect(trunkView(trunkSid)!.targets).toHaveLength(3);
  });

  it('refuses a non-sip: SipUrl, an out-of-range weight and a missing parameter', async () => {
    const base = { FriendlyName: 'x', Weight: '10', Priority: '10', Enabled: 'true' };
    for (const SipUrl of ['sips:secure.example.com', 'https://example.com', 'sip:', 'sip:bad host']) {
      const r = await t.http('POST', `/v1/Trunks/${trunkSid}/OriginationUrls`, { form: { ...base, SipUrl } });
      expect(r.status, SipUrl).toBe(400);
      expect(r.body.code).toBe(21249);
    }
    const heavy = await t.http('POST', `/v1/Trunks/${trunkSid}/OriginationUrls`, { form: { ...base, Weight: '70000', SipUrl: 'sip:a.example.com' } });
    expect(heavy.body.code).toBe(21249);
    const missing = await t.http('POST', `/v1/Trunks/${trunkSid}/OriginationUrls`, { form: { FriendlyName: 'x', SipUrl: 'sip:a.example.com' } });
    expect(missing.body).toMatchObject({ code: 20001, status: 400 });
  });
});

describe('Trunk CredentialLists and IpAccessControlLists', () => {
  let trunkSid: string;
  let clSid: string;
  let alSid: string;
  const api = () => client.api.v2010.accounts(t.api.accountSid).sip;

  beforeAll(async () => {
    client.api.baseUrl = t.base;
    trunkSid = (await client.trunking.v1.trunks.create({ domainName: 'lists.example.com' })).sid;
    clSid = (await api().credentialLists.create({ friendlyName: 'trunk users' })).sid;
    await api().credentialLists(clSid).credentials.create({ username: 'alice', password: 'Secret-Passw0rd' });
    alSid = (await api().ipAccessControlLists.create({ friendlyName: 'office' })).sid;
    await api().ipAccessControlLists(alSid).ipAddresses.create({ friendlyName: 'lan', ipAddress: '192.0.2.0', cidrPrefixLength: 24 });
  });

  it('associates, lists, fetches and removes a credential list; the view carries its HA1s', async () => {
    const assoc = await client.trunking.v1.trunks(trunkSid).credentialsLists.create({ credentialListSid: clSid });
    schemas.check('POST', '/v1/Trunks/{TrunkSid}/CredentialLists', 201, lastBody());
    expect(assoc.friendlyName).toBe('trunk users');
    const view = trunkView(trunkSid)!;
    expect(view.calls.credentialsMapped).toBe(true);
    expect(Object.keys(view.calls.users)).toEqual(['alice']);
    expect(view.calls.users.alice!.md5).toMatch(/^[0-9a-f]{32}$/);
    const trunk = await t.http('GET', `/v1/Trunks/${trunkSid}`);
    expect(trunk.body.auth_type_set).toEqual(['CREDENTIAL_LIST']);

    await api().credentialLists(clSid).credentials.create({ username: 'bob', password: 'Other-Passw0rd1' });
    expect(Object.keys(trunkView(trunkSid)!.calls.users).sort()).toEqual(['alice', 'bob']);

    const more: string[] = [];
    for (const name of ['second', 'third']) {
      const extra = (await api().credentialLists.create({ friendlyName: name })).sid;
      await client.trunking.v1.trunks(trunkSid).credentialsLists.create({ credentialListSid: extra });
      more.push(extra);
    }
    const listed = await client.trunking.v1.trunks(trunkSid).credentialsLists.list({ pageSize: 2 });
    expect(listed.map((x) => x.sid)).toEqual([clSid, ...more]);
    const paged = await allPages(`/v1/Trunks/${trunkSid}/CredentialLists?PageSize=2`, '/v1/Trunks/{TrunkSid}/CredentialLists', 'credential_lists');
    expect(paged.items.map((x) => x.sid)).toEqual([clSid, ...more]);
    expect(paged.pages).toHaveLength(2);
    for (const extra of more) await client.trunking.v1.trunks(trunkSid).credentialsLists(extra).remove();
    await client.trunking.v1.trunks(trunkSid).credentialsLists(clSid).fetch();
    schemas.check('GET', '/v1/Trunks/{TrunkSid}/CredentialLists/{Sid}', 200, lastBody());

    const dup = await t.http('POST', `/v1/Trunks/${trunkSid}/CredentialLists`, { form: { CredentialListSid: clSid } });
    expect(dup.body.code).toBe(21247);
    const inUse = await t.http('DELETE', `/2010-04-01/Accounts/${t.api.accountSid}/SIP/CredentialLists/${clSid}.json`);
    expect(inUse.body.code).toBe(21241);

    await client.trunking.v1.trunks(trunkSid).credentialsLists(clSid).remove();
    expect(trunkView(trunkSid)!.calls.credentialsMapped).toBe(false);
    expect((await t.http('GET', `/v1/Trunks/${trunkSid}/CredentialLists/${clSid}`)).status).toBe(404);
  });

  it('associates, lists, fetches and removes an IP ACL; the view carries its prefixes', async () => {
    await client.trunking.v1.trunks(trunkSid).ipAccessControlLists.create({ ipAccessControlListSid: alSid });
    schemas.check('POST', '/v1/Trunks/{TrunkSid}/IpAccessControlLists', 201, lastBody());
    expect(trunkView(trunkSid)!.calls.acl).toEqual([{ address: '192.0.2.0', prefixLength: 24 }]);
    const more: string[] = [];
    for (const name of ['second', 'third']) {
      const extra = (await api().ipAccessControlLists.create({ friendlyName: name })).sid;
      await client.trunking.v1.trunks(trunkSid).ipAccessControlLists.create({ ipAccessControlListSid: extra });
      more.push(extra);
    }
    const listed = await client.trunking.v1.trunks(trunkSid).ipAccessControlLists.list({ pageSize: 2 });
    expect(listed.map((x) => x.sid)).toEqual([alSid, ...more]);
    const paged = await allPages(`/v1/Trunks/${trunkSid}/IpAccessControlLists?PageSize=1`, '/v1/Trunks/{TrunkSid}/IpAccessControlLists', 'ip_access_control_lists');
    expect(paged.items.map((x) => x.sid)).toEqual([alSid, ...more]);
    expect(paged.pages).toHaveLength(3);
    for (const extra of more) await client.trunking.v1.trunks(trunkSid).ipAccessControlLists(extra).remove();
    await client.trunking.v1.trunks(trunkSid).ipAccessControlLists(alSid).fetch();
    schemas.check('GET', '/v1/Trunks/{TrunkSid}/IpAccessControlLists/{Sid}', 200, lastBody());
    const inUse = await t.http('DELETE', `/2010-04-01/Accounts/${t.api.accountSid}/SIP/IpAccessControlLists/${alSid}.json`);
    expect(inUse.body.code).toBe(21236);
    await client.trunking.v1.trunks(trunkSid).ipAccessControlLists(alSid).remove();
    expect(trunkView(trunkSid)!.calls.aclMapped).toBe(false);
  });

  it('refuses to associate another account\'s list (404) and hides trunks across accounts', async () => {
    const sub = await t.http('POST', '/2010-04-01/Accounts.json', { form: { FriendlyName: 'sub' } });
    expect(sub.status).toBe(201);
    const subAuth: [string, string] = [sub.body.sid, sub.body.auth_token];
    const subCl = await t.http('POST', `/2010-04-01/Accounts/${sub.body.sid}/SIP/CredentialLists.json`, { auth: subAuth, form: { FriendlyName: 'theirs' } });
    const foreign = await t.http('POST', `/v1/Trunks/${trunkSid}/CredentialLists`, { form: { CredentialListSid: subCl.body.sid } });
    expect(foreign.status).toBe(404);
    for (const [method, path] of [
      ['GET', `/v1/Trunks/${trunkSid}`],
      ['POST', `/v1/Trunks/${trunkSid}`],
      ['DELETE', `/v1/Trunks/${trunkSid}`],
      ['GET', `/v1/Trunks/${trunkSid}/OriginationUrls`],
    ] as const) {
      const r = await t.http(method, path, { auth: subAuth, form: method === 'POST' ? { FriendlyName: 'stolen' } : undefined });
      expect(r.status, `${method} ${path}`).toBe(404);
    }
    const mine = await t.http('GET', '/v1/Trunks', { auth: subAuth });
    expect(mine.body.trunks).toEqual([]);
    expect((await t.http('GET', `/v1/Trunks/${trunkSid}`)).body.friendly_name).toBeNull();
  });

  it('requires Basic auth on /v1/ (401 with WWW-Authenticate)', async () => {
    const r = await t.http('GET', '/v1/Trunks', { auth: null });
    expect(r.status).toBe(401);
    expect(r.body.code).toBe(20003);
    expect(r.headers.get('www-authenticate')).toMatch(/^Basic realm=/);
  });
});
