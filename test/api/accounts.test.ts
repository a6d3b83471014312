import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAIN_SID, MAIN_TOKEN, REALM, basic, collectPages, startTestApi } from './helpers/server.ts';
import type { TestApi } from './helpers/server.ts';
import { V2010Schemas } from './helpers/schema.ts';

const schemas = new V2010Schemas();
const ACCOUNTS = '/2010-04-01/Accounts.json';
const ACCOUNT = '/2010-04-01/Accounts/{Sid}.json';

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi();
});
afterAll(async () => {
  await t.stop();
});

describe('authentication', () => {
  it('answers 401 with WWW-Authenticate and Twilio code 20003 for every bad credential', async () => {
    const attempts: (Record<string, string> | undefined)[] = [
      undefined,
      { authorization: basic(MAIN_SID, 'wrong-token') },
      { authorization: basic(`AC${'9'.repeat(32)}`, MAIN_TOKEN) },
      { authorization: basic('not-a-sid', MAIN_TOKEN) },
      { authorization: 'Basic !!!' },
      { authorization: `Bearer ${MAIN_TOKEN}` },
      { authorization: basic(MAIN_SID, MAIN_TOKEN.slice(0, -1)) },
    ];
    for (const headers of attempts) {
      const r = await t.http('GET', `/2010-04-01/Accounts/${MAIN_SID}/SIP/Domains.json`, { auth: null, headers });
      expect(r.status).toBe(401);
      expect(r.headers.get('www-authenticate')).toBe(`Basic realm="${REALM}"`);
      expect(r.body).toEqual({ code: 20003, message: 'Authenticate', more_info: 'https://www.twilio.com/docs/errors/20003', status: 401 });
    }
  });

  it('keeps a bootstrap account across restarts and generates one only when none exists', async () => {
    const lines: string[] = [];
    const fresh = await startTestApi({ accountSid: undefined, authToken: undefined, printCredentials: (l) => lines.push(l) });
    try {
      expect(lines.length).toBe(1);
      const m = /EDGE_ACCOUNT_SID=(AC[0-9a-f]{32}) EDGE_AUTH_TOKEN=([0-9a-f]{32})/.exec(lines[0]!);
      expect(m).not.toBeNull();
      expect(fresh.api.accountSid).toBe(m![1]);
      const ok = await fresh.http('GET', `/2010-04-01/Accounts/${m![1]}.json`, { auth: [m![1]!, m![2]!] });
      expect(ok.status).toBe(200);
      expect(fresh.logs.join('')).not.toContain(m![2]!);
    } finally {
      await fresh.stop();
    }
  });
});

