// The proxy's I/O boundary: where a message came from, where bytes go, and what the gate decided.
// The transport layer adapts its sockets to Peer and SendFn; the gate's decision is mapped to
// Admission by whoever wires the two together (src/main.ts).

import type { ForwardTarget } from '../gate/view.ts';
import type { SipRequest } from '../sip/message.ts';
import type { Connection } from '../transport/types.ts';

export type PeerTransport = 'udp' | 'tcp';

/** A remote end: for received messages the socket's view (never a header's). */
export interface Peer {
  transport: PeerTransport;
  address: string;
  port: number;
  /** The TCP connection a message arrived on, to answer on it (null/absent for UDP). */
  connection?: Connection | null;
}

/**
 * Sends bytes to a peer. With `connection` set, on that TCP connection; for TCP without one, over
 * an existing connection to address:port or a new one. A failure (unreachable, refused, closed)
 * is reported through onError, possibly synchronously, never thrown. Without onError a UDP send
 * asks node for no completion callback (node then reports no error either): the proxy sends so
 * only what has no fail-over and nowhere else to go, saving a deferred callback per datagram.
 */
export type SendFn = (to: Peer, bytes: Buffer, onError?: (err: Error) => void) => void;

export type AuthMethod = { method: 'ip' } | { method: 'digest'; user: string };

/** The gate accepted the request: where it may go and on whose behalf. */
export interface Accept {
  kind: 'accept';
  accountSid: string;
  /** SD…, TK… or the credential connection's id. */
  targetSid: string;
  auth: AuthMethod;
  /** Candidate destinations; the proxy orders them (priority, weight) and fails over. */
  targets: ForwardTarget[];
  /** Credential connections: count this call against a channel limit (null = unlimited). */
  channel?: { owner: string; limit: number | null };
}

/** The gate answered the request itself (challenge, 403, 404, 603, ...). */
export interface Reject {
  kind: 'reject';
  status: number;
  reason?: string;
  headers?: Array<[string, string]>;
}

/** The gate wants the request dropped without an answer (e.g. a banned source). */
export interface Drop {
  kind: 'drop';
}

export type Admission = Accept | Reject | Drop;

/** The gate, as the proxy calls it for each new out-of-dialog request (not ACK, not CANCEL). */
export type AdmitFn = (req: SipRequest, source: Peer) => Admission | Promise<Admission>;
