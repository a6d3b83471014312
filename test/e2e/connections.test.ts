// Telnyx-style credential connections through the running process: provisioned over /v2 with the
// account's Bearer token, calls to EDGE_CONNECTIONS_HOST authenticate by the digest username, go
// to the connection's sip_target, are capped by outbound.channel_limit (486), and a deleted
// connection stops authenticating at once.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAnsweringPbx } from '../helpers/answering-pbx.ts';
import type { AnsweringPbx } from '../helpers/answering-pbx.ts';
import { startEdge } from '../helpers/edge-process.ts';
import type { EdgeProcess } from '../helpers/edge-process.ts';
import { sleep } from '../helpers/net.ts';
import { SipClient, authenticatedInvite } from '../helpers/sip-client.ts';
import { TEST_ACCOUNT_ENV, TEST_AUTH_TOKEN } from '../helpers/twilio-api.ts';

const HOST = 'conn.e2e.test';
const USER = 'Conn1user';
const PASSWORD = 'Conn-Pass123';
/** The PBX answers 480 after a while, so a call holds its channel meanwhile. */
const PBX_STATUS = 480;

let pbx: AnsweringPbx;
let edge: EdgeProcess;
let connectionId: string;

async function v2(method: string, path: string, body?: unknown): Promise<{ status: number; body: { data?: { id?: string } } }> {
  const res = await fetch(`http://127.0.0.1:${edge.httpPort}/v2${path}`, {
    method,
    headers: { authorization: `Bearer ${TEST_AUTH_TOKEN}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, body: (await res.json()) as { data?: { id?: string } } };
}

beforeAll(async () => {
  pbx = await startAnsweringPbx(PBX_STATUS, 'Temporarily Unavailable', 1200);
  edge = await startEdge({ ...TEST_ACCOUNT_ENV, EDGE_CONNECTIONS_HOST: HOST });
  const created = await v2('POST', '/credential_connections', {
    connection_name: 'e2e connection',
    user_name: USER,
    password: PASSWORD,
    sip_target: `sip:127.0.0.1:${pbx.port}`,
    outbound: { channel_limit: 1 },
  });
  expect(created.status).toBe(201);
  connectionId = created.body.data!.id!;
}, 30_000);

afterAll(async () => {
  await edge?.stop();
  await pbx?.close();
});

describe('credential connections on EDGE_CONNECTIONS_HOST', () => {
  it('forwards to sip_target and answers 486 beyond the channel limit', async () => {
    const first = await SipClient.open('udp', edge.port);
    const second = await SipClient.open('tcp', edge.port);
    try {
      const inProgress = authenticatedInvite(first, HOST, USER, PASSWORD);
      await sleep(400);
      expect(pbx.invites()).toBe(1);
      const over = await authenticatedInvite(second, HOST, USER, PASSWORD);
      expect(over.res?.status).toBe(486);
      expect(pbx.invites()).toBe(1);
      expect((await inProgress).res?.status).toBe(PBX_STATUS);
      expect(pbx.received()[0]).toContain('\r\nX-Edge-Auth: digest;user=Conn1user\r\n');
      // The channel is free again once the first call ended.
      expect((await authenticatedInvite(second, HOST, USER, PASSWORD)).res?.status).toBe(PBX_STATUS);
    } finally {
      first.close();
      second.close();
    }
  });

  it('stops authenticating a deleted connection within a second', async () => {
    const client = await SipClient.open('udp', edge.port);
    try {
      expect((await v2('DELETE', `/credential_connections/${connectionId}`)).status).toBe(200);
      const deletedAt = Date.now();
      let status: number | undefined;
      do {
        status = (await authenticatedInvite(client, HOST, USER, PASSWORD)).res?.status;
      } while (status !== 403 && Date.now() - deletedAt < 1000);
      expect(status).toBe(403);
    } finally {
      client.close();
    }
  });
});
