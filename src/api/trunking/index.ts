// Every Trunking v1 route (/v1/Trunks...). Paths are under /v1/, which must be behind Basic auth
// (startApi's basicAuthPrefixes); the account acted on is the authenticated one.
import type { FastifyInstance } from 'fastify';
import type { ApiContext } from '../server.ts';
import type { TrunkingOptions } from './options.ts';
import { registerTrunks } from './trunks.ts';
import { registerOriginationUrls } from './origination-urls.ts';
import { registerTrunkLists } from './trunk-lists.ts';
import { registerPhoneNumbers } from './phone-numbers.ts';

export type { TrunkingOptions } from './options.ts';

export function trunkingRoutes(opts: TrunkingOptions = {}): (app: FastifyInstance, ctx: ApiContext) => void {
  return (app, ctx) => {
    registerTrunks(app, ctx, opts);
    registerOriginationUrls(app, ctx, opts);
    registerTrunkLists(app, ctx, opts);
    registerPhoneNumbers(app, ctx, opts);
  };
}
