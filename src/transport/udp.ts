// UDP listener: each datagram is one message. Sends go out from the listening socket so that
// replies leave from the port the peer wrote to.

import { createSocket } from 'node:dgram';
import type { Socket } from 'node:dgram';
import { lookup as dnsLookup } from 'node:dns';
import { isIP } from 'node:net';
import { addressForFamily, plainAddress } from './address.ts';
import type { MessageHandler, MessageSource, SendErrorHandler } from './types.ts';

export interface UdpListenerOptions {
  host: string;
  port: number;
  family: 4 | 6;
  /** Share the port with other worker processes (SO_REUSEPORT). */
  reusePort: boolean;
  /** Datagrams larger than this are dropped unread. */
  maxDatagramBytes: number;
  onMessage: MessageHandler;
  /** Socket-level errors (the socket stays open). */
  onError: (error: Error) => void;
}

const RECV_BUFFER_BYTES = 4 * 1024 * 1024;

type LookupCallback = (error: Error | null, address: string, family: number) => void;

let lastLiteral = '';
let lastKind = 0;

/**
 * node:dgram resolves every send's destination through this. The proxy always sends to literal
 * addresses: answering those synchronously saves a dns.lookup call and a nextTick hop per datagram.
 * Names (never used by our callers) still go through dns.lookup.
 */
function literalFirstLookup(host: string, family: unknown, callback: LookupCallback): void {
  // The same few peers over and over: the last literal is remembered (isIP runs a regular expression).
  if (host === lastLiteral) {
    callback(null, host, lastKind);
    return;
  }
  const kind = isIP(host);
  if (kind !== 0) {
    lastLiteral = host;
    lastKind = kind;
    callback(null, host, kind);
    return;
  }
  dnsLookup(host, { family: family === 6 ? 6 : 4 }, callback);
}

function isOnlyLineBreaks(data: Buffer): boolean {
  for (let i = 0; i < data.length; i++) {
    const b = data[i];
    if (b !== 13 && b !== 10) return false;
  }
  return true;
}

export class UdpListener {
  private readonly socket: Socket;
  private readonly family: 4 | 6;
  private closed = false;
  /** Datagrams dropped for size or for holding only CR/LF. */
  dropped = 0;

  private constructor(socket: Socket, family: 4 | 6) {
    this.socket = socket;
    this.family = family;
  }

  static listen(options: UdpListenerOptions): Promise<UdpListener> {
    const socket = createSocket({
      type: options.family === 6 ? 'udp6' : 'udp4',
      reusePort: options.reusePort,
      lookup: literalFirstLookup as never,
    });
    const listener = new UdpListener(socket, options.family);
    return new Promise((resolve, reject) => {
      const onBindError = (error: Error): void => {
        socket.close();
        reject(error);
      };
      socket.once('error', onBindError);
      socket.bind({ address: options.host, port: options.port, exclusive: !options.reusePort }, () => {
        socket.off('error', onBindError);
        try {
          // Room for bursts; the kernel clamps this to its own maximum.
          socket.setRecvBufferSize(RECV_BUFFER_BYTES);
        } catch {
          // keep the default size
        }
        socket.on('error', options.onError);
        socket.on('message', (data, info) => {
          if (data.length > options.maxDatagramBytes || isOnlyLineBreaks(data)) {
            listener.dropped++;
            return;
          }
          const source: MessageSource = {
            address: plainAddress(info.address),
            port: info.port,
            transport: 'udp',
            connection: null,
          };
          try {
            options.onMessage(data, source);
          } catch (error) {
            // The handler's fault costs this datagram only.
            options.onError(error as Error);
          }
        });
        resolve(listener);
      });
    });
  }

  get port(): number {
    return this.socket.address().port;
  }

  get address(): string {
    return this.socket.address().address;
  }

  /** Sends one datagram. Errors go to onError, never thrown. */
  send(address: string, port: number, data: Buffer, onError?: SendErrorHandler): void {
    if (this.closed) {
      if (onError !== undefined) process.nextTick(onError, new Error('UDP listener closed'));
      return;
    }
    const target = addressForFamily(address, this.family);
    try {
      if (onError === undefined) {
        this.socket.send(data, port, target);
      } else {
        this.socket.send(data, port, target, (error) => {
          if (error) onError(error);
        });
      }
    } catch (error) {
      // Bad port or address arguments throw synchronously in node:dgram.
      if (onError !== undefined) process.nextTick(onError, error as Error);
    }
  }

  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.closed = true;
    return new Promise((resolve) => this.socket.close(() => resolve()));
  }
}
