// sip-edge process entry: configuration, SIP transport, and (until the gate and proxy take over)
// a minimal stateless responder: OPTIONS → 200, ACK → nothing, other requests → 501, responses and
// unanswerable garbage dropped, malformed requests → 400/505, proxy validation failures as
// validateRequest says.

import { networkInterfaces } from 'node:os';
import { ConfigError, loadConfig } from './config.ts';
import type { EdgeConfig } from './config.ts';
import { normaliseHost, ownHostMatcher } from './gate/own-hosts.ts';
import type { OwnHostMatcher } from './gate/own-hosts.ts';
import { createLogger } from './obs/logger.ts';
import type { Logger } from './obs/logger.ts';
import type { SipRequest } from './sip/message.ts';
import { getRequestUri } from './sip/message.ts';
import { isParseError } from './sip/parse-error.ts';
import { parseMessage } from './sip/parse.ts';
import { buildParseErrorResponse, buildResponse } from './sip/response.ts';
import { serializeMessage } from './sip/serialize.ts';
import { validateRequest } from './sip/validate.ts';
import { framingErrorReply } from './transport/framing-reply.ts';
import { SipTransport } from './transport/sip-transport.ts';
import type { MessageSource } from './transport/types.ts';

/** Hosts under which this process is addressed: advertised host, listen host, interface addresses. */
function ownHosts(config: Readonly<EdgeConfig>): OwnHostMatcher {
  const hosts = [config.sipAdvertisedHost, config.sipListen.host];
  for (const list of Object.values(networkInterfaces())) {
    for (const info of list ?? []) hosts.push(info.address);
  }
  return ownHostMatcher(hosts);
}

function isForEdge(req: SipRequest, isOwnHost: OwnHostMatcher, port: number): boolean {
  const uri = getRequestUri(req);
  if (uri === null || uri.scheme === 'tel') return false;
  const uriPort = uri.port ?? (uri.scheme === 'sips' ? 5061 : 5060);
  return uri.user === undefined && uriPort === port && isOwnHost(normaliseHost(uri.host));
}

function reply(transport: SipTransport, source: MessageSource, data: Buffer): void {
  if (source.connection !== null) source.connection.send(data);
  else transport.sendUdp(source.address, source.port, data);
}

function respond(data: Buffer, source: MessageSource, transport: SipTransport, hosts: OwnHostMatcher): void {
  const msg = parseMessage(data);
  if (isParseError(msg)) {
    const answer = buildParseErrorResponse(msg);
    if (answer !== null) reply(transport, source, answer);
    return;
  }
  if (msg.type === 'response' || msg.method === 'ACK') return;
  const failure = validateRequest(msg);
  const optionsToEdge = failure?.status === 483 && msg.method === 'OPTIONS' && isForEdge(msg, hosts, transport.port);
  if (failure !== null && !optionsToEdge) {
    reply(transport, source, serializeMessage(buildResponse(msg, failure.status, failure.reason, failure.headers)));
    return;
  }
  let status: number;
  if (msg.method === 'OPTIONS') status = 200;
  else if (msg.to?.tag !== undefined) status = 404; // no dialogs through this edge yet
  else status = 501;
  reply(transport, source, serializeMessage(buildResponse(msg, status)));
}

async function main(): Promise<void> {
  let config: Readonly<EdgeConfig>;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`sip-edge: bad configuration: ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
  const log: Logger = createLogger({ level: config.logLevel });
  const hosts = ownHosts(config);
  let transport: SipTransport | undefined;
  // Signal handlers first: until they exist a signal kills the process with the default action.
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping');
    const forced = setTimeout(() => process.exit(0), 5000);
    forced.unref();
    void (transport?.close() ?? Promise.resolve()).then(() => process.exit(0));
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));

  if (config.role === 'api') {
    log.info({ role: config.role }, 'sip disabled for this role');
    return;
  }
  transport = await SipTransport.start({
    host: config.sipListen.host,
    port: config.sipListen.port,
    family: config.sipListen.family,
    reusePort: config.workers > 1,
    limits: config.transport,
    framingErrorReply,
    onMessage: (data, source) => {
      if (transport === undefined) return;
      try {
        respond(data, source, transport, hosts);
      } catch (error) {
        // A bug in answering one message must not take the edge down; the message is dropped.
        log.error({ err: (error as Error).name, transport: source.transport }, 'failed to answer a message');
      }
    },
    onError: (error, which) => log.warn({ transport: which, code: (error as NodeJS.ErrnoException).code }, 'sip socket error'),
  });
  const listening = `${config.sipListen.family === 6 ? `[${config.sipListen.host}]` : config.sipListen.host}:${transport.port}`;
  log.info({ sip: listening, udp: transport.port, tcp: transport.port, advertised: config.sipAdvertisedHost }, 'sip listening');
}

main().catch((error: unknown) => {
  const code = (error as NodeJS.ErrnoException).code;
  console.error(`sip-edge: failed to start: ${code ?? (error as Error).message}`);
  process.exit(1);
});
