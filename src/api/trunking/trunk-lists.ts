// /v1/Trunks/{TrunkSid}/CredentialLists[/{Sid}] and /v1/Trunks/{TrunkSid}/IpAccessControlLists[/{Sid}]:
// associations of the account's credential lists and IP ACLs with a trunk.
import type { FastifyInstance } from 'fastify';
import type { ApiContext } from '../server.ts';
import type { TrunkListKind } from '../../store/trunks.ts';
import type { TrunkingOptions } from './options.ts';
import { orNotFound, pathOf, query, sidParam } from '../v2010/route-helpers.ts';
import { Params } from '../params.ts';
import { pageRequest } from '../paging.ts';
import { parseV1Paging, publicBase, v1ListEnvelope } from './v1-page.ts';
import { renderTrunkList, trunkUrl } from './render.ts';
import { trunkCall } from './errors.ts';

interface ListResource {
  kind: TrunkListKind;
  /** URL segment and list key. */
  collection: string;
  key: string;
  /** Form parameter naming the list, and the list SID prefix. */
  param: string;
  prefix: string;
}

const RESOURCES: readonly ListResource[] = [
  { kind: 'credential_list', collection: 'CredentialLists', key: 'credential_lists', param: 'CredentialListSid', prefix: 'CL' },
  { kind: 'ip_acl', collection: 'IpAccessControlLists', key: 'ip_access_control_lists', param: 'IpAccessControlListSid', prefix: 'AL' },
];

export function registerTrunkLists(app: FastifyInstance, ctx: ApiContext, opts: TrunkingOptions): void {
  const trunks = ctx.store.trunks;
  for (const r of RESOURCES) {
    const base = `/v1/Trunks/:TrunkSid/${r.collection}`;

    app.post(base, async (req, reply) => {
      const account = ctx.authOf(req);
      const trunkSid = sidParam(req, 'TrunkSid', 'TK');
      const listSid = new Params(req.body).sid(r.param, r.prefix, { required: true })!;
      const created = await trunkCall(pathOf(req), () => trunks.addList(account.sid, trunkSid, r.kind, listSid));
      reply.code(201);
      return renderTrunkList(publicBase(req, opts.publicUrl), r.collection, created);
    });

    app.get(base, async (req) => {
      const account = ctx.authOf(req);
      const trunkSid = sidParam(req, 'TrunkSid', 'TK');
      const paging = parseV1Paging(query(req), 1000);
      const origin = publicBase(req, opts.publicUrl);
      const result = await trunkCall(pathOf(req), () => trunks.listLists(account.sid, trunkSid, r.kind, pageRequest(paging)));
      return v1ListEnvelope(r.key, `${trunkUrl(origin, trunkSid)}/${r.collection}`, paging, result, (l) => renderTrunkList(origin, r.collection, l));
    });

    app.get(`${base}/:Sid`, async (req) => {
      const account = ctx.authOf(req);
      const found = await trunks.getList(account.sid, sidParam(req, 'TrunkSid', 'TK'), r.kind, sidParam(req, 'Sid', r.prefix));
      return renderTrunkList(publicBase(req, opts.publicUrl), r.collection, orNotFound(found, req));
    });

    app.delete(`${base}/:Sid`, async (req, reply) => {
      const account = ctx.authOf(req);
      const removed = await trunks.removeList(account.sid, sidParam(req, 'TrunkSid', 'TK'), r.kind, sidParam(req, 'Sid', r.prefix));
      orNotFound(removed || null, req);
      reply.code(204).send();
    });
  }
}
