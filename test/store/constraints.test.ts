import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StoreError } from '../../src/store/errors.ts';
import { HA1, domainFields, tempStore, tokenHash } from './helpers.ts';

let env: ReturnType<typeof tempStore>;
beforeEach(() => {
  env = tempStore();
});
afterEach(async () => {
  await env.cleanup();
});

async function accounts() {
  const a = await env.store.accounts.create({ ownerSid: null, friendlyName: 'a', tokenHash: tokenHash('a') });
  const b = await env.store.accounts.create({ ownerSid: null, friendlyName: 'b', tokenHash: tokenHash('b') });
  return { a: a.sid, b: b.sid };
}

describe('database constraints', () => {
  it('makes domain names unique across accounts, case-insensitively, in the shared host table', async () => {
    const { a, b } = await accounts();
    const d = await env.store.domains.create(a, domainFields('Shared.Example.com'));
    await expect(env.store.domains.create(b, domainFields('shared.example.COM'))).rejects.toMatchObject({ kind: 'duplicate', subject: 'domain_name' });
    // The same uniqueness holds at the SQL level for any kind of target (trunks will share sip_hosts).
    expect(() => env.store.context.db.prepare("INSERT INTO sip_hosts (host, target_sid, kind) VALUES ('shared.example.com', 'TKx', 'trunk')").run()).toThrow(/UNIQUE/);
    const other = await env.store.domains.create(b, domainFields('other.example.com'));
    await expect(env.store.domains.update(b, other.sid, { domainName: 'SHARED.example.com' })).rejects.toBeInstanceOf(StoreError);
    expect((await env.store.domains.get(b, other.sid))!.domainName).toBe('other.example.com');
    await env.store.domains.delete(a, d.sid);
    expect((await env.store.domains.create(b, domainFields('shared.example.com'))).domainName).toBe('shared.example.com');
  });

  it('enforces limits in the database even for direct inserts', async () => {
    const { a } = await accounts();
    const al = await env.store.ipAcls.create(a, 'acl');
    for (let i = 0; i < 100; i++) await env.store.ipAcls.createAddress(a, al.sid, { friendlyName: 'x', ipAddress: `10.0.0.${i}`, cidrPrefixLength: 32 });
    await expect(env.store.ipAcls.createAddress(a, al.sid, { friendlyName: 'x', ipAddress: '10.0.1.1', cidrPrefixLength: 32 })).rejects.toMatchObject({ kind: 'limit', subject: 'ip_addresses' });
    expect(() =>
      env.store.context.db
        .prepare("INSERT INTO ip_addresses (sid, account_sid, ip_acl_sid, friendly_name, ip_address, cidr_prefix_length, date_created, date_updated) VALUES ('IPx', ?, ?, 'x', '1.1.1.1', 32, 0, 0)")
        .run(a, al.sid),
    ).toThrow(/edge_limit:ip_addresses/);
  });

  it('refuses to delete a mapped list and refuses cross-account mappings at the SQL level', async () => {
    const { a, b } = await accounts();
    const d = await env.store.domains.create(a, domainFields('map.example.com'));
    const cl = await env.store.credentialLists.create(a, 'cl');
    const foreign = await env.store.credentialLists.create(b, 'foreign');
    await env.store.mappings.create(a, d.sid, 'credential_list', 'registrations', cl.sid);
    await expect(env.store.credentialLists.delete(a, cl.sid)).rejects.toMatchObject({ kind: 'in_use', subject: 'credential_list' });
    await expect(env.store.mappings.create(a, d.sid, 'credential_list', 'calls', foreign.sid)).rejects.toMatchObject({ kind: 'not_found' });
    expect(() =>
      env.store.context.db
        .prepare("INSERT INTO domain_credential_list_mappings (domain_sid, purpose, credential_list_sid, account_sid, date_created, date_updated) VALUES (?, 'calls', ?, ?, 0, 0)")
        .run(d.sid, foreign.sid, a),
    ).toThrow(/edge_tenancy/);
    await env.store.domains.delete(a, d.sid);
    expect(await env.store.credentialLists.delete(a, cl.sid)).toBe(true);
  });

  it('rolls a failed multi-row change back entirely', async () => {
    const { a } = await accounts();
    const cl = await env.store.credentialLists.create(a, 'cl');
    await env.store.credentialLists.createCredential(a, cl.sid, 'same', HA1('a'));
    await expect(env.store.credentialLists.createCredential(a, cl.sid, 'same', HA1('b'))).rejects.toMatchObject({ kind: 'duplicate', subject: 'username' });
    const clock = env.store.context.db.prepare('SELECT seq FROM view_clock').get();
    expect(env.store.context.db.prepare('SELECT count(*) AS n FROM credentials').get()).toEqual({ n: 1 });
    expect(env.store.context.db.isTransaction).toBe(false);
    expect(clock).toEqual(env.store.context.db.prepare('SELECT seq FROM view_clock').get());
  });

  it('pages by creation order and refuses a token from another scope', async () => {
    const { a, b } = await accounts();
    const made = [];
    for (let i = 0; i < 5; i++) made.push((await env.store.credentialLists.create(a, `l${i}`)).sid);
    const p1 = await env.store.credentialLists.list(a, { limit: 2 });
    const p2 = await env.store.credentialLists.list(a, { limit: 2, afterSid: p1.rows[1]!.sid });
    const p3 = await env.store.credentialLists.list(a, { limit: 2, afterSid: p2.rows[1]!.sid });
    expect([...p1.rows, ...p2.rows, ...p3.rows].map((r) => r.sid)).toEqual(made);
    expect([p1.hasMore, p2.hasMore, p3.hasMore]).toEqual([true, true, false]);
    await expect(env.store.credentialLists.list(b, { limit: 2, afterSid: made[0]! })).rejects.toMatchObject({ kind: 'not_found', subject: 'page_token' });
  });
});
