// Every v2010 route of this service.
import type { FastifyInstance } from 'fastify';
import type { ApiContext } from '../server.ts';
import { registerAccounts } from './accounts.ts';
import { registerDomains } from './domains.ts';
import { registerDomainMappings } from './domain-mappings.ts';
import { registerCredentialLists } from './credential-lists.ts';
import { registerIpAcls } from './ip-acls.ts';

export function registerV2010(app: FastifyInstance, ctx: ApiContext): void {
  registerAccounts(app, ctx);
  registerDomains(app, ctx);
  registerDomainMappings(app, ctx);
  registerCredentialLists(app, ctx);
  registerIpAcls(app, ctx);
}
