// Issue 6 against the running process (node src/main.ts, role all, no Redis), data provisioned
// through the REST API, over UDP and over TCP: every outcome of the gate as a caller sees it, and
// API changes reaching the edge within a second. Accepted calls are forwarded to a loopback PBX that
// answers 486, so "486" means "accepted and forwarded", and the PBX counts what reached it.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAnsweringPbx } from '../helpers/answering-pbx.ts';
import type { AnsweringPbx } from '../helpers/answering-pbx.ts';
import { startEdge } from '../helpers/edge-process.ts';
import type { EdgeProcess } from '../helpers/edge-process.ts';
import { sleep } from '../helpers/net.ts';
import { statusWithin } from '../helpers/status-within.ts';
import { SipClient, authenticatedInvite, challenges, digestAuthorization } from '../helpers/sip-client.ts';
import type { BuiltRequest, SipResponseText, SipTransportName } from '../helpers/sip-client.ts';
import { TEST_ACCOUNT_ENV, TEST_AUTH_TOKEN, TwilioApi } from '../helpers/twilio-api.ts';
import { createHash } from 'node:crypto';

const ALICE = { user: 'alice', password: 'Alice-Passw0rd-12' };
const ACCEPTED = 486;

let pbx: AnsweringPbx;
let edge: EdgeProcess;
let api: TwilioApi;
let pbxUri: string;

/** A response with everything that depends on the request (not on the decision) masked. */
function masked(res: SipResponseText, req: BuiltRequest): string {
  return res.text
    .replaceAll(req.callId, '<call-id>')
    .replaceAll(req.branch, '<branch>')
    .replaceAll(req.fromTag, '<from-tag>')
    .replace(/(\r\nTo: [^\r]*;tag=)[^;\r\s>]+/, '$1<to-tag>');
}

beforeAll(async () => {
  pbx = await startAnsweringPbx(ACCEPTED, 'Busy Here');
  pbxUri = `sip:127.0.0.1:${pbx.port}`;
  edge = await startEdge({ ...TEST_ACCOUNT_ENV, EDGE_DIGEST_ALGORITHMS: 'SHA-256,MD5' });
  api = new TwilioApi(edge.httpPort);
  await api.createDomain('open.e2e.test', pbxUri);

  const outside = await api.createAcl('outside');
  await api.addAddress(outside, '192.0.2.1');
  const creds = await api.createCredentialList('alice-list');
  await api.addCredential(creds, ALICE.user, ALICE.password);
  const aclDomain = await api.createDomain('acl.e2e.test', pbxUri);
  await api.mapAcl(aclDomain, outside);
  await api.mapCredentials(aclDomain, creds);

  const loopback = await api.createAcl('loopback');
  await api.addAddress(loopback, '127.0.0.1');
  const authDomain = await api.createDomain('auth.e2e.test', pbxUri);
  await api.mapAcl(authDomain, loopback);
  await api.mapCredentials(authDomain, creds);
}, 30_000);

afterAll(async () => {
  await edge?.stop();
  await pbx?.close();
});

