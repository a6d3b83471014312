// The HTTP server: fastify with form bodies, a body size cap, Basic auth on the Twilio paths, and
// every error rendered as Twilio's error body. Route modules register on it through ApiContext.
import Fastify from 'fastify';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import formbody from '@fastify/formbody';
import type { Logger } from 'pino';
import type { AccountRecord, Store } from '../store/types.ts';
import { StoreError } from '../store/errors.ts';
import { ApiError, CODES, errorBody } from './errors.ts';
import { authenticate } from './basic-auth.ts';
import { fromStoreError } from './store-errors.ts';

export interface ApiContext {
  store: Store;
  /** Digest realm the HA1s are derived for (EDGE_REALM). */
  realm: string;
  /** When set, every domain_name must end with it (EDGE_DOMAIN_SUFFIX). */
  domainSuffix: string | undefined;
  logger: Logger | undefined;
  /** The account authenticated for this request (Twilio paths only). */
  authOf(req: FastifyRequest): AccountRecord;
}

export interface ServerOptions {
  store: Store;
  realm: string;
  domainSuffix?: string;
  logger?: Logger;
  /** Request body cap in bytes (default 64 KiB); larger bodies get 413. */
  bodyLimit?: number;
  /** Prefixes of paths that need Basic auth. */
  basicAuthPrefixes?: string[];
  /**
   * Asked before every write (POST/PATCH/PUT/DELETE); false answers 503 and writes nothing. The
   * cache layer uses it when it cannot publish views (Redis down), so SQL and caches never diverge.
   */
  writesAvailable?: () => boolean;
}

function pathOf(req: FastifyRequest): string {
  const q = req.url.indexOf('?');
  return q < 0 ? req.url : req.url.slice(0, q);
}

export function buildServer(options: ServerOptions): { app: FastifyInstance; ctx: ApiContext } {
  // fastify's own logger stays off: our access log below never includes headers or bodies.
  const app = Fastify({ logger: false, bodyLimit: options.bodyLimit ?? 64 * 1024, return503OnClosing: true });
  app.register(formbody, { bodyLimit: options.bodyLimit ?? 64 * 1024 });
  const authenticated = new WeakMap<FastifyRequest, AccountRecord>();
  const prefixes = options.basicAuthPrefixes ?? ['/2010-04-01/'];
  const log = options.logger;

  app.addHook('onRequest', async (req) => {
    const path = pathOf(req);
    if (!prefixes.some((p) => path.startsWith(p))) return;
    const account = await authenticate(req.headers.authorization, options.store.accounts);
    authenticated.set(req, account);
  });

  const writesAvailable = options.writesAvailable;
  if (writesAvailable) {
    app.addHook('preHandler', async (req) => {
      if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') return;
      if (!writesAvailable()) throw new ApiError(503, CODES.unavailable, 'Service temporarily unavailable: changes cannot be published; retry later');
    });
  }

  app.addHook('onResponse', async (req, reply) => {
    log?.info({ method: req.method, path: pathOf(req), status: reply.statusCode, ms: Math.round(reply.elapsedTime) }, 'api request');
  });

  app.setErrorHandler((err: unknown, req: FastifyRequest, reply: FastifyReply) => {
    let apiErr: ApiError;
    if (err instanceof ApiError) apiErr = err;
    else if (err instanceof StoreError) apiErr = fromStoreError(err, pathOf(req));
    else {
      const e = err as { code?: string; statusCode?: number; message?: string; name?: string };
      if (e.code === 'FST_ERR_CTP_BODY_TOO_LARGE') apiErr = new ApiError(413, CODES.bodyTooLarge, 'Request body too large');
      else if (e.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') apiErr = new ApiError(415, CODES.invalidParameter, 'Unsupported Content-Type');
      else if (e.statusCode && e.statusCode >= 400 && e.statusCode < 500) apiErr = new ApiError(e.statusCode, CODES.invalidParameter, 'Bad request');
      else {
        log?.error({ err: { name: e.name, code: e.code, message: e.message } }, 'api internal error');
        apiErr = new ApiError(500, CODES.internal, 'Internal server error');
      }
    }
    if (apiErr.status === 401) reply.header('WWW-Authenticate', `Basic realm="${options.realm}"`);
    reply.code(apiErr.status).type('application/json').send(errorBody(apiErr));
  });

  app.setNotFoundHandler((req, reply) => {
    reply.code(404).send(errorBody(new ApiError(404, CODES.notFound, `The requested resource ${pathOf(req)} was not found`)));
  });

  const ctx: ApiContext = {
    store: options.store,
    realm: options.realm,
    domainSuffix: options.domainSuffix,
    logger: log,
    authOf(req) {
      const a = authenticated.get(req);
      if (!a) throw new ApiError(401, CODES.authenticate, 'Authenticate');
      return a;
    },
  };
  return { app, ctx };
}
