import { describe, expect, it } from 'vitest';
import { ClientTransaction } from '../../src/proxy/client-transaction.ts';
import { ServerTransaction } from '../../src/proxy/server-transaction.ts';
import { createManualClock, DEFAULT_TIMERS } from '../../src/proxy/timers.ts';

const b = (s: string) => Buffer.from(s);

function server(invite: boolean, reliable = false) {
  const clock = createManualClock();
  const sent: string[] = [];
  let ended = 0;
  let ackTimeout = 0;
  const tx = new ServerTransaction({
    invite, reliable, clock, timers: DEFAULT_TIMERS,
    send: (x) => sent.push(x.toString()),
    onTerminated: () => { ended++; },
    onAckTimeout: () => { ackTimeout++; },
  });
  return { clock, sent, tx, ended: () => ended, ackTimeout: () => ackTimeout };
}

function client(invite: boolean, reliable = false, timerC?: number) {
  const clock = createManualClock();
  const sent: string[] = [];
  const acks: unknown[] = [];
  const seen: number[] = [];
  const failures: string[] = [];
  const timerCs: boolean[] = [];
  let ended = 0;
  const tx = new ClientTransaction({
    invite, reliable, clock, timers: DEFAULT_TIMERS, timerC,
    send: (x) => sent.push(x.toString()),
    sendAck: (r) => acks.push(r),
    onResponse: (s) => seen.push(s),
    onFailure: (w) => failures.push(w),
    onTimerC: (p) => timerCs.push(p),
    onTerminated: () => { ended++; },
  });
  return { clock, sent, acks, seen, failures, timerCs, tx, ended: () => ended };
}

describe('INVITE server transaction', () => {
  it('resends the last provisional on a request retransmission', () => {
    const s = server(true);
    s.tx.respond(100, b('100'));
    s.tx.onRequestRetransmission();
    expect(s.sent).toEqual(['100', '100']);
  });

  it('retransmits a non-2xx final with Timer G (T1 doubling to T2) until ACK, then Timer I ends it', () => {
    const s = server(true);
    s.tx.respond(486, b('486'));
    s.clock.advance(500); // G at T1
    s.clock.advance(1000); // 2*T1
    s.clock.advance(2000); // 4*T1
    s.clock.advance(4000); // capped at T2
    s.clock.advance(4000);
    expect(s.sent.length).toBe(6);
    expect(s.tx.onAck()).toBe(true);
    expect(s.tx.state).toBe('confirmed');
    s.clock.advance(10_000);
    expect(s.sent.length).toBe(6);
    expect(s.tx.onAck()).toBe(false);
    expect(s.ended()).toBe(1);
  });

  it('ends with Timer H (64*T1) when no ACK arrives', () => {
    const s = server(true);
    s.tx.respond(404, b('404'));
    s.clock.advance(64 * 500 - 1);
    expect(s.ended()).toBe(0);
    s.clock.advance(1);
    expect(s.ended()).toBe(1);
    expect(s.ackTimeout()).toBe(1);
  });

  it('does not retransmit over a reliable transport', () => {
    const s = server(true, true);
    s.tx.respond(486, b('486'));
    s.clock.advance(5000);
    expect(s.sent).toEqual(['486']);
    s.tx.onAck();
    s.clock.advance(0);
    expect(s.ended()).toBe(1);
  });

  it('passes 2xx retransmissions through while Accepted and ends after Timer L', () => {
    const s = server(true);
    s.tx.respond(200, b('200'));
    expect(s.tx.state).toBe('accepted');
    expect(s.tx.respond(200, b('200'))).toBe(true);
    expect(s.tx.respond(486, b('486'))).toBe(false);
    s.tx.onRequestRetransmission();
    expect(s.sent).toEqual(['200', '200']);
    s.clock.advance(32_000);
    expect(s.ended()).toBe(1);
  });
});

describe('non-INVITE server transaction', () => {
  it('absorbs retransmissions in Trying, resends the final in Completed, ends after Timer J', () => {
    const s = server(false);
    s.tx.onRequestRetransmission();
    expect(s.sent).toEqual([]);
    s.tx.respond(200, b('200'));
    s.tx.onRequestRetransmission();
    expect(s.sent).toEqual(['200', '200']);
    expect(s.tx.respond(200, b('200'))).toBe(false);
    s.clock.advance(32_000);
    expect(s.ended()).toBe(1);
  });
});

