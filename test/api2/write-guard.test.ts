// While views cannot be published (Redis down), writes on the v1 and v2 paths answer 503 in each
// API's error shape and change nothing; reads keep working.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAIN_TOKEN, startApi2 } from './helpers/harness.ts';
import type { Api2 } from './helpers/harness.ts';

let t: Api2;
let publishable = true;
beforeAll(async () => {
  t = await startApi2({ writesAvailable: () => publishable });
});
afterAll(async () => {
  await t?.stop();
});

describe('write guard on trunking, conversations and Telnyx paths', () => {
  it('refuses writes with 503 and writes nothing until publishing is back', async () => {
    publishable = false;
    const trunk = await t.http('POST', '/v1/Trunks', { form: { DomainName: 'guarded.example.com' } });
    expect(trunk.status).toBe(503);
    expect(trunk.body).toMatchObject({ code: 20503, status: 503 });
    expect((await t.http('POST', '/v1/Credentials', { form: { Type: 'apn' } })).status).toBe(503);
    const conn = await t.bearer('POST', '/v2/credential_connections', MAIN_TOKEN, { connection_name: 'g', user_name: 'guarded1', password: 'password-1' });
    expect(conn.status).toBe(503);
    expect(conn.body.errors[0]).toMatchObject({ code: '10007' });
    expect((await t.http('GET', '/v1/Trunks')).body.trunks).toEqual([]);
    expect((await t.bearer('GET', '/v2/credential_connections', MAIN_TOKEN)).body.data).toEqual([]);
    publishable = true;
    expect((await t.http('POST', '/v1/Trunks', { form: { DomainName: 'guarded.example.com' } })).status).toBe(201);
    expect((await t.bearer('POST', '/v2/credential_connections', MAIN_TOKEN, { connection_name: 'g', user_name: 'guarded1', password: 'password-1' })).status).toBe(201);
  });
});
