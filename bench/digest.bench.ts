// Digest verification throughput: `node bench/digest.bench.ts`.
// A full verification is HA2 + response + constant-time comparison against the received response,
// given the stored HA1. Ours (src/auth/verify.ts) runs beside baselines measured in the same run:
// a plain node:crypto createHash implementation, the one-shot crypto.hash with string concatenation
// (a losing candidate for the hot path, kept here as a reference) and the npm `sip` package's digest
// module. Each task verifies BATCH responses per call so timer overhead does not dominate.
import { createHash, hash, timingSafeEqual } from 'node:crypto';
import { createRequire } from 'node:module';
import os from 'node:os';
import { Bench } from 'tinybench';
import { deriveHa1 } from '../src/auth/ha1.ts';
import { NonceService } from '../src/auth/nonce.ts';
import { verifyDigest, type DigestInput } from '../src/auth/verify.ts';

const require = createRequire(import.meta.url);
const sipDigest = require('sip/digest.js') as {
  calculateDigest(ctx: Record<string, string | undefined>): string;
};

const BATCH = 1000;
const method = 'INVITE';
const realm = 'sip-edge';
// 64 users, each request from a different one.
const users = Array.from({ length: 64 }, (_, i) => deriveHa1(`user${i}`, realm, `Correct-Horse-${i}`));
const nonces = new NonceService({ secret: 'bench-secret', realm, ttlSeconds: 300 });
const nonce = nonces.mint('192.0.2.10');

function responseFor(algorithm: 'md5' | 'sha256', ha1Hex: string, uri: string, nc: string, cnonce: string): string {
  const ha2 = hash(algorithm, `${method}:${uri}`, 'hex');
  return hash(algorithm, `${ha1Hex}:${nonce}:${nc}:${cnonce}:auth:${ha2}`, 'hex');
}

// A set of distinct credentials (as SIPp sends them: uri sip:host:port, 8-digit nc, short cnonce).
const md5Inputs: DigestInput[] = [];
const sha256Inputs: DigestInput[] = [];
for (let i = 0; i < 64; i++) {
  const uri = `sip:192.0.2.${i}:5060`;
  const nc = (i + 1).toString(16).padStart(8, '0');
  const cnonce = (0x5f3759df + i * 7919).toString(16);
  md5Inputs.push({ nonce, uri, nc, cnonce, qop: 'auth', algorithm: 'MD5', response: responseFor('md5', users[i].md5, uri, nc, cnonce) });
  sha256Inputs.push({ nonce, uri, nc, cnonce, qop: 'auth', algorithm: 'SHA-256', response: responseFor('sha256', users[i].sha256, uri, nc, cnonce) });
}

function createHashVerify(algorithm: string, ha1Hex: string, c: DigestInput): boolean {
  const ha2 = createHash(algorithm).update(`${method}:${c.uri}`).digest('hex');
  const response = createHash(algorithm)
    .update(`${ha1Hex}:${c.nonce}:${c.nc}:${c.cnonce}:${c.qop}:${ha2}`)
    .digest();
  const expected = Buffer.from(c.response, 'hex');
  return expected.length === response.length && timingSafeEqual(response, expected);
}

function oneShotVerify(algorithm: string, ha1Hex: string, c: DigestInput): boolean {
  const ha2 = hash(algorithm, `${method}:${c.uri}`, 'hex');
  const response = hash(algorithm, `${ha1Hex}:${c.nonce}:${c.nc}:${c.cnonce}:${c.qop}:${ha2}`, 'buffer');
  const expected = Buffer.from(c.response, 'hex');
  return expected.length === response.length && timingSafeEqual(response, expected);
}

function sipPackageVerify(ha1Hex: string, c: DigestInput): boolean {
  const ctx = { ha1: ha1Hex, method, nonce: c.nonce, nc: c.nc ?? undefined, cnonce: c.cnonce ?? undefined, qop: c.qop ?? undefined, uri: c.uri };
  return sipDigest.calculateDigest(ctx) === c.response;
}

// Sanity: every implementation accepts every input before anything is timed.
md5Inputs.forEach((c, i) => {
  const ha1 = users[i];
  if (!verifyDigest(c, method, ha1) || !createHashVerify('md5', ha1.md5, c) || !oneShotVerify('md5', ha1.md5, c) || !sipPackageVerify(ha1.md5, c)) {
    throw new Error('MD5 implementations disagree');
  }
});
sha256Inputs.forEach((c, i) => {
  if (!verifyDigest(c, method, users[i]) || !createHashVerify('sha256', users[i].sha256, c)) throw new Error('SHA-256 implementations disagree');
});

