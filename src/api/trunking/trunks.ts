// /v1/Trunks[/{Sid}] and /v1/Trunks/{Sid}/Recording.
import type { FastifyInstance } from 'fastify';
import type { ApiContext } from '../server.ts';
import type { TrunkingOptions } from './options.ts';
import { orNotFound, pathOf, query, sidParam } from '../v2010/route-helpers.ts';
import { pageRequest } from '../paging.ts';
import { parseV1Paging, publicBase, v1ListEnvelope } from './v1-page.ts';
import { renderRecording, renderTrunk, trunksUrl } from './render.ts';
import { TRUNK_DEFAULTS, recordingFrom, trunkFieldsFrom } from './trunk-params.ts';
import { trunkCall } from './errors.ts';

export function registerTrunks(app: FastifyInstance, ctx: ApiContext, opts: TrunkingOptions): void {
  const trunks = ctx.store.trunks;
  const rules = { suffix: opts.trunkDomainSuffix, reserved: opts.reservedHosts };

  app.post('/v1/Trunks', async (req, reply) => {
    const account = ctx.authOf(req);
    const fields = { ...TRUNK_DEFAULTS, ...trunkFieldsFrom(req.body, rules) };
    const created = await trunkCall(pathOf(req), () => trunks.create(account.sid, fields));
    reply.code(201);
    return renderTrunk(publicBase(req, opts.publicUrl), created);
  });

  app.get('/v1/Trunks', async (req) => {
    const account = ctx.authOf(req);
    const paging = parseV1Paging(query(req), 1000);
    const base = publicBase(req, opts.publicUrl);
    const result = await trunkCall(pathOf(req), () => trunks.list(account.sid, pageRequest(paging)));
    return v1ListEnvelope('trunks', trunksUrl(base), paging, result, (t) => renderTrunk(base, t));
  });

  app.get('/v1/Trunks/:Sid', async (req) => {
    const account = ctx.authOf(req);
    const trunk = orNotFound(await trunks.get(account.sid, sidParam(req, 'Sid', 'TK')), req);
    return renderTrunk(publicBase(req, opts.publicUrl), trunk);
  });

  app.post('/v1/Trunks/:Sid', async (req) => {
    const account = ctx.authOf(req);
    const sid = sidParam(req, 'Sid', 'TK');
    const patch = trunkFieldsFrom(req.body, rules);
    const updated = await trunkCall(pathOf(req), () => trunks.update(account.sid, sid, patch));
    return renderTrunk(publicBase(req, opts.publicUrl), orNotFound(updated, req));
  });

  app.delete('/v1/Trunks/:Sid', async (req, reply) => {
    const account = ctx.authOf(req);
    orNotFound((await trunks.delete(account.sid, sidParam(req, 'Sid', 'TK'))) || null, req);
    reply.code(204).send();
  });

  app.get('/v1/Trunks/:TrunkSid/Recording', async (req) => {
    const account = ctx.authOf(req);
    const trunk = orNotFound(await trunks.get(account.sid, sidParam(req, 'TrunkSid', 'TK')), req);
    return renderRecording(trunk.recording);
  });

  app.post('/v1/Trunks/:TrunkSid/Recording', async (req) => {
    const account = ctx.authOf(req);
    const sid = sidParam(req, 'TrunkSid', 'TK');
    const patch = recordingFrom(req.body);
    return renderRecording(orNotFound(await trunks.setRecording(account.sid, sid, patch), req));
  });
}
