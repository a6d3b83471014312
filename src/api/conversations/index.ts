// Every Conversations v1 route of this service (push credentials). Under /v1/, behind Basic auth.
import type { FastifyInstance } from 'fastify';
import type { ApiContext } from '../server.ts';
import type { TrunkingOptions } from '../trunking/options.ts';
import { registerCredentials } from './credentials.ts';

export function conversationsRoutes(opts: Pick<TrunkingOptions, 'publicUrl'> = {}): (app: FastifyInstance, ctx: ApiContext) => void {
  return (app, ctx) => registerCredentials(app, ctx, opts);
}
