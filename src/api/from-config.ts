// Maps the process configuration onto startApi's options, for main.ts.
import type { EdgeConfig } from '../config.ts';
import type { Logger } from 'pino';
import type { StartApiOptions } from './start.ts';
import { trunkingRoutes } from './trunking/index.ts';
import { conversationsRoutes } from './conversations/index.ts';
import { telnyxRoutes } from './telnyx/index.ts';

export function apiOptionsFromConfig(config: Readonly<EdgeConfig>, logger: Logger): StartApiOptions {
  return {
    dataDir: config.dataDir,
    host: config.httpListen.host,
    port: config.httpListen.port,
    realm: config.realm,
    accountSid: config.accountSid,
    authToken: config.authToken,
    domainSuffix: config.domainSuffix,
    publicUrl: config.publicUrl,
    logger,
    // Trunking v1 and Conversations v1 (/v1/, Basic auth) and Telnyx v2 (/v2/, Bearer auth).
    routes: [
      trunkingRoutes({
        publicUrl: config.publicUrl,
        trunkDomainSuffix: config.trunkDomainSuffix,
        reservedHosts: config.connectionsHost ? [config.connectionsHost] : [],
      }),
      conversationsRoutes({ publicUrl: config.publicUrl }),
      telnyxRoutes(),
    ],
    basicAuthPrefixes: ['/v1/'],
  };
}
