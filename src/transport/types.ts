// What the transports hand to their user, and what they let it do.

export type TransportName = 'udp' | 'tcp';

/** Called when a send fails; sends never throw. */
export type SendErrorHandler = (error: Error) => void;

/** A TCP connection, inbound or outbound. */
export interface Connection {
  readonly id: number;
  /** Peer address as seen on the socket (IPv4-mapped IPv6 shown as plain IPv4). */
  readonly remoteAddress: string;
  readonly remotePort: number;
  readonly outbound: boolean;
  readonly isOpen: boolean;
  /** Queues octets for the peer. Returns false (and reports through onError) when it cannot. */
  send(data: Buffer, onError?: SendErrorHandler): boolean;
  /** Ends the connection once queued octets are written. */
  close(): void;
}

/** Where a message came from. The address is the socket's, never anything from the message. */
export interface MessageSource {
  readonly address: string;
  readonly port: number;
  readonly transport: TransportName;
  /** The TCP connection it arrived on; null for UDP. */
  readonly connection: Connection | null;
}

/** Receives every framed message (a whole UDP datagram, or one framed TCP message). */
export type MessageHandler = (data: Buffer, source: MessageSource) => void;
