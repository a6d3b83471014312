// /v1/Credentials[/{Sid}]: Conversations push credentials. Secrets are accepted, sealed at rest
// with EDGE_SECRET_KEY and never returned; without a key, a request carrying a secret is refused.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ApiContext } from '../server.ts';
import type { PushCredentialRecord, PushSecrets } from '../../store/push-credentials.ts';
import type { TrunkingOptions } from '../trunking/options.ts';
import { orNotFound, query, sidParam } from '../v2010/route-helpers.ts';
import { ApiError, CODES } from '../errors.ts';
import { pageRequest } from '../paging.ts';
import { SecretKeyError } from '../../store/secret-box.ts';
import { StoreError } from '../../store/errors.ts';
import { isoDate, parseV1Paging, publicBase, v1ListEnvelope } from '../trunking/v1-page.ts';
import { createFieldsFrom, secretsFrom, updateFieldsFrom } from './credential-params.ts';

const MAX_PAGE_SIZE = 100;
export const NO_SECRET_KEY_CODE = 20503;

function render(base: string, c: PushCredentialRecord): Record<string, unknown> {
  return {
    sid: c.sid,
    account_sid: c.accountSid,
    friendly_name: c.friendlyName,
    type: c.type,
    sandbox: c.sandbox ? 'True' : 'False',
    date_created: isoDate(c.dateCreated),
    date_updated: isoDate(c.dateUpdated),
    url: `${base}/v1/Credentials/${c.sid}`,
  };
}

function noKey(): ApiError {
  return new ApiError(503, NO_SECRET_KEY_CODE, 'Push credential secrets cannot be stored: EDGE_SECRET_KEY is not configured on this server');
}

async function guarded<T>(req: FastifyRequest, secrets: PushSecrets, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof SecretKeyError && Object.keys(secrets).length > 0) throw noKey();
    if (err instanceof StoreError && err.kind === 'limit') {
      throw new ApiError(400, CODES.invalidParameter, 'Maximum number of push credentials reached for this account');
    }
    if (err instanceof StoreError && err.subject === 'page_token') throw new ApiError(400, CODES.invalidPageToken, 'Invalid PageToken');
    if (err instanceof StoreError && err.kind === 'not_found') orNotFound(null, req);
    throw err;
  }
}

export function registerCredentials(app: FastifyInstance, ctx: ApiContext, opts: TrunkingOptions): void {
  const creds = ctx.store.pushCredentials;

  app.post('/v1/Credentials', async (req, reply) => {
    const account = ctx.authOf(req);
    const fields = createFieldsFrom(req.body);
    const secrets = secretsFrom(req.body);
    const created = await guarded(req, secrets, () => creds.create(account.sid, fields, secrets));
    reply.code(201);
    return render(publicBase(req, opts.publicUrl), created);
  });

  app.get('/v1/Credentials', async (req) => {
    const account = ctx.authOf(req);
    const paging = parseV1Paging(query(req), MAX_PAGE_SIZE);
    const base = publicBase(req, opts.publicUrl);
    const result = await guarded(req, {}, () => creds.list(account.sid, pageRequest(paging)));
    return v1ListEnvelope('credentials', `${base}/v1/Credentials`, paging, result, (c) => render(base, c));
  });

  app.get('/v1/Credentials/:Sid', async (req) => {
    const account = ctx.authOf(req);
    return render(publicBase(req, opts.publicUrl), orNotFound(await creds.get(account.sid, sidParam(req, 'Sid', 'CR')), req));
  });

  app.post('/v1/Credentials/:Sid', async (req) => {
    const account = ctx.authOf(req);
    const sid = sidParam(req, 'Sid', 'CR');
    const patch = updateFieldsFrom(req.body);
    const secrets = secretsFrom(req.body);
    const updated = await guarded(req, secrets, () => creds.update(account.sid, sid, patch, secrets));
    return render(publicBase(req, opts.publicUrl), orNotFound(updated, req));
  });

  app.delete('/v1/Credentials/:Sid', async (req, reply) => {
    const account = ctx.authOf(req);
    orNotFound((await creds.delete(account.sid, sidParam(req, 'Sid', 'CR'))) || null, req);
    reply.code(204).send();
  });
}
