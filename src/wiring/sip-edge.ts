// The SIP side of a process: transport, per-source rate limit, parse, proxy (which asks the gate
// through the admission step), metrics. Views, nonces and the replay guard are handed in.

import { networkInterfaces } from 'node:os';
import { compileAcl } from '../acl/matcher.ts';
import { NonceService } from '../auth/nonce.ts';
import type { ReplayGuard } from '../auth/replay.ts';
import type { EdgeConfig } from '../config.ts';
import { BanTable, shareBans } from '../gate/bans.ts';
import { createGate } from '../gate/gate.ts';
import type { ViewLookup } from '../gate/gate.ts';
import { ownHostMatcher } from '../gate/own-hosts.ts';
import { SourceRateLimiter, sourceKey } from '../gate/rate-limit.ts';
import type { Logger } from '../obs/logger.ts';
import type { EdgeMetrics } from '../obs/metrics.ts';
import { createProxy } from '../proxy/proxy.ts';
import type { Proxy } from '../proxy/proxy.ts';
import { transportSender } from '../proxy/transport-send.ts';
import type { Admission, AdmitFn, SendFn } from '../proxy/types.ts';
import type { SipRequest } from '../sip/message.ts';
import { getRequestUri } from '../sip/message.ts';
import { normaliseHost } from '../gate/own-hosts.ts';
import type { OwnHostMatcher } from '../gate/own-hosts.ts';
import { isParseError } from '../sip/parse-error.ts';
import { parseMessage } from '../sip/parse.ts';
import { buildParseErrorResponse, responseBytes } from '../sip/response.ts';
import { startsAsResponse } from '../sip/scalars.ts';
import { validateRequest } from '../sip/validate.ts';
import { framingErrorReply } from '../transport/framing-reply.ts';
import { SipTransport } from '../transport/sip-transport.ts';
import type { MessageSource } from '../transport/types.ts';
import { createAdmission } from './admission.ts';
import type { BanCheck } from './admission.ts';
import { createRedisBanList } from './redis-bans.ts';
import { BranchOwnership } from './branch-ownership.ts';

/** UDP responses that reached this worker for a transaction it does not own go to its siblings. */
export interface ResponseSharing {
  /** Hands a response to the other workers. */
  forward(data: Buffer, address: string, port: number): void;
  /** Receives responses the other workers handed over. */
  onForwarded(handler: (data: Buffer, address: string, port: number) => void): void;
}

export interface SipEdgeDeps {
  views: ViewLookup;
  replay: ReplayGuard;
  metrics: EdgeMetrics;
  log: Logger;
  /** Share the port with sibling worker processes (SO_REUSEPORT). */
  reusePort?: boolean;
  /** Set in cluster workers: see ResponseSharing. */
  responseSharing?: ResponseSharing;
}

export interface SipEdge {
  readonly port: number;
  readonly proxy: Proxy;
  readonly bans: BanTable;
  /** Stops listening, lets transactions finish up to graceMs, then ends everything. */
  close(graceMs: number): Promise<void>;
}

/** Hosts under which this process is addressed: advertised host, listen host, interface addresses. */
export function localHosts(config: Readonly<EdgeConfig>): string[] {
  const hosts = [config.sipAdvertisedHost, config.sipListen.host];
  for (const list of Object.values(networkInterfaces())) {
    for (const info of list ?? []) hosts.push(info.address);
  }
  return hosts;
}

/** Counts every response the edge sends (first line "SIP/2.0 NNN"). */
function countingSender(send: SendFn, metrics: EdgeMetrics): SendFn {
  return (to, bytes, onError) => {
    // 'S' 'I' 'P' '/' at 0..3 and the status digits at 8..10.
    if (bytes.length > 11 && startsAsResponse(bytes)) {
      const code = (bytes[8]! - 48) * 100 + (bytes[9]! - 48) * 10 + (bytes[10]! - 48);
      if (code >= 100 && code <= 699) metrics.countResponse(code);
    }
    send(to, bytes, onError);
  };
}

