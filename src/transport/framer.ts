// Splits a SIP byte stream (TCP) into messages. The end of the header block is found by an
// incremental search for CRLFCRLF that carries its state across chunks, so no byte is scanned twice;
// the body length comes from Content-Length (digits only). A message that arrives in one chunk is
// handed out as a view of that chunk, without copying. CRLF octets between messages are skipped, and
// a CRLFCRLF there is an RFC 5626 keep-alive ping.

import {
  CONTENT_LENGTH_ABSENT,
  CONTENT_LENGTH_CONFLICT,
  CONTENT_LENGTH_INVALID,
  readContentLength,
} from './content-length.ts';

export type FramingError =
  | 'header-too-large'
  | 'content-length-invalid'
  | 'content-length-conflict'
  | 'body-too-large'
  | 'truncated';

export interface FrameSink {
  /** One complete message: header block and exactly Content-Length octets of body. */
  message(frame: Buffer): void;
  /** A CRLFCRLF keep-alive between messages; the answer is a single CRLF. */
  ping(): void;
  /**
   * The stream cannot be framed any further. `partial` holds what is known of the offending message
   * (at least its header block when that was complete), for an error response; null when nothing.
   */
  error(kind: FramingError, partial: Buffer | null): void;
}

const CR = 13;
const LF = 10;

const CRLFCRLF = Buffer.from('\r\n\r\n', 'latin1');

const IDLE = 0;
const HEAD = 1;
const BODY = 2;

export class StreamFramer {
  private readonly maxHeaderBytes: number;
  private readonly maxBodyBytes: number;
  private phase = IDLE;
  /** Progress through CRLFCRLF: 0 none, 1 CR, 2 CRLF, 3 CRLFCR (4 = complete, never stored). */
  private match = 0;
  /** Octets of the current message received in earlier chunks. */
  private pending: Buffer[] = [];
  private pendingLength = 0;
  /** BODY phase: total length of the current message. */
  private needed = 0;
  private stopped = false;

  constructor(maxHeaderBytes: number, maxBodyBytes: number) {
    this.maxHeaderBytes = maxHeaderBytes;
    this.maxBodyBytes = maxBodyBytes;
  }

  /** Octets held for an incomplete message. */
  get bufferedBytes(): number {
    return this.pendingLength;
  }

  /** After an error or stop(), further input is ignored. */
  get isStopped(): boolean {
    return this.stopped;
  }

  stop(): void {
    this.stopped = true;
    this.pending = [];
    this.pendingLength = 0;
  }

