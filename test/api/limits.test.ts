import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAIN_SID, startTestApi } from './helpers/server.ts';
import type { TestApi } from './helpers/server.ts';

const sip = `/2010-04-01/Accounts/${MAIN_SID}/SIP`;

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi();
});
afterAll(async () => {
  await t.stop();
});

/** Runs `count` requests with a few in flight, asserting each answers 201. */
async function fill(count: number, make: (i: number) => Promise<{ status: number; text: string }>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const r = await make(i);
      if (r.status !== 201) throw new Error(`request ${i}: ${r.status} ${r.text}`);
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
}

describe('limits (Twilio codes)', () => {
  it('refuses the 101st domain with 21230 and a duplicate name from another account with 21232', async () => {
    await fill(100, (i) => t.http('POST', `${sip}/Domains.json`, { form: { DomainName: `limit-${i}.example.com` } }));
    const r = await t.http('POST', `${sip}/Domains.json`, { form: { DomainName: 'limit-100.example.com' } });
    expect(r.status).toBe(400);
    expect(r.body).toEqual({ code: 21230, message: expect.any(String), more_info: 'https://www.twilio.com/docs/errors/21230', status: 400 });
    expect((await t.http('GET', `${sip}/Domains.json?PageSize=1000`)).body.domains.length).toBe(100);

    const sub = (await t.http('POST', '/2010-04-01/Accounts.json', { form: { FriendlyName: 'other' } })).body;
    const dup = await t.http('POST', `/2010-04-01/Accounts/${sub.sid}/SIP/Domains.json`, { form: { DomainName: 'LIMIT-7.example.com' }, auth: [sub.sid, sub.auth_token] });
    expect([dup.status, dup.body.code]).toEqual([400, 21232]);
  });

  it('refuses the 1001st credential in a list', async () => {
    const cl = (await t.http('POST', `${sip}/CredentialLists.json`, { form: { FriendlyName: 'big' } })).body.sid;
    // The first 990 go straight through the store (same SQL, no HTTP round trips), the rest over HTTP.
    const ha1 = { md5: '0'.repeat(32), sha256: '0'.repeat(64), sha512_256: '0'.repeat(64) };
    for (let i = 0; i < 990; i++) await t.api.store.credentialLists.createCredential(MAIN_SID, cl, `u${i}`, ha1);
    await fill(10, (i) => t.http('POST', `${sip}/CredentialLists/${cl}/Credentials.json`, { form: { Username: `u${990 + i}`, Password: 'L1mitPassword!' } }));
    const r = await t.http('POST', `${sip}/CredentialLists/${cl}/Credentials.json`, { form: { Username: 'u1000', Password: 'L1mitPassword!' } });
    expect([r.status, r.body.code]).toEqual([400, 21242]);
    const page = await t.http('GET', `${sip}/CredentialLists/${cl}/Credentials.json?PageSize=1000`);
    expect(page.body.credentials.length).toBe(1000);
    expect(page.body.next_page_uri).toBeNull();
  });

  it('refuses the 101st address in an ACL', async () => {
    const al = (await t.http('POST', `${sip}/IpAccessControlLists.json`, { form: { FriendlyName: 'big' } })).body.sid;
    await fill(100, (i) => t.http('POST', `${sip}/IpAccessControlLists/${al}/IpAddresses.json`, { form: { FriendlyName: `a${i}`, IpAddress: `10.0.${i}.1` } }));
    const r = await t.http('POST', `${sip}/IpAccessControlLists/${al}/IpAddresses.json`, { form: { FriendlyName: 'a100', IpAddress: '10.0.100.1' } });
    expect([r.status, r.body.code]).toEqual([400, 21238]);
  });

  it('refuses the 101st credential list and the 1001st IP ACL', async () => {
    const existing = (await t.http('GET', `${sip}/CredentialLists.json?PageSize=1000`)).body.credential_lists.length;
    await fill(100 - existing, (i) => t.http('POST', `${sip}/CredentialLists.json`, { form: { FriendlyName: `cl ${i}` } }));
    const cl = await t.http('POST', `${sip}/CredentialLists.json`, { form: { FriendlyName: 'one too many' } });
    expect([cl.status, cl.body.code]).toEqual([400, 21239]);

    const acls = (await t.http('GET', `${sip}/IpAccessControlLists.json?PageSize=1000`)).body.ip_access_control_lists.length;
    for (let i = 0; i < 990 - acls; i++) await t.api.store.ipAcls.create(MAIN_SID, `acl ${i}`);
    await fill(10, (i) => t.http('POST', `${sip}/IpAccessControlLists.json`, { form: { FriendlyName: `acl http ${i}` } }));
    const al = await t.http('POST', `${sip}/IpAccessControlLists.json`, { form: { FriendlyName: 'one too many' } });
    expect([al.status, al.body.code]).toEqual([400, 21235]);
  });

  it('refuses request bodies over the cap with 413', async () => {
    const r = await t.http('POST', `${sip}/Domains.json`, { form: { DomainName: 'big.example.com', FriendlyName: 'x'.repeat(70 * 1024) } });
    expect(r.status).toBe(413);
    expect(r.body).toMatchObject({ code: 20413, status: 413 });
  });
});