describe('INVITE client transaction', () => {
  it('retransmits with Timer A doubling and times out with Timer B', () => {
    const c = client(true);
    c.tx.start(b('INVITE'));
    c.clock.advance(500 + 1000 + 2000 + 4000 + 8000 + 16_000);
    expect(c.sent.length).toBe(7);
    expect(c.failures).toEqual([]);
    c.clock.advance(32_000 - 31_500);
    expect(c.failures).toEqual(['timeout']);
    expect(c.ended()).toBe(1);
  });

  it('stops retransmitting after a 1xx and does not time out with B', () => {
    const c = client(true);
    c.tx.start(b('INVITE'));
    c.tx.onResponse(100, {});
    c.clock.advance(60_000);
    expect(c.sent.length).toBe(1);
    expect(c.failures).toEqual([]);
    expect(c.seen).toEqual([100]);
  });

  it('ACKs a non-2xx final (also its retransmissions) and passes it up once', () => {
    const c = client(true);
    c.tx.start(b('INVITE'));
    c.tx.onResponse(503, 'r1');
    c.tx.onResponse(503, 'r2');
    expect(c.acks).toEqual(['r1', 'r2']);
    expect(c.seen).toEqual([503]);
    c.clock.advance(32_000);
    expect(c.ended()).toBe(1);
  });

  it('passes 2xx retransmissions up while Accepted', () => {
    const c = client(true);
    c.tx.start(b('INVITE'));
    c.tx.onResponse(200, {});
    c.tx.onResponse(200, {});
    expect(c.seen).toEqual([200, 200]);
    expect(c.acks).toEqual([]);
  });

  it('fires Timer C when no final response arrives after a provisional', () => {
    const c = client(true, false, 180_000);
    c.tx.start(b('INVITE'));
    c.clock.advance(1000);
    c.tx.onResponse(180, {});
    c.clock.advance(179_999);
    expect(c.timerCs).toEqual([]);
    c.clock.advance(1);
    expect(c.timerCs).toEqual([true]);
  });

  it('pushes Timer C back on every provisional, fires it once, and not after a final', () => {
    const c = client(true, false, 180_000);
    c.tx.start(b('INVITE'));
    c.clock.advance(1000);
    c.tx.onResponse(100, {});
    c.clock.advance(100_000);
    c.tx.onResponse(180, {});
    c.clock.advance(179_999);
    expect(c.timerCs).toEqual([]);
    c.clock.advance(1);
    expect(c.timerCs).toEqual([true]);
    c.clock.advance(400_000);
    expect(c.timerCs).toEqual([true]);
    const d = client(true, false, 180_000);
    d.tx.start(b('INVITE'));
    d.tx.onResponse(180, {});
    d.tx.onResponse(200, {});
    d.clock.advance(400_000);
    expect(d.timerCs).toEqual([]);
    expect(d.clock.pending()).toBe(0);
  });

  it('reports a transport error as a failure', () => {
    const c = client(true, true);
    c.tx.start(b('INVITE'));
    c.tx.onTransportError();
    expect(c.failures).toEqual(['transport-error']);
  });
});

describe('non-INVITE client transaction', () => {
  it('retransmits with Timer E capped at T2, keeps going in Proceeding, times out with F', () => {
    const c = client(false);
    c.tx.start(b('BYE'));
    c.clock.advance(500 + 1000 + 2000); // 3 retransmissions
    expect(c.sent.length).toBe(4);
    c.tx.onResponse(100, {});
    c.clock.advance(4000);
    expect(c.sent.length).toBe(5);
    c.clock.advance(32_000 - 7500 - 1);
    expect(c.failures).toEqual([]);
    c.clock.advance(1);
    expect(c.failures).toEqual(['timeout']);
  });

  it('absorbs final retransmissions in Completed and ends after Timer K', () => {
    const c = client(false);
    c.tx.start(b('BYE'));
    c.tx.onResponse(200, {});
    c.tx.onResponse(200, {});
    expect(c.seen).toEqual([200]);
    c.clock.advance(5000);
    expect(c.ended()).toBe(1);
  });
});