  /** Feeds one chunk. Returns false once the framer has stopped (error or stop()). */
  push(input: Buffer, sink: FrameSink): boolean {
    let chunk = input;
    let offset = 0;
    while (offset < chunk.length && !this.stopped) {
      if (this.phase === IDLE) {
        offset = this.skipBetweenMessages(chunk, offset, sink);
        if (offset >= chunk.length || this.stopped) break;
        this.phase = HEAD;
        this.match = 0;
      }

      if (this.phase === HEAD) {
        const room = this.maxHeaderBytes - this.pendingLength;
        const scanEnd = Math.min(chunk.length, offset + room);
        let headerEnd = this.findHeaderEnd(chunk, offset, scanEnd);
        if (headerEnd < 0) {
          if (scanEnd < chunk.length || this.pendingLength + (chunk.length - offset) >= this.maxHeaderBytes) {
            this.fail('header-too-large', this.joinPending(chunk.subarray(offset, scanEnd)), sink);
            break;
          }
          this.keep(offset === 0 ? chunk : chunk.subarray(offset));
          break;
        }
        if (this.pendingLength > 0) {
          // Make the message contiguous once; the rest of the chunk comes along so that any further
          // messages in it are still handed out as views.
          const before = this.pendingLength;
          this.pending.push(chunk.subarray(offset));
          chunk = Buffer.concat(this.pending, before + chunk.length - offset);
          headerEnd = headerEnd - offset + before;
          offset = 0;
          this.pending = [];
          this.pendingLength = 0;
        }
        const headerLength = headerEnd + 1 - offset;
        const contentLength = readContentLength(chunk, offset, headerEnd + 1, this.maxBodyBytes);
        if (contentLength < 0 && contentLength !== CONTENT_LENGTH_ABSENT) {
          const kind: FramingError =
            contentLength === CONTENT_LENGTH_INVALID
              ? 'content-length-invalid'
              : contentLength === CONTENT_LENGTH_CONFLICT
                ? 'content-length-conflict'
                : 'body-too-large';
          this.fail(kind, chunk.subarray(offset, headerEnd + 1), sink);
          break;
        }
        // RFC 3261 §18.3 requires Content-Length on streams; RFC 2543 senders omit it with no body.
        const total = headerLength + (contentLength === CONTENT_LENGTH_ABSENT ? 0 : contentLength);
        if (chunk.length - offset >= total) {
          this.phase = IDLE;
          sink.message(chunk.subarray(offset, offset + total));
          offset += total;
          continue;
        }
        this.phase = BODY;
        this.needed = total;
        this.keep(offset === 0 ? chunk : chunk.subarray(offset));
        break;
      }

      // BODY
      const take = Math.min(this.needed - this.pendingLength, chunk.length - offset);
      this.keep(chunk.subarray(offset, offset + take));
      offset += take;
      if (this.pendingLength === this.needed) {
        const frame = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending, this.needed);
        this.pending = [];
        this.pendingLength = 0;
        this.phase = IDLE;
        sink.message(frame);
      }
    }
    return !this.stopped;
  }

  /** The stream ended. An incomplete message is reported as 'truncated'. */
  finish(sink: FrameSink): void {
    if (this.stopped) return;
    if (this.phase !== IDLE && this.pendingLength > 0) {
      this.fail('truncated', this.joinPending(null), sink);
      return;
    }
    this.stop();
  }

  private keep(part: Buffer): void {
    if (part.length === 0) return;
    this.pending.push(part);
    this.pendingLength += part.length;
  }

  private joinPending(tail: Buffer | null): Buffer | null {
    if (tail !== null && tail.length > 0) this.pending.push(tail);
    const total = this.pendingLength + (tail === null ? 0 : tail.length);
    if (total === 0) return null;
    return this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending, total);
  }

  private fail(kind: FramingError, partial: Buffer | null, sink: FrameSink): void {
    this.stop();
    sink.error(kind, partial);
  }

  /** Consumes CR and LF octets before a start line; a CRLFCRLF among them is a ping. */
  private skipBetweenMessages(chunk: Buffer, from: number, sink: FrameSink): number {
    let i = from;
    let m = this.match;
    while (i < chunk.length) {
      const b = chunk[i]!;
      if (b === CR) {
        m = m === 2 ? 3 : 1;
      } else if (b === LF) {
        m = m === 1 ? 2 : m === 3 ? 4 : 0;
        if (m === 4) {
          m = 0;
          this.match = 0;
          sink.ping();
          if (this.stopped) return chunk.length;
        }
      } else {
        break;
      }
      i++;
    }
    this.match = m;
    return i;
  }

  /**
   * Index of the LF that completes CRLFCRLF in chunk[from, to), continuing the match state left by
   * earlier chunks, or -1 (state updated for the next chunk). Only the first three octets need the
   * carried state; the rest is one native search.
   */
  private findHeaderEnd(chunk: Buffer, from: number, to: number): number {
    let m = this.match;
    let p = from;
    // Finish a CRLFCRLF begun in the previous chunk.
    while (m !== 0 && p < to) {
      const b = chunk[p]!;
      if (b === CR) m = m === 2 ? 3 : 1;
      else if (b === LF) m = m === 1 ? 2 : m === 3 ? 4 : 0;
      else m = 0;
      if (m === 4) {
        this.match = 0;
        return p;
      }
      p++;
    }
    if (p < to) {
      const at = chunk.indexOf(CRLFCRLF, p);
      if (at >= 0 && at + 4 <= to) {
        this.match = 0;
        return at + 3;
      }
      // Carry a partial match at the end of the scanned range.
      m = 0;
      for (let i = Math.max(p, to - 3); i < to; i++) {
        const b = chunk[i]!;
        if (b === CR) m = m === 2 ? 3 : 1;
        else if (b === LF) m = m === 1 ? 2 : 0;
        else m = 0;
      }
    }
    this.match = m;
    return -1;
  }
}
