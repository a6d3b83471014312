// Telnyx v2 credential connections over raw HTTP with Bearer <account auth token>: CRUD, the list
// cases of SPEC §3 (paging, page[size] bounds, filters, sorts, meta totals), Telnyx's error shape,
// tenancy, passwords as HA1 only, and the compiled ConnectionView of each connection.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectionView } from '../../src/gate/view.ts';
import { deriveHa1 } from '../../src/auth/ha1.ts';
import { MAIN_TOKEN, REALM, startApi2 } from './helpers/harness.ts';
import type { Api2 } from './helpers/harness.ts';

let t: Api2;
let subToken: string;
const PASSWORD = 'Connection-Pass-9z';
const NAMES = ['Alpha Office', 'beta office', 'Gamma Lab', 'delta OFFICE', 'Epsilon'];
const ids: string[] = [];

const list = (query: string, token = MAIN_TOKEN) => t.bearer('GET', `/v2/credential_connections${query}`, token);

function connectionView(id: string): ConnectionView | undefined {
  for (let i = t.changes.length - 1; i >= 0; i--) {
    const v = t.changes[i]!.upserts.find((u) => u.sid === id);
    if (v) return v as ConnectionView;
  }
  return undefined;
}

beforeAll(async () => {
  t = await startApi2();
  const sub = await t.http('POST', '/2010-04-01/Accounts.json', { form: { FriendlyName: 'telnyx sub' } });
  subToken = sub.body.auth_token;
});
afterAll(async () => {
  await t?.stop();
});

