import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAIN_SID, collectPages, startTestApi } from './helpers/server.ts';
import type { TestApi } from './helpers/server.ts';
import { V2010Schemas } from './helpers/schema.ts';

const schemas = new V2010Schemas();
const ACLS = '/2010-04-01/Accounts/{AccountSid}/SIP/IpAccessControlLists.json';
const ACL = '/2010-04-01/Accounts/{AccountSid}/SIP/IpAccessControlLists/{Sid}.json';
const ADDRS = '/2010-04-01/Accounts/{AccountSid}/SIP/IpAccessControlLists/{IpAccessControlListSid}/IpAddresses.json';
const ADDR = '/2010-04-01/Accounts/{AccountSid}/SIP/IpAccessControlLists/{IpAccessControlListSid}/IpAddresses/{Sid}.json';
const base = `/2010-04-01/Accounts/${MAIN_SID}/SIP/IpAccessControlLists`;

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi();
});
afterAll(async () => {
  await t.stop();
});

describe('IP access control lists over raw HTTP', () => {
  it('runs the lifecycle of lists and addresses with schema-valid bodies', async () => {
    const acl = await t.http('POST', `${base}.json`, { form: { FriendlyName: 'Carrier' } });
    expect(acl.status).toBe(201);
    schemas.check('POST', ACLS, 201, acl.body);
    const al = acl.body.sid as string;
    expect(al).toMatch(/^AL[0-9a-f]{32}$/);
    schemas.check('GET', ACL, 200, (await t.http('GET', `${base}/${al}.json`)).body);
    const renamed = await t.http('POST', `${base}/${al}.json`, { form: { FriendlyName: 'r'.repeat(255) } });
    expect(renamed.status).toBe(200);
    schemas.check('POST', ACL, 200, renamed.body);

    const v4 = await t.http('POST', `${base}/${al}/IpAddresses.json`, { form: { FriendlyName: 'pbx', IpAddress: '192.0.2.10' } });
    expect(v4.status).toBe(201);
    schemas.check('POST', ADDRS, 201, v4.body);
    expect(v4.body).toMatchObject({ ip_address: '192.0.2.10', cidr_prefix_length: 32, ip_access_control_list_sid: al });
    const net = await t.http('POST', `${base}/${al}/IpAddresses.json`, { form: { FriendlyName: 'net', IpAddress: '198.51.100.0', CidrPrefixLength: '24' } });
    expect(net.body.cidr_prefix_length).toBe(24);
    const v6 = await t.http('POST', `${base}/${al}/IpAddresses.json`, { form: { FriendlyName: 'v6', IpAddress: '2001:DB8:0:0::1' } });
    expect(v6.body).toMatchObject({ ip_address: '2001:db8::1', cidr_prefix_length: 128 });
    const v6net = await t.http('POST', `${base}/${al}/IpAddresses.json`, { form: { FriendlyName: 'v6 net', IpAddress: '2001:db8:1::', CidrPrefixLength: '48' } });
    expect(v6net.body.cidr_prefix_length).toBe(48);

    schemas.check('GET', ADDR, 200, (await t.http('GET', `${base}/${al}/IpAddresses/${v4.body.sid}.json`)).body);
    const upd = await t.http('POST', `${base}/${al}/IpAddresses/${v4.body.sid}.json`, { form: { IpAddress: '192.0.2.0', CidrPrefixLength: '28' } });
    expect(upd.status).toBe(200);
    schemas.check('POST', ADDR, 200, upd.body);
    expect(upd.body).toMatchObject({ ip_address: '192.0.2.0', cidr_prefix_length: 28, friendly_name: 'pbx' });
    const toV6 = await t.http('POST', `${base}/${al}/IpAddresses/${net.body.sid}.json`, { form: { IpAddress: '::1' } });
    expect(toV6.body).toMatchObject({ ip_address: '::1', cidr_prefix_length: 24 });

    const { items, pages } = await collectPages(t, `${base}/${al}/IpAddresses.json?PageSize=2`, 'ip_addresses');
    for (const p of pages) schemas.check('GET', ADDRS, 200, p);
    expect(items.map((a) => a.sid)).toEqual([v4.body.sid, net.body.sid, v6.body.sid, v6net.body.sid]);

    expect((await t.http('DELETE', `${base}/${al}/IpAddresses/${v6.body.sid}.json`)).status).toBe(204);
    expect((await t.http('GET', `${base}/${al}/IpAddresses/${v6.body.sid}.json`)).status).toBe(404);
    expect((await t.http('DELETE', `${base}/${al}.json`)).status).toBe(204);
    expect((await t.http('GET', `${base}/${al}.json`)).status).toBe(404);
  });

  it('refuses invalid addresses and prefixes', async () => {
    const al = (await t.http('POST', `${base}.json`, { form: { FriendlyName: 'validation' } })).body.sid;
    const cases: [Record<string, string>, number, number][] = [
      [{ IpAddress: '192.0.2.1' }, 400, 20001],
      [{ FriendlyName: 'x' }, 400, 20001],
      [{ FriendlyName: 'x', IpAddress: '256.0.0.1' }, 400, 21237],
      [{ FriendlyName: 'x', IpAddress: '192.0.2' }, 400, 21237],
      [{ FriendlyName: 'x', IpAddress: '010.0.0.1' }, 400, 21237],
      [{ FriendlyName: 'x', IpAddress: 'fe80::1%eth0' }, 400, 21237],
      [{ FriendlyName: 'x', IpAddress: 'example.com' }, 400, 21237],
      [{ FriendlyName: 'x', IpAddress: '192.0.2.1', CidrPrefixLength: '33' }, 400, 21237],
      [{ FriendlyName: 'x', IpAddress: '192.0.2.1', CidrPrefixLength: '-1' }, 400, 21237],
      [{ FriendlyName: 'x', IpAddress: '192.0.2.1', CidrPrefixLength: 'abc' }, 400, 21237],
      [{ FriendlyName: 'x', IpAddress: '2001:db8::', CidrPrefixLength: '129' }, 400, 21237],
      [{ FriendlyName: 'f'.repeat(256), IpAddress: '192.0.2.1' }, 400, 21237],
    ];
    for (const [form, status, code] of cases) {
      const r = await t.http('POST', `${base}/${al}/IpAddresses.json`, { form });
      expect({ form, status: r.status, code: r.body.code }).toEqual({ form, status, code });
    }
    expect((await t.http('GET', `${base}/${al}/IpAddresses.json`)).body.ip_addresses).toEqual([]);
    const longAcl = await t.http('POST', `${base}.json`, { form: { FriendlyName: 'a'.repeat(256) } });
    expect([longAcl.status, longAcl.body.code]).toEqual([400, 21235]);
  });
});

