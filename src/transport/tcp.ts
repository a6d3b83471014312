// TCP side of the SIP transport: the listening server with its connection caps (total and per
// source address), and outbound connections opened on demand. Every connection is a TcpConnection.

import { connect, createServer } from 'node:net';
import type { Server, Socket } from 'node:net';
import { plainAddress, sourceKey } from './address.ts';
import type { TransportLimits } from './limits.ts';
import { TcpConnection } from './tcp-connection.ts';
import type { FramingErrorReply } from './tcp-connection.ts';
import type { Connection, MessageHandler, SendErrorHandler } from './types.ts';

export interface TcpTransportOptions {
  host: string;
  port: number;
  reusePort: boolean;
  limits: TransportLimits;
  onMessage: MessageHandler;
  /** Server-level errors (accept failures); the server keeps listening. */
  onError: (error: Error) => void;
  framingErrorReply: FramingErrorReply | null;
}

export interface TcpCounters {
  accepted: number;
  /** Refused because the source address had too many connections. */
  refusedPerSource: number;
  /** Refused because the total cap was reached. */
  refusedTotal: number;
  /** Closed by this side for idle timeout, framing errors or write backlog. */
  closedByUs: number;
}

function key(address: string, port: number): string {
  return address + '|' + port;
}

export class TcpTransport {
  private readonly server: Server;
  private readonly options: TcpTransportOptions;
  private readonly open = new Set<TcpConnection>();
  private readonly perSource = new Map<string, number>();
  /** Open connections by peer address and port, for reuse when sending. */
  private readonly byPeer = new Map<string, TcpConnection>();
  private nextId = 1;
  private closing = false;
  readonly counters: TcpCounters = { accepted: 0, refusedPerSource: 0, refusedTotal: 0, closedByUs: 0 };

  private constructor(server: Server, options: TcpTransportOptions) {
    this.server = server;
    this.options = options;
  }

  static listen(options: TcpTransportOptions): Promise<TcpTransport> {
    const server = createServer({ allowHalfOpen: true, noDelay: true });
    const transport = new TcpTransport(server, options);
    server.on('connection', (socket) => transport.accept(socket));
    return new Promise((resolve, reject) => {
      const onListenError = (error: Error): void => {
        server.close();
        reject(error);
      };
      server.once('error', onListenError);
      server.listen({ host: options.host, port: options.port, reusePort: options.reusePort, backlog: 1024 }, () => {
        server.off('error', onListenError);
        server.on('error', options.onError);
        resolve(transport);
      });
    });
  }

  get port(): number {
    const address = this.server.address();
    return typeof address === 'object' && address !== null ? address.port : 0;
  }

  get connectionCount(): number {
    return this.open.size;
  }

  /** Sends over an open connection to address:port, opening one when there is none. */
  send(address: string, port: number, data: Buffer, onError?: SendErrorHandler): void {
    const existing = this.byPeer.get(key(address, port));
    if (existing !== undefined && existing.isOpen) {
      existing.send(data, onError);
      return;
    }
    if (onError === undefined) {
      this.connect(address, port)?.send(data);
      return;
    }
    // A failed connect errors both the socket and the queued write: report once, the socket's
    // error (ECONNREFUSED...) first, hence the write's error waits a turn.
    let reported = false;
    const reportOnce = (error: Error): void => {
      if (reported) return;
      reported = true;
      onError(error);
    };
    const opened = this.connect(address, port, reportOnce);
    opened?.send(data, (error) => setImmediate(reportOnce, error));
  }

  /** Opens an outbound connection; its first socket error (e.g. refused) goes to onError. Null when refused by caps. */
  connect(address: string, port: number, onError?: SendErrorHandler): Connection | null {
    if (this.closing || this.open.size >= this.options.limits.maxConnections) {
      if (onError !== undefined) process.nextTick(onError, new Error('TCP connection limit reached'));
      return null;
    }
    let socket: Socket;
    try {
      socket = connect({ host: address, port, noDelay: true, allowHalfOpen: true });
    } catch (error) {
      if (onError !== undefined) process.nextTick(onError, error as Error);
      return null;
    }
    if (onError !== undefined) socket.once('error', onError);
    return this.adopt(socket, address, port, true);
  }

  /** Closes the server and every connection. */
  close(): Promise<void> {
    this.closing = true;
    for (const connection of this.open) connection.abort('shutdown');
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private accept(socket: Socket): void {
    socket.on('error', ignore);
    const address = plainAddress(socket.remoteAddress ?? '');
    const port = socket.remotePort ?? 0;
    if (this.closing || address === '') {
      socket.destroy();
      return;
    }
    const limits = this.options.limits;
    if (this.open.size >= limits.maxConnections) {
      this.counters.refusedTotal++;
      socket.destroy();
      return;
    }
    const capKey = sourceKey(address);
    const fromSource = this.perSource.get(capKey) ?? 0;
    if (fromSource >= limits.maxConnectionsPerSource) {
      this.counters.refusedPerSource++;
      socket.destroy();
      return;
    }
    this.counters.accepted++;
    this.perSource.set(capKey, fromSource + 1);
    this.adopt(socket, address, port, false);
  }

  private adopt(socket: Socket, address: string, port: number, outbound: boolean): TcpConnection {
    const connection = new TcpConnection(socket, this.nextId++, address, port, outbound, this.options.limits, {
      onMessage: this.options.onMessage,
      onClosed: (closed) => this.forget(closed),
      framingErrorReply: this.options.framingErrorReply,
    });
    this.open.add(connection);
    this.byPeer.set(key(address, port), connection);
    return connection;
  }

  private forget(connection: TcpConnection): void {
    if (!this.open.delete(connection)) return;
    const reason = connection.closeReason;
    if (reason !== undefined && reason !== 'shutdown' && reason !== 'peer-ended') this.counters.closedByUs++;
    const peer = key(connection.remoteAddress, connection.remotePort);
    if (this.byPeer.get(peer) === connection) this.byPeer.delete(peer);
    if (!connection.outbound) {
      const capKey = sourceKey(connection.remoteAddress);
      const left = (this.perSource.get(capKey) ?? 1) - 1;
      if (left <= 0) this.perSource.delete(capKey);
      else this.perSource.set(capKey, left);
    }
  }
}

function ignore(): void {}
