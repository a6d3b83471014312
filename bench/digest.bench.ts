// Digest verification throughput: `node bench/digest.bench.ts`.
// A full verification is HA2 + response + constant-time comparison against the received response,
// given the stored HA1. Ours (src/auth/verify.ts) runs beside baselines measured in the same run:
// a plain node:crypto createHash implementation, the one-shot crypto.hash with string concatenation
// (a losing candidate for the hot path, kept here as a reference) and the npm `sip` package's digest
// module. Each task verifies BATCH responses per call so timer overhead does not dominate.
import { createHash, hash, timingSafeEqual } from 'node:crypto';
import { createRequire } from 'node:module';
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
const ha1 = deriveHa1('alice', realm, 'Correct-Horse-9');
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
  md5Inputs.push({ nonce, uri, nc, cnonce, qop: 'auth', algorithm: 'MD5', response: responseFor('md5', ha1.md5, uri, nc, cnonce) });
  sha256Inputs.push({ nonce, uri, nc, cnonce, qop: 'auth', algorithm: 'SHA-256', response: responseFor('sha256', ha1.sha256, uri, nc, cnonce) });
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
for (const c of md5Inputs) {
  if (!verifyDigest(c, method, ha1) || !createHashVerify('md5', ha1.md5, c) || !oneShotVerify('md5', ha1.md5, c) || !sipPackageVerify(ha1.md5, c)) {
    throw new Error('MD5 implementations disagree');
  }
}
for (const c of sha256Inputs) {
  if (!verifyDigest(c, method, ha1) || !createHashVerify('sha256', ha1.sha256, c)) throw new Error('SHA-256 implementations disagree');
}

let sink = 0;
function batch(inputs: DigestInput[], verify: (c: DigestInput) => boolean): () => void {
  return () => {
    for (let i = 0; i < BATCH; i++) if (verify(inputs[i & 63])) sink++;
  };
}

const sources = Array.from({ length: 64 }, (_, i) => `198.51.100.${i}`);
const minted = sources.map((s) => nonces.mint(s));

const bench = new Bench({ name: 'digest', time: 1500, warmupTime: 300 });
bench
  .add('MD5 verify: ours (src/auth/verify.ts)', batch(md5Inputs, (c) => verifyDigest(c, method, ha1)))
  .add('MD5 verify: crypto.createHash baseline', batch(md5Inputs, (c) => createHashVerify('md5', ha1.md5, c)))
  .add('MD5 verify: crypto.hash one-shot, strings', batch(md5Inputs, (c) => oneShotVerify('md5', ha1.md5, c)))
  .add('MD5 verify: npm sip digest module', batch(md5Inputs, (c) => sipPackageVerify(ha1.md5, c)))
  .add('MD5 verify: ours, unknown user (dummy HA1)', batch(md5Inputs, (c) => verifyDigest(c, method, null)))
  .add('SHA-256 verify: ours', batch(sha256Inputs, (c) => verifyDigest(c, method, ha1)))
  .add('SHA-256 verify: crypto.createHash baseline', batch(sha256Inputs, (c) => createHashVerify('sha256', ha1.sha256, c)))
  .add('nonce mint', () => {
    for (let i = 0; i < BATCH; i++) sink += nonces.mint(sources[i & 63]).length;
  })
  .add('nonce verify', () => {
    for (let i = 0; i < BATCH; i++) if (nonces.verify(minted[i & 63], sources[i & 63]) === 'valid') sink++;
  });

await bench.run();

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
  });
}
console.table(rows);
const ours = rate.get('MD5 verify: ours (src/auth/verify.ts)') ?? 0;
const base = rate.get('MD5 verify: crypto.createHash baseline') ?? 1;
const sip = rate.get('MD5 verify: npm sip digest module') ?? 1;
console.log(`MD5 full verification: ours ${(ours / 1e6).toFixed(2)} M/s = ${(ours / base).toFixed(2)}x createHash, ${(ours / sip).toFixed(2)}x sip package (node ${process.version}, sink ${sink > 0})`);
