// Loopback clients for tests: UDP request/response, TCP connections that collect what they receive.

import { createSocket } from 'node:dgram';
import { connect } from 'node:net';
import type { Socket } from 'node:net';

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `check` until it returns true or `timeoutMs` passes; returns the last result. */
export async function waitFor(check: () => boolean, timeoutMs = 5000, everyMs = 10): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (check()) return true;
    await sleep(everyMs);
  }
  return check();
}

/** Sends one datagram and waits for the first reply; null when none arrives in time. */
export function udpExchange(host: string, port: number, data: Buffer, timeoutMs = 1000): Promise<Buffer | null> {
  return new Promise((resolve) => {
    const socket = createSocket(host.includes(':') ? 'udp6' : 'udp4');
    const done = (reply: Buffer | null): void => {
      clearTimeout(timer);
      socket.close();
      resolve(reply);
    };
    const timer = setTimeout(() => done(null), timeoutMs);
    socket.on('error', () => done(null));
    socket.on('message', (reply) => done(reply));
    socket.send(data, port, host);
  });
}

/** A TCP client that keeps everything it receives. */
export class TcpClient {
  readonly socket: Socket;
  received = Buffer.alloc(0);
  closed = false;
  connected: Promise<void>;

  constructor(host: string, port: number) {
    this.socket = connect({ host, port, noDelay: true });
    this.connected = new Promise((resolve, reject) => {
      this.socket.once('connect', () => resolve());
      this.socket.once('error', reject);
    });
    this.socket.on('error', () => {
      this.closed = true;
    });
    this.socket.on('data', (chunk: Buffer) => {
      this.received = Buffer.concat([this.received, chunk]);
    });
    // The peer ending its side counts as closed (this side then ends too).
    this.socket.on('end', () => {
      this.closed = true;
    });
    this.socket.on('close', () => {
      this.closed = true;
    });
  }

  get text(): string {
    return this.received.toString('latin1');
  }

  write(data: Buffer | string): Promise<void> {
    return new Promise((resolve) => {
      if (this.socket.destroyed) return resolve();
      this.socket.write(data, () => resolve());
    });
  }

  /** Waits until the received text contains `needle` (or the connection closes). */
  async waitForText(needle: string, timeoutMs = 3000): Promise<boolean> {
    await waitFor(() => this.text.includes(needle) || this.closed, timeoutMs);
    return this.text.includes(needle);
  }

  /** Waits until the peer has closed the connection. */
  waitClosed(timeoutMs = 3000): Promise<boolean> {
    return waitFor(() => this.closed, timeoutMs);
  }

  destroy(): void {
    this.socket.destroy();
  }
}

/** The status code of the first SIP response in `text`, or null. */
export function firstStatus(text: string): number | null {
  const at = text.indexOf('SIP/2.0 ');
  if (at < 0) return null;
  const code = Number(text.slice(at + 8, at + 11));
  return Number.isInteger(code) ? code : null;
}
