// Domain mappings, five collections over one store (as at Twilio, legacy and Auth/Calls mappings
// are the same rows):
//   Domains/{SD}/CredentialListMappings            (calls, legacy)
//   Domains/{SD}/IpAccessControlListMappings       (calls, legacy)
//   Domains/{SD}/Auth/Calls/CredentialListMappings
//   Domains/{SD}/Auth/Calls/IpAccessControlListMappings
//   Domains/{SD}/Auth/Registrations/CredentialListMappings
import type { FastifyInstance } from 'fastify';
import type { MappedListKind, MappingPurpose, MappingRecord } from '../../store/types.ts';
import type { ApiContext } from '../server.ts';
import { Params } from '../params.ts';
import { listEnvelope, pageRequest, parsePaging } from '../paging.ts';
import { renderAuthMapping, renderLegacyMapping } from './render.ts';
import { domainPath } from './uris.ts';
import { orNotFound, pathAccount, query, sidParam } from './route-helpers.ts';

interface MappingCollection {
  /** Path below Domains/{DomainSid}/, without .json. */
  path: string;
  kind: MappedListKind;
  purpose: MappingPurpose;
  listKey: string;
  legacy: boolean;
}

const COLLECTIONS: readonly MappingCollection[] = [
  { path: 'CredentialListMappings', kind: 'credential_list', purpose: 'calls', listKey: 'credential_list_mappings', legacy: true },
  { path: 'IpAccessControlListMappings', kind: 'ip_acl', purpose: 'calls', listKey: 'ip_access_control_list_mappings', legacy: true },
  { path: 'Auth/Calls/CredentialListMappings', kind: 'credential_list', purpose: 'calls', listKey: 'contents', legacy: false },
  { path: 'Auth/Calls/IpAccessControlListMappings', kind: 'ip_acl', purpose: 'calls', listKey: 'contents', legacy: false },
  { path: 'Auth/Registrations/CredentialListMappings', kind: 'credential_list', purpose: 'registrations', listKey: 'contents', legacy: false },
];

export function registerDomainMappings(app: FastifyInstance, ctx: ApiContext): void {
  const { mappings } = ctx.store;
  for (const c of COLLECTIONS) {
    const base = `/2010-04-01/Accounts/:AccountSid/SIP/Domains/:DomainSid/${c.path}`;
    const listParam = c.kind === 'credential_list' ? 'CredentialListSid' : 'IpAccessControlListSid';
    const listPrefix = c.kind === 'credential_list' ? 'CL' : 'AL';
    const render = (m: MappingRecord) => (c.legacy ? renderLegacyMapping(m, c.path) : renderAuthMapping(m));

    app.post(`${base}.json`, async (req, reply) => {
      const account = await pathAccount(ctx, req);
      const domainSid = sidParam(req, 'DomainSid', 'SD');
      const listSid = new Params(req.body).sid(listParam, listPrefix, { required: true })!;
      const created = await mappings.create(account.sid, domainSid, c.kind, c.purpose, listSid);
      reply.code(201);
      return render(created);
    });

    app.get(`${base}.json`, async (req) => {
      const account = await pathAccount(ctx, req);
      const domainSid = sidParam(req, 'DomainSid', 'SD');
      const paging = parsePaging(query(req));
      const result = await mappings.list(account.sid, domainSid, c.kind, c.purpose, pageRequest(paging));
      return listEnvelope(c.listKey, `${domainPath(account.sid, domainSid)}/${c.path}.json`, paging, result, render);
    });

    app.get(`${base}/:Sid.json`, async (req) => {
      const account = await pathAccount(ctx, req);
      const domainSid = sidParam(req, 'DomainSid', 'SD');
      const sid = sidParam(req, 'Sid', listPrefix);
      return render(orNotFound(await mappings.get(account.sid, domainSid, c.kind, c.purpose, sid), req));
    });

    app.delete(`${base}/:Sid.json`, async (req, reply) => {
      const account = await pathAccount(ctx, req);
      const domainSid = sidParam(req, 'DomainSid', 'SD');
      const sid = sidParam(req, 'Sid', listPrefix);
      orNotFound((await mappings.delete(account.sid, domainSid, c.kind, c.purpose, sid)) || null, req);
      reply.code(204).send();
    });
  }
}
