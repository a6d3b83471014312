// Size, count and time caps of the SIP transports. Every buffer the transports keep is bounded by
// one of these numbers; main fills them from the configuration.

import { MAX_BODY_BYTES, MAX_HEADER_BLOCK_BYTES } from '../sip/limits.ts';

export interface TransportLimits {
  /** Largest header block (start line + headers + the empty line) accepted on a stream. */
  maxHeaderBytes: number;
  /** Largest body (Content-Length) accepted on a stream. */
  maxBodyBytes: number;
  /** A TCP connection with no inbound octet for this long is closed. */
  idleTimeoutMs: number;
  /** A message begun on a TCP connection must be complete within this time (slow senders). */
  messageTimeoutMs: number;
  /** Open TCP connections in total (inbound and outbound). */
  maxConnections: number;
  /** Open inbound TCP connections from one source address (IPv6: from one /64). */
  maxConnectionsPerSource: number;
  /** Unsent octets queued on one TCP connection before it is considered stuck and closed. */
  maxPendingWriteBytes: number;
}

export const defaultTransportLimits: Readonly<TransportLimits> = Object.freeze({
  maxHeaderBytes: MAX_HEADER_BLOCK_BYTES,
  maxBodyBytes: MAX_BODY_BYTES,
  idleTimeoutMs: 120_000,
  messageTimeoutMs: 20_000,
  maxConnections: 8192,
  maxConnectionsPerSource: 256,
  maxPendingWriteBytes: 256 * 1024,
});
