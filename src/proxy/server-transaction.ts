// RFC 3261 §17.2 server transactions (INVITE and non-INVITE), with RFC 6026's Accepted state for
// INVITE 2xx. A transaction only knows Buffers and status codes: the proxy core builds messages,
// the transaction decides when to (re)send them and when it ends.

import type { Clock, TimerHandle, TimerValues } from './timers.ts';

export type ServerTxState = 'trying' | 'proceeding' | 'completed' | 'confirmed' | 'accepted' | 'terminated';

export interface ServerTxOptions {
  invite: boolean;
  /** True for TCP/TLS: no response retransmission, zero-length wait timers. */
  reliable: boolean;
  clock: Clock;
  timers: TimerValues;
  /** Sends bytes back to the request's source (address from the socket, or the TCP connection). */
  send: (bytes: Buffer) => void;
  /** Called once when the transaction ends (remove it from its table). */
  onTerminated: () => void;
  /** INVITE only: Timer H fired in Completed (no ACK ever came). */
  onAckTimeout?: () => void;
}

/**
 * bytes in a Buffer of its own: a slice of node's Buffer pool (64 KiB slabs on Node 24) kept for
 * 32 s would keep its whole slab, and every other message cut from it, alive that long.
 */
function ownBuffer(bytes: Buffer): Buffer {
  if (bytes.byteOffset === 0 && bytes.buffer.byteLength === bytes.length) return bytes;
  const copy = Buffer.allocUnsafeSlow(bytes.length);
  bytes.copy(copy);
  return copy;
}

export class ServerTransaction {
  state: ServerTxState;
  readonly invite: boolean;
  private readonly opts: ServerTxOptions;
  private lastResponse: Buffer | undefined;
  private lastStatus = 0;
  private timerG: TimerHandle | undefined;
  private timerMain: TimerHandle | undefined;
  private intervalG = 0;

  constructor(opts: ServerTxOptions) {
    this.opts = opts;
    this.invite = opts.invite;
    this.state = opts.invite ? 'proceeding' : 'trying';
  }

  /** The last status sent (0 when none). */
  get status(): number {
    return this.lastStatus;
  }

  /** A retransmission of the request arrived: resend the last response, if any. */
  onRequestRetransmission(): void {
    if (this.state === 'proceeding' || this.state === 'completed') {
      if (this.lastResponse !== undefined) this.opts.send(this.lastResponse);
    }
  }

  /** An ACK matched this INVITE transaction (non-2xx final sent). Returns true when absorbed. */
  onAck(): boolean {
    if (!this.invite) return false;
    if (this.state === 'completed') {
      this.state = 'confirmed';
      this.lastResponse = undefined; // nothing is resent once Confirmed
      this.clearTimers();
      this.timerMain = this.opts.clock.setTimer(this.opts.reliable ? 0 : this.opts.timers.t4, () => this.terminate()); // Timer I
      return true;
    }
    return this.state === 'confirmed';
  }

  /** Sends a response through the transaction. Returns false when the state forbids it. */
  respond(status: number, bytes: Buffer): boolean {
    const s = this.state;
    if (s === 'terminated' || s === 'completed' || s === 'confirmed') return false;
    if (s === 'accepted') {
      // RFC 6026: 2xx retransmissions from downstream pass through while Accepted.
      if (status >= 200 && status < 300) {
        this.opts.send(bytes);
        return true;
      }
      return false;
    }
    this.lastStatus = status;
    this.opts.send(bytes);
    if (status < 200) {
      this.lastResponse = bytes;
      if (s === 'trying') this.state = 'proceeding';
      return true;
    }
    // A 2xx to INVITE is never resent from here (RFC 6026: retransmissions come from downstream);
    // any other final is kept for up to 64*T1, in a Buffer of its own.
    this.lastResponse = this.invite && status < 300 ? undefined : ownBuffer(bytes);
    const { clock, timers, reliable } = this.opts;
    if (this.invite) {
      if (status < 300) {
        this.state = 'accepted';
        this.timerMain = clock.setTimer(64 * timers.t1, () => this.terminate()); // Timer L
      } else {
        this.state = 'completed';
        if (!reliable) {
          this.intervalG = timers.t1;
          this.timerG = clock.setTimer(this.intervalG, () => this.fireG());
        }
        this.timerMain = clock.setTimer(64 * timers.t1, () => {
          // Timer H
          this.opts.onAckTimeout?.();
          this.terminate();
        });
      }
    } else {
      this.state = 'completed';
      this.timerMain = clock.setTimer(reliable ? 0 : 64 * timers.t1, () => this.terminate()); // Timer J
    }
    return true;
  }

  /** Transport failure while sending: the transaction ends (§17.2.4). */
  onTransportError(): void {
    this.terminate();
  }

  terminate(): void {
    if (this.state === 'terminated') return;
    this.state = 'terminated';
    this.clearTimers();
    this.opts.onTerminated();
  }

  private fireG(): void {
    if (this.state !== 'completed' || this.lastResponse === undefined) return;
    this.opts.send(this.lastResponse);
    this.intervalG = Math.min(2 * this.intervalG, this.opts.timers.t2);
    this.timerG = this.opts.clock.setTimer(this.intervalG, () => this.fireG());
  }

  private clearTimers(): void {
    const { clock } = this.opts;
    if (this.timerG !== undefined) clock.cancelTimer(this.timerG);
    if (this.timerMain !== undefined) clock.cancelTimer(this.timerMain);
    this.timerG = undefined;
    this.timerMain = undefined;
  }
}
