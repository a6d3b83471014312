// Gate throughput and view-cache miss latency: `node bench/gate.bench.ts`.
// 1. Decisions per second for a cached target with both an IP ACL (100 prefixes) and a credential
//    list (1,000 users): ACL lookup, credentials parse, nonce check, MD5 digest verify, replay guard.
//    Beside, in the same run: the digest verification alone (src/auth) and a plain createHash
//    verification, so the gate's own overhead is visible, and parse + decide for the full picture.
//    The other decision every call needs comes first: the same INVITEs without credentials, each
//    answered with a 407 challenge carrying a freshly minted nonce. The decisions on pre-parsed
//    requests include the credentials parse (the gate keeps one parse per request, not across
//    requests), but not the SIP parse nor the Request-URI parse (src/sip caches it per request).
//    The accept path's nonces are verified by HMAC, as when another node minted them; on one node
//    the second INVITE follows its 407 within milliseconds and the HMAC is skipped (the nonce
//    parts show both cases).
// 2. Cache-miss latency against a real local Redis (started here when redis-server exists): one
//    view read from Redis into a cold cache, small (10 users) and large (1,000 users), beside a
//    Redis PING round trip measured in the same run.
import { createHash, hash, timingSafeEqual } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { Bench } from 'tinybench';
import { compileAcl } from '../src/acl/matcher.ts';
import { selectCredentials } from '../src/auth/credentials.ts';
import { deriveHa1 } from '../src/auth/ha1.ts';
import { NonceService } from '../src/auth/nonce.ts';
import { MemoryReplayGuard } from '../src/auth/replay.ts';
import type { ReplayGuard } from '../src/auth/replay.ts';
import { verifyDigest } from '../src/auth/verify.ts';
import type { DigestCredentials } from '../src/auth/credentials.ts';
import { createGate } from '../src/gate/gate.ts';
import type { RequestSource } from '../src/gate/gate.ts';
import { ownHostMatcher } from '../src/gate/own-hosts.ts';
import type { AclPrefix, TargetView, UserHa1 } from '../src/gate/view.ts';
import { parseMessage } from '../src/sip/parse.ts';
import { validateRequest } from '../src/sip/validate.ts';
import type { SipRequest } from '../src/sip/message.ts';
import { createViewCache } from '../src/store/cache/view-cache.ts';
import { hostKey } from '../src/store/cache/keys.ts';
import { createRedisClient, whenReady } from '../src/store/cache/redis-client.ts';
import { createRedisViewPublisher } from '../src/store/cache/redis-publisher.ts';
import { createRedisViewSource } from '../src/store/cache/redis-source.ts';
import { startRedis } from '../test/cache/redis-harness.ts';

const BATCH = 1000;
const REALM = 'sip-edge';
const HOST = 'pbx.bench.example.com';
const SOURCE: RequestSource = { address: '10.20.30.40', port: 5060, transport: 'udp' };
const USERS = 1000;
const PREFIXES = 100;

function usersTable(n: number): Record<string, UserHa1> {
  const users: Record<string, UserHa1> = {};
  for (let i = 0; i < n; i++) users[`user${i}`] = deriveHa1(`user${i}`, REALM, `Passw0rd-${i}-Bench`);
  return users;
}

function prefixes(): AclPrefix[] {
  const out: AclPrefix[] = [];
  for (let i = 0; i < PREFIXES; i++) out.push({ address: `10.${i}.0.0`, prefixLength: 16 });
  return out;
}

function view(host: string, users: Record<string, UserHa1>, version = 1): TargetView {
  return {
    kind: 'domain',
    sid: 'SD' + '1'.repeat(32),
    accountSid: 'AC' + '2'.repeat(32),
    accountStatus: 'active',
    host,
    calls: { aclMapped: true, acl: prefixes(), credentialsMapped: true, users },
    registrations: { enabled: false, rules: { aclMapped: false, acl: [], credentialsMapped: false, users: {} } },
    targets: [{ uri: 'sip:10.0.0.1:5060', priority: 10, weight: 10 }],
    version,
  };
}

