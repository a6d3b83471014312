import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAIN_SID, collectPages, startTestApi } from './helpers/server.ts';
import type { TestApi } from './helpers/server.ts';
import { V2010Schemas } from './helpers/schema.ts';

const schemas = new V2010Schemas();
const LIST = '/2010-04-01/Accounts/{AccountSid}/SIP/Domains.json';
const ONE = '/2010-04-01/Accounts/{AccountSid}/SIP/Domains/{Sid}.json';
const base = `/2010-04-01/Accounts/${MAIN_SID}/SIP/Domains`;

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi();
});
afterAll(async () => {
  await t.stop();
});

describe('SIP domains over raw HTTP', () => {
  it('creates, fetches, updates and deletes a domain with the extract schema', async () => {
    const created = await t.http('POST', `${base}.json`, {
      form: { DomainName: 'Raw-One.example.com', FriendlyName: 'Raw one', VoiceUrl: 'sip:pbx@127.0.0.1:5080', SipRegistration: 'true', Secure: 'false' },
    });
    expect(created.status).toBe(201);
    schemas.check('POST', LIST, 201, created.body);
    expect(created.body).toMatchObject({
      account_sid: MAIN_SID,
      domain_name: 'Raw-One.example.com',
      friendly_name: 'Raw one',
      voice_url: 'sip:pbx@127.0.0.1:5080',
      voice_method: 'POST',
      sip_registration: true,
      secure: false,
      auth_type: '',
      api_version: '2010-04-01',
    });
    expect(created.body.sid).toMatch(/^SD[0-9a-f]{32}$/);
    expect(created.body.date_created).toMatch(/^\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} \+0000$/);
    expect(created.body.uri).toBe(`${base}/${created.body.sid}.json`);

    const fetched = await t.http('GET', `${base}/${created.body.sid}.json`);
    expect(fetched.status).toBe(200);
    schemas.check('GET', ONE, 200, fetched.body);
    expect(fetched.body).toEqual(created.body);

    const updated = await t.http('POST', `${base}/${created.body.sid}.json`, {
      form: { FriendlyName: 'Renamed', VoiceMethod: 'GET', DomainName: 'raw-one-renamed.example.com', VoiceUrl: '' },
    });
    expect(updated.status).toBe(200);
    schemas.check('POST', ONE, 200, updated.body);
    expect(updated.body).toMatchObject({ friendly_name: 'Renamed', voice_method: 'GET', domain_name: 'raw-one-renamed.example.com', voice_url: null, sip_registration: true });

    const del = await t.http('DELETE', `${base}/${created.body.sid}.json`);
    expect(del.status).toBe(204);
    expect(del.text).toBe('');
    const gone = await t.http('GET', `${base}/${created.body.sid}.json`);
    expect(gone.status).toBe(404);
    expect(gone.body).toEqual({
      code: 20404,
      message: expect.any(String),
      more_info: 'https://www.twilio.com/docs/errors/20404',
      status: 404,
    });
    expect((await t.http('DELETE', `${base}/${created.body.sid}.json`)).status).toBe(404);
  });

  it('lists across pages of 2 with no duplicates and no gaps', async () => {
    const sids: string[] = [];
    for (let i = 0; i < 7; i++) {
      const r = await t.http('POST', `${base}.json`, { form: { DomainName: `page-${i}.example.com` } });
      expect(r.status).toBe(201);
      sids.push(r.body.sid);
    }
    const { items, pages } = await collectPages(t, `${base}.json?PageSize=2`, 'domains');
    for (const p of pages) schemas.check('GET', LIST, 200, p);
    const listed = items.map((d) => d.sid);
    expect(new Set(listed).size).toBe(listed.length);
    expect(listed.filter((s) => sids.includes(s))).toEqual(sids);
    expect(pages[0]).toMatchObject({ page: 0, page_size: 2, start: 0, end: 1, previous_page_uri: null });
    expect(pages[1]).toMatchObject({ page: 1, start: 2, end: 3 });
    expect(pages[1].previous_page_uri).toBe(`${base}.json?PageSize=2&Page=0`);
    expect(pages[0].first_page_uri).toBe(`${base}.json?PageSize=2&Page=0`);
    expect(pages.at(-1).next_page_uri).toBeNull();
    // Page without a token is an offset; previous_page_uri of page 2 lands on page 1.
    const byPage = await t.http('GET', `${base}.json?PageSize=2&Page=1`);
    expect(byPage.body.domains.map((d: any) => d.sid)).toEqual(pages[1].domains.map((d: any) => d.sid));
    for (const s of sids) expect((await t.http('DELETE', `${base}/${s}.json`)).status).toBe(204);
  });

  it('refuses bad parameters with the first problem, before any write', async () => {
    const cases: [Record<string, string>, number, number][] = [
      [{}, 400, 20001],
      [{ DomainName: 'no_underscores.example.com' }, 400, 21231],
      [{ DomainName: 'single' }, 400, 21231],
      [{ DomainName: '10.1.2.3' }, 400, 21231],
      [{ DomainName: `${'a'.repeat(64)}.example.com` }, 400, 21231],
      [{ DomainName: 'ok.example.com', VoiceUrl: 'ftp://x' }, 400, 20422],
      [{ DomainName: 'ok.example.com', VoiceUrl: 'not a url' }, 400, 20422],
      [{ DomainName: 'ok.example.com', VoiceMethod: 'PUT' }, 400, 20422],
      [{ DomainName: 'ok.example.com', SipRegistration: 'yes' }, 400, 20422],
      [{ DomainName: 'ok.example.com', ByocTrunkSid: 'BY123' }, 400, 20422],
      [{ DomainName: 'ok.example.com', EmergencyCallerSid: 'XX' + 'a'.repeat(32) }, 400, 20422],
      [{ DomainName: 'ok.example.com', FriendlyName: 'x'.repeat(65) }, 400, 21231],
    ];
    for (const [form, status, code] of cases) {
      const r = await t.http('POST', `${base}.json`, { form });
      expect({ form, status: r.status, code: r.body.code }).toEqual({ form, status, code });
      expect(r.body).toEqual({ code, message: expect.any(String), more_info: `https://www.twilio.com/docs/errors/${code}`, status });
    }
    const list = await t.http('GET', `${base}.json`);
    expect(list.body.domains.filter((d: any) => d.domain_name === 'ok.example.com')).toEqual([]);
  });

  it('refuses a duplicate domain_name case-insensitively, on create and on rename', async () => {
    const a = await t.http('POST', `${base}.json`, { form: { DomainName: 'dup.example.com' } });
    expect(a.status).toBe(201);
    const b = await t.http('POST', `${base}.json`, { form: { DomainName: 'DUP.Example.com' } });
    expect([b.status, b.body.code]).toEqual([400, 21232]);
    const c = await t.http('POST', `${base}.json`, { form: { DomainName: 'other-dup.example.com' } });
    const rename = await t.http('POST', `${base}/${c.body.sid}.json`, { form: { DomainName: 'Dup.example.com' } });
    expect([rename.status, rename.body.code]).toEqual([400, 21232]);
    expect((await t.http('GET', `${base}/${c.body.sid}.json`)).body.domain_name).toBe('other-dup.example.com');
  });

  it('answers 404 for malformed and unknown SIDs and paths', async () => {
    expect((await t.http('GET', `${base}/SDnothex.json`)).status).toBe(404);
    expect((await t.http('GET', `${base}/SD${'f'.repeat(32)}.json`)).status).toBe(404);
    expect((await t.http('POST', `${base}/SD${'f'.repeat(32)}.json`, { form: { FriendlyName: 'x' } })).status).toBe(404);
    expect((await t.http('GET', `${base}/nothing-here`)).status).toBe(404);
  });

  it('refuses bad paging parameters', async () => {
    for (const q of ['PageSize=0', 'PageSize=1001', 'PageSize=x', 'Page=-1']) {
      const r = await t.http('GET', `${base}.json?${q}`);
      expect([q, r.status, r.body.code]).toEqual([q, 400, 20422]);
    }
    const bad = await t.http('GET', `${base}.json?PageToken=garbage`);
    expect([bad.status, bad.body.code]).toEqual([400, 21481]);
    const unknown = await t.http('GET', `${base}.json?PageToken=PASD${'0'.repeat(32)}`);
    expect(unknown.status).toBe(404);
  });
});