let sink = 0;
type Verify = (c: DigestInput, ha1: (typeof users)[number]) => boolean;
function batch(inputs: DigestInput[], verify: Verify): () => void {
  return () => {
    for (let i = 0; i < BATCH; i++) if (verify(inputs[i & 63], users[i & 63])) sink++;
  };
}

const sources = Array.from({ length: 64 }, (_, i) => `198.51.100.${i}`);
const minted = sources.map((s) => nonces.mint(s));

const OURS = 'MD5 verify: ours (src/auth/verify.ts)';
const BASELINE = 'MD5 verify: crypto.createHash baseline';
const SIP_PACKAGE = 'MD5 verify: npm sip digest module';
const md5Ours = batch(md5Inputs, (c, ha1) => verifyDigest(c, method, ha1));
const md5Baseline = batch(md5Inputs, (c, ha1) => createHashVerify('md5', ha1.md5, c));
const md5SipPackage = batch(md5Inputs, (c, ha1) => sipPackageVerify(ha1.md5, c));
const bench = new Bench({ name: 'digest', time: 1500, warmupTime: 300 });
bench
  .add(OURS, md5Ours)
  .add(BASELINE, md5Baseline)
  .add('MD5 verify: crypto.hash one-shot, strings', batch(md5Inputs, (c, ha1) => oneShotVerify('md5', ha1.md5, c)))
  .add(SIP_PACKAGE, md5SipPackage)
  .add('MD5 verify: ours, unknown user (dummy HA1)', batch(md5Inputs, (c) => verifyDigest(c, method, null)))
  .add('SHA-256 verify: ours', batch(sha256Inputs, (c, ha1) => verifyDigest(c, method, ha1)))
  .add('SHA-256 verify: crypto.createHash baseline', batch(sha256Inputs, (c, ha1) => createHashVerify('sha256', ha1.sha256, c)))
  .add('nonce mint', () => {
    for (let i = 0; i < BATCH; i++) sink += nonces.mint(sources[i & 63]).length;
  })
  .add('nonce verify', () => {
    for (let i = 0; i < BATCH; i++) if (nonces.verify(minted[i & 63], sources[i & 63]) === 'valid') sink++;
  });

await bench.run();

// Wall-clock figures depend on what else runs on the machine; CPU time per verification (this
// thread's user+system time) is the per-core figure. Measured right after tinybench, same process.
const cpuRate = new Map<string, number>();
for (const [name, fn, calls] of [[OURS, md5Ours, 2000], [BASELINE, md5Baseline, 300], [SIP_PACKAGE, md5SipPackage, 300]] as const) {
  const start = process.cpuUsage();
  for (let i = 0; i < calls; i++) fn();
  const used = process.cpuUsage(start);
  cpuRate.set(name, (calls * BATCH * 1e6) / (used.user + used.system));
}

const rows: Record<string, string>[] = [];
const rate = new Map<string, number>();
for (const task of bench.tasks) {
  const result = task.result;
  if (result.state !== 'completed') {
    rows.push({ task: task.name, 'ops/s': 'failed' });
    continue;
  }
  const perSecond = (BATCH * 1000) / result.period;
  rate.set(task.name, perSecond);
  rows.push({
    task: task.name,
    'ops/s': Math.round(perSecond).toLocaleString('en-US'),
    'ns/op': (1e9 / perSecond).toFixed(0),
    '±%': result.latency.rme.toFixed(1),
    'per CPU-second': cpuRate.has(task.name) ? Math.round(cpuRate.get(task.name) ?? 0).toLocaleString('en-US') : '',
  });
}
console.table(rows);
const ours = rate.get(OURS) ?? 0;
const base = rate.get(BASELINE) ?? 1;
const sip = rate.get(SIP_PACKAGE) ?? 1;
const oursCpu = cpuRate.get(OURS) ?? 0;
console.log(
  `MD5 full verification (wall clock): ours ${(ours / 1e6).toFixed(2)} M/s = ${(ours / base).toFixed(2)}x createHash, ${(ours / sip).toFixed(2)}x sip package`,
);
console.log(
  `MD5 full verification per CPU-second: ours ${(oursCpu / 1e6).toFixed(2)} M = ${(oursCpu / (cpuRate.get(BASELINE) ?? 1)).toFixed(2)}x createHash, ` +
    `${(oursCpu / (cpuRate.get(SIP_PACKAGE) ?? 1)).toFixed(2)}x sip package (node ${process.version}, load ${os.loadavg()[0].toFixed(1)} on ${os.availableParallelism()} cores, sink ${sink > 0})`,
);