describe('accounts and subaccounts over raw HTTP', () => {
  it('creates, lists, fetches and updates subaccounts', async () => {
    const main = await t.http('GET', `/2010-04-01/Accounts/${MAIN_SID}.json`);
    expect(main.status).toBe(200);
    schemas.check('GET', ACCOUNT, 200, main.body);
    expect(main.body).toMatchObject({ sid: MAIN_SID, owner_account_sid: MAIN_SID, status: 'active', auth_token: null });

    const subs = [];
    for (let i = 0; i < 3; i++) {
      const r = await t.http('POST', ACCOUNTS, { form: { FriendlyName: `sub ${i}` } });
      expect(r.status).toBe(201);
      schemas.check('POST', ACCOUNTS, 201, r.body);
      expect(r.body.owner_account_sid).toBe(MAIN_SID);
      expect(r.body.auth_token).toMatch(/^[0-9a-f]{32}$/);
      subs.push(r.body);
    }
    const defaultName = await t.http('POST', ACCOUNTS, { form: {} });
    expect(defaultName.body.friendly_name).toMatch(/^SubAccount Created at /);

    const { items, pages } = await collectPages(t, `${ACCOUNTS}?PageSize=2`, 'accounts');
    for (const p of pages) schemas.check('GET', ACCOUNTS, 200, p);
    expect(items.map((a) => a.sid)).toEqual([MAIN_SID, ...subs.map((s) => s.sid), defaultName.body.sid]);
    expect(items.every((a) => a.auth_token === null)).toBe(true);

    const filtered = await t.http('GET', `${ACCOUNTS}?FriendlyName=${encodeURIComponent('sub 1')}&PageSize=5`);
    expect(filtered.body.accounts.map((a: any) => a.sid)).toEqual([subs[1].sid]);
    expect(filtered.body.uri).toContain('FriendlyName=sub+1');

    const upd = await t.http('POST', `/2010-04-01/Accounts/${subs[0].sid}.json`, { form: { FriendlyName: 'renamed', Status: 'suspended' } });
    expect(upd.status).toBe(200);
    schemas.check('POST', ACCOUNT, 200, upd.body);
    expect(upd.body).toMatchObject({ friendly_name: 'renamed', status: 'suspended' });
    const suspended = await t.http('GET', `${ACCOUNTS}?Status=suspended`);
    expect(suspended.body.accounts.map((a: any) => a.sid)).toEqual([subs[0].sid]);
    const badStatus = await t.http('POST', `/2010-04-01/Accounts/${subs[0].sid}.json`, { form: { Status: 'frozen' } });
    expect([badStatus.status, badStatus.body.code]).toEqual([400, 20422]);
    expect((await t.http('POST', `/2010-04-01/Accounts/${subs[0].sid}.json`, { form: { Status: 'active' } })).body.status).toBe('active');
  });

  it('lets a parent act on its subaccounts, never the reverse, never across siblings', async () => {
    const a = (await t.http('POST', ACCOUNTS, { form: { FriendlyName: 'tenant a' } })).body;
    const b = (await t.http('POST', ACCOUNTS, { form: { FriendlyName: 'tenant b' } })).body;
    const asA: [string, string] = [a.sid, a.auth_token];
    const asB: [string, string] = [b.sid, b.auth_token];
    const aSip = `/2010-04-01/Accounts/${a.sid}/SIP`;
    const bSip = `/2010-04-01/Accounts/${b.sid}/SIP`;

    // Parent creates in the subaccount; the subaccount sees it.
    const dom = await t.http('POST', `${aSip}/Domains.json`, { form: { DomainName: 'tenant-a.example.com' } });
    expect(dom.status).toBe(201);
    expect(dom.body.account_sid).toBe(a.sid);
    expect((await t.http('GET', `${aSip}/Domains/${dom.body.sid}.json`, { auth: asA })).status).toBe(200);
    const cl = (await t.http('POST', `${aSip}/CredentialLists.json`, { form: { FriendlyName: 'a list' }, auth: asA })).body.sid;
    const al = (await t.http('POST', `${aSip}/IpAccessControlLists.json`, { form: { FriendlyName: 'a acl' }, auth: asA })).body.sid;
    for (let i = 0; i < 3; i++) await t.http('POST', `${aSip}/Domains.json`, { form: { DomainName: `tenant-a-${i}.example.com` }, auth: asA });

    // The subaccount cannot reach its parent nor create subaccounts.
    expect((await t.http('GET', `/2010-04-01/Accounts/${MAIN_SID}.json`, { auth: asA })).status).toBe(404);
    expect((await t.http('GET', `/2010-04-01/Accounts/${MAIN_SID}/SIP/Domains.json`, { auth: asA })).status).toBe(404);
    const subsub = await t.http('POST', ACCOUNTS, { form: { FriendlyName: 'nested' }, auth: asA });
    expect([subsub.status, subsub.body.code]).toEqual([403, 20403]);
    const ownStatus = await t.http('POST', `/2010-04-01/Accounts/${a.sid}.json`, { form: { Status: 'closed' }, auth: asA });
    expect(ownStatus.status).toBe(403);
    const listed = await t.http('GET', ACCOUNTS, { auth: asA });
    expect(listed.body.accounts.map((x: any) => x.sid)).toEqual([a.sid]);

    // Sibling B: every read, list, update, delete of A's resources fails and changes nothing.
    const before = (await t.http('GET', `${aSip}/Domains.json?PageSize=1000`, { auth: asA })).text;
    const attempts: [string, string, Record<string, string>?][] = [
      ['GET', `/2010-04-01/Accounts/${a.sid}.json`],
      ['POST', `/2010-04-01/Accounts/${a.sid}.json`, { FriendlyName: 'hijacked' }],
      ['GET', `${aSip}/Domains.json`],
      ['GET', `${aSip}/Domains/${dom.body.sid}.json`],
      ['POST', `${aSip}/Domains/${dom.body.sid}.json`, { FriendlyName: 'hijacked' }],
      ['DELETE', `${aSip}/Domains/${dom.body.sid}.json`],
      ['POST', `${aSip}/Domains.json`, { DomainName: 'planted.example.com' }],
      ['GET', `${bSip}/Domains/${dom.body.sid}.json`],
      ['POST', `${bSip}/Domains/${dom.body.sid}.json`, { FriendlyName: 'hijacked' }],
      ['DELETE', `${bSip}/Domains/${dom.body.sid}.json`],
      ['GET', `${bSip}/CredentialLists/${cl}.json`],
      ['DELETE', `${bSip}/CredentialLists/${cl}.json`],
      ['GET', `${bSip}/CredentialLists/${cl}/Credentials.json`],
      ['POST', `${bSip}/CredentialLists/${cl}/Credentials.json`, { Username: 'mallory', Password: 'Mall0ryPassword' }],
      ['GET', `${bSip}/IpAccessControlLists/${al}.json`],
      ['POST', `${bSip}/IpAccessControlLists/${al}/IpAddresses.json`, { FriendlyName: 'x', IpAddress: '6.6.6.6' }],
      ['DELETE', `${bSip}/IpAccessControlLists/${al}.json`],
    ];
    for (const [method, path, form] of attempts) {
      const r = await t.http(method, path, { auth: asB, form });
      expect({ method, path, status: r.status }).toEqual({ method, path, status: 404 });
      expect(r.body.code).toBe(20404);
    }

    // Mapping A's lists to B's own domain is refused and creates nothing.
    const bDom = (await t.http('POST', `${bSip}/Domains.json`, { form: { DomainName: 'tenant-b.example.com' }, auth: asB })).body.sid;
    const mapCl = await t.http('POST', `${bSip}/Domains/${bDom}/Auth/Calls/CredentialListMappings.json`, { form: { CredentialListSid: cl }, auth: asB });
    expect(mapCl.status).toBe(404);
    const mapAl = await t.http('POST', `${bSip}/Domains/${bDom}/IpAccessControlListMappings.json`, { form: { IpAccessControlListSid: al }, auth: asB });
    expect(mapAl.status).toBe(404);
    expect((await t.http('GET', `${bSip}/Domains/${bDom}/Auth/Calls/CredentialListMappings.json`, { auth: asB })).body.contents).toEqual([]);
    expect((await t.http('GET', `${bSip}/Domains/${bDom}.json`, { auth: asB })).body.auth_type).toBe('');

    // Reusing A's page token on B's list is refused.
    const aPage = await t.http('GET', `${aSip}/Domains.json?PageSize=2`, { auth: asA });
    const token = new URL(aPage.body.next_page_uri, 'http://x').searchParams.get('PageToken');
    expect(token).toMatch(/^PASD/);
    const reuse = await t.http('GET', `${bSip}/Domains.json?PageSize=2&Page=1&PageToken=${token}`, { auth: asB });
    expect(reuse.status).toBe(404);
    expect(reuse.text).not.toContain('tenant-a');

    expect((await t.http('GET', `${aSip}/Domains.json?PageSize=1000`, { auth: asA })).text).toBe(before);
    expect((await t.http('GET', `/2010-04-01/Accounts/${a.sid}.json`)).body.friendly_name).toBe('tenant a');
  });

  it('closes an account for good: its credentials stop working, it cannot reopen', async () => {
    const c = (await t.http('POST', ACCOUNTS, { form: { FriendlyName: 'to close' } })).body;
    const dom = (await t.http('POST', `/2010-04-01/Accounts/${c.sid}/SIP/Domains.json`, { form: { DomainName: 'closing.example.com' } })).body.sid;
    const seen: string[] = [];
    const off = t.api.store.onViewsChanged((ch) => {
      for (const v of ch.upserts) if (v.sid === dom) seen.push(v.accountStatus);
    });
    expect((await t.http('POST', `/2010-04-01/Accounts/${c.sid}.json`, { form: { Status: 'closed' } })).body.status).toBe('closed');
    off();
    expect(seen).toEqual(['closed']);
    expect((await t.http('GET', `/2010-04-01/Accounts/${c.sid}.json`, { auth: [c.sid, c.auth_token] })).status).toBe(401);
    const reopen = await t.http('POST', `/2010-04-01/Accounts/${c.sid}.json`, { form: { Status: 'active' } });
    expect(reopen.status).toBe(400);
  });
});

