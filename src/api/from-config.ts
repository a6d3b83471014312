// Maps the process configuration onto startApi's options, for main.ts.
import type { EdgeConfig } from '../config.ts';
import type { Logger } from 'pino';
import type { StartApiOptions } from './start.ts';

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
  };
}
