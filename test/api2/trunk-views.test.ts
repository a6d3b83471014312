// Trunk limits and settings (101st trunk, EDGE_TRUNK_DOMAIN_SUFFIX, PUBLIC_URL) and how trunk and
// connection views follow account status changes and a full rebuild from SQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CompiledView } from '../../src/gate/view.ts';
import { startApi2 } from './helpers/harness.ts';
import type { Api2 } from './helpers/harness.ts';

describe('with PUBLIC_URL and EDGE_TRUNK_DOMAIN_SUFFIX', () => {
  let t: Api2;
  beforeAll(async () => {
    t = await startApi2({ publicUrl: 'https://edge.example.net/', trunkDomainSuffix: '.trunks.example.net', reservedHosts: ['conn.trunks.example.net'] });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('builds absolute URLs on PUBLIC_URL, whatever the Host', async () => {
    const r = await t.http('POST', '/v1/Trunks', { form: { DomainName: 'a.trunks.example.net' } });
    expect(r.status).toBe(201);
    expect(r.body.url).toBe(`https://edge.example.net/v1/Trunks/${r.body.sid}`);
    expect(r.body.links.origination_urls).toBe(`https://edge.example.net/v1/Trunks/${r.body.sid}/OriginationUrls`);
    const list = await t.http('GET', '/v1/Trunks?PageSize=1', { headers: { host: 'evil.example.com' } });
    expect(list.body.meta.url).toBe('https://edge.example.net/v1/Trunks?PageSize=1&Page=0');
    const creds = await t.http('GET', '/v1/Credentials');
    expect(creds.body.meta.first_page_url).toBe('https://edge.example.net/v1/Credentials?PageSize=50&Page=0');
  });

  it('requires the trunk domain suffix (21245) and keeps EDGE_CONNECTIONS_HOST for connections (21248)', async () => {
    const r = await t.http('POST', '/v1/Trunks', { form: { DomainName: 'a.example.net' } });
    expect(r.body).toMatchObject({ code: 21245, status: 400 });
    const reserved = await t.http('POST', '/v1/Trunks', { form: { DomainName: 'CONN.trunks.example.net' } });
    expect(reserved.body).toMatchObject({ code: 21248, status: 400 });
  });

  it('refuses the 101st trunk of an account with 21246', async () => {
    for (let i = 1; i < 100; i++) {
      const r = await t.http('POST', '/v1/Trunks', { form: { FriendlyName: `t${i}` } });
      expect(r.status).toBe(201);
    }
    const over = await t.http('POST', '/v1/Trunks', { form: { FriendlyName: 'one too many' } });
    expect(over.body).toMatchObject({ code: 21246, status: 400 });
    const list = await t.http('GET', '/v1/Trunks?PageSize=1000');
    expect(list.body.trunks).toHaveLength(100);
  });
});

describe('views and account status', () => {
  let t: Api2;
  let sub: { sid: string; token: string };
  let trunkSid: string;
  let connectionId: string;

  const latest = (sid: string): CompiledView | undefined => {
    for (let i = t.changes.length - 1; i >= 0; i--) {
      const v = t.changes[i]!.upserts.find((u) => u.sid === sid);
      if (v) return v;
    }
    return undefined;
  };

  beforeAll(async () => {
    t = await startApi2();
    const r = await t.http('POST', '/2010-04-01/Accounts.json', { form: { FriendlyName: 'customer' } });
    sub = { sid: r.body.sid, token: r.body.auth_token };
    const trunk = await t.http('POST', '/v1/Trunks', { auth: [sub.sid, sub.token], form: { DomainName: 'customer.example.com' } });
    trunkSid = trunk.body.sid;
    const conn = await t.bearer('POST', '/v2/credential_connections', sub.token, { connection_name: 'customer', user_name: 'customer1', password: 'password-123' });
    connectionId = conn.body.data.id;
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('recompiles trunk and connection views when the account is suspended, with newer versions', async () => {
    const before = [latest(trunkSid)!, latest(connectionId)!];
    expect(before.map((v) => v.accountStatus)).toEqual(['active', 'active']);
    const r = await t.http('POST', `/2010-04-01/Accounts/${sub.sid}.json`, { form: { Status: 'suspended' } });
    expect(r.status).toBe(200);
    const after = [latest(trunkSid)!, latest(connectionId)!];
    expect(after.map((v) => v.accountStatus)).toEqual(['suspended', 'suspended']);
    expect(after[0]!.version).toBeGreaterThan(before[0]!.version);
    expect(after[1]!.version).toBeGreaterThan(before[1]!.version);
  });

  it('rebuilds every trunk (with a domain name) and connection view from SQL', async () => {
    await t.http('POST', '/v1/Trunks', { form: { FriendlyName: 'no domain yet' } });
    const views = await t.store.rebuildAllViews();
    const kinds = views.map((v) => `${v.kind}:${v.sid}`);
    expect(kinds).toContain(`trunk:${trunkSid}`);
    expect(kinds).toContain(`connection:${connectionId}`);
    expect(views.filter((v) => v.kind === 'trunk')).toHaveLength(1);
  });
});