describe.each(['udp', 'tcp'] as SipTransportName[])('the gate over %s', (transport) => {
  let client: SipClient;
  beforeAll(async () => {
    client = await SipClient.open(transport, edge.port);
  });
  afterAll(() => client?.close());

  it('answers 404 for an unknown host', async () => {
    const { res } = await client.request({ host: 'nowhere.e2e.test' });
    expect(res?.status).toBe(404);
    expect(res?.headers('Warning')[0]).toMatch(/^399 \S+ "/);
  });

  it('answers 403 when nothing is mapped', async () => {
    const { res } = await client.request({ host: 'open.e2e.test' });
    expect(res?.status).toBe(403);
  });

  it('answers 403 without a challenge to a source outside the ACL', async () => {
    const { res } = await client.request({ host: 'acl.e2e.test' });
    expect(res?.status).toBe(403);
    expect(res?.headers('Proxy-Authenticate')).toEqual([]);
  });

  it('challenges a request without credentials with one header per configured algorithm', async () => {
    const { res } = await client.request({ host: 'auth.e2e.test' });
    expect(res?.status).toBe(407);
    const offered = challenges(res!);
    expect(offered.map((c) => c.algorithm)).toEqual(['SHA-256', 'MD5']);
    for (const c of offered) {
      expect(c.realm).toBe('sip-edge');
      expect(c.qop).toBe('auth');
      expect(c.stale).toBe(false);
    }
  });

  it.each(['SHA-256', 'MD5'])('accepts and forwards right %s credentials', async (algorithm) => {
    const before = pbx.invites();
    const { res } = await authenticatedInvite(client, 'auth.e2e.test', ALICE.user, ALICE.password, algorithm);
    expect(res?.status).toBe(ACCEPTED);
    expect(pbx.invites()).toBe(before + 1);
    const forwarded = pbx.received().at(-1)!;
    expect(forwarded).not.toMatch(/\r\nProxy-Authorization:/i);
    expect(forwarded).toContain('\r\nX-Edge-Auth: digest;user=alice\r\n');
  });

  it('answers a wrong password and an unknown user with the same 403', async () => {
    const before = pbx.invites();
    const wrong = await authenticatedInvite(client, 'auth.e2e.test', ALICE.user, 'Wrong-Passw0rd-99');
    const unknown = await authenticatedInvite(client, 'auth.e2e.test', 'mallory', 'Wrong-Passw0rd-99');
    expect(wrong.res?.status).toBe(403);
    expect(unknown.res?.status).toBe(403);
    const last = (r: typeof wrong): BuiltRequest => {
      // The masked fields are those of the second (authenticated) request of each attempt.
      const callId = /\r\nCall-ID: (\S+)\r\n/.exec(r.res!.text)![1]!;
      const branch = /branch=([^;\r]+)/.exec(r.res!.text)![1]!;
      const fromTag = /\r\nFrom: [^\r]*;tag=([^;\r]+)/.exec(r.res!.text)![1]!;
      return { text: '', callId, branch, uri: '', method: 'INVITE', cseq: 2, fromTag };
    };
    expect(masked(wrong.res!, last(wrong))).toBe(masked(unknown.res!, last(unknown)));
    expect(masked(wrong.res!, last(wrong))).toMatch(/^SIP\/2\.0 403 [^\r]*\r\n[\s\S]*\r\nWarning: 399 [^\r]+\r\n/);
    expect(masked(wrong.res!, last(wrong))).not.toContain(last(wrong).callId);
    expect(pbx.invites()).toBe(before);
  });

  it('challenges a replayed (nonce, nc) again and does not forward it', async () => {
    const first = await authenticatedInvite(client, 'auth.e2e.test', ALICE.user, ALICE.password);
    expect(first.res?.status).toBe(ACCEPTED);
    const before = pbx.invites();
    const { res } = await client.request({ host: 'auth.e2e.test', extraHeaders: [`Proxy-Authorization: ${first.authorization}`] });
    expect(res?.status).toBe(407);
    expect(challenges(res!).every((c) => !c.stale)).toBe(true);
    expect(pbx.invites()).toBe(before);
  });

  it('answers 603 once the account is suspended through the API', async () => {
    const sub = await api.createSubaccount(`suspended-${transport}`);
    const subApi = api.as(sub.sid, sub.token);
    const acl = await subApi.createAcl('loopback');
    await subApi.addAddress(acl, '127.0.0.1');
    const host = `suspend-${transport}.e2e.test`;
    const domain = await subApi.createDomain(host, pbxUri);
    await subApi.mapAcl(domain, acl);
    const ask = async (): Promise<number | undefined> => (await client.request({ host })).res?.status;
    expect(await statusWithin(1000, ACCEPTED, ask)).toBe(ACCEPTED);
    await api.setAccountStatus(sub.sid, 'suspended');
    const changedAt = Date.now();
    expect(await statusWithin(1000, 603, ask)).toBe(603);
    expect(Date.now() - changedAt).toBeLessThan(1000);
  });

  it('sees an API change within a second: a removed user fails, an added address passes', async () => {
    const list = await api.createCredentialList(`carol-${transport}`);
    const carol = await api.addCredential(list, 'carol', 'Carol-Passw0rd-12');
    const credsHost = `creds-${transport}.e2e.test`;
    const credsDomain = await api.createDomain(credsHost, pbxUri);
    await api.mapCredentials(credsDomain, list);
    const acl = await api.createAcl(`later-${transport}`);
    await api.addAddress(acl, '192.0.2.1');
    const aclHost = `addr-${transport}.e2e.test`;
    const aclDomain = await api.createDomain(aclHost, pbxUri);
    await api.mapAcl(aclDomain, acl);

    const asCarol = async (): Promise<number | undefined> =>
      (await authenticatedInvite(client, credsHost, 'carol', 'Carol-Passw0rd-12')).res?.status;
    expect(await statusWithin(1000, ACCEPTED, asCarol)).toBe(ACCEPTED);
    await api.removeCredential(list, carol);
    let changedAt = Date.now();
    expect(await statusWithin(1000, 403, asCarol)).toBe(403);
    expect(Date.now() - changedAt).toBeLessThan(1000);

    const plain = async (): Promise<number | undefined> => (await client.request({ host: aclHost })).res?.status;
    expect(await plain()).toBe(403);
    await api.addAddress(acl, '127.0.0.1');
    changedAt = Date.now();
    expect(await statusWithin(1000, ACCEPTED, plain)).toBe(ACCEPTED);
    expect(Date.now() - changedAt).toBeLessThan(1000);
  });
});

describe('metrics after the run', () => {
  it('counts requests, responses, decisions and cache lookups without per-user labels', async () => {
    const { status, text } = await api.text('/metrics');
    expect(status).toBe(200);
    expect(text).toMatch(/^sip_requests_total\{method="INVITE",transport="udp"\} [1-9]/m);
    expect(text).toMatch(/^sip_requests_total\{method="INVITE",transport="tcp"\} [1-9]/m);
    expect(text).toMatch(/^sip_responses_total\{code="407"\} [1-9]/m);
    expect(text).toMatch(/^edge_auth_decisions_total\{outcome="reject",reason="auth_failed"\} [1-9]/m);
    expect(text).toMatch(/^edge_auth_decisions_total\{outcome="challenge",reason="replayed_nonce"\} [1-9]/m);
    expect(text).toMatch(/^edge_auth_decisions_total\{outcome="accept",reason="digest"\} [1-9]/m);
    expect(text).toMatch(/^edge_replays_rejected_total [1-9]/m);
    expect(text).toMatch(/^edge_cache_lookups_total\{result="hit"\} [1-9]/m);
    expect(text).not.toContain('alice');
    const ready = await api.text('/readyz');
    expect(ready.status).toBe(200);
  });
});

describe('logs of the run', () => {
  it('hold no password, auth token, HA1 or credentials', () => {
    const text = edge.output();
    expect(text).toContain('"msg":"sip listening"');
    for (const secret of [ALICE.password, 'Wrong-Passw0rd-99', 'Carol-Passw0rd-12', TEST_AUTH_TOKEN]) expect(text).not.toContain(secret);
    for (const algorithm of ['md5', 'sha256']) {
      expect(text).not.toContain(createHash(algorithm).update(`${ALICE.user}:sip-edge:${ALICE.password}`).digest('hex'));
    }
    expect(text).not.toMatch(/Digest |Proxy-Authorization|response=/i);
  });
});

describe('an expired nonce', () => {
  let shortEdge: EdgeProcess;
  beforeAll(async () => {
    shortEdge = await startEdge({ ...TEST_ACCOUNT_ENV, EDGE_NONCE_TTL_S: '1' });
    const shortApi = new TwilioApi(shortEdge.httpPort);
    const list = await shortApi.createCredentialList('alice');
    await shortApi.addCredential(list, ALICE.user, ALICE.password);
    const domain = await shortApi.createDomain('stale.e2e.test', pbxUri);
    await shortApi.mapCredentials(domain, list);
  }, 30_000);
  afterAll(async () => {
    await shortEdge?.stop();
  });

  it.each(['udp', 'tcp'] as SipTransportName[])('is challenged again with stale=true over %s', async (transport) => {
    const client = await SipClient.open(transport, shortEdge.port);
    try {
      const first = await client.request({ host: 'stale.e2e.test' });
      expect(first.res?.status).toBe(407);
      const challenge = challenges(first.res!)[0]!;
      await sleep(2100);
      const authorization = digestAuthorization({ username: ALICE.user, password: ALICE.password, challenge, method: 'INVITE', uri: 'sip:stale.e2e.test' });
      const { res } = await client.request({ host: 'stale.e2e.test', extraHeaders: [`Proxy-Authorization: ${authorization}`] });
      expect(res?.status).toBe(407);
      expect(challenges(res!).map((c) => c.stale)).toEqual([true]);
    } finally {
      client.close();
    }
  });
});
