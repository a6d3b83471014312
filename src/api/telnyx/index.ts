// The Telnyx v2 routes, in their own fastify context under /v2 so that errors and unknown paths
// there answer in Telnyx's shape ({"errors":[...]}) rather than Twilio's.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ApiContext } from '../server.ts';
import { StoreError } from '../../store/errors.ts';
import { ApiError } from '../errors.ts';
import { TelnyxError, invalidField, notFound } from './errors.ts';
import { registerConnections } from './connections.ts';

function toTelnyxError(err: unknown, ctx: ApiContext): TelnyxError {
  if (err instanceof TelnyxError) return err;
  if (err instanceof StoreError) {
    if (err.kind === 'duplicate') return invalidField('/user_name', 'The user_name is already taken.');
    if (err.kind === 'limit') return new TelnyxError(422, 10015, 'Maximum number of credential connections reached for this account.');
    if (err.kind === 'not_found') return notFound();
  }
  // Raised by the shared hooks (e.g. the 503 write guard while views cannot be published).
  if (err instanceof ApiError) {
    if (err.status === 401) return new TelnyxError(401, 10009, err.message);
    return new TelnyxError(err.status, err.status >= 500 ? 10007 : 10015, err.message);
  }
  const e = err as Partial<FastifyError>;
  if (e.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return new TelnyxError(413, 10015, 'The request body is too large.');
  if (e.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return new TelnyxError(415, 10015, 'The request body must be JSON.');
  if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    return new TelnyxError(400, 10015, 'The request could not be parsed.');
  }
  ctx.logger?.error({ err: { name: e.name, code: e.code, message: e.message } }, 'telnyx api internal error');
  return new TelnyxError(500, 10007, 'An unexpected error occurred.');
}

export function telnyxRoutes(): (app: FastifyInstance, ctx: ApiContext) => void {
  return (app, ctx) => {
    app.register(
      async (v2) => {
        v2.setErrorHandler((err: unknown, _req: FastifyRequest, reply: FastifyReply) => {
          const te = toTelnyxError(err, ctx);
          reply.code(te.status).type('application/json').send(te.body());
        });
        v2.setNotFoundHandler((_req, reply) => {
          const te = notFound();
          reply.code(404).type('application/json').send(te.body());
        });
        registerConnections(v2, ctx);
      },
      { prefix: '/v2' },
    );
  };
}