describe('accounts through the twilio helper library', () => {
  it('creates, lists, fetches, updates subaccounts and acts on their resources', async () => {
    const client = t.client();
    const made = [];
    for (let i = 0; i < 3; i++) made.push(await client.api.v2010.accounts.create({ friendlyName: `lib sub ${i}` }));
    expect(made[0]!.ownerAccountSid).toBe(MAIN_SID);
    const all = await client.api.v2010.accounts.list({ pageSize: 2 });
    expect(new Set(all.map((a) => a.sid)).size).toBe(all.length);
    for (const m of made) expect(all.some((a) => a.sid === m.sid)).toBe(true);
    const fetched = await client.api.v2010.accounts(made[1]!.sid).fetch();
    expect(fetched.friendlyName).toBe('lib sub 1');
    const upd = await client.api.v2010.accounts(made[1]!.sid).update({ status: 'suspended' });
    expect(upd.status).toBe('suspended');

    // The parent's credentials on a subaccount's resources (twilio's accountSid option).
    const asParent = t.client(MAIN_SID, MAIN_TOKEN, made[2]!.sid);
    const d = await asParent.sip.domains.create({ domainName: 'lib-sub.example.com' });
    expect(d.accountSid).toBe(made[2]!.sid);
    // The subaccount's own credentials work there too, but not on the parent.
    const asSub = t.client(made[2]!.sid, made[2]!.authToken);
    expect((await asSub.sip.domains(d.sid).fetch()).domainName).toBe('lib-sub.example.com');
    await expect(asSub.api.v2010.accounts(MAIN_SID).fetch()).rejects.toMatchObject({ status: 404 });
    await expect(t.client(made[0]!.sid, made[0]!.authToken).sip.domains(d.sid).fetch()).rejects.toMatchObject({ status: 404 });
  });
});