describe('SIP domains through the twilio helper library', () => {
  it('creates, fetches, lists with paging, updates and deletes', async () => {
    const client = t.client();
    const made: Awaited<ReturnType<typeof client.sip.domains.create>>[] = [];
    for (let i = 0; i < 5; i++) {
      made.push(await client.sip.domains.create({ domainName: `lib-${i}.example.com`, friendlyName: `lib ${i}`, sipRegistration: i % 2 === 0, voiceUrl: 'https://app.example.com/voice' }));
    }
    expect(made[0]!.sid).toMatch(/^SD/);
    expect(made[0]!.sipRegistration).toBe(true);
    expect(made[0]!.dateCreated).toBeInstanceOf(Date);
    expect(Number.isNaN(made[0]!.dateCreated.getTime())).toBe(false);

    const fetched = await client.sip.domains(made[1]!.sid).fetch();
    expect(fetched.domainName).toBe('lib-1.example.com');
    expect(fetched.voiceUrl).toBe('https://app.example.com/voice');

    const all = await client.sip.domains.list({ pageSize: 2 });
    const libSids = all.map((d) => d.sid).filter((s) => made.some((m) => m.sid === s));
    expect(libSids).toEqual(made.map((m) => m.sid));
    expect(new Set(all.map((d) => d.sid)).size).toBe(all.length);

    const page = await client.sip.domains.page({ pageSize: 2 });
    expect(page.instances.length).toBe(2);
    const next = await page.nextPage();
    expect(next?.instances.length).toBe(2);

    const upd = await client.sip.domains(made[2]!.sid).update({ friendlyName: 'changed', secure: true });
    expect(upd.friendlyName).toBe('changed');
    expect(upd.secure).toBe(true);

    expect(await client.sip.domains(made[3]!.sid).remove()).toBe(true);
    await expect(client.sip.domains(made[3]!.sid).fetch()).rejects.toMatchObject({ status: 404, code: 20404 });
    await expect(client.sip.domains.create({ domainName: 'lib-0.example.com' })).rejects.toMatchObject({ status: 400, code: 21232 });
  });
});
