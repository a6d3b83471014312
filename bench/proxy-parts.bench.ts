// Per-call parts of the proxy core, each beside its previous implementation in the same run:
// `node bench/proxy-parts.bench.ts`. Each task runs BATCH operations; the table gives ns per op.
// 1. Route token: sign (INVITE), check from the caller (ACK) and from the callee (BYE: From tag
//    first, then To), with node createHmac (before) and with the JS HMAC from precomputed pads,
//    uncached and with the per-key cache.
// 2. Timers: setTimer + cancelTimer (a transaction's usual fate) on the node-timer clock (before)
//    and on the wheel clock.
// 3. Branch and loop hashes: the cyrb53 two-pass hex and join (before) and the streaming hasher.
// 4. Metrics: per-message counts through prom-client children (before) and into slots.
import { createHmac, createSecretKey, timingSafeEqual } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { Counter, Histogram, Registry } from 'prom-client';
import { Bench } from 'tinybench';
import { createMetrics } from '../src/obs/metrics.ts';
import { forwardBranch, loopHashOf } from '../src/proxy/branch.ts';
import { routeTokenDirection, signRouteToken } from '../src/proxy/route-token.ts';
import { createNodeTimerClock, createSystemClock } from '../src/proxy/timers.ts';
import type { Clock } from '../src/proxy/timers.ts';

const BATCH = 1000;
let sink = 0;

// ---- 1. route tokens
const secret = 'bench-secret-0123456789abcdef';
const identity = '203.0.113.10:5060';
const cached = { secret, identity };
const uncached = { secret, identity, cacheSize: 0 };
const callIds: string[] = [];
const fromTags: string[] = [];
const toTags: string[] = [];
for (let i = 0; i < BATCH; i++) {
  callIds.push(`${i}-41234@127.0.0.1`); // SIPp's [call_id]
  fromTags.push(`${i}SIPpTag00${i}`);
  toTags.push(`${i}SIPpTag01${i}`);
}

// The previous implementation, verbatim.
const oldKey = createSecretKey(Buffer.from(secret, 'utf8'));
function oldMac(k: KeyObject, callId: string, tag: string): Buffer {
  return createHmac('sha256', k).update(`rr1\n${identity}\n${callId}\n${tag}`).digest().subarray(0, 16);
}
function oldSign(callId: string, tag: string): string {
  return oldMac(oldKey, callId, tag).toString('base64url');
}
function oldDirection(token: string, callId: string, fromTag: string, toTag: string): 'from' | 'to' | null {
  if (token.length !== 22) return null;
  const given = Buffer.from(token, 'base64url');
  if (given.length !== 16) return null;
  if (timingSafeEqual(given, oldMac(oldKey, callId, fromTag))) return 'from';
  if (timingSafeEqual(given, oldMac(oldKey, callId, toTag))) return 'to';
  return null;
}
const tokens = callIds.map((c, i) => signRouteToken(cached, c, fromTags[i]!));
for (let i = 0; i < BATCH; i++) {
  if (tokens[i] !== oldSign(callIds[i]!, fromTags[i]!)) throw new Error('token mismatch');
}

// ---- 2. timers
const nodeClock = createNodeTimerClock();
const wheelClock = createSystemClock();
const noop = (): void => {};
function armAndCancel(clock: Clock): void {
  for (let i = 0; i < BATCH; i++) clock.cancelTimer(clock.setTimer(500 + (i & 63), noop));
}
function armFive(clock: Clock): void {
  // A client INVITE transaction's timers: A, B, C set; A, B cancelled on the 100; M after the 200.
  for (let i = 0; i < BATCH / 5; i++) {
    const a = clock.setTimer(500, noop);
    const b = clock.setTimer(32_000, noop);
    const c = clock.setTimer(180_000, noop);
    clock.cancelTimer(a);
    clock.cancelTimer(b);
    const m = clock.setTimer(32_000, noop);
    clock.cancelTimer(c);
    clock.cancelTimer(m);
  }
}

// ---- 3. branch and loop hashes
const incomingKeys = callIds.map((_, i) => `z9hG4bK-${i}-1-0|127.0.0.1:5061|INVITE`);
const target = 'sip:service@127.0.0.1:5070|udp|127.0.0.1|5070';
const loopParts = callIds.map((c, i) => ['sip:service@203.0.113.10:5060', fromTags[i]!, '', c, '1', '', '']);
/** The previous hash (cyrb53: two 32-bit multiply-xor lanes), kept here as the baseline. */
function hash53(text: string, seed = 0): number {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}
function oldHashHex(text: string): string {
  return hash53(text, 1).toString(16).padStart(14, '0') + hash53(text, 2).toString(16).padStart(14, '0');
}
function oldForwardBranch(incomingKey: string, t: string, attempt: number, loopHash: string): string {
  return `z9hG4bK-e${oldHashHex(`${incomingKey}\n${t}\n${attempt}`)}.${loopHash}`;
}
function oldLoopHashOf(parts: readonly string[]): string {
  return hash53(parts.join('\n'), 3).toString(16).padStart(14, '0');
}

