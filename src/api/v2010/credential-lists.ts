// /SIP/CredentialLists[/{Sid}].json and /SIP/CredentialLists/{CL}/Credentials[/{Sid}].json
import type { FastifyInstance } from 'fastify';
import type { ApiContext } from '../server.ts';
import { ApiError, CODES } from '../errors.ts';
import { Params, friendlyName } from '../params.ts';
import { listEnvelope, pageRequest, parsePaging } from '../paging.ts';
import { deriveHa1 } from '../../auth/ha1.ts';
import { renderCredential, renderCredentialList } from './render.ts';
import { credentialListsUri, credentialsUri } from './uris.ts';
import { orNotFound, pathAccount, query, sidParam } from './route-helpers.ts';

// Characters a digest username may hold without quoting trouble; ':' is excluded because it
// separates the fields of A1.
const USERNAME = /^[A-Za-z0-9._@+!$&'()*,;=~-]{1,32}$/;

function validateUsername(p: Params): string {
  const v = p.required('Username', { max: 32, code: CODES.credentialValidation });
  if (!USERNAME.test(v)) throw new ApiError(400, CODES.credentialValidation, 'Username must be 1 to 32 characters without spaces, quotes or colons');
  return v;
}

/** Twilio's policy: at least 12 characters with a digit, an upper-case and a lower-case letter. */
function validatePassword(p: Params, required: boolean): string | undefined {
  const v = required
    ? p.required('Password', { max: 256, code: CODES.credentialValidation })
    : p.string('Password', { max: 256, code: CODES.credentialValidation });
  if (v === undefined) return undefined;
  if (v.length < 12 || !/[0-9]/.test(v) || !/[A-Z]/.test(v) || !/[a-z]/.test(v)) {
    throw new ApiError(400, CODES.credentialValidation, 'Password must be at least 12 characters long and contain a digit, an upper-case and a lower-case letter');
  }
  return v;
}

export function registerCredentialLists(app: FastifyInstance, ctx: ApiContext): void {
  const lists = ctx.store.credentialLists;
  const base = '/2010-04-01/Accounts/:AccountSid/SIP/CredentialLists';

  app.post(`${base}.json`, async (req, reply) => {
    const account = await pathAccount(ctx, req);
    const name = friendlyName(new Params(req.body), 64, CODES.credentialListValidation, true)!;
    reply.code(201);
    return renderCredentialList(await lists.create(account.sid, name));
  });

  app.get(`${base}.json`, async (req) => {
    const account = await pathAccount(ctx, req);
    const paging = parsePaging(query(req));
    const result = await lists.list(account.sid, pageRequest(paging));
    return listEnvelope('credential_lists', credentialListsUri(account.sid), paging, result, renderCredentialList);
  });

  app.get(`${base}/:Sid.json`, async (req) => {
    const account = await pathAccount(ctx, req);
    return renderCredentialList(orNotFound(await lists.get(account.sid, sidParam(req, 'Sid', 'CL')), req));
  });

  app.post(`${base}/:Sid.json`, async (req) => {
    const account = await pathAccount(ctx, req);
    const sid = sidParam(req, 'Sid', 'CL');
    const name = friendlyName(new Params(req.body), 64, CODES.credentialListValidation, true)!;
    return renderCredentialList(orNotFound(await lists.update(account.sid, sid, name), req));
  });

  app.delete(`${base}/:Sid.json`, async (req, reply) => {
    const account = await pathAccount(ctx, req);
    orNotFound((await lists.delete(account.sid, sidParam(req, 'Sid', 'CL'))) || null, req);
    reply.code(204).send();
  });

  const creds = `${base}/:CredentialListSid/Credentials`;

  app.post(`${creds}.json`, async (req, reply) => {
    const account = await pathAccount(ctx, req);
    const listSid = sidParam(req, 'CredentialListSid', 'CL');
    const p = new Params(req.body);
    const username = validateUsername(p);
    const password = validatePassword(p, true)!;
    const created = await lists.createCredential(account.sid, listSid, username, deriveHa1(username, ctx.realm, password));
    reply.code(201);
    return renderCredential(created);
  });

  app.get(`${creds}.json`, async (req) => {
    const account = await pathAccount(ctx, req);
    const listSid = sidParam(req, 'CredentialListSid', 'CL');
    const paging = parsePaging(query(req));
    const result = await lists.listCredentials(account.sid, listSid, pageRequest(paging));
    return listEnvelope('credentials', credentialsUri(account.sid, listSid), paging, result, renderCredential);
  });

  app.get(`${creds}/:Sid.json`, async (req) => {
    const account = await pathAccount(ctx, req);
    const listSid = sidParam(req, 'CredentialListSid', 'CL');
    return renderCredential(orNotFound(await lists.getCredential(account.sid, listSid, sidParam(req, 'Sid', 'CR')), req));
  });

  app.post(`${creds}/:Sid.json`, async (req) => {
    const account = await pathAccount(ctx, req);
    const listSid = sidParam(req, 'CredentialListSid', 'CL');
    const sid = sidParam(req, 'Sid', 'CR');
    const password = validatePassword(new Params(req.body), false);
    const current = orNotFound(await lists.getCredential(account.sid, listSid, sid), req);
    const ha1 = password === undefined ? null : deriveHa1(current.username, ctx.realm, password);
    return renderCredential(orNotFound(await lists.updateCredential(account.sid, listSid, sid, ha1), req));
  });

  app.delete(`${creds}/:Sid.json`, async (req, reply) => {
    const account = await pathAccount(ctx, req);
    const listSid = sidParam(req, 'CredentialListSid', 'CL');
    orNotFound((await lists.deleteCredential(account.sid, listSid, sidParam(req, 'Sid', 'CR'))) || null, req);
    reply.code(204).send();
  });
}