// ---- gate setup: the view cached in process
const users = usersTable(USERS);
const cache = createViewCache({ maxEntries: 10_000 });
cache.apply({ upserts: [view(HOST, users)], deletes: [] });
const nonces = new NonceService({ secret: 'bench-secret', realm: REALM, ttlSeconds: 300 });
// The replay guard is swapped for a fresh one per batch so the same requests can be replayed
// to the gate batch after batch (each (nonce, nc) is accepted once per guard). 16,384 slots for
// the batch's 1,000 nonces: with 4,096, about one run in 25 had a probe window fill up, and the
// guard then (rightly) refused the rest of the batch, failing the sanity check below.
const GUARD_SLOTS = 1 << 14;
let guard = new MemoryReplayGuard({ slots: GUARD_SLOTS });
const replay: ReplayGuard = { admit: (n, nc, e, now) => guard.admit(n, nc, e, now) };
const gate = createGate(
  { realm: REALM, algorithms: ['MD5'], connectionsHost: null, warningHost: 'edge.bench', isOwnHost: ownHostMatcher(['edge.bench']) },
  { views: cache, nonces, replay, compileAcl },
);

const now = Date.now();
// The requests' nonces come from another service with the same secret, as from another node: the
// gate verifies them by HMAC in every run and phase (a nonce it minted itself lately would skip the
// HMAC, see the nonce parts below).
const fixtureNonces = new NonceService({ secret: 'bench-secret', realm: REALM, ttlSeconds: 300 });
const wire: Buffer[] = [];
const credentials: DigestCredentials[] = [];
for (let i = 0; i < BATCH; i++) {
  const user = `user${i % USERS}`;
  const nonce = fixtureNonces.mint(SOURCE.address, now);
  const uri = `sip:+1555${String(i).padStart(6, '0')}@${HOST}`;
  const ha1 = users[user]!.md5;
  const ha2 = hash('md5', `INVITE:sip:${HOST}:5060`, 'hex');
  const cnonce = (0x1234567 + i).toString(16);
  const response = hash('md5', `${ha1}:${nonce}:00000001:${cnonce}:auth:${ha2}`, 'hex');
  const auth = `Digest username="${user}", realm="${REALM}", nonce="${nonce}", uri="sip:${HOST}:5060", response="${response}", algorithm=MD5, cnonce="${cnonce}", qop=auth, nc=00000001`;
  wire.push(
    Buffer.from(
      [
        `INVITE ${uri} SIP/2.0`,
        `Via: SIP/2.0/UDP ${SOURCE.address}:5060;branch=z9hG4bK-${i}`,
        'Max-Forwards: 70',
        `From: <sip:${user}@${HOST}>;tag=${i}`,
        `To: <${uri}>`,
        `Call-ID: ${i}@bench`,
        'CSeq: 2 INVITE',
        `Contact: <sip:${user}@${SOURCE.address}:5060>`,
        `Proxy-Authorization: ${auth}`,
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n'),
    ),
  );
}
const requests = wire.map((b) => parseMessage(b) as SipRequest);
// The first INVITE of each call: no credentials yet.
const wireNoAuth = wire.map((b) => Buffer.from(b.toString('latin1').replace(/Proxy-Authorization: [^\r]*\r\n/, ''), 'latin1'));
const challengeRequests = wireNoAuth.map((b) => parseMessage(b) as SipRequest);
for (const r of requests) {
  const sel = selectCredentials(r.proxyAuthorization, REALM);
  if (!sel.ok) throw new Error('bench fixture credentials do not parse');
  credentials.push(sel.credentials);
}

function createHashVerify(ha1Hex: string, c: DigestCredentials): boolean {
  const ha2 = createHash('md5').update(`INVITE:${c.uri}`).digest('hex');
  const got = createHash('md5').update(`${ha1Hex}:${c.nonce}:${c.nc}:${c.cnonce}:${c.qop}:${ha2}`).digest();
  const expected = Buffer.from(c.response, 'hex');
  return expected.length === got.length && timingSafeEqual(got, expected);
}

// Sanity before timing: every request is accepted as a digest principal.
guard = new MemoryReplayGuard({ slots: GUARD_SLOTS });
for (const r of requests) {
  const d = gate.decide(r, SOURCE, now);
  if (d instanceof Promise || d.outcome !== 'accept') throw new Error(`bench request not accepted: ${JSON.stringify(d)}`);
}

for (const r of challengeRequests) {
  const d = gate.decide(r, SOURCE, now);
  if (d instanceof Promise || d.outcome !== 'challenge' || d.status !== 407) throw new Error(`bench request not challenged: ${JSON.stringify(d)}`);
}

let sink = 0;
// Another node with the same secret: it verifies the nonces by HMAC (they are not in its table of
// nonces minted lately, as they mostly are in the gate's own service).
const otherNode = new NonceService({ secret: 'bench-secret', realm: REALM, ttlSeconds: 300 });
const compileAclOnce = compileAcl(prefixes());
const bench = new Bench({ name: 'gate', time: 1500, warmupTime: 300 });
/** Every task's function by name, for the CPU-time rounds after tinybench. */
const taskFns = new Map<string, () => void>();
function add(name: string, fn: () => void): void {
  taskFns.set(name, fn);
  bench.add(name, fn);
}
add('gate decide: cached target, ACL (100 prefixes) + MD5 digest (1,000 users)', () => {
  guard = new MemoryReplayGuard({ slots: GUARD_SLOTS });
  for (let i = 0; i < BATCH; i++) {
    const d = gate.decide(requests[i]!, SOURCE, now) as { outcome: string };
    if (d.outcome === 'accept') sink++;
  }
});
add('parse + gate decide (same requests from the wire)', () => {
  guard = new MemoryReplayGuard({ slots: GUARD_SLOTS });
  for (let i = 0; i < BATCH; i++) {
    const d = gate.decide(parseMessage(wire[i]!) as SipRequest, SOURCE, now) as { outcome: string };
    if (d.outcome === 'accept') sink++;
  }
});
add('gate decide, challenge: INVITE without credentials → 407 with a fresh nonce', () => {
  for (let i = 0; i < BATCH; i++) {
    const d = gate.decide(challengeRequests[i]!, SOURCE, now) as { outcome: string };
    if (d.outcome === 'challenge') sink++;
  }
});
add('parse + gate decide, challenge (same requests from the wire)', () => {
  for (let i = 0; i < BATCH; i++) {
    const d = gate.decide(parseMessage(wireNoAuth[i]!) as SipRequest, SOURCE, now) as { outcome: string };
    if (d.outcome === 'challenge') sink++;
  }
});
add('baseline: src/auth verifyDigest alone', () => {
  for (let i = 0; i < BATCH; i++) if (verifyDigest(credentials[i]!, 'INVITE', users[`user${i % USERS}`]!)) sink++;
});
add('baseline: crypto.createHash MD5 verify alone', () => {
  for (let i = 0; i < BATCH; i++) if (createHashVerify(users[`user${i % USERS}`]!.md5, credentials[i]!)) sink++;
});
// The gate's parts, measured alone: their sum is about the decision (the gate adds little).
add('part: src/sip validateRequest', () => {
  for (let i = 0; i < BATCH; i++) if (validateRequest(requests[i]!) === null) sink++;
});
add('part: src/auth selectCredentials', () => {
  for (let i = 0; i < BATCH; i++) if (selectCredentials(requests[i]!.proxyAuthorization, REALM).ok) sink++;
});
add('part: src/auth nonce mint + verify by the same node', () => {
  for (let i = 0; i < BATCH; i++) if (nonces.verify(nonces.mint(SOURCE.address, now), SOURCE.address, now) === 'valid') sink++;
});
add('part: src/auth nonce mint + verify by another node (HMAC)', () => {
  for (let i = 0; i < BATCH; i++) if (otherNode.verify(nonces.mint(SOURCE.address, now), SOURCE.address, now) === 'valid') sink++;
});
add('part: src/acl contains (100 prefixes) + cache hit', () => {
  const acl = compileAclOnce;
  for (let i = 0; i < BATCH; i++) if (acl.contains(SOURCE.address) && cache.lookup(hostKey(HOST))) sink++;
});
await bench.run();

// Wall-clock figures depend on what else runs on the machine; CPU time (this thread's user+system)
// per op is the per-core figure. Measured right after tinybench, same process, as the median of
// five rounds per task (as bench/digest.bench.ts does).
const threadCpu = (previous?: NodeJS.CpuUsage): NodeJS.CpuUsage =>
  typeof process.threadCpuUsage === 'function' ? process.threadCpuUsage(previous) : process.cpuUsage(previous);
const CPU_ROUNDS = 5;
const cpuMicros = new Map<string, number>();
for (const [name, fn] of taskFns) {
  // About 40 ms of work per round whatever the task's speed.
  const probe = threadCpu();
  fn();
  const once = threadCpu(probe);
  const perRound = Math.max(2, Math.min(400, Math.ceil(40_000 / Math.max(1, once.user + once.system))));
  const costs: number[] = [];
  for (let r = 0; r < CPU_ROUNDS; r++) {
    const start = threadCpu();
    for (let i = 0; i < perRound; i++) fn();
    const used = threadCpu(start);
    costs.push((used.user + used.system) / (perRound * BATCH));
  }
  costs.sort((a, b) => a - b);
  cpuMicros.set(name, costs[CPU_ROUNDS >> 1]!);
}

const rows: Record<string, string>[] = [];
for (const task of bench.tasks) {
  const result = task.result;
  if (result.state !== 'completed') {
    rows.push({ task: task.name, 'ops/s': 'failed' });
    continue;
  }
  const perSecond = (BATCH * 1000) / result.period;
  rows.push({
    task: task.name,
    'ops/s': Math.round(perSecond).toLocaleString('en-US'),
    'µs/op': (1e6 / perSecond).toFixed(2),
    '±%': result.latency.rme.toFixed(1),
    'CPU µs/op': cpuMicros.has(task.name) ? cpuMicros.get(task.name)!.toFixed(2) : '',
  });
}
console.table(rows);
console.log(`CPU µs/op: median of ${CPU_ROUNDS} rounds of this thread's CPU time (load ${os.loadavg()[0].toFixed(1)} on ${os.availableParallelism()} cores)`);

// ---- cache-miss latency against Redis
const hasRedis = spawnSync('redis-server', ['--version']).status === 0;
if (!hasRedis) {
  console.log('redis-server not found: cache-miss latency skipped');
} else {
  const redis = await startRedis();
  const api = createRedisClient(redis.url, { offlineQueue: false });
  const edge = createRedisClient(redis.url, { offlineQueue: false, commandTimeoutMs: 1000 });
  try {
    await Promise.all([whenReady(api), whenReady(edge)]);
    const small = view('small.bench.example.com', usersTable(10));
    const large = view('large.bench.example.com', users);
    await createRedisViewPublisher(api).repopulate([small, large]);
    const source = createRedisViewSource(edge);
    const cold = createViewCache({ source });
    const missBench = new Bench({ name: 'redis', time: 1500, warmupTime: 200 });
    missBench
      .add('baseline: Redis PING round trip', async () => {
        await edge.ping();
      })
      .add('cache miss → Redis, view with 10 users', async () => {
        cold.invalidateAll();
        if (await cold.lookup(hostKey(small.host))) sink++;
      })
      .add('cache miss → Redis, view with 1,000 users', async () => {
        cold.invalidateAll();
        if (await cold.lookup(hostKey(large.host))) sink++;
      })
      .add('cache hit (same cache, in process)', () => {
        if (cold.lookup(hostKey(large.host))) sink++;
      });
    await missBench.run();
    const missRows: Record<string, string>[] = [];
    for (const task of missBench.tasks) {
      const r = task.result;
      if (r.state !== 'completed') {
        missRows.push({ task: task.name, mean: 'failed' });
        continue;
      }
      missRows.push({
        task: task.name,
        'mean µs': (r.latency.mean * 1000).toFixed(1),
        'p50 µs': ((r.latency.p50 ?? 0) * 1000).toFixed(1),
        'p99 µs': ((r.latency.p99 ?? 0) * 1000).toFixed(1),
      });
    }
    console.table(missRows);
    console.log(`view JSON sizes: small ${JSON.stringify(small).length} B, large ${JSON.stringify(large).length} B`);
  } finally {
    api.disconnect();
    edge.disconnect();
    await redis.stop();
  }
}
console.log(`node ${process.version}, sink ${sink > 0}`);
