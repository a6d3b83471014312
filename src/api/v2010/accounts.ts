// /2010-04-01/Accounts.json and /2010-04-01/Accounts/{Sid}.json
import type { FastifyInstance } from 'fastify';
import type { AccountStatus } from '../../gate/view.ts';
import type { ApiContext } from '../server.ts';
import { ApiError, CODES } from '../errors.ts';
import { Params, friendlyName } from '../params.ts';
import { listEnvelope, pageRequest, parsePaging } from '../paging.ts';
import { hashToken, newAuthToken } from '../tokens.ts';
import { rfc2822 } from '../dates.ts';
import { renderAccount } from './render.ts';
import { V2010 } from './uris.ts';
import { orNotFound, pathAccount, query } from './route-helpers.ts';

const STATUSES: readonly AccountStatus[] = ['active', 'suspended', 'closed'];

export function registerAccounts(app: FastifyInstance, ctx: ApiContext): void {
  const { accounts } = ctx.store;

  app.post(`${V2010}/Accounts.json`, async (req, reply) => {
    const auth = ctx.authOf(req);
    const p = new Params(req.body);
    const name = friendlyName(p, 64, CODES.invalidParameter) ?? `SubAccount Created at ${rfc2822(Date.now())}`;
    if (auth.ownerSid !== null) throw new ApiError(403, CODES.forbidden, 'Subaccounts cannot create subaccounts');
    const token = newAuthToken();
    const created = await accounts.create({ ownerSid: auth.sid, friendlyName: name, tokenHash: hashToken(token) });
    reply.code(201);
    return renderAccount(created, token);
  });

  app.get(`${V2010}/Accounts.json`, async (req) => {
    const auth = ctx.authOf(req);
    const q = query(req);
    const paging = parsePaging(q);
    const p = new Params(q);
    const filter = { friendlyName: p.string('FriendlyName', { max: 64 }), status: p.oneOf('Status', STATUSES) };
    const kept: Record<string, string> = {};
    if (filter.friendlyName !== undefined) kept.FriendlyName = filter.friendlyName;
    if (filter.status !== undefined) kept.Status = filter.status;
    const result = await accounts.listVisible(auth.sid, filter, pageRequest(paging));
    return listEnvelope('accounts', `${V2010}/Accounts.json`, paging, result, (a) => renderAccount(a), kept);
  });

  app.get(`${V2010}/Accounts/:Sid.json`, async (req) => {
    return renderAccount(await pathAccount(ctx, req, 'Sid'));
  });

  app.post(`${V2010}/Accounts/:Sid.json`, async (req) => {
    const auth = ctx.authOf(req);
    const target = await pathAccount(ctx, req, 'Sid');
    const p = new Params(req.body);
    const name = friendlyName(p, 64, CODES.invalidParameter);
    const status = p.oneOf('Status', STATUSES);
    if (status !== undefined && status !== target.status) {
      if (target.ownerSid !== auth.sid) throw new ApiError(403, CODES.forbidden, 'Only the parent account can change the status of an account');
      if (target.status === 'closed') throw new ApiError(400, CODES.invalidParameter, 'A closed account cannot be reopened');
    }
    const updated = await accounts.update(target.sid, { friendlyName: name, status });
    return renderAccount(orNotFound(updated, req));
  });
}
