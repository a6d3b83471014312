// The SIP transport of one process: UDP and TCP listening on the same address and port, one message
// callback for both, and sending by transport. Port 0 picks a port free for both protocols.

import { defaultTransportLimits } from './limits.ts';
import type { TransportLimits } from './limits.ts';
import { TcpTransport } from './tcp.ts';
import type { TcpCounters } from './tcp.ts';
import type { FramingErrorReply } from './tcp-connection.ts';
import type { Connection, MessageHandler, SendErrorHandler, TransportName } from './types.ts';
import { UdpListener } from './udp.ts';

export interface SipTransportOptions {
  host: string;
  /** 0: any port free for both UDP and TCP. */
  port: number;
  family: 4 | 6;
  /** SO_REUSEPORT on both sockets, for several worker processes on one port. */
  reusePort?: boolean;
  /**
   * Also open a UDP socket on a port of this process alone (same host, port picked by the kernel),
   * for requests whose responses must come back to this process; its messages reach
   * onOutboundMessage, or onMessage when that is absent.
   */
  outboundUdp?: boolean;
  limits?: Partial<TransportLimits>;
  onMessage: MessageHandler;
  /** Messages that arrived on the outbound UDP socket (see outboundUdp). */
  onOutboundMessage?: MessageHandler;
  /** Socket and server errors that did not close the listener (for logs and counters). */
  onError?: (error: Error, transport: TransportName) => void;
  /** Reply to a TCP message that cannot be framed; null or absent: close without reply. */
  framingErrorReply?: FramingErrorReply | null;
}

export interface SipTransportStats {
  tcpConnections: number;
  tcp: Readonly<TcpCounters>;
  udpDropped: number;
}

const UDP_MAX_DATAGRAM = 65535;

export class SipTransport {
  readonly host: string;
  readonly port: number;
  readonly limits: Readonly<TransportLimits>;
  private readonly udp: UdpListener;
  private readonly tcp: TcpTransport;
  private outbound: UdpListener | undefined;

  private constructor(host: string, port: number, limits: TransportLimits, udp: UdpListener, tcp: TcpTransport) {
    this.host = host;
    this.port = port;
    this.limits = limits;
    this.udp = udp;
    this.tcp = tcp;
  }

  /** Port of the outbound UDP socket (option outboundUdp), else undefined. */
  get outboundUdpPort(): number | undefined {
    return this.outbound?.port;
  }

  static async start(options: SipTransportOptions): Promise<SipTransport> {
    const limits: TransportLimits = { ...defaultTransportLimits, ...options.limits };
    const onError = options.onError ?? ((): void => {});
    const attempts = options.port === 0 ? 20 : 1;
    let lastError: unknown;
    for (let attempt = 0; attempt < attempts; attempt++) {
      const udp = await UdpListener.listen({
        host: options.host,
        port: options.port,
        family: options.family,
        reusePort: options.reusePort ?? false,
        maxDatagramBytes: Math.min(UDP_MAX_DATAGRAM, limits.maxHeaderBytes + limits.maxBodyBytes),
        onMessage: options.onMessage,
        onError: (error) => onError(error, 'udp'),
      });
      try {
        const tcp = await TcpTransport.listen({
          host: options.host,
          port: udp.port,
          reusePort: options.reusePort ?? false,
          limits,
          onMessage: options.onMessage,
          onError: (error) => onError(error, 'tcp'),
          framingErrorReply: options.framingErrorReply ?? null,
        });
        const transport = new SipTransport(options.host, udp.port, limits, udp, tcp);
        if (options.outboundUdp === true) {
          try {
            transport.outbound = await UdpListener.listen({
              host: options.host,
              port: 0,
              family: options.family,
              reusePort: false,
              maxDatagramBytes: Math.min(UDP_MAX_DATAGRAM, limits.maxHeaderBytes + limits.maxBodyBytes),
              onMessage: options.onOutboundMessage ?? options.onMessage,
              onError: (error) => onError(error, 'udp'),
            });
          } catch (error) {
            await transport.close();
            throw error;
          }
        }
        return transport;
      } catch (error) {
        await udp.close();
        lastError = error;
        if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') break;
      }
    }
    throw lastError;
  }

  /** Sends a datagram to address:port. Errors go to onError, never thrown. */
  sendUdp(address: string, port: number, data: Buffer, onError?: SendErrorHandler): void {
    this.udp.send(address, port, data, onError);
  }

  /** Sends a datagram from the outbound UDP socket (the shared one when there is none). */
  sendUdpOutbound(address: string, port: number, data: Buffer, onError?: SendErrorHandler): void {
    (this.outbound ?? this.udp).send(address, port, data, onError);
  }

  /** Sends over TCP to address:port, reusing an open connection to that peer or opening one. */
  sendTcp(address: string, port: number, data: Buffer, onError?: SendErrorHandler): void {
    this.tcp.send(address, port, data, onError);
  }

  /** Sends over the given transport. */
  send(transport: TransportName, address: string, port: number, data: Buffer, onError?: SendErrorHandler): void {
    if (transport === 'udp') this.udp.send(address, port, data, onError);
    else this.tcp.send(address, port, data, onError);
  }

  /** Opens an outbound TCP connection (its inbound messages reach onMessage). Null when refused. */
  connectTcp(address: string, port: number, onError?: SendErrorHandler): Connection | null {
    return this.tcp.connect(address, port, onError);
  }

  stats(): SipTransportStats {
    return { tcpConnections: this.tcp.connectionCount, tcp: this.tcp.counters, udpDropped: this.udp.dropped };
  }

  async close(): Promise<void> {
    await Promise.all([this.udp.close(), this.tcp.close(), this.outbound?.close()]);
  }
}
