// RFC 3261 §17.1 client transactions (INVITE and non-INVITE) with RFC 6026's Accepted state, plus
// the proxy's Timer C (§16.6 step 11). Works on prebuilt Buffers: the request bytes are serialised
// once and retransmitted as they are.

import type { Clock, TimerHandle, TimerValues } from './timers.ts';

export type ClientTxState = 'calling' | 'trying' | 'proceeding' | 'completed' | 'accepted' | 'terminated';

export type ClientTxFailure = 'timeout' | 'transport-error';

export interface ClientTxOptions {
  invite: boolean;
  reliable: boolean;
  clock: Clock;
  timers: TimerValues;
  /** Timer C for INVITE in a proxy (ms, > 3 minutes by the RFC). */
  timerC?: number;
  /** Sends the request bytes to the next hop. */
  send: (bytes: Buffer) => void;
  /** INVITE: sends the hop-by-hop ACK for a non-2xx final response. */
  sendAck?: (response: unknown) => void;
  /** Every response the TU must see (first 1xx..6xx, 2xx retransmissions while Accepted). */
  onResponse: (status: number, response: unknown) => void;
  /** Timer B/F or a transport error, before any final response. */
  onFailure: (why: ClientTxFailure) => void;
  /** Timer C fired: the TU cancels the branch (after a 1xx) or treats it as a timeout. */
  onTimerC?: (provisionalSeen: boolean) => void;
  onTerminated: () => void;
}

const NO_BYTES = Buffer.alloc(0);

export class ClientTransaction {
  state: ClientTxState;
  readonly invite: boolean;
  private readonly opts: ClientTxOptions;
  private bytes: Buffer = NO_BYTES;
  private retransmit: TimerHandle | undefined;
  private timeout: TimerHandle | undefined;
  private timerC: TimerHandle | undefined;
  /** When Timer C is due (clock ms): provisionals push it back without re-arming the timer. */
  private timerCDue = 0;
  private interval = 0;
  private provisional = false;

  constructor(opts: ClientTxOptions) {
    this.opts = opts;
    this.invite = opts.invite;
    this.state = opts.invite ? 'calling' : 'trying';
  }

  get provisionalSeen(): boolean {
    return this.provisional;
  }

  /** Sends the request and arms Timers A/B (INVITE) or E/F (non-INVITE), and C. */
  start(bytes: Buffer): void {
    this.bytes = bytes;
    const { clock, timers, reliable } = this.opts;
    this.opts.send(bytes);
    if (this.state === 'terminated') return; // a synchronous transport error ended it
    if (!reliable) {
      this.interval = timers.t1;
      this.retransmit = clock.setTimer(this.interval, () => this.fireRetransmit());
    }
    this.timeout = clock.setTimer(64 * timers.t1, () => this.fail('timeout'));
    if (this.invite && this.opts.timerC !== undefined) this.armTimerC();
  }

  onResponse(status: number, response: unknown): void {
    const s = this.state;
    if (s === 'terminated') return;
    if (status < 200) {
      if (s === 'calling' || s === 'trying' || s === 'proceeding') {
        const first = s !== 'proceeding';
        this.state = 'proceeding';
        this.provisional = true;
        if (this.invite) {
          this.clearRetransmit();
          this.clearTimeout();
          this.armTimerC(); // reset on every provisional (§16.7 step 2)
        } else if (first && this.retransmit !== undefined) {
          // Timer E continues at T2 in Proceeding.
          this.interval = this.opts.timers.t2;
        }
        this.opts.onResponse(status, response);
      }
      return;
    }
    if (this.invite) {
      if (status < 300) {
        if (s === 'accepted') {
          this.opts.onResponse(status, response);
          return;
        }
        if (s === 'completed') return;
        this.clearAll();
        this.state = 'accepted';
        this.timeout = this.opts.clock.setTimer(64 * this.opts.timers.t1, () => this.terminate()); // Timer M
        this.opts.onResponse(status, response);
        return;
      }
      if (s === 'completed') {
        this.opts.sendAck?.(response); // retransmitted final: ACK again, not passed up
        return;
      }
      if (s === 'accepted') return;
      this.clearAll();
      this.state = 'completed';
      this.opts.sendAck?.(response);
      this.timeout = this.opts.clock.setTimer(this.opts.reliable ? 0 : 32_000, () => this.terminate()); // Timer D
      this.opts.onResponse(status, response);
      return;
    }
    if (s === 'completed') return;
    this.clearAll();
    this.state = 'completed';
    this.timeout = this.opts.clock.setTimer(this.opts.reliable ? 0 : this.opts.timers.t4, () => this.terminate()); // Timer K
    this.opts.onResponse(status, response);
  }

  onTransportError(): void {
    if (this.state === 'calling' || this.state === 'trying' || this.state === 'proceeding') this.fail('transport-error');
    else this.terminate();
  }

  terminate(): void {
    if (this.state === 'terminated') return;
    this.state = 'terminated';
    this.clearAll();
    this.opts.onTerminated();
  }

  private fail(why: ClientTxFailure): void {
    if (this.state === 'terminated' || this.state === 'completed' || this.state === 'accepted') return;
    if (why === 'timeout' && this.invite && this.state === 'proceeding') return; // B is off after a 1xx
    this.terminate();
    this.opts.onFailure(why);
  }

  private fireRetransmit(): void {
    this.retransmit = undefined;
    const s = this.state;
    if (s !== 'calling' && s !== 'trying' && s !== 'proceeding') return;
    if (this.invite && s !== 'calling') return;
    this.opts.send(this.bytes);
    this.interval = this.invite ? 2 * this.interval : s === 'proceeding' ? this.opts.timers.t2 : Math.min(2 * this.interval, this.opts.timers.t2);
    this.retransmit = this.opts.clock.setTimer(this.interval, () => this.fireRetransmit());
  }

  /** (Re)starts Timer C. A running timer is not re-armed: when it fires early it re-arms for the rest. */
  private armTimerC(): void {
    const ms = this.opts.timerC;
    if (ms === undefined) return;
    this.timerCDue = this.opts.clock.now() + ms;
    if (this.timerC === undefined) this.timerC = this.opts.clock.setTimer(ms, () => this.fireTimerC());
  }

  private fireTimerC(): void {
    this.timerC = undefined;
    if (this.state !== 'calling' && this.state !== 'proceeding') return;
    const rest = this.timerCDue - this.opts.clock.now();
    if (rest > 0) {
      this.timerC = this.opts.clock.setTimer(rest, () => this.fireTimerC());
      return;
    }
    this.opts.onTimerC?.(this.provisional);
  }

  private clearRetransmit(): void {
    if (this.retransmit !== undefined) this.opts.clock.cancelTimer(this.retransmit);
    this.retransmit = undefined;
  }

  private clearTimeout(): void {
    if (this.timeout !== undefined) this.opts.clock.cancelTimer(this.timeout);
    this.timeout = undefined;
  }

  /** Final response or end: no more retransmissions, so the request bytes are let go too. */
  private clearAll(): void {
    this.bytes = NO_BYTES;
    this.clearRetransmit();
    this.clearTimeout();
    if (this.timerC !== undefined) this.opts.clock.cancelTimer(this.timerC);
    this.timerC = undefined;
  }
}
