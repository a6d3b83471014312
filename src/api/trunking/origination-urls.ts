// /v1/Trunks/{TrunkSid}/OriginationUrls[/{Sid}]
import type { FastifyInstance } from 'fastify';
import type { ApiContext } from '../server.ts';
import type { OriginationUrlFields } from '../../store/trunks.ts';
import type { TrunkingOptions } from './options.ts';
import { orNotFound, pathOf, query, sidParam } from '../v2010/route-helpers.ts';
import { pageRequest } from '../paging.ts';
import { parseV1Paging, publicBase, v1ListEnvelope } from './v1-page.ts';
import { renderOriginationUrl, trunkUrl } from './render.ts';
import { originationUrlFrom } from './trunk-params.ts';
import { trunkCall } from './errors.ts';

export function registerOriginationUrls(app: FastifyInstance, ctx: ApiContext, opts: TrunkingOptions): void {
  const trunks = ctx.store.trunks;
  const base = '/v1/Trunks/:TrunkSid/OriginationUrls';

  app.post(base, async (req, reply) => {
    const account = ctx.authOf(req);
    const trunkSid = sidParam(req, 'TrunkSid', 'TK');
    const fields = originationUrlFrom(req.body, true) as OriginationUrlFields;
    const created = await trunkCall(pathOf(req), () => trunks.createOriginationUrl(account.sid, trunkSid, fields));
    reply.code(201);
    return renderOriginationUrl(publicBase(req, opts.publicUrl), created);
  });

  app.get(base, async (req) => {
    const account = ctx.authOf(req);
    const trunkSid = sidParam(req, 'TrunkSid', 'TK');
    const paging = parseV1Paging(query(req), 1000);
    const origin = publicBase(req, opts.publicUrl);
    const result = await trunkCall(pathOf(req), () => trunks.listOriginationUrls(account.sid, trunkSid, pageRequest(paging)));
    return v1ListEnvelope('origination_urls', `${trunkUrl(origin, trunkSid)}/OriginationUrls`, paging, result, (o) => renderOriginationUrl(origin, o));
  });

  app.get(`${base}/:Sid`, async (req) => {
    const account = ctx.authOf(req);
    const ou = await trunks.getOriginationUrl(account.sid, sidParam(req, 'TrunkSid', 'TK'), sidParam(req, 'Sid', 'OU'));
    return renderOriginationUrl(publicBase(req, opts.publicUrl), orNotFound(ou, req));
  });

  app.post(`${base}/:Sid`, async (req) => {
    const account = ctx.authOf(req);
    const trunkSid = sidParam(req, 'TrunkSid', 'TK');
    const sid = sidParam(req, 'Sid', 'OU');
    const patch = originationUrlFrom(req.body, false);
    const updated = await trunkCall(pathOf(req), () => trunks.updateOriginationUrl(account.sid, trunkSid, sid, patch));
    return renderOriginationUrl(publicBase(req, opts.publicUrl), orNotFound(updated, req));
  });

  app.delete(`${base}/:Sid`, async (req, reply) => {
    const account = ctx.authOf(req);
    const removed = await trunks.deleteOriginationUrl(account.sid, sidParam(req, 'TrunkSid', 'TK'), sidParam(req, 'Sid', 'OU'));
    orNotFound(removed || null, req);
    reply.code(204).send();
  });
}