describe('IP access control lists through the twilio helper library', () => {
  it('creates, lists, updates and removes', async () => {
    const client = t.client();
    const acl = await client.sip.ipAccessControlLists.create({ friendlyName: 'lib acl' });
    const made = [];
    for (let i = 0; i < 5; i++) {
      made.push(await client.sip.ipAccessControlLists(acl.sid).ipAddresses.create({ friendlyName: `h${i}`, ipAddress: `203.0.113.${i + 1}`, cidrPrefixLength: 32 }));
    }
    expect(made[0]!.cidrPrefixLength).toBe(32);
    const listed = await client.sip.ipAccessControlLists(acl.sid).ipAddresses.list({ pageSize: 2 });
    expect(listed.map((a) => a.sid)).toEqual(made.map((a) => a.sid));
    const upd = await client.sip.ipAccessControlLists(acl.sid).ipAddresses(made[0]!.sid).update({ cidrPrefixLength: 30, friendlyName: 'renamed' });
    expect(upd).toMatchObject({ cidrPrefixLength: 30, friendlyName: 'renamed', ipAddress: '203.0.113.1' });
    const acls = await client.sip.ipAccessControlLists.list({ pageSize: 2 });
    expect(acls.some((a) => a.sid === acl.sid)).toBe(true);
    expect((await client.sip.ipAccessControlLists(acl.sid).update({ friendlyName: 'lib acl 2' })).friendlyName).toBe('lib acl 2');
    await expect(client.sip.ipAccessControlLists(acl.sid).ipAddresses.create({ friendlyName: 'bad', ipAddress: '1.2.3.4.5' })).rejects.toMatchObject({ status: 400, code: 21237 });
    expect(await client.sip.ipAccessControlLists(acl.sid).ipAddresses(made[4]!.sid).remove()).toBe(true);
    expect(await client.sip.ipAccessControlLists(acl.sid).remove()).toBe(true);
  });
});
