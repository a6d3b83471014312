import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MAIN_SID, MAIN_TOKEN, REALM, basic, startTestApi } from './helpers/server.ts';
import type { TestApi } from './helpers/server.ts';
import { deriveHa1 } from '../../src/auth/ha1.ts';

const sip = `/2010-04-01/Accounts/${MAIN_SID}/SIP`;
const PASSWORDS = ['Zebra7Quartz9Lamp', 'Otter5Violin3Maple'];
const WEAK = 'weakpass-zz-marker';

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi();
});
afterAll(async () => {
  await t.stop();
});

describe('secrets never leave the service', () => {
  it('keeps passwords, tokens, HA1s and Authorization values out of responses, logs and the database file', async () => {
    const sub = await t.http('POST', '/2010-04-01/Accounts.json', { form: { FriendlyName: 'secretive' } });
    const subToken = sub.body.auth_token as string;
    const creationBody = sub.text;
    const asSub: [string, string] = [sub.body.sid, subToken];

    const cl = (await t.http('POST', `${sip}/CredentialLists.json`, { form: { FriendlyName: 'secrets' } })).body.sid;
    const sd = (await t.http('POST', `${sip}/Domains.json`, { form: { DomainName: 'secrets.example.com' } })).body.sid;
    await t.http('POST', `${sip}/Domains/${sd}/Auth/Calls/CredentialListMappings.json`, { form: { CredentialListSid: cl } });
    const cred = await t.http('POST', `${sip}/CredentialLists/${cl}/Credentials.json`, { form: { Username: 'dave', Password: PASSWORDS[0]! } });
    expect(cred.status).toBe(201);
    await t.http('POST', `${sip}/CredentialLists/${cl}/Credentials/${cred.body.sid}.json`, { form: { Password: PASSWORDS[1]! } });
    await t.http('GET', `${sip}/CredentialLists/${cl}/Credentials.json`);
    await t.http('GET', `${sip}/CredentialLists/${cl}/Credentials/${cred.body.sid}.json`);
    // Error paths that carry secrets in the request.
    await t.http('POST', `${sip}/CredentialLists/${cl}/Credentials.json`, { form: { Username: 'erin', Password: WEAK } });
    await t.http('POST', `${sip}/CredentialLists/${cl}/Credentials.json`, { form: { Username: 'dave', Password: PASSWORDS[0]! } });
    await t.http('GET', `${sip}/Domains.json`, { auth: [MAIN_SID, `${MAIN_TOKEN}x`] });
    await t.http('GET', `${sip}/Domains.json`, { auth: null, headers: { authorization: `Basic ${MAIN_TOKEN}` } });
    await t.http('GET', `/2010-04-01/Accounts/${sub.body.sid}.json`, { auth: asSub });
    await t.http('GET', `/2010-04-01/Accounts/${MAIN_SID}.json`, { auth: asSub });
    await t.http('POST', `${sip}/Domains.json`, { form: { DomainName: 'x'.repeat(300), FriendlyName: MAIN_TOKEN } });
    await t.http('GET', `/2010-04-01/Accounts/${MAIN_SID}.json`);

    const ha1s = PASSWORDS.flatMap((p) => Object.values(deriveHa1('dave', REALM, p)));
    const authValues = [basic(MAIN_SID, MAIN_TOKEN), basic(...asSub)].map((h) => h.slice(6));
    const secrets = [MAIN_TOKEN, ...PASSWORDS, WEAK, ...ha1s, ...authValues];

    const responses = t.bodies.filter((b) => b !== creationBody);
    expect(responses.length).toBeGreaterThan(10);
    expect(creationBody).toContain(subToken); // shown once, at creation, by design
    for (const s of [...secrets, subToken]) {
      for (const body of responses) expect(body.includes(s), `response leaks ${s.slice(0, 6)}…`).toBe(false);
    }

    expect(t.logs.length).toBeGreaterThan(10);
    expect(t.logs.join('')).toContain('api request');
    for (const s of [...secrets, subToken]) {
      for (const line of t.logs) expect(line.includes(s), `log leaks ${s.slice(0, 6)}…`).toBe(false);
    }

    // The database holds HA1s (that is what the edge needs) but never a password or a token.
    const files = readdirSync(t.dataDir).map((f) => readFileSync(join(t.dataDir, f)));
    expect(files.length).toBeGreaterThan(0);
    for (const s of [MAIN_TOKEN, subToken, ...PASSWORDS, WEAK]) {
      for (const f of files) expect(f.includes(Buffer.from(s)), `database holds ${s.slice(0, 6)}…`).toBe(false);
    }
  });
});
