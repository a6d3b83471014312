// /SIP/IpAccessControlLists[/{Sid}].json and /SIP/IpAccessControlLists/{AL}/IpAddresses[/{Sid}].json
import type { FastifyInstance } from 'fastify';
import type { ApiContext } from '../server.ts';
import { ApiError, CODES } from '../errors.ts';
import { Params, friendlyName } from '../params.ts';
import { listEnvelope, pageRequest, parsePaging } from '../paging.ts';
import { maxPrefix, parseIpAddress } from '../ip-address.ts';
import { renderIpAcl, renderIpAddress } from './render.ts';
import { ipAclsUri, ipAddressesUri } from './uris.ts';
import { orNotFound, pathAccount, query, sidParam } from './route-helpers.ts';

function readAddress(p: Params, required: boolean): { address: string; family: 4 | 6 } | undefined {
  const text = required
    ? p.required('IpAddress', { max: 45, code: CODES.ipAddressValidation })
    : p.string('IpAddress', { max: 45, code: CODES.ipAddressValidation });
  if (text === undefined) return undefined;
  const parsed = parseIpAddress(text);
  if (!parsed) throw new ApiError(400, CODES.ipAddressValidation, 'IpAddress must be an IPv4 or IPv6 address');
  return parsed;
}

function readPrefix(p: Params): number | undefined {
  return p.integer('CidrPrefixLength', 0, 128, CODES.ipAddressValidation);
}

function checkPrefix(prefix: number, family: 4 | 6): void {
  if (prefix > maxPrefix(family)) {
    throw new ApiError(400, CODES.ipAddressValidation, `CidrPrefixLength must be between 0 and ${maxPrefix(family)} for this address`);
  }
}

export function registerIpAcls(app: FastifyInstance, ctx: ApiContext): void {
  const acls = ctx.store.ipAcls;
  const base = '/2010-04-01/Accounts/:AccountSid/SIP/IpAccessControlLists';

  app.post(`${base}.json`, async (req, reply) => {
    const account = await pathAccount(ctx, req);
    const name = friendlyName(new Params(req.body), 255, CODES.ipAclValidation, true)!;
    reply.code(201);
    return renderIpAcl(await acls.create(account.sid, name));
  });

  app.get(`${base}.json`, async (req) => {
    const account = await pathAccount(ctx, req);
    const paging = parsePaging(query(req));
    const result = await acls.list(account.sid, pageRequest(paging));
    return listEnvelope('ip_access_control_lists', ipAclsUri(account.sid), paging, result, renderIpAcl);
  });

  app.get(`${base}/:Sid.json`, async (req) => {
    const account = await pathAccount(ctx, req);
    return renderIpAcl(orNotFound(await acls.get(account.sid, sidParam(req, 'Sid', 'AL')), req));
  });

  app.post(`${base}/:Sid.json`, async (req) => {
    const account = await pathAccount(ctx, req);
    const sid = sidParam(req, 'Sid', 'AL');
    const name = friendlyName(new Params(req.body), 255, CODES.ipAclValidation, true)!;
    return renderIpAcl(orNotFound(await acls.update(account.sid, sid, name), req));
  });

  app.delete(`${base}/:Sid.json`, async (req, reply) => {
    const account = await pathAccount(ctx, req);
    orNotFound((await acls.delete(account.sid, sidParam(req, 'Sid', 'AL'))) || null, req);
    reply.code(204).send();
  });

  const addrs = `${base}/:IpAccessControlListSid/IpAddresses`;

  app.post(`${addrs}.json`, async (req, reply) => {
    const account = await pathAccount(ctx, req);
    const aclSid = sidParam(req, 'IpAccessControlListSid', 'AL');
    const p = new Params(req.body);
    const name = friendlyName(p, 255, CODES.ipAddressValidation, true)!;
    const ip = readAddress(p, true)!;
    const prefix = readPrefix(p) ?? maxPrefix(ip.family);
    checkPrefix(prefix, ip.family);
    const created = await acls.createAddress(account.sid, aclSid, { friendlyName: name, ipAddress: ip.address, cidrPrefixLength: prefix });
    reply.code(201);
    return renderIpAddress(created);
  });

  app.get(`${addrs}.json`, async (req) => {
    const account = await pathAccount(ctx, req);
    const aclSid = sidParam(req, 'IpAccessControlListSid', 'AL');
    const paging = parsePaging(query(req));
    const result = await acls.listAddresses(account.sid, aclSid, pageRequest(paging));
    return listEnvelope('ip_addresses', ipAddressesUri(account.sid, aclSid), paging, result, renderIpAddress);
  });

  app.get(`${addrs}/:Sid.json`, async (req) => {
    const account = await pathAccount(ctx, req);
    const aclSid = sidParam(req, 'IpAccessControlListSid', 'AL');
    return renderIpAddress(orNotFound(await acls.getAddress(account.sid, aclSid, sidParam(req, 'Sid', 'IP')), req));
  });

  app.post(`${addrs}/:Sid.json`, async (req) => {
    const account = await pathAccount(ctx, req);
    const aclSid = sidParam(req, 'IpAccessControlListSid', 'AL');
    const sid = sidParam(req, 'Sid', 'IP');
    const p = new Params(req.body);
    const name = friendlyName(p, 255, CODES.ipAddressValidation);
    const ip = readAddress(p, false);
    const prefixGiven = readPrefix(p);
    const current = orNotFound(await acls.getAddress(account.sid, aclSid, sid), req);
    const family = ip?.family ?? (current.ipAddress.includes(':') ? 6 : 4);
    // A new address of the other family without a prefix takes that family's full length.
    const prefix = prefixGiven ?? (ip && current.cidrPrefixLength > maxPrefix(family) ? maxPrefix(family) : current.cidrPrefixLength);
    checkPrefix(prefix, family);
    const updated = await acls.updateAddress(account.sid, aclSid, sid, {
      friendlyName: name,
      ipAddress: ip?.address,
      cidrPrefixLength: prefix,
    });
    return renderIpAddress(orNotFound(updated, req));
  });

  app.delete(`${addrs}/:Sid.json`, async (req, reply) => {
    const account = await pathAccount(ctx, req);
    const aclSid = sidParam(req, 'IpAccessControlListSid', 'AL');
    orNotFound((await acls.deleteAddress(account.sid, aclSid, sidParam(req, 'Sid', 'IP'))) || null, req);
    reply.code(204).send();
  });
}
