// /v1/Trunks/{TrunkSid}/PhoneNumbers[/{Sid}]. sip-edge hosts no phone numbers, so a trunk's list is
// always empty and any phone number SID names nothing (404), as the extract allows.
import type { FastifyInstance } from 'fastify';
import type { ApiContext } from '../server.ts';
import type { TrunkingOptions } from './options.ts';
import { orNotFound, pathOf, query, sidParam } from '../v2010/route-helpers.ts';
import { Params } from '../params.ts';
import { notFound } from '../errors.ts';
import { parseV1Paging, publicBase, v1ListEnvelope } from './v1-page.ts';
import { trunkUrl } from './render.ts';

export function registerPhoneNumbers(app: FastifyInstance, ctx: ApiContext, opts: TrunkingOptions): void {
  const trunks = ctx.store.trunks;
  const base = '/v1/Trunks/:TrunkSid/PhoneNumbers';

  const requireTrunk = async (accountSid: string, req: Parameters<typeof pathOf>[0]) =>
    orNotFound(await trunks.get(accountSid, sidParam(req, 'TrunkSid', 'TK')), req);

  app.get(base, async (req) => {
    const account = ctx.authOf(req);
    const trunk = await requireTrunk(account.sid, req);
    const paging = parseV1Paging(query(req), 1000);
    const origin = publicBase(req, opts.publicUrl);
    return v1ListEnvelope('phone_numbers', `${trunkUrl(origin, trunk.sid)}/PhoneNumbers`, paging, { rows: [] as { sid: string }[], hasMore: false }, () => null);
  });

  app.post(base, async (req) => {
    const account = ctx.authOf(req);
    await requireTrunk(account.sid, req);
    new Params(req.body).sid('PhoneNumberSid', 'PN', { required: true });
    throw notFound(pathOf(req));
  });

  for (const method of ['GET', 'DELETE'] as const) {
    app.route({
      method,
      url: `${base}/:Sid`,
      handler: async (req) => {
        const account = ctx.authOf(req);
        await requireTrunk(account.sid, req);
        throw notFound(pathOf(req));
      },
    });
  }
}
