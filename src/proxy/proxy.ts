// The stateful proxy core (RFC 3261 §16): matches requests and responses to transactions, asks the
// gate about new requests, forwards accepted ones serially over their targets with fail-over, routes
// in-dialog requests along our signed Record-Route only, and relays responses back upstream.
// All I/O goes through the injected SendFn, clock and resolver.

import type { SipRequest, SipResponse } from '../sip/message.ts';
import { responseBytes } from '../sip/response.ts';
import { serializeMessage } from '../sip/serialize.ts';
import { buildCancel, buildNon2xxAck } from './branch-messages.ts';
import { ActiveCalls } from './active-calls.ts';
import { forwardBranch, loopHashInBranch } from './branch.ts';
import { ChannelCounter } from './channel-limit.ts';
import { ClientTransaction } from './client-transaction.ts';
import type { ClientTxFailure, ClientTxOptions } from './client-transaction.ts';
import { popLocalRoutes, routeInDialog, uriTransport } from './dialog-route.ts';
import type { LocalAddress } from './dialog-route.ts';
import { forwardRequest, forwardRequestBytes, targetRequestUri } from './forward-request.ts';
import type { ForwardEdits } from './forward-request.ts';
import { formatNameAddr } from './header-edit.ts';
import { isLoop, loopHashFor } from './loop-detect.ts';
import { recordRoutes } from './record-route.ts';
import { createHopResolver } from './resolver.ts';
import type { HopResolver, NextHop } from './resolver.ts';
import type { RouteTokenKey } from './route-token.ts';
import { ServerTransaction } from './server-transaction.ts';
import type { ServerTxOptions } from './server-transaction.ts';
import { orderTargets } from './target-order.ts';
import { targetUri } from './target-uri.ts';
import { createSystemClock, DEFAULT_TIMERS } from './timers.ts';
import type { Clock, TimerValues } from './timers.ts';
import { clientTransactionKey, serverTransactionKey } from './transaction-key.ts';
import type { Admission, AdmitFn, Peer, SendFn } from './types.ts';
import type { Branch, ForwardCtx, ServerEntry, Target } from './proxy-state.ts';
import { edgeHeaders } from './edge-headers.ts';
import { stripTopVia, upstreamStatus, viaDestination } from './upstream-response.ts';
import { stampedFirstViaLine, stampTopVia } from './via-stamp.ts';
import { withoutTopViaLine } from './raw-relay.ts';

export interface ProxyLog {
  warn(obj: object, msg: string): void;
}

export interface ProxyOptions {
  /** Host put in our Via and Record-Route (SIP_ADVERTISED_HOST); IPv6 with or without brackets. */
  advertisedHost: string;
  /** Our SIP port (UDP and TCP). */
  advertisedPort: number;
  /** Other host names / addresses this edge answers to, for pre-loaded Routes. */
  localHosts?: string[];
  /** EDGE_REALM: Proxy-Authorization for it is consumed and removed. */
  realm: string;
  /** EDGE_NONCE_SECRET: signs the Record-Route token. */
  routeSecret: Buffer | string;
  send: SendFn;
  admit: AdmitFn;
  clock?: Clock;
  timers?: TimerValues;
  /** Timer C (ms), default 180 s. */
  timerCMs?: number;
  resolver?: HopResolver;
  random?: () => number;
  log?: ProxyLog;
  /** A call slot (channel limit, active calls) not ended by a BYE is reclaimed after this, default 6 h. */
  maxCallMs?: number;
  /**
   * A UDP socket of this process alone (cluster workers share the SIP port): requests forwarded over
   * UDP name its port in our Via and leave from it, so their responses come back to this process.
   */
  outboundUdp?: { port: number; send: SendFn };
}

export interface ProxyStats {
  serverTransactions: number;
  clientTransactions: number;
  /** Transactions still waiting for a final response (not those only lingering on RFC 3261 timers). */
  pendingTransactions: number;
  activeCalls: number;
}

