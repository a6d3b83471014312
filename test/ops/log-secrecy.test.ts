// Log secrecy of the running edge at LOG_LEVEL=debug (issue 8): known secrets are provisioned
// through the REST API, calls succeed and fail with them, the API is driven into errors with them,
// and that process's captured output holds none of them. Also checks that the suite-wide capture
// (test/global-setup.ts, edge-process.ts tee) really receives the edge's logs, and that the scan
// finds a secret when one is there (so a clean result means something).

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAnsweringPbx } from '../helpers/answering-pbx.ts';
import type { AnsweringPbx } from '../helpers/answering-pbx.ts';
import { startEdge } from '../helpers/edge-process.ts';
import type { EdgeProcess } from '../helpers/edge-process.ts';
import { waitFor } from '../helpers/net.ts';
import { ha1Values, harvestSecretLiterals, logCaptureDir, recordCredential, recordSecret, secretKindsIn } from '../helpers/secrets.ts';
import type { Secret } from '../helpers/secrets.ts';
import { SipClient, authenticatedInvite } from '../helpers/sip-client.ts';
import { TEST_ACCOUNT_ENV, TEST_AUTH_TOKEN, TwilioApi } from '../helpers/twilio-api.ts';

const ACCEPTED = 486;
const USER = 'logcheck';
const PASSWORD = 'Ops-Log-Passw0rd-41';
const WRONG = 'Ops-Wrong-Passw0rd-77';
const SECOND_PASSWORD = 'Ops-Second-Passw0rd-58';
const WRONG_TOKEN = 'ops-wrong-auth-token-9f8e7d6c5b4a';
const NONCE_SECRET = 'ops-nonce-secret-for-log-check-31';

let pbx: AnsweringPbx;
let edge: EdgeProcess;
const secrets: Secret[] = [];

function keep(kind: Secret['kind'], value: string): void {
  secrets.push({ kind, value });
  recordSecret(kind, value);
}

function keepCredential(user: string, password: string): void {
  keep('password', password);
  for (const h of ha1Values(user, 'sip-edge', password)) keep('HA1', h);
  recordCredential(user, password);
}

beforeAll(async () => {
  pbx = await startAnsweringPbx(ACCEPTED, 'Busy Here');
  edge = await startEdge({ ...TEST_ACCOUNT_ENV, LOG_LEVEL: 'debug', EDGE_NONCE_SECRET: NONCE_SECRET, EDGE_BAN_THRESHOLD: '3', EDGE_BAN_DURATION_S: '60' });
  keep('auth token', TEST_AUTH_TOKEN);
  keep('auth token', WRONG_TOKEN);
  keep('nonce secret', NONCE_SECRET);
  keepCredential(USER, PASSWORD);
  keepCredential(USER, WRONG);
  keepCredential('second', SECOND_PASSWORD);
}, 30_000);

afterAll(async () => {
  await edge?.stop();
  await pbx?.close();
});

describe('the secret scan', () => {
  it('finds each kind of secret, and authorization values without knowing them', () => {
    const some: Secret[] = [{ kind: 'password', value: 'Pw-123456' }, { kind: 'HA1', value: 'ab'.repeat(16) }];
    expect([...secretKindsIn('{"msg":"x","p":"Pw-123456"}', some)]).toEqual(['password']);
    expect([...secretKindsIn('HA1 ' + 'AB'.repeat(16), some)]).toEqual(['HA1']);
    expect([...secretKindsIn('Proxy-Authorization: Digest username="a", response="' + '0f'.repeat(16) + '"', some)]).toEqual(['authorization value']);
    expect([...secretKindsIn('authorization: Basic ' + Buffer.from('AC12345:tok-abcdef').toString('base64'), some)]).toEqual(['authorization value']);
    expect(secretKindsIn('{"msg":"sip listening","udp":5060}', some).size).toBe(0);
  });

  it('also covers secret literals of tests that record nothing, and no plain words', () => {
    const values = new Set(harvestSecretLiterals(join(import.meta.dirname, '..')).map((s) => s.value));
    for (const v of [PASSWORD, TEST_AUTH_TOKEN, NONCE_SECRET]) expect(values.has(v), v).toBe(true);
    expect(values.has('password')).toBe(false);
    expect([...values].every((v) => !/\s/.test(v) && v.length >= 8)).toBe(true);
  });
});

describe('an edge at LOG_LEVEL=debug', () => {
  it('logs no password, HA1, auth token, nonce secret or authorization value while calls and API requests succeed and fail', async () => {
    const api = new TwilioApi(edge.httpPort);
    const list = await api.createCredentialList('ops-logs');
    const credential = await api.addCredential(list, USER, PASSWORD);
    const domain = await api.createDomain('logs.ops.test', `sip:127.0.0.1:${pbx.port}`);
    await api.mapCredentials(domain, list);

    // API errors carrying secrets: a wrong token, a duplicate username with another password, a weak
    // password, a password on an unknown list.
    const wrongAuth = await api.as(TEST_ACCOUNT_ENV.EDGE_ACCOUNT_SID, WRONG_TOKEN).request('GET', api.sip('Domains.json'));
    expect(wrongAuth.status).toBe(401);
    const duplicate = await api.request('POST', api.sip(`CredentialLists/${list}/Credentials.json`), { Username: USER, Password: SECOND_PASSWORD });
    expect(duplicate.status).toBeGreaterThanOrEqual(400);
    const weak = await api.request('POST', api.sip(`CredentialLists/${list}/Credentials.json`), { Username: 'second', Password: 'weak' });
    expect(weak.status).toBeGreaterThanOrEqual(400);
    const unknownList = await api.request('POST', api.sip('CredentialLists/CL00000000000000000000000000000000/Credentials.json'), { Username: 'second', Password: SECOND_PASSWORD });
    expect(unknownList.status).toBeGreaterThanOrEqual(400);
    const malformed = await api.request('POST', api.sip(`CredentialLists/${list}/Credentials/${credential}.json`), { Password: SECOND_PASSWORD + '\u0000' });
    expect(malformed.status).toBeGreaterThanOrEqual(200);

    // SIP: accepted calls, wrong passwords up to a ban, the banned source trying the right one.
    const client = await SipClient.open('udp', edge.port, '127.0.0.21');
    const tcp = await SipClient.open('tcp', edge.port, '127.0.0.22');
    try {
      expect((await authenticatedInvite(client, 'logs.ops.test', USER, PASSWORD)).res?.status).toBe(ACCEPTED);
      expect((await authenticatedInvite(tcp, 'logs.ops.test', USER, PASSWORD, 'MD5')).res?.status).toBe(ACCEPTED);
      for (let i = 0; i < 3; i++) expect((await authenticatedInvite(client, 'logs.ops.test', USER, WRONG)).res?.status).toBe(403);
      const banned = await client.request({ host: 'logs.ops.test' }, 800);
      expect(banned.res?.status).toBe(403);
    } finally {
      client.close();
      tcp.close();
    }
    // The requests that carried secrets were logged (so the scan looks at lines about them).
    expect(await waitFor(() => edge.output().includes('"status":401,'), 3000)).toBe(true);
    const text = edge.output();
    expect([...secretKindsIn(text, secrets)]).toEqual([]);
  }, 40_000);

  it('is captured for the suite-wide scan', async () => {
    const dir = logCaptureDir();
    expect(dir).toBeDefined();
    const file = join(dir!, `edge-${edge.pid}.log`);
    expect(await waitFor(() => existsSync(file) && readFileSync(file, 'utf8').includes('"msg":"sip listening"'), 3000)).toBe(true);
  });
});