describe('credential connections', () => {
  it('creates connections (201) with nested objects, sip_target, and no password in the answer', async () => {
    for (const [i, name] of NAMES.entries()) {
      const r = await t.bearer('POST', '/v2/credential_connections', MAIN_TOKEN, {
        connection_name: name,
        user_name: `User${i}abc`,
        password: PASSWORD,
        active: i !== 2,
        sip_target: `sip:pbx${i}.example.com:5060`,
        inbound: { channel_limit: 5, codecs: ['G722', 'PCMU'], ani_number_format: '+E.164' },
        outbound: { channel_limit: 2 + i, outbound_voice_profile_id: i % 2 === 0 ? '1293384261075731499' : '999', localization: 'US' },
        rtcp_settings: { capture_enabled: true, port: 'rtcp-mux', report_frequency_secs: 10 },
        tags: ['edge'],
      });
      expect(r.status, r.text).toBe(201);
      expect(r.body.data).toMatchObject({
        record_type: 'credential_connection',
        connection_name: name,
        user_name: `User${i}abc`,
        active: i !== 2,
        sip_target: `sip:pbx${i}.example.com:5060`,
        inbound: { channel_limit: 5, codecs: ['G722', 'PCMU'], ani_number_format: '+E.164' },
        rtcp_settings: { capture_enabled: true, port: 'rtcp-mux', report_frequency_secs: 10 },
        tags: ['edge'],
      });
      expect(r.body.data.id).toMatch(/^[0-9]{19}$/);
      expect(r.body.data.created_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      expect('password' in r.body.data).toBe(false);
      ids.push(r.body.data.id);
      await new Promise((res) => setTimeout(res, 3));
    }
  });

  it('compiles a ConnectionView per connection: HA1s for EDGE_REALM, target, channel limit', () => {
    const v = connectionView(ids[1]!)!;
    expect(v).toMatchObject({ kind: 'connection', username: 'user1abc', usernameExact: 'User1abc', active: true, sipTarget: 'sip:pbx1.example.com:5060', channelLimit: 3 });
    expect(v.ha1).toEqual(deriveHa1('User1abc', REALM, PASSWORD));
    expect(connectionView(ids[2]!)!.active).toBe(false);
  });

  it('retrieves, patches (nested merge, new password) and keeps the password out', async () => {
    const got = await t.bearer('GET', `/v2/credential_connections/${ids[0]}`, MAIN_TOKEN);
    expect(got.status).toBe(200);
    expect(got.body.data.id).toBe(ids[0]);
    const patched = await t.bearer('PATCH', `/v2/credential_connections/${ids[0]}`, MAIN_TOKEN, {
      connection_name: 'Alpha Office HQ',
      outbound: { channel_limit: 9 },
      password: 'Another-Pass-77',
    });
    expect(patched.status, patched.text).toBe(200);
    expect(patched.body.data.connection_name).toBe('Alpha Office HQ');
    expect(patched.body.data.outbound).toEqual({ channel_limit: 9, outbound_voice_profile_id: '1293384261075731499', localization: 'US' });
    expect(patched.body.data.inbound.codecs).toEqual(['G722', 'PCMU']);
    const v = connectionView(ids[0]!)!;
    expect(v.channelLimit).toBe(9);
    expect(v.ha1).toEqual(deriveHa1('User0abc', REALM, 'Another-Pass-77'));
  });

  it('renames the user only with a password, and frees the old name in the views', async () => {
    const noPass = await t.bearer('PATCH', `/v2/credential_connections/${ids[4]}`, MAIN_TOKEN, { user_name: 'Renamed44' });
    expect(noPass.status).toBe(422);
    expect(noPass.body.errors[0]).toMatchObject({ code: '10004', source: { pointer: '/password' } });
    const ok = await t.bearer('PATCH', `/v2/credential_connections/${ids[4]}`, MAIN_TOKEN, { user_name: 'Renamed44', password: PASSWORD });
    expect(ok.status).toBe(200);
    expect(connectionView(ids[4]!)!.username).toBe('renamed44');
    expect(t.changes.at(-1)!.deletes).toEqual(['conn:user4abc']);
  });

  it('refuses a user_name taken by any account, case-insensitively', async () => {
    const r = await t.bearer('POST', '/v2/credential_connections', subToken, { connection_name: 'x', user_name: 'USER1ABC', password: PASSWORD });
    expect(r.status).toBe(422);
    expect(r.body.errors[0]).toMatchObject({ code: '10015', source: { pointer: '/user_name' } });
  });
});

describe('list', () => {
  it('pages with page[number]/page[size], meta totals, and past the end', async () => {
    const p1 = await list('?page[number]=1&page[size]=2');
    expect(p1.status).toBe(200);
    expect(p1.body.data.map((c: any) => c.id)).toEqual(ids.slice(0, 2));
    expect(p1.body.meta).toEqual({ page_number: 1, page_size: 2, total_pages: 3, total_results: 5 });
    const p3 = await list('?page%5Bnumber%5D=3&page%5Bsize%5D=2');
    expect(p3.body.data.map((c: any) => c.id)).toEqual(ids.slice(4));
    const past = await list('?page[number]=4&page[size]=2');
    expect(past.status).toBe(200);
    expect(past.body.data).toEqual([]);
    expect(past.body.meta).toEqual({ page_number: 4, page_size: 2, total_pages: 3, total_results: 5 });
    const all = await list('');
    expect(all.body.meta).toEqual({ page_number: 1, page_size: 250, total_pages: 1, total_results: 5 });
  });

  it('refuses page[size]=251, page[size]=0 and page[number]=0 with 422 naming the parameter', async () => {
    for (const [q, parameter] of [['?page[size]=251', 'page[size]'], ['?page[size]=0', 'page[size]'], ['?page[number]=0', 'page[number]']]) {
      const r = await list(q!);
      expect(r.status, q).toBe(422);
      expect(r.body.errors[0]).toMatchObject({ code: '10015', source: { parameter } });
    }
    expect((await list('?page[size]=250')).status).toBe(200);
  });

  it('filters connection_name contains case-insensitively, at least 3 characters', async () => {
    const r = await list('?filter[connection_name][contains]=OFFICE');
    expect(r.body.data.map((c: any) => c.connection_name)).toEqual(['Alpha Office HQ', 'beta office', 'delta OFFICE']);
    expect(r.body.meta.total_results).toBe(3);
    const short = await list('?filter[connection_name][contains]=of');
    expect(short.status).toBe(422);
    expect(short.body.errors[0]).toMatchObject({ code: '10015', source: { parameter: 'filter[connection_name][contains]' } });
  });

  it('filters by outbound.outbound_voice_profile_id', async () => {
    const r = await list('?filter[outbound.outbound_voice_profile_id]=999');
    expect(r.body.data.map((c: any) => c.id)).toEqual([ids[1], ids[3]]);
  });

  it('sorts by -connection_name, active, -created_at; refuses an unknown sort', async () => {
    const byName = await list('?sort=-connection_name');
    expect(byName.body.data.map((c: any) => c.connection_name)).toEqual(['Gamma Lab', 'Epsilon', 'delta OFFICE', 'beta office', 'Alpha Office HQ']);
    const byActive = await list('?sort=active');
    expect(byActive.body.data.map((c: any) => c.active)).toEqual([false, true, true, true, true]);
    expect(byActive.body.data[0].id).toBe(ids[2]);
    const newest = await list('?sort=-created_at');
    expect(newest.body.data.map((c: any) => c.id)).toEqual([...ids].reverse());
    const bad = await list('?sort=user_name');
    expect(bad.status).toBe(422);
    expect(bad.body.errors[0].source).toEqual({ parameter: 'sort' });
  });
});

describe('errors, auth and tenancy', () => {
  it('answers 422 with source.pointer for each missing required field', async () => {
    const full = { connection_name: 'n', user_name: 'Someone1', password: PASSWORD };
    for (const field of ['connection_name', 'user_name', 'password'] as const) {
      const body: Record<string, string> = { ...full };
      delete body[field];
      const r = await t.bearer('POST', '/v2/credential_connections', MAIN_TOKEN, body);
      expect(r.status).toBe(422);
      expect(r.body.errors).toEqual([{ code: '10004', title: 'Missing required parameter', detail: expect.any(String), source: { pointer: `/${field}` } }]);
    }
  });

  it('validates user_name, password, sip_target and nested values with 10015', async () => {
    const base = { connection_name: 'n', user_name: 'Someone1', password: PASSWORD };
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ user_name: 'ab1' }, '/user_name'],
      [{ user_name: 'has space1' }, '/user_name'],
      [{ user_name: 'x'.repeat(33) }, '/user_name'],
      [{ password: 'short7' }, '/password'],
      [{ password: 'p'.repeat(129) }, '/password'],
      [{ sip_target: 'http://pbx.example.com' }, '/sip_target'],
      [{ outbound: { channel_limit: -1 } }, '/outbound/channel_limit'],
      [{ inbound: 'nope' }, '/inbound'],
      [{ active: 'yes' }, '/active'],
    ];
    for (const [override, pointer] of cases) {
      const r = await t.bearer('POST', '/v2/credential_connections', MAIN_TOKEN, { ...base, ...override });
      expect(r.status, pointer).toBe(422);
      expect(r.body.errors[0]).toMatchObject({ code: '10015', source: { pointer } });
    }
    const bad = await t.bearer('POST', '/v2/credential_connections', MAIN_TOKEN, undefined);
    expect(bad.status).toBeGreaterThanOrEqual(400);
    expect(bad.body.errors[0].code).toMatch(/^100/);
  });

  it('requires a valid Bearer token (401, 10009)', async () => {
    for (const token of [null, 'wrong-token', `${MAIN_TOKEN}x`]) {
      const r = await t.bearer('GET', '/v2/credential_connections', token);
      expect(r.status).toBe(401);
      expect(r.body.errors[0]).toMatchObject({ code: '10009', title: 'Authentication failed' });
    }
    const basic = await t.http('GET', '/v2/credential_connections');
    expect(basic.status).toBe(401);
  });

  it('hides connections across accounts (404, 10005) and changes nothing', async () => {
    for (const [method, json] of [['GET', undefined], ['PATCH', { connection_name: 'stolen' }], ['DELETE', undefined]] as const) {
      const r = await t.bearer(method, `/v2/credential_connections/${ids[1]}`, subToken, json);
      expect(r.status, method).toBe(404);
      expect(r.body.errors[0]).toMatchObject({ code: '10005', title: 'Resource not found' });
    }
    expect((await list('', subToken)).body.data).toEqual([]);
    expect((await t.bearer('GET', `/v2/credential_connections/${ids[1]}`, MAIN_TOKEN)).body.data.connection_name).toBe('beta office');
    const unknown = await t.bearer('GET', '/v2/credential_connections/123', MAIN_TOKEN);
    expect(unknown.status).toBe(404);
    const nowhere = await t.bearer('GET', '/v2/nothing_here', MAIN_TOKEN);
    expect(nowhere.status).toBe(404);
    expect(nowhere.body.errors[0].code).toBe('10005');
  });

  it('deletes with 200 and the data; the view is deleted', async () => {
    const r = await t.bearer('DELETE', `/v2/credential_connections/${ids[3]}`, MAIN_TOKEN);
    expect(r.status).toBe(200);
    expect(r.body.data.id).toBe(ids[3]);
    expect(t.changes.at(-1)!.deletes).toEqual(['conn:user3abc']);
    expect((await t.bearer('GET', `/v2/credential_connections/${ids[3]}`, MAIN_TOKEN)).status).toBe(404);
    expect((await list('')).body.meta.total_results).toBe(4);
  });

  it('never returns or logs a password, HA1 or bearer token', () => {
    // The subaccount's token was shown once, in the body that created it (v2010 behaviour).
    const everything = t.bodies.join('\n') + t.logs.join('\n');
    for (const secret of [PASSWORD, 'Another-Pass-77', deriveHa1('User1abc', REALM, PASSWORD).md5, MAIN_TOKEN]) {
      expect(everything.includes(secret)).toBe(false);
    }
    expect(t.logs.join('\n').includes(subToken)).toBe(false);
    expect(t.bodies.filter((b) => b.includes(subToken))).toHaveLength(1);
  });
});