export interface Proxy {
  /** Every parsed (and validated: sip/validate.ts) request, with its socket source. */
  handleRequest(req: SipRequest, source: Peer): void;
  /**
   * Every parsed response; `raw`, the bytes it was parsed from, lets a relayed response go on as
   * received minus our Via instead of being serialized again.
   */
  handleResponse(res: SipResponse, source: Peer, raw?: Buffer): void;
  stats(): ProxyStats;
  /** Resolves when no transaction waits for a final response and no call is up, or after timeoutMs. */
  drain(timeoutMs: number): Promise<void>;
  /** Ends every transaction and timer (no messages sent). */
  close(): void;
}

const CALL_MAX_AGE_MS = 6 * 3600_000;

function bracket(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

const NO_BODY = Buffer.alloc(0);
/** Shared by every lingering request: nothing reads these lists once a transaction is retired. */
const NONE = Object.freeze([]) as unknown as never[];

/** A copy that does not keep the whole received message text alive (V8 slices long substrings). */
function ownCopy(text: string): string {
  return text.length < 13 ? text : Buffer.from(text, 'latin1').toString('latin1');
}

/**
 * What a retired server transaction keeps of its request: the method, and for a forwarded INVITE
 * the Call-ID (a late 2xx still starts the call; nothing else reads it once retired).
 */
function lingeringRequest(req: SipRequest, keepCallId: boolean): SipRequest {
  return {
    type: 'request', method: req.method, uri: '', version: req.version, headers: NONE, body: NO_BODY, via: NONE,
    from: undefined, to: undefined, callId: req.callId === undefined || !keepCallId ? undefined : ownCopy(req.callId), cseq: undefined,
    maxForwards: undefined, contentLength: undefined, route: NONE, proxyRequire: NONE, authorization: NONE, proxyAuthorization: NONE,
  };
}

function isThenable(x: Admission | Promise<Admission>): x is Promise<Admission> {
  return typeof (x as Promise<Admission>).then === 'function';
}

export function createProxy(opts: ProxyOptions): Proxy {
  // Timer callbacks run outside any caller's try: an exception there must not end the process.
  // The system clock reports it through onError; an injected clock gets each callback wrapped.
  const injected = opts.clock;
  const clock: Clock = injected === undefined
    ? createSystemClock({ onError: (err) => opts.log?.warn({ err: (err as Error)?.message }, 'proxy error') })
    : {
        now: () => injected.now(),
        setTimer: (ms, fn) => injected.setTimer(ms, safely(fn)),
        cancelTimer: (h) => injected.cancelTimer(h),
      };
  const timers = opts.timers ?? DEFAULT_TIMERS;
  const timerC = opts.timerCMs ?? 180_000;
  const resolver = opts.resolver ?? createHopResolver();
  const random = opts.random ?? Math.random;
  const host = bracket(opts.advertisedHost);
  const port = opts.advertisedPort;
  const outboundUdp = opts.outboundUdp;
  /** Ports our own Vias may carry. */
  const viaPorts: readonly number[] = outboundUdp === undefined ? [port] : [port, outboundUdp.port];
  const hostLower = host.toLowerCase();
  const tokenKey: RouteTokenKey = { secret: opts.routeSecret, identity: `${hostLower}:${port}` };
  const local: LocalAddress = {
    hosts: new Set([hostLower, ...(opts.localHosts ?? []).map((h) => bracket(h).toLowerCase())]),
    port,
  };
  /** The response being handled and its received bytes (handling is synchronous up to relayUp). */
  let relaying: SipResponse | undefined;
  let relayingRaw: Buffer | undefined;
  const servers = new Map<string, ServerEntry>();
  const clients = new Map<string, Branch>();
  /** Counted on demand (drain, shutdown), never per message. */
  function pendingTransactions(): number {
    let n = 0;
    for (const e of servers.values()) if (e.tx.state === 'trying' || e.tx.state === 'proceeding') n++;
    for (const b of clients.values()) if (b.tx.state === 'calling' || b.tx.state === 'trying' || b.tx.state === 'proceeding') n++;
    return n;
  }
  const channels = new ChannelCounter(() => clock.now(), opts.maxCallMs ?? CALL_MAX_AGE_MS);
  const activeCalls = new ActiveCalls(() => clock.now(), opts.maxCallMs ?? CALL_MAX_AGE_MS);

  /** Wraps a callback run outside handleRequest/handleResponse (promise continuations). */
  function safely<A extends unknown[]>(fn: (...args: A) => void): (...args: A) => void {
    return (...args: A) => {
      try {
        fn(...args);
      } catch (err) {
        opts.log?.warn({ err: (err as Error).message }, 'proxy error');
      }
    };
  }

  /** Errors are logged (and passed to onError); see quietly() for what goes without a callback. */
  function sendTo(peer: Peer, bytes: Buffer, onError?: () => void): void {
    opts.send(peer, bytes, (err) => {
      opts.log?.warn({ err: err.message, to: `${peer.address}:${peer.port}`, transport: peer.transport }, 'sip send failed');
      onError?.();
    });
  }

  /**
   * Upstream over UDP (responses to a request's source, relayed 2xx, ACK for a 2xx): without a
   * completion callback, which node:dgram would defer through process.nextTick for every datagram.
   * Node reports UDP send errors only through that callback, and none of these has a fail-over:
   * a response that cannot reach its source has nowhere else to go (over TCP errors still count).
   */
  function quietly(peer: Peer, bytes: Buffer, tx?: ServerTransaction): void {
    if (peer.transport === 'udp') opts.send(peer, bytes);
    else sendTo(peer, bytes, tx === undefined ? undefined : () => tx.onTransportError());
  }

  /** Sends a forwarded request: from our own UDP socket when its Via names that socket's port. */
  function sendDownstream(own: boolean, peer: Peer, bytes: Buffer, onError?: () => void): void {
    if (!own || outboundUdp === undefined) return sendTo(peer, bytes, onError);
    outboundUdp.send(peer, bytes, (err) => {
      opts.log?.warn({ err: err.message, to: `${peer.address}:${peer.port}`, transport: peer.transport }, 'sip send failed');
      onError?.();
    });
  }

  // ---- server side ----

  /**
   * A received request's entry: it is also its transaction's options and callbacks (methods, no
   * closures per transaction; many linger for up to 64*T1 under load).
   */
  class Server implements ServerEntry, ServerTxOptions {
    key: string;
    req: SipRequest;
    source: Peer;
    cancelled = false;
    retired = false;
    ctx: ForwardCtx | undefined = undefined;
    tx: ServerTransaction;
    readonly invite: boolean;
    readonly reliable: boolean;
    readonly clock = clock;
    readonly timers = timers;
    constructor(req: SipRequest, source: Peer, key: string) {
      this.key = key;
      this.req = req;
      this.source = source;
      this.invite = req.method === 'INVITE';
      this.reliable = source.transport === 'tcp';
      this.tx = new ServerTransaction(this);
    }
    send(bytes: Buffer): void {
      quietly(this.source, bytes, this.tx);
    }
    onTerminated(): void {
      if (servers.get(this.key) === this) servers.delete(this.key);
    }
  }

  function newServerEntry(req: SipRequest, source: Peer, key: string): ServerEntry {
    const entry = new Server(req, source, key);
    servers.set(key, entry);
    return entry;
  }

  function respond(entry: ServerEntry, status: number, reason?: string, headers?: Array<[string, string]>): void {
    entry.tx.respond(status, responseBytes(entry.req, status, reason, headers));
    if (status >= 300 && entry.ctx !== undefined) releaseChannel(entry.ctx);
    if (status >= 200) retire(entry);
  }

  /**
   * A transaction that answered finally lingers on RFC 3261 timers (up to 64*T1) only to absorb
   * retransmissions: it lets the received request and the forwarding state go, keeping the method
   * and Call-ID (a late 2xx still starts the call).
   */
  function retire(entry: ServerEntry): void {
    if (entry.retired) return;
    entry.retired = true;
    const ctx = entry.ctx;
    entry.req = lingeringRequest(entry.req, ctx !== undefined && entry.req.method === 'INVITE');
    if (ctx !== undefined) {
      ctx.accept = undefined;
      ctx.targets = NONE;
      ctx.hops = NONE;
      ctx.remainingRoutes = NONE;
      ctx.lastFinal = undefined;
    }
  }

  function handleRequest(req: SipRequest, source: Peer): void {
    if (req.method === 'ACK') return onAck(req, source);
    const key = serverTransactionKey(req, req.method);
    if (key === undefined) return;
    const existing = servers.get(key);
    if (existing !== undefined) {
      existing.tx.onRequestRetransmission();
      return;
    }
    const entry = newServerEntry(req, source, key);
    if (req.method === 'CANCEL') return onCancel(entry);
    if (req.to?.tag !== undefined) return inDialog(entry);
    outOfDialog(entry); // the gate validates (483, and 200 for OPTIONS with Max-Forwards 0 to the edge)
  }

  function outOfDialog(entry: ServerEntry): void {
    const req = entry.req;
    if (popLocalRoutes(req, local) === undefined) return respond(entry, 403, 'Forbidden', [['Warning', `399 ${host} "Route not allowed"`]]);
    if (isLoop(req, hostLower, viaPorts)) return respond(entry, 482);
    let admission: Admission | Promise<Admission>;
    try {
      admission = opts.admit(req, entry.source);
    } catch (err) {
      opts.log?.warn({ err: (err as Error).message }, 'admission failed');
      return respond(entry, 500);
    }
    if (isThenable(admission)) {
      admission.then(
        safely((a: Admission) => onAdmission(entry, a)),
        safely((err: unknown) => {
          opts.log?.warn({ err: (err as Error)?.message }, 'admission failed');
          if (entry.tx.state !== 'terminated') respond(entry, 500);
        }),
      );
    } else {
      onAdmission(entry, admission);
    }
  }

  function onAdmission(entry: ServerEntry, a: Admission): void {
    if (entry.tx.state === 'terminated') return;
    if (a.kind === 'drop') return entry.tx.terminate();
    if (a.kind === 'reject') return respond(entry, a.status, a.reason, a.headers);
    if (entry.cancelled) return respond(entry, 487);
    const req = entry.req;
    const invite = req.method === 'INVITE';
    const ctx = newCtx(entry, false);
    ctx.accept = a;
    ctx.targets = orderTargets(a.targets, random).map((t) => ({ uri: t.uri, transport: undefined }));
    if (ctx.targets.length === 0) return respond(entry, 480);
    if (invite && a.channel !== undefined && req.callId !== undefined) {
      if (!channels.acquire(a.channel.owner, req.callId, a.channel.limit)) {
        return respond(entry, 486, 'Busy Here', [['Warning', `399 ${host} "Channel limit reached"`]]);
      }
      ctx.channelKey = req.callId;
    }
    entry.ctx = ctx;
    if (invite) entry.tx.respond(100, responseBytes(req, 100));
    forwardNext(ctx);
  }

  function inDialog(entry: ServerEntry): void {
    const req = entry.req;
    if ((req.maxForwards ?? 70) <= 0) return respond(entry, 483);
    const route = routeInDialog(req, tokenKey);
    if (!route.ok) return respond(entry, route.status, route.reason, [['Warning', `399 ${host} "Route not allowed"`]]);
    if (req.method === 'BYE' && req.callId !== undefined) {
      channels.release(req.callId);
      activeCalls.ended(req.callId);
    }
    const ctx = newCtx(entry, true);
    ctx.remainingRoutes = route.remaining;
    ctx.towardsCaller = route.towardsCaller;
    ctx.targets = [{ uri: route.next, parsed: route.nextUri, transport: route.transport, flow: route.flow }];
    entry.ctx = ctx;
    if (req.method === 'INVITE') entry.tx.respond(100, responseBytes(req, 100));
    forwardNext(ctx);
  }

  function onCancel(entry: ServerEntry): void {
    const inviteKey = serverTransactionKey(entry.req, 'INVITE');
    const inv = inviteKey === undefined ? undefined : servers.get(inviteKey);
    if (inv === undefined || inv.source.address !== entry.source.address) return respond(entry, 481);
    respond(entry, 200);
    if (inv.tx.status >= 200) return;
    inv.cancelled = true;
    const ctx = inv.ctx;
    if (ctx === undefined) return; // admission pending: answered 487 when it completes
    ctx.cancelled = true;
    const br = ctx.current;
    if (br !== undefined && br.provisional && !br.cancelSent) sendCancel(ctx, br);
  }

  function onAck(req: SipRequest, source: Peer): void {
    const key = serverTransactionKey(req, 'ACK');
    const e = key === undefined ? undefined : servers.get(key);
    if (e !== undefined && e.tx.onAck()) return; // ACK for our non-2xx: hop-by-hop, absorbed
    if (req.to?.tag === undefined) return;
    const route = routeInDialog(req, tokenKey);
    if (!route.ok) return;
    const next = route.nextUri;
    const q = { host: next.host, port: next.port, transport: route.transport, secure: next.scheme === 'sips' };
    const top = req.via[0];
    const branch = forwardBranch(`ack|${top?.branch ?? ''}|${top?.host ?? ''}:${top?.port ?? ''}|${source.address}`, route.next, 0, '0');
    const bytes = forwardRequestBytes(req, {
      via: `SIP/2.0/${route.transport.toUpperCase()} ${host}:${port};branch=${branch}`,
      routes: route.remaining.map((r) => ({ name: 'Route', value: formatNameAddr(r) })),
    });
    const go = (hops: NextHop[]): void => {
      const h = hops[0];
      if (h !== undefined) quietly({ transport: h.transport, address: h.address, port: h.port }, bytes);
    };
    if (route.flow !== undefined) return go([{ ...route.flow, transport: 'tcp' }]);
    const cached = resolver.cached(q);
    if (cached !== undefined) go(cached);
    else resolver.resolve(q).then(safely(go), () => {});
  }

  // ---- forwarding ----

  function newCtx(entry: ServerEntry, inDialogReq: boolean): ForwardCtx {
    return {
      entry, inDialog: inDialogReq, towardsCaller: false, accept: undefined, remainingRoutes: [], targets: [], targetIndex: -1, hops: [], hopIndex: 0,
      attempts: 0, loopHash: undefined, current: undefined, lastFinal: undefined, timedOut: false, cancelled: false, done: false,
      answered: false, channelKey: undefined,
    };
  }

  function forwardNext(ctx: ForwardCtx): void {
    for (;;) {
      if (ctx.done || ctx.entry.tx.state === 'terminated') return;
      if (ctx.cancelled || ctx.entry.cancelled) return finishLocal(ctx, 487);
      if (ctx.hopIndex < ctx.hops.length) {
        startBranch(ctx, ctx.targets[ctx.targetIndex]!, ctx.hops[ctx.hopIndex++]!);
        return;
      }
      ctx.targetIndex++;
      if (ctx.targetIndex >= ctx.targets.length) return finishExhausted(ctx);
      const t = ctx.targets[ctx.targetIndex]!;
      ctx.hopIndex = 0;
      if (t.flow !== undefined) {
        ctx.hops = [{ address: t.flow.address, port: t.flow.port, transport: 'tcp' }];
        continue;
      }
      const u = t.parsed !== undefined ? t.parsed : targetUri(t.uri);
      ctx.hops = [];
      if (u === null || u.scheme === 'tel') continue;
      const q = { host: u.host, port: u.port, transport: t.transport ?? uriTransport(u), secure: u.scheme === 'sips' };
      const cached = resolver.cached(q);
      if (cached !== undefined) {
        ctx.hops = cached;
        continue;
      }
      resolver.resolve(q).then(
        safely((hops: NextHop[]) => {
          ctx.hops = hops;
          forwardNext(ctx);
        }),
        safely(() => forwardNext(ctx)),
      );
      return;
    }
  }

  /** What forwarding this request to one target changes (RFC 3261 §16.6 steps 1-8). */
  function forwardEdits(ctx: ForwardCtx, target: Target, via: string, hop: NextHop): ForwardEdits {
    const req = ctx.entry.req;
    if (ctx.inDialog) return { via, routes: ctx.remainingRoutes.map((r) => ({ name: 'Route', value: formatNameAddr(r) })) };
    const rr = recordRoutes({
      host, port, key: tokenKey, callId: req.callId ?? '', fromTag: req.from?.tag ?? '', source: ctx.entry.source, outbound: hop.transport,
    });
    return {
      requestUri: targetRequestUri(req, target.parsed !== undefined ? target.parsed : targetUri(target.uri), target.uri),
      via,
      recordRoute: req.method === 'REGISTER' ? undefined : rr,
      realm: opts.realm,
      routes: [],
      edgeHeaders: edgeHeaders(ctx.accept!),
    };
  }

  /**
   * One forwarded copy of a request: also its client transaction's options and callbacks (methods,
   * no closures per branch). The forwarded request as a message is built only when a CANCEL or an
   * ACK needs it; once the branch can need neither, release() lets the received request go.
   */
  class OutBranch implements Branch, ClientTxOptions {
    readonly branch: string;
    readonly peer: Peer;
    readonly own: boolean;
    readonly ctx: ForwardCtx;
    readonly ckey: string;
    tx: ClientTransaction;
    provisional = false;
    cancelSent = false;
    readonly invite: boolean;
    readonly reliable: boolean;
    readonly clock = clock;
    readonly timers = timers;
    readonly timerC: number | undefined;
    private recipe: { req: SipRequest; edits: ForwardEdits; source: Peer } | undefined;
    private out: SipRequest | undefined = undefined;
    constructor(ctx: ForwardCtx, branch: string, peer: Peer, own: boolean, invite: boolean, recipe: { req: SipRequest; edits: ForwardEdits; source: Peer }) {
      this.ctx = ctx;
      this.branch = branch;
      this.peer = peer;
      this.own = own;
      this.invite = invite;
      this.reliable = peer.transport === 'tcp';
      this.timerC = invite ? timerC : undefined;
      this.recipe = recipe;
      this.ckey = clientTransactionKey(branch, recipe.req.method);
      this.tx = new ClientTransaction(this);
    }
    request(): SipRequest {
      if (this.out !== undefined) return this.out;
      const r = this.recipe;
      if (r === undefined) throw new Error('forwarded request already released');
      return (this.out = forwardRequest({ ...r.req, headers: stampTopVia(r.req.headers, r.req.via[0], r.source) }, r.edits));
    }
    release(): void {
      this.recipe = undefined;
      this.out = undefined;
    }
    send(bytes: Buffer): void {
      sendDownstream(this.own, this.peer, bytes, () => this.tx.onTransportError());
    }
    sendAck(res: unknown): void {
      sendDownstream(this.own, this.peer, serializeMessage(buildNon2xxAck(this.request(), res as SipResponse)));
    }
    onResponse(status: number, res: unknown): void {
      onBranchResponse(this.ctx, this, status, res as SipResponse);
    }
    onFailure(why: ClientTxFailure): void {
      onBranchFailure(this.ctx, this, why);
    }
    onTimerC(provisional: boolean): void {
      onTimerC(this.ctx, this, provisional);
    }
    onTerminated(): void {
      if (clients.get(this.ckey) === this) clients.delete(this.ckey);
    }
  }

  function startBranch(ctx: ForwardCtx, target: Target, hop: NextHop): void {
    const req = ctx.entry.req;
    const loopHash = (ctx.loopHash ??= loopHashFor(req));
    const branch = forwardBranch(ctx.entry.key, `${target.uri}|${hop.transport}|${hop.address}|${hop.port}`, ctx.attempts++, loopHash);
    // Our own UDP socket for requests towards the callee side only; see ProxyOptions.outboundUdp.
    const own = outboundUdp !== undefined && hop.transport === 'udp' && !ctx.towardsCaller;
    const viaPort = own ? outboundUdp.port : port;
    const via = `SIP/2.0/${hop.transport.toUpperCase()} ${host}:${viaPort};branch=${branch}`;
    const edits = forwardEdits(ctx, target, via, hop);
    const source = ctx.entry.source;
    const peer: Peer = { transport: hop.transport, address: hop.address, port: hop.port };
    const br = new OutBranch(ctx, branch, peer, own, req.method === 'INVITE', { req, edits, source });
    clients.set(br.ckey, br);
    ctx.current = br;
    br.tx.start(forwardRequestBytes(req, edits, stampedFirstViaLine(req.headers, req.via[0], source)));
  }

  function onBranchResponse(ctx: ForwardCtx, br: Branch, status: number, res: SipResponse): void {
    // After a 2xx, or any final to a non-INVITE, the branch sends no CANCEL and no ACK of its own.
    if (status >= 200 && (status < 300 || ctx.entry.req.method !== 'INVITE')) br.release();
    if (status < 200) {
      if (br !== ctx.current || ctx.done) return;
      br.provisional = true;
      if ((ctx.cancelled || ctx.entry.cancelled) && !br.cancelSent) sendCancel(ctx, br);
      if (status !== 100) relayUp(ctx, res, status);
      return;
    }
    if (status < 300) {
      ctx.done = true;
      // Relayed first: that retires the entry, which keeps its own copy of the Call-ID (not a slice
      // of the INVITE text), and the active call is counted under that copy until its BYE.
      relayUp(ctx, res, status);
      if (ctx.entry.req.method === 'INVITE' && !ctx.answered) {
        ctx.answered = true;
        if (!ctx.inDialog && ctx.entry.req.callId !== undefined) activeCalls.started(ctx.entry.req.callId);
      }
      return;
    }
    if (br !== ctx.current || ctx.done) return;
    ctx.lastFinal = res;
    const cancelled = ctx.cancelled || ctx.entry.cancelled;
    if (!cancelled && (status === 408 || (status >= 500 && status < 600))) return forwardNext(ctx);
    finishWith(ctx, res, status);
  }

  function onBranchFailure(ctx: ForwardCtx, br: Branch, why: ClientTxFailure): void {
    if (br !== ctx.current || ctx.done) return;
    if (why === 'timeout') ctx.timedOut = true;
    forwardNext(ctx);
  }

  function onTimerC(ctx: ForwardCtx, br: Branch, provisional: boolean): void {
    if (br !== ctx.current || ctx.done) return;
    if (provisional) {
      if (!br.cancelSent) sendCancel(ctx, br);
      return;
    }
    br.tx.terminate();
    ctx.timedOut = true;
    forwardNext(ctx);
  }

  function sendCancel(ctx: ForwardCtx, br: Branch): void {
    br.cancelSent = true;
    const cancel = buildCancel(br.request());
    const ckey = clientTransactionKey(br.branch, 'CANCEL');
    const tx: ClientTransaction = new ClientTransaction({
      invite: false,
      reliable: br.peer.transport === 'tcp',
      clock,
      timers,
      send: (bytes) => sendDownstream(br.own, br.peer, bytes, () => tx.onTransportError()),
      onResponse: () => {},
      onFailure: () => {
        // No answer to our CANCEL: give up on the branch (§9.1) and answer upstream.
        if (br.tx.state === 'proceeding') br.tx.terminate();
        if (br === ctx.current && !ctx.done) finishLocal(ctx, 487);
      },
      onTerminated: () => {
        if (clients.get(ckey) === cancelEntry) clients.delete(ckey);
      },
    });
    const cancelEntry: Branch = {
      branch: br.branch, request: () => cancel, release: () => {}, peer: br.peer, own: br.own, tx, provisional: false, cancelSent: true,
    };
    clients.set(ckey, cancelEntry);
    tx.start(serializeMessage(cancel));
  }

  /** Response bytes for upstream: the received octets minus our Via when possible. */
  function upstreamBytes(res: SipResponse, status: number, upStatus: number): Buffer {
    if (upStatus === status && res === relaying && relayingRaw !== undefined && res.contentLength !== undefined) {
      const spliced = withoutTopViaLine(relayingRaw, res.body.length);
      if (spliced !== null) return spliced;
    }
    let up = stripTopVia(res);
    if (upStatus !== status) up = { ...up, status: upStatus, reason: 'Server Internal Error' };
    return serializeMessage(up);
  }

  function relayUp(ctx: ForwardCtx, res: SipResponse, status: number): void {
    const upStatus = upstreamStatus(status);
    const bytes = upstreamBytes(res, status, upStatus);
    if (!ctx.entry.tx.respond(upStatus, bytes) && status >= 200 && status < 300 && ctx.entry.tx.state === 'terminated') {
      quietly(ctx.entry.source, bytes); // 2xx retransmission after the server transaction ended
    }
    if (upStatus >= 200) retire(ctx.entry);
  }

  function finishWith(ctx: ForwardCtx, res: SipResponse, status: number): void {
    ctx.done = true;
    releaseChannel(ctx);
    relayUp(ctx, res, status);
  }

  function finishLocal(ctx: ForwardCtx, status: number): void {
    ctx.done = true;
    respond(ctx.entry, status);
  }

  function finishExhausted(ctx: ForwardCtx): void {
    if (ctx.lastFinal !== undefined) return finishWith(ctx, ctx.lastFinal, ctx.lastFinal.status);
    finishLocal(ctx, ctx.timedOut ? 408 : 502);
  }

  function releaseChannel(ctx: ForwardCtx): void {
    if (ctx.channelKey !== undefined) {
      channels.release(ctx.channelKey);
      ctx.channelKey = undefined;
    }
  }

  // ---- responses ----

  function handleResponse(res: SipResponse, _source: Peer, raw?: Buffer): void {
    const top = res.via[0];
    if (top === undefined || top.branch === undefined || res.cseq === undefined) return;
    const br = clients.get(clientTransactionKey(top.branch, res.cseq.method));
    if (br !== undefined) {
      relaying = res;
      relayingRaw = raw;
      try {
        br.tx.onResponse(res.status, res);
      } finally {
        relaying = undefined;
        relayingRaw = undefined;
      }
      return;
    }
    // No transaction: a late 2xx to an INVITE we forwarded goes on statelessly along Via (§16.7).
    if (res.status < 200 || res.status >= 300 || res.cseq.method !== 'INVITE') return;
    if (top.host.toLowerCase() !== hostLower || !viaPorts.includes(top.port ?? 5060) || loopHashInBranch(top.branch) === undefined) return;
    const next = res.via[1];
    const dest = next === undefined ? undefined : viaDestination(next);
    if (dest === undefined) return;
    const spliced = raw !== undefined && res.contentLength !== undefined ? withoutTopViaLine(raw, res.body.length) : null;
    quietly(dest, spliced ?? serializeMessage(stripTopVia(res)));
  }

  return {
    // Per message: plain wrappers (no rest/spread arguments array, as safely() has).
    handleRequest(req: SipRequest, source: Peer): void {
      try {
        handleRequest(req, source);
      } catch (err) {
        opts.log?.warn({ err: (err as Error).message }, 'proxy error');
      }
    },
    handleResponse(res: SipResponse, source: Peer, raw?: Buffer): void {
      try {
        handleResponse(res, source, raw);
      } catch (err) {
        opts.log?.warn({ err: (err as Error).message }, 'proxy error');
      }
    },
    stats: () => ({
      serverTransactions: servers.size,
      clientTransactions: clients.size,
      pendingTransactions: pendingTransactions(),
      activeCalls: activeCalls.size,
    }),
    async drain(timeoutMs) {
      const end = Date.now() + timeoutMs;
      while ((pendingTransactions() > 0 || activeCalls.size > 0) && Date.now() < end) {
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    close() {
      for (const e of [...servers.values()]) e.tx.terminate();
      for (const b of [...clients.values()]) b.tx.terminate();
    },
  };
}
