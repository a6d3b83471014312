// /v2/credential_connections[/{id}]: create (201), list, retrieve, PATCH, delete (200 with data).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ApiContext } from '../server.ts';
import type { ConnectionPatch, ConnectionRecord } from '../../store/connections.ts';
import type { AccountRecord } from '../../store/types.ts';
import { deriveHa1 } from '../../auth/ha1.ts';
import { bearerAccount } from './bearer-auth.ts';
import { connectionJson } from './connection-json.ts';
import { mergeSettings, parseCreateBody, parsePatchBody } from './connection-body.ts';
import { missingField, notFound } from './errors.ts';
import { pageMeta, parseConnectionListQuery } from './list-query.ts';

const ID = /^[0-9]{1,20}$/;

function idParam(req: FastifyRequest): string {
  const id = (req.params as Record<string, string | undefined>).id;
  if (id === undefined || !ID.test(id)) throw notFound();
  return id;
}

function found(c: ConnectionRecord | null): ConnectionRecord {
  if (c === null) throw notFound();
  return c;
}

export function registerConnections(app: FastifyInstance, ctx: ApiContext): void {
  const connections = ctx.store.connections;
  const auth = (req: FastifyRequest): Promise<AccountRecord> => bearerAccount(req.headers.authorization, ctx.store);

  app.post('/credential_connections', async (req, reply) => {
    const account = await auth(req);
    const input = parseCreateBody(req.body);
    const ha1 = deriveHa1(input.userName, ctx.realm, input.password);
    const created = await connections.create(
      account.sid,
      { connectionName: input.connectionName, userName: input.userName, active: input.active, sipTarget: input.sipTarget, settings: input.settings },
      ha1,
    );
    reply.code(201);
    return { data: connectionJson(created) };
  });

  app.get('/credential_connections', async (req) => {
    const account = await auth(req);
    const q = parseConnectionListQuery((req.query ?? {}) as Record<string, unknown>);
    const { rows, total } = await connections.list(account.sid, {
      nameContains: q.nameContains,
      outboundVoiceProfileId: q.outboundVoiceProfileId,
      sort: q.sort,
      offset: (q.pageNumber - 1) * q.pageSize,
      limit: q.pageSize,
    });
    return { data: rows.map(connectionJson), meta: pageMeta(q, total) };
  });

  app.get('/credential_connections/:id', async (req) => {
    const account = await auth(req);
    return { data: connectionJson(found(await connections.get(account.sid, idParam(req)))) };
  });

  app.patch('/credential_connections/:id', async (req) => {
    const account = await auth(req);
    const id = idParam(req);
    const input = parsePatchBody(req.body);
    const cur = found(await connections.get(account.sid, id));
    const userName = input.userName ?? cur.userName;
    // HA1 hashes the user name: a new user name needs the password to derive new HA1s.
    if (userName !== cur.userName && input.password === undefined) throw missingField('password');
    const patch: ConnectionPatch = {};
    if (input.connectionName !== undefined) patch.connectionName = input.connectionName;
    if (input.userName !== undefined) patch.userName = input.userName;
    if (input.password !== undefined) patch.ha1 = deriveHa1(userName, ctx.realm, input.password);
    if (input.active !== undefined) patch.active = input.active;
    if (input.sipTarget !== undefined) patch.sipTarget = input.sipTarget;
    if (Object.keys(input.settings.top ?? {}).length > 0 || input.settings.inbound || input.settings.outbound || input.settings.rtcp_settings) {
      patch.settings = mergeSettings(cur.settings, input.settings);
    }
    return { data: connectionJson(found(await connections.update(account.sid, id, patch))) };
  });

  app.delete('/credential_connections/:id', async (req) => {
    const account = await auth(req);
    return { data: connectionJson(found(await connections.delete(account.sid, idParam(req)))) };
  });
}