// ---- 4. metrics: the previous hot path (children resolved once, prom-client inc/observe).
const oldRegistry = new Registry();
const oldRequests = new Counter({ name: 'sip_requests_total', help: 'x', labelNames: ['method', 'transport'] as const, registers: [oldRegistry] });
const oldResponses = new Counter({ name: 'sip_responses_total', help: 'x', labelNames: ['code'] as const, registers: [oldRegistry] });
const oldDecisions = new Counter({ name: 'edge_auth_decisions_total', help: 'x', labelNames: ['outcome', 'reason'] as const, registers: [oldRegistry] });
const oldDuration = new Histogram({
  name: 'edge_auth_duration_seconds', help: 'x', registers: [oldRegistry],
  buckets: [0.000_005, 0.000_01, 0.000_025, 0.000_05, 0.000_1, 0.000_25, 0.000_5, 0.001, 0.002_5, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25],
});
const oldRequestChildren = new Map([['INVITE', { udp: oldRequests.labels({ method: 'INVITE', transport: 'udp' }) }]]);
const oldResponseChild = oldResponses.labels({ code: '200' });
const oldDecisionChildren = new Map([['accept', new Map([['digest', oldDecisions.labels({ outcome: 'accept', reason: 'digest' })]])]]);
const metrics = createMetrics({ defaultMetrics: false });

const bench = new Bench({ name: 'proxy parts', time: 1000, warmupTime: 200 });
bench
  .add('token sign: createHmac (before)', () => {
    for (let i = 0; i < BATCH; i++) sink += oldSign(callIds[i]!, fromTags[i]!).length;
  })
  .add('token sign: JS HMAC, pads precomputed, no cache', () => {
    for (let i = 0; i < BATCH; i++) sink += signRouteToken(uncached, callIds[i]!, fromTags[i]!).length;
  })
  .add('token sign: JS HMAC + cache (hit)', () => {
    for (let i = 0; i < BATCH; i++) sink += signRouteToken(cached, callIds[i]!, fromTags[i]!).length;
  })
  .add('token check ACK (caller): createHmac (before)', () => {
    for (let i = 0; i < BATCH; i++) if (oldDirection(tokens[i]!, callIds[i]!, fromTags[i]!, toTags[i]!) === 'from') sink++;
  })
  .add('token check ACK (caller): JS HMAC, no cache', () => {
    for (let i = 0; i < BATCH; i++) if (routeTokenDirection(uncached, tokens[i]!, callIds[i]!, fromTags[i]!, toTags[i]!) === 'from') sink++;
  })
  .add('token check ACK (caller): cache hit', () => {
    for (let i = 0; i < BATCH; i++) if (routeTokenDirection(cached, tokens[i]!, callIds[i]!, fromTags[i]!, toTags[i]!) === 'from') sink++;
  })
  .add('token check BYE (callee): createHmac x2 (before)', () => {
    for (let i = 0; i < BATCH; i++) if (oldDirection(tokens[i]!, callIds[i]!, toTags[i]!, fromTags[i]!) === 'to') sink++;
  })
  .add('token check BYE (callee): JS HMAC x2, no cache', () => {
    for (let i = 0; i < BATCH; i++) if (routeTokenDirection(uncached, tokens[i]!, callIds[i]!, toTags[i]!, fromTags[i]!) === 'to') sink++;
  })
  .add('token check BYE (callee): cache hit', () => {
    for (let i = 0; i < BATCH; i++) if (routeTokenDirection(cached, tokens[i]!, callIds[i]!, toTags[i]!, fromTags[i]!) === 'to') sink++;
  })
  .add('timer set+cancel: setTimeout clock (before)', () => armAndCancel(nodeClock))
  .add('timer set+cancel: wheel clock', () => armAndCancel(wheelClock))
  .add('timers of a client INVITE tx /5: setTimeout clock (before)', () => armFive(nodeClock))
  .add('timers of a client INVITE tx /5: wheel clock', () => armFive(wheelClock))
  .add('forwardBranch: cyrb53 x2 + toString/padStart (before)', () => {
    for (let i = 0; i < BATCH; i++) sink += oldForwardBranch(incomingKeys[i]!, target, 0, '0123456789abcdef').length;
  })
  .add('forwardBranch: streaming 4-lane hash', () => {
    for (let i = 0; i < BATCH; i++) sink += forwardBranch(incomingKeys[i]!, target, 0, '0123456789abcdef').length;
  })
  .add('loopHashOf: join + cyrb53 (before)', () => {
    for (let i = 0; i < BATCH; i++) sink += oldLoopHashOf(loopParts[i]!).length;
  })
  .add('loopHashOf: streaming', () => {
    for (let i = 0; i < BATCH; i++) sink += loopHashOf(loopParts[i]!).length;
  })
  .add('metrics request+response+decision(observe): prom-client (before)', () => {
    for (let i = 0; i < BATCH; i++) {
      (oldRequestChildren.get('INVITE') ?? { udp: undefined }).udp?.inc();
      oldResponseChild.inc();
      oldDecisionChildren.get('accept')?.get('digest')?.inc();
      oldDuration.observe(0.000_02);
    }
  })
  .add('metrics request+response+decision(observe): slots', () => {
    for (let i = 0; i < BATCH; i++) {
      metrics.countRequest('INVITE', 'udp');
      metrics.countResponse(200);
      metrics.countAuthDecision('accept', 'digest', 0.000_02);
    }
  });
await bench.run();

const rows: Record<string, string>[] = [];
for (const task of bench.tasks) {
  const result = task.result;
  if (result.state !== 'completed') {
    rows.push({ task: task.name, 'ns/op': 'failed' });
    continue;
  }
  rows.push({
    task: task.name,
    'ns/op': ((result.period * 1e6) / BATCH).toFixed(0),
    '±%': result.latency.rme.toFixed(1),
  });
}
console.table(rows);
// Scrape both registries once so the flush path runs (and the sink is used).
await metrics.registry.metrics();
await oldRegistry.metrics();
if (sink === -1) console.log(sink);