/** An out-of-dialog OPTIONS naming the edge itself (a keep-alive ping), with no Route set. */
function isPingToEdge(req: SipRequest, isOwnHost: OwnHostMatcher): boolean {
  if (req.method !== 'OPTIONS' || req.to?.tag !== undefined || req.route.length > 0) return false;
  const uri = getRequestUri(req);
  return uri !== null && uri.scheme !== 'tel' && isOwnHost(normaliseHost(uri.host));
}

export async function startSipEdge(config: Readonly<EdgeConfig>, deps: SipEdgeDeps): Promise<SipEdge> {
  const { metrics, log } = deps;
  const hosts = localHosts(config);
  const isOwnHost = ownHostMatcher(hosts);
  const gate = createGate(
    {
      realm: config.realm,
      algorithms: config.digestAlgorithms,
      connectionsHost: config.connectionsHost ?? null,
      warningHost: config.sipAdvertisedHost,
      isOwnHost,
    },
    {
      views: deps.views,
      nonces: new NonceService({ secret: config.nonceSecret, realm: config.realm, ttlSeconds: config.nonceTtlS }),
      replay: deps.replay,
      compileAcl,
    },
  );
  const p = config.protection;
  const bans = new BanTable({
    threshold: p.banThreshold,
    windowMs: p.banWindowMs,
    banMs: p.banMs,
    userThreshold: p.banUserThreshold,
    userWindowMs: p.banWindowMs,
  });
  // With Redis, bans decided on any node reach every node.
  let banCheck: BanCheck = bans;
  let closeBans = (): void => {};
  if (config.redisUrl !== undefined) {
    const list = createRedisBanList(config.redisUrl, () => metrics.storeErrors.inc());
    const shared = shareBans(bans, list, () => metrics.storeErrors.inc());
    banCheck = shared;
    closeBans = () => {
      shared.close();
      list.close();
    };
  }
  const limiter = p.ratePerSecond > 0 ? new SourceRateLimiter({ ratePerSecond: p.ratePerSecond, burst: p.burst }) : null;
  metrics.sampleAtScrape('bansActive', () => bans.activeBans(Date.now()));

  const sharing = deps.responseSharing;
  const ownership = new BranchOwnership();
  let draining = false;
  let admit: AdmitFn | undefined;
  let transport: SipTransport | undefined;
  let proxy: Proxy | undefined;
  /** Takes a token from the source's bucket; false (and counted) when the message is to be dropped. */
  const withinLimit = (bucket: SourceRateLimiter, source: MessageSource): boolean => {
    if (bucket.allow(sourceKey(source.address), Date.now())) return true;
    metrics.rateLimited.inc();
    return false;
  };
  /** `own`: it came to this worker's outbound UDP socket, so a response there is ours for sure. */
  const onMessage = (data: Buffer, source: MessageSource, own: boolean): void => {
    if (transport === undefined || proxy === undefined) return;
    // The limit counts requests (SPEC §7; Kamailio's pike likewise): responses are answers to what
    // the edge sent, and a busy PBX's must not be dropped. One that matches no transaction costs a
    // parse and is dropped by the proxy; one a worker would relay to its siblings is charged below.
    if (limiter !== null && !startsAsResponse(data) && !withinLimit(limiter, source)) return;
    const msg = parseMessage(data);
    if (isParseError(msg)) {
      const answer = buildParseErrorResponse(msg);
      if (answer !== null) send(source, answer);
      return;
    }
    if (msg.type === 'response') {
      const branch = msg.via[0]?.branch;
      if (!own && sharing !== undefined && source.transport === 'udp' && branch !== undefined && !ownership.owns(branch)) {
        // Relaying costs a message through the primary to every sibling: a source sending responses
        // to branches this worker never sent pays for them as for requests.
        if (limiter !== null && !withinLimit(limiter, source)) return;
        sharing.forward(data, source.address, source.port);
        return;
      }
      proxy.handleResponse(msg, source, data);
      return;
    }
    metrics.countRequest(msg.method, source.transport);
    // Out-of-dialog requests are validated by the gate (OPTIONS to the edge with Max-Forwards 0 is
    // answered there); in-dialog ones here, before the proxy routes them.
    if (msg.to?.tag !== undefined && msg.method !== 'ACK') {
      const failure = validateRequest(msg);
      if (failure !== null) {
        send(source, responseBytes(msg, failure.status, failure.reason, failure.headers));
        return;
      }
    }
    // Pings to the edge itself are answered statelessly (as Kamailio's sl module does): no
    // transaction state per keep-alive, and each one is answered to where it came from.
    if (admit !== undefined && isPingToEdge(msg, isOwnHost)) {
      const peer = { transport: source.transport, address: source.address, port: source.port, connection: source.connection };
      const answer = (a: Admission): void => {
        if (a.kind === 'reject') send(source, responseBytes(msg, a.status, a.reason, a.headers));
      };
      const admission = admit(msg, peer);
      if (admission instanceof Promise) admission.then(answer, () => {});
      else answer(admission);
      return;
    }
    proxy.handleRequest(msg, source);
  };

  const handleSafely = (data: Buffer, source: MessageSource, own: boolean): void => {
    try {
      onMessage(data, source, own);
    } catch (error) {
      // A bug in handling one message must not take the edge down; the message is dropped.
      log.error({ err: (error as Error).message, transport: source.transport }, 'failed to handle a message');
    }
  };

  let sender: SendFn | undefined;
  const send = (source: MessageSource, bytes: Buffer): void => {
    sender?.({ transport: source.transport, address: source.address, port: source.port, connection: source.connection }, bytes);
  };

  transport = await SipTransport.start({
    host: config.sipListen.host,
    port: config.sipListen.port,
    family: config.sipListen.family,
    reusePort: deps.reusePort ?? false,
    // Workers: forwarded requests leave from a port of their own, so the responses come back here.
    outboundUdp: sharing !== undefined,
    limits: config.transport,
    framingErrorReply,
    onMessage: (data, source) => handleSafely(data, source, false),
    onOutboundMessage: (data, source) => handleSafely(data, source, true),
    onError: (error, which) => log.warn({ transport: which, code: (error as NodeJS.ErrnoException).code }, 'sip socket error'),
  });
  const toWire = transportSender(transport);
  const owned: SendFn = sharing === undefined ? toWire : (to, bytes, onError) => {
    ownership.noteSent(bytes);
    toWire(to, bytes, onError);
  };
  sender = countingSender(owned, metrics);
  const outboundPort = transport.outboundUdpPort;
  const outboundTransport = transport;
  const outboundUdp = outboundPort === undefined ? undefined : {
    port: outboundPort,
    // Responses to what leaves this socket come back to it (our Via names its port): no need to
    // note the branch for the shared port.
    send: ((to, bytes, onError) => outboundTransport.sendUdpOutbound(to.address, to.port, bytes, onError)) satisfies SendFn,
  };
  proxy = createProxy({
    advertisedHost: config.sipAdvertisedHost,
    advertisedPort: transport.port,
    localHosts: hosts,
    realm: config.realm,
    routeSecret: config.nonceSecret,
    send: sender,
    outboundUdp,
    admit: (admit = createAdmission({
      gate,
      bans: banCheck,
      banAction: p.banAction,
      metrics,
      realm: config.realm,
      warningHost: config.sipAdvertisedHost,
      draining: () => draining,
    })),
    log: { warn: (obj, msg) => log.warn(obj, msg) },
  });
  const runningProxy = proxy;
  sharing?.onForwarded((data, address, port) => {
    const msg = parseMessage(data);
    if (isParseError(msg) || msg.type !== 'response') return;
    const branch = msg.via[0]?.branch;
    if (branch !== undefined && ownership.owns(branch)) runningProxy.handleResponse(msg, { transport: 'udp', address, port }, data);
  });
  metrics.sampleAtScrape('activeCalls', () => runningProxy.stats().activeCalls);
  const running = transport;
  return {
    port: running.port,
    proxy: runningProxy,
    bans,
    async close(graceMs) {
      // Keep the sockets open while draining so responses for in-flight transactions still arrive;
      // retransmissions and in-dialog requests are still handled, new transactions get 503.
      draining = true;
      // Established calls (until their BYE) count as in progress too, not only open transactions;
      // transactions that only linger on their RFC 3261 timers do not hold the shutdown.
      await runningProxy.drain(graceMs);
      runningProxy.close();
      closeBans();
      await running.close();
    },
  };
}
