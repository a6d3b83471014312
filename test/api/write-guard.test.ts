import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAIN_SID, startTestApi } from './helpers/server.ts';
import type { TestApi } from './helpers/server.ts';

let t: TestApi;
let publishable = true;
beforeAll(async () => {
  t = await startTestApi({ writesAvailable: () => publishable });
});
afterAll(async () => {
  await t.stop();
});

const sip = `/2010-04-01/Accounts/${MAIN_SID}/SIP`;

describe('writes while views cannot be published', () => {
  it('answers 503 to writes, keeps serving reads, and writes nothing until publishing is back', async () => {
    const kept = await t.http('POST', `${sip}/Domains.json`, { form: { DomainName: 'kept.example.com' } });
    expect(kept.status).toBe(201);
    publishable = false;
    const refused = await t.http('POST', `${sip}/Domains.json`, { form: { DomainName: 'refused.example.com' } });
    expect(refused.status).toBe(503);
    expect(refused.body).toMatchObject({ code: 20503, status: 503 });
    expect((await t.http('DELETE', `${sip}/Domains/${kept.body.sid}.json`)).status).toBe(503);
    const list = await t.http('GET', `${sip}/Domains.json`);
    expect(list.status).toBe(200);
    expect(list.body.domains.map((d: any) => d.domain_name)).toEqual(['kept.example.com']);
    publishable = true;
    expect((await t.http('POST', `${sip}/Domains.json`, { form: { DomainName: 'refused.example.com' } })).status).toBe(201);
  });
});
