// One TCP connection carrying SIP: frames inbound octets, answers keep-alive pings, closes itself on
// idle timeout, framing errors and stuck writes. Implements FrameSink so framing needs no closures.

import type { Socket } from 'node:net';
import { StreamFramer } from './framer.ts';
import type { FrameSink, FramingError } from './framer.ts';
import type { TransportLimits } from './limits.ts';
import type { Connection, MessageHandler, MessageSource, SendErrorHandler } from './types.ts';

const PONG = Buffer.from('\r\n', 'latin1');

/** Builds the reply to a message that could not be framed (a 400), or null to close silently. */
export type FramingErrorReply = (kind: FramingError, partial: Buffer | null) => Buffer | null;

export interface TcpConnectionHooks {
  onMessage: MessageHandler;
  onClosed: (connection: TcpConnection) => void;
  framingErrorReply: FramingErrorReply | null;
}

export class TcpConnection implements Connection, FrameSink {
  readonly id: number;
  readonly remoteAddress: string;
  readonly remotePort: number;
  readonly outbound: boolean;
  /** Why the connection was closed by this side, for counters. */
  closeReason: string | undefined;
  private readonly socket: Socket;
  private readonly framer: StreamFramer;
  private readonly limits: TransportLimits;
  private readonly hooks: TcpConnectionHooks;
  /** The same source object for every message of this connection. */
  private readonly source: MessageSource;
  private open = true;
  /** When the incomplete message now buffered began to arrive (0: none buffered). */
  private partialSince = 0;
  /** Messages framed so far. */
  private completed = 0;

  constructor(
    socket: Socket,
    id: number,
    remoteAddress: string,
    remotePort: number,
    outbound: boolean,
    limits: TransportLimits,
    hooks: TcpConnectionHooks,
  ) {
    this.socket = socket;
    this.id = id;
    this.remoteAddress = remoteAddress;
    this.remotePort = remotePort;
    this.outbound = outbound;
    this.limits = limits;
    this.hooks = hooks;
    this.framer = new StreamFramer(limits.maxHeaderBytes, limits.maxBodyBytes);
    this.source = Object.freeze({ address: remoteAddress, port: remotePort, transport: 'tcp', connection: this });

    socket.setNoDelay(true);
    socket.setTimeout(limits.idleTimeoutMs);
    socket.on('timeout', () => this.abort('idle'));
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('end', () => {
      // The peer finished sending: report a cut message, then finish our side after queued writes.
      if (this.open) this.framer.finish(this);
      this.closeReason ??= 'peer-ended';
      this.close();
    });
    socket.on('error', () => this.abort('socket-error'));
    socket.on('close', () => {
      this.open = false;
      this.framer.stop();
      this.hooks.onClosed(this);
    });
  }

  get isOpen(): boolean {
    return this.open && !this.socket.destroyed;
  }

  /** Octets held for an incomplete inbound message. */
  get bufferedBytes(): number {
    return this.framer.bufferedBytes;
  }

  private receive(chunk: Buffer): void {
    if (!this.open) return;
    const completedBefore = this.completed;
    try {
      this.framer.push(chunk, this);
    } catch {
      // Not expected; a fault in framing or in the handler must cost this connection only.
      this.abort('internal-error');
      return;
    }
    if (this.framer.bufferedBytes === 0) {
      this.partialSince = 0;
    } else if (this.partialSince === 0 || this.completed !== completedBefore) {
      // The buffered octets belong to a message that began in this chunk.
      this.partialSince = Date.now();
    } else if (Date.now() - this.partialSince > this.limits.messageTimeoutMs) {
      this.abort('slow-message');
    }
  }

  send(data: Buffer, onError?: SendErrorHandler): boolean {
    if (!this.isOpen || !this.socket.writable) {
      if (onError !== undefined) process.nextTick(onError, new Error('TCP connection closed'));
      return false;
    }
    if (this.socket.writableLength + data.length > this.limits.maxPendingWriteBytes) {
      this.abort('write-backlog');
      if (onError !== undefined) process.nextTick(onError, new Error('TCP connection not draining'));
      return false;
    }
    if (onError === undefined) {
      this.socket.write(data);
    } else {
      this.socket.write(data, (error) => {
        if (error) onError(error);
      });
    }
    return true;
  }

  close(): void {
    if (!this.open) return;
    this.open = false;
    this.framer.stop();
    this.closeReason ??= 'closed';
    // Read no more; once our queued octets and FIN are out, release the socket. A peer that never
    // reads is cut off by the shortened timeout.
    this.socket.pause();
    this.socket.end();
    this.socket.once('finish', () => this.socket.destroy());
    this.socket.setTimeout(Math.min(this.limits.idleTimeoutMs, 5000));
  }

  /** Closes at once, dropping queued writes. */
  abort(reason: string): void {
    this.open = false;
    this.framer.stop();
    this.closeReason ??= reason;
    this.socket.destroy();
  }

  // FrameSink

  message(frame: Buffer): void {
    this.completed++;
    this.hooks.onMessage(frame, this.source);
  }

  ping(): void {
    this.send(PONG);
  }

  error(kind: FramingError, partial: Buffer | null): void {
    this.closeReason = 'framing:' + kind;
    let reply: Buffer | null = null;
    if (this.hooks.framingErrorReply !== null) {
      try {
        reply = this.hooks.framingErrorReply(kind, partial);
      } catch {
        reply = null;
      }
    }
    if (reply !== null) this.send(reply);
    this.close();
  }
}
