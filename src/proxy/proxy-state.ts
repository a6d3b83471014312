// What the proxy core keeps per transaction while a request is being forwarded.

import type { SipUri, TelUri } from '../sip/uri.ts';
import type { SipRequest, SipResponse } from '../sip/message.ts';
import type { ClientTransaction } from './client-transaction.ts';
import type { NextHop } from './resolver.ts';
import type { ServerTransaction } from './server-transaction.ts';
import type { Accept, Peer, PeerTransport } from './types.ts';

/** A request received (server transaction) and, once accepted, its forwarding context. */
export interface ServerEntry {
  key: string;
  tx: ServerTransaction;
  /** The received request; once retired, only its method and Call-ID remain. */
  req: SipRequest;
  source: Peer;
  cancelled: boolean;
  /** Answered finally: lingering on RFC 3261 timers with the request and forwarding state let go. */
  retired: boolean;
  ctx: ForwardCtx | undefined;
}

/** One place to forward to: a URI to resolve, or a known TCP flow. */
export interface Target {
  uri: string;
  /** `uri` parsed, when the caller already has it (else parsed when the target is tried). */
  parsed?: SipUri | TelUri | null;
  transport: PeerTransport | undefined;
  /** Send on this TCP flow instead of resolving the URI. */
  flow?: { address: string; port: number };
}

/** One forwarded copy (client transaction) of the request. */
export interface Branch {
  branch: string;
  /** The forwarded request as a message (built on first use: CANCEL, ACK for a non-2xx). */
  request: () => SipRequest;
  /** Lets the received request go once neither a CANCEL nor an ACK for this branch can follow. */
  release: () => void;
  peer: Peer;
  /** Sent from the process's own outbound UDP socket (its port is in our Via). */
  own: boolean;
  tx: ClientTransaction;
  provisional: boolean;
  cancelSent: boolean;
}

/** Serial forwarding over the targets: current branch, fail-over state, outcome. */
export interface ForwardCtx {
  entry: ServerEntry;
  inDialog: boolean;
  /** In-dialog, callee → caller: leaves from the SIP port (a caller behind NAT expects it there). */
  towardsCaller: boolean;
  accept: Accept | undefined;
  remainingRoutes: SipRequest['route'];
  targets: Target[];
  targetIndex: number;
  hops: NextHop[];
  hopIndex: number;
  attempts: number;
  /** Computed when first needed (forwarding, or a Via of ours on the request). */
  loopHash: string | undefined;
  current: Branch | undefined;
  lastFinal: SipResponse | undefined;
  timedOut: boolean;
  cancelled: boolean;
  done: boolean;
  answered: boolean;
  channelKey: string | undefined;
}
